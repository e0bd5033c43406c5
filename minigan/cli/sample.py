"""`python -m minigan sample DIR --n N --out FILE.npy`: samples from a trained run's generator, in the
data's own space (2-D points; images N×C×H×W in [0, 1])."""
import numpy as np

from minigan.cli import fail
from minigan.cli.common import restore


def add_parser(subparsers):
    p = subparsers.add_parser("sample", help="draw samples from a trained run")
    p.add_argument("run", metavar="DIR", help="the run folder written by `train`")
    p.add_argument("--n", type=int, default=64, help="how many samples")
    p.add_argument("--out", default="samples.npy", help="the .npy file to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--member", type=int, default=None,
                   help="a Bayesian GAN run: draw from its I-th generator sample only (default: from all)")
    p.set_defaults(func=run)


def draw(algorithm, data, n, member=None):
    """n samples as a NumPy array in the data's space: images rescaled from [-1, 1] to [0, 1]; member=i:
    from the i-th generator sample of a Bayesian GAN."""
    from minigan.data import Toy2D

    samples = (algorithm.sample(n) if member is None else algorithm.sample(n, member=member)).numpy()
    return samples if isinstance(data, Toy2D) else np.clip((samples + 1) / 2, 0, 1)


def run(args):
    import minigan

    if args.n < 1:
        fail(f"--n must be at least 1, got {args.n}")
    algorithm, data, _ = restore(args.run)
    if args.member is not None and not hasattr(algorithm, "member_samples"):
        fail(f"--member picks one generator sample of a Bayesian GAN run; {args.run} holds one generator")
    minigan.manual_seed(args.seed)
    try:
        samples = draw(algorithm, data, args.n, args.member)
    except ValueError as e:
        fail(str(e))
    np.save(args.out, samples)
    print(f"wrote {samples.shape[0]} samples of shape {samples.shape[1:]} to {args.out}")
