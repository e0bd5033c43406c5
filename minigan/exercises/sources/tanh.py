"""[AD-TANH] The hyperbolic tangent (the generator's last layer).

    y = tanh x;   ∂y/∂x = 1 − tanh² x = 1 − y²,   so  ∂L/∂x = G · (1 − y²)
"""
import numpy as np

from minigan import Function


class Tanh(Function):
    def forward(self, x):
        """x: a NumPy array. Returns tanh x."""
        ### BEGIN SOLUTION
        return np.tanh(x)
        ### END SOLUTION

    def backward(self, grad):
        """grad: G = ∂L/∂y. Returns ∂L/∂x, built with minigan operations (self.output() is y)."""
        ### BEGIN SOLUTION
        y = self.output()
        return grad * (1.0 - y * y)
        ### END SOLUTION
