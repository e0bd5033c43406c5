"""[AD-DIV] The quotient rule, under broadcasting.

    y = a / b
    ∂L/∂a = unbroadcast(G / b, a.shape),   ∂L/∂b = unbroadcast(−G · a / b², b.shape)     (G = ∂L/∂y)

As in `mul`, the grader calls `backward` itself: return gradients of the inputs' own shapes.
"""
from minigan import Function, unbroadcast


class Div(Function):
    def forward(self, a, b):
        """a, b: NumPy arrays. Returns the array a / b."""
        ### BEGIN SOLUTION
        return a / b
        ### END SOLUTION

    def backward(self, grad):
        """Returns (∂L/∂a, ∂L/∂b) as Tensors of the shapes of a and b, built with minigan operations."""
        ### BEGIN SOLUTION
        a, b = self.parents
        return unbroadcast(grad / b, a.shape), unbroadcast(-grad * a / (b * b), b.shape)
        ### END SOLUTION
