"""The measured recipes: one plain function per algorithm that builds it, networks and optimizers
included, for a dataset, with the defaults that docs/results.md measured for that kind of data.

    recipe = recipes.wgan_gp(toy2d.grid())            # the defaults for the grid
    recipe = recipes.gan(images.digits(), steps=500)  # a keyword overrides one setting
    fit(recipe.algorithm, data, recipe.steps, "runs/x", batch_size=recipe.batch_size)

`recipe.config` holds every resolved setting: a run saves it, and `build(config, data)` makes the
same algorithm again from it. The command line (`python -m minigan train ...`), the tutorials,
the lab and the benchmarks all call these functions.

The kind of data picks the row of DEFAULTS: "ring", "grid" and any other 2-D mixture ("points"),
"digits" (8×8 images) and other "images"; a kind without its own row takes its parent's.
"""
from dataclasses import dataclass

import numpy as np

from minigan import nn, optim
from minigan.data.toy2d import Toy2D
from minigan.gan.aae import AdversarialAutoencoder
from minigan.gan.aae_models import aae_mlps
from minigan.gan.ali import ALI
from minigan.gan.ali_models import ali_networks
from minigan.gan.bayesian_gan import BayesianGAN, Members
from minigan.gan.began import BEGAN
from minigan.gan.began_models import began_autoencoder, began_generator, mlp_autoencoder, mlp_image_autoencoder
from minigan.gan.conditional import ConditionalGAN
from minigan.gan.ebgan import EBGAN
from minigan.gan.gan import GAN
from minigan.gan.models import (
    conditional_mlps,
    dcgan_discriminator,
    dcgan_generator,
    gan_mlps,
    mlp,
    mlp_generator,
    wgan_mlps,
)
from minigan.gan.wgan import WGAN, WGANGP

OPTIMIZERS = ("adam", "oadam", "rmsprop", "sgd", "momentum", "omd")
PARENT = {"ring": "points", "grid": "points", "points": None, "digits": "images", "images": None}

