"""Figures of the GAN variants: a conditional model's samples by label (one row per label, or points
coloured by their label), and an encoder's code space (the dataset's codes coloured by class over the
prior's density; the decoder swept over a plane of codes).

Each function saves its figure as PNG to `path` and returns the path; with path=None it returns the
matplotlib Figure (a notebook shows it inline)."""
import numpy as np
from matplotlib.figure import Figure

from minigan.viz.gan import image_grid, save_or_return

PER_LABEL = 8          # images in each label's row


def label_colors(k):
    """K distinct colours (tab10, then tab20)."""
    import matplotlib

    cmap = matplotlib.colormaps["tab10" if k <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(k)]


def label_grid(images, num_classes, path=None, title=None, class_names=None):
    """Images ordered label by label (PER_LABEL each): one row per label, the label at its left."""
    per_label = len(images) // num_classes
    grid = image_grid(images, columns=per_label)
    fig = Figure(figsize=(per_label * 0.5 + 0.6, num_classes * 0.5 + 0.4))
    ax = fig.add_subplot()
    ax.imshow(grid, cmap="gray" if grid.ndim == 2 else None, vmin=0, vmax=1)
    side = images.shape[2] + 1
    ax.set_yticks([side * k + side / 2 - 1 for k in range(num_classes)])
    ax.set_yticklabels([str(c) for c in (class_names or range(num_classes))], fontsize=7)
    ax.set_xticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_ylabel("requested label y")
    if title:
        ax.set_title(title, fontsize=9)
    return save_or_return(fig, path)


def label_scatter(samples, labels, centers, path=None, title=None):
    """2-D samples G(z | y) coloured by their requested label y, the modes numbered in the same colours."""
    colors = label_colors(len(centers))
    fig = Figure(figsize=(4.5, 4.5))
    ax = fig.add_subplot()
    for k, (cx, cy) in enumerate(centers):        # the modes under the samples, numbered in their colour
        ax.scatter([cx], [cy], marker="x", color="0.6", s=30, zorder=1)
        ax.annotate(str(k), (cx, cy), xytext=(5, 5), textcoords="offset points", fontsize=8, color=colors[k])
    ax.scatter(samples[:, 0], samples[:, 1], s=6, alpha=0.7, c=[colors[y] for y in labels], zorder=2)
    ax.set_aspect("equal")
    ax.set_title(title or "G(z | y), coloured by the requested y", fontsize=9)
    return save_or_return(fig, path)


def label_figure(algorithm, data, path=None):
    """The figure of a conditional model: a grid with one row per label (images), or 32 samples of
    every label coloured by it (points)."""
    from minigan.data import Toy2D

    k = algorithm.num_classes
    if isinstance(data, Toy2D):
        labels = np.repeat(np.arange(k), 32)
        return label_scatter(algorithm.sample(len(labels), labels=labels).numpy(), labels, data.centers, path)
    labels = np.repeat(np.arange(k), PER_LABEL)
    return label_grid(algorithm.sample(len(labels), labels=labels).numpy(), k, path,
                      class_names=getattr(data, "class_names", None))


def code_scatter(codes, classes, prior_density=None, path=None, title=None, extent=3.0):
    """The first two coordinates of the codes z = enc(x), coloured by x's class, over the density of
    the prior p(z) (grey shades; its 2-D marginal for larger codes)."""
    fig = Figure(figsize=(5.2, 4.5))
    ax = fig.add_subplot()
    if prior_density is not None:
        ticks = np.linspace(-extent, extent, 200)
        xs, ys = np.meshgrid(ticks, ticks)
        density = prior_density(np.stack([xs.ravel(), ys.ravel()], axis=1)).reshape(xs.shape)
        ax.imshow(density, extent=(-extent, extent, -extent, extent), origin="lower", cmap="Greys", alpha=0.6)
    classes = np.asarray(classes)
    colors = label_colors(int(classes.max()) + 1)
    for c in np.unique(classes):
        chosen = classes == c
        ax.scatter(codes[chosen, 0], codes[chosen, 1], s=4, alpha=0.7, color=colors[c], label=str(c))
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    ax.set_xlabel("z₁")
    ax.set_ylabel("z₂")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, markerscale=3, title="class")
    ax.set_title(title or "enc(x) of the dataset over p(z)", fontsize=9)
    return save_or_return(fig, path)


def code_plane(algorithm, n=15, extent=2.5, labels=None):
    """dec(z) for z on an n×n grid of the plane of the first two code coordinates, from −extent to
    extent (the others 0), row by row from the top (z₂ = extent) down: images (n², C, H, W)."""
    ticks = np.linspace(-extent, extent, n)
    z = np.zeros((n * n, algorithm.latent_dim), dtype=np.float32)
    z[:, 0] = np.tile(ticks, n)
    z[:, 1] = np.repeat(ticks[::-1], n)
    from minigan.creation import tensor

    return algorithm.decode(tensor(z), labels).numpy()


def code_plane_figure(algorithm, path=None, n=15, extent=2.5, labels=None, title=None):
    """The decoder swept over the plane of the first two code coordinates: what each region of the
    code space draws."""
    images = code_plane(algorithm, n, extent, labels)
    fig = Figure(figsize=(5, 5))
    ax = fig.add_subplot()
    grid = image_grid(images, columns=n)
    ax.imshow(grid, cmap="gray" if grid.ndim == 2 else None, vmin=0, vmax=1,
              extent=(-extent, extent, -extent, extent))
    ax.set_xlabel("z₁")
    ax.set_ylabel("z₂")
    ax.set_title(title or f"dec(z) over the code plane [−{extent}, {extent}]²", fontsize=9)
    return save_or_return(fig, path)


def encoder_figures(algorithm, data, out_dir):
    """What `train` draws for a model with an encoder (the adversarial autoencoder, ALI): codes.png,
    the dataset's codes by class over the prior's density, and code_plane.png, the decoder's sweep of
    the code plane. Returns the paths written."""
    import os

    from minigan.gan.aae import AAE_PRIORS, prior_density
    from minigan.gan.base import in_batches

    if not hasattr(data, "images") or algorithm.latent_dim < 2:
        return []
    codes = in_batches(algorithm.encode, data.images)
    classes = data.labels if getattr(data, "labels", None) is not None else np.zeros(len(codes), dtype=int)
    prior = getattr(algorithm, "prior", None)
    density = (lambda z: prior_density(z, prior)) if prior in AAE_PRIORS else None
    extent = 3.0 if prior != "mixture" else 2.5
    labels = np.zeros(15 * 15, dtype=np.int64) if getattr(algorithm, "num_classes", None) else None
    paths = [code_scatter(codes, classes, density, os.path.join(out_dir, "codes.png"), extent=extent),
             code_plane_figure(algorithm, os.path.join(out_dir, "code_plane.png"),
                               extent=2.5 if prior != "mixture" else 2.0, labels=labels,
                               title=None if labels is None else "dec(z | y = 0) over the code plane")]
    return paths
