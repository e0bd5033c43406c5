"""The autograd engine: graph traversal, accumulation, retained/freed graphs, grad(), no_grad, dtypes,
and the errors a user meets first."""
import numpy as np
import pytest

import minigan
from minigan import Function, Tensor


def test_node_used_twice_accumulates():
    x = minigan.tensor([1.5, -2.0], requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.numpy())


def test_diamond_graph_matches_hand_derivative():
    # a → (b = 2a, c = a²) → d = b·c = 2a³;  dd/da = 6a²
    a = minigan.tensor(1.7, dtype="float64", requires_grad=True)
    b, c = a * 2.0, a * a
    d = b * c
    d.backward()
    assert a.grad.item() == pytest.approx(6 * 1.7 ** 2, rel=1e-12)


def test_backward_twice_accumulates_with_retained_graph():
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * 2 * x.numpy())


def test_second_backward_through_freed_graph_is_a_clear_error():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * 2.0).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_zero_grad_clears():
    x = minigan.tensor([1.0], requires_grad=True)
    (x * 3.0).sum().backward()
    x.zero_grad()
    assert x.grad is None


def test_chain_of_100000_nodes_has_no_recursion_limit():
    x = minigan.tensor(1.0, dtype="float64", requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    assert x.grad.item() == pytest.approx(1.00001 ** 100_000, rel=1e-9)


def test_intermediate_grad_only_with_retain_grad():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    k = x * 4.0
    k.retain_grad()
    (h * k).sum().backward()
    assert h.grad is None
    np.testing.assert_allclose(k.grad.numpy(), h.numpy())


def test_backward_with_explicit_gradient_is_vector_jacobian_product():
    x = minigan.tensor([1.0, 2.0, 3.0], dtype="float64", requires_grad=True)
    v = minigan.tensor([0.5, -1.0, 2.0], dtype="float64")
    (x * x).backward(v)
    np.testing.assert_allclose(x.grad.numpy(), v.numpy() * 2 * x.numpy())


def test_grad_leaves_dot_grad_alone_and_returns_gradients():
    x = minigan.tensor([1.0, -2.0], requires_grad=True)
    w = minigan.tensor([3.0, 4.0], requires_grad=True)
    (gx,) = minigan.grad((x * w).sum(), [x])
    np.testing.assert_allclose(gx.numpy(), w.numpy())
    assert x.grad is None and w.grad is None


def test_grad_create_graph_gives_second_and_third_derivatives():
    x = minigan.tensor(0.7, dtype="float64", requires_grad=True)
    y = x ** 4
    (g1,) = minigan.grad(y, [x], create_graph=True)
    (g2,) = minigan.grad(g1, [x], create_graph=True)
    (g3,) = minigan.grad(g2, [x])
    assert g1.item() == pytest.approx(4 * 0.7 ** 3)
    assert g2.item() == pytest.approx(12 * 0.7 ** 2)
    assert g3.item() == pytest.approx(24 * 0.7)


def test_grad_of_unused_input():
    x = minigan.tensor([1.0], requires_grad=True)
    z = minigan.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="allow_unused"):
        minigan.grad((x * 2.0).sum(), [x, z])
    gx, gz = minigan.grad((x * 2.0).sum(), [x, z], allow_unused=True)
    assert gz is None and gx.item() == 2.0


def test_gradient_penalty_style_double_backward_reaches_weights():
    # d/dw (‖∇ₓ (w·x)²‖² ) with f = (w·x)²: ∇ₓ f = 2(w·x) w
    w = minigan.tensor([0.3, -0.2], dtype="float64", requires_grad=True)
    x = minigan.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    f = (w * x).sum() ** 2
    (gx,) = minigan.grad(f, [x], create_graph=True)
    penalty = (gx * gx).sum()
    penalty.backward()
    s = float(w.numpy() @ x.numpy())
    # penalty = 4 s² ‖w‖²;  ∂/∂w = 8 s ‖w‖² x + 8 s² w
    expected = 8 * s * (w.numpy() ** 2).sum() * x.numpy() + 8 * s ** 2 * w.numpy()
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-12)


