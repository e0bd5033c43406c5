"""`python -m minigan attack fgsm|bim|pgd|patch`: the lecture's adversarial examples on digits or MNIST.

    python -m minigan attack fgsm --data digits --eps 0.25 --out runs/attack
    python -m minigan attack pgd --data mnist=~/data/mnist --model cnn --adversarial-training
    python -m minigan attack fgsm --eps 0.1 --defense manifold --generator runs/gan-digits
    python -m minigan attack patch --data digits --target 0

Trains the classifier (or loads it from --cache), prints its clean accuracy, the error rate on the
adversarial test examples and their mean confidence, and writes the triptych (x, ε·sign(∇ₓJ), x_adv)
and the error-against-ε plot (for `patch`: the patch and patched images) to --out.
"""
import math
import os

import numpy as np

from minigan.cli import fail

ATTACKS = ("fgsm", "bim", "pgd", "patch")
DATASETS = ("digits", "mnist", "fashion_mnist")
EPSILON_GRID = (0.0, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


def add_parser(subparsers):
    p = subparsers.add_parser("attack", help="adversarial examples: FGSM, BIM, PGD, the adversarial patch",
                              description=__doc__.splitlines()[0])
    p.add_argument("attack", choices=ATTACKS)
    p.add_argument("--data", default="digits", help="digits, mnist=PATH or fashion_mnist=PATH (default digits)")
    p.add_argument("--model", default="mlp", choices=("mlp", "cnn"), help="the classifier (default mlp)")
    p.add_argument("--eps", type=float, default=0.25, help="ε, a fraction of the pixel range [0, 1] (default 0.25)")
    p.add_argument("--adversarial-training", action="store_true",
                   help="train on ADV-2's α·J(x) + (1 − α)·J(FGSM(x)) with --alpha and --train-eps")
    p.add_argument("--alpha", type=float, default=0.5, help="ADV-2's α (default 0.5)")
    p.add_argument("--train-eps", type=float, default=0.25, help="ε of adversarial training (default 0.25)")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate (default 1e-3)")
    p.add_argument("--steps", type=int, default=None,
                   help="BIM/PGD steps (default: Kurakin's rule for BIM, 40 for PGD); patch: ascent steps (500)")
    p.add_argument("--target", type=int, default=0, help="the patch's target class (default 0)")
    p.add_argument("--patch-size", type=int, default=None,
                   help="the patch's side in pixels (default: the largest covering at most 15%% of the image)")
    p.add_argument("--defense", choices=("manifold",), default=None, help="ADV-4: classify G(z*) instead of x")
    p.add_argument("--generator", default=None, help="the checkpoint folder of a GAN trained on the same data")
    p.add_argument("--restarts", type=int, default=10, help="random starts of the projection (default 10)")
    p.add_argument("--projection-steps", type=int, default=200, help="descent steps of the projection (default 200)")
    p.add_argument("--out", default="runs/attack", help="folder for the figures (default runs/attack)")
    p.add_argument("--cache", default="runs/classifiers",
                   help="folder of trained classifiers (default runs/classifiers)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def run(args):
    check_args(args)
    import minigan
    from minigan.adversarial import accuracy, classification_data

    minigan.manual_seed(args.seed)
    name, path = parse_data(args.data)
    try:
        x_train, y_train, x_test, y_test = classification_data(name, path, seed=args.seed)
    except (FileNotFoundError, ValueError) as e:
        fail(str(e))
    if args.attack == "patch":
        args.patch_size = patch_size(args, x_train.shape)
    generator = None
    if args.defense:                     # first, so that a bad checkpoint is refused before anything is written
        with minigan.fork_rng(args.seed):
            generator = load_generator(args.generator)
    model = trained_classifier(args, name, x_train, y_train)
    x_test = minigan.tensor(x_test)
    print(f"clean test accuracy: {100 * accuracy(model, x_test, y_test):.2f}%  ({len(y_test)} {name} test images)")
    os.makedirs(args.out, exist_ok=True)
    if args.attack == "patch":
        return run_patch(args, model, minigan.tensor(x_train), x_test, y_test)
    return run_attack(args, model, x_test, y_test, generator)


def check_args(args):
    """Bad values exit with code 2 and one line saying what to do."""
    for flag, value in (("--eps", args.eps), ("--train-eps", args.train_eps)):
        if not (math.isfinite(value) and 0 <= value <= 1):
            fail(f"{flag} must be a fraction of the pixel range in [0, 1], got {value}")
    if not 0 <= args.alpha <= 1:
        fail(f"--alpha must lie in [0, 1], got {args.alpha}")
    for flag, value in (("--epochs", args.epochs), ("--batch-size", args.batch_size), ("--restarts", args.restarts),
                        ("--projection-steps", args.projection_steps)):
        if value < 1:
            fail(f"{flag} must be at least 1, got {value}")
    if args.steps is not None and args.steps < 0:
        fail(f"--steps must be >= 0, got {args.steps}")
    if args.defense and not args.generator:
        fail("--defense manifold needs --generator DIR, the checkpoint folder of a GAN trained on the same data")
    if args.generator and not os.path.isdir(args.generator):
        fail(f"--generator {args.generator!r} is not a folder (expected a GAN checkpoint folder)")
    if args.defense and args.attack == "patch":
        fail("--defense manifold applies to fgsm, bim and pgd, not to the patch")


def parse_data(spec):
    name, _, path = spec.partition("=")
    if name not in DATASETS:
        fail(f"unknown --data {spec!r}: use digits, mnist=PATH or fashion_mnist=PATH")
    if name == "digits" and path:
        fail("--data digits takes no path (the digits come with scikit-learn)")
    if name != "digits" and not path:
        fail(f"--data {name} needs the folder of its IDX files: --data {name}=PATH")
    return name, (os.path.expanduser(path) if path else None)


# ------------------------------------------------------------------------------------ classifier
def trained_classifier(args, name, x_train, y_train):
    """The classifier from the cache when it was trained before on these images with these settings,
    else trained now (Adam on the cross-entropy, or on ADV-2's objective) and saved to the cache."""
    import minigan
    from minigan.adversarial import adversarial_loss, train_classifier
    from minigan.adversarial.models import classifier
    from minigan.classifier_training import cache_path, cached_classifier, cross_entropy

    recipe = {"model": args.model, "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
              "seed": args.seed, "adversarial": args.adversarial_training}
    if args.adversarial_training:
        recipe.update(alpha=args.alpha, eps=args.train_eps)
    path = cache_path(f"{name}-{args.model}", recipe, (x_train, y_train), folder=args.cache)
    trained_now = []

    def train(model):
        what = (f"adversarial training (α = {args.alpha:g}, ε = {args.train_eps:g})" if args.adversarial_training
                else "training")
        print(f"classifier: {args.model}, {what}, {args.epochs} epochs of Adam "
              f"(lr {args.lr:g}, batch {args.batch_size})")
        loss = adversarial if args.adversarial_training else cross_entropy
        train_classifier(model, (x_train, y_train), args.epochs, batch_size=args.batch_size, lr=args.lr, loss=loss,
                         seed=args.seed)
        trained_now.append(True)

    def adversarial(model, x, y):
        return adversarial_loss(model, x, y, args.train_eps, args.alpha)                      # [ADV-2] J̃

    with minigan.fork_rng(args.seed):  # the attacks' random draws do not depend on whether it was trained now
        model, _ = cached_classifier(path, lambda: classifier(args.model, x_train.shape[1:]), train)
    if not trained_now:
        print(f"classifier: {args.model} loaded from {path}")
    return model


# --------------------------------------------------------------------------------------- attacks
def attack_fn(args):
    """x ↦ x_adv for the chosen attack at ε (BIM: Kurakin's steps by default; PGD: 40 steps)."""
    from minigan.adversarial import bim, fgsm, pgd

    if args.attack == "fgsm":
        return lambda model, x, y, eps: fgsm(model, x, y, eps)
    if args.attack == "bim":
        return lambda model, x, y, eps: bim(model, x, y, eps, steps=args.steps)
    return lambda model, x, y, eps: pgd(model, x, y, eps, steps=40 if args.steps is None else args.steps)


def run_attack(args, model, x_test, y_test, generator=None):
    from minigan.adversarial import attack_report, loss_gradient, predict
    from minigan.viz.adversarial import error_vs_eps, triptych

    attack = attack_fn(args)
    x_adv = attack(model, x_test, y_test, args.eps)
    report = attack_report(model, x_adv, y_test)
    print(f"{args.attack.upper()} at ε = {args.eps:g}: error {100 * report['error']:.2f}%, "
          f"mean confidence on the misclassified {100 * report['confidence']:.1f}%")
    if generator is not None:
        defend(args, generator, model, x_test, x_adv, y_test)
    labels, confidences = predict(model, x_test)
    adv_labels, adv_confidences = predict(model, x_adv)
    shown = pick_examples(labels == y_test, adv_labels != y_test)
    if args.attack == "fgsm":  # the slide's middle panel: ε·sign(∇ₓJ), before clipping
        perturbation, title = args.eps * loss_gradient(model, x_test[shown], y_test[shown]).sign(), None
    else:
        perturbation, title = x_adv[shown] - x_test[shown], f"+ δ ({args.attack.upper()}), ‖δ‖∞ ≤ ε"
    triptych_path = os.path.join(args.out, f"triptych_{args.attack}.png")
    triptych(x_test[shown], x_adv[shown], args.eps, labels[shown], confidences[shown], adv_labels[shown],
             adv_confidences[shown], path=triptych_path, perturbation=perturbation,
             **({"perturbation_title": title} if title else {}))
    errors = [attack_report(model, attack(model, x_test, y_test, eps), y_test)["error"] for eps in EPSILON_GRID]
    curve_path = os.path.join(args.out, f"error_vs_eps_{args.attack}.png")
    error_vs_eps(EPSILON_GRID, {f"{args.attack.upper()} on {args.model}": errors}, path=curve_path)
    print(f"wrote {triptych_path} and {curve_path}")


def pick_examples(correct, fooled, count=3):
    """The first examples the classifier got right and the attack got wrong (else the first ones)."""
    chosen = np.flatnonzero(correct & fooled)[:count]
    return chosen if len(chosen) else np.arange(min(count, len(correct)))


def defend(args, generator, model, x_test, x_adv, y_test):
    """[ADV-4] accuracy of classifying G(z*) on clean and adversarial test images."""
    from minigan.adversarial.manifold import manifold_defense

    for what, x in (("clean", x_test), ("adversarial", x_adv)):
        labels, _ = manifold_defense(generator, x, model, steps=args.projection_steps, restarts=args.restarts)
        print(f"manifold defense on {what} images: accuracy {100 * np.mean(labels == y_test):.2f}%")


def load_generator(folder):
    """The generator of the run that `python -m minigan train` wrote into `folder`, in eval mode."""
    from minigan.cli.common import restore
    from minigan.data import Toy2D

    algorithm, data, _ = restore(folder)
    if isinstance(data, Toy2D):
        fail(f"the run in {folder!r} was trained on 2-D points, not on images: train a GAN on the same images")
    if algorithm.generator_average is not None:
        algorithm.generator_average.copy_to()           # sample from the average of G's iterates
    generator = algorithm.generator.eval()
    generator.latent_dim, generator.prior = algorithm.latent_dim, algorithm.prior  # z's size and law, for invert
    return generator


# ----------------------------------------------------------------------------------------- patch
def patch_size(args, image_shape):
    """--patch-size, by default the largest side whose square covers at most 15% of the image."""
    height, width = image_shape[-2:]
    size = args.patch_size or int(math.floor(math.sqrt(0.15 * height * width)))
    if not 1 <= size <= min(height, width):
        fail(f"--patch-size must be between 1 and {min(height, width)} for {height}×{width} images, got {size}")
    if not 0 <= args.target < 10:
        fail(f"--target must be a class 0..9, got {args.target}")
    return size


def run_patch(args, model, x_train, x_test, y_test):
    """[ADV-3] train a targeted patch on the training images, measure its success on the test images."""
    from minigan import no_grad
    from minigan.adversarial import patch_success_rate, predict, train_patch
    from minigan.viz.adversarial import patch_examples

    size = args.patch_size
    steps = 500 if args.steps is None else args.steps
    patch = train_patch(model, x_train, args.target, size, steps=steps)
    success = patch_success_rate(model, patch, x_test, y_test, args.target)
    print(f"patch {size}×{size} ({100 * patch.coverage(x_test.shape):.1f}% of the image), target {args.target}: "
          f"success {100 * success:.2f}% on the held-out images of other classes")
    others = np.flatnonzero(y_test != args.target)[:6]
    with no_grad():
        patched = patch.apply(x_test[others])
    labels, confidences = predict(model, patched)
    path = os.path.join(args.out, f"patch_target{args.target}.png")
    patch_examples(patch.values.detach(), patched, labels, confidences, args.target, path=path)
    print(f"wrote {path}")
