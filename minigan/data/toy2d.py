"""The 2-D mixtures of Gaussians on which mode collapse is measured (PacGAN's definitions).

    ring: 8 modes at (cos 2πk/8, sin 2πk/8), k = 0, …, 7 (radius 1), std 0.01
    grid: 25 modes at {−4, −2, 0, 2, 4}², std 0.05

p_data(x) = (1/K) Σ_k N(x; c_k, σ² I): pick a mode k uniformly, then add Gaussian noise of std σ.
The K angles are 2πk/K for k = 0, …, K−1 — not ``np.linspace(0, 2π, K)``, which makes 0 and 2π two
"different" modes (K−1 distinct modes, one with double mass: the unrolled-GAN demo's bug).

    data = toy2d.ring()                   # 100,000 points, float32 (N, 2)
    data.centers, data.std                # what minigan.metrics.mode_coverage needs
    fresh = data.sample(2500, rng)        # new draws from the same mixture
"""
import numpy as np

from minigan.creation import generator
from minigan.data.loader import ArrayDataset


def ring_centers(n_modes=8, radius=1.0):
    """c_k = radius · (cos 2πk/K, sin 2πk/K), k = 0, …, K−1: a (K, 2) float64 array."""
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def grid_centers(side=5, spacing=2.0):
    """The side×side grid of points spacing·{−(side−1)/2, …, (side−1)/2}² (PacGAN: {−4,−2,0,2,4}²),
    row by row: a (side², 2) float64 array."""
    ticks = spacing * (np.arange(side) - (side - 1) / 2)
    xs, ys = np.meshgrid(ticks, ticks, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


def sample_mixture(centers, std, n, rng=None, return_modes=False):
    """n draws x = c_k + σ ε with k ~ U{0, …, K−1} and ε ~ N(0, I): a float32 (n, dim) array, and
    with return_modes=True the int64 (n,) array of the k's too. `rng` is a NumPy Generator
    (minigan's own generator when None)."""
    rng = generator() if rng is None else rng
    modes = rng.integers(len(centers), size=n)
    points = (centers[modes] + std * rng.standard_normal((n, centers.shape[1]))).astype(np.float32)
    return (points, modes.astype(np.int64)) if return_modes else points


class Toy2D(ArrayDataset):
    """A mixture-of-Gaussians dataset: one float32 array (N, 2) of draws, with its mixture
    (``.centers`` (K, 2), ``.std``) and ``.name`` for the metrics and the figures; ``.labels`` (N,)
    the mode k each point was drawn from (the condition y of a conditional GAN: minigan.data.labelled)."""

    def __init__(self, name, centers, std, n_samples, seed=0):
        if n_samples < 1:
            raise ValueError(f"n_samples must be at least 1, got {n_samples}")
        if std <= 0:
            raise ValueError(f"the modes' std must be positive, got {std}")
        self.name, self.centers, self.std = name, np.asarray(centers, dtype=np.float64), float(std)
        points, self.labels = sample_mixture(self.centers, self.std, int(n_samples), np.random.default_rng(seed),
                                             return_modes=True)
        self.num_classes = len(self.centers)
        super().__init__(points)

    def sample(self, n, rng=None):
        """n fresh draws from the same mixture (float32 (n, 2)); `rng` as in `sample_mixture`."""
        return sample_mixture(self.centers, self.std, n, rng)

    def __repr__(self):
        return f"Toy2D({self.name!r}, {len(self.centers)} modes, std={self.std}, {len(self)} samples)"


def ring(n_samples=100_000, seed=0, n_modes=8, radius=1.0, std=0.01):
    """PacGAN's ring: 8 modes on the unit circle, std 0.01 (`n_samples` draws with `seed`)."""
    return Toy2D("ring", ring_centers(n_modes, radius), std, n_samples, seed)


def grid(n_samples=100_000, seed=0, side=5, spacing=2.0, std=0.05):
    """PacGAN's grid: 25 modes at {−4, −2, 0, 2, 4}², std 0.05 (`n_samples` draws with `seed`)."""
    return Toy2D("grid", grid_centers(side, spacing), std, n_samples, seed)


DATASETS = {"ring": ring, "grid": grid}
_MIXTURES = {"ring": (ring_centers, 0.01), "grid": (grid_centers, 0.05)}


def sample(name, n, rng=None):
    """n fresh draws from the named mixture ("ring" or "grid") with PacGAN's settings."""
    if name not in _MIXTURES:
        raise ValueError(f"unknown 2-D dataset {name!r}: choose one of {sorted(_MIXTURES)}")
    centers, std = _MIXTURES[name]
    return sample_mixture(centers(), std, n, rng)
