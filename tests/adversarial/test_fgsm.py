"""FGSM, targeted FGSM, BIM and PGD (ADV-1) on a softmax-regression model with a closed-form input gradient."""
import numpy as np
import pytest
from adversarial.adv_helpers import LinearSoftmax, batch
from hypothesis import given
from hypothesis import strategies as st

import minigan
import minigan.functional as F
from minigan.adversarial import bim, fgsm, loss_gradient, pgd

epsilons = st.floats(0.0, 1.5, allow_nan=False)
clips = st.sampled_from([(0.0, 1.0), (-1.0, 1.0), (0.0, 2.0)])
seeds = st.integers(0, 2**16)


def into(x, clip):
    """Images uniform in [0, 1] moved into the clip range."""
    lo, hi = clip
    return lo + (hi - lo) * x


@given(seed=seeds)
def test_input_gradient_is_the_closed_form_and_central_differences(seed):
    model = LinearSoftmax(seed=seed)
    x, y = batch(n=3, seed=seed)
    g = loss_gradient(model, minigan.tensor(x), y).numpy()
    np.testing.assert_allclose(g, model.input_gradient(x, y), rtol=1e-10, atol=1e-12)
    xt = minigan.tensor(x, requires_grad=True)
    assert minigan.gradcheck(lambda x: F.cross_entropy(model(x), y), (xt,))


@given(seed=seeds, eps=epsilons, clip=clips, targeted=st.booleans())
def test_fgsm_is_the_signed_gradient_step_clipped(seed, eps, clip, targeted):
    model = LinearSoftmax(seed=seed)
    x, y = batch(seed=seed)
    x = into(x, clip)
    step = np.sign(model.input_gradient(x, y))
    expected = np.clip(x - eps * step if targeted else x + eps * step, *clip)
    x_adv = fgsm(model, minigan.tensor(x), y, eps, targeted=targeted, clip=clip)
    np.testing.assert_array_equal(x_adv.numpy(), expected)
    assert x_adv.dtype == np.float64 and not x_adv.requires_grad


@pytest.mark.parametrize("attack", ["fgsm", "bim", "pgd"])
def test_eps_zero_leaves_x_unchanged(attack):
    model = LinearSoftmax()
    x, y = batch()
    run = {"fgsm": lambda: fgsm(model, minigan.tensor(x), y, 0.0),
           "bim": lambda: bim(model, minigan.tensor(x), y, 0.0),
           "pgd": lambda: pgd(model, minigan.tensor(x), y, 0.0, alpha=0.05, steps=5)}[attack]
    np.testing.assert_array_equal(run().numpy(), x)


@given(seed=seeds, eps=epsilons, clip=clips, steps=st.integers(0, 6), random_start=st.booleans())
def test_iterative_attacks_stay_in_the_eps_ball_and_the_clip_range(seed, eps, clip, steps, random_start):
    model = LinearSoftmax(seed=seed)
    x, y = batch(seed=seed)
    x = into(x, clip)
    for x_adv in (bim(model, minigan.tensor(x), y, eps, alpha=0.1, steps=steps, clip=clip),
                  pgd(model, minigan.tensor(x), y, eps, alpha=0.1, steps=steps, random_start=random_start,
                      clip=clip),
                  fgsm(model, minigan.tensor(x), y, eps, clip=clip)):
        a = x_adv.numpy()
        assert a.min() >= clip[0] and a.max() <= clip[1]
        assert np.abs(a - x).max() <= eps + 1e-12


def test_float32_stays_float32():
    model = LinearSoftmax(dtype=np.float32)
    x, y = batch(dtype=np.float32)
    for x_adv in (fgsm(model, minigan.tensor(x), y, 0.1), bim(model, minigan.tensor(x), y, 0.1),
                  pgd(model, minigan.tensor(x), y, 0.1, steps=3)):
        assert x_adv.dtype == np.float32


@given(seed=seeds)
def test_targeted_fgsm_lowers_the_loss_of_the_target_class(seed):
    model = LinearSoftmax(seed=seed)
    x, _ = batch(seed=seed)
    target = (np.arange(len(x)) + seed) % 4
    x_adv = fgsm(model, minigan.tensor(x), target, 0.01, targeted=True).numpy()
    assert np.all(model.losses(x_adv, target) < model.losses(x, target))
    untargeted = fgsm(model, minigan.tensor(x), target, 0.01).numpy()
    assert np.all(model.losses(untargeted, target) > model.losses(x, target))


