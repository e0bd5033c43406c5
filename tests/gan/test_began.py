"""BEGAN: the losses, the k_t controller and M_global against hand computation (BEGAN-1..5), no
gradient of L_G into D, the learning-rate halving, the autoencoder's architecture, a short real run
on digits, and the command line."""
import numpy as np
import pytest
from helpers import Shift, host

import minigan
from minigan import nn, optim
from minigan.cli import main
from minigan.cli.common import restore
from minigan.data import DataLoader, images
from minigan.gan.began import BEGAN
from minigan.gan.began_models import SIDES, Decoder, Encoder, began_autoencoder, began_generator, mlp_autoencoder


class Scale(nn.Module):
    """D(v) = a·v: L(v) = mean |v − a v| = |1 − a| · mean |v|, and ∂L/∂a = −sign(1 − a) · mean |v|."""

    def __init__(self, a):
        super().__init__()
        self.a = nn.Parameter(np.float64(a))

    def forward(self, v):
        return v * self.a


def began(a=0.25, theta=(0.5, -1.0), lr=0.0, **kwargs):
    generator, autoencoder = Shift(theta), Scale(a)
    return BEGAN(generator, autoencoder, optim.SGD(generator.parameters(), lr=lr),
                 optim.SGD(autoencoder.parameters(), lr=lr), latent_dim=2, **kwargs)


def batch(m=6, seed=0):
    return minigan.tensor(np.random.default_rng(seed).normal(size=(m, 2)))


def test_losses_by_hand():
    algorithm = began(a=0.25, theta=(0.5, -1.0))
    algorithm.k_t = 0.3
    x, z_D, z_G = batch(), batch(seed=1), batch(seed=2)
    losses = algorithm.losses(x, z_D, z_G)
    L = lambda v: 0.75 * np.mean(np.abs(v))                            # noqa: E731  [BEGAN-1] |1 − a| mean |v|
    theta = np.array([0.5, -1.0])
    assert losses["L(x)"].item() == pytest.approx(L(x.numpy()))
    assert losses["L(G(z_D))"].item() == pytest.approx(L(z_D.numpy() + theta))
    assert losses["L_D"].item() == pytest.approx(L(x.numpy()) - 0.3 * L(z_D.numpy() + theta))    # [BEGAN-2]
    assert losses["L_G"].item() == pytest.approx(L(z_G.numpy() + theta))


def test_generator_loss_sends_no_gradient_into_the_autoencoder():
    algorithm = began()
    losses = algorithm.losses(batch(), batch(seed=1), batch(seed=2))
    losses["L_G"].backward()
    assert algorithm.discriminator.a.grad is None                   # L_G reaches θ_G only ...
    assert algorithm.generator.theta.grad is not None
    assert algorithm.discriminator.a.requires_grad                  # ... and D is trainable again afterwards
    algorithm.generator.zero_grad()
    losses["L_D"].backward()
    assert algorithm.generator.theta.grad is None                 # L_D reaches θ_D only
    assert algorithm.discriminator.a.grad is not None


def test_one_step_is_simultaneous_sgd_on_each_players_own_loss():
    a, theta, lr, k = 0.25, np.array([0.5, -1.0]), 0.1, 0.3
    algorithm = began(a=a, theta=theta, lr=lr, gamma=0.5, lambda_k=0.01)
    algorithm.k_t = k
    x = batch(8)
    minigan.manual_seed(3)
    stats = algorithm.step(x)
    minigan.manual_seed(3)
    fake = algorithm.noise(8).double().numpy() + theta                    # the step's one z: z_D = z_G
    grad_a = -np.sign(1 - a) * (np.mean(np.abs(x.numpy())) - k * np.mean(np.abs(fake)))   # ∂L_D/∂a
    grad_theta = (1 - a) * np.sign(fake).mean(axis=0) / 2     # ∂L_G/∂θ, with D before its step
    assert algorithm.discriminator.a.item() == pytest.approx(a - lr * grad_a)
    np.testing.assert_allclose(algorithm.generator.theta.numpy(), theta - lr * grad_theta)
    loss_real, loss_fake = (1 - a) * np.mean(np.abs(x.numpy())), (1 - a) * np.mean(np.abs(fake))
    assert stats["L(x)"] == pytest.approx(loss_real) and stats["loss_g"] == pytest.approx(loss_fake)
    assert stats["k_t"] == k                                               # the k_t used by this step's L_D
    assert algorithm.k_t == pytest.approx(min(max(k + 0.01 * (0.5 * loss_real - loss_fake), 0), 1))   # [BEGAN-3]
    assert stats["M_global"] == pytest.approx(loss_real + abs(0.5 * loss_real - loss_fake))         # [BEGAN-5]


