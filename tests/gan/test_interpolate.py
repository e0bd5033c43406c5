"""Latent interpolation (BEGAN-6): slerp and lerp against their geometry, interpolate() against G on the codes,
invert() against least squares, with Adam at cosine-annealed rates, and with restarts on a non-convex generator,
the figures, and the interpolate command."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigan
from minigan import nn
from minigan.cli import main
from minigan.gan.interpolate import interpolate, interpolation_codes, invert
from minigan.viz.wgan import interpolation_strip, wasserstein_curve

codes = hnp.arrays(np.float64, st.integers(2, 6), elements=st.floats(-3, 3, allow_nan=False))


def angle(u, v):
    return np.arccos(np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1))


@given(codes, st.integers(0, 2**16), st.integers(3, 9))
def test_slerp_walks_the_great_circle_at_constant_speed(z1, seed, n):
    z2 = np.random.default_rng(seed).normal(size=z1.shape)
    z2 *= np.linalg.norm(z1) / np.linalg.norm(z2)                 # two codes on one sphere
    if np.linalg.norm(z1) < 1e-3 or abs(np.cos(angle(z1, z2))) > 0.99:
        return
    path = interpolation_codes(z1, z2, n).numpy()
    np.testing.assert_allclose(path[[0, -1]], [z1, z2], atol=1e-9)              # the two ends
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), np.linalg.norm(z1), rtol=1e-9)   # on the sphere
    steps = [angle(a, b) for a, b in zip(path[:-1], path[1:])]
    np.testing.assert_allclose(steps, angle(z1, z2) / (n - 1), rtol=1e-6, atol=1e-9)   # equal angles
    in_plane = np.linalg.lstsq(np.stack([z1, z2], 1), path.T, rcond=None)[1]
    assert in_plane.size == 0 or np.all(in_plane < 1e-12)                       # in the plane of z₁, z₂


@given(codes, st.integers(0, 2**16))
def test_lerp_is_the_straight_line(z1, seed):
    z2 = np.random.default_rng(seed).normal(size=z1.shape)
    path = interpolation_codes(z1, z2, 5, spherical=False).numpy()
    np.testing.assert_allclose(path, [z1 + t * (z2 - z1) for t in np.linspace(0, 1, 5)], atol=1e-12)


def test_slerp_of_parallel_codes_is_finite():
    z = np.array([1.0, 2.0, -1.0])
    path = interpolation_codes(z, 3 * z, 4).numpy()
    assert np.all(np.isfinite(path))
    np.testing.assert_allclose(path, [z * (1 + 2 * t) for t in np.linspace(0, 1, 4)])


def test_batched_codes_give_one_path_per_row():
    z1, z2 = minigan.randn(3, 4), minigan.randn(3, 4)
    path = interpolation_codes(z1, z2, 6)
    assert path.shape == (3, 6, 4) and path.dtype == np.float32
    np.testing.assert_allclose(path.numpy()[1], interpolation_codes(z1[1], z2[1], 6).numpy(), rtol=1e-6)


def test_bad_codes_are_refused():
    with pytest.raises(ValueError, match=r"same shape"):
        interpolation_codes(np.zeros(3), np.zeros(4), 5)
    with pytest.raises(ValueError, match=r"n >= 2"):
        interpolation_codes(np.ones(3), np.ones(3), 1)


def test_interpolate_is_g_on_the_codes_in_eval_mode():
    generator = nn.Sequential(nn.Linear(4, 12), nn.BatchNorm1d(12), nn.ReLU(), nn.Linear(12, 8),
                              nn.Unflatten(1, (2, 2, 2)))
    generator(minigan.randn(32, 4) * 3 + 1)                      # batch norm's running statistics move
    z1, z2 = minigan.randn(2, 4), minigan.randn(2, 4)
    samples = interpolate(generator, z1, z2, 5)
    assert samples.shape == (2, 5, 2, 2, 2) and generator.training
    generator.eval()
    expected = generator(interpolation_codes(z1, z2, 5).reshape(10, 4)).numpy().reshape(2, 5, 2, 2, 2)
    np.testing.assert_allclose(samples.numpy(), expected, rtol=1e-6)


class LinearGenerator(nn.Module):
    def __init__(self, latent_dim=3, out=10):
        super().__init__()
        self.latent_dim = latent_dim
        self.linear = nn.Linear(latent_dim, out)

    def forward(self, z):
        return self.linear(z)


def test_invert_finds_the_least_squares_code():
    generator = LinearGenerator()
    A, b = generator.linear.weight.numpy().astype(np.float64), generator.linear.bias.numpy().astype(np.float64)
    x = np.random.default_rng(0).normal(size=(7, 10)).astype(np.float32)       # mostly off the range
    before = [p.numpy().copy() for p in generator.parameters()]
    z, fake = invert(generator, x, steps=400, lr=0.1)
    expected = np.linalg.lstsq(A, (x - b).T, rcond=None)[0].T                   # argmin_z ‖Az + b − x‖²
    np.testing.assert_allclose(z.numpy(), expected, atol=2e-3)
    np.testing.assert_allclose(fake.numpy(), expected @ A.T + b, atol=2e-3)
    assert z.dtype == np.float32 and not z.requires_grad and z.shape == (7, 3)
    for p, q in zip(generator.parameters(), before):
        np.testing.assert_array_equal(p.numpy(), q)                              # G untouched
        assert p.requires_grad and p.grad is None


class Cubic(nn.Module):
    """G(z) = z³ − 3z: for x = 3 the loss (G(z) − 3)² has a local minimum at z = −1 (G = 2) that every
    start z₀ < 1 falls into, and its global minimum z* ≈ 2.10 (G = 3) is reached only from z₀ > 1."""

    latent_dim = 1

    def forward(self, z):
        return z ** 3 - 3.0 * z


def test_restarts_escape_local_minima():
    x = np.full((20, 1), 3.0, dtype=np.float32)
    _, single = invert(Cubic(), x, steps=300, lr=0.05, restarts=1)
    z, best = invert(Cubic(), x, steps=300, lr=0.05, restarts=40)
    stuck = np.abs(single.numpy() - 3.0) > 0.5
    assert stuck.sum() >= 10                                     # one start: most land at G = 2
    np.testing.assert_allclose(best.numpy(), 3.0, atol=1e-3)     # the best of 40 starts: all at G = 3
    np.testing.assert_allclose(z.numpy() ** 3 - 3 * z.numpy(), 3.0, atol=1e-3)


class RecordingIdentity(nn.Module):
    """G(z) = z, remembering every z it is called with."""

    latent_dim = 4

    def __init__(self):
        super().__init__()
        self.calls = []

    def forward(self, z):
        self.calls.append(z.numpy().astype(np.float64))
        return z


def test_invert_descends_with_adam_at_cosine_annealed_rates():
    """With G(z) = z the gradient of Σ‖G(z) − x‖² is 2(z − x); the iterates are Adam's (β = (0.9, 0.999),
    ε = 1e-8) with η_t = lr · (1 + cos(π t / steps)) / 2, t = 0 … steps − 1."""
    generator, steps, lr = RecordingIdentity(), 6, 0.1
    x = np.random.default_rng(1).normal(size=(3, 4)).astype(np.float32)
    invert(generator, x, steps=steps, lr=lr)
    z, m, v = generator.calls[0], 0.0, 0.0
    for t in range(steps):
        g = 2 * (z - x)
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        m_hat, v_hat = m / (1 - 0.9 ** (t + 1)), v / (1 - 0.999 ** (t + 1))
        z = z - lr * (1 + np.cos(np.pi * t / steps)) / 2 * m_hat / (np.sqrt(v_hat) + 1e-8)
        np.testing.assert_allclose(generator.calls[t + 1], z, rtol=1e-5, atol=1e-6)


def test_invert_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"restarts >= 1"):
        invert(LinearGenerator(), np.zeros((2, 10)), steps=10, lr=0.1, restarts=0)


# ---------------------------------------------------------------------------- figures and CLI
def test_figures_are_written(tmp_path):
    import matplotlib.image

    strip = interpolation_strip(np.zeros((3, 6, 1, 8, 8)), tmp_path / "strip.png", ends=np.ones((3, 2, 1, 8, 8)))
    assert matplotlib.image.imread(strip).shape[0] > 3 * 8
    with pytest.raises(ValueError, match=r"ends must have shape \(3, 2, 1, 8, 8\)"):
        interpolation_strip(np.zeros((3, 6, 1, 8, 8)), tmp_path / "x.png", ends=np.ones((3, 1, 8, 8)))
    curve = wasserstein_curve(np.arange(300), np.random.default_rng(0).normal(size=300), tmp_path / "w.png")
    assert matplotlib.image.imread(curve).ndim == 3


def test_interpolate_command(tmp_path, capsys):
    run = str(tmp_path / "wgan")
    assert main(["train", "wgan-gp", "--steps", "2", "--batch-size", "16", "--latent-dim", "4", "--n-critic", "1",
                 "--out", run, "--quiet", "--sample-every", "2"]) == 0
    out = tmp_path / "strip.png"
    assert main(["interpolate", run, "--out", str(out), "--n", "5", "--rows", "2"]) == 0
    assert out.is_file()
    real = tmp_path / "real.png"
    assert main(["interpolate", run, "--out", str(real), "--real", "--steps", "5", "--restarts", "1"]) == 0
    assert real.is_file() and "inverted" not in capsys.readouterr().err
    assert main(["interpolate", run, "--n", "1"]) == 2
    assert "--n must be at least 2" in capsys.readouterr().err
