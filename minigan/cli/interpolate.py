"""`python -m minigan interpolate DIR --out strip.png [--real]`: interpolations in a trained
generator's latent space (BEGAN-6), one row per pair of codes.

    python -m minigan interpolate runs/began-digits --out strip.png            # between random codes
    python -m minigan interpolate runs/began-digits --out real.png --real     # between real images

With --real, each row starts and ends at a real image (drawn at the sides of the strip): their codes
are found by inverting the generator, z* = argmin_z ‖G(z) − x‖² (or, for a model with an encoder such
as the adversarial autoencoder, are its codes enc(x)), then interpolated.
"""
import numpy as np

from minigan.cli import fail
from minigan.cli.common import restore


def add_parser(subparsers):
    p = subparsers.add_parser("interpolate", help="interpolate in a trained generator's latent space (BEGAN-6)")
    p.add_argument("run", metavar="DIR", help="the run folder written by `train`")
    p.add_argument("--out", default="interpolation.png", help="the PNG to write")
    p.add_argument("--real", action="store_true", help="interpolate between real images (inverted first)")
    p.add_argument("--n", type=int, default=10, help="points per interpolation, ends included")
    p.add_argument("--rows", type=int, default=4, help="how many interpolations")
    p.add_argument("--linear", action="store_true", help="straight lines (lerp) instead of great circles (slerp)")
    p.add_argument("--steps", type=int, default=300, help="descent steps of the inversion (--real)")
    p.add_argument("--lr", type=float, default=0.1, help="learning rate of the inversion (--real)")
    p.add_argument("--restarts", type=int, default=4, help="random starts per real image (--real)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def endpoints(algorithm, data, rows, real, steps, lr, restarts):
    """(z₁, z₂) of shape (rows, d) each, and the real images they were inverted from (or None)."""
    import minigan
    from minigan.gan.interpolate import invert

    if not real:
        return algorithm.noise(rows), algorithm.noise(rows), None
    pool = data.arrays[0]
    if len(pool) < 2 * rows:
        fail(f"--real needs {2 * rows} real examples for {rows} rows, the data has {len(pool)}")
    chosen = pool[minigan.generator().permutation(len(pool))[:2 * rows]]
    if hasattr(algorithm, "encode"):                    # a model with an encoder: its own codes enc(x)
        codes = algorithm.encode(minigan.tensor(chosen))
    else:
        codes, _ = invert(algorithm.generator, minigan.tensor(chosen), steps, lr, restarts,
                          latent_dim=algorithm.latent_dim, prior=algorithm.prior)
    return codes[:rows], codes[rows:], np.stack([chosen[:rows], chosen[rows:]], axis=1)


def run(args):
    import minigan
    from minigan.data import Toy2D
    from minigan.gan.interpolate import interpolate
    from minigan.viz.wgan import interpolation_paths_2d, interpolation_strip

    if args.n < 2 or args.rows < 1:
        fail(f"--n must be at least 2 and --rows at least 1, got --n {args.n} --rows {args.rows}")
    if args.real and (args.steps < 0 or args.restarts < 1 or not args.lr > 0):
        fail(f"--steps must be >= 0, --restarts >= 1 and --lr > 0, got {args.steps}, {args.restarts}, {args.lr}")
    algorithm, data, config = restore(args.run)
    if getattr(algorithm, "num_classes", None):
        fail(f"{args.run} holds a conditional run ({config['recipe']['algorithm']}): its generator takes a label "
             f"too, and interpolate walks the codes of an unconditional one")
    minigan.manual_seed(args.seed)
    with algorithm.sampling_weights():                  # the average of G's iterates, if the run kept one
        z1, z2, ends = endpoints(algorithm, data, args.rows, args.real, args.steps, args.lr, args.restarts)
        samples = interpolate(algorithm.generator, z1, z2, args.n, spherical=not args.linear).numpy()
    kind = "lerp" if args.linear else "slerp"
    if isinstance(data, Toy2D):
        interpolation_paths_2d(samples, data.centers, args.out, title=f"G(z_t), {kind}")
    else:
        interpolation_strip(samples, args.out, ends=ends,
                            title=f"{kind} between {'inverted real images' if args.real else 'random codes'}")
    print(f"wrote {args.rows} interpolations of {args.n} points ({kind}) to {args.out}")
    return 0
