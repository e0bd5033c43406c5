"""Figures of the GAN variants: EBGAN's energies over training, the Bayesian GAN's generator samples
each in its own colour, ALI's reconstructions beside their inputs and its encoder's map of the plane.

Each function saves its figure as PNG to `path` and returns the path; with path=None it returns the
matplotlib Figure (a notebook shows it inline)."""
import os

import numpy as np
from matplotlib.figure import Figure

from minigan.viz.gan import image_grid, running_median, save_or_return

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
    if hasattr(algorithm, "reconstruct") and data is not None:
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
