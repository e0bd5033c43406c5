"""`python -m minigan lab`: the GAN lab, the lecture's GANs trained live in the browser by minigan.

    python -m minigan lab                          # serves http://127.0.0.1:8765/ until Ctrl-C
    python -m minigan lab --port 9000 --open       # another port, and open the browser
    python -m minigan lab --export ring.html --data ring --algorithm wgan-gp --steps 2000

--export writes, without a browser, the page's Export: one self-contained HTML file that replays the
training (a frame every --every iterations, about 100 frames by default), playable offline.
"""
import math
import os

from minigan.cli import fail

DATASETS = ("ring", "grid")
ALGORITHMS = ("gan", "wgan", "wgan-gp", "cgan")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam", "oadam", "omd")


def add_parser(subparsers):
    p = subparsers.add_parser("lab", help="the GAN lab: train GANs live in the browser (or --export a replay)",
                              description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1", help="the address to serve on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8765, help="the port (default 8765; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the page in the default browser")
    p.add_argument("--export", metavar="FILE", help="train without a browser and write the replay to FILE (.html)")
    p.add_argument("--data", default="ring", help="with --export: ring or grid (default ring)")
    p.add_argument("--algorithm", default="gan",
                   help="with --export: gan, wgan, wgan-gp, cgan, ebgan or bayesian-gan (default gan)")
    p.add_argument("--steps", type=int, default=2000,
                   help="with --export: iterations to train, the run length the recipe's learning-rate schedule "
                        "is planned for (default 2000)")
    p.add_argument("--every", type=int, default=None, help="with --export: a frame every N iterations "
                                                           "(default steps / 100)")
    p.add_argument("--optimizer", default=None,
                   help=f"with --export: one of {', '.join(OPTIMIZERS)} (default: the recipe's)")
    p.add_argument("--lr", type=float, default=None, help="with --export: G's learning rate (default: the recipe's)")
    p.add_argument("--lr-d", type=float, default=None, help="with --export: D's learning rate (default: the recipe's)")
    p.add_argument("--batch-size", type=int, default=None, help="with --export: m (default: the recipe's)")
    p.add_argument("--latent-dim", type=int, default=None, help="with --export: z's size (default: the recipe's)")
    p.add_argument("--seed", type=int, default=0, help="with --export: the seed (default 0)")
    p.set_defaults(func=run)


def check_args(args):
    if not 0 <= args.port <= 65535:
        fail(f"--port must be from 0 to 65535, got {args.port}")
    if args.export is None:
        return
    if not args.export.lower().endswith((".html", ".htm")):
        fail(f"--export names an HTML file, got {args.export!r}")
    if args.data not in DATASETS:
        fail(f"unknown --data {args.data!r}: choose ring or grid (draw your own in the page)")
    if args.algorithm not in ALGORITHMS:
        fail(f"unknown --algorithm {args.algorithm!r}: choose one of {', '.join(ALGORITHMS)}")
    if args.steps < 1:
        fail(f"--steps must be at least 1, got {args.steps}")
    for name in ("lr", "lr_d"):
        value = getattr(args, name)
        if value is not None and not (math.isfinite(value) and value > 0):
            fail(f"--{name.replace('_', '-')} must be a finite number > 0, got {value}")


def config_of(args):
    config = {"data": args.data, "algorithm": args.algorithm, "seed": args.seed, "steps": args.steps}
    for name in ("optimizer", "lr", "lr_d", "batch_size", "latent_dim"):
        if getattr(args, name) is not None:
            config[name] = getattr(args, name)
    return config


def run(args):
    check_args(args)
    if args.export is not None:
        return export(args)
    from minigan.lab.server import serve

    try:
        serve(args.host, args.port, open_browser=args.open, announce=lambda line: print(line, flush=True))
    except OSError as e:
        fail(f"cannot serve on {args.host}:{args.port} ({e.strerror or e}): choose another --port (0 picks a free one)")
    except KeyboardInterrupt:
        print("minigan lab: stopped", flush=True)


def export(args):
    from minigan.lab import export as exporter
    from minigan.lab.settings import SettingsError

    if os.path.dirname(args.export):
        os.makedirs(os.path.dirname(args.export), exist_ok=True)
    print(f"training {args.algorithm} on {args.data} for {args.steps} iterations ...", flush=True)
    try:
        frames = exporter.write(args.export, config_of(args), args.steps, args.every)
    except (SettingsError, ValueError) as e:
        fail(str(e))
    size = os.path.getsize(args.export)
    print(f"wrote {args.export}: {frames} frames, {size / 1e6:.1f} MB; open it in a browser to replay (offline)")
