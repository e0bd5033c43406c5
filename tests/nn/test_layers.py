"""Layers: Linear and the conv layers by central differences, initialisations by their distributions,
dropout, reshaping, clipping, dtype and shape errors."""
import math

import numpy as np
import pytest
from helpers import leaf
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
from minigan import functional as F
from minigan import nn


# ----------------------------------------------------------------------------------- Linear
@settings(max_examples=15)
@given(lead=st.lists(st.integers(1, 3), min_size=0, max_size=2),
       features=st.tuples(st.integers(1, 4), st.integers(1, 4)), bias=st.booleans(), seed=st.integers(0, 2**16))
def test_linear_is_x_wT_plus_b_with_its_gradients(lead, features, bias, seed):
    fan_in, fan_out = features
    x, w, b = leaf((*lead, fan_in), seed=seed), leaf((fan_out, fan_in), seed=seed + 1), leaf((fan_out,), seed=seed + 2)
    b = b if bias else None
    expected = x.numpy() @ w.numpy().T + (b.numpy() if bias else 0.0)
    np.testing.assert_allclose(F.linear(x, w, b).numpy(), expected, rtol=1e-12, atol=1e-12)
    inputs = (x, w, b) if bias else (x, w)
    assert minigan.gradcheck(lambda *t: F.linear(*t), inputs)


def test_second_derivatives_through_linear():
    x, w, b = leaf((3, 4), seed=1), leaf((2, 4), seed=2), leaf((2,), seed=3)
    assert minigan.gradgradcheck(lambda x, w, b: F.linear(x, w, b).tanh(), (x, w, b))


@pytest.mark.parametrize("make", [lambda: nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=1),
                                  lambda: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1)])
def test_conv_layers_gradients_with_respect_to_their_parameters(make):
    layer = make().double()
    x = leaf((2, 2, 4, 3), seed=4)
    # gradcheck perturbs the layer's own parameters in place, so the layer itself is the function
    assert minigan.gradcheck(lambda x, w, b: layer(x), (x, layer.weight, layer.bias))


# ---------------------------------------------------------------------------- initialisation
@pytest.mark.parametrize("make,fan_in", [(lambda: nn.Linear(300, 200), 300),
                                         (lambda: nn.Conv2d(16, 32, 3), 16 * 9),
                                         (lambda: nn.ConvTranspose2d(16, 32, 3), 32 * 9)])
def test_default_initialisation_is_pytorchs_uniform_one_over_sqrt_fan_in(make, fan_in):
    layer = make()
    bound = 1 / math.sqrt(fan_in)
    w, b = layer.weight.numpy(), layer.bias.numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.97 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.03 * bound  # the std of U(-a, a) is a/√3
    assert np.abs(b).max() <= bound
    assert w.dtype == b.dtype == np.float32


def test_initialisation_is_reproducible_from_the_seed():
    minigan.manual_seed(3)
    a = nn.Linear(5, 4).weight.numpy()
    minigan.manual_seed(3)
    np.testing.assert_array_equal(a, nn.Linear(5, 4).weight.numpy())
    assert not np.array_equal(a, nn.Linear(5, 4).weight.numpy())


def test_init_functions_draw_from_their_distributions():
    w = minigan.zeros(200, 300)
    bound = math.sqrt(6 / 500)
    nn.init.xavier_uniform_(w)
    assert np.abs(w.numpy()).max() <= bound and abs(w.numpy().std() - bound / math.sqrt(3)) < 0.02 * bound
    nn.init.kaiming_uniform_(w, a=0.0, nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / 300)
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.97 * bound
    nn.init.normal_(w, 2.0, 0.5)
    assert abs(w.numpy().mean() - 2.0) < 0.01 and abs(w.numpy().std() - 0.5) < 0.01
    nn.init.ones_(w)
    assert (w.numpy() == 1).all() and w.dtype == np.float32
    nn.init.zeros_(w)
    assert not w.numpy().any()


# ---------------------------------------------------------------------- dropout, shapes, clipping
def test_dropout_zeroes_a_fraction_p_and_rescales_the_rest():
    x = minigan.ones(200, 500, requires_grad=True)
    layer = nn.Dropout(0.3)
    y = layer(x)
    kept = y.numpy() != 0
    assert abs(1 - kept.mean() - 0.3) < 0.01
    np.testing.assert_allclose(y.numpy()[kept], 1 / 0.7, rtol=1e-6)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())  # ∂y/∂x is the scaled mask
    assert layer.eval()(x) is x