# algorithm -> kind of data -> settings; each row is measured in docs/results.md with its command.
DEFAULTS = {
    "gan": {
        # tanh G, LeakyReLU D (models.gan_mlps); both rates ÷10 after 70% of the steps (lr_drop_at)
        "points": dict(latent_dim=64, batch_size=512, steps=4000, lr=1e-3, lr_d=3e-4, lr_drop_at=0.7),
        "grid": dict(steps=6000),
        "images": dict(latent_dim=64, batch_size=64, steps=3000, lr=2e-4, lr_d=2e-4, lr_drop_at=None),
        "digits": dict(ema=0.995),   # samples from an average of G's iterates (docs/results.md)
    },
    "wgan": {
        # RMSProp, n_critic 5, the reference warm-up; on points a wider clip and a linear decay
        "points": dict(latent_dim=2, batch_size=256, steps=2000, lr=3e-4, lr_d=3e-4, clip_value=0.05, lr_decay=True,
                       generator_activation="relu"),
        "images": dict(latent_dim=32, batch_size=64, steps=2000, lr=1e-4, lr_d=1e-4, clip_value=0.01, lr_decay=False),
    },
    "wgan-gp": {
        # Adam (0.5, 0.9); on points gan_toy.py's λ = 0.1 and a 2-D z, a tanh G, a linear decay
        "points": dict(latent_dim=2, batch_size=64, steps=4500, lr=1e-3, lr_d=1e-3, gp_weight=0.1, lr_decay=True,
                       generator_activation="tanh"),
        "images": dict(latent_dim=64, batch_size=64, steps=3000, lr=1e-4, lr_d=1e-4, gp_weight=10.0, lr_decay=False),
    },
    "began": {
        # the paper's γ, λ_k, lr and two convolutions per scale; on 8×8 digits the measured recipe:
        # D at G's rate / 11 (see `began`), tanh output, samples from an average of G's iterates
        "points": dict(latent_dim=16, batch_size=256, steps=3000, lr=1e-4, lr_d=1e-4, gamma=0.5, lambda_k=0.001,
                       ema=0.0, lr_patience=1000),
        "images": dict(latent_dim=64, batch_size=64, steps=3000, lr=1e-4, lr_d=1e-4, gamma=0.5, lambda_k=0.001,
                       filters=64, convs_per_scale=2, tanh=False, skip=False, ema=0.0, lr_patience=1000),
        "digits": dict(latent_dim=32, steps=8000, lr=3e-4, lr_d=3e-4 / 11, gamma=1.0, lambda_k=0.003, filters=32,
                       convs_per_scale=1, tanh=True, ema=0.998),
    },
    "cgan": {
        # the gan recipe's networks and rates on points, with y = the mode's index (models.conditional_mlps);
        # on images the gan recipe's DCGAN pair taking y (concatenated to z, as channels beside x)
        "points": dict(latent_dim=64, batch_size=512, steps=3000, lr=1e-3, lr_d=3e-4, lr_drop_at=0.7,
                       networks="mlp"),
        "images": dict(latent_dim=64, batch_size=64, steps=3000, lr=2e-4, lr_d=2e-4, lr_drop_at=None,
                       networks="dcgan"),
    },
    "aae": {
        # encoder, decoder and D on codes MLPs of 2 × 256 units (aae_models.aae_mlps); Adam (0.5, 0.999)
        "images": dict(code_size=8, batch_size=64, steps=4000, lr=1e-3, lr_d=1e-3, lr_drop_at=0.7, hidden=256),
    },
    "ebgan": {
        # the GAN's points recipe with an autoencoder D (2 → 256 → 256 → 8 → 256 → 256 → 2) and the
        # margin on the per-sample mean squared error; on images a dense autoencoder (64 → 256 → 256 → 32
        # on digits) at half G's rate and the DCGAN generator, sampled from the average of its iterates
        "points": dict(latent_dim=64, batch_size=256, steps=4000, lr=1e-3, lr_d=3e-4, lr_drop_at=0.7, margin=0.5,
                       code_size=8, hidden=256),
        "grid": dict(steps=6000),
        "images": dict(latent_dim=64, batch_size=64, steps=5000, lr=2e-4, lr_d=1e-4, lr_drop_at=None, margin=0.3,
                       code_size=32, hidden=256, ema=0.998),
    },
    "bayesian-gan": {
        # M = 4 generator samples of the GAN's networks against one discriminator, each G on B/M codes
        # (one GAN's compute), the authors' noisy Adam (sampler "noisy-adam") with the GAN's rates
        "points": dict(latent_dim=64, batch_size=512, steps=4000, lr=1e-3, lr_d=3e-4, lr_drop_at=0.7, members=4),
        "grid": dict(steps=6000),
        "images": dict(latent_dim=64, batch_size=64, steps=3000, lr=2e-4, lr_d=2e-4, lr_drop_at=None, members=4),
    },
    "ali": {
        # BiGAN (deterministic E) with the joint discriminator; on points z of 2 (E's map of the plane);
        # on images samples and reconstructions from the average of G's iterates
        "points": dict(latent_dim=2, batch_size=256, steps=6000, lr=1e-3, lr_d=3e-4, lr_drop_at=0.7, hidden=256),
        "images": dict(latent_dim=8, batch_size=64, steps=10000, lr=2e-4, lr_d=2e-4, lr_drop_at=None, hidden=256,
                       ema=0.998),
    },
}
# what every algorithm's settings hold unless its row says otherwise
COMMON = {"gan": dict(optimizer="adam", betas=(0.5, 0.999), k=1, generator_loss="non_saturating", prior="normal",
                      ema=0.0),
          "wgan": dict(optimizer="rmsprop", betas=(0.5, 0.999), n_critic=5, warmup=True, prior="normal", ema=0.0),
          "wgan-gp": dict(optimizer="adam", betas=(0.5, 0.9), n_critic=5, prior="normal", ema=0.0),
          "began": dict(optimizer="adam", betas=(0.5, 0.999), prior="normal"),
          "cgan": dict(optimizer="adam", betas=(0.5, 0.999), k=1, generator_loss="non_saturating", prior="normal",
                       ema=0.0),
          "aae": dict(optimizer="adam", betas=(0.5, 0.999), prior="normal", conditional_decoder=False),
          "ebgan": dict(optimizer="adam", betas=(0.5, 0.999), prior="normal", ema=0.0, pt_weight=0.1, energy="mse"),
          "bayesian-gan": dict(sampler="noisy-adam", betas=(0.5, 0.999), alpha=0.01, prior_std=1.0, z_draws=1,
                               d_members=1, prior="normal"),
          "ali": dict(optimizer="adam", betas=(0.5, 0.999), prior="normal", ema=0.0, stochastic=False, dcgan=False)}
