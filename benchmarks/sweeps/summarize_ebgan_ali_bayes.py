"""Print the docs/results.md rows of the GAN-variant sweep (benchmarks/sweeps/ebgan_ali_bayes.txt) from its run
folders: each run's evaluation.json (what `train` measured at its end, with its training time) and,
for EBGAN, the last tenth of metrics.csv (the energies of real and generated batches).

    python benchmarks/sweeps/summarize_ebgan_ali_bayes.py runs/sweep

A run folder is named CONFIG-sS (S the seed); the rows group the seeds of each CONFIG, and a missing
or unfinished run is listed as such (its .log, if the coordinator kept one, is named)."""
import argparse
import csv
import glob
import json
import os
import re
from collections import defaultdict

import numpy as np

CONFIGS = {   # CONFIG: (what it is, the command without --seed/--out/--quiet/--threads)
    "ebgan-digits": ("EBGAN, digits", "python -m minigan train ebgan"),
    "ebgan-ring": ("EBGAN, ring", "python -m minigan train ebgan --data ring"),
    "ebgan-ring-nopt": ("EBGAN, ring, no pulling-away term",
                        "python -m minigan train ebgan --data ring --pt-weight 0"),
    "ali-digits": ("ALI (BiGAN), digits", "python -m minigan train ali"),
    "ali-grid": ("ALI (BiGAN), grid", "python -m minigan train ali --data grid"),
    "bgan-grid": ("Bayesian GAN, grid, M = 4", "python -m minigan train bayesian-gan --data grid"),
    "bgan-grid-m1": ("Bayesian GAN, grid, M = 1", "python -m minigan train bayesian-gan --data grid --members 1"),
    "gan-grid": ("vanilla GAN, grid (same steps and batch)", "python -m minigan train gan --data grid"),
    "bgan-grid-sghmc": ("Bayesian GAN, grid, literal SGHMC", None),
    "bgan-digits": ("Bayesian GAN, digits, M = 4", "python -m minigan train bayesian-gan"),
}


def read_runs(root):
    """{CONFIG: {seed: figures or None}} from root/CONFIG-sS folders (and root/CONFIG-sS.log files)."""
    runs = defaultdict(dict)
    paths = set(glob.glob(os.path.join(root, "*-s[0-9]*"))) | set(glob.glob(os.path.join(root, "*.log")))
    for path in sorted(paths):
        name = os.path.basename(path).removesuffix(".log")
        found = re.fullmatch(r"(.+)-s(\d+)", name)
        if not found:
            continue
        config, seed = found.group(1), int(found.group(2))
        folder = os.path.join(root, name)
        figures = None
        if os.path.exists(os.path.join(folder, "evaluation.json")):
            with open(os.path.join(folder, "evaluation.json")) as f:
                figures = json.load(f)
            figures.update(last_energies(folder))
        runs[config][seed] = figures
    return runs


