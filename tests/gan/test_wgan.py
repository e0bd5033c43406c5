"""WGAN and WGAN-GP: the exact 1-D distance (WGAN-1), Algorithm 1's steps against hand computation
(WGAN-4), the gradient penalty's value and gradient, critics that estimate W, and the command line."""
import numpy as np
import pytest
from helpers import Shift, on_default_backend
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigan
import minigan.functional as F
from minigan import nn, optim
from minigan.gan.wgan import WGAN, WGANGP, gradient_penalty, interpolates, wasserstein_1d

finite = st.floats(-100, 100, allow_nan=False, width=64)
samples = hnp.arrays(np.float64, st.integers(1, 30), elements=finite)


# ------------------------------------------------------------------------------------ WGAN-1
@given(samples, st.floats(-50, 50))
def test_w1_of_a_shift_is_the_shift(a, c):
    assert wasserstein_1d(a, a + c) == pytest.approx(abs(c), abs=1e-9)


@given(samples, samples)
def test_w1_unequal_sizes_agrees_with_the_sorted_formula(a, b):
    # duplicating every point of b leaves its distribution (and W) unchanged but makes the sizes unequal
    if len(a) == len(b):
        expected = np.mean(np.abs(np.sort(a) - np.sort(b)))
        assert wasserstein_1d(a, np.concatenate([b, b])) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert wasserstein_1d(a, np.concatenate([b, b])) == pytest.approx(wasserstein_1d(a, b), rel=1e-9, abs=1e-9)


@given(samples, samples)
def test_w1_matches_scipy(a, b):
    stats = pytest.importorskip("scipy.stats")
    assert wasserstein_1d(a, b) == pytest.approx(stats.wasserstein_distance(a, b), rel=1e-9, abs=1e-9)


def test_w1_rejects_samples_that_are_not_1d():
    with pytest.raises(ValueError, match=r"1-D sample .* got shape \(3, 2\)"):
        wasserstein_1d(np.zeros((3, 2)), np.zeros(3))


# ------------------------------------------------------------------------ tiny models, by hand
def linear_critic(w, b=0.0):
    critic = nn.Linear(len(w), 1).double()
    critic.weight.data = on_default_backend(np.asarray([w], dtype=np.float64))
    critic.bias.data = on_default_backend(np.asarray([b], dtype=np.float64))
    return critic


def wgan(generator, critic, lr_g=0.0, lr_c=0.0, **kwargs):
    return WGAN(generator, critic, optim.SGD(generator.parameters(), lr=lr_g),
                optim.SGD(critic.parameters(), lr=lr_c, maximize=True), latent_dim=2, **kwargs)


def real_batch(m=8, seed=1):
    return minigan.tensor(np.random.default_rng(seed).normal([3.0, 4.0], 1.0, size=(m, 2)))


def test_critic_objective_is_the_estimate_by_hand():
    w, b = np.array([0.3, -0.7]), 0.2
    algorithm = wgan(Shift([1.0, 2.0]), linear_critic(w, b))
    real, fake = real_batch(), real_batch(seed=2)
    estimate = np.mean(real.numpy() @ w + b) - np.mean(fake.numpy() @ w + b)      # WGAN-2
    assert algorithm.critic_objective(real, fake).item() == pytest.approx(estimate)
    stats = algorithm.step(real)
    assert stats["loss_d"] == -stats["wasserstein"]          # the reference code's critic loss is −estimate


def test_discriminator_step_ascends_the_estimate_then_clips_every_critic_weight():
    w = np.array([0.005, -0.004])
    generator, critic = Shift([1.0, 2.0]), linear_critic(w, 0.003)
    algorithm = wgan(generator, critic, lr_c=0.1, clip_value=0.01, n_critic=1, warmup=False)
    real = real_batch()
    minigan.manual_seed(5)
    estimate = algorithm.discriminator_step(real)["wasserstein"]
    minigan.manual_seed(5)
    fake = (minigan.randn(8, 2).double() + generator.theta).numpy()
    assert estimate == pytest.approx(np.mean(real.numpy() @ w) - np.mean(fake @ w))   # before the step
    ascended = w + 0.1 * (real.numpy().mean(0) - fake.mean(0))    # [line 6] w + α ∇_w estimate (SGD here)
    assert np.all(np.abs(ascended) > 0.01)                         # the step left the box ...
    np.testing.assert_allclose(critic.weight.numpy()[0], np.clip(ascended, -0.01, 0.01))   # [line 7] ... clipped back
    assert critic.bias.item() == pytest.approx(0.003)             # ∂estimate/∂b = 0: inside the box, unchanged
    np.testing.assert_array_equal(generator.theta.numpy(), [1.0, 2.0])   # the generator is not clipped


