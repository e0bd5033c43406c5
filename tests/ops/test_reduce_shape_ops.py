"""Reductions, shape operations, indexing and the matrix product against central differences in float64."""
import numpy as np
import pytest
from helpers import leaf, seeds
from hypothesis import given
from hypothesis import strategies as st

import minigan

axes_3d = st.sampled_from([None, 0, 1, 2, -1, (0, 2), (1, 2), (0, 1, 2)])


@pytest.mark.parametrize("reduction", ["sum", "mean", "var", "std"])
@given(axis=axes_3d, keepdims=st.booleans(), seed=seeds)
def test_reduction_gradient(reduction, axis, keepdims, seed):
    x = leaf((2, 3, 4), seed=seed)
    assert minigan.gradcheck(lambda t: getattr(t, reduction)(axis=axis, keepdims=keepdims), (x,))


@pytest.mark.parametrize("reduction", ["max", "min"])
@given(axis=axes_3d, keepdims=st.booleans(), seed=seeds)
def test_max_min_gradient(reduction, axis, keepdims, seed):
    x = minigan.tensor(np.random.default_rng(seed).permutation(24).reshape(2, 3, 4) * 0.1, requires_grad=True)
    assert minigan.gradcheck(lambda t: getattr(t, reduction)(axis=axis, keepdims=keepdims), (x,))


def test_reductions_match_numpy():
    x = np.random.default_rng(0).normal(size=(3, 4, 5))
    t = minigan.tensor(x)
    for axis in (None, 1, (0, 2)):
        np.testing.assert_allclose(t.mean(axis=axis).numpy(), x.mean(axis=axis))
        np.testing.assert_allclose(t.var(axis=axis).numpy(), x.var(axis=axis))
        np.testing.assert_allclose(t.var(axis=axis, ddof=1).numpy(), x.var(axis=axis, ddof=1))
        np.testing.assert_allclose(t.max(axis=axis).numpy(), x.max(axis=axis))
        np.testing.assert_allclose(t.min(axis=axis, keepdims=True).numpy(), x.min(axis=axis, keepdims=True))


def test_max_shares_gradient_between_ties():
    x = minigan.tensor([3.0, 1.0, 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.5, 0.0, 0.5])


INDICES = {
    "slice": (slice(1, 3),),
    "step": (slice(None, None, 2), slice(None)),
    "negative_step": (slice(None, None, -1), slice(3, 0, -2)),
    "int_array_with_repeats": (np.array([0, 2, 0, 0]),),
    "pairs_of_int_arrays": (np.array([0, 1, 1]), np.array([3, 3, 0])),
    "bool_mask": (np.array([True, False, True]),),
    "mixed": (np.array([2, 2]), slice(1, None)),
    "ellipsis_newaxis": (Ellipsis, None, 1),
    "integer": (1, -1),
}


@pytest.mark.parametrize("name", sorted(INDICES))
def test_getitem_gradient(name):
    x = leaf((3, 4), seed=3)
    index = INDICES[name]
    np.testing.assert_array_equal(x[index].numpy(), x.numpy()[index])
    assert minigan.gradcheck(lambda t: t[index] * 3.0, (x,))


def test_getitem_with_repeats_adds_up():
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 0.0, 1.0])


def test_getitem_second_derivative():
    x = leaf((3, 4), seed=4)
    assert minigan.gradgradcheck(lambda t: t[np.array([0, 0, 2])] ** 2, (x,))


def test_out_of_range_index_names_the_shape():
    with pytest.raises(IndexError, match=r"\(3, 4\)"):
        minigan.randn(3, 4)[5]


@given(seed=seeds)
def test_shape_ops_gradient(seed):
    x = leaf((2, 3, 4), seed=seed)
    assert minigan.gradcheck(lambda t: t.reshape(4, 6)[1:] * 2.0, (x,))
    assert minigan.gradcheck(lambda t: t.transpose(2, 0, 1) * leaf((4, 2, 3), seed=1).detach(), (x,))
    assert minigan.gradcheck(lambda t: t.T.flatten(1), (x,))
    assert minigan.gradcheck(lambda t: t.swapaxes(0, 2).expand_dims(1).squeeze(1), (x,))
    assert minigan.gradcheck(lambda t: t[:, :1].broadcast_to((2, 5, 4)), (x,))


def test_concat_stack_pad_gradients():
    a, b = leaf((2, 3), seed=1), leaf((2, 2), seed=2)
    assert minigan.gradcheck(lambda a, b: minigan.concat([a, b, a], axis=1), (a, b))
    assert minigan.gradcheck(lambda a: minigan.stack([a, a * 2.0], axis=1), (a,))
    assert minigan.gradcheck(lambda a: minigan.pad(a, ((1, 0), (2, 1)), value=0.5), (a,))
    np.testing.assert_array_equal(minigan.pad(a, ((1, 0), (2, 1))).numpy(), np.pad(a.numpy(), ((1, 0), (2, 1))))


def test_concat_and_stack_shape_errors():
    with pytest.raises(ValueError, match="same shape"):
        minigan.concat([minigan.zeros(2, 3), minigan.zeros(3, 3)], axis=1)
    with pytest.raises(ValueError, match="one shape"):
        minigan.stack([minigan.zeros(2), minigan.zeros(3)])


def test_reshape_error_names_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 2\)"):
        minigan.zeros(2, 3).reshape(4, 2)


MATMUL_SHAPES = [((3, 4), (4, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((4,), (4,)),
                 ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2))]


@pytest.mark.parametrize("shape_a,shape_b", MATMUL_SHAPES)
def test_matmul_gradient_and_value(shape_a, shape_b):
    a, b = leaf(shape_a, seed=1), leaf(shape_b, seed=2)
    np.testing.assert_allclose((a @ b).numpy(), a.numpy() @ b.numpy(), rtol=1e-12)
    assert minigan.gradcheck(lambda a, b: a @ b, (a, b))


def test_matmul_second_derivative():
    a, b = leaf((3, 4), seed=1), leaf((4, 2), seed=2)
    assert minigan.gradgradcheck(lambda a, b: (a @ b).tanh(), (a, b))
