"""gradcheck itself: it must reject wrong gradients (including one an all-ones cotangent would hide),
name the failing element, warn about float32, and gradgradcheck must catch a wrong second derivative."""
import warnings

import numpy as np
import pytest
from helpers import leaf

import minigan
from minigan import Function, GradcheckError


class WrongSquare(Function):
    """y = x², with the deliberately wrong derivative 3x (instead of 2x)."""

    def forward(self, x):
        return x * x

    def backward(self, grad):
        return grad * self.parents[0] * 3.0


class TransposedMatmul(Function):
    """Y = A B with ∂L/∂A wrongly computed as (G Bᵀ)ᵀ: right for a symmetric G Bᵀ only."""

    def forward(self, a, b):
        return a @ b

    def backward(self, grad):
        a, b = self.parents
        return (grad @ b.T).T, a.T @ grad


class FrozenSecondDerivative(Function):
    """y = x³ whose backward uses a constant copy of x: right first derivative, wrong second."""

    def forward(self, x):
        return x ** 3

    def backward(self, grad):
        x = minigan.Tensor(self.parents[0].data)  # cut from the graph: the mistake
        return grad * x * x * 3.0


def test_rejects_a_wrong_gradient_and_names_the_element():
    x = leaf((2, 3), seed=1)
    with pytest.raises(GradcheckError, match=r"input 0 \(shape \(2, 3\)\) at element \(\d, \d\): "
                                             r"numerical .* analytical"):
        minigan.gradcheck(WrongSquare.apply, (x,))
    assert minigan.gradcheck(WrongSquare.apply, (x,), raise_exception=False) is False


def test_random_cotangent_catches_an_error_that_ones_would_hide():
    a = leaf((3, 3), seed=2)
    ones_sum = TransposedMatmul.apply(a, minigan.tensor(np.eye(3))).sum()
    ones_sum.backward()
    # with the all-ones cotangent the wrong gradient looks right: G Bᵀ = ones is symmetric
    np.testing.assert_allclose(a.grad.numpy(), np.ones((3, 3)))
    with pytest.raises(GradcheckError):
        minigan.gradcheck(lambda a: TransposedMatmul.apply(a, minigan.tensor(np.eye(3))), (a,))


def test_float32_input_warns_and_is_checked_in_float64():
    x = minigan.tensor(np.array([0.3, -0.7], dtype=np.float32), requires_grad=True)
    with pytest.warns(UserWarning, match="float64"):
        assert minigan.gradcheck(lambda t: t.tanh(), (x,))


def test_float64_input_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert minigan.gradcheck(lambda t: t.exp(), (leaf((2,), seed=0),))


def test_gradgradcheck_catches_a_wrong_second_derivative():
    x = leaf((4,), 0.5, 1.5, seed=3)
    assert minigan.gradcheck(FrozenSecondDerivative.apply, (x,))
    with pytest.raises(GradcheckError):
        minigan.gradgradcheck(FrozenSecondDerivative.apply, (x,))
    assert minigan.gradgradcheck(lambda t: t ** 3, (x,))


def test_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="requires_grad"):
        minigan.gradcheck(lambda t: t * 2.0, (minigan.tensor(np.ones(2)),))


def test_checks_several_outputs():
    a, b = leaf((2,), seed=4), leaf((2,), seed=5)
    assert minigan.gradcheck(lambda a, b: (a * b, a + b.exp()), (a, b))
