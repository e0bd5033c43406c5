"""Generative adversarial networks: the algorithms of the lecture, their losses and models, the
measured recipes that build them for a dataset, and the training loop.

    from minigan.gan import recipes, fit
    recipe = recipes.gan(data)                         # Algorithm 1 with the measured defaults
    fit(recipe.algorithm, data, recipe.steps, "runs/ring", batch_size=recipe.batch_size)
"""
from minigan.gan import losses, models, recipes  # noqa: F401
from minigan.gan.base import Algorithm, sample_noise  # noqa: F401
from minigan.gan.began import BEGAN  # noqa: F401
from minigan.gan.gan import GAN  # noqa: F401
from minigan.gan.recipes import Recipe, make_optimizer  # noqa: F401
from minigan.gan.trainer import TrainingDiverged, fit  # noqa: F401
from minigan.gan.wgan import WGAN, WGANGP, gradient_penalty, interpolates, wasserstein_1d  # noqa: F401
