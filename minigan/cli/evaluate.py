"""`python -m minigan evaluate DIR`: mode coverage for the 2-D mixtures; Fréchet distance to the real
data and the class histogram for digits/MNIST (features of a classifier trained with minigan)."""
import numpy as np

from minigan.cli import fail
from minigan.cli.common import restore


def add_parser(subparsers):
    p = subparsers.add_parser("evaluate", help="measure a trained run (modes, Fréchet distance, classes)")
    p.add_argument("run", metavar="DIR", help="the run folder written by `train`")
    p.add_argument("--n", type=int, default=2500, help="how many samples to measure (2500 as PacGAN)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=lambda args: report(args.run, args.n, args.seed))


def real_images(data, n):
    """The n real images (a fixed random choice) that `measure` compares a generator's samples with."""
    return data.images[np.random.default_rng(0).permutation(len(data))[:n]]


def real_halves(data):
    """`measure`'s two Fréchet distances between two random halves of the real images: the yardsticks
    of a generator's distances ("within 4× the real halves'")."""
    from minigan import metrics

    order = np.random.default_rng(0).permutation(len(data))
    half = len(data) // 2
    a, b = data.images[order[:half]], data.images[order[half:2 * half]]
    dataset = None if data.name == "digits" else data
    return {"frechet_distance": metrics.digits_frechet_distance(a, b, dataset=dataset),
            "pixel_frechet_distance": metrics.pixel_frechet_distance(a, b, reference=real_images(data, 2500))}


def measure(algorithm, data, n):
    """A dict of quality figures for n samples of `algorithm` on `data`, and the figures that fit a
    variant (minigan.cli.evaluate_variants: a conditional model's samples on their labels, an encoder's
    reconstructions and codes, each generator sample of a Bayesian GAN)."""
    from minigan.cli.evaluate_variants import variant_figures

    figures = sample_figures(algorithm.sample(n).numpy(), data)
    return {**figures, **variant_figures(algorithm, data, n, sample_figures)}


def sample_figures(samples, data):
    """Mode coverage (2-D), or the Fréchet distances and the class histogram (digits, MNIST), of an
    array of samples."""
    from minigan import metrics
    from minigan.data import Toy2D

    n = len(samples)
    if isinstance(data, Toy2D):
        modes, hq = metrics.mode_coverage(samples, data.centers, data.std)
        return {"modes": modes, "of_modes": len(data.centers), "high_quality": hq}
    if getattr(data, "labels", None) is None or data.image_shape[1:] not in ((8, 8), (28, 28)):
        return {}
    dataset = None if data.name == "digits" else data
    real = real_images(data, n)
    histogram = metrics.class_histogram(samples, dataset=dataset)
    return {"frechet_distance": metrics.digits_frechet_distance(samples, real, dataset=dataset),
            "pixel_frechet_distance": metrics.pixel_frechet_distance(samples, real, reference=real),
            "classes_seen": int((np.asarray(histogram) > 0).sum()), "class_histogram": list(map(int, histogram))}


def run_figures(run_dir, n=2500, seed=0):
    """(algorithm, data, figures): the run restored from its folder and `measure` of n samples drawn
    from `seed`, the figures that `evaluate` (and `train` at its end) prints."""
    import minigan

    algorithm, data, _ = restore(run_dir)
    minigan.manual_seed(seed)
    return algorithm, data, measure(algorithm, data, n)


def report(run_dir, n=2500, seed=0, save=None):
    """Print the quality figures of a run; save: also write them (with `save`'s own entries, e.g. the
    training's wall time, and the real halves' distances for images) to DIR/evaluation.json."""
    if n < 2:
        fail(f"--n must be at least 2, got {n}")
    _, data, figures = run_figures(run_dir, n, seed)
    if save is not None:
        write_figures(run_dir, data, figures, n, seed, save)
    if "modes" in figures:
        print(f"modes captured: {figures['modes']} of {figures['of_modes']}; "
              f"high-quality samples: {100 * figures['high_quality']:.1f}%  ({n} samples)")
    elif figures:
        print(f"Fréchet distance (classifier features) to the real data: {figures['frechet_distance']:.2f}; "
              f"classes seen: {figures['classes_seen']} of 10; histogram {figures['class_histogram']}")
        from minigan.metrics import PIXEL_COMPONENTS

        print(f"Fréchet distance (pixels, {PIXEL_COMPONENTS} principal components of the real images): "
              f"{figures['pixel_frechet_distance']:.2f}  ({n} samples)")
    from minigan.cli.evaluate_variants import print_figures

    print_figures(figures, n)
    return 0


def write_figures(run_dir, data, figures, n, seed, extra):
    """DIR/evaluation.json: the figures, n, the seed, the real halves' Fréchet distances (images)."""
    import json
    import os

    record = {"n": n, "seed": seed, **extra, **figures}
    if "frechet_distance" in figures:
        record["real_halves"] = real_halves(data)
    with open(os.path.join(run_dir, "evaluation.json"), "w") as f:
        json.dump(record, f, indent=1)
