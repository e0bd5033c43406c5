"""Figures of a GAN run: a grid of image samples, 2-D samples over the real modes, the loss curves.

Each function saves its figure as PNG to `path` and returns the path; with path=None it returns the
matplotlib Figure instead (a notebook shows it inline)."""
import numpy as np
from matplotlib.figure import Figure


def save_or_return(fig, path):
    """Write `fig` as PNG to `path` and return the path; with path=None return the Figure."""
    if path is None:
        return fig
    fig.savefig(path, dpi=100, bbox_inches="tight")
    return path


def image_grid(images, columns=8):
    """N×C×H×W images in [-1, 1] tiled into one H'×W'(×3) array in [0, 1], one pixel apart."""
    images = np.clip((np.asarray(images, dtype=np.float32) + 1) / 2, 0, 1)
    n, c, h, w = images.shape
    rows = -(-n // columns)
    grid = np.ones((rows * (h + 1) - 1, columns * (w + 1) - 1, c), dtype=np.float32)
    for i, image in enumerate(images):
        r, col = divmod(i, columns)
        grid[r * (h + 1):r * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = image.transpose(1, 2, 0)
    return grid[..., 0] if c == 1 else grid


def sample_grid(images, path=None, title=None, columns=8):
    fig = Figure(figsize=(4, 4 * (-(-len(images) // columns)) / columns + 0.3))
    ax = fig.add_subplot()
    grid = image_grid(images, columns)
    ax.imshow(grid, cmap="gray" if grid.ndim == 2 else None, vmin=0, vmax=1)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return save_or_return(fig, path)


def scatter_2d(samples, centers, path=None, title=None):
    """Generated points (blue) over the real modes (red crosses)."""
    fig = Figure(figsize=(4.5, 4.5))
    ax = fig.add_subplot()
    ax.scatter(samples[:, 0], samples[:, 1], s=3, alpha=0.5, label="G(z)")
    ax.scatter(centers[:, 0], centers[:, 1], marker="x", color="red", s=40, label="modes")
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    return save_or_return(fig, path)


def running_median(values, width=101):
    """The median of a centred window of `width` values (shorter at the ends)."""
    values = np.asarray(values, dtype=float)
    half = width // 2
    return np.array([np.median(values[max(0, i - half):i + half + 1]) for i in range(len(values))])


def loss_curves(rows, path=None, width=21):
    """Every logged quantity against the step (thin), with its running median (thick)."""
    keys = [k for k in rows[0] if k != "step"]
    steps = np.array([float(r["step"]) for r in rows])
    fig = Figure(figsize=(4 * len(keys), 3))
    for i, key in enumerate(keys):
        ax = fig.add_subplot(1, len(keys), i + 1)
        values = np.array([float(r[key]) for r in rows])
        ax.plot(steps, values, lw=0.5, alpha=0.5)
        ax.plot(steps, running_median(values, width), lw=2)
        ax.set_title(key)
        ax.set_xlabel("step")
    fig.tight_layout()
    return save_or_return(fig, path)
