"""[AD-MATMUL] The matrix product.

    Y = A B,   A (n, k), B (k, m);   ∂L/∂A = G Bᵀ  (n, m)·(m, k),   ∂L/∂B = Aᵀ G  (k, n)·(n, m)

Check the shapes: each gradient has its input's shape, and only one order of the factors fits.
"""
from minigan import Function


class MatMul(Function):
    def forward(self, a, b):
        """a (n, k), b (k, m): NumPy arrays. Returns a @ b."""
        ### BEGIN SOLUTION
        return a @ b
        ### END SOLUTION

    def backward(self, grad):
        """grad: G = ∂L/∂Y (n, m). Returns (∂L/∂A, ∂L/∂B), built with minigan operations (Tensor.T, @)."""
        ### BEGIN SOLUTION
        a, b = self.parents
        return grad @ b.T, a.T @ grad
        ### END SOLUTION
