"""The conditional GAN [VAR-CGAN]: its losses with the label input against a written-out formula and
central differences, the condition reaching both players, the two updates touching only their own
player, bad labels, and a short real run on the ring whose samples land at their labels' modes."""
import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan import optim
from minigan.data import DataLoader, labelled, toy2d
from minigan.gan import losses, recipes
from minigan.gan.conditional import ConditionalGAN, balanced_labels, check_labels
from minigan.gan.models import Conditioned, conditional_mlps, dcgan_discriminator, dcgan_generator, with_label
from minigan.metrics import label_hits

K = 3
Y_REAL, Y_FAKE = np.array([0, 2, 1, 2]), np.array([1, 1, 0, 2])


def tiny_discriminator(W1, b1, w2):
    """D(x | y) = w₂ · tanh(W₁ [x, one_hot(y)] + b₁): a logit."""
    return lambda x, y: F.linear(F.tanh(F.linear(with_label(x, y, K), W1, b1)), w2)


def by_hand(x, y, W1, b1, w2):
    h = np.tanh(np.concatenate([x, np.eye(K)[y]], axis=1) @ W1.T + b1)
    return h @ w2.T


def leaves(seed=0):
    rng = np.random.default_rng(seed)
    shapes = [(4, 2), (4, 2), (5, 2 + K), (5,), (1, 5)]
    return [minigan.tensor(rng.normal(size=s), requires_grad=True) for s in shapes]


def test_one_hot_and_with_label():
    np.testing.assert_array_equal(F.one_hot([2, 0], 3).numpy(), [[0, 0, 1], [1, 0, 0]])
    images = minigan.zeros(2, 1, 4, 4)
    joined = with_label(images, [1, 0], 2).numpy()
    assert joined.shape == (2, 3, 4, 4)
    np.testing.assert_array_equal(joined[0, 1:, :, :].mean(axis=(1, 2)), [0, 1])   # y as constant channels
    np.testing.assert_array_equal(joined[1, 1:, :, :].mean(axis=(1, 2)), [1, 0])
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\)"):
        F.one_hot([0, 3], 3)
    with pytest.raises(ValueError, match="3 labels for a batch of 2"):
        with_label(minigan.zeros(2, 4), [0, 1, 1], 2)


def test_conditional_discriminator_loss_is_the_written_out_formula():
    """[VAR-CGAN] −(1/m) Σ log D(x | y) − (1/m) Σ log(1 − D(G(z | y′) | y′)), each D seeing its own label."""
    x_real, x_fake, W1, b1, w2 = leaves()
    D = tiny_discriminator(W1, b1, w2)
    loss = losses.discriminator_loss(D(x_real, Y_REAL), D(x_fake, Y_FAKE)).item()
    args = (W1.numpy(), b1.numpy(), w2.numpy())
    a_real, a_fake = by_hand(x_real.numpy(), Y_REAL, *args), by_hand(x_fake.numpy(), Y_FAKE, *args)
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    assert loss == pytest.approx(-np.mean(np.log(sig(a_real))) - np.mean(np.log(1 - sig(a_fake))), rel=1e-12)
    # the label input matters: the same images with the labels swapped are judged otherwise
    swapped = losses.discriminator_loss(D(x_real, Y_FAKE), D(x_fake, Y_REAL)).item()
    assert abs(swapped - loss) > 1e-3


def test_conditional_losses_match_central_differences():
    x_real, x_fake, W1, b1, w2 = leaves(1)

    def d_loss(x_real, x_fake, W1, b1, w2):
        D = tiny_discriminator(W1, b1, w2)
        return losses.discriminator_loss(D(x_real, Y_REAL), D(x_fake, Y_FAKE))

    def g_loss(x_fake, W1, b1, w2):
        return losses.non_saturating_generator_loss(tiny_discriminator(W1, b1, w2)(x_fake, Y_FAKE))

    assert minigan.gradcheck(d_loss, (x_real, x_fake, W1, b1, w2))
    assert minigan.gradcheck(g_loss, (x_fake, W1, b1, w2))


def small_cgan(seed=0, num_classes=4):
    minigan.manual_seed(seed)
    g, d = conditional_mlps(3, (2,), num_classes, generator_units=(16,), discriminator_units=(16,))
    return ConditionalGAN(g, d, optim.Adam(g.parameters(), 1e-3), optim.Adam(d.parameters(), 1e-3),
                          num_classes, latent_dim=3)


