"""The manifold defense (ADV-4) with a linear generator, whose range is a known affine subspace: G(z*) is the
least-squares projection."""
import numpy as np
import pytest
from adversarial.adv_helpers import LinearSoftmax
from helpers import on_default_backend

import minigan
from minigan import nn
from minigan.adversarial import manifold_defense, predict, project


class LinearGenerator(nn.Module):
    """G(z) = A z + b reshaped to (1, 8, 8): its range is the 3-dimensional affine subspace b + span(A)."""

    def __init__(self, latent_dim=3):
        super().__init__()
        self.latent_dim, self.prior = latent_dim, "normal"
        self.linear = nn.Linear(latent_dim, 64)
        weight = (0.1 * np.random.default_rng(0).normal(size=(64, latent_dim))).astype(np.float32)
        self.linear.weight.data = on_default_backend(weight)
        self.linear.bias.data = on_default_backend(np.zeros(64, dtype=np.float32))

    def forward(self, z):
        return self.linear(z).reshape(-1, 1, 8, 8)

    def projection(self, x_g):
        """b + A (AᵀA)⁻¹ Aᵀ (x − b): the nearest point of the range, in closed form."""
        A, b = self.linear.weight.numpy().astype(np.float64), self.linear.bias.numpy().astype(np.float64)
        flat = x_g.reshape(len(x_g), -1) - b
        z = np.linalg.lstsq(A, flat.T, rcond=None)[0].T
        return (z @ A.T + b).reshape(x_g.shape)


def images_near_the_range(generator, n=12, seed=0):
    """x in [0, 1] made of a point of G's range (mapped from [−1, 1]) plus a small perturbation."""
    rng = np.random.default_rng(seed)
    with minigan.no_grad():
        on_range = generator(minigan.tensor(rng.normal(size=(n, generator.latent_dim)).astype(np.float32))).numpy()
    x = (on_range + 1) / 2 + rng.uniform(-0.05, 0.05, on_range.shape)
    assert 0 < x.min() and x.max() < 1
    return x.astype(np.float32)


def test_the_projection_is_the_least_squares_projection_onto_the_range():
    generator = LinearGenerator()
    x = images_near_the_range(generator)
    projected = project(generator, minigan.tensor(x), steps=500, restarts=2, lr=0.05)
    expected = (generator.projection(2 * x.astype(np.float64) - 1) + 1) / 2  # in G's range [−1, 1], then back
    assert projected.dtype == np.float32
    np.testing.assert_allclose(projected.numpy(), expected, atol=2e-3)
    assert np.abs(projected.numpy() - x).max() > 0.01  # the off-range part was removed


def test_the_defense_classifies_the_projection():
    generator = LinearGenerator()
    classifier = LinearSoftmax(features=64, classes=4, seed=2, dtype=np.float32)
    x = images_near_the_range(generator, n=40, seed=1)
    labels, projected = manifold_defense(generator, minigan.tensor(x), classifier, steps=500, restarts=2, lr=0.05)
    expected = (generator.projection(2 * x.astype(np.float64) - 1) + 1) / 2
    np.testing.assert_array_equal(labels, predict(classifier, minigan.tensor(expected.astype(np.float32)))[0])
    assert labels.shape == (40,) and projected.shape == x.shape


def test_an_image_on_the_range_stays_where_it_is():
    generator = LinearGenerator()
    x = images_near_the_range(generator, n=5, seed=3)
    on_range = ((generator.projection(2 * x.astype(np.float64) - 1) + 1) / 2).astype(np.float32)
    np.testing.assert_allclose(project(generator, minigan.tensor(on_range), steps=500, lr=0.05).numpy(), on_range,
                               atol=2e-3)


def test_ranges_must_be_intervals():
    with pytest.raises(ValueError, match=r"data_range and generator_range must be intervals"):
        project(LinearGenerator(), minigan.zeros(2, 1, 8, 8), data_range=(1.0, 1.0))
