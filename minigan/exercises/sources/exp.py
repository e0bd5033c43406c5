"""[AD-EXP] The exponential.

    y = eˣ;   ∂y/∂x = eˣ = y,   so  ∂L/∂x = G · y

Build the gradient from minigan operations on self.output() (the output Tensor) or self.parents, not
on raw arrays: then the backward pass is differentiable itself and second derivatives work.
"""
import numpy as np

from minigan import Function


class Exp(Function):
    def forward(self, x):
        """x: a NumPy array. Returns eˣ."""
        ### BEGIN SOLUTION
        return np.exp(x)
        ### END SOLUTION

    def backward(self, grad):
        """grad: G = ∂L/∂y (a Tensor). Returns ∂L/∂x (a Tensor)."""
        ### BEGIN SOLUTION
        return grad * self.output()
        ### END SOLUTION
