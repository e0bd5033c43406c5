"""The matrix product, with NumPy's rules for 1-D operands and broadcast batch axes."""
from minigan.autograd import Function, Tensor


class MatMul(Function):
    """Y = A B (batched over leading axes);  ∂L/∂A = G Bᵀ,  ∂L/∂B = Aᵀ G  (G = ∂L/∂Y)."""

    def forward(self, a, b):
        if a.shape[-1] != b.shape[-2]:
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not fit: the last axis of the "
                             f"first ({a.shape[-1]}) must equal the second-to-last of the second ({b.shape[-2]})")
        return a @ b

    def backward(self, grad):
        a, b = self.parents
        return (grad @ b.swapaxes(-1, -2) if self.needs_input_grad[0] else None,
                a.swapaxes(-1, -2) @ grad if self.needs_input_grad[1] else None)


def matmul(a, b):
    """a @ b; a 1-D operand is a row (left) or a column (right) vector that is dropped afterwards."""
    a = a if isinstance(a, Tensor) else Tensor(a)
    b = b if isinstance(b, Tensor) else Tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul needs at least 1-D operands, got shapes {a.shape} and {b.shape}; use * for scalars")
    if a.ndim == 1 and b.ndim == 1:
        if a.shape != b.shape:
            raise ValueError(f"matmul: vectors of shapes {a.shape} and {b.shape} have different lengths")
        return (a * b).sum()
    if a.ndim == 1:
        return MatMul.apply(a.reshape(1, -1), b).squeeze(-2)
    if b.ndim == 1:
        return MatMul.apply(a, b.reshape(-1, 1)).squeeze(-1)
    return MatMul.apply(a, b)
