"""The functions users call: activations and losses, in their numerically stable forms, and what
the layers compute (linear, convolutions, pooling, dropout, batch norm).

Every loss takes ``reduction`` = "mean" (default), "sum" or "none".
"""
import numpy as _np

from minigan import backend as _backend
from minigan import ops
from minigan.autograd import Tensor, _wrap, get_default_dtype
from minigan.creation import generator as _generator
from minigan.ops.conv import conv_output_size as _out_size
from minigan.ops.conv import pair as _pair

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _same_shape(name, a, b):
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(f"{name}: input of shape {tuple(a.shape)} and target of shape {tuple(b.shape)} "
                         f"differ; give them the same shape (e.g. reshape the target)")


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


# ------------------------------------------------------------------------------------- activations
def relu(x):
    """max(x, 0)."""
    return ops.ReLU.apply(x)


def leaky_relu(x, negative_slope=0.01):
    """x for x > 0, negative_slope · x otherwise."""
    return ops.LeakyReLU.apply(x, negative_slope=negative_slope)


def elu(x, alpha=1.0):
    """x for x > 0, α (eˣ - 1) otherwise."""
    return ops.ELU.apply(x, alpha=alpha)


def tanh(x):
    return ops.Tanh.apply(x)


def sigmoid(x):
    """σ(x) = 1 / (1 + e⁻ˣ), without overflow for large |x|."""
    return ops.Sigmoid.apply(x)


def softplus(x):
    """log(1 + eˣ) = max(x, 0) + log1p(e^-|x|): finite for any x."""
    return ops.Softplus.apply(x)


def log_sigmoid(x):
    """log σ(x) = -softplus(-x). Never log(sigmoid(x)), which is -inf once σ(x) underflows."""
    return -softplus(-_tensor(x))


def log_softmax(x, axis=-1):
    """x - logsumexp(x) with the maximum subtracted first: x - m - log Σ e^(x - m)."""
    x = _tensor(x)
    shifted = x - x.data.max(axis=axis, keepdims=True)  # the shift is a constant: logsumexp is shift-invariant
    return shifted - shifted.exp().sum(axis=axis, keepdims=True).log()


def softmax(x, axis=-1):
    """e^(x_i) / Σ_j e^(x_j), computed as exp(log_softmax)."""
    return log_softmax(x, axis=axis).exp()


# ------------------------------------------------------------------------------------------ losses
def bce_with_logits(logits, target, reduction="mean"):
    """Binary cross-entropy on a logit a with label z: -z log σ(a) - (1 - z) log(1 - σ(a))
    = softplus(a) - a·z  (= max(a, 0) - a z + log1p(e^-|a|)).  ∂/∂a = σ(a) - z."""
    logits = _tensor(logits)
    target = _tensor(target) if not isinstance(target, (int, float)) else target
    if isinstance(target, Tensor):
        _same_shape("bce_with_logits", logits, target)
    return _reduce(softplus(logits) - logits * target, reduction)


def binary_cross_entropy(probs, target, reduction="mean"):
    """-z log p - (1 - z) log(1 - p) on probabilities p, with each log clamped at -100 as PyTorch does.
    Prefer bce_with_logits: it never needs the clamp."""
    probs, target = _tensor(probs), _tensor(target)
    _same_shape("binary_cross_entropy", probs, target)
    if probs.data.min() < 0 or probs.data.max() > 1:
        raise ValueError("binary_cross_entropy needs probabilities in [0, 1]; for logits use bce_with_logits")
    floor = 3.7200759760208356e-44  # e^-100
    log_p = probs.clip(floor, None).log()
    log_not_p = (1.0 - probs).clip(floor, None).log()
    return _reduce(-(target * log_p + (1.0 - target) * log_not_p), reduction)


def cross_entropy(logits, labels, reduction="mean"):
    """-log softmax(logits)[label] for logits of shape (N, C) and integer labels of shape (N,)."""
    logits = _tensor(logits)
    labels = labels.data if isinstance(labels, Tensor) else labels
    if logits.ndim != 2 or labels.shape != (logits.shape[0],):
        raise ValueError(f"cross_entropy needs logits (N, C) and labels (N,), got {tuple(logits.shape)} "
                         f"and {tuple(labels.shape)}")
    if labels.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy needs integer class labels, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[1]):
        raise ValueError(f"labels must lie in [0, {logits.shape[1]}), got values from {labels.min()} to {labels.max()}")
    picked = log_softmax(logits, axis=1)[ops.arange_like(labels), labels]
    return _reduce(-picked, reduction)


