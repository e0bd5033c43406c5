"""`python -m minigan train ALGORITHM --data DATA ...`: train a GAN and write its run folder.

    python -m minigan train gan                          # digits, DCGAN, Algorithm 1, defaults that work
    python -m minigan train gan --data ring --steps 3000
    python -m minigan train wgan-gp --data grid --out runs/grid
    python -m minigan train gan --out runs/digits --resume

The flags of an algorithm are the keyword arguments of its recipe (minigan.gan.recipes); a flag
left out takes the recipe's measured default for the data. A folder that holds a run is never
replaced without --overwrite; --resume continues it and refuses settings that contradict it.
"""
import argparse
import glob
import inspect
import os

import minigan
from minigan.cli import fail
from minigan.cli.common import DATA_HELP, keep_freed_memory, load_data, read_checkpoint, use_backend

# recipe keyword -> (argparse options, help); a recipe's signature picks the flags of its command
FLAGS = {
    "steps": (dict(type=int), "generator iterations"),
    "batch_size": (dict(type=int), "m, the minibatch size"),
    "latent_dim": (dict(type=int), "the size of z"),
    "lr": (dict(type=float), "the learning rate (G's, where D has its own)"),
    "lr_d": (dict(type=float), "D's learning rate"),
    "lr_drop_at": (dict(type=float), "divide both rates by 10 after this fraction of the steps"),
    "optimizer": (dict(choices=["adam", "oadam", "rmsprop", "sgd", "momentum", "omd"]), "the optimizer of both"),
    "betas": (dict(type=float, nargs=2, metavar=("BETA1", "BETA2")), "Adam's β₁ and β₂"),
    "prior": (dict(choices=["normal", "uniform", "mixture"]),
              "p_z (GAN-1); the adversarial autoencoder's p(z): normal or mixture (2-D codes)"),
    "ema": (dict(type=float, metavar="DECAY"), "β of an average of G's weights that samples come from (0: none)"),
    "k": (dict(type=int), "discriminator steps per generator step (Algorithm 1's k)"),
    "generator_loss": (dict(choices=["non_saturating", "minimax"]), "GAN-5's -log D(G(z)) or GAN-4's log(1 - D(G(z)))"),
    "n_critic": (dict(type=int), "critic iterations per generator iteration"),
    "clip_value": (dict(type=float), "c: critic weights clipped to [-c, c]"),
    "warmup": (dict(action=argparse.BooleanOptionalAction), "the reference code's 100 critic iterations at first"),
    "gp_weight": (dict(type=float), "λ, the gradient penalty's weight"),
    "lr_decay": (dict(action=argparse.BooleanOptionalAction), "decay both rates linearly to 0 over the steps"),
    "generator_activation": (dict(choices=["relu", "tanh"]), "hidden units of the 2-D generator"),
    "gamma": (dict(type=float), "γ, the diversity ratio in [0, 1] (BEGAN-4)"),
    "lambda_k": (dict(type=float), "λ_k, the gain of k_t's update (BEGAN-3)"),
    "lr_patience": (dict(type=int), "steps per M_global window; the rates halve when it stalls (0: never)"),
    "filters": (dict(type=int), "n, the filters of the first scale"),
    "convs_per_scale": (dict(type=int), "3×3 convolutions per scale"),
    "tanh": (dict(action=argparse.BooleanOptionalAction), "end the generator with tanh"),
    "skip": (dict(action=argparse.BooleanOptionalAction), "the decoders' skip connections from h₀"),
    "networks": (dict(choices=["mlp", "dcgan"]), "the players' networks (dcgan: images only)"),
    "code_size": (dict(type=int), "the size of the autoencoder's code z"),
    "hidden": (dict(type=int), "units of each hidden layer"),
    "conditional_decoder": (dict(action=argparse.BooleanOptionalAction),
                            "give the label to the decoder, dec(z | y) (the code keeps the style)"),
    "margin": (dict(type=float), "m, EBGAN's margin on the fakes' energy (VAR-EBGAN-1)"),
    "pt_weight": (dict(type=float), "λ_PT, the pulling-away term's weight in L_G (0: off; VAR-EBGAN-2)"),
    "energy": (dict(choices=["mse", "norm"]), "D(x): mean squared reconstruction error, or the paper's ‖·‖"),
    "members": (dict(type=int), "M, the generator's weight samples (VAR-BAYES-1)"),
    "d_members": (dict(type=int), "the discriminator's weight samples"),
    "z_draws": (dict(type=int), "J_g, batches of z per generator sample and step"),
    "sampler": (dict(choices=["noisy-adam", "sghmc"]), "the authors' Adam plus noise, or the literal SGHMC"),
    "alpha": (dict(type=float), "α, SGHMC's friction in (0, 1] (VAR-BAYES-2)"),
    "prior_std": (dict(type=float), "σ of the Gaussian prior on the weights"),
    "dcgan": (dict(action=argparse.BooleanOptionalAction), "the DCGAN generator as G (images)"),
    "stochastic": (dict(action=argparse.BooleanOptionalAction),
                   "ALI's Gaussian encoder (default: BiGAN's deterministic E)"),
}
RUN_FILES = ("checkpoint.npz", "metrics.csv", "losses.png", "samples_*.png", "codes.png", "code_plane.png",
             "evaluation.json", "energies.png", "encoder.png", "reconstructions.png")