def test_dropout2d_drops_whole_feature_maps():
    y = nn.Dropout2d(0.5)(minigan.ones(50, 40, 3, 3)).numpy()
    per_map = y.reshape(50, 40, 9)
    assert ((per_map == 0).all(axis=2) | (per_map == 2).all(axis=2)).all()
    assert 0.4 < (per_map[:, :, 0] == 0).mean() < 0.6


def test_flatten_unflatten_upsample_and_pooling_layers_shapes():
    x = minigan.randn(2, 3, 4, 6)
    assert nn.Flatten()(x).shape == (2, 72)
    assert nn.Unflatten(1, (3, 24))(nn.Flatten()(x)).shape == (2, 3, 24)
    assert nn.Upsample(scale_factor=2)(x).shape == (2, 3, 8, 12)
    assert nn.MaxPool2d(2)(x).shape == (2, 3, 2, 3) and nn.AvgPool2d(3, 1, 1)(x).shape == (2, 3, 4, 6)
    with pytest.raises(ValueError, match="72 elements"):
        nn.Unflatten(1, (5, 5))(nn.Flatten()(x))
    with pytest.raises(ValueError, match="integer"):
        nn.Upsample(scale_factor=1.5)


def test_clip_parameters_bounds_every_weight():
    model = nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 1))
    nn.init.normal_(model[0].weight, 0.0, 1.0)
    before = model[0].weight.numpy().copy()
    nn.utils.clip_parameters_(model.parameters(), -0.01, 0.01)
    for p in model.parameters():
        assert np.abs(p.numpy()).max() <= 0.01
    np.testing.assert_array_equal(model[0].weight.numpy(), np.clip(before, -0.01, 0.01))


# ------------------------------------------------------------------------------ dtype, errors
def test_a_float32_dcgan_stays_float32_in_parameters_activations_and_gradients():
    generator = nn.Sequential(nn.Linear(8, 16 * 7 * 7), nn.BatchNorm1d(16 * 7 * 7), nn.ReLU(),
                              nn.Unflatten(1, (16, 7, 7)),
                              nn.ConvTranspose2d(16, 8, 4, 2, 1), nn.BatchNorm2d(8), nn.ReLU(),
                              nn.ConvTranspose2d(8, 1, 4, 2, 1), nn.Tanh())
    critic = nn.Sequential(nn.Conv2d(1, 8, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(8, 16, 4, 2, 1), nn.BatchNorm2d(16),
                           nn.LeakyReLU(0.2), nn.Dropout(0.1), nn.MaxPool2d(2, 1), nn.Flatten(),
                           nn.Linear(16 * 6 * 6, 1))
    images = generator(minigan.randn(4, 8))
    assert images.shape == (4, 1, 28, 28) and images.dtype == np.float32
    score = critic(images)
    score.mean().backward()
    for model in (generator, critic):
        for name, p in model.named_parameters():
            assert p.dtype == np.float32 and p.grad.dtype == np.float32, name
        for name, b in model.named_buffers():
            assert b.dtype in (np.float32, np.int64), name


@pytest.mark.parametrize("layer,x,pattern", [
    (nn.Linear(3, 2), minigan.zeros(4, 5), r"Linear\(in_features=3.*\(\.\.\., 3\).*\(4, 5\)"),
    (nn.Conv2d(3, 8, 3), minigan.zeros(2, 1, 8, 8), r"Conv2d\(3, 8.*\(N, 3, H, W\).*\(2, 1, 8, 8\)"),
    (nn.ConvTranspose2d(4, 2, 3), minigan.zeros(2, 3, 8, 8), r"ConvTranspose2d\(4, 2.*\(N, 4, H, W\).*\(2, 3, 8, 8\)"),
    (nn.BatchNorm2d(6), minigan.zeros(2, 5, 3, 3), r"BatchNorm2d\(6.*\(N, 6, ·, ·\).*\(2, 5, 3, 3\)"),
    (nn.BatchNorm1d(6), minigan.zeros(2, 5), r"BatchNorm1d\(6.*\(N, 6\).*\(2, 5\)"),
])
def test_a_wrong_channel_count_names_the_layer_and_both_shapes(layer, x, pattern):
    with pytest.raises(ValueError, match=pattern):
        layer(x)