def nll_loss(log_probs, labels, reduction="mean"):
    """-log_probs[i, label_i]."""
    labels = labels.data if isinstance(labels, Tensor) else labels
    return _reduce(-_tensor(log_probs)[ops.arange_like(labels), labels], reduction)


def one_hot(labels, num_classes, dtype=None, like=None):
    """The one-hot code of integer labels: Y[i, k] = 1 if labels[i] == k else 0, a constant Tensor
    (N, num_classes) in `dtype` (the default dtype, or like.dtype), on the backend of `like` (the
    current one when None). A label outside [0, num_classes) is an error that names it."""
    array = labels.data if isinstance(labels, Tensor) else labels
    array = array if hasattr(array, "ndim") else _np.asarray(array)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise ValueError(f"one_hot needs a 1-D array of integer labels, got shape {tuple(array.shape)} "
                         f"and dtype {array.dtype}")
    host = _backend.to_numpy(array).astype(_np.int64)
    if host.size and (host.min() < 0 or host.max() >= num_classes):
        bad = host[(host < 0) | (host >= num_classes)]
        raise ValueError(f"labels must lie in [0, {num_classes}), got {bad[:5].tolist()}")
    if like is not None:
        dtype = like.dtype
    codes = _np.zeros((len(host), int(num_classes)), dtype=dtype or get_default_dtype())
    codes[_np.arange(len(host)), host] = 1
    xp = _backend.get_array_module(like.data) if like is not None else _backend.module()
    return _wrap(xp.asarray(codes))


def mse_loss(input, target, reduction="mean"):
    """(x - y)²."""
    input, target = _tensor(input), _tensor(target)
    _same_shape("mse_loss", input, target)
    diff = input - target
    return _reduce(diff * diff, reduction)


def l1_loss(input, target, reduction="mean"):
    """|x - y|."""
    input, target = _tensor(input), _tensor(target)
    _same_shape("l1_loss", input, target)
    return _reduce((input - target).abs(), reduction)


# ---- layers' functions
# What nn's layers compute (minigan.nn wraps each in a Module that holds the weights). PyTorch's
# signatures; weight layouts as PyTorch's: Linear (out, in), Conv2d (out, in, kh, kw),
# ConvTranspose2d (in, out, kh, kw).


def linear(input, weight, bias=None):
    """y = x Wᵀ + b, for x (..., in), W (out, in), b (out,) → y (..., out); one fused node."""
    input = _tensor(input)
    if input.ndim == 0 or input.shape[-1] != weight.shape[1]:
        raise ValueError(f"linear: input of shape {tuple(input.shape)} does not fit a weight of shape "
                         f"{tuple(weight.shape)}: the last axis must have {weight.shape[1]} features")
    rows = input if input.ndim == 2 else input.reshape(-1, weight.shape[1])
    out = ops.Affine.apply(rows, weight) if bias is None else ops.Affine.apply(rows, weight, bias)
    return out if input.ndim == 2 else out.reshape(*input.shape[:-1], weight.shape[0])


def _check_image(name, input, channels, weight):
    if input.ndim != 4 or input.shape[1] != channels:
        raise ValueError(f"{name}: input of shape {tuple(input.shape)} does not fit a weight of shape "
                         f"{tuple(weight.shape)}: expected (N, {channels}, H, W)")


