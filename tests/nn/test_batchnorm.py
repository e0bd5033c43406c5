"""Batch norm: batch statistics and their first and second derivatives in training, running statistics
(closed forms) and their use in eval."""
import numpy as np
import pytest
from helpers import leaf
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
from minigan import functional as F
from minigan import nn

shapes = st.sampled_from([(4, 3), (3, 2, 5), (2, 3, 2, 3)])


@settings(max_examples=10)
@given(shape=shapes, seed=st.integers(0, 2**16))
def test_training_mode_gradients(shape, seed):
    x, w, b = leaf(shape, seed=seed), leaf((shape[1],), seed=seed + 1), leaf((shape[1],), seed=seed + 2)
    assert minigan.gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), (x, w, b))


@settings(max_examples=10)
@given(shape=shapes, seed=st.integers(0, 2**16))
def test_training_mode_second_derivatives(shape, seed):
    x, w = leaf(shape, seed=seed), leaf((shape[1],), seed=seed + 1)
    assert minigan.gradgradcheck(lambda x, w: F.batch_norm(x, None, None, w, None, training=True).tanh(), (x, w))


def test_eval_mode_gradients_treat_running_statistics_as_constants():
    x, w, b = leaf((3, 2, 2, 2), seed=1), leaf((2,), seed=2), leaf((2,), seed=3)
    mean, var = minigan.tensor(np.array([0.5, -1.0])), minigan.tensor(np.array([2.0, 0.3]))
    assert minigan.gradcheck(lambda x, w, b: F.batch_norm(x, mean, var, w, b, training=False), (x, w, b))


def test_training_output_is_standardised_per_channel():
    x = minigan.tensor(np.random.default_rng(0).normal(3.0, 2.0, size=(8, 4, 5, 5)).astype(np.float32))
    y = nn.BatchNorm2d(4)(x).numpy()
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0.0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1.0, rtol=1e-3)  # biased variance, ε = 1e-5


def test_running_statistics_follow_the_closed_form():
    rng = np.random.default_rng(1)
    layer = nn.BatchNorm1d(3, momentum=0.2)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(3):
        x = rng.normal(2.0, 3.0, size=(10, 3))
        layer(minigan.tensor(x.astype(np.float32)))
        mean = 0.8 * mean + 0.2 * x.mean(axis=0)
        var = 0.8 * var + 0.2 * x.var(axis=0, ddof=1)  # the unbiased variance
    np.testing.assert_allclose(layer.running_mean.numpy(), mean, rtol=1e-5)
    np.testing.assert_allclose(layer.running_var.numpy(), var, rtol=1e-5)
    assert int(layer.num_batches_tracked.item()) == 3
    assert layer.running_mean.dtype == layer.running_var.dtype == np.float32


def test_eval_mode_uses_the_running_statistics_and_leaves_them_alone():
    layer = nn.BatchNorm2d(2)
    layer(minigan.randn(6, 2, 3, 3) * 4.0 + 1.0)
    nn.init.normal_(layer.weight)
    nn.init.normal_(layer.bias)
    layer.eval()
    before = layer.state_dict()
    x = minigan.randn(2, 2, 3, 3)
    y = layer(x).numpy()
    rm, rv = before["running_mean"].numpy(), before["running_var"].numpy()
    g, b = layer.weight.numpy(), layer.bias.numpy()
    expected = ((x.numpy() - rm.reshape(1, 2, 1, 1)) / np.sqrt(rv.reshape(1, 2, 1, 1) + 1e-5) * g.reshape(1, 2, 1, 1)
                + b.reshape(1, 2, 1, 1))
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
    for key, value in layer.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key].numpy(), err_msg=key)


def test_momentum_none_is_the_cumulative_average():
    layer = nn.BatchNorm1d(2, momentum=None)
    batches = [np.random.default_rng(i).normal(i, 1.0, size=(5, 2)) for i in range(4)]
    for x in batches:
        layer(minigan.tensor(x))
    np.testing.assert_allclose(layer.running_mean.numpy(), np.mean([x.mean(axis=0) for x in batches], axis=0),
                               rtol=1e-6)


def test_without_running_statistics_eval_uses_the_batch():
    layer = nn.BatchNorm1d(3, affine=False, track_running_stats=False).eval()
    y = layer(minigan.randn(10, 3) + 5.0).numpy()
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-5)
    assert list(layer.state_dict()) == []


def test_one_value_per_channel_in_training_is_an_error():
    with pytest.raises(ValueError, match=r"more than one value per channel.*\(1, 4\)"):
        nn.BatchNorm1d(4)(minigan.randn(1, 4))
