"""The primitives of the convolutions: im2col/col2im (Unfold/Fold), the convolution and the transposed
convolution as fused nodes; pooling and nearest upsampling are built on them.

Layout. Unfold turns every kh×kw patch of the padded image into one ROW of a matrix, its entries in
(kh, kw, C) order; so a convolution over the whole batch is one matrix product,

    conv2d(x, w) = Unfold(x) · w_rowsᵀ,     Unfold(x): (N·Ho·Wo, kh·kw·C),  w_rows: (out, kh·kw·C)

which is a Linear layer applied to every patch. (PyTorch's F.unfold returns the same numbers as
(N, C·kh·kw, L); rows with C innermost let the copy read C contiguous values at a time from
channels-last memory, which the convolution's output already has.)

Output size of a convolution (and of Unfold): Ho = ⌊(H + 2p - kh) / s⌋ + 1, Wo likewise.
"""
import numpy as np

from minigan import backend
from minigan.autograd import Function
from minigan.ops import threads
from minigan.ops.linear import affine_array


def pair(value, name="value"):
    """(a, b) from an int or a pair of ints (kernel sizes, strides, paddings)."""
    pair_ = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair_) != 2 or not all(isinstance(v, (int, np.integer)) for v in pair_):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    return int(pair_[0]), int(pair_[1])


def conv_output_size(size, kernel, stride, padding):
    """Ho = ⌊(H + 2p - kh) / s⌋ + 1."""
    return (size + 2 * padding - kernel) // stride + 1


def unfold_array(x, kernel_size, stride, padding, pad_value=0.0):
    """The patch matrix (N·Ho·Wo, kh·kw·C) of an (N, C, H, W) array: a strided view, one copy (split
    over the batch on `threads.set_num_threads` threads)."""
    xp = backend.get_array_module(x)
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw) = kernel_size, stride, padding
    ho, wo = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    rows = xp.empty((n, ho, wo, kh, kw, c), dtype=x.dtype)

    def copy_patches(lo, hi):
        channels_last = x[lo:hi].transpose(0, 2, 3, 1)
        if ph or pw:
            shape = (hi - lo, h + 2 * ph, w + 2 * pw, c)
            padded = xp.zeros(shape, dtype=x.dtype) if pad_value == 0 else xp.full(shape, pad_value, dtype=x.dtype)
            padded[:, ph:ph + h, pw:pw + w, :] = channels_last
        else:
            padded = channels_last
        s_n, s_h, s_w, s_c = padded.strides
        rows[lo:hi] = backend.as_strided(padded, (hi - lo, ho, wo, kh, kw, c), (s_n, s_h * sh, s_w * sw, s_h, s_w, s_c))

    _split(copy_patches, n, rows.size, xp)
    return rows.reshape(n * ho * wo, kh * kw * c)


def fold_array(rows, image_shape, kernel_size, stride, padding):
    """The adjoint of unfold_array: add every row back onto its patch of an (N, C, H, W) image.
    A loop over the kh·kw kernel offsets, each adding one strided slice (no loop over pixels); split
    over the batch on `threads.set_num_threads` threads."""
    xp = backend.get_array_module(rows)
    n, c, h, w = image_shape
    (kh, kw), (sh, sw), (ph, pw) = kernel_size, stride, padding
    ho, wo = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    patches = rows.reshape(n, ho, wo, kh, kw, c)
    padded = xp.zeros((n, h + 2 * ph, w + 2 * pw, c), dtype=rows.dtype)

    def add_patches(lo, hi):
        for i in range(kh):
            for j in range(kw):
                padded[lo:hi, i:i + sh * ho:sh, j:j + sw * wo:sw, :] += patches[lo:hi, :, :, i, j, :]

    _split(add_patches, n, patches.size, xp)
    return padded[:, ph:ph + h, pw:pw + w, :].transpose(0, 3, 1, 2)


def _split(fn, batch, work, xp):
    """fn(lo, hi) over the batch: on the threads for NumPy, at once for CuPy (the GPU splits it itself)."""
    if xp is np:
        threads.over_batch(fn, batch, work)
    else:
        fn(0, batch)


class Unfold(Function):
    """im2col. Row (n, i, j) holds the patch x_pad[n, :, s·i : s·i+kh, s·j : s·j+kw] in (kh, kw, C) order:

        (N, C, H, W)  →  (N·Ho·Wo, kh·kw·C)

    Linear in x, so its backward is its adjoint, Fold (each row added back onto its patch). The
    padding holds `pad_value` (0; -inf for max pooling), a constant that gets no gradient."""

    def forward(self, x, kernel_size, stride, padding, pad_value=0.0):
        self.geometry = dict(image_shape=x.shape, kernel_size=kernel_size, stride=stride, padding=padding)
        return unfold_array(x, kernel_size, stride, padding, pad_value)

    def backward(self, grad):
        return Fold.apply(grad, **self.geometry)