def conv2d(input, weight, bias=None, stride=1, padding=0):
    """y[n, o] = b[o] + Σ_c w[o, c] ⋆ x_pad[n, c]  (cross-correlation), computed as unfold + ONE
    matrix product: every kh×kw patch is a row, and y = patches · w_rowsᵀ + b is a Linear layer on them.

        x (N, C, H, W), w (out, C, kh, kw)  →  y (N, out, Ho, Wo),   Ho = ⌊(H + 2p - kh)/s⌋ + 1
    """
    input = _tensor(input)
    out_channels, channels, kh, kw = weight.shape
    _check_image("conv2d", input, channels, weight)
    stride, padding = _pair(stride, "stride"), _pair(padding, "padding")
    n, _, h, w = input.shape
    ho, wo = _out_size(h, kh, stride[0], padding[0]), _out_size(w, kw, stride[1], padding[1])
    if ho < 1 or wo < 1:
        raise ValueError(f"conv2d: a {kh}×{kw} kernel with padding {padding} does not fit an input of "
                         f"shape {tuple(input.shape)}")
    weight_rows = weight.transpose(0, 2, 3, 1).reshape(out_channels, kh * kw * channels)
    # out = Unfold(x) · weight_rowsᵀ + b, as one node that keeps x rather than the patches
    parameters = (weight_rows,) if bias is None else (weight_rows, bias)
    out = ops.Convolution.apply(input, *parameters, kernel_size=(kh, kw), stride=stride, padding=padding)
    return out.reshape(n, ho, wo, out_channels).transpose(0, 3, 1, 2)  # (N·Ho·Wo, out) → (N, out, Ho, Wo)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0):
    """The adjoint of conv2d in x (the "fractionally strided" convolution that upsamples): every input
    pixel scatters w[c_in] · x[n, c_in, i, j] onto a kh×kw patch of the output. ONE matrix product
    gives every pixel's patch, fold (col2im) adds the overlapping patches up:

        x (N, in, H, W), w (in, out, kh, kw)  →  y (N, out, Ho, Wo),
        Ho = (H - 1)·s - 2p + kh + output_padding
    """
    input = _tensor(input)
    channels, out_channels, kh, kw = weight.shape
    _check_image("conv_transpose2d", input, channels, weight)
    stride, padding = _pair(stride, "stride"), _pair(padding, "padding")
    output_padding = _pair(output_padding, "output_padding")
    if any(op >= s for op, s in zip(output_padding, stride)):
        raise ValueError(f"conv_transpose2d: output_padding {output_padding} must be smaller than the "
                         f"stride {stride}")
    n, _, h, w = input.shape
    ho = (h - 1) * stride[0] - 2 * padding[0] + kh + output_padding[0]
    wo = (w - 1) * stride[1] - 2 * padding[1] + kw + output_padding[1]
    if ho < 1 or wo < 1:
        raise ValueError(f"conv_transpose2d: padding {padding} leaves no output for an input of shape "
                         f"{tuple(input.shape)} and a {kh}×{kw} kernel")
    weight_cols = weight.transpose(0, 2, 3, 1).reshape(channels, kh * kw * out_channels)
    # out = Fold(pixels · weight_cols) + b, pixels = x as rows (N·H·W, in): one node that keeps x only
    parameters = (weight_cols,) if bias is None else (weight_cols, bias)
    return ops.TransposedConvolution.apply(input, *parameters, image_shape=(n, out_channels, ho, wo),
                                           kernel_size=(kh, kw), stride=stride, padding=padding)


def _pool_arguments(name, input, kernel_size, stride, padding):
    if input.ndim != 4:
        raise ValueError(f"{name} needs an input (N, C, H, W), got shape {tuple(input.shape)}")
    kernel_size = _pair(kernel_size, "kernel_size")
    stride = kernel_size if stride is None else _pair(stride, "stride")
    padding = _pair(padding, "padding")
    if any(2 * p > k for p, k in zip(padding, kernel_size)):
        raise ValueError(f"{name}: padding {padding} must be at most half the kernel size {kernel_size}")
    if any(s + 2 * p < k for s, k, p in zip(input.shape[2:], kernel_size, padding)):
        raise ValueError(f"{name}: a {kernel_size} window does not fit an input of shape {tuple(input.shape)}")
    return kernel_size, stride, padding


def max_pool2d(input, kernel_size, stride=None, padding=0):
    """y[n, c, i, j] = max over the window at (s·i, s·j) of x_pad[n, c] (stride defaults to kernel_size)."""
    input = _tensor(input)
    return ops.conv.max_pool(input, *_pool_arguments("max_pool2d", input, kernel_size, stride, padding))


def avg_pool2d(input, kernel_size, stride=None, padding=0):
    """y[n, c, i, j] = mean over the window at (s·i, s·j) of x_pad[n, c], padded zeros counted."""
    input = _tensor(input)
    return ops.conv.avg_pool(input, *_pool_arguments("avg_pool2d", input, kernel_size, stride, padding))


