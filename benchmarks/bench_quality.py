"""The quality targets of the GAN pipeline, measured through the command line's defaults.

    python benchmarks/bench_quality.py gan ring --seeds 5      # modes and high-quality samples (PacGAN)
    python benchmarks/bench_quality.py gan grid --seeds 3
    python benchmarks/bench_quality.py gan digits              # Fréchet distance and classes seen
    python benchmarks/bench_quality.py gan ring --seeds 5 --generator-loss minimax   # any `train` flag

Each seed is one `python -m minigan train ALGORITHM --data DATA --seed S` (plus the extra flags), then
`evaluate`'s figures on 2500 samples. Prints a markdown table (one row per seed, then the mean) with the
wall-clock time of each run; on image data also the Fréchet distance between two halves of the real
data, the yardstick of the digits target. --out FILE appends the table to FILE.
"""
import argparse
import os
import tempfile
import time

import numpy as np
from threadpoolctl import threadpool_limits

from minigan.cli import main
from minigan.cli.common import load_data
from minigan.cli.evaluate import real_halves, run_figures

COLUMNS = {"modes": "modes", "high_quality": "HQ", "frechet_distance": "Fréchet distance",
           "pixel_frechet_distance": "Fréchet distance, pixels", "classes_seen": "classes seen"}


def one_run(algorithm, data, seed, extra, n):
    """(figures, seconds) of one training run from the command line."""
    out = os.path.join(tempfile.mkdtemp(prefix="minigan-quality-"), "run")
    argv = ["train", algorithm, "--data", data, "--seed", str(seed), "--out", out, "--quiet",
            "--sample-every", "1000000", "--checkpoint-every", "1000000"] + extra
    start = time.perf_counter()
    if main(argv):
        raise SystemExit(f"training failed: {' '.join(argv)}")
    seconds = time.perf_counter() - start
    return run_figures(out, n)[2], seconds


def cell(key, value):
    return (f"{100 * value:.1f}%" if key == "high_quality"
            else f"{value:.2f}" if isinstance(value, float) else str(value))


def table(title, rows):
    """Markdown: one row per seed, the mean last."""
    keys = [k for k in COLUMNS if k in rows[0][1]]
    lines = [f"**{title}**", "", "| seed | " + " | ".join(COLUMNS[k] for k in keys) + " | time |",
             "|---" * (len(keys) + 2) + "|"]
    for seed, figures, seconds in rows:
        lines.append(f"| {seed} | " + " | ".join(cell(k, figures[k]) for k in keys) + f" | {seconds:.0f} s |")
    means = {k: float(np.mean([r[1][k] for r in rows])) for k in keys}
    lines.append("| mean | " + " | ".join(cell(k, means[k]) for k in keys) +
                 f" | {np.mean([r[2] for r in rows]):.0f} s |")
    return "\n".join(lines)


def run():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Unknown flags go to `python -m minigan train`.")
    parser.add_argument("algorithm")
    parser.add_argument("data")
    parser.add_argument("--seeds", type=int, default=1, help="seeds 0 .. N-1")
    parser.add_argument("--n", type=int, default=2500, help="samples measured per run")
    parser.add_argument("--out", help="append the markdown table to this file")
    args, extra = parser.parse_known_args()
    threadpool_limits(1)  # as `train` does (--threads): measuring and sampling on one BLAS thread too
    rows = []
    for seed in range(args.seeds):
        figures, seconds = one_run(args.algorithm, args.data, seed, extra, args.n)
        rows.append((seed, figures, seconds))
        print(f"seed {seed}: {figures} in {seconds:.0f} s", flush=True)
    title = f"python -m minigan train {args.algorithm} --data {args.data} {' '.join(extra)}".strip()
    text = table(title, rows)
    if "frechet_distance" in rows[0][1]:
        halves = real_halves(load_data(args.data))
        text += (f"\n\nreal half vs real half: Fréchet distance {halves['frechet_distance']:.2f}, "
                 f"on pixels {halves['pixel_frechet_distance']:.2f}")
    print(text)
    if args.out:
        with open(args.out, "a") as f:
            f.write(text + "\n\n")


if __name__ == "__main__":
    run()