def test_bim_is_fgsm_in_steps_of_alpha_projected_each_time():
    model = LinearSoftmax(seed=3)
    x, y = batch(seed=3)
    expected = x.copy()
    for _ in range(5):
        expected = expected + 0.04 * np.sign(model.input_gradient(expected, y))
        expected = np.clip(np.clip(expected, x - 0.1, x + 0.1), 0, 1)
    np.testing.assert_allclose(bim(model, minigan.tensor(x), y, 0.1, alpha=0.04, steps=5).numpy(), expected,
                               rtol=0, atol=1e-15)


@pytest.mark.parametrize("eps, clip, steps", [(0.25, (0.0, 1.0), 67), (4 / 255, (0.0, 1.0), 5),
                                              (16 / 255, (0.0, 1.0), 20), (0.5, (-1.0, 1.0), 67)])
def test_bim_default_steps_are_kurakins_min_eps_plus_4_and_1_25_eps(eps, clip, steps):
    model = LinearSoftmax()
    x, y = batch()
    bim(model, minigan.tensor(into(x, clip)), y, eps, clip=clip)
    assert model.calls == steps


def test_pgd_random_start_is_uniform_in_the_ball():
    model = LinearSoftmax()
    x = np.full((2000, 1, 4, 4), 0.5)
    y = np.zeros(2000, dtype=np.int64)
    start = pgd(model, minigan.tensor(x), y, 0.2, steps=0).numpy() - 0.5
    assert np.abs(start).max() <= 0.2 and abs(start.mean()) < 0.005
    assert abs(start.var() - 0.2 ** 2 / 3) < 0.001  # the variance of U(-ε, ε)
    np.testing.assert_array_equal(pgd(model, minigan.tensor(x), y, 0.2, steps=0, random_start=False).numpy(), x)


def test_the_attacks_leave_parameter_gradients_untouched():
    model = LinearSoftmax()
    x, y = batch()
    model.W.grad = minigan.tensor(np.ones(model.W.shape))
    for attack in (lambda: fgsm(model, minigan.tensor(x), y, 0.1), lambda: bim(model, minigan.tensor(x), y, 0.1),
                   lambda: pgd(model, minigan.tensor(x), y, 0.1, steps=2)):
        attack()
        np.testing.assert_array_equal(model.W.grad.numpy(), 1.0)
        assert model.b.grad is None


def test_an_attack_works_inside_no_grad():
    model = LinearSoftmax()
    x, y = batch()
    with minigan.no_grad():
        x_adv = fgsm(model, minigan.tensor(x), y, 0.1)
    assert np.abs(x_adv.numpy() - x).max() > 0


@pytest.mark.parametrize("call, message", [
    (lambda m, x, y: fgsm(m, x, y, -0.1), "eps must be a finite number >= 0"),
    (lambda m, x, y: fgsm(m, x, y, float("nan")), "eps must be a finite number >= 0"),
    (lambda m, x, y: fgsm(m, x, y[:-1], 0.1), r"one integer label per image: shape \(6,\)"),
    (lambda m, x, y: fgsm(m, x, y.astype(float), 0.1), "one integer label per image"),
    (lambda m, x, y: fgsm(m, x * 2 - 1, y, 0.1), r"outside clip=\(0.0, 1.0\); rescale"),
    (lambda m, x, y: fgsm(m, x, y, 0.1, clip=(1.0, 0.0)), "lo < hi"),
    (lambda m, x, y: bim(m, x, y, 0.1, alpha=0.0), "alpha must be > 0"),
    (lambda m, x, y: bim(m, x, y, 0.1, clip=None), "pass alpha="),
    (lambda m, x, y: pgd(m, x, y, 0.1, steps=-1), "steps must be an integer >= 0"),
])
def test_bad_input_gives_a_clear_error(call, message):
    x, y = batch()
    with pytest.raises(ValueError, match=message):
        call(LinearSoftmax(), minigan.tensor(x), y)
