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
    """A dict of quality figures for n samples of `algorithm` on `data`; for an algorithm with several
    generator samples (the Bayesian GAN's `member_samples`), also "members": the figures of each one's
    share of the n samples."""
    figures = sample_figures(algorithm.sample(n).numpy(), data)
    if hasattr(algorithm, "member_samples"):
        figures["members"] = [sample_figures(part.numpy(), data) for part in algorithm.member_samples(n)]
    if hasattr(algorithm, "reconstruct"):
        figures.update(inference_figures(algorithm, data, n))
    return figures


def inference_figures(algorithm, data, n):
    """For an algorithm with an encoder (ALI): on 2-D data the correlation of E(G(z)) with z in each
    coordinate of z, and the fraction of real points whose reconstruction G(E(x)) lies nearest to the
    same mode; on labelled digits the fraction of reconstructions G(E(x)) that the classifier assigns
    to x's own digit, and ‖x − G(E(x))‖ over ‖x' − G(E(x))‖ for another real x' (BiGAN's ratio)."""
    from minigan import metrics, tensor
    from minigan.data import Toy2D
    from minigan.metrics_classifier import predict, resolve_classifier

    if isinstance(data, Toy2D):
        z = algorithm.noise(n)
        codes = algorithm.encode(algorithm.generate(z)).numpy()
        z = z.numpy()
        correlation = [float(np.corrcoef(z[:, k], codes[:, k])[0, 1]) for k in range(z.shape[1])]
        x = data.arrays[0][np.random.default_rng(0).permutation(len(data))[:n]]
        nearest = [metrics.squared_distances(v.astype(np.float64), data.centers).argmin(axis=1)
                   for v in (x, algorithm.reconstruct(tensor(x)).numpy())]
        return {"latent_correlation": correlation, "reconstruction_same_mode": float((nearest[0] == nearest[1]).mean())}
    if getattr(data, "labels", None) is None or data.image_shape[1:] not in ((8, 8), (28, 28)):
        return {}
    order = np.random.default_rng(0).permutation(len(data))[:n]
    x, labels = data.images[order], np.asarray(data.labels)[order]
    reconstructions = algorithm.reconstruct(tensor(x)).numpy()
    dataset = None if data.name == "digits" else data
    predicted = predict(resolve_classifier(reconstructions, dataset=dataset), reconstructions)
    flat, flat_rec = x.reshape(len(x), -1), reconstructions.reshape(len(x), -1)
    other = flat[np.roll(np.arange(len(x)), 1)]
    ratio = np.linalg.norm(flat - flat_rec, axis=1).mean() / np.linalg.norm(other - flat_rec, axis=1).mean()
    return {"reconstruction_agreement": float((predicted == labels).mean()), "reconstruction_ratio": float(ratio)}


def sample_figures(samples, data):
    """`measure`'s figures of an array of samples."""
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


def report(run_dir, n=2500, seed=0, save_to=None, extra=None):
    """Print the figures of `run_figures`; save_to: also write them (and `extra`) to this JSON file."""
    if n < 2:
        fail(f"--n must be at least 2, got {n}")
    _, _, figures = run_figures(run_dir, n, seed)
    if save_to:
        import json

        with open(save_to, "w") as f:
            json.dump({**figures, "n": n, "seed": seed, **(extra or {})}, f, indent=1)
    if "modes" in figures:
        print(f"modes captured: {figures['modes']} of {figures['of_modes']}; "
              f"high-quality samples: {100 * figures['high_quality']:.1f}%  ({n} samples)")
    elif figures:
        print(f"Fréchet distance (classifier features) to the real data: {figures['frechet_distance']:.2f}; "
              f"classes seen: {figures['classes_seen']} of 10; histogram {figures['class_histogram']}")
        from minigan.metrics import PIXEL_COMPONENTS

        print(f"Fréchet distance (pixels, {PIXEL_COMPONENTS} principal components of the real images): "
              f"{figures['pixel_frechet_distance']:.2f}  ({n} samples)")
    if "latent_correlation" in figures:
        print("E(G(z)) against z, correlation per coordinate: "
              + ", ".join(f"{c:.3f}" for c in figures["latent_correlation"])
              + f"; reconstructions G(E(x)) nearest to x's mode: {100 * figures['reconstruction_same_mode']:.1f}%")
    if "reconstruction_agreement" in figures:
        print(f"reconstructions G(E(x)) classified as x's digit: {100 * figures['reconstruction_agreement']:.1f}%; "
              f"‖x − G(E(x))‖ / ‖x' − G(E(x))‖ = {figures['reconstruction_ratio']:.2f}")
    for i, part in enumerate(figures.get("members", [])):
        print(f"  generator sample {i}: " + (f"modes {part['modes']} of {part['of_modes']}, high quality "
                                             f"{100 * part['high_quality']:.1f}%" if "modes" in part else
                                             f"classes seen {part.get('classes_seen')} of 10, histogram "
                                             f"{part.get('class_histogram')}"))
    return 0
