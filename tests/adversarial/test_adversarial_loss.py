"""ADV-2's adversarial objective by hand, its gradient with the FGSM example held constant, and how attacks are
scored."""
import numpy as np
import pytest
from adversarial.adv_helpers import LinearSoftmax, batch
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan.adversarial import adversarial_loss, attack_report, predict, to_unit_interval


def weight_gradient(model, x, y):
    """∂J/∂W = (softmax − onehot(y))ᵀ flatten(x) / N for the mean cross-entropy."""
    p = model.probs(x)
    p[np.arange(len(y)), y] -= 1
    return p.T @ x.reshape(len(x), -1) / len(y)


@given(seed=st.integers(0, 2**16), eps=st.floats(0.0, 0.5), alpha=st.floats(0.0, 1.0))
def test_adversarial_loss_is_alpha_clean_plus_one_minus_alpha_fgsm(seed, eps, alpha):
    model = LinearSoftmax(seed=seed)
    x, y = batch(seed=seed)
    x_adv = np.clip(x + eps * np.sign(model.input_gradient(x, y)), 0, 1)
    loss = adversarial_loss(model, minigan.tensor(x), y, eps, alpha=alpha)
    expected = alpha * model.losses(x, y).mean() + (1 - alpha) * model.losses(x_adv, y).mean()
    assert loss.item() == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # the FGSM example is a constant: ∂J̃/∂W = α ∂J(x)/∂W + (1 − α) ∂J(x_adv)/∂W, nothing through the sign
    loss.backward()
    expected_grad = alpha * weight_gradient(model, x, y) + (1 - alpha) * weight_gradient(model, x_adv, y)
    np.testing.assert_allclose(model.W.grad.numpy(), expected_grad, rtol=1e-10, atol=1e-12)


def test_alpha_outside_the_unit_interval_is_an_error():
    x, y = batch()
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\], got 1.5"):
        adversarial_loss(LinearSoftmax(), minigan.tensor(x), y, 0.1, alpha=1.5)


def test_predict_and_attack_report_by_hand():
    model = LinearSoftmax(seed=1)
    x, y = batch(n=50, seed=1)
    p = model.probs(x)
    labels, confidences = predict(model, minigan.tensor(x), batch_size=7)
    np.testing.assert_array_equal(labels, p.argmax(axis=1))
    np.testing.assert_allclose(confidences, p.max(axis=1), rtol=1e-12)
    fooled = labels != y
    report = attack_report(model, minigan.tensor(x), y)
    assert report["error"] == pytest.approx(fooled.mean())
    assert report["confidence"] == pytest.approx(p.max(axis=1)[fooled].mean())
    targeted = attack_report(model, minigan.tensor(x), y, targeted=True)
    assert targeted["success"] == pytest.approx(1 - fooled.mean())


def test_to_unit_interval_maps_minus_one_one_onto_zero_one_in_float32():
    x = np.array([-1.0, -0.5, 0.0, 1.0], dtype=np.float32)
    u = to_unit_interval(x)
    np.testing.assert_array_equal(u, [0.0, 0.25, 0.5, 1.0])
    assert u.dtype == np.float32
