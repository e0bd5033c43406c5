"""Weight initialisation, in place, drawn from minigan's one seeded generator (``minigan.manual_seed``).

PyTorch's defaults (what a fresh Linear/Conv2d holds):
    weight ~ kaiming_uniform(a=√5) = U(-1/√fan_in, 1/√fan_in),    bias ~ U(-1/√fan_in, 1/√fan_in)
(DCGAN's initialisation is minigan.gan.models.dcgan_init, with the DCGAN models.)

fan_in = size(1) · kh · kw and fan_out = size(0) · kh · kw, PyTorch's rule for every weight layout
(so a ConvTranspose2d weight (in, out, kh, kw) has fan_in = out · kh · kw, as in PyTorch).
"""
import math

import numpy as np

from minigan import backend
from minigan.creation import generator


def _fill(tensor, values):
    """Put host `values` into `tensor` (rebinding .data), on its backend and in its dtype."""
    values = values.astype(tensor.dtype)
    xp = backend.get_array_module(tensor.data)
    tensor.data = values if xp is np else xp.asarray(values)
    return tensor


def fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) = (size(1)·receptive field, size(0)·receptive field), receptive field = kh·kw."""
    if tensor.ndim < 2:
        raise ValueError(f"fan in/out need a weight with at least 2 axes, got shape {tuple(tensor.shape)}")
    receptive = int(np.prod(tensor.shape[2:], dtype=np.int64))
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def uniform_(tensor, a=0.0, b=1.0):
    """w ~ U(a, b)."""
    return _fill(tensor, generator().uniform(a, b, size=tensor.shape))


def normal_(tensor, mean=0.0, std=1.0):
    """w ~ N(mean, std²)."""
    return _fill(tensor, generator().normal(mean, std, size=tensor.shape))


def constant_(tensor, value):
    return _fill(tensor, np.full(tensor.shape, value))


def zeros_(tensor):
    return constant_(tensor, 0.0)


def ones_(tensor):
    return constant_(tensor, 1.0)


def calculate_gain(nonlinearity, param=None):
    """PyTorch's gains: 1 for linear/sigmoid, 5/3 for tanh, √2 for relu, √(2/(1+a²)) for leaky_relu."""
    if nonlinearity in ("linear", "conv2d", "conv_transpose2d", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope ** 2))
    raise ValueError(f"unknown nonlinearity {nonlinearity!r}: use linear, sigmoid, tanh, relu or leaky_relu")


def xavier_uniform_(tensor, gain=1.0):
    """w ~ U(-a, a) with a = gain · √(6 / (fan_in + fan_out)) (Glorot & Bengio)."""
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound)


def kaiming_uniform_(tensor, a=0.0, nonlinearity="leaky_relu"):
    """w ~ U(-b, b) with b = gain · √(3 / fan_in), gain = √(2 / (1 + a²)) (He et al.).
    With a = √5 (PyTorch's default for Linear and Conv) b = 1/√fan_in."""
    fan_in, _ = fan_in_and_fan_out(tensor)
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan_in)
    return uniform_(tensor, -bound, bound)


def default_init_(weight, bias=None):
    """PyTorch's initialisation of Linear and Conv layers: kaiming_uniform_(a=√5) for the weight,
    U(-1/√fan_in, 1/√fan_in) for the bias."""
    kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = fan_in_and_fan_out(weight)
        bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        uniform_(bias, -bound, bound)