def upsample_nearest(input, scale_factor=2):
    """y[n, c, i, j] = x[n, c, ⌊i/s⌋, ⌊j/s⌋] for an integer scale s (or a pair of them):
    (N, C, H, W) → (N, C, s·H, s·W)."""
    input = _tensor(input)
    if input.ndim != 4:
        raise ValueError(f"upsample_nearest needs an input (N, C, H, W), got shape {tuple(input.shape)}")
    scale = _pair(scale_factor, "scale_factor")
    if min(scale) < 1:
        raise ValueError(f"upsample_nearest: scale_factor must be a positive integer, got {scale_factor}")
    return ops.conv.upsample_nearest(input, scale)


def _keep_mask(shape, p, like):
    """Bernoulli(1 - p) draws scaled by 1/(1 - p), from minigan's generator, in like's dtype and backend."""
    mask = (_generator().random(shape) >= p) * (1.0 / (1.0 - p))
    mask = mask.astype(like.dtype)
    xp = _backend.get_array_module(like.data)
    return _wrap(mask if xp is _np else xp.asarray(mask))


def _check_p(p):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must lie in [0, 1], got {p}")


def dropout(input, p=0.5, training=True):
    """Inverted dropout: y = x · m / (1 - p), m ~ Bernoulli(1 - p) per element, so E[y] = x;
    the identity when not training."""
    return _dropout(_tensor(input), p, training, lambda x: x.shape)


def dropout2d(input, p=0.5, training=True):
    """Dropout of whole channels: one draw m[n, c] per feature map of x (N, C, H, W), y = x · m / (1 - p)."""
    return _dropout(_tensor(input), p, training, lambda x: x.shape[:2] + (1,) * (x.ndim - 2))


def _dropout(input, p, training, mask_shape):
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    return input * _keep_mask(mask_shape(input), p, input)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    """y = γ · (x - μ) / √(σ² + ε) + β per channel (axis 1 of (N, C), (N, C, L) or (N, C, H, W)).

    training: μ, σ² are the batch mean and BIASED variance over all axes but 1, and the running
    statistics are updated in place (when given) with the UNBIASED variance, as PyTorch does:
        running_mean ← (1 - momentum) · running_mean + momentum · μ
        running_var  ← (1 - momentum) · running_var  + momentum · σ² · n / (n - 1)
    eval: μ, σ² are running_mean, running_var (constants).
    """
    input = _tensor(input)
    if input.ndim < 2:
        raise ValueError(f"batch_norm needs an input (N, C, ...), got shape {tuple(input.shape)}")
    channels = input.shape[1]
    axes = (0,) + tuple(range(2, input.ndim))
    stats_shape = (1, channels) + (1,) * (input.ndim - 2)
    if training:  # γ x̂ + β as one node
        weight = 1.0 if weight is None else weight.reshape(stats_shape)
        bias = 0.0 if bias is None else bias.reshape(stats_shape)
        return _normalize_batch(input, weight, bias, running_mean, running_var, axes, momentum, eps)
    if running_mean is None or running_var is None:
        raise ValueError("batch_norm in eval mode needs running_mean and running_var")
    xp = _backend.get_array_module(input.data)
    inv_std = 1.0 / xp.sqrt(running_var.data.reshape(stats_shape) + eps)
    x_hat = (input - _wrap(running_mean.data.reshape(stats_shape))) * _wrap(inv_std.astype(input.dtype))
    if weight is not None:
        x_hat = x_hat * weight.reshape(stats_shape)
    if bias is not None:
        x_hat = x_hat + bias.reshape(stats_shape)
    return x_hat


def _normalize_batch(input, weight, bias, running_mean, running_var, axes, momentum, eps):
    """γ x̂ + β with the batch statistics, and the running statistics' update."""
    n = input.size // input.shape[1]
    if n < 2:
        raise ValueError(f"batch_norm in training mode needs more than one value per channel, got an "
                         f"input of shape {tuple(input.shape)}; use a larger batch or eval mode")
    x = input.data
    mean = x.mean(axis=axes, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=axes, keepdims=True)
    if running_mean is not None:
        running_mean.data = ((1 - momentum) * running_mean.data
                             + momentum * mean.reshape(-1)).astype(running_mean.dtype)
    if running_var is not None:
        unbiased = var.reshape(-1) * (n / (n - 1))
        running_var.data = ((1 - momentum) * running_var.data + momentum * unbiased).astype(running_var.dtype)
    return ops.Normalize.apply(input, weight, bias, mean=mean, var=var, axes=axes, eps=eps)