def recipe_settings(name):
    """The keyword arguments of the recipe of algorithm `name`."""
    from minigan.gan import recipes

    return [p for p in inspect.signature(recipes.RECIPES[name]).parameters if p != "data"]


def add_run_arguments(p):
    p.add_argument("--data", help=f"the dataset: {DATA_HELP} (default digits)")
    p.add_argument("--image-size", type=int, default=64, help="side of the images of --data folder=PATH")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", help="the run folder (default runs/ALGORITHM-DATA, runs/ALGORITHM-DATA-PRIOR with --prior)")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoint")
    p.add_argument("--overwrite", action="store_true", help="replace the run that --out holds")
    p.add_argument("--backend", choices=["numpy", "cupy"], default=None, help="default: $MINIGAN_BACKEND or numpy")
    p.add_argument("--sample-every", type=int, default=500)
    p.add_argument("--checkpoint-every", type=int, default=500)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--threads", type=thread_count, default="auto",
                   help="BLAS threads and the threads that split a convolution's batch: a number, or auto "
                        "(the default): the count on which a few trial steps ran fastest, 1 for a step under "
                        "20 ms (several threads on a busy machine can be many times slower: auto measures it)")


def thread_count(text):
    """--threads: "auto" or an int (checked >= 1 in `run`, with a clear message)."""
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of threads or auto, got {text!r}") from None


def measured_threads(recipe, data, seed):
    """--threads auto: threads.fastest_num_threads of a few training steps on a copy of the algorithm,
    on batches of their own, off the run's random stream; the run itself starts untouched."""
    import copy

    from minigan import backend
    from minigan.data import DataLoader
    from minigan.gan.trainer import training_set
    from minigan.ops.threads import fastest_num_threads

    if backend.current() != "numpy":
        return 1                                           # the GPU parallelises itself
    trial = copy.deepcopy(recipe.algorithm)
    if getattr(trial, "warmup", False):
        trial.warmup = False          # WGAN's first 25 steps run 100 critic iterations: time typical steps
    batches = DataLoader(training_set(trial, data), recipe.batch_size, shuffle=True, drop_last=True,
                         seed=seed + 1).forever()
    with minigan.fork_rng(seed + 1):
        return fastest_num_threads(lambda: trial.step(batches))


def add_parser(subparsers):
    from minigan.gan import recipes

    p = subparsers.add_parser("train", help="train a GAN (gan, wgan, wgan-gp, began, cgan, aae, ebgan, bayesian-gan, "
                                            "ali)",
                              description="Train a GAN and write metrics.csv, sample figures, losses.png and "
                                          "checkpoint.npz into the run folder.")
    algorithms = p.add_subparsers(dest="algorithm", metavar="ALGORITHM", required=True)
    for name in recipes.RECIPES:
        q = algorithms.add_parser(name, help=f"train {name}",
                                  description=f"Flags left out take the defaults of recipes.{name.replace('-', '_')} "
                                              f"for the data (minigan/gan/recipes.py).")
        add_run_arguments(q)
        for setting in recipe_settings(name):
            options, text = FLAGS[setting]
            q.add_argument("--" + setting.replace("_", "-"), help=text + " (default: the recipe's)", **options)
        q.set_defaults(func=run)


def given_settings(args):
    """The recipe settings given on the command line (those left out are None)."""
    return {name: getattr(args, name) for name in recipe_settings(args.algorithm) if getattr(args, name) is not None}


def holds_run(folder):
    return any(glob.glob(os.path.join(folder, pattern)) for pattern in RUN_FILES)


