"""The quality targets of issue 6 (WGAN, WGAN-GP, BEGAN), measured through the command line.

    python benchmarks/bench_quality_wgan_began.py                    # every target, 3 seeds
    python benchmarks/bench_quality_wgan_began.py wgan-gp-grid --seeds 5
    python benchmarks/bench_quality_wgan_began.py began-digits --figures runs/bench
    python benchmarks/bench_quality_wgan_began.py began-digits --jobs 2     # two seeds at a time

Each run is one `python -m minigan train ...` with the flags in RECIPES (so anyone can repeat it),
measured on 2500 samples by `evaluate`'s figures, and timed (wall clock, one BLAS thread per run;
--jobs N trains N seeds at once, one per core):

    wgan-gp-grid   modes of 25 and high-quality fraction          target >= 23 modes, >= 60% HQ, < 5 min
    wgan-ring      modes of 8 (weight clipping)                    target >= 7 modes, < 5 min
    began-digits   classes seen, Fréchet distance / real-vs-real   target 10 classes, <= 4x; k_t in [0, 1];
                   M_global: mean of the last 10% of the run against the first 10%; and the distance
                   that real digits drawn with the samples' class histogram already have (the part
                   of the distance that the classes' imbalance alone explains)
    wgan-digits    the Wasserstein estimate (running median of 101 values) and the Fréchet distance
                   at checkpoints along one run: the estimate falls while the distance falls

Prints one markdown table per recipe; --out FILE appends them to FILE; --figures DIR keeps the run
folders and writes the W-estimate curve and an interpolation strip there.
"""
import argparse
import csv
import os
import tempfile
import time

import numpy as np
from threadpoolctl import threadpool_limits

from minigan.cli import main
from minigan.cli.evaluate import real_halves, real_images, run_figures

RECIPES = {
    # each the command line with its defaults: minigan.gan.recipes carries the measured settings
    # (on points gan_toy.py's λ = 0.1 and a 2-D z for WGAN-GP; on digits BEGAN's D eleven times
    # slower than G and samples from the average of G's iterates)
    "wgan-gp-grid": ["wgan-gp", "--data", "grid"],
    "wgan-ring": ["wgan", "--data", "ring"],
    "began-digits": ["began", "--data", "digits"],
    "wgan-digits": ["wgan", "--data", "digits", "--steps", "2000"],
}


def train(recipe, seed, out):
    """Train one recipe into `out`; returns the wall-clock seconds."""
    argv = ["train", *RECIPES[recipe], "--seed", str(seed), "--out", out, "--quiet",
            "--sample-every", "1000000", "--checkpoint-every", "1000000"]
    start = time.perf_counter()
    if main(argv):
        raise SystemExit(f"training failed: python -m minigan {' '.join(argv)}")
    return time.perf_counter() - start


def logged(out, key):
    """A column of the run's metrics.csv as floats."""
    with open(os.path.join(out, "metrics.csv"), newline="") as f:
        return np.array([float(row[key]) for row in csv.DictReader(f)])


def histogram_floor(data, histogram, n):
    """The Fréchet distance to `measure`'s n real digits of real digits in the class proportions of
    `histogram`: what a generator with perfect images but these class frequencies would score."""
    from minigan import metrics

    like = metrics.resample_classes(data.images, data.labels, histogram)
    return metrics.digits_frechet_distance(like, real_images(data, n))


def quality_row(recipe, seed, folder):
    """The figures of one seed of a mode-counting or BEGAN recipe."""
    out = os.path.join(folder, f"{recipe}-{seed}")
    return figures_row(recipe, out, train(recipe, seed, out)), out


