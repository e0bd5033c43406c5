"""The convolution family (unfold/fold, conv2d, conv_transpose2d, pooling, upsampling) against their
definitions and central differences."""
import numpy as np
import pytest
from helpers import leaf
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan import functional as F
from minigan.ops import Fold, Unfold


@st.composite
def conv_geometry(draw, max_side=6):
    """(N, C, H, W), (kh, kw), stride, padding, out channels: every output size ≥ 1."""
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, kh - 1)), draw(st.integers(0, kw - 1)))
    h = draw(st.integers(max(1, kh - 2 * padding[0]), max_side))
    w = draw(st.integers(max(1, kw - 2 * padding[1]), max_side))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w)
    return shape, (kh, kw), stride, padding, draw(st.integers(1, 3))


def out_size(size, k, s, p):
    return (size + 2 * p - k) // s + 1


def conv2d_reference(x, w, b, stride, padding):
    """y[n, o, i, j] = b[o] + Σ_{c, a, d} w[o, c, a, d] x_pad[n, c, s·i + a, s·j + d], offset by offset."""
    (sh, sw), (ph, pw) = stride, padding
    kh, kw = w.shape[2:]
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    ho, wo = out_size(x.shape[2], kh, sh, ph), out_size(x.shape[3], kw, sw, pw)
    y = np.zeros((x.shape[0], w.shape[0], ho, wo))
    for a in range(kh):
        for d in range(kw):
            window = x_pad[:, :, a:a + sh * ho:sh, d:d + sw * wo:sw]
            y += np.einsum("nchw,oc->nohw", window, w[:, :, a, d])
    return y + b.reshape(1, -1, 1, 1)


def conv_transpose2d_reference(x, w, stride, padding, output_padding):
    """Every input pixel scatters x[n, c, i, j] · w[c, o] onto the output at (s·i, s·j), then the
    padding is cropped: y = y_full[p : p + Ho], Ho = (H - 1)s - 2p + kh + output_padding."""
    (sh, sw), (ph, pw), (oh, ow) = stride, padding, output_padding
    n, _, h, wd = x.shape
    kh, kw = w.shape[2:]
    full = np.zeros((n, w.shape[1], (h - 1) * sh + kh + oh, (wd - 1) * sw + kw + ow))
    for a in range(kh):
        for d in range(kw):
            full[:, :, a:a + sh * h:sh, d:d + sw * wd:sw] += np.einsum("nchw,co->nohw", x, w[:, :, a, d])
    ho, wo = (h - 1) * sh - 2 * ph + kh + oh, (wd - 1) * sw - 2 * pw + kw + ow
    return full[:, :, ph:ph + ho, pw:pw + wo]


# ----------------------------------------------------------------------------- unfold and fold
@given(geometry=conv_geometry(), seed=st.integers(0, 2**16))
def test_fold_is_the_adjoint_of_unfold(geometry, seed):
    shape, kernel, stride, padding, _ = geometry
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    rows = Unfold.apply(minigan.tensor(x), kernel_size=kernel, stride=stride, padding=padding)
    r = rng.standard_normal(rows.shape)
    folded = Fold.apply(minigan.tensor(r), image_shape=shape, kernel_size=kernel, stride=stride, padding=padding)
    assert folded.shape == shape
    np.testing.assert_allclose((rows.numpy() * r).sum(), (x * folded.numpy()).sum(), rtol=1e-10, atol=1e-10)


@given(geometry=conv_geometry(max_side=5), seed=st.integers(0, 2**16))
def test_unfold_and_fold_gradients(geometry, seed):
    shape, kernel, stride, padding, _ = geometry
    x = leaf(shape, seed=seed)
    assert minigan.gradcheck(lambda t: Unfold.apply(t, kernel_size=kernel, stride=stride, padding=padding), (x,))
    rows = Unfold.apply(x, kernel_size=kernel, stride=stride, padding=padding)
    r = leaf(rows.shape, seed=seed + 1)
    assert minigan.gradcheck(
        lambda t: Fold.apply(t, image_shape=shape, kernel_size=kernel, stride=stride, padding=padding), (r,))


def test_unfold_holds_the_patches_in_kh_kw_c_order():
    x = np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5)
    rows = Unfold.apply(minigan.tensor(x), kernel_size=(2, 3), stride=(2, 1), padding=(1, 0)).numpy()
    x_pad = np.pad(x, ((0, 0), (0, 0), (1, 1), (0, 0)))
    ho, wo = out_size(4, 2, 2, 1), out_size(5, 3, 1, 0)
    assert rows.shape == (2 * ho * wo, 2 * 3 * 3)
    n, i, j = 1, 2, 1  # row (n, i, j) is the patch at (2i, j), axes (kh, kw, C)
    patch = x_pad[n, :, 2 * i:2 * i + 2, j:j + 3].transpose(1, 2, 0).reshape(-1)
    np.testing.assert_array_equal(rows[(n * ho + i) * wo + j], patch)


