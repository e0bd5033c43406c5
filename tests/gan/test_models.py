"""The GAN networks: DCGAN shapes for every image side, the DCGAN initialisation, logits out, gradients
reaching every parameter, and the per-dataset choice of models."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
from minigan import nn
from minigan.data import toy2d
from minigan.data.images import ImageDataset
from minigan.gan.models import SIDES, dcgan_discriminator, dcgan_generator, for_data, mlp_discriminator, mlp_generator


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


def test_dcgan_initialisation():
    minigan.manual_seed(0)
    g, d = dcgan_generator(16, (3, 32, 32), width=32), dcgan_discriminator((3, 32, 32), width=32)
    convs = [m.weight.numpy() for m in layers_of(g, (nn.ConvTranspose2d,)) + layers_of(d, (nn.Conv2d,))]
    weights = np.concatenate([w.ravel() for w in convs])
    assert abs(weights.mean()) < 1e-3 and weights.std() == pytest.approx(0.02, rel=0.02)
    norms = layers_of(g, (nn.BatchNorm1d, nn.BatchNorm2d)) + layers_of(d, nn.BatchNorm2d)
    scales = np.concatenate([m.weight.numpy().ravel() for m in norms])
    assert scales.mean() == pytest.approx(1.0, abs=0.005) and scales.std() == pytest.approx(0.02, rel=0.1)
    biases = [m.bias.numpy() for m in layers_of(g, (nn.ConvTranspose2d, nn.BatchNorm1d, nn.BatchNorm2d)) +
              layers_of(d, (nn.Conv2d, nn.BatchNorm2d))]
    assert all(not b.any() for b in biases)


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


def test_for_data_picks_the_models_and_the_critic_has_no_batch_norm():
    ring = for_data(toy2d.ring(n_samples=100), latent_dim=5)
    assert ring.generator(minigan.randn(3, 5)).shape == (3, 2)
    assert not layers_of(ring.generator, nn.ConvTranspose2d)
    faces = ImageDataset("faces", np.zeros((4, 3, 16, 16), dtype=np.float32))
    spec = for_data(faces)
    assert spec.generator(minigan.randn(2, 64)).shape == (2, 3, 16, 16)
    assert layers_of(spec.discriminator, nn.BatchNorm2d)
    assert not layers_of(for_data(faces, critic=True).discriminator, nn.BatchNorm2d)


def test_unsupported_side_is_a_clear_error():
    with pytest.raises(ValueError, match=r"side \(8, 16, 28, 32, 64\), got 24"):
        dcgan_generator(8, (1, 24, 24))
    with pytest.raises(ValueError, match="got 24"):
        dcgan_discriminator((3, 24, 24))
