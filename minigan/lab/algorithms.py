"""The algorithm a lab session trains, built by minigan's recipes, and one update of it.

    algorithm, config = build(data, "wgan-gp", {"lr": 1e-4})    # the recipe's networks and optimizers
    discriminator_update(algorithm, batches)                       # Step D: ONE D (critic) update
    generator_update(algorithm, m)                                 # Step G: ONE G update
    iteration(algorithm, batches)                                  # Step: k (n_critic) D updates, then G

`config` is the recipe's resolved settings (the page preselects them).
"""
from minigan.gan import recipes
from minigan.gan.base import next_batch, next_labelled_batch
from minigan.lab.settings import SettingsError

RECIPES = {"gan": recipes.gan, "wgan": recipes.wgan, "wgan-gp": recipes.wgan_gp, "cgan": recipes.cgan,
           "ebgan": recipes.ebgan, "bayesian-gan": recipes.bayesian_gan}


def build(data, algorithm, overrides):
    """The recipe's algorithm for `data` (a minigan.data.Toy2D) with the page's overrides (seed
    aside, which is the session's), and the recipe's resolved settings as plain JSON values."""
    overrides = dict(overrides)
    seed = overrides.pop("seed", 0)
    try:
        recipe = RECIPES[algorithm](data, **overrides)
    except (TypeError, ValueError) as e:
        raise SettingsError(str(e)) from None
    config = {**plain(recipe.config), "algorithm": algorithm, "batch_size": recipe.batch_size,
              "steps": recipe.steps, "seed": seed}
    return recipe.algorithm, config


def defaults(data, algorithm):
    """The recipe's settings for `data` without overrides (minigan.gan.recipes.defaults): what the
    page preselects, and which settings this algorithm has."""
    return {**plain(recipes.defaults(algorithm, data)), "algorithm": algorithm, "seed": 0}


def plain(config):
    """The settings as JSON values (tuples such as Adam's betas become lists)."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in config.items()}


def discriminator_update(algorithm, batches):
    """Step D: one update of D (WGAN's critic) on a fresh real batch (with its labels for the
    conditional GAN); returns its figures."""
    batch = next_labelled_batch(batches) if algorithm.needs_labels else next_batch(batches)
    return _floats(algorithm.discriminator_step(batch))


def generator_update(algorithm, m):
    """Step G: one update of G on m fresh codes z; returns its figures."""
    return _floats(algorithm.generator_step(m))


def iteration(algorithm, batches):
    """Step: one iteration of the algorithm, all its D (critic) updates and one G update."""
    return _floats(algorithm.step(batches))


def discriminator_updates_per_iteration(algorithm):
    """How many D (critic) updates the next `iteration` makes: k, n_critic, or WGAN's 100 of its warm-up."""
    if hasattr(algorithm, "critic_iterations"):
        return int(algorithm.critic_iterations())
    return int(getattr(algorithm, "n_critic", getattr(algorithm, "k", 1)))


def _floats(stats):
    return {str(name): float(value) for name, value in stats.items()}
