"""The learning curve of a GAN recipe on 28×28 digits: the Fréchet distance on pixel features every
`--every` steps, beside the training time, so that the number of steps can be chosen by measurement.

    python benchmarks/bench_learning_curve.py                        # the DCGAN on the MNIST stand-in
    python benchmarks/bench_learning_curve.py --data mnist=PATH      # on MNIST's IDX files
    python benchmarks/bench_learning_curve.py --steps 3000 --every 250 --threads 2 --set lr_drop_at=0.7
    python benchmarks/bench_learning_curve.py --average 0.99 0.995 0.998   # also averages of G's iterates
    python benchmarks/bench_learning_curve.py --algorithm began --data digits --every 1000 --classifier

The run is `python -m minigan train gan --data ...`'s, step for step: the recipe's defaults (with the
`--set` overrides), the same seeding, the same loader; the samples for each measurement are drawn off
the run's random stream (minigan.fork_rng), so measuring does not change the run. The distance is
`metrics.pixel_frechet_distance` of `--n` samples against `--n` real images (their coordinates on the
real images' first principal axes), as `evaluate` prints it, and its ratio to the distance between two
halves of the real images. `--average β ...` also keeps exponential moving averages of G's weights
beside the run (the run does not use them) and measures samples from each, as `--ema β` would sample
from the same run. `--classifier` adds the Fréchet distance on the classifier's features (`evaluate`'s
first figure; for 8×8 digits the digits classifier, else one trained on the data).

The stand-in (`images.mnist_standin`) is scikit-learn's digits drawn as
MNIST draws its own: the time of a step is MNIST's, the quality only roughly.
"""
import argparse
import contextlib
import time

import numpy as np

import minigan
from minigan import metrics
from minigan.autograd import no_grad
from minigan.cli.common import load_data
from minigan.cli.evaluate import real_images
from minigan.data import DataLoader, images
from minigan.gan import recipes
from minigan.nn.utils import evaluating
from minigan.optim import ExponentialMovingAverage


def parse_value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False, "none": None}.get(text.lower(), text)


def samples(algorithm, n, average=None, chunk=250):
    """n samples in chunks (a 28×28 DCGAN's transposed convolution on 2500 at once needs 0.5 GB): what
    the algorithm samples (from its own average of G, if it keeps one), or G with `average`'s weights
    (an ExponentialMovingAverage of G's kept by this script), in eval mode as `sample` does."""
    def draw(m):
        if average is None:
            return algorithm.sample(m)
        with no_grad(), evaluating(algorithm.generator):
            return algorithm.generator(algorithm.noise(m))

    with minigan.fork_rng(0), (average.average_parameters() if average else contextlib.nullcontext()):
        return np.concatenate([draw(min(chunk, n - i)).numpy() for i in range(0, n, chunk)])


def real_halves_pixels(data, n):
    order = np.random.default_rng(0).permutation(len(data))
    half = len(data) // 2
    return metrics.pixel_frechet_distance(data.images[order[:half]], data.images[order[half:2 * half]],
                                          reference=real_images(data, n))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--algorithm", default="gan", choices=sorted(recipes.RECIPES))
    parser.add_argument("--data", default="standin", help="standin (5000 digits, 28×28) or what `train` takes")
    parser.add_argument("--steps", type=int, default=None, help="default: the recipe's")
    parser.add_argument("--every", type=int, default=250)
    parser.add_argument("--n", type=int, default=2500, help="samples (and real images) per measurement")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                        help="recipe settings, e.g. lr_drop_at=0.7")
    parser.add_argument("--average", type=float, nargs="*", default=[], metavar="BETA",
                        help="also measure averages of G's iterates with these β")
    parser.add_argument("--classifier", action="store_true", help="also the distance on a classifier's features")
    args = parser.parse_args()

    from threadpoolctl import threadpool_info, threadpool_limits

    from minigan.ops.threads import set_num_threads

    data = images.mnist_standin(5000) if args.data == "standin" else load_data(args.data, 28)
    settings = {"algorithm": args.algorithm, **{k: parse_value(v) for k, v in (s.split("=", 1) for s in args.set)}}
    if args.steps:
        settings["steps"] = args.steps
    minigan.manual_seed(args.seed)
    recipe = recipes.build(settings, data)
    real = real_images(data, args.n)
    halves = real_halves_pixels(data, args.n)
    blas = [f"{i['internal_api']} {i.get('architecture')}" for i in threadpool_info() if i["user_api"] == "blas"]
    print(f"{args.algorithm} on {data.name} ({len(data)} images), {recipe.steps} steps, batch {recipe.batch_size}, "
          f"seed {args.seed}, {args.threads} threads, BLAS {', '.join(blas)}; real halves' pixel distance {halves:.4f}")
    averages = {beta: ExponentialMovingAverage(recipe.algorithm.generator.parameters(), beta) for beta in args.average}
    dataset = None if data.name == "digits" else data
    halves_features = (metrics.digits_frechet_distance(*np.split(data.images[np.random.default_rng(0).permutation(
        len(data))[:2 * (len(data) // 2)]], 2), dataset=dataset) if args.classifier else None)
    columns = ["pixel distance", "/ real halves"]
    columns += ["classifier distance", "/ real halves"] if args.classifier else []
    names = ["the recipe's samples"] + [f"average β = {beta}" for beta in averages]
    print("| step | training s | " + " | ".join(f"{name}: {c}" for name in names for c in columns) + " |")
    print("|---|---|" + "---|" * len(columns) * len(names))
    set_num_threads(args.threads)
    loader = DataLoader(data, recipe.batch_size, shuffle=True, drop_last=True, seed=args.seed)
    batches, spent = loader.forever(), 0.0
    with threadpool_limits(args.threads):
        for step in range(1, recipe.steps + 1):
            start = time.perf_counter()
            recipe.algorithm.step(batches)
            spent += time.perf_counter() - start
            for average in averages.values():
                average.update()
            if step % args.every == 0 or step == recipe.steps:
                row = f"| {step} | {spent:.0f} |"
                for average in (None, *averages.values()):
                    fakes = samples(recipe.algorithm, args.n, average)
                    distance = metrics.pixel_frechet_distance(fakes, real, reference=real)
                    row += f" {distance:.4f} | {distance / halves:.2f}× |"
                    if args.classifier:
                        distance = metrics.digits_frechet_distance(fakes, real, dataset=dataset)
                        row += f" {distance:.3f} | {distance / halves_features:.2f}× |"
                print(row, flush=True)


if __name__ == "__main__":
    main()
