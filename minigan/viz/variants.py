"""Figures of the GAN variants: a conditional model's samples by label (one row per label, or points
coloured by their label); the adversarial autoencoder's code space (the dataset's codes coloured by
class over the prior's density; the decoder swept over a plane of codes); EBGAN's energies over
training, the Bayesian GAN's generator samples each in its own colour, ALI's reconstructions beside
their inputs and its encoder's map of the plane.

Each function saves its figure as PNG to `path` and returns the path; with path=None it returns the
matplotlib Figure (a notebook shows it inline)."""
import os

import numpy as np
from matplotlib.figure import Figure

from minigan.viz.gan import image_grid, running_median, save_or_return

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
    """What `train` draws for a model with an encoder and a decoder (the adversarial autoencoder): codes.png,
    the dataset's codes by class over the prior's density, and code_plane.png, the decoder's sweep of
    the code plane. Returns the paths written."""
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


MEMBER_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:pink", "tab:olive",
                  "tab:cyan", "tab:gray", "gold")


def member_colour(i):
    return MEMBER_COLOURS[i % len(MEMBER_COLOURS)]


def energy_curves(rows, margin, path=None, width=21):
    """EBGAN [VAR-EBGAN-1]: the mean energy D(x) of the real batches and D(G(z)) of the fakes against
    the step (running medians over the logged values), the margin m as a line, and L_D, which the
    paper's equilibrium sends to m."""
    steps = np.array([float(r["step"]) for r in rows])
    fig = Figure(figsize=(6, 3.5))
    ax = fig.add_subplot()
    for key, label, colour in (("D(x)", "D(x), real", "tab:blue"), ("D(G(z))", "D(G(z)), generated", "tab:red"),
                               ("loss_d", "L_D", "tab:gray")):
        values = np.array([float(r[key]) for r in rows])
        ax.plot(steps, values, lw=0.4, alpha=0.35, color=colour)
        ax.plot(steps, running_median(values, width), lw=2, color=colour, label=label)
    ax.axhline(margin, color="black", ls="--", lw=1, label=f"margin m = {margin:g}")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("energy")
    ax.set_title("EBGAN: the energy of real and generated samples")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return save_or_return(fig, path)


def members_scatter(parts, centers, path=None, title=None):
    """The Bayesian GAN [VAR-BAYES-1]: the samples of each generator sample (a list of (n_i, 2) arrays)
    in its own colour, over the real modes (black crosses)."""
    fig = Figure(figsize=(4.8, 4.8))
    ax = fig.add_subplot()
    for i, part in enumerate(parts):
        part = np.asarray(part)
        ax.scatter(part[:, 0], part[:, 1], s=3, alpha=0.6, color=member_colour(i), label=f"θ_g^{i + 1}")
    ax.scatter(centers[:, 0], centers[:, 1], marker="x", color="black", s=30, label="modes")
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=7, markerscale=3)
    ax.set_title(title or f"{len(parts)} generator samples, each in its colour")
    return save_or_return(fig, path)


def reconstruction_pairs(inputs, reconstructions, path=None, title=None, columns=8):
    """ALI [VAR-ALI]: real images (odd rows) above their reconstructions G(E(x)) (even rows)."""
    inputs, reconstructions = np.asarray(inputs), np.asarray(reconstructions)
    rows = []
    for start in range(0, len(inputs), columns):
        rows += [inputs[start:start + columns], reconstructions[start:start + columns]]
    fig = Figure(figsize=(4, 4 * len(rows) / columns + 0.4))
    ax = fig.add_subplot()
    ax.imshow(image_grid(np.concatenate(rows), columns), cmap="gray", vmin=0, vmax=1)
    ax.axis("off")
    ax.set_title(title or "x (rows 1, 3, ...) and G(E(x)) below it")
    return save_or_return(fig, path)


def encoder_map(points, codes, centers=None, path=None, title=None):
    """ALI on 2-D data [VAR-ALI]: the plane coloured by E(x) — the first code coordinate as hue, the
    second as brightness — with the real modes; points (n, 2), codes (n, ≥ 1)."""
    points, codes = np.asarray(points), np.asarray(codes)
    fig = Figure(figsize=(8.5, 4))
    for k in range(min(2, codes.shape[1])):
        ax = fig.add_subplot(1, 2, k + 1)
        drawn = ax.scatter(points[:, 0], points[:, 1], c=codes[:, k], s=6, cmap="coolwarm" if k == 0 else "viridis")
        fig.colorbar(drawn, ax=ax, shrink=0.8)
        if centers is not None:
            ax.scatter(centers[:, 0], centers[:, 1], marker="x", color="black", s=25)
        ax.set_aspect("equal")
        ax.set_title(f"E(x), code coordinate {k + 1}")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return save_or_return(fig, path)


def run_figures(algorithm, rows, out_dir, data=None):
    """The variants' own figures in a run folder at the end of `fit`: EBGAN's energies.png; ALI's
    encoder.png (E's map of the plane, 2-D data) or reconstructions.png (images). (The Bayesian GAN's
    colours are in its samples_*.png.) Returns the paths written."""
    import minigan

    written = []
    if hasattr(algorithm, "margin") and rows and "D(G(z))" in rows[0]:
        written.append(energy_curves(rows, algorithm.margin, os.path.join(out_dir, "energies.png")))
    if hasattr(algorithm, "reconstruct") and not hasattr(algorithm, "decode") and data is not None:  # ALI
        real = np.asarray(data.arrays[0])
        if real.ndim == 2:                                                  # points: E's map of the plane
            real = real[:3000]
            codes = algorithm.encode(minigan.tensor(real)).numpy()
            written.append(encoder_map(real, codes, data.centers, os.path.join(out_dir, "encoder.png")))
        else:                                                               # images: x above G(E(x))
            real = real[:32]
            rebuilt = algorithm.reconstruct(minigan.tensor(real)).numpy()
            written.append(reconstruction_pairs(real, rebuilt, os.path.join(out_dir, "reconstructions.png")))
    return written