def test_step_gradients_are_those_of_the_two_losses_with_one_z():
    """On convolutional networks in float64: the step's one backward through the autoencoder's pass
    on G(z) gives each player the gradient of its own loss [BEGAN-2], as `losses(x, z, z)` does."""
    minigan.set_default_dtype("float64")
    try:
        minigan.manual_seed(0)
        generator, autoencoder = began_generator((1, 8, 8), 4, n=3), began_autoencoder((1, 8, 8), 4, n=3)
        opts = [optim.SGD(net.parameters(), lr=0.0) for net in (generator, autoencoder)]
        algorithm = BEGAN(generator, autoencoder, *opts, latent_dim=4, prior="normal")
        algorithm.k_t = 0.4
        x = minigan.randn(5, 1, 8, 8)
        minigan.manual_seed(7)
        algorithm.step(x)
        got = [p.grad.numpy() for net in (generator, autoencoder) for p in net.parameters()]
        minigan.manual_seed(7)
        z = algorithm.noise(5)
        algorithm.k_t = 0.4                                               # the step moved k_t
        for net in (generator, autoencoder):
            net.zero_grad()
        losses = algorithm.losses(x, z, z)
        losses["L_D"].backward()
        losses["L_G"].backward()
    finally:
        minigan.set_default_dtype("float32")
    expected = [p.grad.numpy() for net in (generator, autoencoder) for p in net.parameters()]
    assert len(got) == len(expected) > 10
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


def test_k_starts_at_zero_and_is_clipped_to_the_unit_interval():
    algorithm = began(gamma=0.5, lambda_k=0.1)
    assert algorithm.k_t == 0.0                                            # k_0 = 0
    assert algorithm.update_k(1.0, 0.2) == pytest.approx(0.1 * (0.5 - 0.2))
    assert algorithm.update_k(0.0, 5.0) == 0.0                             # clip at 0
    for _ in range(30):
        algorithm.update_k(10.0, 0.0)
    assert algorithm.k_t == 1.0                                            # clip at 1
    assert algorithm.convergence_measure(2.0, 0.4) == pytest.approx(2.0 + abs(1.0 - 0.4))


@pytest.mark.parametrize("kwargs, message", [
    (dict(gamma=-0.1), r"gamma .* must lie in \[0, 1\], got -0.1"),
    (dict(gamma=1.5), r"gamma .* must lie in \[0, 1\], got 1.5"),
    (dict(lambda_k=-1e-3), r"lambda_k .* must be >= 0"),
    (dict(prior="cauchy"), r"prior must be one of"),
])
def test_bad_configurations_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        began(**kwargs)


class Constant(Shift):
    """G(z) = θ whatever z: with a fixed real batch, M_global changes only through the (tiny) steps."""

    def forward(self, z):
        return z * 0.0 + self.theta


def test_learning_rates_halve_when_m_global_stalls():
    generator, autoencoder = Constant([0.5, -1.0]), Scale(0.25)
    algorithm = BEGAN(generator, autoencoder, optim.SGD(generator.parameters(), lr=1e-9),
                      optim.SGD(autoencoder.parameters(), lr=1e-9), latent_dim=2, lr_patience=4)
    x = batch()
    rates = []
    for _ in range(12):
        algorithm.step(x)
        rates.append((algorithm.opt_g.param_groups[0]["lr"], algorithm.opt_d.param_groups[0]["lr"]))
    assert rates[3] == (1e-9, 1e-9)                                      # the first window sets the reference
    assert rates[7] == (5e-10, 5e-10) and rates[11] == (2.5e-10, 2.5e-10)


def test_state_dict_round_trip_continues_the_same_run(tmp_path):
    x = batch(8)
    first = began(theta=(0.0, 0.0), lr=0.05, gamma=1.0, lr_patience=3)
    for _ in range(4):
        first.step(x)
    minigan.save(first.state_dict(), tmp_path / "began.npz")
    rng = minigan.get_rng_state()
    second = began(theta=(0.0, 0.0), lr=0.05, gamma=1.0, lr_patience=3)
    second.load_state_dict(minigan.load(tmp_path / "began.npz"))
    assert second.k_t == first.k_t > 0
    runs = []
    for algorithm in (first, second):
        minigan.set_rng_state(rng)
        runs.append([algorithm.step(x) for _ in range(3)])
    assert runs[0] == runs[1]


# ------------------------------------------------------------------------------ the networks
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("skip", [False, True])
def test_autoencoder_and_generator_shapes(side, skip):
    shape = (3 if side == 32 else 1, side, side)
    autoencoder = began_autoencoder(shape, embedding_dim=5, n=4, skip=skip)
    generator = began_generator(shape, latent_dim=7, n=4, skip=skip)
    assert autoencoder.encoder(minigan.zeros(2, *shape)).shape == (2, 5)
    assert autoencoder(minigan.randn(2, *shape)).shape == (2,) + shape
    assert generator(minigan.randn(2, 7)).shape == (2,) + shape
    assert generator.latent_dim == 7
    kinds = {type(m).__name__ for m in autoencoder.modules()}
    assert "BatchNorm2d" not in kinds and "ELU" in kinds


