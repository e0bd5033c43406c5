"""The functions users call: activations and losses, in their numerically stable forms.

Every loss takes ``reduction`` = "mean" (default), "sum" or "none".
"""
from minigan import ops
from minigan.autograd import Tensor

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
