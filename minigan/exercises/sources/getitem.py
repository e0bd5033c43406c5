"""[AD-INDEX] Indexing with repeated indices (an embedding lookup, a batch drawn with replacement).

    y = x[index]   (index: an integer array along axis 0, which may repeat a row)
    ∂L/∂x = zeros like x, with G[j] ADDED to row index[j] for every j

A row picked twice gets both gradients: `out[index] = grad` would keep only one of them, whereas
np.add.at(out, index, grad) adds them all.
"""
import numpy as np

from minigan import Function, Tensor


class GetItem(Function):
    def forward(self, x, index):
        """x: a NumPy array; index: an integer NumPy array of rows. Returns x[index]."""
        ### BEGIN SOLUTION
        self.shape, self.index = x.shape, index
        return x[index]
        ### END SOLUTION

    def backward(self, grad):
        """grad: G = ∂L/∂y, of shape (len(index), ...). Returns ∂L/∂x (a Tensor of x's shape)."""
        ### BEGIN SOLUTION
        out = np.zeros(self.shape, dtype=grad.dtype)
        np.add.at(out, self.index, grad.data)
        return Tensor(out)
        ### END SOLUTION
