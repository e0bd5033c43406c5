"""The 2-D mixtures: PacGAN's mode centres (no duplicated linspace mode), the std, the mode weights."""
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigan.data import toy2d


def test_ring_centres_are_eight_distinct_points_on_the_unit_circle():
    c = toy2d.ring(n_samples=10).centers
    assert c.shape == (8, 2)
    np.testing.assert_allclose(np.hypot(c[:, 0], c[:, 1]), 1.0, atol=1e-15)
    angles = np.mod(np.arctan2(c[:, 1], c[:, 0]), 2 * np.pi)
    np.testing.assert_allclose(np.sort(angles), 2 * np.pi * np.arange(8) / 8, atol=1e-12)
    gaps = np.linalg.norm(c[:, None] - c[None], axis=-1) + np.eye(8) * 9
    np.testing.assert_allclose(gaps.min(), 2 * np.sin(np.pi / 8), rtol=1e-12)  # linspace's bug gives 0


def test_grid_centres_are_the_5x5_grid():
    c = toy2d.grid(n_samples=10).centers
    assert c.shape == (25, 2)
    assert {tuple(p) for p in c} == set(itertools.product([-4.0, -2.0, 0.0, 2.0, 4.0], repeat=2))


@pytest.mark.parametrize("make, std, k", [(toy2d.ring, 0.01, 8), (toy2d.grid, 0.05, 25)])
def test_samples_have_the_mixtures_std_and_equal_mode_weights(make, std, k):
    data = make(n_samples=50_000, seed=3)
    x = data.arrays[0]
    assert x.dtype == np.float32 and x.shape == (50_000, 2) and len(data) == 50_000
    assert data.std == std and data.name in ("ring", "grid")
    d = np.linalg.norm(x[:, None].astype(np.float64) - data.centers[None], axis=-1)
    nearest = d.argmin(1)
    offsets = x - data.centers[nearest]
    np.testing.assert_allclose(offsets.std(0), std, rtol=0.02)
    np.testing.assert_allclose(offsets.mean(0), 0.0, atol=4 * std / np.sqrt(50_000))
    counts = np.bincount(nearest, minlength=k)
    expected = 50_000 / k
    assert np.abs(counts - expected).max() < 5 * np.sqrt(expected)  # multinomial sd ≈ √(N/K)


def test_a_seed_fixes_the_data_and_different_seeds_differ():
    a, b, c = toy2d.ring(1000, seed=1), toy2d.ring(1000, seed=1), toy2d.ring(1000, seed=2)
    np.testing.assert_array_equal(a.arrays[0], b.arrays[0])
    assert not np.array_equal(a.arrays[0], c.arrays[0])


@given(st.sampled_from(["ring", "grid"]), st.integers(1, 300), st.integers(0, 2**32))
def test_fresh_samples_come_from_the_same_mixture(name, n, seed):
    data = toy2d.DATASETS[name](n_samples=4)
    x = toy2d.sample(name, n, np.random.default_rng(seed))
    y = data.sample(n, np.random.default_rng(seed))
    np.testing.assert_array_equal(x, y)
    assert x.dtype == np.float32 and x.shape == (n, 2)
    d = np.linalg.norm(x[:, None].astype(np.float64) - data.centers[None], axis=-1).min(1)
    assert d.max() < 8 * data.std  # P(‖ε‖ > 8σ) = e^-32 per draw


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="unknown 2-D dataset 'moons'"):
        toy2d.sample("moons", 10)
    with pytest.raises(ValueError, match="n_samples"):
        toy2d.ring(n_samples=0)
    with pytest.raises(ValueError, match="std must be positive"):
        toy2d.grid(n_samples=5, std=0.0)
