"""Elementwise primitives. Each one: the forward formula on arrays, the derivative in backward.

Backward passes are written with Tensor operations (so they can be differentiated again); a
backward that needs the forward's output reads it from ``self.output()``.
"""
import numpy as np

from minigan import backend
from minigan.autograd import Function, Tensor


def _const(array):
    """A constant tensor (no gradient flows into it), e.g. a mask."""
    return Tensor(array)


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
        self.cond = cond
        return backend.get_array_module(a, b).where(cond, a, b)

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

    Computed as 1/(1 + e^-|x|) or e^-|x|/(1 + e^-|x|) so that no exponential overflows."""

    def forward(self, x):
        return sigmoid_array(x)

    def backward(self, grad):
        y = self.output()
        return grad * y * (1.0 - y)


def sigmoid_array(x):
    xp = backend.get_array_module(x)
    e = xp.exp(-abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


class ReLU(Function):
    """y = max(x, 0);  ∂y/∂x = 1 for x > 0, else 0."""

    def forward(self, x):
        return backend.get_array_module(x).maximum(x, x.dtype.type(0))

    def backward(self, grad):
        return grad * _const(self.output().data > 0)  # y > 0 exactly where x > 0: nothing saved


class LeakyReLU(Function):
    """y = x for x > 0, else s·x;  ∂y/∂x = 1 for x > 0, else s (the negative slope).

    Nothing is saved: backward rebuilds the slope from x, which the graph keeps anyway."""

    def forward(self, x, negative_slope=0.01):
        self.negative_slope = negative_slope
        return backend.get_array_module(x).where(x > 0, x, x * x.dtype.type(negative_slope))

    def backward(self, grad):
        x = self.parents[0].data
        slope = backend.get_array_module(x).where(x > 0, x.dtype.type(1), x.dtype.type(self.negative_slope))
        return grad * _const(slope)


class ELU(Function):
    """y = x for x > 0, else α(eˣ - 1);  ∂y/∂x = 1 for x > 0, else α eˣ = y + α."""

    def forward(self, x, alpha=1.0):
        xp = backend.get_array_module(x)
        self.alpha = alpha
        self.positive = x > 0
        return xp.where(self.positive, x, alpha * xp.expm1(xp.minimum(x, 0))).astype(x.dtype, copy=False)

    def backward(self, grad):
        negative_slope = Where.apply(0.0, self.output() + self.alpha, cond=self.positive)
        return grad * (negative_slope + _const(self.positive))


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