def test_generator_step_descends_minus_mean_f_and_leaves_the_critic_alone():
    w = np.array([0.3, -0.7])
    generator, critic = Shift([1.0, 2.0]), linear_critic(w, 0.1)
    algorithm = wgan(generator, critic, lr_g=0.5)
    loss = algorithm.generator_step(16)["loss_g"]
    # loss = −mean f(z + θ); ∂loss/∂θ = −w, so θ ← θ + η w   [WGAN-4 lines 10-11]
    np.testing.assert_allclose(generator.theta.numpy(), np.array([1.0, 2.0]) + 0.5 * w)
    assert np.isfinite(loss)
    assert all(p.grad is None and p.requires_grad for p in critic.parameters())
    np.testing.assert_array_equal(critic.weight.numpy()[0], w)


def counting(batch):
    """An endless iterator of `batch` that counts how often it was asked."""
    def stream():
        while True:
            stream.count += 1
            yield batch
    stream.count = 0
    return stream


@pytest.mark.parametrize("warmup", [True, False])
def test_critic_iterations_follow_the_reference_schedule(warmup):
    algorithm = wgan(Shift([0.0, 0.0]), linear_critic([0.0, 0.0]), n_critic=3, warmup=warmup)
    counts = []
    for iteration in [0, 24, 25, 499, 500, 501]:
        algorithm.generator_iterations = iteration
        stream = counting(real_batch())
        algorithm.step(stream())
        counts.append(stream.count)
    assert counts == ([100, 100, 3, 3, 100, 3] if warmup else [3] * 6)
    assert algorithm.generator_iterations == 502


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_critic=0), r"n_critic .* must be an integer >= 1, got 0"),
    (dict(clip_value=0.0), r"clip_value .* must be positive, got 0.0"),
    (dict(clip_value=-0.01), r"clip_value .* must be positive, got -0.01"),
    (dict(prior="cauchy"), r"prior must be one of"),
])
def test_bad_wgan_configurations_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        wgan(Shift([0.0, 0.0]), linear_critic([0.0, 0.0]), **kwargs)


def test_bad_wgangp_configurations_are_refused():
    g, c = Shift([0.0, 0.0]), linear_critic([0.0, 0.0])
    with pytest.raises(ValueError, match=r"gp_weight .* must be >= 0, got -1"):
        WGANGP(g, c, optim.Adam(g.parameters()), optim.Adam(c.parameters(), maximize=True), gp_weight=-1, latent_dim=2)
    with pytest.raises(ValueError, match=r"build it with maximize=True"):
        WGAN(g, c, optim.Adam(g.parameters()), optim.RMSProp(c.parameters()), latent_dim=2)


# ------------------------------------------------------------------------- gradient penalty
def test_interpolates_lie_on_the_segments():
    real, fake = real_batch(50), real_batch(50, seed=3)
    minigan.manual_seed(7)
    x_hat = interpolates(real, fake)
    minigan.manual_seed(7)
    eps = minigan.rand(50, 1).numpy()
    np.testing.assert_allclose(x_hat.numpy(), eps * real.numpy() + (1 - eps) * fake.numpy())
    assert x_hat.requires_grad and x_hat.is_leaf and 0 < eps.min() and eps.max() < 1 and eps.std() > 0.2


def test_penalty_of_a_linear_critic_is_its_weight_norm_by_hand():
    w = np.array([0.6, -1.7])
    penalty = gradient_penalty(linear_critic(w, 0.4), interpolates(real_batch(), real_batch(seed=3)))
    assert penalty.item() == pytest.approx((np.linalg.norm(w) - 1) ** 2, rel=1e-9)   # ∇_x f = w everywhere


def test_penalty_uses_one_norm_per_sample():
    # f(x) = ½ a ‖x‖² over images: ∇_x f(x̂_i) = a x̂_i, so the penalty is mean_i (|a| ‖x̂_i‖ − 1)²
    a = 0.3
    x_hat = minigan.tensor(np.random.default_rng(0).normal(size=(5, 1, 3, 3)), requires_grad=True)
    penalty = gradient_penalty(lambda x: 0.5 * a * (x * x).sum(axis=(1, 2, 3)), x_hat)
    norms = a * np.sqrt((x_hat.numpy() ** 2).reshape(5, -1).sum(1))
    assert penalty.item() == pytest.approx(np.mean((norms - 1) ** 2), rel=1e-9)


