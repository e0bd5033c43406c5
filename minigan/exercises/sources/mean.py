"""[AD-MEAN] The mean over an axis (every loss of the lecture is a mean over the batch: (1/m) Σ_i).

    y = (1/n) Σ_axis x,  n the number of elements summed into each output;
    ∂L/∂x = G / n, reshaped to the kept shape and broadcast back to x's shape
"""
from minigan import Function


class Mean(Function):
    def forward(self, x, axis=None, keepdims=False):
        """x: a NumPy array; axis: None, an int or a tuple of ints. Returns x.mean(axis, keepdims)."""
        ### BEGIN SOLUTION
        self.shape = x.shape
        axes = range(x.ndim) if axis is None else ((axis,) if isinstance(axis, int) else axis)
        axes = {a % x.ndim for a in axes}
        self.kept = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
        self.n = 1
        for a in axes:
            self.n *= x.shape[a]
        return x.mean(axis=axis, keepdims=keepdims)
        ### END SOLUTION

    def backward(self, grad):
        """grad: G = ∂L/∂y. Returns ∂L/∂x of x's shape."""
        ### BEGIN SOLUTION
        return (grad * (1.0 / self.n)).reshape(self.kept).broadcast_to(self.shape)
        ### END SOLUTION
