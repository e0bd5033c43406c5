"""The vanilla GAN: the losses against hand computation (GAN-2..5), the optimal discriminator of
GAN-6 reached by Algorithm 1's discriminator step, and a short real training run on the ring."""
import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan import nn, optim
from minigan.data import ArrayDataset, DataLoader, toy2d
from minigan.gan import losses
from minigan.gan.gan import GAN
from minigan.gan.models import mlp_discriminator, mlp_generator
from minigan.metrics import mode_coverage

A_REAL = np.array([2.0, -1.0, 0.5])
A_FAKE = np.array([-3.0, 0.0, 1.5])
sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731


def test_value_is_gan2_by_hand():
    expected = np.mean(np.log(sig(A_REAL))) + np.mean(np.log(1 - sig(A_FAKE)))
    assert losses.value(minigan.tensor(A_REAL), minigan.tensor(A_FAKE)).item() == pytest.approx(expected)


def test_discriminator_loss_is_minus_the_ascended_objective_gan3():
    objective = np.mean(np.log(sig(A_REAL))) + np.mean(np.log(1 - sig(A_FAKE)))
    loss = losses.discriminator_loss(minigan.tensor(A_REAL), minigan.tensor(A_FAKE))
    assert loss.item() == pytest.approx(-objective)
    bce = F.bce_with_logits(minigan.tensor(A_REAL), minigan.ones(3).double()) + \
        F.bce_with_logits(minigan.tensor(A_FAKE), minigan.zeros(3).double())
    assert loss.item() == pytest.approx(bce.item())  # GAN-5 step 3: real labelled 1, fake labelled 0


def test_generator_losses_and_their_gradients_gan4_gan5():
    a = minigan.tensor(A_FAKE, requires_grad=True)
    minimax = losses.minimax_generator_loss(a)
    assert minimax.item() == pytest.approx(np.mean(np.log(1 - sig(A_FAKE))))
    minimax.backward()
    np.testing.assert_allclose(a.grad.numpy(), -sig(A_FAKE) / 3)           # vanishes as a → -∞
    a.zero_grad()
    ns = losses.non_saturating_generator_loss(a)
    assert ns.item() == pytest.approx(-np.mean(np.log(sig(A_FAKE))))
    ns.backward()
    np.testing.assert_allclose(a.grad.numpy(), -(1 - sig(A_FAKE)) / 3)     # tends to -1/m


def test_losses_finite_at_extreme_logits():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        a = minigan.tensor([-1000.0, 1000.0], requires_grad=True)
        total = losses.discriminator_loss(a, a) + losses.non_saturating_generator_loss(a) + \
            losses.minimax_generator_loss(a) + losses.value(a, a)
        total.backward()
    assert np.isfinite(total.item()) and np.all(np.isfinite(a.grad.numpy()))


def test_global_optimum_value_is_minus_log_4():
    # D = 1/2 everywhere (logit 0) when p_g = p_data: V = -log 4 (GAN-6)
    assert losses.value(minigan.zeros(5), minigan.zeros(5)).item() == pytest.approx(-np.log(4))
    np.testing.assert_allclose(losses.optimal_discriminator([1.0, 3.0], [1.0, 1.0]), [0.5, 0.75])


class FixedGenerator(nn.Module):
    """G(z) = z · 0.5 + 1 with z ~ N(0, 1): p_g = N(1, 0.25), and G never trains."""

    def forward(self, z):
        return z * 0.5 + 1.0


def test_algorithm1_discriminator_converges_to_the_optimal_discriminator_gan6():
    minigan.manual_seed(0)
    real = minigan.tensor(np.random.default_rng(0).normal(-1.0, 1.0, size=(20000, 1)).astype(np.float32))
    discriminator = mlp_discriminator(1, hidden=32, depth=2)
    gan = GAN(FixedGenerator(), discriminator, optim.SGD([minigan.zeros(1, requires_grad=True)], lr=0.0),
              optim.Adam(discriminator.parameters(), lr=3e-3), latent_dim=1)
    loader = DataLoader(ArrayDataset(real.numpy()), batch_size=500, seed=0).forever()
    for _ in range(1500):
        gan.discriminator_step(next(loader))
    x = np.linspace(-2.0, 2.0, 9, dtype=np.float32)[:, None]
    with minigan.no_grad():
        d = F.sigmoid(discriminator(minigan.tensor(x))).numpy()[:, 0]
    gauss = lambda x, mu, s: np.exp(-(x - mu) ** 2 / (2 * s * s)) / s  # noqa: E731
    d_star = losses.optimal_discriminator(gauss(x[:, 0], -1.0, 1.0), gauss(x[:, 0], 1.0, 0.5))
    np.testing.assert_allclose(d, d_star, atol=0.06)


def test_step_returns_the_figures_and_updates_both_networks():
    minigan.manual_seed(1)
    g, d = mlp_generator(4, 2, 16, 1), mlp_discriminator(2, 16, 1)
    gan = GAN(g, d, optim.Adam(g.parameters(), 1e-3), optim.Adam(d.parameters(), 1e-3), k=2, latent_dim=4)
    before_g = [p.numpy().copy() for p in g.parameters()]
    before_d = [p.numpy().copy() for p in d.parameters()]
    stats = gan.step(minigan.randn(8, 2))
    assert set(stats) == {"loss_d", "loss_g", "D(x)", "D(G(z))"} and 0 < stats["D(x)"] < 1
    assert all(not np.array_equal(a, p.numpy()) for a, p in zip(before_g, g.parameters()))
    assert all(not np.array_equal(a, p.numpy()) for a, p in zip(before_d, d.parameters()))
    assert all(p.requires_grad for p in d.parameters())


def test_bad_configuration_is_a_clear_error():
    g, d = mlp_generator(4, 2, 8, 1), mlp_discriminator(2, 8, 1)
    opts = optim.SGD(g.parameters(), 0.1), optim.SGD(d.parameters(), 0.1)
    with pytest.raises(ValueError, match="k"):
        GAN(g, d, *opts, k=0)
    with pytest.raises(ValueError, match="generator_loss"):
        GAN(g, d, *opts, generator_loss="wasserstein")


def test_short_training_run_captures_ring_modes():
    """The ring recipe's networks and learning rates (batch 512) spread over the ring in 1000 steps."""
    from minigan.gan import recipes

    minigan.manual_seed(0)
    data = toy2d.ring()
    recipe = recipes.gan(data, steps=1000, lr_drop_at=0)
    gan = recipe.algorithm
    batches = DataLoader(data, recipe.batch_size, seed=0).forever()
    for _ in range(1000):
        gan.step(batches)
    modes, hq = mode_coverage(gan.sample(2500).numpy(), data.centers, data.std)
    assert modes >= 6, (modes, hq)


def test_the_digits_recipe_samples_from_an_average_of_gs_iterates():
    """train gan on digits samples from θ̄ (β = 0.995, docs/results.md), other images from θ itself."""
    from minigan.data import images
    from minigan.gan import recipes

    recipe = recipes.gan(images.digits(), steps=5)
    average = recipe.algorithm.generator_average
    assert recipe.config["ema"] == 0.995 and average.decay == 0.995
    standin = images.ImageDataset("mnist", np.zeros((4, 1, 28, 28), np.float32), np.arange(4) % 10, 10)
    assert recipes.gan(standin).algorithm.generator_average is None
