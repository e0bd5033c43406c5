"""The functional API: loss values by hand, gradients by gradcheck, stability at logits of ±1000 with
floating-point warnings raised as errors, and the reductions."""
import numpy as np
import pytest
from helpers import leaf

import minigan
import minigan.functional as F

EXTREME = np.array([-1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0])


@pytest.fixture
def strict_floats():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        yield


@pytest.mark.parametrize("fn", [F.softplus, F.log_sigmoid, F.sigmoid, F.tanh, F.elu])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_stable_at_extreme_logits(fn, dtype, strict_floats):
    x = minigan.tensor(EXTREME.astype(dtype), requires_grad=True)
    y = fn(x)
    y.sum().backward()
    assert np.all(np.isfinite(y.numpy())) and np.all(np.isfinite(x.grad.numpy()))


def test_softplus_and_log_sigmoid_closed_forms_at_extremes(strict_floats):
    x = minigan.tensor(EXTREME)
    np.testing.assert_allclose(F.softplus(x).numpy(), np.logaddexp(0, EXTREME), rtol=1e-14)
    np.testing.assert_allclose(F.log_sigmoid(x).numpy(), -np.logaddexp(0, -EXTREME), rtol=1e-14)


def test_bce_with_logits_equals_naive_formula_and_gradient_is_sigma_minus_z(strict_floats):
    a = np.linspace(-19, 19, 9)
    z = np.array([0, 1, 1, 0, 1, 0, 0, 1, 0.3])
    logits = minigan.tensor(a, requires_grad=True)
    loss = F.bce_with_logits(logits, minigan.tensor(z), reduction="sum")
    s = 1 / (1 + np.exp(-a))
    # the naive side loses ~1e-9 to cancellation in 1 - σ
    assert loss.item() == pytest.approx(float(-(z * np.log(s) + (1 - z) * np.log(1 - s)).sum()), rel=1e-8)
    loss.backward()
    np.testing.assert_allclose(logits.grad.numpy(), s - z, rtol=1e-10, atol=1e-15)


def test_bce_with_logits_finite_at_1000(strict_floats):
    logits = minigan.tensor(np.array([1000.0, -1000.0, 1000.0, -1000.0]), requires_grad=True)
    target = minigan.tensor(np.array([0.0, 1.0, 1.0, 0.0]))
    loss = F.bce_with_logits(logits, target, reduction="none")
    np.testing.assert_allclose(loss.numpy(), [1000.0, 1000.0, 0.0, 0.0])
    loss.sum().backward()
    np.testing.assert_allclose(logits.grad.numpy(), [1.0, -1.0, 0.0, 0.0])


def test_log_softmax_and_cross_entropy_at_extremes(strict_floats):
    logits = minigan.tensor(np.array([[1000.0, -1000.0, 0.0], [0.0, 0.0, 0.0]]), requires_grad=True)
    loss = F.cross_entropy(logits, np.array([1, 2]))
    assert loss.item() == pytest.approx((2000.0 + np.log(3)) / 2)
    loss.backward()
    expected = np.array([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]]) - np.array([[0, 1, 0], [0, 0, 1]])
    np.testing.assert_allclose(logits.grad.numpy(), expected / 2, atol=1e-12)


def test_softmax_rows_sum_to_one():
    p = F.softmax(minigan.randn(4, 5) * 10.0, axis=1)
    np.testing.assert_allclose(p.sum(axis=1).numpy(), np.ones(4), rtol=1e-6)


LOSSES = {
    "bce_with_logits": lambda x, t: F.bce_with_logits(x, t.sigmoid()),
    "binary_cross_entropy": lambda x, t: F.binary_cross_entropy(x.sigmoid(), t.sigmoid()),
    "mse_loss": F.mse_loss,
    "l1_loss": F.l1_loss,
}


@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_gradients(name, reduction):
    x, t = leaf((3, 4), seed=1, away_from_zero=0.05), leaf((3, 4), seed=2, away_from_zero=0.05)
    assert minigan.gradcheck(lambda x, t: LOSSES[name](x, t) if reduction == "mean"
                             else getattr(F, name)(*(_args(name, x, t)), reduction=reduction), (x, t))


def _args(name, x, t):
    if name == "bce_with_logits":
        return x, t.sigmoid()
    if name == "binary_cross_entropy":
        return x.sigmoid(), t.sigmoid()
    return x, t


def test_cross_entropy_and_log_softmax_gradients():
    logits = leaf((4, 5), seed=3)
    labels = np.array([0, 4, 2, 2])
    assert minigan.gradcheck(lambda l: F.cross_entropy(l, labels), (logits,))
    assert minigan.gradcheck(lambda l: F.log_softmax(l, axis=0), (logits,))
    assert minigan.gradgradcheck(lambda l: F.cross_entropy(l, labels), (logits,))


def test_cross_entropy_value_by_hand():
    logits = np.array([[2.0, 1.0, 0.1]])
    expected = -np.log(np.exp(2.0) / np.exp(logits).sum())
    assert F.cross_entropy(minigan.tensor(logits), np.array([0])).item() == pytest.approx(expected)


def test_loss_errors_are_clear():
    with pytest.raises(ValueError, match="reduction"):
        F.mse_loss(minigan.zeros(2), minigan.zeros(2), reduction="avg")
    with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)"):
        F.mse_loss(minigan.zeros(3), minigan.zeros(2))
    with pytest.raises(ValueError, match=r"\(4, 3\)"):
        F.cross_entropy(minigan.zeros(4, 3), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        F.cross_entropy(minigan.zeros(2, 3), np.array([0, 3]))
    with pytest.raises(ValueError, match="probabilities"):
        F.binary_cross_entropy(minigan.tensor([1.5]), minigan.tensor([1.0]))