SAMPLERS = ("noisy-adam", "sghmc")


@dataclass
class Recipe:
    """An algorithm built for a dataset, and how long and on what batches to train it."""
    algorithm: object
    steps: int
    batch_size: int
    config: dict


def data_kind(data):
    """"ring", "grid", "points" (another 2-D mixture), "digits" (8×8 images) or "images"."""
    if isinstance(data, Toy2D):
        return data.name if data.name in ("ring", "grid") else "points"
    return "digits" if data.image_shape[1:] == (8, 8) else "images"


def defaults(name, data):
    """The settings of algorithm `name` for `data`: COMMON, then the rows of the kind's parents."""
    rows, kind = [], data_kind(data)
    while kind is not None:
        rows.append(DEFAULTS[name].get(kind, {}))
        kind = PARENT[kind]
    settings = dict(COMMON[name])
    for row in reversed(rows):
        settings.update(row)
    return settings


def resolve(name, data, overrides):
    """The defaults with the overrides that are not None; a setting the row does not have is an error."""
    settings = defaults(name, data)
    overrides = {key: value for key, value in overrides.items() if value is not None}
    unknown = sorted(set(overrides) - set(settings))
    if unknown:
        raise TypeError(f"{name} takes no setting {', '.join(unknown)} for {data_kind(data)} data; "
                        f"its settings are {', '.join(sorted(settings))}")
    settings.update(overrides)
    for key in ("steps", "batch_size", "latent_dim", "code_size"):
        if key in settings and not (isinstance(settings[key], int) and settings[key] >= 1):
            raise ValueError(f"{key} must be an integer >= 1, got {settings[key]!r}")
    for key in ("lr", "lr_d"):
        if key in settings and not settings[key] > 0:   # also refuses NaN
            raise ValueError(f"{key} (a learning rate) must be positive, got {settings[key]!r}")
    return settings


def make_optimizer(name, params, lr, betas=(0.5, 0.999), maximize=False):
    """An optimizer by its short name; maximize=True ascends (the slides' w ← w + η∇w).

    sgd: plain SGD (OPT-GD); momentum: SGD with momentum 0.5 ("we used momentum", GAN-4);
    rmsprop (OPT-RMSPROP); adam (OPT-ADAM); oadam: Optimistic Adam (OPT-OADAM); omd: optimistic
    mirror descent (OPT-OMD)."""
    if name == "adam":
        return optim.Adam(params, lr=lr, betas=betas, maximize=maximize)
    if name == "oadam":
        return optim.OptimisticAdam(params, lr=lr, betas=betas, maximize=maximize)
    if name == "rmsprop":
        return optim.RMSProp(params, lr=lr, maximize=maximize)
    if name in ("sgd", "momentum"):
        return optim.SGD(params, lr=lr, momentum=0.5 if name == "momentum" else 0.0, maximize=maximize)
    if name == "omd":
        return optim.OptimisticSGD(params, lr=lr, maximize=maximize)
    raise ValueError(f"unknown optimizer {name!r}: choose one of {OPTIMIZERS}")


def _d_rate(lr, lr_d, slowdown=1.0):
    """D's rate: lr_d if given, else G's rate lr (given) divided by `slowdown`; None leaves the row's."""
    if lr_d is not None or lr is None:
        return lr_d
    return lr / slowdown


def _optimizers(s, generator, discriminator, ascend=False):
    return (make_optimizer(s["optimizer"], generator.parameters(), s["lr"], tuple(s["betas"])),
            make_optimizer(s["optimizer"], discriminator.parameters(), s["lr_d"], tuple(s["betas"]), maximize=ascend))


def _linear_decay(s, optimizers):
    """η_t = η_0 · (1 − t/T) over the T steps of the run (WGAN-GP's reference schedule), if asked for."""
    if not s.get("lr_decay"):
        return []
    return [optim.schedule.LinearLR(opt, start_factor=1.0, end_factor=0.0, total_iters=s["steps"])
            for opt in optimizers]


def _recipe(name, algorithm, s):
    return Recipe(algorithm, s["steps"], s["batch_size"], {"algorithm": name, **s})


