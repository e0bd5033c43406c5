"""[AD-MUL] The product rule, under broadcasting.

    y = a · b   (NumPy broadcasting)
    ∂L/∂a = unbroadcast(G · b, a.shape),   ∂L/∂b = unbroadcast(G · a, b.shape)     (G = ∂L/∂y)

minigan's Function base class undoes the broadcasting for you; here the grader calls `backward`
itself and expects gradients with the inputs' own shapes, so sum them back (minigan.unbroadcast,
or your own from the exercise `unbroadcast`).
"""
from minigan import Function, unbroadcast


class Mul(Function):
    def forward(self, a, b):
        """a, b: NumPy arrays. Returns the array a · b."""
        ### BEGIN SOLUTION
        return a * b
        ### END SOLUTION

    def backward(self, grad):
        """grad: the Tensor G = ∂L/∂y. Returns (∂L/∂a, ∂L/∂b) as Tensors of the shapes of a and b,
        built with minigan operations on self.parents (the input Tensors)."""
        ### BEGIN SOLUTION
        a, b = self.parents
        return unbroadcast(grad * b, a.shape), unbroadcast(grad * a, b.shape)
        ### END SOLUTION
