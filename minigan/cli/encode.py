"""`python -m minigan encode DIR --input x.npy --out z.npy` and `python -m minigan reconstruct DIR
--input x.npy --out x_hat.npy`: the encoder of a trained run with one (the adversarial autoencoder,
ALI/BiGAN), on data in the space `sample` writes (images N×C×H×W in [0, 1], or 2-D points).

    python -m minigan sample runs/aae-digits --n 100 --out x.npy
    python -m minigan encode runs/aae-digits --input x.npy --out z.npy              # z = enc(x), (N, d)
    python -m minigan reconstruct runs/aae-digits --input x.npy --out x_hat.npy     # dec(enc(x)), in [0, 1]

A run whose algorithm has no encoder (`encode`, `reconstruct`, see minigan.gan.base), or an input
of another shape than the run's data, is exit 2 with one line.
"""
import os

import numpy as np

from minigan.cli import fail
from minigan.cli.common import restore


def add_parser(subparsers):
    for name, text, out in (("encode", "the codes z = enc(x) of a run with an encoder (aae)", "z.npy"),
                            ("reconstruct", "the reconstructions dec(enc(x)) of a run with an encoder (aae)",
                             "x_hat.npy")):
        p = subparsers.add_parser(name, help=text, description=text + ".")
        p.add_argument("run", metavar="DIR", help="the run folder written by `train`")
        p.add_argument("--input", required=True, help="a .npy of inputs: images N×C×H×W in [0, 1], or points (N, 2)")
        p.add_argument("--out", default=out, help="the .npy file to write")
        if name == "reconstruct":
            p.add_argument("--labels", help="a .npy of the inputs' labels (N,), for a decoder that takes them")
        p.set_defaults(func=run, action=name)


def read_input(path, data):
    """The input file as float32 in the model's space ([0, 1] images to [-1, 1]); exit 2 on a missing
    file or a shape that is not (N,) + the data's sample shape."""
    from minigan.data import Toy2D

    if not os.path.exists(path):
        fail(f"no input file {path}")
    try:
        x = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as e:
        fail(f"{path} is not a .npy array: {e}")
    shape = (2,) if isinstance(data, Toy2D) else tuple(data.image_shape)
    if x.ndim != len(shape) + 1 or tuple(x.shape[1:]) != shape or len(x) == 0:
        fail(f"{path} holds an array of shape {x.shape}; this run's model takes (N, {', '.join(map(str, shape))}) "
             f"with N >= 1" + ("" if isinstance(data, Toy2D) else " (images in [0, 1], as `sample` writes them)"))
    if not np.isfinite(x).all():
        fail(f"{path} contains NaN or Inf")
    x = x.astype(np.float32)
    return x if isinstance(data, Toy2D) else x * 2 - 1


def read_labels(path, n, algorithm):
    """The --labels file checked against the n inputs and the run's classes; exit 2 otherwise."""
    from minigan.gan.conditional import check_labels

    if path is None:
        fail("this run's decoder takes the label too: give the inputs' labels with --labels LABELS.npy")
    if not os.path.exists(path):
        fail(f"no labels file {path}")
    try:
        return check_labels(np.load(path, allow_pickle=False), n, algorithm.num_classes)
    except ValueError as e:
        fail(f"{path}: {e}")


def run(args):
    from minigan.cli.sample import to_data_space
    from minigan.gan.base import in_batches

    algorithm, data, config = restore(args.run)
    if not hasattr(algorithm, "encode"):
        fail(f"{args.run} holds a {config['recipe']['algorithm']} run, which has no encoder; `{args.action}` "
             f"takes a run of an algorithm with one (aae)")
    x = read_input(args.input, data)
    if args.action == "encode":
        out = in_batches(algorithm.encode, x)
    else:
        labels = read_labels(args.labels, len(x), algorithm) if getattr(algorithm, "num_classes", None) else None
        out = to_data_space(in_batches(algorithm.reconstruct, x, labels=labels), data)
    np.save(args.out, out)
    what = "codes" if args.action == "encode" else "reconstructions"
    print(f"wrote {what} of shape {out.shape} to {args.out}")