def _ema(s):
    return s["ema"] or None


def gan(data, *, steps=None, batch_size=None, latent_dim=None, lr=None, lr_d=None, lr_drop_at=None,
        optimizer=None, betas=None, k=None, generator_loss=None, prior=None, ema=None):
    """Algorithm 1 (GAN-3, GAN-4, GAN-5): on points models.gan_mlps with G's rate lr and D's lr_d, both ÷10
    after lr_drop_at of the steps (so that the samples settle into the modes); on images the DCGAN."""
    s = resolve("gan", data, dict(steps=steps, batch_size=batch_size, latent_dim=latent_dim, lr=lr,
                                  lr_d=_d_rate(lr, lr_d),
                                  lr_drop_at=lr_drop_at, optimizer=optimizer, betas=betas, k=k,
                                  generator_loss=generator_loss, prior=prior, ema=ema))
    if isinstance(data, Toy2D):
        generator, discriminator = gan_mlps(s["latent_dim"])
    else:
        generator = dcgan_generator(s["latent_dim"], data.image_shape)
        discriminator = dcgan_discriminator(data.image_shape)
    opt_g, opt_d = _optimizers(s, generator, discriminator)
    schedules = []
    if s["lr_drop_at"]:
        drop = max(1, int(s["lr_drop_at"] * s["steps"]))
        schedules = [optim.schedule.MultiStepLR(opt, [drop], gamma=0.1) for opt in (opt_g, opt_d)]
    algorithm = GAN(generator, discriminator, opt_g, opt_d, k=s["k"], generator_loss=s["generator_loss"],
                    latent_dim=s["latent_dim"], prior=s["prior"], schedules=schedules, ema_decay=_ema(s))
    return _recipe("gan", algorithm, s)


def _critic_networks(s, data):
    if isinstance(data, Toy2D):
        return wgan_mlps(s["latent_dim"], s["generator_activation"])
    return dcgan_generator(s["latent_dim"], data.image_shape), dcgan_discriminator(data.image_shape, batch_norm=False)


def wgan(data, *, steps=None, batch_size=None, latent_dim=None, lr=None, lr_d=None, optimizer=None, betas=None,
         n_critic=None, clip_value=None, warmup=None, lr_decay=None, generator_activation=None, prior=None,
         ema=None):
    """[WGAN-4] WGAN with weight clipping: RMSProp for both players (the critic's rate lr_d, by default
    G's), the critic ascending; on points models.wgan_mlps, on images the DCGAN pair with a critic
    without batch norm."""
    overrides = dict(steps=steps, batch_size=batch_size, latent_dim=latent_dim, lr=lr, lr_d=_d_rate(lr, lr_d),
                     optimizer=optimizer,
                     betas=betas, n_critic=n_critic, clip_value=clip_value, warmup=warmup, lr_decay=lr_decay,
                     generator_activation=generator_activation, prior=prior, ema=ema)
    s = resolve("wgan", data, overrides)
    generator, critic = _critic_networks(s, data)
    opt_g, opt_d = _optimizers(s, generator, critic, ascend=True)           # [WGAN-4 line 6] w ascends
    algorithm = WGAN(generator, critic, opt_g, opt_d, n_critic=s["n_critic"], clip_value=s["clip_value"],
                     warmup=s["warmup"], latent_dim=s["latent_dim"], prior=s["prior"],
                     schedules=_linear_decay(s, (opt_g, opt_d)), ema_decay=_ema(s))
    return _recipe("wgan", algorithm, s)


def wgan_gp(data, *, steps=None, batch_size=None, latent_dim=None, lr=None, lr_d=None, optimizer=None, betas=None,
            n_critic=None, gp_weight=None, lr_decay=None, generator_activation=None, prior=None, ema=None):
    """WGAN-GP: Adam (0.5, 0.9) for both players (optimizer="oadam": Optimistic Adam, OPT-OADAM; the
    critic's rate lr_d, by default G's), the critic ascending mean f(x) − mean f(G(z)) − λ·GP;
    networks as `wgan`'s."""
    overrides = dict(steps=steps, batch_size=batch_size, latent_dim=latent_dim, lr=lr, lr_d=_d_rate(lr, lr_d),
                     optimizer=optimizer,
                     betas=betas, n_critic=n_critic, gp_weight=gp_weight, lr_decay=lr_decay,
                     generator_activation=generator_activation, prior=prior, ema=ema)
    s = resolve("wgan-gp", data, overrides)
    generator, critic = _critic_networks(s, data)
    opt_g, opt_d = _optimizers(s, generator, critic, ascend=True)
    algorithm = WGANGP(generator, critic, opt_g, opt_d, n_critic=s["n_critic"], gp_weight=s["gp_weight"],
                       latent_dim=s["latent_dim"], prior=s["prior"],
                       schedules=_linear_decay(s, (opt_g, opt_d)), ema_decay=_ema(s))
    return _recipe("wgan-gp", algorithm, s)