class Fold(Function):
    """col2im, the adjoint of Unfold: the rows (N·Ho·Wo, kh·kw·C) are added onto their patches of an
    image of `image_shape` (N, C, H, W), overlaps summed, padding cropped. Its backward is Unfold."""

    def forward(self, rows, image_shape, kernel_size, stride, padding):
        self.geometry = dict(kernel_size=kernel_size, stride=stride, padding=padding)
        return fold_array(rows, image_shape, kernel_size, stride, padding)

    def backward(self, grad):
        return Unfold.apply(grad, **self.geometry)


# ------------------------------------------------------------------- convolutions as one node each
class Convolution(Function):
    """conv2d on patch rows: y = Unfold(x) · W_rowsᵀ + b, rows (N·Ho·Wo, out), W_rows (out, kh·kw·C):

        ∂L/∂W_rows = Gᵀ Unfold(x),    ∂L/∂x = Fold(G W_rows),    ∂L/∂b = Σ_rows G

    The same numbers as Affine.apply(Unfold.apply(x), W_rows, b), as one node that keeps x instead of
    its patch matrix (kh·kw times larger); backward unfolds x again, which costs one copy. Fold(G W_rows)
    is the transposed convolution of G with the same weights (W_rows is conv_transpose2d's W_cols for
    in = out, out = C), so ∂L/∂x is computed by TransposedConvolution."""

    def forward(self, x, weight_rows, bias=None, kernel_size=None, stride=None, padding=None):
        self.geometry = dict(kernel_size=kernel_size, stride=stride, padding=padding)
        return affine_array(unfold_array(x, kernel_size, stride, padding), weight_rows, bias)

    def backward(self, grad):
        x, weight_rows = self.parents[:2]
        needs = self.needs_input_grad
        grad_w = grad.T @ Unfold.apply(x, **self.geometry) if needs[1] else None
        grad_x = None
        if needs[0]:  # ∂L/∂x = Fold(G W_rows) = conv_transpose2d(G, w)
            n, _, h, w = x.shape
            ho, wo = (conv_output_size(size, k, s, p) for size, k, s, p in
                      zip((h, w), self.geometry["kernel_size"], self.geometry["stride"], self.geometry["padding"]))
            grad_image = grad.reshape(n, ho, wo, grad.shape[1]).transpose(0, 3, 1, 2)
            grad_x = TransposedConvolution.apply(grad_image, weight_rows, image_shape=x.shape, **self.geometry)
        if len(self.parents) == 2:
            return grad_x, grad_w
        return grad_x, grad_w, (grad.sum(axis=0) if needs[2] else None)


class TransposedConvolution(Function):
    """conv_transpose2d as one matrix product and a fold: with X = x as pixel rows (N·H·W, in) and
    W_cols (in, kh·kw·out),

        y = Fold(X W_cols) + b,    y (N, out, Ho, Wo) of `image_shape`
        ∂L/∂X = Unfold(G) W_colsᵀ,    ∂L/∂W_cols = Xᵀ Unfold(G),    ∂L/∂b = Σ_{n,i,j} G

    The same numbers as Fold.apply(x.transpose(0, 2, 3, 1).reshape(-1, in) @ W_cols) + b, as one node
    that keeps x only: neither the patch matrix X W_cols (Fold's backward never reads it) nor the
    pixel rows (a copy of x) nor the output before the bias. With stride 1 the forward is computed as
    a convolution instead (`stride_one_transposed`, the same numbers)."""

    def forward(self, x, weight_cols, bias=None, image_shape=None, kernel_size=None, stride=None, padding=None):
        self.geometry = dict(kernel_size=kernel_size, stride=stride, padding=padding)
        n, channels, h, w = x.shape
        (kh, kw), (ph, pw) = kernel_size, padding
        if stride == (1, 1) and ph <= kh - 1 and pw <= kw - 1:
            y = stride_one_transposed(x, weight_cols, kernel_size, padding)
        else:
            pixels = x.transpose(0, 2, 3, 1).reshape(n * h * w, channels)
            y = fold_array(affine_array(pixels, weight_cols.T), image_shape, kernel_size, stride, padding)  # X W_cols
        if bias is not None:
            y += bias.reshape(1, -1, 1, 1)  # in place: y is a new array
        return y

    def backward(self, grad):
        x, weight_cols = self.parents[:2]
        n, channels, h, w = x.shape
        needs = self.needs_input_grad
        grad_cols = Unfold.apply(grad, **self.geometry)
        grad_x = grad_w = grad_b = None
        if needs[1]:
            grad_w = x.transpose(0, 2, 3, 1).reshape(n * h * w, channels).T @ grad_cols
        if needs[0]:
            grad_x = (grad_cols @ weight_cols.T).reshape(n, h, w, channels).transpose(0, 3, 1, 2)
        if len(self.parents) == 3 and needs[2]:
            grad_b = grad.sum(axis=(0, 2, 3))
        return (grad_x, grad_w) if len(self.parents) == 2 else (grad_x, grad_w, grad_b)