def test_architecture_follows_the_paper():
    encoder = Encoder((1, 32, 32), embedding_dim=16, n=8)          # scales 32, 16, 8
    convs = [m for m in encoder.modules() if isinstance(m, nn.Conv2d)]
    assert [c.weight.shape[0] for c in convs] == [8, 8, 8, 8, 16, 16, 16, 24, 24]   # filters n, 2n, 3n
    assert [c.stride for c in convs].count((2, 2)) == 2            # stride-2 convolutions down
    assert all(c.weight.shape[2:] == (3, 3) for c in convs)
    assert encoder.to_h.weight.shape == (16, 24 * 8 * 8)           # FC from the 8×8 bottleneck to h
    decoder = Decoder((1, 32, 32), 16, n=8, skip=True)
    assert decoder.from_h.weight.shape == (8 * 8 * 8, 16)
    first_convs = [block[0].weight.shape[1] for block in decoder.scales]
    assert first_convs == [8, 16, 16]                              # skip: h₀ concatenated at every later scale


def test_convs_per_scale_and_tanh_output():
    decoder = Decoder((1, 8, 8), 4, n=4, convs_per_scale=1, tanh=True)
    assert [sum(isinstance(m, nn.Conv2d) for m in block.modules()) for block in decoder.scales] == [1, 1]
    with minigan.no_grad():
        decoder.to_image.bias.data[...] = 50.0                     # pre-activations far past tanh's knee
        out = decoder(minigan.randn(3, 4)).numpy()
    assert out.min() >= -1 and out.max() <= 1 and out.min() > 0.99   # tanh bounds G(z) to the images' [−1, 1]
    assert decoder.to_image(minigan.zeros(1, 4, 8, 8)).numpy().max() == 50.0  # no tanh inside to_image itself


def test_embedding_has_no_nonlinearity():
    # h is affine in the encoder's last features: h(αu + (1 − α)v) = α h(u) + (1 − α) h(v)
    encoder = Encoder((1, 8, 8), embedding_dim=4, n=4)
    u, v = minigan.randn(1, 4 * 2 * 4 * 4), minigan.randn(1, 4 * 2 * 4 * 4)
    mix = encoder.to_h(u * 0.3 + v * 0.7).numpy()
    np.testing.assert_allclose(mix, 0.3 * encoder.to_h(u).numpy() + 0.7 * encoder.to_h(v).numpy(), rtol=1e-5, atol=1e-6)


def test_unsupported_image_sides_are_refused():
    with pytest.raises(ValueError, match=r"side \(8, 16, 28, 32, 64\), got side 24"):
        began_autoencoder((1, 24, 24))
    with pytest.raises(ValueError, match=r"square images"):
        began_generator((1, 8, 16))


def test_samples_come_from_the_average_of_the_generators_iterates():
    theta0 = np.array([0.5, -1.0])
    algorithm = began(theta=theta0, lr=0.1, ema_decay=0.75)
    algorithm.step(batch(8))
    theta1 = algorithm.generator.theta.numpy().copy()
    assert not np.allclose(theta1, theta0)                                # G moved
    average = 0.75 * theta0 + 0.25 * theta1                               # θ̄_1 = β θ_0 + (1 − β) θ_1
    np.testing.assert_allclose(host(algorithm.generator_average.averages[0]), average)
    with minigan.fork_rng(5):
        samples = algorithm.sample(4).numpy()
    with minigan.fork_rng(5):
        z = algorithm.noise(4).numpy()
    np.testing.assert_allclose(samples, z + average)                      # G(z) = z + θ̄, not z + θ_1
    np.testing.assert_array_equal(algorithm.generator.theta.numpy(), theta1)   # training goes on from θ_1
    assert "generator_average" in algorithm.state_dict()
    assert "generator_average" not in began().state_dict()


# ------------------------------------------------------------------------------ real runs
def test_short_run_on_digits_keeps_k_in_the_unit_interval_and_lowers_m_global():
    minigan.manual_seed(0)
    data = images.digits()
    generator, autoencoder = began_generator(data.image_shape, 8, n=4), began_autoencoder(data.image_shape, 8, n=4)
    algorithm = BEGAN(generator, autoencoder, optim.Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.999)),
                      optim.Adam(autoencoder.parameters(), lr=2e-3, betas=(0.5, 0.999)), latent_dim=8,
                      lambda_k=0.01, lr_patience=None)
    batches = DataLoader(data, 16, seed=0).forever()
    stats = [algorithm.step(batches) for _ in range(100)]
    k, m_global = np.array([s["k_t"] for s in stats]), np.array([s["M_global"] for s in stats])
    assert k.min() >= 0 and k.max() <= 1 and k.max() > 0                # the controller acted and stayed in [0, 1]
    assert m_global[-20:].mean() < 0.7 * m_global[:20].mean()             # M_global falls as training converges