def began(data, *, steps=None, batch_size=None, latent_dim=None, lr=None, lr_d=None, optimizer=None, betas=None,
          gamma=None, lambda_k=None, lr_patience=None, filters=None, convs_per_scale=None, tanh=None, skip=None,
          prior=None, ema=None):
    """BEGAN (BEGAN-1 to BEGAN-5) with minigan.gan.began_models' networks (MLPs for points), Adam (0.5, 0.999).

    Why D's own rate on digits: in L_D = L(x) − k_t L(G(z_D)) [BEGAN-2] the images of a class c weigh
    p_data(c) − k_t p_g(c), so D stops reconstructing c well (which is what pushes G off c) only once
    G draws it more than p_data(c) / k_t times: at k_t ≈ 0.2 G may over-draw a class fivefold. A D
    slower than G (lr_d below lr) keeps the fakes easier to reconstruct for longer, so the
    controller [BEGAN-3] settles at a higher k_t (≈ 0.8 on digits with lr_d = lr / 11; a D fifteen
    times slower lets G wander from class to class) and the classes come out more even. Samples
    come from an average of G's iterates (ema), steadier than the last one. lr_patience=0: the
    rates never halve."""
    slowdown = 11.0 if data_kind(data) == "digits" else 1.0              # D at G's rate / 11 on digits
    overrides = dict(steps=steps, batch_size=batch_size, latent_dim=latent_dim, lr=lr,
                     lr_d=_d_rate(lr, lr_d, slowdown), optimizer=optimizer, betas=betas, gamma=gamma,
                     lambda_k=lambda_k, lr_patience=lr_patience, filters=filters, convs_per_scale=convs_per_scale,
                     tanh=tanh, skip=skip, prior=prior, ema=ema)
    s = resolve("began", data, overrides)
    if isinstance(data, Toy2D):
        generator, autoencoder = mlp_generator(s["latent_dim"], 2), mlp_autoencoder(2)
    else:
        shape, n = data.image_shape, s["filters"]
        generator = began_generator(shape, s["latent_dim"], n, s["convs_per_scale"], s["skip"], s["tanh"])
        autoencoder = began_autoencoder(shape, s["latent_dim"], n, s["convs_per_scale"], s["skip"])
    opt_g, opt_d = _optimizers(s, generator, autoencoder)
    algorithm = BEGAN(generator, autoencoder, opt_g, opt_d, gamma=s["gamma"], lambda_k=s["lambda_k"],
                      latent_dim=s["latent_dim"], prior=s["prior"], lr_patience=s["lr_patience"] or None,
                      ema_decay=_ema(s))
    return _recipe("began", algorithm, s)


def _lr_drop(s, optimizers):
    """Both rates ÷10 after lr_drop_at of the steps (none if it is None or 0)."""
    if not s.get("lr_drop_at"):
        return []
    drop = max(1, int(s["lr_drop_at"] * s["steps"]))
    return [optim.schedule.MultiStepLR(opt, [drop], gamma=0.1) for opt in optimizers]


def num_classes(data, name):
    """K, the classes of a labelled dataset (the modes of a 2-D mixture); an error for unlabelled data."""
    if isinstance(data, Toy2D):
        return len(data.centers)
    if getattr(data, "labels", None) is None:
        raise ValueError(f"{name} needs labelled data (digits, mnist=PATH, fashion-mnist=PATH, ring, grid); "
                         f"{data!r} has no labels")
    return int(data.num_classes)


