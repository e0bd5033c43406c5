"""The GAN figures: saved as PNG to a path, or returned as a Figure for a notebook; image_grid's tiling."""
import numpy as np
from matplotlib.figure import Figure

from minigan.viz.gan import image_grid, loss_curves, running_median, sample_grid, scatter_2d


def test_image_grid_tiles_images_one_pixel_apart_in_the_unit_interval():
    images = np.stack([np.full((1, 2, 3), v) for v in (-1.0, 0.0, 1.0)])  # three 2×3 images
    grid = image_grid(images, columns=2)
    assert grid.shape == (2 * 2 + 1, 2 * 3 + 1)
    assert np.all(grid[:2, :3] == 0.0) and np.all(grid[:2, 4:] == 0.5) and np.all(grid[3:, :3] == 1.0)
    assert np.all(grid[2, :] == 1.0) and np.all(grid[3:, 4:] == 1.0)  # the gaps and the empty cell are white


def test_figures_are_saved_or_returned(tmp_path):
    rows = [{"step": s, "loss_d": 1.0 / (s + 1), "loss_g": float(s)} for s in range(5)]
    samples, centers = np.random.default_rng(0).normal(size=(50, 2)), np.eye(2)
    for make, args in ((sample_grid, (np.zeros((4, 1, 8, 8)),)), (scatter_2d, (samples, centers)),
                       (loss_curves, (rows,))):
        assert isinstance(make(*args), Figure)
        path = tmp_path / f"{make.__name__}.png"
        assert make(*args, path=str(path)) == str(path)
        assert path.read_bytes().startswith(b"\x89PNG")


def test_running_median_ignores_a_spike_and_shrinks_at_the_ends():
    values = [1.0, 1.0, 100.0, 1.0, 1.0]
    assert running_median(values, width=3).tolist() == [1.0, 1.0, 1.0, 1.0, 1.0]
    assert running_median([3.0, 1.0, 2.0], width=3).tolist() == [2.0, 2.0, 1.5]


def test_wgan_figures_are_returned_without_a_path():
    from minigan.viz.wgan import interpolation_paths_2d, interpolation_strip, wasserstein_curve

    assert isinstance(wasserstein_curve(np.arange(5), np.linspace(1, 0, 5)), Figure)
    assert isinstance(interpolation_strip(np.zeros((2, 5, 1, 8, 8))), Figure)
    assert isinstance(interpolation_paths_2d(np.zeros((2, 5, 2)), np.eye(2)), Figure)
