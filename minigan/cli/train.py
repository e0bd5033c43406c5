"""`python -m minigan train ALGORITHM --data DATA ...`: train a GAN and write its run folder.

    python -m minigan train gan                          # digits, DCGAN, Algorithm 1, defaults that work
    python -m minigan train gan --data ring --steps 3000
    python -m minigan train wgan-gp --data grid --out runs/grid
    python -m minigan train gan --out runs/digits --resume
"""
import argparse
import importlib
import os

import minigan
from minigan.cli import fail

# algorithm name -> module with add_arguments(parser, name) and from_args(name, args, data)
ALGORITHMS = {"gan": "minigan.gan.gan", "wgan": "minigan.gan.wgan", "wgan-gp": "minigan.gan.wgan",
              "began": "minigan.gan.began"}
DATA_HELP = "ring | grid | digits | mnist=PATH | fashion-mnist=PATH | folder=PATH"


def available_algorithms():
    found = {}
    for name, module in ALGORITHMS.items():
        try:
            found[name] = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
    return found


def load_data(spec, image_size=64):
    """The dataset named on the command line; a bad name or path is a CommandError (exit 2)."""
    from minigan.data import images, toy2d

    name, _, path = spec.partition("=")
    if name in ("ring", "grid", "digits") and not path:
        return toy2d.ring() if name == "ring" else toy2d.grid() if name == "grid" else images.digits()
    loaders = {"mnist": images.mnist, "fashion-mnist": images.fashion_mnist,
               "folder": lambda p: images.image_folder(p, size=image_size)}
    if name not in loaders:
        fail(f"unknown dataset {spec!r}; choose one of: {DATA_HELP}")
    if not path:
        fail(f"--data {name} needs a path: --data {name}=PATH")
    try:
        return loaders[name](path)
    except (FileNotFoundError, ValueError, ImportError) as e:
        fail(str(e))


def add_common_arguments(p):
    p.add_argument("--data", default="digits", help=f"the dataset: {DATA_HELP} (default digits)")
    p.add_argument("--steps", type=int, help="generator iterations (default: per dataset)")
    p.add_argument("--batch-size", type=int, help="m, the minibatch size (default: per dataset)")
    p.add_argument("--lr", type=float, help="learning rate (default: per algorithm and dataset)")
    p.add_argument("--optimizer", choices=["adam", "sgd", "rmsprop", "oadam"], help="default: per algorithm")
    p.add_argument("--latent-dim", type=int, help="size of z (default: per algorithm and dataset)")
    p.add_argument("--prior", choices=["normal", "uniform"], default="normal",
                   help="p_z (GAN-1), normal for every algorithm (the BEGAN paper and class use uniform)")
    p.add_argument("--image-size", type=int, default=64, help="side of the images of --data folder=PATH")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", help="the run folder (default runs/ALGORITHM-DATA)")
    p.add_argument("--backend", choices=["numpy", "cupy"], default=None, help="default: $MINIGAN_BACKEND or numpy")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoint")
    p.add_argument("--sample-every", type=int, default=500)
    p.add_argument("--checkpoint-every", type=int, default=500)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--threads", type=int, default=1,
                   help="BLAS threads (default 1: these small matrix products run fastest on one, and "
                        "several threads on a busy machine are many times slower)")


def add_parser(subparsers):
    p = subparsers.add_parser("train", help="train a GAN (gan, wgan, wgan-gp, began)",
                              description="Train a GAN and write metrics.csv, sample figures, losses.png and "
                                          "checkpoint.npz into the run folder.")
    algorithms = p.add_subparsers(dest="algorithm", metavar="ALGORITHM", required=True)
    for name, module in available_algorithms().items():
        q = algorithms.add_parser(name, help=f"train {name}")
        add_common_arguments(q)
        module.add_arguments(q, name)
        q.set_defaults(func=run)


def fill_defaults(args, data, spec_defaults):
    """Per-dataset defaults for the flags the user left out: the algorithm module's `defaults(data)`
    where it has one, else the models' (minigan.gan.models.for_data)."""
    module = available_algorithms()[args.algorithm]
    own = getattr(module, "defaults", lambda data: {})(data)
    args.steps = own.get("steps", spec_defaults.steps) if args.steps is None else args.steps
    args.batch_size = own.get("batch_size", spec_defaults.batch_size) if args.batch_size is None else args.batch_size
    args.latent_dim = args.latent_dim or own.get("latent_dim", 16 if hasattr(data, "centers") else 64)
    args.out = args.out or os.path.join("runs", f"{args.algorithm}-{args.data.partition('=')[0]}")


def build(args, data):
    """The algorithm for parsed arguments (also used by `sample`, `evaluate`, `interpolate`)."""
    module = available_algorithms()[args.algorithm]
    return module.from_args(args.algorithm, args, data)


def run(args):
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    from minigan.gan.models import for_data
    from minigan.gan.trainer import load_checkpoint

    if args.backend:
        try:
            minigan.backend.use(args.backend)
        except RuntimeError as e:
            fail(str(e))
    if args.resume:
        if not args.out:
            fail("--resume needs the run folder: --out DIR")
        try:
            saved = load_checkpoint(args.out)["config"]
        except FileNotFoundError as e:
            fail(str(e))
        steps = args.steps
        args = argparse.Namespace(**{"threads": 1, **saved, "resume": True, "quiet": args.quiet, "func": run})
        args.steps = args.steps if steps is None else steps
        data = load_data(args.data, args.image_size)
    else:
        data = load_data(args.data, args.image_size)
        fill_defaults(args, data, for_data(data))
    for name in ("steps", "batch_size", "threads"):
        if getattr(args, name) < 1:
            fail(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    minigan.manual_seed(args.seed)
    try:
        algorithm = build(args, data)
    except ValueError as e:
        fail(str(e))
    config = {k: v for k, v in vars(args).items() if k not in ("func", "resume", "quiet")}
    print(f"training {args.algorithm} on {args.data} for {args.steps} steps (batch {args.batch_size}) -> {args.out}")
    with threadpool_limits(args.threads):
        return train_and_report(algorithm, data, args, config)


def train_and_report(algorithm, data, args, config):
    """fit(), then the last logged figures and evaluate's quality figures on 1000 samples."""
    from minigan.cli.evaluate import report
    from minigan.gan.trainer import TrainingDiverged, fit

    try:
        rows = fit(algorithm, data, args.steps, args.out, batch_size=args.batch_size, seed=args.seed,
                   sample_every=args.sample_every, checkpoint_every=args.checkpoint_every, resume=args.resume,
                   config=config, progress=not args.quiet)
    except TrainingDiverged as e:
        print(f"minigan train: stopped: {e}")
        return 1
    if rows:
        print("last logged: " + ", ".join(f"{k} {float(v):.4f}" for k, v in rows[-1].items() if k != "step"))
    return report(args.out, n=1000)
