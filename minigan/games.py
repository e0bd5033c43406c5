"""Why GAN training cycles, on the smallest games that show it: gradient descent against optimistic
mirror descent (OPT-GD vs OPT-OMD), played by minigan's own optimizers.

Two zero-sum games min_(minimizer) max_(maximizer) V, both with their equilibrium at the origin of
the bilinear form:

    bilinear     V(x, y) = x·y                                           equilibrium (x, y) = (0, 0)
    mean game    V(θ, w) = E_x D(x) − E_z D(G(z)) = ⟨w, v⟩ − ⟨w, θ⟩         equilibrium θ = v, w = 0
                 (the optimism paper's toy GAN: x ~ N(v, I), v = (3, 4), critic D(x) = ⟨w, x⟩,
                 generator G(z) = z + θ with z ~ N(0, I); expected gradients ∇_w = v − θ, ∇_θ = −w)

The minimizer descends on V and the maximizer ascends (an optimizer with maximize=True). Dynamics:

    "gd"      [OPT-GD]  simultaneous: both players step from the same point; spirals out on x·y
              (‖z_{t+1}‖ = √(1 + η²) ‖z_t‖) and orbits on the mean game
    "alt-gd"  alternating: the minimizer steps, then the maximizer answers at the new point; a
              bounded cycle
    "omd"     [OPT-OMD] optimistic mirror descent: converges in the last iterate
    "adam"    [OPT-ADAM], "oadam" [OPT-OADAM]: the same, preconditioned by Adam's moments
"""
from typing import NamedTuple

import numpy as np

from minigan import backend, optim
from minigan.autograd import Tensor, no_grad

DYNAMICS = ("gd", "alt-gd", "omd", "adam", "oadam")
MEAN_GAME_V = (3.0, 4.0)        # the data mean v of the optimism paper's toy
MEAN_GAME_W0 = 1.4              # w_0 = 1.4 · 1
MEAN_GAME_THETA0 = 1.7          # θ_0 = 1.7 · 1


def check_dynamics(dynamics):
    if dynamics not in DYNAMICS:
        raise ValueError(f"unknown dynamics {dynamics!r}: choose one of {', '.join(DYNAMICS)}")


def make_optimizers(dynamics, minimizer, maximizer, lr, first_step="double"):
    """The two players' optimizers, one per player: the minimizer descends, the maximizer ascends
    (maximize=True, the slides' w ← w + η∇w). first_step is the optimistic methods' convention."""
    check_dynamics(dynamics)
    optimizer, options = {
        "gd": (optim.SGD, {}), "alt-gd": (optim.SGD, {}), "adam": (optim.Adam, {}),
        "omd": (optim.OptimisticSGD, {"first_step": first_step}),
        "oadam": (optim.OptimisticAdam, {"first_step": first_step}),
    }[dynamics]
    return optimizer([minimizer], lr=lr, **options), optimizer([maximizer], lr=lr, maximize=True, **options)


def _step(opt, value, players):
    """Gradients of V at the current point for every player, then one step of `opt`."""
    for p in players:
        p.grad = None
    value().backward()
    opt.step()


def play(value, minimizer, maximizer, dynamics, steps, lr, clip=None, first_step="double"):
    """Play min_minimizer max_maximizer value() for `steps` rounds; returns the two paths as NumPy
    arrays (steps + 1, *shape), the start included.

    Simultaneous dynamics compute both gradients at (x_t, y_t) and then step both players;
    "alt-gd" steps the minimizer first and the maximizer at (x_{t+1}, y_t). clip = c keeps the
    maximizer (the critic) in [−c, c] after each step, as WGAN's weight clipping (WGAN-4 line 7)."""
    if not (isinstance(steps, (int, np.integer)) and steps >= 0):
        raise ValueError(f"steps must be an integer >= 0, got steps={steps!r}")
    if clip is not None and not clip > 0:
        raise ValueError(f"clip must be None or a number > 0, got clip={clip!r}")
    opt_min, opt_max = make_optimizers(dynamics, minimizer, maximizer, lr, first_step)
    players = (minimizer, maximizer)
    paths = [[backend.to_numpy(p.data).copy()] for p in players]
    for _ in range(steps):
        if dynamics == "alt-gd":
            _step(opt_min, value, players)                  # x_{t+1} = x_t − η ∇_x V(x_t, y_t)
            _step(opt_max, value, players)                  # y_{t+1} = y_t + η ∇_y V(x_{t+1}, y_t)
        else:
            for p in players:
                p.grad = None
            value().backward()                              # ∇ at (x_t, y_t) for both players
            opt_min.step()
            opt_max.step()
        if clip is not None:
            with no_grad():
                xp = backend.get_array_module(maximizer.data)
                xp.clip(maximizer.data, -clip, clip, out=maximizer.data)   # [WGAN-4 line 7] w ← clip(w, −c, c)
        for path, p in zip(paths, players):
            path.append(backend.to_numpy(p.data).copy())
    return tuple(np.array(path) for path in paths)


