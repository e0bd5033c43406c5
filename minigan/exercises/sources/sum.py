"""[AD-SUM] The sum over an axis.

    y = Σ_axis x   (keepdims or not);   ∂y/∂x = 1 for every summed element, so
    ∂L/∂x = G reshaped to the kept shape (the summed axes as size 1), then broadcast back to x's shape

Without the reshape, G of shape (3,) from summing a (3, 3) matrix over axis 1 would broadcast along
the wrong axis.
"""
from minigan import Function


class Sum(Function):
    def forward(self, x, axis=None, keepdims=False):
        """x: a NumPy array; axis: None (all), an int or a tuple of ints. Returns x.sum(axis, keepdims)."""
        ### BEGIN SOLUTION
        self.shape = x.shape
        axes = range(x.ndim) if axis is None else ((axis,) if isinstance(axis, int) else axis)
        axes = {a % x.ndim for a in axes}
        self.kept = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
        return x.sum(axis=axis, keepdims=keepdims)
        ### END SOLUTION

    def backward(self, grad):
        """grad: G = ∂L/∂y, of y's shape. Returns ∂L/∂x of x's shape (Tensor.reshape, Tensor.broadcast_to)."""
        ### BEGIN SOLUTION
        return grad.reshape(self.kept).broadcast_to(self.shape)
        ### END SOLUTION