def test_mlp_autoencoder_for_points():
    autoencoder = mlp_autoencoder(2, embedding_dim=3, hidden=16)
    assert autoencoder(minigan.randn(5, 2)).shape == (5, 2)
    assert autoencoder.encoder(minigan.randn(5, 2)).shape == (5, 3)


def test_recipe_settings_per_image_size():
    from minigan.data.images import ImageDataset
    from minigan.gan import recipes

    def images(side):
        return ImageDataset("x", np.zeros((2, 1, side, side), dtype=np.float32))

    small = recipes.began(images(8)).config
    assert (small["gamma"], small["lambda_k"], small["lr"], small["convs_per_scale"], small["tanh"], small["ema"]) \
        == (1.0, 0.003, 3e-4, 1, True, 0.998) and small["lr_d"] == pytest.approx(small["lr"] / 11)
    large = recipes.began(images(32)).config
    assert (large["gamma"], large["lambda_k"], large["lr"], large["lr_d"], large["convs_per_scale"]) \
        == (0.5, 0.001, 1e-4, 1e-4, 2)                                  # the paper's
    given = recipes.began(images(8), gamma=0.7, lr=1e-3, tanh=False).config
    assert (given["gamma"], given["lr"], given["lr_d"], given["tanh"], given["lambda_k"]) == \
        (0.7, 1e-3, 1e-3 / 11, False, 0.003)                            # D at G's rate / 11 on digits
    assert recipes.began(images(32), lr=1e-3).config["lr_d"] == 1e-3
    with pytest.raises(TypeError, match="wgan takes no setting generator_activation for digits data"):
        recipes.wgan(images(8), generator_activation="tanh")      # a 2-D network's setting, given for images


def test_discriminator_and_generator_steps_update_one_player_each():
    algorithm = began(lr=0.1)
    theta, a = algorithm.generator.theta.numpy().copy(), algorithm.discriminator.a.item()
    stats = algorithm.discriminator_step(batch(8))
    assert algorithm.discriminator.a.item() != a and set(stats) == {"loss_d", "L(x)"}
    np.testing.assert_array_equal(algorithm.generator.theta.numpy(), theta)
    a = algorithm.discriminator.a.item()
    assert set(algorithm.generator_step(8)) == {"loss_g"}
    assert algorithm.discriminator.a.item() == a and not np.array_equal(algorithm.generator.theta.numpy(), theta)


def test_command_line_trains_began(tmp_path, capsys):
    out = str(tmp_path / "run")
    code = main(["train", "began", "--steps", "3", "--batch-size", "16", "--filters", "4", "--latent-dim", "4",
                 "--gamma", "0.7", "--out", out, "--quiet", "--sample-every", "3"])
    assert code == 0
    state = minigan.load(f"{out}/checkpoint.npz")
    assert state["config"]["recipe"]["gamma"] == 0.7 and 0 <= state["algorithm"]["k_t"] <= 1
    from minigan.cli.attack import load_generator  # 8×8 images: --ema 0.998 by default
    averages = state["algorithm"]["generator_average"]["averages"]
    loaded = [p.numpy() for p in load_generator(out).parameters()]
    trained = [p.numpy() for p in restore(out)[0].generator.parameters()]
    for average, p, _q in zip(averages, loaded, trained):
        np.testing.assert_array_equal(p, average.numpy())                 # the defense's G holds θ̄ ...
    assert any(not np.array_equal(p, q) for p, q in zip(loaded, trained))  # ... not the last θ
    assert main(["train", "began", "--steps", "2", "--batch-size", "16", "--filters", "4", "--latent-dim", "4",
                 "--lr", "3e-4", "--lr-d", "1e-4", "--tanh", "--convs-per-scale", "1", "--out", out + "2",
                 "--quiet", "--sample-every", "2"]) == 0
    algorithm, _, _ = restore(out + "2")
    assert algorithm.opt_g.param_groups[0]["lr"] == 3e-4 and algorithm.opt_d.param_groups[0]["lr"] == 1e-4
    assert algorithm.generator.tanh and len(algorithm.generator.scales[0]) == 2   # one conv + ELU per scale
    assert main(["train", "began", "--gamma", "1.5", "--steps", "1", "--out", str(tmp_path / "bad")]) == 2
    assert "gamma" in capsys.readouterr().err
    assert main(["train", "began", "--ema", "1.5", "--steps", "1", "--out", str(tmp_path / "bad")]) == 2
    assert "decay" in capsys.readouterr().err
