"""`python -m minigan game`: gradient descent against optimistic mirror descent on a small game.

    python -m minigan game --dynamics omd --steps 1000 --lr 0.1 --out game.png
    python -m minigan game --dynamics all                       # the five dynamics overlaid
    python -m minigan game --game mean --dynamics gd,omd --clip 1.0

Prints the final distance to the equilibrium for each dynamics and writes the figure: the paths in
the plane with the equilibrium marked, and the distance to it against the steps (minigan.viz.games).
"""
import math
import os

import numpy as np

from minigan.cli import fail

GAMES = ("bilinear", "mean")
DYNAMICS = ("gd", "alt-gd", "omd", "adam", "oadam")   # minigan.games.DYNAMICS, without importing it here


def add_parser(subparsers):
    p = subparsers.add_parser("game", help="GD vs optimistic mirror descent on min_x max_y x·y (or the mean game)",
                              description=__doc__.splitlines()[0])
    p.add_argument("--dynamics", default="all",
                   help=f"one of {', '.join(DYNAMICS)}, a comma-separated list, or all (default all)")
    p.add_argument("--game", default="bilinear",
                   help="bilinear: min_x max_y x·y from (1, 1); mean: the optimism paper's toy GAN (default bilinear)")
    p.add_argument("--steps", type=int, default=1000, help="number of steps (default 1000)")
    p.add_argument("--lr", type=float, default=0.1, help="the learning rate η of both players (default 0.1)")
    p.add_argument("--clip", type=float, default=None, help="mean game: clip the critic w to [−c, c] (default none)")
    p.add_argument("--first-step", default="double",
                   help="the optimistic methods' look-back at t = 1: double (zero, default) "
                        "or single (the current gradient)")
    p.add_argument("--out", default="game.png", help="the figure, a PNG (default game.png)")
    p.set_defaults(func=run)


def parse_dynamics(text):
    names = list(DYNAMICS) if text == "all" else [name.strip() for name in text.split(",")]
    unknown = [name for name in names if name not in DYNAMICS]
    if unknown or not names:
        fail(f"unknown dynamics {', '.join(map(repr, unknown or [text]))}: choose from {', '.join(DYNAMICS)} or all")
    return list(dict.fromkeys(names))


def check_args(args):
    """Bad values exit with code 2 and one line saying what to do."""
    if args.game not in GAMES:
        fail(f"unknown game {args.game!r}: choose bilinear or mean")
    if not (math.isfinite(args.lr) and args.lr >= 0):
        fail(f"--lr must be a finite number >= 0, got {args.lr}")
    if args.steps < 0:
        fail(f"--steps must be >= 0, got {args.steps}")
    if args.clip is not None and not (math.isfinite(args.clip) and args.clip > 0):
        fail(f"--clip must be a number > 0, got {args.clip}")
    if args.clip is not None and args.game != "mean":
        fail("--clip clips the critic of the mean game: add --game mean, or leave --clip out")
    if args.first_step not in ("double", "single"):
        fail(f"--first-step must be double or single, got {args.first_step!r}")
    if not args.out.lower().endswith(".png"):
        fail(f"--out names a PNG file, got {args.out!r}")


def run(args):
    names = parse_dynamics(args.dynamics)
    check_args(args)
    from minigan import games
    from minigan.viz.games import bilinear_figure, mean_game_figure

    if args.game == "bilinear":
        print(f"min_x max_y x·y from (1, 1), η = {args.lr:g}, {args.steps} steps: distance to the equilibrium (0, 0)")
        results = {d: games.run_bilinear(d, args.steps, args.lr, first_step=args.first_step) for d in names}
        for name, path in results.items():
            print(f"  {name:7s} ‖(x, y)‖ = {games.distance_to_equilibrium(path)[-1]:.6g}")
        figure = bilinear_figure
    else:
        print(f"mean game, v = (3, 4), η = {args.lr:g}, {args.steps} steps"
              + (f", w clipped to [−{args.clip:g}, {args.clip:g}]" if args.clip else "")
              + ": distance of (θ, w) to the equilibrium (v, 0)")
        results = {d: games.run_mean_game(d, args.steps, args.lr, clip=args.clip, first_step=args.first_step)
                   for d in names}
        for name, path in results.items():
            joint = np.concatenate([path.theta - games.MEAN_GAME_V, path.w], axis=1)
            print(f"  {name:7s} ‖(θ − v, w)‖ = {games.distance_to_equilibrium(joint)[-1]:.6g}   "
                  f"last θ = {np.array2string(path.theta[-1], precision=4)}   "
                  f"mean θ = {np.array2string(path.theta.mean(axis=0), precision=4)}")
        figure = mean_game_figure
    if os.path.dirname(args.out):
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
    figure(results, args.out, lr=args.lr)
    print(f"figure: {args.out}")