def last_energies(folder):
    """EBGAN's mean D(x) and D(G(z)) over the last tenth of the logged steps (empty for other runs)."""
    path = os.path.join(folder, "metrics.csv")
    if not os.path.exists(path):
        return {}
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "D(G(z))" not in rows[0] or "above_margin" not in rows[0]:
        return {}
    tail = rows[-max(1, len(rows) // 10):]
    return {"energy_real": float(np.mean([float(r["D(x)"]) for r in tail])),
            "energy_fake": float(np.mean([float(r["D(G(z))"]) for r in tail]))}


def real_halves():
    from minigan.cli.evaluate import real_halves as halves
    from minigan.data import images

    return halves(images.digits())


def fmt(value, spec):
    return "—" if value is None else format(value, spec)


def toy_extra(f):
    """The variant's own figures of a 2-D run, as text."""
    extra = []
    if "members" in f:
        extra.append("each generator sample: " + ", ".join(f"{m['modes']} ({100 * m['high_quality']:.0f}%)"
                                                        for m in f["members"]))
    if "latent_correlation" in f:
        extra.append("E(G(z)) vs z: " + ", ".join(f"{c:.3f}" for c in f["latent_correlation"])
                     + f"; G(E(x)) at x's mode {100 * f['reconstruction_same_mode']:.1f}%")
    if "energy_real" in f:
        extra.append(f"D(x) {f['energy_real']:.3f}, D(G(z)) {f['energy_fake']:.3f}")
    return "; ".join(extra)


def toy_rows(seeds):
    lines = ["| seed | modes | high quality | extra | time |", "|---|---|---|---|---|"]
    for seed, f in sorted(seeds.items()):
        if f is None:
            lines.append(f"| {seed} | not finished | | | |")
            continue
        lines.append(f"| {seed} | {f['modes']} of {f['of_modes']} | {100 * f['high_quality']:.1f}% | {toy_extra(f)} | "
                     f"{f['train_seconds']:.0f} s |")
    done = [f for f in seeds.values() if f]
    if done:
        lines.append(f"| mean | {np.mean([f['modes'] for f in done]):.1f} | "
                     f"{100 * np.mean([f['high_quality'] for f in done]):.1f}% | | "
                     f"{np.mean([f['train_seconds'] for f in done]):.0f} s |")
    return lines


def digits_rows(seeds, halves):
    fd, pixels = halves["frechet_distance"], halves["pixel_frechet_distance"]
    lines = [f"| seed | Fréchet distance (/ real halves {fd:.2f}) | pixels (/ {pixels:.3f}) | classes seen | extra "
             "| time |", "|---|---|---|---|---|---|"]
    for seed, f in sorted(seeds.items()):
        if f is None:
            lines.append(f"| {seed} | not finished | | | | |")
            continue
        extra = []
        if "reconstruction_agreement" in f:
            extra.append(f"G(E(x)) classified as x: {100 * f['reconstruction_agreement']:.1f}%, "
                         f"ratio {f['reconstruction_ratio']:.2f}")
        if "energy_real" in f:
            extra.append(f"D(x) {f['energy_real']:.3f}, D(G(z)) {f['energy_fake']:.3f}")
        if "members" in f:
            extra.append("classes per generator sample: " + ", ".join(str(m["classes_seen"]) for m in f["members"]))
        lines.append(f"| {seed} | {f['frechet_distance']:.2f} ({f['frechet_distance'] / fd:.1f}×) | "
                     f"{f['pixel_frechet_distance']:.2f} ({f['pixel_frechet_distance'] / pixels:.1f}×) | "
                     f"{f['classes_seen']} | {'; '.join(extra)} | {f['train_seconds']:.0f} s |")
    done = [f for f in seeds.values() if f]
    if done:
        mean_fd = np.mean([f["frechet_distance"] for f in done])
        mean_px = np.mean([f["pixel_frechet_distance"] for f in done])
        agreement = [f["reconstruction_agreement"] for f in done if "reconstruction_agreement" in f]
        lines.append(f"| mean | {mean_fd:.2f} ({mean_fd / fd:.1f}×) | {mean_px:.2f} ({mean_px / pixels:.1f}×) | "
                     f"{np.mean([f['classes_seen'] for f in done]):.1f} | "
                     + (f"{100 * np.mean(agreement):.1f}%" if agreement else "") + f" | "
                     f"{np.mean([f['train_seconds'] for f in done]):.0f} s |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", default="runs/sweep")
    args = parser.parse_args()
    runs = read_runs(args.root)
    if not runs:
        raise SystemExit(f"no run folders CONFIG-sS under {args.root}")
    halves = real_halves() if any(c.endswith("digits") for c in runs) else None
    for config in list(CONFIGS) + sorted(set(runs) - set(CONFIGS)):
        if config not in runs:
            continue
        title, command = CONFIGS.get(config, (config, None))
        print(f"\n**{title}**" + (f", `{command}`" if command else "") + f" (seeds: {len(runs[config])}):\n")
        seeds = runs[config]
        first = next((f for f in seeds.values() if f), None)
        if first is None:
            print("no run finished")
        elif "modes" in first:
            print("\n".join(toy_rows(seeds)))
        else:
            print("\n".join(digits_rows(seeds, halves)))


if __name__ == "__main__":
    main()