def cgan(data, *, steps=None, batch_size=None, latent_dim=None, lr=None, lr_d=None, lr_drop_at=None,
         optimizer=None, betas=None, k=None, generator_loss=None, prior=None, ema=None, networks=None):
    """[VAR-CGAN] The conditional GAN: Algorithm 1 for G(z | y) and D(x | y), y one-hot (the mode's
    index on points, the class on images). networks="mlp": models.conditional_mlps (on points the
    gan recipe's tanh G of 3 × 128 units and LeakyReLU D of 2 × 256); "dcgan": the DCGAN pair, y
    concatenated to z and as channels to x."""
    s = resolve("cgan", data, dict(steps=steps, batch_size=batch_size, latent_dim=latent_dim, lr=lr,
                                   lr_d=_d_rate(lr, lr_d), lr_drop_at=lr_drop_at, optimizer=optimizer, betas=betas,
                                   k=k, generator_loss=generator_loss, prior=prior, ema=ema, networks=networks))
    n_classes = num_classes(data, "cgan")
    points = isinstance(data, Toy2D)
    if s["networks"] == "dcgan" and not points:
        generator = dcgan_generator(s["latent_dim"], data.image_shape, num_classes=n_classes)
        discriminator = dcgan_discriminator(data.image_shape, num_classes=n_classes)
    elif s["networks"] == "mlp":
        shape = (2,) if points else data.image_shape
        units = dict(generator_units=(128, 128, 128), generator_activation=nn.Tanh) if points else {}
        generator, discriminator = conditional_mlps(s["latent_dim"], shape, n_classes, **units)
    else:
        raise ValueError(f"networks must be 'mlp' or 'dcgan' (images only), got {s['networks']!r}")
    opt_g, opt_d = _optimizers(s, generator, discriminator)
    algorithm = ConditionalGAN(generator, discriminator, opt_g, opt_d, n_classes, k=s["k"],
                               generator_loss=s["generator_loss"], latent_dim=s["latent_dim"], prior=s["prior"],
                               schedules=_lr_drop(s, (opt_g, opt_d)), ema_decay=_ema(s))
    return _recipe("cgan", algorithm, s)


def aae(data, *, steps=None, batch_size=None, code_size=None, lr=None, lr_d=None, lr_drop_at=None, optimizer=None,
        betas=None, prior=None, conditional_decoder=None, hidden=None):
    """[VAR-AAE-1, VAR-AAE-2] The adversarial autoencoder on images: MLP encoder, decoder and
    discriminator on codes of `hidden` units (aae_models.aae_mlps); lr drives the reconstruction
    phase and the encoder's regularisation step, lr_d D's; all three ÷10 after lr_drop_at of the
    steps (None: never). prior: "normal" (N(0, I)) or "mixture"
    (10 Gaussians on a circle, code_size 2). conditional_decoder: dec(z | y), the label given to
    the decoder (the paper's style/content split)."""
    if isinstance(data, Toy2D):
        raise ValueError("aae is built for images (digits, mnist=PATH, fashion-mnist=PATH, folder=PATH)")
    s = resolve("aae", data, dict(steps=steps, batch_size=batch_size, code_size=code_size, lr=lr,
                                  lr_d=_d_rate(lr, lr_d), lr_drop_at=lr_drop_at, optimizer=optimizer, betas=betas,
                                  prior=prior, conditional_decoder=conditional_decoder, hidden=hidden))
    n_classes = num_classes(data, "aae with the label given to the decoder") if s["conditional_decoder"] else 0
    encoder, decoder, discriminator = aae_mlps(data.image_shape, s["code_size"], s["hidden"], n_classes)
    betas = tuple(s["betas"])
    opt_ae = make_optimizer(s["optimizer"], list(encoder.parameters()) + list(decoder.parameters()), s["lr"], betas)
    opt_d = make_optimizer(s["optimizer"], discriminator.parameters(), s["lr_d"], betas)
    opt_e = make_optimizer(s["optimizer"], encoder.parameters(), s["lr"], betas)
    algorithm = AdversarialAutoencoder(encoder, decoder, discriminator, opt_ae, opt_d, opt_e, s["code_size"],
                                       prior=s["prior"], num_classes=n_classes,
                                       schedules=_lr_drop(s, (opt_ae, opt_d, opt_e)))
    return _recipe("aae", algorithm, s)


def _leaky():
    return nn.LeakyReLU(0.2)


