"""The fast paths of the ops against the plain forms of their formulas: the branch-free activations
against the two cases of their definition, expm1's identity against NumPy's expm1, and the stride-1
transposed convolution (a convolution with the flipped kernel) against Fold(X W_cols)."""
import numpy as np
import pytest
from helpers import leaf
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan import functional as F
from minigan.ops import Fold, TransposedConvolution
from minigan.ops.elementwise import expm1


# --------------------------------------------------------------------------------- activations
def test_expm1_identity_matches_numpy_in_float32():
    x = np.concatenate([-np.logspace(-30, 2, 4000), [0.0], np.logspace(-30, 1.5, 4000)]).astype(np.float32)
    exact = np.expm1(x.astype(np.float64))
    fast = expm1(x)
    assert fast.dtype == np.float32
    relative = np.abs(fast - exact) / np.maximum(np.abs(exact), np.finfo(np.float32).tiny)
    assert relative.max() < 4e-7          # a few float32 ulps, near 0 too (eˣ - 1 would lose them all)
    assert expm1(np.float32(-1e-20)) == np.float32(-1e-20)     # 0-d input: NumPy's expm1


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("slope", [0.2, 0.0, 1.0, 1.5, -0.3])
def test_leaky_relu_matches_its_two_cases(dtype, slope):
    x = np.random.default_rng(0).uniform(-3, 3, (50, 7)).astype(dtype)
    x[0, :3] = 0.0
    t = minigan.tensor(x, requires_grad=True)
    y = F.leaky_relu(t, slope)
    y.backward(minigan.tensor(np.ones_like(x)))
    np.testing.assert_array_equal(y.numpy(), np.where(x > 0, x, x * dtype(slope)))
    np.testing.assert_array_equal(t.grad.numpy(), np.where(x > 0, 1.0, slope).astype(dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0])
def test_elu_matches_its_two_cases(dtype, alpha):
    x = np.random.default_rng(1).uniform(-6, 3, (40, 9)).astype(dtype)
    x[0, :3] = 0.0
    x[1, :3] = -1e-6
    t = minigan.tensor(x, requires_grad=True)
    y = F.elu(t, alpha)
    g = np.random.default_rng(2).standard_normal(x.shape).astype(dtype)
    y.backward(minigan.tensor(g))
    exact = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0).astype(np.float64)))
    tol = dict(rtol=1e-6, atol=0) if dtype == np.float32 else dict(rtol=1e-14, atol=0)
    np.testing.assert_allclose(y.numpy(), exact, **tol)
    slope = np.where(x > 0, 1.0, alpha * np.exp(x.astype(np.float64)))
    # y + α for x ≤ 0 (the slope from the output, as before) carries y's absolute error, not a relative one
    atol = 1e-6 * np.abs(g) if dtype == np.float32 else 1e-14 * np.abs(g)
    assert np.all(np.abs(t.grad.numpy() - g * slope) <= atol + 1e-6 * np.abs(g * slope))


def test_sigmoid_is_finite_and_accurate_at_both_ends():
    x = np.array([-800.0, -100.0, -30.0, -1e-8, 0.0, 1e-8, 30.0, 800.0])
    with np.errstate(over="ignore"):
        exact = 1 / (1 + np.exp(-x))                        # e^800 = inf: σ(-800) = 0
    y = F.sigmoid(minigan.tensor(x)).numpy()
    np.testing.assert_allclose(y, exact, rtol=1e-15, atol=0)
    y32 = F.sigmoid(minigan.tensor(x.astype(np.float32))).numpy()
    assert y32.dtype == np.float32 and y32[2] > 0          # σ(-30) ≈ 9e-14, not 1 - 1 = 0
    # a GPU flushes float32 subnormals to zero (σ(-100) ≈ 3.7e-44 is one): there, zero below the smallest normal
    atol = np.finfo(np.float32).tiny if minigan.backend.current() == "cupy" else 1e-44
    np.testing.assert_allclose(y32, exact, rtol=1e-6, atol=atol)


# ---------------------------------------------- stride 1: the transposed convolution as a convolution
@st.composite
def stride_one_geometry(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    padding = (draw(st.integers(0, kh + 1)), draw(st.integers(0, kw + 1)))   # p > k - 1: the fold
    h = draw(st.integers(max(1, 2 * padding[0] - kh + 2), 9))               # Ho = H + k - 1 - 2p ≥ 1
    w = draw(st.integers(max(1, 2 * padding[1] - kw + 2), 9))
    return (draw(st.integers(1, 3)), draw(st.integers(1, 4)), h, w), (kh, kw), padding, draw(st.integers(1, 4))


@given(geometry=stride_one_geometry(), seed=st.integers(0, 2**16))
def test_stride_one_transposed_convolution_equals_the_fold(geometry, seed):
    shape, (kh, kw), padding, out_channels = geometry
    n, c, h, w = shape
    out_shape = (n, out_channels, h + kh - 1 - 2 * padding[0], w + kw - 1 - 2 * padding[1])
    rng = np.random.default_rng(seed)
    x = minigan.tensor(rng.standard_normal(shape))
    weight_cols = minigan.tensor(rng.standard_normal((c, kh * kw * out_channels)))
    fast = TransposedConvolution.apply(x, weight_cols, image_shape=out_shape, kernel_size=(kh, kw),
                                       stride=(1, 1), padding=padding)
    pixels = x.transpose(0, 2, 3, 1).reshape(n * h * w, c)
    plain = Fold.apply(pixels @ weight_cols, image_shape=out_shape, kernel_size=(kh, kw), stride=(1, 1),
                       padding=padding)
    assert fast.shape == out_shape
    np.testing.assert_allclose(fast.numpy(), plain.numpy(), rtol=1e-12, atol=1e-12)


def test_stride_one_gradients_and_second_derivatives():
    """conv2d's ∂L/∂x is a stride-1 transposed convolution, itself a node of Tensors: first and second
    derivatives stay exact (a penalty on ∂f/∂x, as WGAN-GP's, differentiates through it)."""
    x, w, b = leaf((2, 3, 5, 4), seed=1), leaf((2, 3, 3, 2), seed=2), leaf((2,), seed=3)
    assert minigan.gradcheck(lambda x, w, b: F.conv2d(x, w, b, padding=(1, 1)), (x, w, b))
    assert minigan.gradgradcheck(lambda x, w, b: F.elu(F.conv2d(x, w, b, padding=(2, 0))).tanh(), (x, w, b))
    wt = leaf((3, 2, 3, 2), seed=4)
    assert minigan.gradgradcheck(lambda x, w: F.conv_transpose2d(x, w, padding=(1, 0)).tanh(), (x, wt))
