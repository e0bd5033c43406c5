"""Elementwise primitives. Each one: the forward formula on arrays, the derivative in backward.

Backward passes are written with Tensor operations (so they can be differentiated again); a
backward that needs the forward's output reads it from ``self.output()``.
"""
import numpy as np

from minigan import backend
from minigan.autograd import Function, Tensor, _wrap, is_grad_enabled


def _const(array):
    """A constant tensor (no gradient flows into it), e.g. a mask, on the backend of `array`."""
    return _wrap(array)


class Add(Function):
    """y = a + b;  ∂y/∂a = 1, ∂y/∂b = 1."""

    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Sub(Function):
    """y = a - b;  ∂y/∂a = 1, ∂y/∂b = -1."""

    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        return grad, (-grad if self.needs_input_grad[1] else None)


class Mul(Function):
    """y = a · b;  ∂y/∂a = b, ∂y/∂b = a."""

    def forward(self, a, b):
        return a * b

    def backward(self, grad):
        a, b = self.parents
        return (grad * b if self.needs_input_grad[0] else None,
                grad * a if self.needs_input_grad[1] else None)


class Div(Function):
    """y = a / b;  ∂y/∂a = 1/b, ∂y/∂b = -a/b²."""

    def forward(self, a, b):
        return a / b

    def backward(self, grad):
        a, b = self.parents
        grad_a = grad / b
        return (grad_a if self.needs_input_grad[0] else None,
                -grad_a * a / b if self.needs_input_grad[1] else None)


class Neg(Function):
    """y = -x;  ∂y/∂x = -1."""

    def forward(self, x):
        return -x

    def backward(self, grad):
        return -grad


class Pow(Function):
    """y = xᵖ for a constant exponent p;  ∂y/∂x = p·xᵖ⁻¹."""

    def forward(self, x, exponent):
        self.exponent = exponent
        return x ** exponent

    def backward(self, grad):
        (x,) = self.parents
        p = self.exponent
        if p == 2:
            return grad * x * 2.0
        return grad * (x ** (p - 1)) * float(p)


class Exp(Function):
    """y = eˣ;  ∂y/∂x = eˣ = y."""

    def forward(self, x):
        return backend.get_array_module(x).exp(x)

    def backward(self, grad):
        return grad * self.output()


class Log(Function):
    """y = log x;  ∂y/∂x = 1/x."""

    def forward(self, x):
        return backend.get_array_module(x).log(x)

    def backward(self, grad):
        return grad / self.parents[0]


class Sqrt(Function):
    """y = √x;  ∂y/∂x = 1 / (2√x) = 1 / (2y)."""

    def forward(self, x):
        return backend.get_array_module(x).sqrt(x)

    def backward(self, grad):
        return grad / (self.output() * 2.0)


class Abs(Function):
    """y = |x|;  ∂y/∂x = sign(x) (0 at x = 0)."""

    def forward(self, x):
        return abs(x)

    def backward(self, grad):
        x = self.parents[0].data
        return grad * _const(backend.get_array_module(x).sign(x))


class Clip(Function):
    """y = min(max(x, lo), hi);  ∂y/∂x = 1 where lo ≤ x ≤ hi, else 0."""

    def forward(self, x, lo=None, hi=None):
        xp = backend.get_array_module(x)
        self.inside = xp.ones(x.shape, dtype=bool)
        if lo is not None:
            self.inside &= x >= lo
        if hi is not None:
            self.inside &= x <= hi
        return xp.clip(x, lo, hi)

    def backward(self, grad):
        return grad * _const(self.inside)


class Maximum(Function):
    """y = max(a, b) elementwise; the gradient goes to the larger input (split evenly on ties)."""

    def forward(self, a, b):
        self.share_a = (a > b) + 0.5 * (a == b)
        return backend.get_array_module(a, b).maximum(a, b)

    def backward(self, grad):
        share = self.share_a.astype(grad.dtype)
        return grad * _const(share), grad * _const(1 - share)


class Where(Function):
    """y = a where cond else b;  ∂y/∂a = cond, ∂y/∂b = not cond."""

    def forward(self, a, b, cond):
        xp = backend.get_array_module(a, b)
        self.cond = xp.asarray(cond)   # a NumPy mask joins the backend of a and b
        return xp.where(self.cond, a, b)

    def backward(self, grad):
        mask = self.cond
        return (grad * _const(mask) if self.needs_input_grad[0] else None,
                grad * _const(~mask) if self.needs_input_grad[1] else None)


class Tanh(Function):
    """y = tanh x;  ∂y/∂x = 1 - y²."""

    def forward(self, x):
        return backend.get_array_module(x).tanh(x)

    def backward(self, grad):
        y = self.output()
        return grad * (1.0 - y * y)


class Sigmoid(Function):
    """y = σ(x) = 1 / (1 + e⁻ˣ);  ∂y/∂x = y (1 - y).

    Computed as e^min(x, 0) / (1 + e^-|x|): for x ≥ 0 that is 1 / (1 + e⁻ˣ), for x < 0 eˣ / (1 + eˣ),
    and neither exponential can overflow."""

    def forward(self, x):
        return sigmoid_array(x)

    def backward(self, grad):
        y = self.output()
        return grad * y * (1.0 - y)


