"""Figures of the WGAN and BEGAN lectures: the Wasserstein estimate as a learning curve, and
interpolation strips (BEGAN-6)."""
import numpy as np
from matplotlib.figure import Figure

from minigan.viz.gan import image_grid, running_median, save_or_return

MEDIAN_WIDTH = 101  # the median filter of the WassersteinGAN README's curves


def wasserstein_curve(steps, estimates, path=None, width=MEDIAN_WIDTH, title="Wasserstein estimate"):
    """[WGAN-2] The estimate mean f(x) − mean f(G(z)) (= −critic loss) against the generator
    iteration: raw values (thin) and their running median of `width` values (thick), the
    "meaningful learning curve" of WGAN. Saves a PNG to `path` and returns it (the Figure when path is None)."""
    steps, estimates = np.asarray(steps, dtype=float), np.asarray(estimates, dtype=float)
    if steps.shape != estimates.shape or steps.ndim != 1 or len(steps) == 0:
        raise ValueError(f"steps and estimates must be 1-D of the same non-zero length, got shapes "
                         f"{steps.shape} and {estimates.shape}")
    fig = Figure(figsize=(5, 3.2))
    ax = fig.add_subplot()
    ax.plot(steps, estimates, lw=0.5, alpha=0.4, color="tab:blue", label="−critic loss")
    ax.plot(steps, running_median(estimates, width), lw=2, color="tab:blue", label=f"running median ({width})")
    ax.set_xlabel("generator iterations")
    ax.set_ylabel("W estimate")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return save_or_return(fig, path)


def interpolation_strip(images, path=None, ends=None, title=None):
    """[BEGAN-6] One row per interpolation: images (rows, n, C, H, W) in [−1, 1], left to right from
    z₁ to z₂. `ends` (rows, 2, C, H, W), e.g. the real images that were inverted, frames each row
    (the first at its left, the second at its right). Saves a PNG to `path` and returns it (the
    Figure when path is None)."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 4:
        images = images[None]
    if images.ndim != 5:
        raise ValueError(f"images must be (rows, n, C, H, W) or (n, C, H, W), got shape {images.shape}")
    if ends is not None:
        ends = np.asarray(ends, dtype=np.float32)
        if ends.shape != (images.shape[0], 2) + images.shape[2:]:
            raise ValueError(f"ends must have shape {(images.shape[0], 2) + images.shape[2:]}, got {ends.shape}")
        images = np.concatenate([ends[:, :1], images, ends[:, 1:]], axis=1)
    rows, columns = images.shape[:2]
    grid = image_grid(images.reshape(rows * columns, *images.shape[2:]), columns=columns)
    fig = Figure(figsize=(0.6 * columns, 0.6 * rows + (0.3 if title else 0)))
    ax = fig.add_subplot()
    ax.imshow(grid, cmap="gray" if grid.ndim == 2 else None, vmin=0, vmax=1, interpolation="nearest")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=9)
    return save_or_return(fig, path)


def interpolation_paths_2d(paths, centers, path=None, title=None):
    """[BEGAN-6] For 2-D data: each path G(z_t) (rows, n, 2) drawn as a line of dots over the modes."""
    paths = np.asarray(paths, dtype=float)
    fig = Figure(figsize=(4.5, 4.5))
    ax = fig.add_subplot()
    for row in paths.reshape(-1, paths.shape[-2], 2):
        ax.plot(row[:, 0], row[:, 1], "-o", ms=3, lw=0.8, alpha=0.8)
    ax.scatter(centers[:, 0], centers[:, 1], marker="x", color="red", s=40, label="modes")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return save_or_return(fig, path)
