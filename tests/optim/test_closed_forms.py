"""The optimizers' updates against closed forms and steps worked by hand (no torch needed): OPT-GD,
OPT-RMSPROP, OPT-ADAM, OPT-OMD, OPT-OADAM."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan import optim

values = st.floats(-3.0, 3.0).filter(lambda v: abs(v) > 1e-3)


def param(values, dtype=np.float64):
    return minigan.tensor(np.asarray(values, dtype=dtype), requires_grad=True)


def set_grad(p, g):
    p.grad = minigan.tensor(np.asarray(g, dtype=p.dtype))


def run_linear(opt, p, grads):
    """Feed a fixed sequence of gradients (the loss ⟨c_t, θ⟩ has ∇ = c_t wherever θ is); return θ_0..θ_T."""
    path = [p.numpy().copy()]
    for g in grads:
        set_grad(p, g)
        opt.step()
        path.append(p.numpy().copy())
    return np.array(path)


@given(a=st.floats(0.1, 5.0), lr=st.floats(0.01, 0.3), theta0=values, steps=st.integers(1, 30))
def test_sgd_on_a_quadratic_is_geometric(a, lr, theta0, steps):
    """[OPT-GD] On f = a θ²/2, θ_t = (1 − η a)^t θ_0."""
    p = param([theta0])
    opt = optim.SGD([p], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * a * p * p).sum().backward()
        opt.step()
    assert p.numpy()[0] == pytest.approx((1 - lr * a) ** steps * theta0, rel=1e-9, abs=1e-12)


def test_sgd_momentum_by_hand():
    """b_1 = g_1, b_2 = μ b_1 + (1 − τ) g_2; nesterov steps along g + μ b."""
    p = param([1.0])
    path = run_linear(optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.5), p, [[2.0], [4.0]])
    np.testing.assert_allclose(path[:, 0], [1.0, 1.0 - 0.2, 0.8 - 0.1 * (0.9 * 2.0 + 0.5 * 4.0)])
    q = param([1.0])
    path = run_linear(optim.SGD([q], lr=0.1, momentum=0.9, nesterov=True), q, [[2.0], [4.0]])
    np.testing.assert_allclose(path[:, 0], [1.0, 1.0 - 0.1 * (2.0 + 1.8), 0.62 - 0.1 * (4.0 + 0.9 * (1.8 + 4.0))])


@given(g=values, lr=st.floats(1e-4, 1e-1))
def test_rmsprop_first_step_is_ten_lr(g, lr):
    """[OPT-RMSPROP] v_1 = 0.01 g², so the first step is lr·g/(0.1|g| + ε) ≈ 10·lr·sign(g) (no bias correction)."""
    p = param([0.0])
    path = run_linear(optim.RMSProp([p], lr=lr), p, [[g]])
    assert path[1, 0] == pytest.approx(-lr * g / (0.1 * abs(g) + 1e-8), rel=1e-12)
    assert path[1, 0] == pytest.approx(-10 * lr * np.sign(g), rel=1e-4)  # ε/(0.1|g|) ≤ 1e-4 here


def test_rmsprop_second_step_by_hand():
    p = param([0.0])
    path = run_linear(optim.RMSProp([p], lr=0.01, alpha=0.9, eps=1e-3), p, [[1.0], [-2.0]])
    v1, v2 = 0.1, 0.9 * 0.1 + 0.1 * 4.0
    np.testing.assert_allclose(path[:, 0], [0.0, -0.01 / (np.sqrt(v1) + 1e-3),
                                            -0.01 / (np.sqrt(v1) + 1e-3) + 0.02 / (np.sqrt(v2) + 1e-3)], rtol=1e-12)


@given(g=values, lr=st.floats(1e-4, 1e-1))
def test_adam_first_step_is_lr_sign(g, lr):
    """[OPT-ADAM] m̂_1 = g, v̂_1 = g²: the first step is α g/(|g| + ε)."""
    p = param([0.5])
    path = run_linear(optim.Adam([p], lr=lr), p, [[g]])
    assert path[1, 0] == pytest.approx(0.5 - lr * g / (abs(g) + 1e-8), rel=1e-12)


@given(grads=st.lists(values, min_size=2, max_size=8), betas=st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.5)]))
def test_adam_against_the_slide(grads, betas):
    """[OPT-ADAM] The whole trajectory, from the slide's recursion written out in NumPy."""
    beta1, beta2 = betas
    p = param([0.3])
    path = run_linear(optim.Adam([p], lr=0.01, betas=betas), p, [[g] for g in grads])
    theta, m, v = 0.3, 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        theta -= 0.01 * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + 1e-8)
        assert path[t, 0] == pytest.approx(theta, rel=1e-12, abs=1e-15)


