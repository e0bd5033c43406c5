"""`python -m minigan sample DIR --n N --out FILE.npy`: samples from a trained run's generator, in the
data's own space (2-D points; images N×C×H×W in [0, 1]).

    python -m minigan sample runs/cgan-digits --n 100 --label 3 --out threes.npy   # a conditional run
"""
import numpy as np

from minigan.cli import fail
from minigan.cli.common import restore


def add_parser(subparsers):
    p = subparsers.add_parser("sample", help="draw samples from a trained run")
    p.add_argument("run", metavar="DIR", help="the run folder written by `train`")
    p.add_argument("--n", type=int, default=64, help="how many samples")
    p.add_argument("--out", default="samples.npy", help="the .npy file to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--label", type=int, default=None,
                   help="a conditional run (cgan): draw samples of this label (a class, or a mode's index)")
    p.add_argument("--member", type=int, default=None,
                   help="a Bayesian GAN run: draw from its I-th generator sample only (default: from all)")
    p.set_defaults(func=run)


def to_data_space(samples, data):
    """Generated samples in the data's space: images from [-1, 1] to [0, 1], points as they are."""
    from minigan.data import Toy2D

    return samples if isinstance(data, Toy2D) else np.clip((samples + 1) / 2, 0, 1)


def draw(algorithm, data, n, label=None, member=None):
    """n samples as a NumPy array in the data's space (`to_data_space`); with a label, n samples of
    that label from a conditional run (an unconditional run or a label out of range is exit 2);
    member=i: from the i-th generator sample of a Bayesian GAN."""
    if member is not None:
        return to_data_space(algorithm.sample(n, member=member).numpy(), data)
    if label is None:
        return to_data_space(algorithm.sample(n).numpy(), data)
    classes = getattr(algorithm, "num_classes", None)
    if not classes:
        fail(f"--label needs a conditional run (cgan, or aae --conditional-decoder); this run's "
             f"{type(algorithm).__name__} draws without labels: leave --label out")
    if not 0 <= label < classes:
        fail(f"--label must lie in [0, {classes - 1}] (the run's {classes} classes), got {label}")
    return to_data_space(algorithm.sample(n, labels=np.full(n, label)).numpy(), data)


def run(args):
    import minigan

    if args.n < 1:
        fail(f"--n must be at least 1, got {args.n}")
    algorithm, data, _ = restore(args.run)
    if args.member is not None and not hasattr(algorithm, "member_samples"):
        fail(f"--member picks one generator sample of a Bayesian GAN run; {args.run} holds one generator")
    minigan.manual_seed(args.seed)
    try:
        samples = draw(algorithm, data, args.n, args.label, args.member)
    except ValueError as e:
        fail(str(e))
    np.save(args.out, samples)
    of = "" if args.label is None else f" of label {args.label}"
    print(f"wrote {samples.shape[0]} samples{of} of shape {samples.shape[1:]} to {args.out}")
