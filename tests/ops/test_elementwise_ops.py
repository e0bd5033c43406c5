"""Every elementwise op against central differences in float64 (first and second derivatives), with
Hypothesis drawing the shapes (broadcastable pairs included) and the values."""
import numpy as np
import pytest
from helpers import broadcastable_pairs, leaf, seeds, shapes
from hypothesis import given

import minigan
import minigan.functional as F

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "maximum": minigan.maximum,
    "minimum": minigan.minimum,
    "pow": lambda a, b: a.abs() ** b,
}

UNARY = {  # name: (function, low, high, keep |x| away from zero by)
    "neg": (lambda x: -x, -2, 2, 0),
    "exp": (lambda x: x.exp(), -2, 2, 0),
    "log": (lambda x: x.log(), 0.2, 3, 0),
    "sqrt": (lambda x: x.sqrt(), 0.2, 3, 0),
    "abs": (lambda x: x.abs(), -2, 2, 0.05),
    "tanh": (F.tanh, -3, 3, 0),
    "sigmoid": (F.sigmoid, -5, 5, 0),
    "relu": (F.relu, -2, 2, 0.05),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), -2, 2, 0.05),
    "elu": (lambda x: F.elu(x, 1.3), -2, 2, 0.05),
    "softplus": (F.softplus, -5, 5, 0),
    "log_sigmoid": (F.log_sigmoid, -5, 5, 0),
    "square": (lambda x: x ** 2, -2, 2, 0),
    "cube_root": (lambda x: x ** (1 / 3), 0.2, 2, 0),
    "rsqrt": (lambda x: x ** -0.5, 0.2, 2, 0),
    "reciprocal": (lambda x: 1.0 / x, 0.3, 2, 0),
    "clip": (lambda x: x.clip(-0.5, 0.7), -2, 2, 0),
    "rpow": (lambda x: 2.0 ** x, -2, 2, 0),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(pair=broadcastable_pairs, seed=seeds)
def test_binary_op_gradient_with_broadcasting(name, pair, seed):
    shape_a, shape_b = pair.input_shapes
    a = leaf(shape_a, seed=seed)
    b = leaf(shape_b, low=0.5, high=2.0, seed=seed + 1) if name in ("div", "pow") else leaf(shape_b, seed=seed + 1)
    if name in ("maximum", "minimum"):  # keep the inputs apart, off the tie
        b = minigan.tensor(b.numpy() + 0.01 * np.sign(b.numpy() - a.numpy().mean()), requires_grad=True)
    if name == "pow":
        a = minigan.tensor(np.abs(a.numpy()) + 0.5, requires_grad=True)
    assert minigan.gradcheck(BINARY[name], (a, b))


@pytest.mark.parametrize("name", sorted(UNARY))
@given(shape=shapes, seed=seeds)
def test_unary_op_gradient(name, shape, seed):
    fn, low, high, gap = UNARY[name]
    x = leaf(shape, low, high, seed, away_from_zero=gap)
    if name == "clip":  # keep off the clip boundaries
        x = minigan.tensor(np.where(np.abs(np.abs(x.numpy() - 0.1) - 0.6) < 0.02, 0.0, x.numpy()), requires_grad=True)
    assert minigan.gradcheck(fn, (x,))


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "tanh", "sigmoid", "elu", "softplus", "log_sigmoid",
                                  "square", "rsqrt", "reciprocal", "rpow"])
def test_unary_op_second_derivative(name):
    fn, low, high, gap = UNARY[name]
    x = leaf((2, 3), low, high, seed=7, away_from_zero=gap)
    assert minigan.gradgradcheck(fn, (x,))


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow"])
def test_binary_op_second_derivative(name):
    a = leaf((2, 3), 0.5, 2.0, seed=1)
    b = leaf((3,), 0.5, 2.0, seed=2)
    assert minigan.gradgradcheck(BINARY[name], (a, b))


def test_where_routes_gradients_by_condition():
    a, b = leaf((2, 3), seed=1), leaf((1, 3), seed=2)
    cond = np.array([[True, False, True], [False, False, True]])
    assert minigan.gradcheck(lambda a, b: minigan.where(cond, a, b) * a, (a, b))


def test_maximum_splits_the_gradient_on_ties_like_pytorch():
    a = minigan.tensor([1.0, 2.0], requires_grad=True)
    b = minigan.tensor([1.0, 0.0], requires_grad=True)
    minigan.maximum(a, b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [0.5, 1.0])
    np.testing.assert_allclose(b.grad.numpy(), [0.5, 0.0])


def test_sign_has_no_gradient():
    x = minigan.tensor([-2.0, 3.0], requires_grad=True)
    assert not x.sign().requires_grad
    np.testing.assert_array_equal(x.sign().numpy(), [-1.0, 1.0])


def test_forward_values_against_numpy():
    x = np.linspace(-3, 3, 13)
    t = minigan.tensor(x)
    np.testing.assert_allclose(F.sigmoid(t).numpy(), 1 / (1 + np.exp(-x)), rtol=1e-14)
    np.testing.assert_allclose(F.softplus(t).numpy(), np.log1p(np.exp(x)), rtol=1e-14)
    np.testing.assert_allclose(F.elu(t, 0.5).numpy(), np.where(x > 0, x, 0.5 * (np.exp(x) - 1)), rtol=1e-14)
    np.testing.assert_allclose(F.leaky_relu(t, 0.2).numpy(), np.where(x > 0, x, 0.2 * x), rtol=1e-14)