def test_penalty_gradient_wrt_mlp_weights_by_gradcheck():
    rng = np.random.default_rng(0)
    x_hat = minigan.tensor(rng.normal(size=(6, 3)), requires_grad=True)
    W1, b1 = (minigan.tensor(rng.normal(size=s), requires_grad=True) for s in [(5, 3), (5,)])
    w2 = minigan.tensor(rng.normal(size=(1, 5)), requires_grad=True)
    critic = lambda W1, b1, w2: lambda x: F.linear(F.tanh(F.linear(x, W1, b1)), w2)   # noqa: E731
    assert minigan.gradcheck(lambda W1, b1, w2: gradient_penalty(critic(W1, b1, w2), x_hat), (W1, b1, w2))


def test_penalty_gradient_wrt_conv_weights_by_gradcheck():
    rng = np.random.default_rng(1)
    x_hat = minigan.tensor(rng.normal(size=(3, 2, 5, 5)), requires_grad=True)
    kernel = minigan.tensor(0.5 * rng.normal(size=(3, 2, 3, 3)), requires_grad=True)
    w = minigan.tensor(0.3 * rng.normal(size=(1, 3 * 9)), requires_grad=True)

    def penalty(kernel, w):
        critic = lambda x: F.linear(F.elu(F.conv2d(x, kernel, stride=2, padding=1)).flatten(1), w)  # noqa: E731
        return gradient_penalty(critic, x_hat)
    assert minigan.gradcheck(penalty, (kernel, w))


def test_penalty_matches_torch():
    torch = pytest.importorskip("torch")
    critic = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1)).double()
    x_hat = minigan.tensor(np.random.default_rng(2).normal(size=(7, 3)), requires_grad=True)
    penalty = gradient_penalty(critic, x_hat)
    penalty.backward()
    reference = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()
    reference.load_state_dict({k: torch.tensor(v.numpy()) for k, v in critic.state_dict().items()})
    x = torch.tensor(x_hat.numpy(), requires_grad=True)
    (g,) = torch.autograd.grad(reference(x).sum(), x, create_graph=True)
    expected = ((g.norm(dim=1) - 1) ** 2).mean()
    expected.backward()
    assert penalty.item() == pytest.approx(expected.item(), rel=1e-9)
    for (name, p), q in zip(critic.named_parameters(), reference.parameters()):
        if name == "2.bias":   # ∇_x f does not depend on the last bias: no gradient in either library
            assert p.grad is None and q.grad is None
        else:
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-7, err_msg=name)


# ------------------------------------------------------------------- critics that estimate W
class Fixed(nn.Module):
    """A generator that ignores z and returns the next slice of a fixed sample."""

    def __init__(self, sample):
        super().__init__()
        self.sample = sample

    def forward(self, z):
        return minigan.tensor(self.sample[:z.shape[0]])


def two_gaussians(n=512):
    rng = np.random.default_rng(0)
    return rng.normal(0.0, 1.0, (n, 1)), rng.normal(2.0, 0.5, (n, 1))   # W1 ≈ 2 (means 2 apart)


@pytest.mark.parametrize("gp_weight", [10.0, 100.0])
def test_wgangp_critic_estimates_the_exact_distance(gp_weight):
    real, fake = two_gaussians()
    exact = wasserstein_1d(real, fake)
    assert exact == pytest.approx(2.0, abs=0.15)                      # E|2 − Z/2| ≈ 2 for the two laws
    critic = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1)).double()
    algorithm = WGANGP(Fixed(fake), critic, optim.SGD([minigan.zeros(1, requires_grad=True)], lr=0.0),
                       optim.Adam(critic.parameters(), lr=1e-2, betas=(0.5, 0.9), maximize=True),
                       gp_weight=gp_weight, latent_dim=1)
    estimate = np.mean([algorithm.discriminator_step(minigan.tensor(real))["wasserstein"] for _ in range(300)][-20:])
    # the optimal f here is nearly linear; a soft constraint lets its slope s exceed 1 until the gain
    # s·W stops paying for λ(s − 1)²: s = 1 + W/(2λ). So W ≤ estimate ≈ W (1 + W/(2λ)) → W as λ grows.
    assert 0.98 * exact <= estimate <= 1.03 * exact * (1 + exact / (2 * gp_weight))