@given(grads=st.lists(values, min_size=1, max_size=8), lr=st.floats(0.01, 0.5))
def test_omd_against_the_slide(grads, lr):
    """[OPT-OMD] θ_{t+1} = θ_t − 2η g_t + η g_{t−1} with g_0 = 0 (default) or g_0 = g_1 (first_step="single")."""
    for first_step, g0 in (("double", 0.0), ("single", grads[0])):
        p = param([1.0])
        path = run_linear(optim.OptimisticSGD([p], lr=lr, first_step=first_step), p, [[g] for g in grads])
        theta, previous = 1.0, g0
        for t, g in enumerate(grads, start=1):
            theta = theta - 2 * lr * g + lr * previous
            previous = g
            assert path[t, 0] == pytest.approx(theta, rel=1e-12, abs=1e-14)


@given(grads=st.lists(st.lists(values, min_size=2, max_size=2), min_size=2, max_size=8),
       betas=st.sampled_from([(0.9, 0.999), (0.5, 0.9)]))
def test_optimistic_adam_is_two_adam_steps_minus_the_last(grads, betas):
    """[OPT-OADAM] With gradients that do not depend on θ, Optimistic Adam's step t is 2·(Adam's step t)
    − (Adam's step t − 1): with the look-back zero, it would be Adam with learning rate 2η. First step:
    twice an Adam step (first_step="double") or one Adam step (first_step="single")."""
    p, q, r = param([0.1, -0.2]), param([0.1, -0.2]), param([0.1, -0.2])
    adam = np.diff(run_linear(optim.Adam([p], lr=0.01, betas=betas), p, grads), axis=0)
    oadam = np.diff(run_linear(optim.OptimisticAdam([q], lr=0.01, betas=betas), q, grads), axis=0)
    single = np.diff(run_linear(optim.OptimisticAdam([r], lr=0.01, betas=betas, first_step="single"), r, grads), axis=0)
    np.testing.assert_allclose(oadam[0], 2 * adam[0], rtol=1e-10)
    np.testing.assert_allclose(single[0], adam[0], rtol=1e-10)
    np.testing.assert_allclose(oadam[1:], 2 * adam[1:] - adam[:-1], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(single[1:], oadam[1:], rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.5), lambda ps: optim.RMSProp(ps, lr=0.01),
    lambda ps: optim.Adam(ps, lr=0.01), lambda ps: optim.OptimisticSGD(ps, lr=0.1),
    lambda ps: optim.OptimisticAdam(ps, lr=0.01)], ids=["sgd", "rmsprop", "adam", "omd", "oadam"])
def test_maximize_ascends_as_descent_on_the_negative(make):
    """maximize=True on f follows exactly the path of minimizing −f (w ← w + η∇w)."""
    grads = [[1.0, -2.0], [0.5, 0.25], [-1.5, 3.0]]
    p, q = param([0.2, 0.4]), param([0.2, 0.4])
    up = make([p])
    for group in up.param_groups:
        group["maximize"] = True
    ascent = run_linear(up, p, grads)
    descent = run_linear(make([q]), q, [[-g for g in gs] for gs in grads])
    np.testing.assert_array_equal(ascent, descent)
    assert ascent[1, 0] > ascent[0, 0]  # the first gradient is +1: ascent moves up


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.5, weight_decay=0.1), lambda ps: optim.RMSProp(ps),
    lambda ps: optim.Adam(ps), lambda ps: optim.OptimisticSGD(ps, lr=0.1), lambda ps: optim.OptimisticAdam(ps)],
    ids=["sgd", "rmsprop", "adam", "omd", "oadam"])
def test_float32_stays_float32_in_place_and_skips_params_without_grad(make):
    p, frozen = param([1.0, 2.0], np.float32), param([3.0], np.float32)
    array = p.data
    opt = make([p, frozen])
    for _ in range(3):
        set_grad(p, [0.5, -0.5])
        opt.step()
    assert p.data is array and p.dtype == np.float32  # updated in place, no upcast
    assert all(getattr(v, "dtype", np.float32) == np.float32 for v in opt.state[id(p)].values())
    assert frozen.numpy()[0] == 3.0 and id(frozen) not in opt.state
    assert not np.allclose(p.numpy(), [1.0, 2.0])
    opt.zero_grad()
    assert p.grad is None