def figures_row(recipe, out, seconds):
    """The row of a trained run folder: `evaluate`'s figures, and for BEGAN the columns below."""
    _, data, figures = run_figures(out)
    row = {**figures, "time": seconds}
    if recipe == "began-digits":
        k, m_global = logged(out, "k_t"), logged(out, "M_global")
        tenth = max(1, len(m_global) // 10)
        halves = real_halves(data)
        row.update({"frechet_ratio": row["frechet_distance"] / halves["frechet_distance"],
                    "pixel_ratio": row["pixel_frechet_distance"] / halves["pixel_frechet_distance"],
                    "same-histogram real": histogram_floor(data, row["class_histogram"], 2500),
                    "k range": f"[{k.min():.3f}, {k.max():.3f}]",
                    "M first → last": f"{m_global[:tenth].mean():.3f} → {m_global[-tenth:].mean():.3f}"})
        row.pop("class_histogram")
    return row


def wasserstein_curve_row(seed, folder, checkpoints=4):
    """WGAN on digits, trained in `checkpoints` segments (resumed bit for bit): at each checkpoint the
    running median of the W estimate and the Fréchet distance of 1000 samples."""
    from minigan.viz.gan import running_median

    steps = int(RECIPES["wgan-digits"][RECIPES["wgan-digits"].index("--steps") + 1])
    out = os.path.join(folder, f"wgan-digits-{seed}")
    points, seconds = [], 0.0
    for i in range(1, checkpoints + 1):
        until = steps * i // checkpoints
        argv = ["train", *RECIPES["wgan-digits"], "--seed", str(seed), "--out", out, "--quiet",
                "--sample-every", "1000000", "--checkpoint-every", "1000000"]
        argv[argv.index("--steps") + 1] = str(until)
        if i > 1:
            argv = ["train", "wgan", "--out", out, "--resume", "--steps", str(until), "--quiet"]
        start = time.perf_counter()
        if main(argv):
            raise SystemExit(f"training failed: python -m minigan {' '.join(argv)}")
        seconds += time.perf_counter() - start
        estimate = running_median(logged(out, "wasserstein"), 101)[-1]
        points.append((until, float(estimate), run_figures(out, 1000)[2]["frechet_distance"]))
    return points, seconds, out


def map_seeds(recipe, seeds, folder, jobs):
    """quality_row for seeds 0 .. seeds-1, in order; `jobs` of them at once in worker processes."""
    if jobs <= 1:
        return (quality_row(recipe, seed, folder) for seed in range(seeds))
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, initializer=threadpool_limits, initargs=(1,)) as pool:
        return list(pool.map(quality_row, [recipe] * seeds, range(seeds), [folder] * seeds))


def table(recipe, rows):
    keys = [k for k in rows[0][1] if k not in ("of_modes",)]
    lines = [f"**python -m minigan train {' '.join(RECIPES[recipe])}**", "",
             "| seed | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for seed, row in rows:
        lines.append(f"| {seed} | " + " | ".join(format_cell(k, row[k]) for k in keys) + " |")
    numeric = [k for k in keys if isinstance(rows[0][1][k], (int, float))]
    means = {k: float(np.mean([r[k] for _, r in rows])) for k in numeric}
    lines.append("| mean | " + " | ".join(format_cell(k, means[k]) if k in means else "" for k in keys) + " |")
    return "\n".join(lines)


def format_cell(key, value):
    if key == "high_quality":
        return f"{100 * value:.1f}%"
    if key == "time":
        return f"{value:.0f} s"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def run():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipes", nargs="*", help=f"which targets, of {', '.join(RECIPES)} (default: all)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1")
    parser.add_argument("--out", help="append the markdown tables to this file")
    parser.add_argument("--figures", help="keep the run folders here and draw the figures")
    parser.add_argument("--jobs", type=int, default=1, help="seeds trained at once, one process (and core) each")
    args = parser.parse_args()
    unknown = [r for r in args.recipes if r not in RECIPES]
    if unknown:
        parser.error(f"unknown recipes {unknown}; choose from {list(RECIPES)}")
    threadpool_limits(1)
    folder = args.figures or tempfile.mkdtemp(prefix="minigan-wgan-began-")
    os.makedirs(folder, exist_ok=True)
    texts = []
    for recipe in args.recipes or list(RECIPES):
        if recipe == "wgan-digits":
            texts.append(wgan_digits_table(args.seeds, folder, draw=bool(args.figures)))
            continue
        rows = []
        for seed, result in enumerate(map_seeds(recipe, args.seeds, folder, args.jobs)):
            row, out = result  # out: the run's folder; the last seed's is drawn below
            rows.append((seed, row))
            print(f"{recipe} seed {seed}: {row}", flush=True)
        if args.figures and recipe == "began-digits":
            main(["interpolate", out, "--out", os.path.join(folder, "began-interpolation.png"), "--rows", "6"])
            main(["interpolate", out, "--out", os.path.join(folder, "began-real-interpolation.png"), "--rows", "6",
                  "--real"])
        texts.append(table(recipe, rows))
    text = "\n\n".join(texts)
    print(text)
    if args.out:
        with open(args.out, "a") as f:
            f.write(text + "\n\n")


def wgan_digits_table(seeds, folder, draw):
    from minigan.viz.wgan import wasserstein_curve

    lines = [f"**python -m minigan train {' '.join(RECIPES['wgan-digits'])}** (W estimate: running median of "
             f"101 logged values; Fréchet distance of 1000 samples)", "",
             "| seed | step | W estimate | Fréchet distance | time |", "|---|---|---|---|---|"]
    for seed in range(seeds):
        points, seconds, out = wasserstein_curve_row(seed, folder)
        print(f"wgan-digits seed {seed}: {points} in {seconds:.0f} s", flush=True)
        for step, estimate, distance in points:
            lines.append(f"| {seed} | {step} | {estimate:.4f} | {distance:.2f} | {seconds:.0f} s |")
        if draw:
            steps = logged(out, "step")
            wasserstein_curve(steps, logged(out, "wasserstein"), os.path.join(folder, f"wgan-digits-{seed}-w.png"))
    return "\n".join(lines)


if __name__ == "__main__":
    run()
