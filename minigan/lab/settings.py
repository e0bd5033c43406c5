"""What a lab session trains: the page's settings, checked, and the 2-D dataset they name.

A settings dict (the JSON the page sends) has

    data            "ring" (8 modes), "grid" (25 modes) or "drawn" (the modes clicked on the plane)
    centers         for "drawn": the clicked points [[x, y], ...], each a Gaussian mode of std DRAWN_STD
    algorithm       "gan", "wgan", "wgan-gp", "cgan" (the conditional GAN, y = the mode's index),
                    "ebgan" or "bayesian-gan"
    generator_loss  "non_saturating" (GAN-5) or "minimax" (GAN-4)          GAN, cGAN
    k               discriminator steps per generator step (GAN-3)           GAN, cGAN
    clip_value      c of WGAN-4 line 7                                       WGAN only
    n_critic        critic iterations per generator iteration (WGAN-4 line 2)  WGAN, WGAN-GP
    gp_weight       λ of the gradient penalty                               WGAN-GP only
    margin, pt_weight   m of L_D and λ_PT of the pulling-away term              EBGAN only
    members         M, the generator samples                                Bayesian GAN only
    optimizer       "sgd", "momentum", "rmsprop", "adam", "oadam" or "omd"
    lr, lr_d        the learning rates of G and of D (the critic)
    batch_size      m;   latent_dim: z's size (2 shows G's image of a grid of z);   seed
    steps           the run's length in iterations, which the recipe's schedules are planned for
                    (GAN: both rates ÷10 after 70% of it; WGANs on 2-D data: a linear decay to 0)

Every key but data and algorithm may be left out: the recipe of minigan.gan.recipes fills it in.
A value out of range raises SettingsError, whose message the server returns with HTTP 400.
"""
import math

import numpy as np

from minigan.data import toy2d

DATASETS = ("ring", "grid", "drawn")
ALGORITHMS = ("gan", "wgan", "wgan-gp", "cgan", "ebgan", "bayesian-gan")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam", "oadam", "omd")
GENERATOR_LOSSES = ("non_saturating", "minimax")
DRAWN_STD = 0.05          # the std of each clicked mode
DRAWN_PLANE = 2.0         # the drawing plane is [-2, 2]²
MAX_DRAWN_MODES = 64
N_SAMPLES = 20_000        # draws of each dataset (the ring of minigan.data has 100,000: the lab needs fewer)

# setting -> (type, the algorithms it belongs to); None: every algorithm
SETTINGS = {
    "generator_loss": (str, ("gan", "cgan")), "k": (int, ("gan", "cgan")),
    "clip_value": (float, ("wgan",)), "n_critic": (int, ("wgan", "wgan-gp")), "gp_weight": (float, ("wgan-gp",)),
    "margin": (float, ("ebgan",)), "pt_weight": (float, ("ebgan",)), "members": (int, ("bayesian-gan",)),
    "optimizer": (str, None), "lr": (float, None), "lr_d": (float, None),
    "batch_size": (int, None), "latent_dim": (int, None), "seed": (int, None), "steps": (int, None),
}


class SettingsError(ValueError):
    """A setting the lab cannot train with; the message says which and what to send instead."""


def check(settings):
    """The settings, checked: returns (data name, centers or None, algorithm name, the overrides for
    the recipe: only the keys that belong to this algorithm, with their types). Raises SettingsError."""
    if not isinstance(settings, dict):
        raise SettingsError(f"the settings must be a JSON object, got {type(settings).__name__}")
    data, algorithm = settings.get("data", "ring"), settings.get("algorithm", "gan")
    if data not in DATASETS:
        raise SettingsError(f"unknown dataset {data!r}: choose one of {', '.join(DATASETS)}")
    if algorithm not in ALGORITHMS:
        raise SettingsError(f"unknown algorithm {algorithm!r}: choose one of {', '.join(ALGORITHMS)}")
    unknown = sorted(set(settings) - set(SETTINGS) - {"data", "algorithm", "centers"})
    if unknown:
        raise SettingsError(f"unknown setting(s) {', '.join(map(repr, unknown))}: the lab knows "
                            f"data, centers, algorithm, {', '.join(SETTINGS)}")
    centers = check_centers(settings.get("centers")) if data == "drawn" else None
    overrides = {}
    for name, (kind, algorithms) in SETTINGS.items():
        value = settings.get(name)
        if value is None or (algorithms is not None and algorithm not in algorithms):
            continue
        overrides[name] = check_value(name, kind, value)
    return data, centers, algorithm, overrides


