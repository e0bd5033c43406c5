"""Every algorithm implements minigan.gan.base.Algorithm, and what the training loop, sample,
evaluate, interpolate, the attack's defense and the lab rely on behaves as the interface says."""
import numpy as np
import pytest

import minigan
from minigan import nn
from minigan.data import DataLoader, images, toy2d
from minigan.gan import BEGAN, GAN, WGAN, WGANGP, Algorithm, recipes


@pytest.mark.parametrize("cls", [GAN, WGAN, WGANGP, BEGAN])
def test_each_algorithm_is_an_algorithm_and_writes_its_own_steps(cls):
    assert issubclass(cls, Algorithm)
    for method in ("discriminator_step", "generator_step", "step"):
        assert getattr(cls, method) is not getattr(Algorithm, method)
    assert Algorithm.__abstractmethods__ == {"discriminator_step", "generator_step", "step"}


def test_the_interface_cannot_be_half_implemented():
    class OnlyStep(Algorithm):
        def step(self, real):
            return {}

    with pytest.raises(TypeError, match="abstract"):
        OnlyStep(nn.Linear(1, 1), nn.Linear(1, 1), None, None, 1, "normal")


def parameters_of(module):
    return [p.numpy().copy() for p in module.parameters()]


def changed(before, module):
    return [not np.array_equal(a, p.numpy()) for a, p in zip(before, module.parameters())]


# the GANs whose D learns from unlabelled batches and whose G from codes alone; the conditional GAN
# (labelled batches) and the adversarial autoencoder (its encoder learns from data) have their own
# such tests in test_conditional.py and test_aae.py
UNCONDITIONAL = ["gan", "wgan", "wgan-gp", "began"]


@pytest.mark.parametrize("name", UNCONDITIONAL)
@pytest.mark.parametrize("data", [toy2d.ring(n_samples=64), images.digits()], ids=["points", "digits"])
def test_the_interface_on_every_recipe(name, data, tmp_path):
    minigan.manual_seed(0)
    recipe = recipes.RECIPES[name](data, steps=3, batch_size=8)
    algorithm = recipe.algorithm
    assert isinstance(algorithm, Algorithm) and recipe.config["algorithm"] == name
    assert isinstance(algorithm.generator, nn.Module) and isinstance(algorithm.discriminator, nn.Module)
    assert algorithm.noise(5).shape == (5, algorithm.latent_dim) and algorithm.prior in ("normal", "uniform")
    batches = DataLoader(data, 8, seed=0).forever()
    real = next(batches)[0] if isinstance(data, images.ImageDataset) else next(batches)
    g_before, d_before = parameters_of(algorithm.generator), parameters_of(algorithm.discriminator)
    stats = algorithm.discriminator_step(real)                 # one update of D alone
    assert stats and all(isinstance(v, float) for v in stats.values())
    assert any(changed(d_before, algorithm.discriminator)) and not any(changed(g_before, algorithm.generator))
    d_before = parameters_of(algorithm.discriminator)
    stats = algorithm.generator_step(8)                        # one update of G alone
    assert set(stats) == {"loss_g"} and not any(changed(d_before, algorithm.discriminator))
    assert any(changed(g_before, algorithm.generator))
    assert all(p.requires_grad for p in algorithm.discriminator.parameters())
    stats = algorithm.step(batches)
    assert "loss_d" in stats and "loss_g" in stats
    sample = algorithm.sample(4)
    assert sample.shape[0] == 4 and not sample.requires_grad and algorithm.generator.training
    minigan.save(algorithm.state_dict(), str(tmp_path / "state.npz"))     # a checkpoint round trip
    again = recipes.build(recipe.config, data).algorithm
    again.load_state_dict(minigan.load(str(tmp_path / "state.npz")))
    with minigan.fork_rng(1):
        a = algorithm.sample(3).numpy()
    with minigan.fork_rng(1):
        b = again.sample(3).numpy()
    np.testing.assert_array_equal(a, b)
