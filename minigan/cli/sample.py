"""`python -m minigan sample DIR --n N --out FILE.npy`: samples from a trained run's generator, in the
data's own space (2-D points; images N×C×H×W in [0, 1])."""
import argparse

import numpy as np

from minigan.cli import fail


def add_parser(subparsers):
    p = subparsers.add_parser("sample", help="draw samples from a trained run")
    p.add_argument("run", metavar="DIR", help="the run folder written by `train`")
    p.add_argument("--n", type=int, default=64, help="how many samples")
    p.add_argument("--out", default="samples.npy", help="the .npy file to write")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def restore(run_dir):
    """(algorithm, data, config) of a run folder, with the trained weights loaded."""
    from minigan.cli.train import build, load_data
    from minigan.gan.trainer import load_checkpoint

    try:
        checkpoint = load_checkpoint(run_dir)
    except (FileNotFoundError, ValueError) as e:
        fail(str(e))
    config = checkpoint["config"]
    data = load_data(config["data"], config.get("image_size", 64))
    algorithm = build(argparse.Namespace(**config), data)
    algorithm.load_state_dict(checkpoint["algorithm"])
    return algorithm, data, config


def draw(algorithm, data, n):
    """n samples as a NumPy array in the data's space: images rescaled from [-1, 1] to [0, 1]."""
    samples = algorithm.sample(n).numpy()
    return samples if hasattr(data, "centers") else np.clip((samples + 1) / 2, 0, 1)


def run(args):
    import minigan

    if args.n < 1:
        fail(f"--n must be at least 1, got {args.n}")
    algorithm, data, _ = restore(args.run)
    minigan.manual_seed(args.seed)
    samples = draw(algorithm, data, args.n)
    np.save(args.out, samples)
    print(f"wrote {samples.shape[0]} samples of shape {samples.shape[1:]} to {args.out}")
