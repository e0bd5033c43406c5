"""SGHMC (VAR-BAYES-2) and the Bayesian GAN authors' noisy Adam: the update against the slide's
formula worked by hand, the noise's mean and variance against 2αη over many draws, the limits
(α = 1 without noise is SGD), checkpoints, and clear errors for bad settings."""
import numpy as np
import pytest

import minigan
from minigan import optim


def param(values):
    return minigan.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def step_with(opt, p, g):
    p.grad = minigan.tensor(np.asarray(g, dtype=np.float64))
    opt.step()


@pytest.mark.parametrize("alpha, lr, data_size", [(0.1, 0.01, 1.0), (0.5, 0.2, 1.0), (1.0, 0.05, 50.0)])
def test_the_noise_has_mean_zero_and_variance_two_alpha_eta(alpha, lr, data_size):
    """With ∇ = 0 and v = 0, one step leaves v = n: mean 0 and variance 2α·lr/N (the slide's 2αη with
    η = lr/N), over 200 000 draws with a fixed seed (a variance estimate's relative error ≈ 0.3%)."""
    minigan.manual_seed(0)
    p = param(np.zeros(200_000))
    step_with(optim.SGHMC([p], lr=lr, alpha=alpha, data_size=data_size), p, np.zeros(200_000))
    n = p.numpy()                                                   # θ = 0 + v = n
    variance = 2 * alpha * lr / data_size
    assert abs(n.mean()) < 4 * np.sqrt(variance / n.size)
    assert n.var() == pytest.approx(variance, rel=0.015)
    assert abs(n.std() - variance) > 0.1 * variance                 # the variance is 2αη, not the std


def test_two_steps_against_the_slide_by_hand():
    """[VAR-BAYES-2] v ← (1 − α) v + η ∇ log p + n; θ ← θ + v, with data_size 1 (η = lr, ∇ log p = −g):
    the same draws n replayed from the same seed."""
    alpha, lr, theta0, grads = 0.3, 0.1, np.array([1.0, -2.0]), [np.array([0.5, 2.0]), np.array([-1.0, 0.25])]
    minigan.manual_seed(7)
    noise = [minigan.randn(2, dtype="float64").numpy() * np.sqrt(2 * alpha * lr) for _ in grads]
    minigan.manual_seed(7)
    p = param(theta0)
    opt = optim.SGHMC([p], lr=lr, alpha=alpha)
    v, theta = np.zeros(2), theta0.copy()
    for g, n in zip(grads, noise):
        step_with(opt, p, g)
        v = (1 - alpha) * v + lr * (-g) + n
        theta = theta + v
        np.testing.assert_allclose(p.numpy(), theta, rtol=1e-13)


def test_without_noise_alpha_one_is_sgd_and_smaller_alpha_is_momentum():
    p, q = param([1.0, 2.0]), param([1.0, 2.0])
    sghmc, sgd = optim.SGHMC([p], lr=0.1, alpha=1.0, noise=False), optim.SGD([q], lr=0.1)
    for g in ([1.0, -1.0], [0.5, 3.0], [-2.0, 0.0]):
        step_with(sghmc, p, g)
        step_with(sgd, q, g)
        np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-14)
    p, q = param([1.0]), param([1.0])
    sghmc, momentum = optim.SGHMC([p], lr=0.1, alpha=0.2, noise=False), optim.SGD([q], lr=0.1, momentum=0.8)
    for g in ([1.0], [0.5], [-2.0]):
        step_with(sghmc, p, g)
        step_with(momentum, q, g)
        np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-13)   # v = (1 − α) v − lr g: momentum 1 − α


def test_sghmc_samples_a_gaussian():
    """U(θ) = θ²/(2s²): the chain's draws have variance s² (the stationary distribution is the
    posterior exp(−U)), where SGD without noise would sit at 0."""
    minigan.manual_seed(1)
    s2, p = 0.5, param(np.zeros(2000))                     # 2000 independent chains
    opt = optim.SGHMC([p], lr=0.05, alpha=0.2)
    for _ in range(400):
        step_with(opt, p, p.numpy() / s2)                      # g = ∇U
    assert p.numpy().var() == pytest.approx(s2, rel=0.1)


def test_noisy_adam_is_adam_on_the_gradient_plus_n_over_n_data():
    minigan.manual_seed(3)
    alpha, lr, data_size, g = 0.1, 0.01, 20.0, np.array([0.5, -1.0, 2.0])
    noise = minigan.randn(3, dtype="float64").numpy() * np.sqrt(2 * alpha * lr)
    minigan.manual_seed(3)
    p, q = param([1.0, 1.0, 1.0]), param([1.0, 1.0, 1.0])
    step_with(optim.NoisyAdam([p], lr=lr, alpha=alpha, data_size=data_size), p, g)
    step_with(optim.Adam([q], lr=lr), q, g + noise / data_size)
    np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-13)


@pytest.mark.parametrize("make", [lambda ps: optim.SGHMC(ps, lr=0.01, alpha=0.1, data_size=10.0),
                                  lambda ps: optim.NoisyAdam(ps, lr=0.01, alpha=0.1, data_size=10.0)],
                         ids=["sghmc", "noisy-adam"])
def test_resume_with_the_random_state_is_bit_for_bit(make):
    rng = np.random.default_rng(0)
    ps = [param(rng.normal(size=(3, 2)))]

    def train(opt, ps, steps):
        for _ in range(steps):
            opt.zero_grad()
            ((ps[0] ** 2).sum()).backward()
            opt.step()

    minigan.manual_seed(0)
    opt = make(ps)
    train(opt, ps, 3)
    saved, saved_params, rng_state = opt.state_dict(), ps[0].numpy().copy(), minigan.get_rng_state()
    train(opt, ps, 4)
    again = [param(saved_params)]
    resumed = make(again)
    resumed.load_state_dict(saved)
    minigan.set_rng_state(rng_state)
    train(resumed, again, 4)
    np.testing.assert_array_equal(ps[0].numpy(), again[0].numpy())


@pytest.mark.parametrize("kwargs, message", [(dict(alpha=0.0), r"alpha \(SGHMC's friction\) must be in"),
                                             (dict(alpha=1.5), r"in \(0, 1\]"), (dict(alpha=-0.1), r"in \(0, 1\]"),
                                             (dict(data_size=0.0), "data_size"), (dict(lr=-1.0), "lr=-1.0")])
@pytest.mark.parametrize("cls", [optim.SGHMC, optim.NoisyAdam])
def test_bad_settings_are_clear_errors(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls([param([1.0])], **{"lr": 0.1, **kwargs})
