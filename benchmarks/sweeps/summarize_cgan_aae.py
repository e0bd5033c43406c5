"""The docs/results.md rows of the conditional GAN and the adversarial autoencoder, from the run
folders that benchmarks/sweeps/cgan_aae.txt's commands write (each `train` leaves evaluate's figures
and its wall time in RUN/evaluation.json).

    python benchmarks/sweeps/summarize_cgan_aae.py runs/sweep

Prints one Markdown table per README command (a row per seed, then the mean) and whether each
target holds on every seed.
"""
import json
import os
import sys

import numpy as np

EXPERIMENTS = {
    "cgan-digits": "python -m minigan train cgan",
    "cgan-ring": "python -m minigan train cgan --data ring",
    "aae-digits": "python -m minigan train aae",
    "aae-mixture": "python -m minigan train aae --data digits --prior mixture --code-size 2",
}


def runs(root, name):
    """{seed: figures} of the experiment's run folders NAME-sS under root."""
    found = {}
    for entry in sorted(os.listdir(root)):
        prefix, _, seed = entry.rpartition("-s")
        path = os.path.join(root, entry, "evaluation.json")
        if prefix == name and seed.isdigit() and os.path.exists(path):
            with open(path) as f:
                found[int(seed)] = json.load(f)
    return found


def pct(x):
    return f"{100 * x:.1f}%"


def ratio(f, key):
    """"d (r×)": a Fréchet distance and its ratio to the real halves'."""
    return f"{f[key]:.2f} ({f[key] / f['real_halves'][key]:.1f}×)"


def fd_ratios(f):
    return [f[k] / f["real_halves"][k] for k in ("frechet_distance", "pixel_frechet_distance")]


COLUMNS = {
    "cgan-digits": (["on requested digit", "lowest digit", "Fréchet distance (× real halves)", "pixels (×)"],
                    lambda f: [pct(f["label_accuracy"]), pct(f["label_accuracy_min"]),
                               ratio(f, "frechet_distance"), ratio(f, "pixel_frechet_distance")]),
    "cgan-ring": (["within 3σ of the requested mode", "lowest mode", "modes", "high quality"],
                  lambda f: [pct(f["label_accuracy"]), pct(f["label_accuracy_min"]), f"{f['modes']}",
                             pct(f["high_quality"])]),
    "aae-digits": (["Fréchet distance (×)", "pixels (×)", "reconstructions as their digit", "reconstruction MSE",
                    "largest code mean (abs)", "code stds (min–max)", "MMD² to N(0, I)"],
                   lambda f: [ratio(f, "frechet_distance"), ratio(f, "pixel_frechet_distance"),
                              pct(f["reconstruction_class_agreement"]), f"{f['reconstruction_mse']:.3f}",
                              f"{f['code_mean_max_abs']:.3f}", f"{f['code_std_min']:.2f}–{f['code_std_max']:.2f}",
                              f"{f['code_mmd2']:.4f}"]),
    "aae-mixture": (["Fréchet distance (×)", "pixels (×)", "reconstructions as their digit", "reconstruction MSE",
                     "MMD² to the mixture"],
                    lambda f: [ratio(f, "frechet_distance"), ratio(f, "pixel_frechet_distance"),
                               pct(f["reconstruction_class_agreement"]), f"{f['reconstruction_mse']:.3f}",
                               f"{f['code_mmd2']:.4f}"]),
}

TARGETS = {
    "cgan-digits": ("≥ 95% on their digit, every digit ≥ 85%, Fréchet distances ≤ 3× the real halves'",
                    lambda f: f["label_accuracy"] >= 0.95 and f["label_accuracy_min"] >= 0.85
                    and max(fd_ratios(f)) <= 3),
    "cgan-ring": ("≥ 95% within 3σ of their requested mode",
                  lambda f: f["label_accuracy"] >= 0.95),
    "aae-digits": ("Fréchet distances ≤ 4×, reconstructions ≥ 90% their digit, code means within ±0.15 and "
                   "stds within 0.85–1.15",
                   lambda f: max(fd_ratios(f)) <= 4 and f["reconstruction_class_agreement"] >= 0.90
                   and f["code_mean_max_abs"] <= 0.15 and 0.85 <= f["code_std_min"] and f["code_std_max"] <= 1.15),
    "aae-mixture": ("(the figure; no target)", lambda f: True),
}


def mean_figures(runs):
    """The seeds' mean of every number (lists element by element, nested dicts key by key)."""
    first = runs[0]
    if isinstance(first, dict):
        return {key: mean_figures([r[key] for r in runs]) for key in first if all(key in r for r in runs)}
    if isinstance(first, list):
        return [mean_figures(list(values)) for values in zip(*runs)]
    return float(np.mean(runs)) if isinstance(first, (int, float)) else first


def table(name, found):
    header, cells = COLUMNS[name]
    lines = [f"`{EXPERIMENTS[name]}` (seeds {', '.join(map(str, found))}):", "",
             "| seed | " + " | ".join(header) + " | time |", "|" + "---|" * (len(header) + 2)]
    for seed, f in found.items():
        lines.append(f"| {seed} | " + " | ".join(cells(f)) + f" | {f['train_seconds']:.0f} s |")
    if len(found) > 1:
        lines.append("| mean | " + " | ".join(cells(mean_figures(list(found.values())))) +
                     f" | {np.mean([f['train_seconds'] for f in found.values()]):.0f} s |")
    text, check = TARGETS[name]
    met = [check(f) for f in found.values()]
    lines += ["", f"Target: {text}: met on {sum(met)} of {len(met)} seeds. Mean time "
                  f"{np.mean([f['train_seconds'] for f in found.values()]):.0f} s "
                  f"({found[next(iter(found))].get('steps')} steps, {found[next(iter(found))].get('threads')} thread).",
              ""]
    return "\n".join(lines)


def main(root):
    for name in EXPERIMENTS:
        found = runs(root, name)
        print(table(name, found) if found else f"`{EXPERIMENTS[name]}`: no runs under {root}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/sweep")