def run_bilinear(dynamics, steps=1000, lr=0.1, start=(1.0, 1.0), first_step="double"):
    """min_x max_y x·y from (x_0, y_0) = start: returns the path, an array (steps + 1, 2) of (x_t, y_t).

    Gradients ∇_x = y, ∇_y = x. With η = 0.1 from (1, 1), after 1000 steps ‖(x, y)‖ = √2 (1.01)^500
    ≈ 204.7 for "gd", ≈ 1.40 for "alt-gd", ≈ 0.009 for "omd" (FORMULAS.md, OPT-GD and OPT-OMD)."""
    if len(start) != 2:
        raise ValueError(f"start is the point (x_0, y_0), got {start!r}")
    x = Tensor(np.array(float(start[0])), requires_grad=True)
    y = Tensor(np.array(float(start[1])), requires_grad=True)
    xs, ys = play(lambda: x * y, x, y, dynamics, steps, lr, first_step=first_step)
    return np.stack([xs, ys], axis=1)


class MeanGamePath(NamedTuple):
    """The paths of the mean game: theta (steps + 1, 2), the generator's θ_t; w (steps + 1, 2), the critic's w_t."""
    theta: np.ndarray
    w: np.ndarray


def run_mean_game(dynamics, steps=1000, lr=0.1, clip=None, first_step="double"):
    """The optimism paper's toy GAN with expected gradients (see the module docstring): returns
    MeanGamePath(theta, w) from θ_0 = 1.7·1, w_0 = 1.4·1. clip = c clips the critic to [−c, c].

    The authors' notebook (T = 1000 iterates, η = 0.1) is run_mean_game("gd", 999, clip=1.0): last
    θ = [3.48000545, 5.07760794], mean θ = [3.01224287, 3.98588748], the orbit of a limit cycle; and
    run_mean_game("omd", 998, first_step="single"): last θ = [2.99125639, 3.98489638], converging
    (its history starts with θ_0 twice, so its first OMD step is a plain GD step)."""
    v = Tensor(np.array(MEAN_GAME_V))
    theta = Tensor(np.full(2, MEAN_GAME_THETA0), requires_grad=True)
    w = Tensor(np.full(2, MEAN_GAME_W0), requires_grad=True)

    def value():
        real = (w * v).sum()          # E_x D(x) = ⟨w, E x⟩ = ⟨w, v⟩
        fake = (w * theta).sum()      # E_z D(G(z)) = ⟨w, E z + θ⟩ = ⟨w, θ⟩
        return real - fake            # V(θ, w): the critic ascends on it, the generator descends

    thetas, ws = play(value, theta, w, dynamics, steps, lr, clip=clip, first_step=first_step)
    return MeanGamePath(thetas, ws)


def distance_to_equilibrium(path, equilibrium=0.0):
    """‖z_t − z*‖ for every row of a path (steps + 1, d), z* = `equilibrium` (the origin by default):
    the curve of the second figure."""
    return np.linalg.norm(np.asarray(path) - np.asarray(equilibrium), axis=-1)


def running_mean(path):
    """z̄_t = (1/(t + 1)) Σ_{s ≤ t} z_s: the average iterate, which converges even when GD cycles."""
    path = np.asarray(path, dtype=np.float64)
    return np.cumsum(path, axis=0) / np.arange(1, len(path) + 1).reshape(-1, *([1] * (path.ndim - 1)))