def test_clipped_critic_estimate_is_bounded_by_its_lipschitz_constant_times_w():
    real, fake = two_gaussians()
    exact = wasserstein_1d(real, fake)
    critic = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 1)).double()
    algorithm = WGAN(Fixed(fake), critic, optim.SGD([minigan.zeros(1, requires_grad=True)], lr=0.0),
                     optim.RMSProp(critic.parameters(), lr=1e-2, maximize=True), clip_value=0.1, latent_dim=1)
    estimates = [algorithm.discriminator_step(minigan.tensor(real))["wasserstein"] for _ in range(400)]
    assert all(np.abs(p.numpy()).max() <= 0.1 for p in critic.parameters())
    # f is piecewise linear in 1-D: its Lipschitz constant K on the data's range is its steepest slope
    grid = minigan.tensor(np.linspace(min(real.min(), fake.min()), max(real.max(), fake.max()), 4001)[:, None],
                          requires_grad=True)
    (slopes,) = minigan.grad(critic(grid).sum(), grid)
    lipschitz = np.abs(slopes.numpy()).max()
    assert lipschitz <= 32 * 0.1 * 0.1 + 1e-12                      # the bound that clipping guarantees
    estimate = algorithm.critic_objective(minigan.tensor(real), minigan.tensor(fake)).item()
    assert estimate / lipschitz <= exact * (1 + 1e-9)               # duality: no K-Lipschitz f does better than K·W
    assert estimate / lipschitz >= 0.7 * exact                      # and the trained critic gets most of the way
    assert estimates[-1] > 5 * estimates[0]                         # by ascending the estimate


def test_learning_rates_decay_linearly_to_zero():
    """WGAN-GP's reference schedule, η_t = η_0 (1 − t/T), as the recipes build it (optim.schedule.LinearLR)."""
    generator, critic = Shift([0.0, 0.0]), linear_critic([0.0, 0.0])
    opt_g = optim.SGD(generator.parameters(), lr=0.2)
    opt_d = optim.SGD(critic.parameters(), lr=0.4, maximize=True)
    schedules = [optim.schedule.LinearLR(opt, start_factor=1.0, end_factor=0.0, total_iters=4)
                 for opt in (opt_g, opt_d)]
    algorithm = WGAN(generator, critic, opt_g, opt_d, n_critic=1, warmup=False, latent_dim=2, schedules=schedules)
    rates = []
    for _ in range(5):
        rates.append((opt_g.param_groups[0]["lr"], opt_d.param_groups[0]["lr"]))    # the rates step t used
        algorithm.step(real_batch())
    np.testing.assert_allclose(rates, [(0.2, 0.4), (0.15, 0.3), (0.1, 0.2), (0.05, 0.1), (0.0, 0.0)])


# ------------------------------------------------------------------------------ recipes and command line
def test_recipes_use_the_papers_optimizers():
    from minigan.data import images, toy2d
    from minigan.gan import recipes

    data = toy2d.ring(n_samples=100)
    wgan_ = recipes.wgan(images.digits()).algorithm
    assert type(wgan_) is WGAN and isinstance(wgan_.opt_d, optim.RMSProp)
    assert wgan_.opt_d.param_groups[0]["lr"] == 1e-4 and wgan_.opt_d.param_groups[0]["maximize"]
    assert not wgan_.opt_g.param_groups[0]["maximize"] and wgan_.warmup and wgan_.clip_value == 0.01
    gp = recipes.wgan_gp(data, gp_weight=0.5).algorithm
    assert type(gp) is WGANGP and gp.gp_weight == 0.5 and isinstance(gp.opt_g, optim.Adam)
    assert gp.opt_g.param_groups[0]["betas"] == (0.5, 0.9) and gp.opt_g.param_groups[0]["lr"] == 1e-3
    oadam = recipes.wgan_gp(data, optimizer="oadam", steps=100, generator_activation="tanh").algorithm
    assert any(isinstance(m, nn.Tanh) for m in oadam.generator.modules())
    assert isinstance(oadam.opt_d, optim.OptimisticAdam) and oadam.opt_d.param_groups[0]["maximize"]
    assert [s.total_iters for s in oadam.schedules] == [100, 100]           # the linear decay over the run
    assert not any(isinstance(m, nn.BatchNorm1d) for m in oadam.discriminator.modules())


def test_command_line_runs_and_refuses_bad_flags(tmp_path, capsys):
    from minigan.cli import main

    out = str(tmp_path / "run")
    assert main(["train", "wgan", "--data", "ring", "--steps", "3", "--batch-size", "32", "--no-warmup",
                 "--lr-decay", "--out", out, "--quiet", "--sample-every", "3"]) == 0
    rows = open(f"{out}/metrics.csv").read().splitlines()
    assert rows[0].split(",")[:3] == ["step", "wasserstein", "loss_d"]
    for flags, message in [(["wgan", "--n-critic", "0"], "n_critic"), (["wgan", "--clip-value", "0"], "clip_value"),
                           (["wgan-gp", "--gp-weight", "-1"], "gp_weight")]:
        assert main(["train", *flags, "--data", "ring", "--steps", "1", "--out", str(tmp_path / "bad")]) == 2
        assert message in capsys.readouterr().err
