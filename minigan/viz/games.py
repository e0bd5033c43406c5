"""Figures of the GD-vs-OMD part (OPT-GD, OPT-OMD): the paths in the plane with the equilibrium
marked (GD's outward spiral and cycle, OMD's inward spiral), the distance to the equilibrium
against the steps, and the mean game's θ paths with their running means.

    paths = {d: minigan.games.run_bilinear(d) for d in ("gd", "alt-gd", "omd")}
    bilinear_figure(paths, "game.png")
"""
import matplotlib.pyplot as plt
import numpy as np

from minigan.games import MEAN_GAME_V, distance_to_equilibrium, running_mean

LABELS = {"gd": "simultaneous GD", "alt-gd": "alternating GD", "omd": "OMD (optimistic GD)",
          "adam": "Adam", "oadam": "Optimistic Adam"}
COLORS = {"gd": "tab:red", "alt-gd": "tab:orange", "omd": "tab:blue", "adam": "tab:purple", "oadam": "tab:green"}


def _plane(ax, paths, equilibrium, names):
    """The paths in the plane, the start (o) and the equilibrium (*). A path that spirals far out
    leaves the frame, which is sized to the start, so the bounded ones stay readable."""
    equilibrium = np.asarray(equilibrium, dtype=float)
    start_radius = max(np.linalg.norm(path[0] - equilibrium) for path in paths.values())
    radius = 1.5 * max(start_radius, 1e-12)
    for name, path in paths.items():
        escapes = np.abs(path - equilibrium).max() > radius
        label = names(name) + (" (leaves the frame)" if escapes else "")
        ax.plot(path[:, 0], path[:, 1], lw=0.8, color=COLORS.get(name), label=label)
        ax.plot(*path[0], "o", color="black", ms=4)
    ax.plot(*equilibrium, "*", color="gold", mec="black", ms=14, label="equilibrium", zorder=5)
    ax.set_xlim(equilibrium[0] - radius, equilibrium[0] + radius)
    ax.set_ylim(equilibrium[1] - radius, equilibrium[1] + radius)
    ax.set_aspect("equal")
    ax.legend(fontsize=7, loc="upper right")


def _distances(ax, curves):
    """‖z_t − z*‖ against t on a log scale: growth, a plateau, or convergence."""
    for label, color, style, distance in curves:
        ax.semilogy(np.maximum(distance, 1e-300), style, color=color, lw=1, label=label)
    ax.set_xlabel("step t")
    ax.set_ylabel("distance to the equilibrium")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7)


def bilinear_figure(paths, out=None, lr=None):
    """min_x max_y x·y: left, the paths {dynamics: (steps + 1, 2)} in the (x, y) plane with the
    equilibrium (0, 0); right, ‖(x_t, y_t)‖ against t. Writes a PNG to `out` when given; returns the Figure."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5))
    _plane(left, paths, (0.0, 0.0), lambda name: LABELS.get(name, name))
    left.set_xlabel("x (minimizes x·y)")
    left.set_ylabel("y (maximizes x·y)")
    _distances(right, [(LABELS.get(n, n), COLORS.get(n), "-", distance_to_equilibrium(p)) for n, p in paths.items()])
    steps = max(len(p) for p in paths.values()) - 1
    fig.suptitle(f"min_x max_y x·y: {steps} steps" + (f", η = {lr:g}" if lr is not None else ""))
    fig.tight_layout()
    if out is not None:
        fig.savefig(out, dpi=120)
    return fig


def mean_game_figure(results, out=None, lr=None):
    """The optimism paper's toy GAN: left, the generator's θ_t in the plane (solid) and its running
    mean θ̄_t (dashed), with the data mean v = (3, 4) marked; right, ‖θ_t − v‖ and ‖θ̄_t − v‖
    against t. `results`: {dynamics: MeanGamePath}. Writes a PNG to `out` when given; returns the Figure."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5))
    thetas = {name: result.theta for name, result in results.items()}
    _plane(left, thetas, MEAN_GAME_V, lambda name: LABELS.get(name, name) + ": θ_t")
    curves = []
    for name, theta in thetas.items():
        mean = running_mean(theta)
        left.plot(mean[:, 0], mean[:, 1], "--", lw=1, color=COLORS.get(name))
        curves += [(LABELS.get(name, name) + ": θ_t", COLORS.get(name), "-",
                    distance_to_equilibrium(theta, MEAN_GAME_V)),
                   (LABELS.get(name, name) + ": mean θ̄_t", COLORS.get(name), "--",
                    distance_to_equilibrium(mean, MEAN_GAME_V))]
    left.set_xlabel("θ₁")
    left.set_ylabel("θ₂")
    _distances(right, curves)
    right.set_ylabel("‖θ − v‖")
    fig.suptitle("mean game: D(x) = ⟨w, x⟩, G(z) = z + θ, v = (3, 4)" + (f", η = {lr:g}" if lr is not None else ""))
    fig.tight_layout()
    if out is not None:
        fig.savefig(out, dpi=120)
    return fig
