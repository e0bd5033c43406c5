"""The targets of issue 7 on scikit-learn's digits, measured over several seeds, with timings.

    python benchmarks/bench_adversarial.py [--seeds 3] [--epochs 60] [--generator DIR] [--json FILE]

- MLP 64-128-10, Adam lr 1e-3, batch 64, `--epochs` epochs: clean test accuracy;
- FGSM, BIM (Kurakin's steps, α = 1/255) and PGD (40 steps, α = 2.5ε/40) at ε = 0.1 and 0.25:
  error and mean confidence on the misclassified;
- adversarial training (ADV-2, α = 0.5, ε = 0.25): clean accuracy, FGSM error at ε = 0.1 and 0.25;
- the adversarial patch (ADV-3) for every target class, 3×3 (14% of the image) and 4×4 (25%):
  success on the held-out images of the other classes, random location, rotation, flip and scale;
- the manifold defense (ADV-4) with the generator of a GAN trained on the digits (`--generator DIR`,
  a minigan.gan checkpoint folder, or one trained here): accuracy on FGSM examples at ε = 0.1;
- the small CNN: clean accuracy and FGSM error.
Images are in [0, 1]; ε is a fraction of the pixel range.
"""
import argparse
import json
import time

import numpy as np

import minigan
from minigan.adversarial import (
    accuracy,
    adversarial_loss,
    attack_report,
    bim,
    classification_data,
    fgsm,
    mlp_classifier,
    patch_success_rate,
    pgd,
    small_cnn,
    train_classifier,
    train_patch,
)

ATTACKS = {"FGSM": lambda m, x, y, eps: fgsm(m, x, y, eps),
           "BIM": lambda m, x, y, eps: bim(m, x, y, eps),
           "PGD": lambda m, x, y, eps: pgd(m, x, y, eps, steps=40)}


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def classifier_figures(seed, data, epochs):
    """Clean accuracy, the attacks, and adversarial training for one seed."""
    x_train, y_train, x_test, y_test = data
    x = minigan.tensor(x_test)
    minigan.manual_seed(seed)
    model = mlp_classifier()
    _, train_seconds = timed(train_classifier, model, (x_train, y_train), epochs, seed=seed)
    row = {"seed": seed, "clean": accuracy(model, x, y_test), "train_s": train_seconds}
    for eps in (0.1, 0.25):
        for name, attack in ATTACKS.items():
            x_adv, seconds = timed(attack, model, x, y_test, eps)
            report = attack_report(model, x_adv, y_test)
            row[f"{name}@{eps}"] = report["error"]
            row[f"{name}@{eps} conf"] = report["confidence"]
            row[f"{name}@{eps} s"] = seconds
    minigan.manual_seed(seed)
    robust = mlp_classifier()
    _, adv_seconds = timed(train_classifier, robust, (x_train, y_train), epochs, seed=seed,
                           loss=lambda model, x, y: adversarial_loss(model, x, y, eps=0.25, alpha=0.5))
    row.update({"adv clean": accuracy(robust, x, y_test), "adv train_s": adv_seconds})
    for eps in (0.1, 0.25):
        row[f"adv FGSM@{eps}"] = attack_report(robust, fgsm(robust, x, y_test, eps), y_test)["error"]
    return model, row


def patch_figures(model, data, sizes=(3, 4), steps=500):
    """Success of a targeted patch of each size for every target class."""
    x_train, _, x_test, y_test = data
    table = {}
    for size in sizes:
        for target in range(10):
            minigan.manual_seed(target)
            patch, seconds = timed(train_patch, model, minigan.tensor(x_train), target, size, steps=steps)
            table[(size, target)] = (patch_success_rate(model, patch, x_test, y_test, target), seconds)
    return table


def cnn_figures(data, epochs, seed=0):
    """The small CNN: clean accuracy and FGSM error."""
    x_train, y_train, x_test, y_test = data
    x = minigan.tensor(x_test)
    minigan.manual_seed(seed)
    model = small_cnn()
    _, seconds = timed(train_classifier, model, (x_train, y_train), epochs, seed=seed)
    row = {"clean": accuracy(model, x, y_test), "train_s": seconds}
    for eps in (0.1, 0.25):
        row[f"FGSM@{eps}"] = attack_report(model, fgsm(model, x, y_test, eps), y_test)["error"]
    return row