def test_the_label_reaches_both_players():
    cgan = small_cgan()
    z, x = minigan.randn(6, 3), minigan.randn(6, 2)
    with minigan.no_grad():
        g0, g1 = cgan.generator(z, np.zeros(6, int)), cgan.generator(z, np.ones(6, int))
        d0, d1 = cgan.discriminator(x, np.zeros(6, int)), cgan.discriminator(x, np.ones(6, int))
    assert np.abs(g0.numpy() - g1.numpy()).min() > 1e-6       # same z, another y: another sample
    assert np.abs(d0.numpy() - d1.numpy()).min() > 1e-6       # same x, another y: another verdict
    # the DCGAN pair takes the condition too (one network, first layer widened by K)
    g = dcgan_generator(8, (1, 8, 8), width=4, num_classes=10)
    d = dcgan_discriminator((1, 8, 8), width=4, num_classes=10)
    assert isinstance(g, Conditioned) and isinstance(d, Conditioned)
    with minigan.no_grad():
        images = g(minigan.randn(3, 8), [1, 2, 3])
        assert images.shape == (3, 1, 8, 8)
        assert d(images, [1, 2, 3]).shape == (3, 1)
        assert not np.allclose(d(images, [1, 2, 3]).numpy(), d(images, [4, 5, 6]).numpy())


def test_each_update_moves_only_its_own_player():
    cgan = small_cgan(1)
    x, y = minigan.randn(8, 2), np.arange(8) % 4
    snapshot = lambda net: [p.numpy().copy() for p in net.parameters()]  # noqa: E731
    g_before, d_before = snapshot(cgan.generator), snapshot(cgan.discriminator)
    cgan.discriminator_step((x, y))
    assert all(np.array_equal(a, b) for a, b in zip(g_before, snapshot(cgan.generator)))
    assert not any(np.array_equal(a, b) for a, b in zip(d_before, snapshot(cgan.discriminator)))
    d_before = snapshot(cgan.discriminator)
    stats = cgan.generator_step(8)
    assert all(np.array_equal(a, b) for a, b in zip(d_before, snapshot(cgan.discriminator)))
    assert not any(np.array_equal(a, b) for a, b in zip(g_before, snapshot(cgan.generator)))
    assert set(stats) == {"loss_g"} and all(p.requires_grad for p in cgan.discriminator.parameters())


def test_sample_with_labels_and_bad_labels():
    cgan = small_cgan(2)
    assert cgan.sample(6).shape == (6, 2)
    assert cgan.sample(5, labels=3).shape == (5, 2)                 # one label for all
    np.testing.assert_array_equal(balanced_labels(6, 4), [0, 1, 2, 3, 0, 1])
    with pytest.raises(ValueError, match="one label per sample: 5 values"):
        cgan.sample(5, labels=[0, 1])
    with pytest.raises(ValueError, match=r"\[0, 4\).*from 0 to 4"):
        cgan.sample(2, labels=[0, 4])
    with pytest.raises(ValueError, match="integers"):
        check_labels([0.5, 1.0], 2, 4)
    with pytest.raises(ValueError, match="labelled batches"):
        cgan.step(iter([minigan.randn(8, 2)]))
    with pytest.raises(ValueError, match="num_classes"):
        ConditionalGAN(cgan.generator, cgan.discriminator, cgan.opt_g, cgan.opt_d, 1)


def test_recipe_refuses_unlabelled_images_and_unknown_networks():
    from minigan.data.images import ImageDataset

    unlabelled = ImageDataset("faces", np.zeros((4, 3, 8, 8), np.float32))
    with pytest.raises(ValueError, match="labelled data"):
        recipes.cgan(unlabelled)
    with pytest.raises(ValueError, match="networks"):
        recipes.cgan(toy2d.ring(100), networks="resnet")


