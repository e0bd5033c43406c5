"""The GAN networks: DCGAN shapes for every image side, the DCGAN initialisation, logits out, gradients
reaching every parameter, and the recipes' choice of models per kind of data."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
from minigan import nn
from minigan.data import toy2d
from minigan.data.images import ImageDataset
from minigan.gan import recipes
from minigan.gan.models import SIDES, dcgan_discriminator, dcgan_generator, dcgan_init, mlp_discriminator, mlp_generator


def layers_of(model, kind):
    return [m for m in model.modules() if isinstance(m, kind)]


@settings(max_examples=10, deadline=None)
@given(side=st.sampled_from(SIDES), channels=st.sampled_from([1, 3]), n=st.integers(2, 3),
       latent_dim=st.integers(1, 6))
def test_dcgan_shapes_for_every_side(side, channels, n, latent_dim):
    minigan.manual_seed(0)
    g = dcgan_generator(latent_dim, (channels, side, side), width=2)
    d = dcgan_discriminator((channels, side, side), width=2)
    images = g(minigan.randn(n, latent_dim))
    assert images.shape == (n, channels, side, side) and images.dtype == np.float32
    assert np.abs(images.numpy()).max() <= 1.0                      # Tanh out, the data's [-1, 1]
    logits = d(images)
    assert logits.shape == (n, 1) and logits.dtype == np.float32
    # the side doubles at each transposed convolution and halves at each strided convolution
    n_up = len(layers_of(g, nn.ConvTranspose2d))
    start = 7 if side == 28 else 2 if side == 8 else 4
    assert start * 2 ** n_up == side and len(layers_of(d, nn.Conv2d)) == n_up


def test_discriminator_returns_an_unbounded_logit():
    minigan.manual_seed(0)
    d = mlp_discriminator(2, hidden=8, depth=1)
    d[-1].bias.data[...] = 50.0                                     # no sigmoid: D's output is not squashed
    assert d(minigan.randn(4, 2)).numpy().min() > 1.0
    assert isinstance(dcgan_discriminator((1, 8, 8), width=2)[-1], nn.Linear)


def _check_normal(values, mean, std):
    """The sample mean and std of `values` against N(mean, std²), within 5 standard errors."""
    n = values.size
    assert abs(values.mean() - mean) < 5 * std / np.sqrt(n)
    assert abs(values.std() - std) < 5 * std / np.sqrt(2 * n) + 1e-7


@pytest.mark.parametrize("image_shape", [(1, 28, 28), (3, 32, 32)])
def test_dcgan_initialisation_every_layer_as_the_paper_states(image_shape):
    """Radford et al.: every weight N(0, 0.02²) — Linear layers included — biases 0, batch-norm
    scales N(1, 0.02²). Checked layer by layer, so a layer left at PyTorch's default fails."""
    minigan.manual_seed(0)
    checked = 0
    for model in (dcgan_generator(16, image_shape, width=32), dcgan_discriminator(image_shape, width=32)):
        for layer in model.modules():
            if isinstance(layer, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
                _check_normal(layer.weight.numpy(), 0.0, 0.02)
            elif isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
                _check_normal(layer.weight.numpy(), 1.0, 0.02)
            else:
                continue
            assert not layer.bias.numpy().any(), type(layer).__name__
            checked += 1
    assert checked >= 8


def test_dcgan_init_leaves_other_modules_alone():
    model = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Tanh())
    model.apply(dcgan_init)
    assert model[0].weight.numpy().std() < 0.05      # drawn from N(0, 0.02²), not kaiming's ±1/√3
    default = nn.Linear(300, 300).weight.numpy()
    assert default.std() == pytest.approx(1 / np.sqrt(3 * 300), rel=0.05)    # PyTorch's default init


@pytest.mark.parametrize("make", [
    lambda: (mlp_generator(3, 2, 8, 2), mlp_discriminator(2, 8, 2)),
    lambda: (dcgan_generator(3, (1, 8, 8), width=4), dcgan_discriminator((1, 8, 8), width=4)),
])
def test_every_parameter_gets_a_gradient(make):
    """A layer left out of the graph (a wiring mistake) would keep a zero or missing gradient."""
    minigan.manual_seed(0)
    g, d = make()
    d(g(minigan.randn(4, 3))).sum().backward()
    for name, p in list(g.named_parameters()) + list(d.named_parameters()):
        assert p.grad is not None and np.abs(p.grad.numpy()).max() > 0, name


def test_the_recipes_pick_the_models_and_the_critic_has_no_batch_norm():
    ring = recipes.gan(toy2d.ring(n_samples=100), latent_dim=5).algorithm
    assert ring.generator(minigan.randn(3, 5)).shape == (3, 2)
    assert not layers_of(ring.generator, nn.ConvTranspose2d)
    faces = ImageDataset("faces", np.zeros((4, 3, 16, 16), dtype=np.float32))
    gan = recipes.gan(faces).algorithm
    assert gan.generator(minigan.randn(2, 64)).shape == (2, 3, 16, 16)
    assert layers_of(gan.discriminator, nn.BatchNorm2d)
    for recipe in (recipes.wgan, recipes.wgan_gp):
        assert not layers_of(recipe(faces).algorithm.discriminator, nn.BatchNorm2d)


def test_unsupported_side_is_a_clear_error():
    with pytest.raises(ValueError, match=r"side \(8, 16, 28, 32, 64\), got 24"):
        dcgan_generator(8, (1, 24, 24))
    with pytest.raises(ValueError, match="got 24"):
        dcgan_discriminator((3, 24, 24))