def stride_one_transposed(x, weight_cols, kernel_size, padding):
    """conv_transpose2d with stride 1 (and p ≤ k - 1) as a convolution: x padded by k - 1 - p and
    correlated with the kernel flipped in space, in and out swapped,

        y[n, o, i, j] = Σ_{c, a, b} x_pad[n, c, i + a, j + b] · w[c, o, kh - 1 - a, kw - 1 - b],

    the same numbers as Fold(X W_cols) from one unfold of x and one matrix product, instead of a
    product kh·kw times larger than x and a fold (np.add of kh·kw strided slices, several times slower
    than the unfold's single copy). Returns y without the bias, (N, out, Ho, Wo), Ho = H + kh - 1 - 2p."""
    n, channels, h, w = x.shape
    (kh, kw), (ph, pw) = kernel_size, padding
    out_channels = weight_cols.shape[1] // (kh * kw)
    flipped = weight_cols.reshape(channels, kh, kw, out_channels)[:, ::-1, ::-1, :]
    flipped_rows = flipped.transpose(3, 1, 2, 0).reshape(out_channels, kh * kw * channels)
    rows = affine_array(unfold_array(x, kernel_size, (1, 1), (kh - 1 - ph, kw - 1 - pw)), flipped_rows)
    return rows.reshape(n, h + kh - 1 - 2 * ph, w + kw - 1 - 2 * pw, out_channels).transpose(0, 3, 1, 2)


# ------------------------------------------------------------------------- pooling, upsampling
def _pool_rows(x, kernel_size, stride, padding, pad_value):
    """Each (n, c) plane's windows as rows (N·C·Ho·Wo, kh·kw), and the output shape (N, C, Ho, Wo)."""
    n, c, h, w = x.shape
    ho = conv_output_size(h, kernel_size[0], stride[0], padding[0])
    wo = conv_output_size(w, kernel_size[1], stride[1], padding[1])
    planes = x.reshape(n * c, 1, h, w)
    rows = Unfold.apply(planes, kernel_size=kernel_size, stride=stride, padding=padding, pad_value=pad_value)
    return rows, (n, c, ho, wo)


def _tiles(x, kernel_size):
    """(N, C, H/kh, kh, W/kw, kw): non-overlapping windows as a reshape (no copy of a contiguous x)."""
    n, c, h, w = x.shape
    kh, kw = kernel_size
    return x.reshape(n, c, h // kh, kh, w // kw, kw)


def _is_tiling(x, kernel_size, stride, padding):
    return (stride == kernel_size and padding == (0, 0)
            and x.shape[2] % kernel_size[0] == 0 and x.shape[3] % kernel_size[1] == 0)


def max_pool(x, kernel_size, stride, padding):
    """y[n, c, i, j] = max of x over the window (padding is -inf: it never wins); the gradient goes to
    the maximum (split evenly between exact ties, where PyTorch picks one)."""
    if _is_tiling(x, kernel_size, stride, padding):
        return _tiles(x, kernel_size).max(axis=(3, 5))
    rows, shape = _pool_rows(x, kernel_size, stride, padding, -np.inf)
    return rows.max(axis=1).reshape(shape)


def avg_pool(x, kernel_size, stride, padding):
    """y[n, c, i, j] = (1 / kh·kw) Σ of x over the window, padded zeros included (PyTorch's
    count_include_pad=True); ∂y/∂x = 1 / (kh·kw) for every element of the window."""
    if _is_tiling(x, kernel_size, stride, padding):
        return _tiles(x, kernel_size).mean(axis=(3, 5))
    rows, shape = _pool_rows(x, kernel_size, stride, padding, 0.0)
    return rows.mean(axis=1).reshape(shape)


def upsample_nearest(x, scale):
    """y[n, c, i, j] = x[n, c, ⌊i / s_h⌋, ⌊j / s_w⌋]: every pixel repeated s_h × s_w times, a broadcast;
    its gradient sums each s_h × s_w block back onto its pixel."""
    n, c, h, w = x.shape
    sh, sw = scale
    blocks = x.reshape(n, c, h, 1, w, 1).broadcast_to((n, c, h, sh, w, sw))
    return blocks.reshape(n, c, h * sh, w * sw)