# -------------------------------------------------------------------------------------- conv2d
@given(geometry=conv_geometry(), seed=st.integers(0, 2**16))
def test_conv2d_matches_its_definition(geometry, seed):
    shape, (kh, kw), stride, padding, out_channels = geometry
    rng = np.random.default_rng(seed)
    x, w, b = (rng.standard_normal(shape), rng.standard_normal((out_channels, shape[1], kh, kw)),
               rng.standard_normal(out_channels))
    y = F.conv2d(minigan.tensor(x), minigan.tensor(w), minigan.tensor(b), stride=stride, padding=padding)
    np.testing.assert_allclose(y.numpy(), conv2d_reference(x, w, b, stride, padding), rtol=1e-10, atol=1e-10)


@given(geometry=conv_geometry(max_side=5), seed=st.integers(0, 2**16))
def test_conv2d_gradients(geometry, seed):
    shape, (kh, kw), stride, padding, out_channels = geometry
    x, w, b = (leaf(shape, seed=seed), leaf((out_channels, shape[1], kh, kw), seed=seed + 1),
               leaf((out_channels,), seed=seed + 2))
    assert minigan.gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride=stride, padding=padding), (x, w, b))


def test_second_derivatives_through_conv2d():
    """A WGAN-GP penalty on a convolutional critic differentiates ∂f/∂x again, through conv2d."""
    x, w, b = leaf((2, 2, 4, 5), seed=1), leaf((3, 2, 3, 2), seed=2), leaf((3,), seed=3)
    assert minigan.gradgradcheck(lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 0)).tanh(), (x, w, b))


def test_gradient_penalty_of_a_conv_critic_has_the_right_weight_gradient():
    w = leaf((2, 1, 3, 3), seed=4)
    x = leaf((2, 1, 5, 5), seed=5)

    def penalty(w):
        x_ = minigan.tensor(x.data, requires_grad=True)
        out = F.conv2d(x_, w, stride=2, padding=1).tanh().sum()
        g = minigan.grad(out, [x_], create_graph=True)[0]
        return ((g * g).sum(axis=(1, 2, 3)).sqrt() - 1.0) ** 2

    assert minigan.gradcheck(penalty, (w,))


# ---------------------------------------------------------------------------- conv_transpose2d
@st.composite
def transpose_geometry(draw):
    shape, kernel, stride, padding, out_channels = draw(conv_geometry(max_side=4))
    output_padding = (draw(st.integers(0, stride[0] - 1)), draw(st.integers(0, stride[1] - 1)))
    ho = (shape[2] - 1) * stride[0] - 2 * padding[0] + kernel[0] + output_padding[0]
    wo = (shape[3] - 1) * stride[1] - 2 * padding[1] + kernel[1] + output_padding[1]
    if ho < 1 or wo < 1:
        padding = (0, 0)
    return shape, kernel, stride, padding, output_padding, out_channels


@given(geometry=transpose_geometry(), seed=st.integers(0, 2**16))
def test_conv_transpose2d_matches_its_definition(geometry, seed):
    shape, (kh, kw), stride, padding, output_padding, out_channels = geometry
    rng = np.random.default_rng(seed)
    x, w, b = (rng.standard_normal(shape), rng.standard_normal((shape[1], out_channels, kh, kw)),
               rng.standard_normal(out_channels))
    y = F.conv_transpose2d(minigan.tensor(x), minigan.tensor(w), minigan.tensor(b), stride, padding, output_padding)
    expected = conv_transpose2d_reference(x, w, stride, padding, output_padding) + b.reshape(1, -1, 1, 1)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-10, atol=1e-10)


@given(geometry=conv_geometry(), seed=st.integers(0, 2**16))
def test_conv_transpose2d_is_the_adjoint_of_conv2d(geometry, seed):
    """<conv2d(x, w), y> = <x, conv_transpose2d(y, w)>, with output_padding restoring x's size."""
    shape, (kh, kw), stride, padding, out_channels = geometry
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(shape), rng.standard_normal((out_channels, shape[1], kh, kw))
    y_shape = F.conv2d(minigan.tensor(x), minigan.tensor(w), stride=stride, padding=padding).shape
    y = rng.standard_normal(y_shape)
    output_padding = tuple(size - ((o - 1) * s - 2 * p + k)
                           for size, o, s, p, k in zip(shape[2:], y_shape[2:], stride, padding, (kh, kw)))
    back = F.conv_transpose2d(minigan.tensor(y), minigan.tensor(w), stride=stride, padding=padding,
                              output_padding=output_padding)
    conv = F.conv2d(minigan.tensor(x), minigan.tensor(w), stride=stride, padding=padding)
    np.testing.assert_allclose((conv.numpy() * y).sum(), (x * back.numpy()).sum(), rtol=1e-10, atol=1e-10)