def defense_figures(model, data, generator, count, steps, restarts):
    """[ADV-4] accuracy on `count` test images, clean and FGSM at ε = 0.1, without and with the defense."""
    from minigan.adversarial.manifold import manifold_defense

    _, _, x_test, y_test = data
    x, y = minigan.tensor(x_test[:count]), y_test[:count]
    x_adv = fgsm(model, x, y, 0.1)
    row = {"images": count, "clean": accuracy(model, x, y), "FGSM@0.1": accuracy(model, x_adv, y)}
    for name, images in (("defended clean", x), ("defended FGSM@0.1", x_adv)):
        (labels, _), seconds = timed(manifold_defense, generator, images, model, steps=steps, restarts=restarts)
        row[name] = float(np.mean(labels == y))
        row[name + " s"] = seconds
    return row


def mean_std(rows, key):
    values = np.array([r[key] for r in rows])
    return f"{100 * values.mean():.1f} ± {100 * values.std():.1f}"


def report(rows, patches, cnn, defense):
    print("\n## Classifier and attacks (MLP 64-128-10, digits, mean ± std over seeds "
          f"{[r['seed'] for r in rows]})\n")
    print("| measure | % |\n|---|---|")
    print(f"| clean test accuracy | {mean_std(rows, 'clean')} |")
    for eps in (0.1, 0.25):
        for name in ATTACKS:
            print(f"| {name} error at ε = {eps} (mean confidence) | {mean_std(rows, f'{name}@{eps}')} "
                  f"({mean_std(rows, f'{name}@{eps} conf')}) |")
    print(f"| adversarial training (α = 0.5, ε = 0.25): clean accuracy | {mean_std(rows, 'adv clean')} |")
    for eps in (0.1, 0.25):
        print(f"| adversarial training: FGSM error at ε = {eps} | {mean_std(rows, f'adv FGSM@{eps}')} |")
    print(f"\ntimes (s, seed {rows[0]['seed']}): training {rows[0]['train_s']:.2f}, adversarial training "
          f"{rows[0]['adv train_s']:.2f}, " + ", ".join(
              f"{name}@{eps} {rows[0][f'{name}@{eps} s']:.3f}" for eps in (0.1, 0.25) for name in ATTACKS))
    print("\n## Adversarial patch (success % on held-out images of the other classes, seed-0 MLP)\n")
    sizes = sorted({s for s, _ in patches})
    print("| target | " + " | ".join(f"{s}×{s} ({100 * s * s / 64:.0f}%)" for s in sizes) + " |")
    print("|---" * (len(sizes) + 1) + "|")
    for target in range(10):
        print(f"| {target} | " + " | ".join(f"{100 * patches[(s, target)][0]:.1f}" for s in sizes) + " |")
    print(f"\npatch training time (500 steps): {np.mean([v[1] for v in patches.values()]):.2f} s")
    print(f"\n## Small CNN: clean {100 * cnn['clean']:.1f}%, FGSM error at ε = 0.1: {100 * cnn['FGSM@0.1']:.1f}%, "
          f"at ε = 0.25: {100 * cnn['FGSM@0.25']:.1f}% (training {cnn['train_s']:.1f} s)")
    if defense:
        print(f"\n## Manifold defense ({defense['images']} test images, seed-0 MLP)\n")
        print("| | undefended | defended |\n|---|---|---|")
        print(f"| clean accuracy | {100 * defense['clean']:.1f} | {100 * defense['defended clean']:.1f} |")
        print(f"| accuracy on FGSM (ε = 0.1) | {100 * defense['FGSM@0.1']:.1f} | "
              f"{100 * defense['defended FGSM@0.1']:.1f} |")
        print(f"\nprojection time: {defense['defended FGSM@0.1 s']:.1f} s for {defense['images']} images")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--cnn-epochs", type=int, default=20)
    parser.add_argument("--generator", default=None, help="a GAN checkpoint folder (trained on digits)")
    parser.add_argument("--defense-images", type=int, default=359)
    parser.add_argument("--projection-steps", type=int, default=200)
    parser.add_argument("--restarts", type=int, default=10)
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args()
    data = classification_data("digits")
    models, rows = zip(*[classifier_figures(seed, data, args.epochs) for seed in range(args.seeds)])
    patches = patch_figures(models[0], data)
    cnn = cnn_figures(data, args.cnn_epochs)
    defense = None
    if args.generator:
        from minigan.cli.attack import load_generator

        defense = defense_figures(models[0], data, load_generator(args.generator), args.defense_images,
                                  args.projection_steps, args.restarts)
    report(list(rows), patches, cnn, defense)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "patches": {f"{s}x{s} target {t}": v for (s, t), v in patches.items()},
                       "cnn": cnn, "defense": defense}, f, indent=1)


if __name__ == "__main__":
    main()
