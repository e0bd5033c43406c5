"""[NN-LINEAR] The dense layer, PyTorch's layout (weight (out, in)).

    y = x Wᵀ + b,   x (M, in), W (out, in), b (out,)  →  y (M, out)
    ∂L/∂x = G W,   ∂L/∂W = Gᵀ x,   ∂L/∂b = Σ_rows G          (G = ∂L/∂y, shape (M, out))
"""
from minigan import Function


class Linear(Function):
    def forward(self, x, weight, bias):
        """x (M, in), weight (out, in), bias (out,): NumPy arrays. Returns x Wᵀ + b."""
        ### BEGIN SOLUTION
        return x @ weight.T + bias
        ### END SOLUTION

    def backward(self, grad):
        """Returns (∂L/∂x, ∂L/∂W, ∂L/∂b) with the shapes of x, W and b, built with minigan operations."""
        ### BEGIN SOLUTION
        x, weight, _ = self.parents
        return grad @ weight, grad.T @ x, grad.sum(axis=0)
        ### END SOLUTION
