"""The affine map of the Linear layer (and of a convolution on its patches), as one node."""
from minigan.autograd import Function


class Affine(Function):
    """y = x Wᵀ + b  for x (M, in), W (out, in), b (out,), as one node (Linear, and conv2d on patches):

        ∂L/∂x = G W,    ∂L/∂W = Gᵀ x,    ∂L/∂b = Σ_rows G        (G = ∂L/∂y, shape (M, out))
    """

    def forward(self, x, weight, bias=None):
        return affine_array(x, weight, bias)

    def backward(self, grad):
        x, weight = self.parents[:2]
        needs = self.needs_input_grad
        grad_x = grad @ weight if needs[0] else None
        grad_w = grad.T @ x if needs[1] else None
        if len(self.parents) == 2:
            return grad_x, grad_w
        return grad_x, grad_w, (grad.sum(axis=0) if needs[2] else None)


def affine_array(x, weight, bias=None):
    """x Wᵀ + b on arrays, the bias added in place (no second temporary)."""
    y = x @ weight.T
    if bias is not None:
        y += bias
    return y


# ------------------------------------------------------------------------------- unfold / fold
