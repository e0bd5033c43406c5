"""SGD, RMSProp and Adam follow torch.optim's trajectories to 1e-7 relative in float64, for drawn shapes and
hyperparameters."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan import optim

torch = pytest.importorskip("torch")

STEPS = 15
lrs = st.sampled_from([1e-3, 1e-2, 0.05])
sizes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


def loss_of(theta, target, sign):
    """A non-quadratic loss with a minimum: Σ (θ − c)² + 0.1 Σ θ⁴ (its negative when maximizing)."""
    return sign * (((theta - target) ** 2).sum() + 0.1 * (theta ** 4).sum())


def trajectories(shape, seed, make_ours, make_torch, sign):
    rng = np.random.default_rng(seed)
    start, target = rng.normal(size=shape), rng.normal(size=shape)
    ours = minigan.tensor(start.copy(), requires_grad=True)
    theirs = torch.tensor(start.copy(), requires_grad=True)
    opt, topt = make_ours([ours]), make_torch([theirs])
    for _ in range(STEPS):
        opt.zero_grad()
        loss_of(ours, minigan.tensor(target), sign).backward()
        opt.step()
        topt.zero_grad()
        loss_of(theirs, torch.tensor(target), sign).backward()
        topt.step()
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-7, atol=1e-12)
    assert not np.allclose(ours.numpy(), start)  # it moved


@given(shape=sizes, seed=st.integers(0, 1000), lr=lrs, momentum=st.sampled_from([0.0, 0.5, 0.9]),
       dampening=st.sampled_from([0.0, 0.3]), nesterov=st.booleans(), weight_decay=st.sampled_from([0.0, 0.01]),
       maximize=st.booleans())
def test_sgd_matches_torch(shape, seed, lr, momentum, dampening, nesterov, weight_decay, maximize):
    if nesterov and (momentum == 0 or dampening != 0):
        nesterov = False
    kw = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov, weight_decay=weight_decay,
              maximize=maximize)
    trajectories(shape, seed, lambda p: optim.SGD(p, **kw), lambda p: torch.optim.SGD(p, **kw),
                 -1.0 if maximize else 1.0)


@given(shape=sizes, seed=st.integers(0, 1000), lr=lrs, alpha=st.sampled_from([0.9, 0.99]),
       eps=st.sampled_from([1e-8, 1e-3]), maximize=st.booleans())
def test_rmsprop_matches_torch(shape, seed, lr, alpha, eps, maximize):
    kw = dict(lr=lr, alpha=alpha, eps=eps, maximize=maximize)
    trajectories(shape, seed, lambda p: optim.RMSProp(p, **kw), lambda p: torch.optim.RMSprop(p, **kw),
                 -1.0 if maximize else 1.0)


@given(shape=sizes, seed=st.integers(0, 1000), lr=lrs, betas=st.sampled_from([(0.9, 0.999), (0.5, 0.999), (0.0, 0.9)]),
       eps=st.sampled_from([1e-8, 1e-3]), maximize=st.booleans())
def test_adam_matches_torch(shape, seed, lr, betas, eps, maximize):
    kw = dict(lr=lr, betas=betas, eps=eps, maximize=maximize)
    trajectories(shape, seed, lambda p: optim.Adam(p, **kw), lambda p: torch.optim.Adam(p, **kw),
                 -1.0 if maximize else 1.0)


def test_parameter_groups_match_torch():
    """Two groups with their own learning rates, as torch's param groups."""
    rng = np.random.default_rng(1)
    a0, b0 = rng.normal(size=(3,)), rng.normal(size=(2, 2))
    a, b = minigan.tensor(a0.copy(), requires_grad=True), minigan.tensor(b0.copy(), requires_grad=True)
    ta, tb = torch.tensor(a0.copy(), requires_grad=True), torch.tensor(b0.copy(), requires_grad=True)
    opt = optim.Adam([{"params": [a]}, {"params": [b], "lr": 0.1}], lr=0.01, betas=(0.5, 0.9))
    topt = torch.optim.Adam([{"params": [ta]}, {"params": [tb], "lr": 0.1}], lr=0.01, betas=(0.5, 0.9))
    for _ in range(10):
        for o, x, y in ((opt, a, b), (topt, ta, tb)):
            o.zero_grad()
            ((x ** 2).sum() * (y ** 3).sum()).backward()
            o.step()
    np.testing.assert_allclose(a.numpy(), ta.detach().numpy(), rtol=1e-7)
    np.testing.assert_allclose(b.numpy(), tb.detach().numpy(), rtol=1e-7)


@pytest.mark.parametrize("make, make_torch", [
    (lambda o: optim.schedule.StepLR(o, step_size=3, gamma=0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5)),
    (lambda o: optim.schedule.ExponentialLR(o, gamma=0.9), lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9)),
])
def test_schedules_match_torch(make, make_torch):
    p = minigan.tensor(np.ones(2), requires_grad=True)
    tp = torch.ones(2, dtype=torch.float64, requires_grad=True)
    opt, topt = optim.SGD([p], lr=0.1), torch.optim.SGD([tp], lr=0.1)
    sched, tsched = make(opt), make_torch(topt)
    for _ in range(10):
        topt.step()
        sched.step()
        tsched.step()
        assert opt.param_groups[0]["lr"] == pytest.approx(topt.param_groups[0]["lr"], rel=1e-12)
