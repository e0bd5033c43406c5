"""The games tab: min_x max_y x·y and the mean game, played by minigan.games with four dynamics side
by side (simultaneous GD [OPT-GD], alternating GD, OMD [OPT-OMD], Optimistic Adam [OPT-OADAM]).

    paths("bilinear", lr=0.1, steps=300)   # {"dynamics": {"gd": {"path": [[x, y], ...], "distance": [...]}, ...}}

The bilinear game's path is (x_t, y_t), its equilibrium (0, 0); the mean game's path is the
generator's θ_t, its equilibrium θ = v = (3, 4), and its distance ‖(θ_t − v, w_t)‖ includes the critic.
"""
import math

import numpy as np

from minigan import games
from minigan.lab.frames import rounded
from minigan.lab.settings import SettingsError

GAMES = ("bilinear", "mean")
DYNAMICS = ("gd", "alt-gd", "omd", "oadam")
TITLES = {"gd": "simultaneous GD [OPT-GD]", "alt-gd": "alternating GD", "omd": "OMD [OPT-OMD]",
          "oadam": "Optimistic Adam [OPT-OADAM]"}
MAX_STEPS = 2000
MAX_LR = 0.5            # GD on x·y grows as (1 + η²)^(t/2): 1e97 after 2000 steps at η = 0.5


def check(game, lr, steps):
    if game not in GAMES:
        raise SettingsError(f"unknown game {game!r}: choose bilinear (min_x max_y x·y) or mean")
    if not (math.isfinite(lr) and 0 < lr <= MAX_LR):
        raise SettingsError(f"η (lr) must be a number in (0, {MAX_LR}], got {lr}")
    if not (isinstance(steps, int) and 1 <= steps <= MAX_STEPS):
        raise SettingsError(f"steps must be a whole number from 1 to {MAX_STEPS}, got {steps!r}")


def paths(game, lr=0.1, steps=300):
    """Each dynamics' path in the plane and its distance to the equilibrium at every step."""
    check(game, lr, steps)
    out = {}
    for dynamics in DYNAMICS:
        if game == "bilinear":
            path = games.run_bilinear(dynamics, steps, lr)
            distance = games.distance_to_equilibrium(path)
        else:
            run = games.run_mean_game(dynamics, steps, lr)
            path = run.theta
            distance = games.distance_to_equilibrium(np.concatenate([run.theta - games.MEAN_GAME_V, run.w], axis=1))
        out[dynamics] = {"title": TITLES[dynamics], "path": rounded(path, None), "distance": rounded(distance, None)}
    equilibrium = [0.0, 0.0] if game == "bilinear" else list(games.MEAN_GAME_V)
    value = "V(x, y) = x·y" if game == "bilinear" else "V(θ, w) = ⟨w, v⟩ − ⟨w, θ⟩,  v = (3, 4)"
    return {"game": game, "lr": lr, "steps": steps, "equilibrium": equilibrium, "value": value,
            "axes": ["x", "y"] if game == "bilinear" else ["θ₁", "θ₂"], "dynamics": out}