def test_short_run_on_the_ring_puts_samples_at_their_labels_modes():
    """The ring recipe's networks and rates, 300 steps of batch 128: the samples of each label
    gather at that label's mode (nearest to it, and close: modes are 0.77 apart)."""
    minigan.manual_seed(0)
    data = toy2d.ring()
    recipe = recipes.cgan(data, steps=300, batch_size=128, lr_drop_at=0.7)
    batches = DataLoader(labelled(data), recipe.batch_size, seed=0).forever()
    for _ in range(recipe.steps):
        stats = recipe.algorithm.step(batches)
    labels = balanced_labels(800, 8)
    samples = recipe.algorithm.sample(800, labels=labels).numpy()
    nearest = ((samples[:, None, :] - data.centers[None]) ** 2).sum(-1).argmin(1)
    distance = np.sqrt(((samples - data.centers[labels]) ** 2).sum(1))
    assert (nearest == labels).mean() > 0.95, stats
    assert np.median(distance) < 0.1, np.median(distance)
    assert label_hits(samples, labels, data.centers, data.std).mean() == pytest.approx((distance < 0.03).mean())


@pytest.mark.parametrize("kind", ["points", "digits"])
def test_the_recipe_round_trips_through_a_checkpoint(kind, tmp_path):
    """recipes.cgan on the ring (MLPs) and on digits (the DCGAN pair): one step on labelled batches,
    then the checkpoint rebuilt from the saved config samples the same labels alike."""
    from minigan.data import images

    data = toy2d.ring(n_samples=64) if kind == "points" else images.digits()
    minigan.manual_seed(0)
    recipe = recipes.cgan(data, steps=3, batch_size=8)
    batches = DataLoader(labelled(data), 8, seed=0).forever()
    stats = recipe.algorithm.step(batches)
    assert {"loss_d", "loss_g"} <= set(stats)
    minigan.save(recipe.algorithm.state_dict(), str(tmp_path / "state.npz"))
    again = recipes.build(recipe.config, data).algorithm
    again.load_state_dict(minigan.load(str(tmp_path / "state.npz")))
    labels = np.arange(6) % 3
    with minigan.fork_rng(1):
        a = recipe.algorithm.sample(6, labels=labels).numpy()
    with minigan.fork_rng(1):
        b = again.sample(6, labels=labels).numpy()
    np.testing.assert_array_equal(a, b)


def test_the_steps_descend_the_written_out_losses():
    """With SGD (lr η) in float64, D's step moves θ_D by −η ∇ of −mean log D(x | y) − mean log(1 − D(G(z | y′) | y′))
    and G's step moves θ_G by −η ∇ of −mean log D(G(z | y) | y), with the z and y′ the steps drew."""
    minigan.set_default_dtype("float64")
    try:
        minigan.manual_seed(3)
        g, d = conditional_mlps(3, (2,), 4, generator_units=(6,), discriminator_units=(6,))
        g, d = g.double(), d.double()
        eta = 0.1
        cgan = ConditionalGAN(g, d, optim.SGD(g.parameters(), eta), optim.SGD(d.parameters(), eta), 4, latent_dim=3)
        x, y = minigan.randn(5, 2), np.array([0, 1, 2, 3, 1])
        state = minigan.get_rng_state()
        y_fake, z = cgan.fake_labels(5), cgan.noise(5)              # what the step will draw
        minigan.set_rng_state(state)
        sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
        loss = lambda: (-np.log(sig(d(x, y).numpy())).mean()  # noqa: E731
                        - np.log(1 - sig(d(g(z, y_fake), y_fake).numpy())).mean())
        params = list(d.parameters())
        expected_loss = loss()
        grads = minigan.grad(losses.discriminator_loss(d(x, y), d(g(z, y_fake).detach(), y_fake)), params)
        before = [p.numpy().copy() for p in params]
        stats = cgan.discriminator_step((x, y))
        assert stats["loss_d"] == pytest.approx(expected_loss, rel=1e-10)
        for b, p, gr in zip(before, params, grads):
            np.testing.assert_allclose(p.numpy(), b - eta * gr.numpy(), rtol=1e-10, atol=1e-12)
        # G's step, by hand: −mean log D(G(z | y) | y)
        state = minigan.get_rng_state()
        y_g, z_g = cgan.fake_labels(5), cgan.noise(5)
        minigan.set_rng_state(state)
        a = d(g(z_g, y_g), y_g).numpy()
        stats = cgan.generator_step(5)
        assert stats["loss_g"] == pytest.approx(-np.log(sig(a)).mean(), rel=1e-10)
    finally:
        minigan.set_default_dtype("float32")