def check_value(name, kind, value):
    """One setting: its type and its range (learning rates > 0 and finite, counts >= 1, ...)."""
    if kind is str:
        choices = {"optimizer": OPTIMIZERS, "generator_loss": GENERATOR_LOSSES}[name]
        if value not in choices:
            raise SettingsError(f"unknown {name} {value!r}: choose one of {', '.join(choices)}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f"{name} must be a number, got {value!r}")
    if kind is int:
        if not (math.isfinite(value) and float(value).is_integer()):
            raise SettingsError(f"{name} must be a whole number, got {value!r}")
        value = int(value)
        low, high = {"batch_size": (1, 4096), "latent_dim": (1, 256), "seed": (0, 2**32 - 1),
                     "k": (1, 100), "n_critic": (1, 100), "steps": (1, 1_000_000), "members": (1, 10)}[name]
        if not low <= value <= high:
            raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
        return value
    value = float(value)
    if name in ("gp_weight", "pt_weight"):
        if not (math.isfinite(value) and value >= 0):
            raise SettingsError(f"{name} (λ) must be a finite number >= 0, got {value}")
    elif not (math.isfinite(value) and value > 0):
        raise SettingsError(f"{name} must be a finite number > 0, got {value}"
                            + ("; try 1e-4 to 1e-3" if name in ("lr", "lr_d") else ""))
    return value


def check_centers(centers):
    """The clicked modes: a non-empty list of [x, y] pairs inside the drawing plane."""
    if centers is None or len(centers) == 0:
        raise SettingsError("the drawn dataset has no modes yet: click the plane to add one (or choose ring or grid)")
    try:
        array = np.asarray(centers, dtype=np.float64)
    except (TypeError, ValueError):
        raise SettingsError(f"centers must be a list of [x, y] pairs, got {centers!r}") from None
    if array.ndim != 2 or array.shape[1] != 2:
        raise SettingsError(f"centers must be a list of [x, y] pairs, got shape {array.shape}")
    if len(array) > MAX_DRAWN_MODES:
        raise SettingsError(f"at most {MAX_DRAWN_MODES} drawn modes, got {len(array)}: Clear and draw fewer")
    if not (np.isfinite(array).all() and (np.abs(array) <= DRAWN_PLANE).all()):
        raise SettingsError(f"every drawn mode must lie in the plane [-{DRAWN_PLANE:g}, {DRAWN_PLANE:g}]², "
                            f"got {array.tolist()}")
    return array


def dataset(name, centers=None, seed=0, n_samples=N_SAMPLES):
    """The minigan.data.Toy2D the settings name: PacGAN's ring or grid, or the drawn mixture."""
    if name == "ring":
        return toy2d.ring(n_samples, seed=seed)
    if name == "grid":
        return toy2d.grid(n_samples, seed=seed)
    return toy2d.Toy2D("drawn", check_centers(centers), DRAWN_STD, n_samples, seed=seed)


def plane(data):
    """The square of the plane that the views show: [-2, 2]² for drawn data, else the modes' box
    with a margin of a quarter of its size (at least 0.5). Returns (low, high)."""
    if data.name == "drawn":
        return -DRAWN_PLANE, DRAWN_PLANE
    extent = float(np.abs(data.centers).max())
    return -(extent + max(0.5, extent / 4)), extent + max(0.5, extent / 4)
