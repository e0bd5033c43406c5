"""[AD-SIGMOID] The logistic sigmoid, D = σ(a) of the discriminator.

    y = σ(x) = 1 / (1 + e⁻ˣ);   ∂y/∂x = σ(x) (1 − σ(x)) = y (1 − y),   so  ∂L/∂x = G · y (1 − y)

Compute the forward so that no exponential overflows: for x ≥ 0 use 1 / (1 + e⁻ˣ), for x < 0 use
eˣ / (1 + eˣ) (both are σ(x)); the grader tries x = ±1000.
"""
import numpy as np

from minigan import Function


class Sigmoid(Function):
    def forward(self, x):
        """x: a NumPy array. Returns σ(x), finite for every x."""
        ### BEGIN SOLUTION
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        ### END SOLUTION

    def backward(self, grad):
        """grad: G = ∂L/∂y. Returns ∂L/∂x, built with minigan operations (self.output() is y)."""
        ### BEGIN SOLUTION
        y = self.output()
        return grad * y * (1.0 - y)
        ### END SOLUTION