@given(geometry=transpose_geometry(), seed=st.integers(0, 2**16))
def test_conv_transpose2d_gradients(geometry, seed):
    shape, (kh, kw), stride, padding, output_padding, out_channels = geometry
    x, w, b = (leaf(shape, seed=seed), leaf((shape[1], out_channels, kh, kw), seed=seed + 1),
               leaf((out_channels,), seed=seed + 2))
    assert minigan.gradcheck(lambda x, w, b: F.conv_transpose2d(x, w, b, stride, padding, output_padding), (x, w, b))


def test_second_derivatives_through_conv_transpose2d():
    x, w = leaf((1, 2, 3, 2), seed=6), leaf((2, 2, 3, 2), seed=7)
    assert minigan.gradgradcheck(lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1).tanh(),
                                 (x, w))


# ------------------------------------------------------------------------- pooling, upsampling
def pool_reference(x, k, s, p, reduce, fill):
    x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=fill)
    ho, wo = out_size(x.shape[2], k, s, p), out_size(x.shape[3], k, s, p)
    y = np.empty(x.shape[:2] + (ho, wo))
    for i in range(ho):
        for j in range(wo):
            y[:, :, i, j] = reduce(x_pad[:, :, s * i:s * i + k, s * j:s * j + k], axis=(2, 3))
    return y


pool_cases = [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 1, 0), (3, 3, 0)]


@pytest.mark.parametrize("k,s,p", pool_cases)
def test_pooling_matches_its_definition(k, s, p):
    x = np.random.default_rng(k * 10 + s).standard_normal((2, 3, 6, 7))
    np.testing.assert_array_equal(F.max_pool2d(minigan.tensor(x), k, s, p).numpy(),
                                  pool_reference(x, k, s, p, np.max, -np.inf))
    np.testing.assert_allclose(F.avg_pool2d(minigan.tensor(x), k, s, p).numpy(),
                               pool_reference(x, k, s, p, np.mean, 0.0), rtol=1e-12)


@pytest.mark.parametrize("k,s,p", pool_cases)
def test_pooling_gradients(k, s, p):
    distinct = np.random.default_rng(k + s + p).permutation(2 * 2 * 6 * 6).reshape(2, 2, 6, 6) * 0.01
    x = minigan.tensor(distinct, requires_grad=True)  # no ties: the max is differentiable there
    assert minigan.gradcheck(lambda t: F.max_pool2d(t, k, s, p), (x,))
    assert minigan.gradcheck(lambda t: F.avg_pool2d(t, k, s, p), (leaf((2, 2, 6, 6)),))


def test_upsample_nearest_repeats_pixels_and_sums_gradients():
    x = leaf((2, 3, 2, 3))
    y = F.upsample_nearest(x, (2, 3))
    np.testing.assert_array_equal(y.numpy(), np.repeat(np.repeat(x.numpy(), 2, axis=2), 3, axis=3))
    assert minigan.gradcheck(lambda t: F.upsample_nearest(t, 2), (x,))
    F.upsample_nearest(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full(x.shape, 4.0))


# ------------------------------------------------------------------------------ dtype, errors
def test_float32_stays_float32_through_the_conv_family():
    x = minigan.randn(2, 3, 8, 8, requires_grad=True)
    w = minigan.randn(4, 3, 3, 3, requires_grad=True)
    wt = minigan.randn(4, 2, 4, 4, requires_grad=True)
    y = F.conv2d(x, w, stride=2, padding=1)
    y = F.conv_transpose2d(y, wt, stride=2, padding=1)
    y = F.max_pool2d(y, 3, 2, 1) + F.avg_pool2d(F.upsample_nearest(y, 2), 4)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == w.grad.dtype == wt.grad.dtype == np.float32


def test_bad_shapes_are_errors_that_name_them():
    with pytest.raises(ValueError, match=r"\(2, 3, 8, 8\).*\(4, 5, 3, 3\)"):
        F.conv2d(minigan.randn(2, 3, 8, 8), minigan.randn(4, 5, 3, 3))
    with pytest.raises(ValueError, match="does not fit"):
        F.conv2d(minigan.randn(1, 1, 2, 2), minigan.randn(1, 1, 3, 3))
    with pytest.raises(ValueError, match="output_padding"):
        F.conv_transpose2d(minigan.randn(1, 1, 3, 3), minigan.randn(1, 1, 3, 3), stride=2, output_padding=2)
    with pytest.raises(ValueError, match="half the kernel"):
        F.max_pool2d(minigan.randn(1, 1, 4, 4), 2, padding=2)
    with pytest.raises(ValueError, match="kernel_size"):
        F.max_pool2d(minigan.randn(1, 1, 4, 4), (2, 2, 2))