def ebgan(data, *, steps=None, batch_size=None, latent_dim=None, lr=None, lr_d=None, lr_drop_at=None,
          optimizer=None, betas=None, margin=None, pt_weight=None, energy=None, code_size=None, hidden=None,
          prior=None, ema=None):
    """[VAR-EBGAN-1, VAR-EBGAN-2] EBGAN with BEGAN's autoencoder as D (began_models.mlp_autoencoder,
    code_size the size of the codes S, hidden the width of its two hidden layers each side; on images
    the same autoencoder on flattened pixels), the margin m on the energy `energy` ("mse": the mean
    squared error per coordinate), λ_PT = pt_weight; G the GAN's tanh MLP on points, the DCGAN
    generator on images; Adam (0.5, 0.999), both rates ÷10 after lr_drop_at of the steps."""
    overrides = dict(steps=steps, batch_size=batch_size, latent_dim=latent_dim, lr=lr, lr_d=_d_rate(lr, lr_d),
                     lr_drop_at=lr_drop_at, optimizer=optimizer, betas=betas, margin=margin, pt_weight=pt_weight,
                     energy=energy, code_size=code_size, hidden=hidden, prior=prior, ema=ema)
    s = resolve("ebgan", data, overrides)
    if isinstance(data, Toy2D):
        generator = mlp([s["latent_dim"], 128, 128, 128, 2], nn.Tanh)
        autoencoder = mlp_autoencoder(2, s["code_size"], s["hidden"], depth=2, activation=_leaky)
    else:
        generator = dcgan_generator(s["latent_dim"], data.image_shape)
        autoencoder = mlp_image_autoencoder(data.image_shape, s["code_size"], s["hidden"], depth=2, activation=_leaky)
    opt_g, opt_d = _optimizers(s, generator, autoencoder)
    algorithm = EBGAN(generator, autoencoder, opt_g, opt_d, margin=s["margin"], pt_weight=s["pt_weight"],
                      energy=s["energy"], latent_dim=s["latent_dim"], prior=s["prior"],
                      schedules=_lr_drop(s, (opt_g, opt_d)), ema_decay=_ema(s))
    return _recipe("ebgan", algorithm, s)


def make_sampler(name, params, lr, alpha, data_size, betas=(0.5, 0.999)):
    """The Bayesian GAN's sampler by its short name: sghmc, the literal SGHMC (VAR-BAYES-2,
    optim.SGHMC, lr = ηN); noisy-adam, the authors' Adam on the gradient plus noise (optim.NoisyAdam)."""
    if name == "sghmc":
        return optim.SGHMC(params, lr=lr, alpha=alpha, data_size=data_size)
    if name == "noisy-adam":
        return optim.NoisyAdam(params, lr=lr, betas=betas, alpha=alpha, data_size=data_size)
    raise ValueError(f"unknown sampler {name!r}: choose one of {SAMPLERS}")


def bayesian_gan(data, *, steps=None, batch_size=None, latent_dim=None, lr=None, lr_d=None, lr_drop_at=None,
                 members=None, d_members=None, z_draws=None, sampler=None, alpha=None, betas=None, prior_std=None,
                 prior=None):
    """[VAR-BAYES-1, VAR-BAYES-2] The Bayesian GAN: `members` (M) generator samples and `d_members`
    discriminator samples, each the vanilla GAN's networks (models.gan_mlps on points, the DCGAN pair
    on images, every sample with its own batch norm), moved by `sampler` ("noisy-adam": the authors'
    code, the measured default; "sghmc": the literal sampler, whose lr is ηN) with friction alpha, the
    Gaussian prior N(0, prior_std² I) on every weight, z_draws (J_g) batches of z per generator sample;
    both rates ÷10 after lr_drop_at of the steps."""
    overrides = dict(steps=steps, batch_size=batch_size, latent_dim=latent_dim, lr=lr, lr_d=_d_rate(lr, lr_d),
                     lr_drop_at=lr_drop_at, members=members, d_members=d_members, z_draws=z_draws, sampler=sampler,
                     alpha=alpha, betas=betas, prior_std=prior_std, prior=prior)
    s = resolve("bayesian-gan", data, overrides)
    for key in ("members", "d_members"):
        if not (isinstance(s[key], int) and s[key] >= 1):
            raise ValueError(f"{key} (M, the number of weight samples) must be an integer >= 1, got {s[key]!r}")
    if s["batch_size"] < s["members"]:
        raise ValueError(f"batch_size {s['batch_size']} is below members {s['members']}: every generator sample "
                         f"needs at least one code of the batch")
    if isinstance(data, Toy2D):
        pairs = [gan_mlps(s["latent_dim"]) for _ in range(max(s["members"], s["d_members"]))]
        generators = [pair[0] for pair in pairs[:s["members"]]]
        discriminators = [pair[1] for pair in pairs[:s["d_members"]]]
    else:
        generators = [dcgan_generator(s["latent_dim"], data.image_shape) for _ in range(s["members"])]
        discriminators = [dcgan_discriminator(data.image_shape) for _ in range(s["d_members"])]
    generators, discriminators = Members(generators), Members(discriminators)
    opt_g, opt_d = (make_sampler(s["sampler"], player.parameters(), rate, s["alpha"], len(data), tuple(s["betas"]))
                    for player, rate in ((generators, s["lr"]), (discriminators, s["lr_d"])))
    algorithm = BayesianGAN(generators, discriminators, opt_g, opt_d, data_size=len(data), prior_std=s["prior_std"],
                            z_draws=s["z_draws"], latent_dim=s["latent_dim"], prior=s["prior"],
                            schedules=_lr_drop(s, (opt_g, opt_d)))
    return _recipe("bayesian-gan", algorithm, s)