def test_no_grad_context_and_decorator():
    x = minigan.tensor([1.0], requires_grad=True)
    with minigan.no_grad():
        y = x * 2.0
    assert not y.requires_grad and y.is_leaf

    @minigan.no_grad()
    def f(t):
        return t * 2.0

    assert not f(x).requires_grad
    assert (x * 2.0).requires_grad and minigan.is_grad_enabled()


def test_detach_cuts_the_graph():
    x = minigan.tensor([2.0], requires_grad=True)
    y = (x * x).detach() * x
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0])


def test_dtype_rules_follow_pytorch():
    assert minigan.tensor([1.0, 2.0]).dtype == np.float32
    assert minigan.tensor(np.zeros(2)).dtype == np.float64
    assert minigan.tensor([1, 2]).dtype.kind == "i"
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = ((x * 2.5 + 1) / 3.0 - x ** 2).exp().sum()
    y.backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
    minigan.set_default_dtype(np.float64)
    try:
        assert minigan.tensor([1.0]).dtype == np.float64
    finally:
        minigan.set_default_dtype(np.float32)


def test_numpy_arrays_on_either_side():
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    left = np.array([3.0, 4.0], dtype=np.float32) * x
    right = x - np.array([1.0, 1.0], dtype=np.float32)
    assert isinstance(left, Tensor) and isinstance(right, Tensor)
    (left + right).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 5.0])


def test_comparisons_are_plain_boolean_tensors():
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    mask = x > 1.5
    assert mask.dtype == bool and not mask.requires_grad
    np.testing.assert_array_equal(mask.numpy(), [False, True, True])
    np.testing.assert_array_equal(x[mask].numpy(), [2.0, 3.0])


def test_conversions_and_repr():
    x = minigan.tensor([[1.0, 2.0]], requires_grad=True)
    assert np.asarray(x).shape == (1, 2) and x.numpy().dtype == np.float32
    assert minigan.tensor(3.5).item() == 3.5
    assert "requires_grad=True" in repr(x)
    assert "grad_fn=<MulBackward>" in repr(x * 2.0)
    assert x.T.shape == (2, 1)


# ----------------------------------------------------------------------------------- bad input
def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\).*\(5, 2\)"):
        minigan.randn(3, 4) @ minigan.randn(5, 2)


def test_non_broadcastable_add_is_an_error():
    with pytest.raises(ValueError):
        minigan.randn(3, 4) + minigan.randn(5)


def test_backward_on_non_scalar_without_gradient():
    x = minigan.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(3,\)"):
        (x * 2.0).backward()


def test_requires_grad_on_integer_tensor():
    with pytest.raises(TypeError, match="int"):
        minigan.tensor([1, 2], requires_grad=True)


def test_gradient_of_wrong_shape_in_backward():
    x = minigan.randn(3, requires_grad=True)
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        (x * 2.0).backward(minigan.ones(2))


def test_custom_function_with_unbroadcast_in_base_class():
    class ScaledAdd(Function):
        """y = a + 2b;  ∂y/∂a = 1, ∂y/∂b = 2."""

        def forward(self, a, b):
            return a + 2 * b

        def backward(self, grad):
            return grad, grad * 2.0

    a = minigan.tensor(np.ones((2, 3)), requires_grad=True)
    b = minigan.tensor(np.ones((3,)), requires_grad=True)
    ScaledAdd.apply(a, b).sum().backward()
    np.testing.assert_allclose(b.grad.numpy(), [4.0, 4.0, 4.0])
    assert a.grad.shape == (2, 3)


def test_fork_rng_draws_a_seeded_stream_and_gives_the_callers_back():
    minigan.manual_seed(5)
    expected_after = (minigan.randn(3).numpy(), minigan.rand(2).numpy())
    minigan.manual_seed(7)
    expected_inside = minigan.randn(4).numpy()

    minigan.manual_seed(5)
    with minigan.fork_rng(7):
        np.testing.assert_array_equal(minigan.randn(4).numpy(), expected_inside)
    np.testing.assert_array_equal(minigan.randn(3).numpy(), expected_after[0])   # as if the block never ran
    with pytest.raises(RuntimeError, match="inside"):
        with minigan.fork_rng(7):
            minigan.randn(10)
            raise RuntimeError("inside")
    np.testing.assert_array_equal(minigan.rand(2).numpy(), expected_after[1])    # restored on an error too
