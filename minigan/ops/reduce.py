"""Reductions over axes (NumPy's `axis`, `keepdims`). The mean and the variance are built from Sum
in Tensor.mean / Tensor.var."""
from minigan.autograd import Function, _wrap


def _kept_shape(shape, axis):
    """The shape of a reduction with keepdims=True, so a gradient can be broadcast back."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Sum(Function):
    """y = Σ x over the axes;  ∂y/∂x = 1 for every summed element (the gradient is broadcast back)."""

    def forward(self, x, axis=None, keepdims=False):
        self.shape, self.kept = x.shape, _kept_shape(x.shape, axis)
        return x.sum(axis=axis, keepdims=keepdims)

    def backward(self, grad):
        return grad.reshape(self.kept).broadcast_to(self.shape)


class Max(Function):
    """y = max x over the axes;  ∂y/∂x = 1 at the maximum (shared evenly between ties), else 0."""

    def forward(self, x, axis=None, keepdims=False):
        self.shape, self.kept = x.shape, _kept_shape(x.shape, axis)
        if x.size == 0:
            raise ValueError(f"max/min of an empty tensor of shape {x.shape}")
        kept = x.max(axis=axis, keepdims=True)
        winners = x == kept
        self.share = winners / winners.sum(axis=axis, keepdims=True).astype(x.dtype)
        return kept if keepdims else kept.reshape(x.max(axis=axis).shape if axis is not None else ())

    def backward(self, grad):
        return grad.reshape(self.kept) * _wrap(self.share)
