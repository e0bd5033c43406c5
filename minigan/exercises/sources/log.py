"""[AD-LOG] The natural logarithm.

    y = log x   (x > 0);   ∂y/∂x = 1/x,   so  ∂L/∂x = G / x
"""
import numpy as np

from minigan import Function


class Log(Function):
    def forward(self, x):
        """x: a NumPy array of positive numbers. Returns log x."""
        ### BEGIN SOLUTION
        return np.log(x)
        ### END SOLUTION

    def backward(self, grad):
        """grad: G = ∂L/∂y. Returns ∂L/∂x, built with minigan operations on self.parents."""
        ### BEGIN SOLUTION
        (x,) = self.parents
        return grad / x
        ### END SOLUTION