def sigmoid_array(x):
    """σ(x) = e^min(x, 0) / (1 + e^-|x|), elementwise arithmetic only (no np.where, which is several
    times slower than a ufunc on float arrays)."""
    xp = backend.get_array_module(x)
    denominator = xp.exp(-abs(x))
    denominator += 1
    numerator = xp.exp(xp.minimum(x, x.dtype.type(0)))
    numerator /= denominator
    return numerator


class ReLU(Function):
    """y = max(x, 0);  ∂y/∂x = 1 for x > 0, else 0."""

    def forward(self, x):
        return backend.get_array_module(x).maximum(x, x.dtype.type(0))

    def backward(self, grad):
        return grad * _const(self.output().data > 0)  # y > 0 exactly where x > 0: nothing saved


class LeakyReLU(Function):
    """y = x for x > 0, else s·x;  ∂y/∂x = 1 for x > 0, else s (the negative slope).

    For 0 ≤ s ≤ 1 (PyTorch's 0.01, the GANs' 0.2) computed as y = max(x, s·x) and ∂y/∂x = max([x > 0], s):
    the same numbers as the two cases, in arithmetic that NumPy vectorises (np.where is several times
    slower). Nothing is saved: backward rebuilds the slope from x, which the graph keeps anyway."""

    def forward(self, x, negative_slope=0.01):
        xp = backend.get_array_module(x)
        self.negative_slope = negative_slope
        s = x.dtype.type(negative_slope)
        if 0 <= negative_slope <= 1:
            return xp.maximum(x, x * s)
        return xp.where(x > 0, x, x * s)

    def backward(self, grad):
        x = self.parents[0].data
        xp = backend.get_array_module(x)
        s = x.dtype.type(self.negative_slope)
        slope = xp.maximum(x > 0, s) if 0 <= self.negative_slope <= 1 else xp.where(x > 0, x.dtype.type(1), s)
        return grad * _const(slope)


class ELU(Function):
    """y = x for x > 0, else α(eˣ - 1);  ∂y/∂x = 1 for x > 0, else α eˣ = y + α.

    Computed without branches (np.where is several times slower than arithmetic):
    y = α·expm1(min(x, 0)) + max(x, 0) and ∂y/∂x = (y + α - 1)·[x ≤ 0] + 1. Nothing is saved: the
    slope is rebuilt from the output and the input, which the graph keeps anyway."""

    def forward(self, x, alpha=1.0):
        xp = backend.get_array_module(x)
        self.alpha = alpha
        zero = x.dtype.type(0)
        y = expm1(xp.minimum(x, zero))
        y *= x.dtype.type(alpha)
        y += xp.maximum(x, zero)
        return y

    def backward(self, grad):
        y, x = self.output(), self.parents[0].data
        at_most_zero = x <= 0
        if is_grad_enabled():   # create_graph: the slope as a function of y, for second derivatives
            slope = (y + (self.alpha - 1.0)) * _const(at_most_zero) + 1.0
        else:
            slope = y.data + y.dtype.type(self.alpha - 1)
            slope *= at_most_zero
            slope += 1
            slope = _const(slope)
        return grad * slope


def expm1(x):
    """eˣ - 1, accurate near x = 0. NumPy's float32 expm1 has no vectorised loop (about ten times
    slower than exp); there the identity eˣ - 1 = tanh(x/2)·(eˣ + 1), exact in real arithmetic,
    gives the same accuracy from two vectorised functions. Other dtypes and CuPy: xp.expm1."""
    xp = backend.get_array_module(x)
    if xp is not np or x.dtype != np.float32 or x.ndim == 0:
        return xp.expm1(x)
    e_plus_1 = np.exp(x)
    e_plus_1 += 1
    half = x * np.float32(0.5)
    np.tanh(half, out=half)
    half *= e_plus_1
    return half


class Softplus(Function):
    """y = log(1 + eˣ) = max(x, 0) + log1p(e^-|x|) (the stable form);  ∂y/∂x = σ(x)."""

    def forward(self, x):
        xp = backend.get_array_module(x)
        return xp.maximum(x, 0) + xp.log1p(xp.exp(-abs(x)))

    def backward(self, grad):
        return grad * Sigmoid.apply(self.parents[0])


class Cast(Function):
    """y = x converted to another floating dtype;  ∂y/∂x = 1 (converted back)."""

    def forward(self, x, dtype):
        self.source = x.dtype
        return x.astype(dtype)

    def backward(self, grad):
        return grad.astype(self.source) if self.source.kind == "f" else None


class ToBackend(Function):
    """y = x moved between NumPy and CuPy;  the gradient moves back."""

    def forward(self, x, target):
        self.source = backend.name_of(x)
        return backend.to_numpy(x) if target == "numpy" else backend.module("cupy").asarray(x)

    def backward(self, grad):
        return grad.to(self.source)


def where(cond, a, b):
    """a where cond is true, else b (broadcasting all three)."""
    cond = cond.data if isinstance(cond, Tensor) else cond
    return Where.apply(a, b, cond=cond)


def maximum(a, b):
    return Maximum.apply(a, b)


def minimum(a, b):
    return -Maximum.apply(-_tensor(a), -_tensor(b))


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(np.asarray(x))