def ali(data, *, steps=None, batch_size=None, latent_dim=None, lr=None, lr_d=None, lr_drop_at=None,
        optimizer=None, betas=None, hidden=None, stochastic=None, dcgan=None, prior=None, ema=None):
    """[VAR-ALI] ALI/BiGAN with ali_models.ali_networks (E and G MLPs of two hidden layers of `hidden`
    units, D on joint pairs with separate x and z paths; dcgan=True on images: the DCGAN generator as G);
    stochastic=True: ALI's Gaussian encoder,
    else BiGAN's deterministic one; Adam (0.5, 0.999) with E and G at lr, D at lr_d, both ÷10 after
    lr_drop_at of the steps."""
    overrides = dict(steps=steps, batch_size=batch_size, latent_dim=latent_dim, lr=lr, lr_d=_d_rate(lr, lr_d),
                     lr_drop_at=lr_drop_at, optimizer=optimizer, betas=betas, hidden=hidden, stochastic=stochastic,
                     dcgan=dcgan, prior=prior, ema=ema)
    s = resolve("ali", data, overrides)
    image_shape = None if isinstance(data, Toy2D) else tuple(data.image_shape)
    data_dim = 2 if image_shape is None else int(np.prod(image_shape))
    encoder, generator, discriminator = ali_networks(data_dim, s["latent_dim"], s["hidden"], image_shape,
                                                     s["stochastic"])
    if image_shape and s["dcgan"]:
        generator = dcgan_generator(s["latent_dim"], image_shape)
    opt_g = make_optimizer(s["optimizer"], list(encoder.parameters()) + list(generator.parameters()), s["lr"],
                           tuple(s["betas"]))
    opt_d = make_optimizer(s["optimizer"], discriminator.parameters(), s["lr_d"], tuple(s["betas"]))
    algorithm = ALI(encoder, generator, discriminator, opt_g, opt_d, latent_dim=s["latent_dim"], prior=s["prior"],
                    schedules=_lr_drop(s, (opt_g, opt_d)), ema_decay=_ema(s))
    return _recipe("ali", algorithm, s)


RECIPES = {"gan": gan, "wgan": wgan, "wgan-gp": wgan_gp, "began": began, "cgan": cgan, "aae": aae, "ebgan": ebgan,
           "bayesian-gan": bayesian_gan, "ali": ali}


def build(config, data):
    """The algorithm of a saved configuration (`Recipe.config`), for `data`: the same networks,
    optimizers and schedules as the run that saved it (its weights come from the checkpoint)."""
    name = config["algorithm"]
    if name not in RECIPES:
        raise ValueError(f"unknown algorithm {name!r}: choose one of {sorted(RECIPES)}")
    settings = {k: v for k, v in config.items() if k != "algorithm"}
    if "betas" in settings:
        settings["betas"] = tuple(settings["betas"])
    return RECIPES[name](data, **settings)