def _same(given, saved):
    return tuple(given) == tuple(saved) if isinstance(given, (list, tuple)) else given == saved


def check_resume(args, config):
    """--resume continues the saved run: another algorithm or dataset is refused naming both; other
    settings that differ from the saved ones are refused by name, except --steps (applied)."""
    recipe = config["recipe"]
    if recipe["algorithm"] != args.algorithm:
        fail(f"{args.out} holds a {recipe['algorithm']} run; --resume cannot continue it as {args.algorithm}")
    if args.data is not None and args.data != config["data"]:
        fail(f"{args.out} holds a run on --data {config['data']}; --resume cannot continue it on --data {args.data}")
    given = given_settings(args)
    differ = [f"--{k.replace('_', '-')} {v} (saved: {recipe[k]})" for k, v in given.items()
              if k != "steps" and not _same(v, recipe[k])]
    if differ:
        fail("--resume continues the saved run with its own settings; these differ: " + ", ".join(differ)
             + ". Drop them, or train a new run into another --out")
    return {**recipe, "steps": given.get("steps", recipe["steps"])}


def prepare_folder(args):
    """Refuse to replace a run without --overwrite; with it, remove the run's files."""
    if args.resume:
        return
    if holds_run(args.out) and not args.overwrite:
        fail(f"{args.out} already holds a run; continue it with --resume, or replace it with --overwrite "
             f"(or choose another --out)")
    for pattern in RUN_FILES:
        for path in glob.glob(os.path.join(args.out, pattern)):
            os.remove(path)


def default_out(args):
    """runs/ALGORITHM-DATA, and -PRIOR when --prior is given (two runs of a README, one with the
    mixture prior, keep their own folders)."""
    name = f"{args.algorithm}-{(args.data or 'digits').partition('=')[0]}"
    prior = getattr(args, "prior", None)
    return os.path.join("runs", name + (f"-{prior}" if prior else ""))


def run(args):
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    from minigan.gan import recipes
    from minigan.ops.threads import set_num_threads

    for name in ("sample_every", "checkpoint_every", "threads"):
        if getattr(args, name) != "auto" and getattr(args, name) < 1:
            fail(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    use_backend(args.backend)
    if args.resume and not args.out:
        fail("--resume needs the run folder: --out DIR")
    args.out = args.out or default_out(args)
    if args.resume:
        config = read_checkpoint(args.out)["config"]
        settings = check_resume(args, config)
        args.data, args.image_size, args.seed = config["data"], config["image_size"], config["seed"]
    else:
        args.data = args.data or "digits"
        settings = {"algorithm": args.algorithm, **given_settings(args)}
    data = load_data(args.data, args.image_size)
    minigan.manual_seed(args.seed)
    try:
        recipe = recipes.build(settings, data)
    except (ValueError, TypeError) as e:
        fail(str(e))
    prepare_folder(args)
    config = {"recipe": recipe.config, "data": args.data, "image_size": args.image_size, "seed": args.seed}
    print(f"training {args.algorithm} on {args.data} for {recipe.steps} steps (batch {recipe.batch_size}) "
          f"-> {args.out}")
    keep_freed_memory()
    if args.threads == "auto":
        args.threads = measured_threads(recipe, data, args.seed)
        print(f"--threads auto: {args.threads} (the fastest of a few trial steps)")
    set_num_threads(args.threads)
    with threadpool_limits(args.threads):
        return train_and_report(recipe, data, args, config)


def train_and_report(recipe, data, args, config):
    """fit(), then the last logged figures and evaluate's quality figures (2500 samples, as docs/results.md),
    also written to the run folder's evaluation.json with the training's wall time."""
    import time

    from minigan.cli.evaluate import report
    from minigan.gan.trainer import TrainingDiverged, fit

    start = time.perf_counter()
    try:
        rows = fit(recipe.algorithm, data, recipe.steps, args.out, batch_size=recipe.batch_size, seed=args.seed,
                   sample_every=args.sample_every, checkpoint_every=args.checkpoint_every, resume=args.resume,
                   config=config, progress=not args.quiet)
    except TrainingDiverged as e:
        print(f"minigan train: stopped: {e}")
        return 1
    seconds = time.perf_counter() - start
    if rows:
        print("last logged: " + ", ".join(f"{k} {float(v):.4f}" for k, v in rows[-1].items() if k != "step"))
    return report(args.out, save={"train_seconds": round(seconds, 1), "steps": recipe.steps, "threads": args.threads})
