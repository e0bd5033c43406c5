"""Learning-rate schedules: StepLR, MultiStepLR, ExponentialLR, LinearLR and CosineAnnealingLR against
their closed forms and against torch.optim.lr_scheduler, WGAN-GP's linear decay exactly, BEGAN's
halve-on-plateau rule on measured sequences, state_dict resume, bad arguments."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan import optim
from minigan.optim.schedule import (
    CosineAnnealingLR,
    ExponentialLR,
    HalveOnPlateau,
    LinearLR,
    MultiStepLR,
    StepLR,
)


def make_opt(lr=0.1, second_lr=None):
    p, q = (minigan.tensor(np.ones(2), requires_grad=True) for _ in range(2))
    groups = [{"params": [p]}, {"params": [q], "lr": second_lr}] if second_lr else [p, q]
    return optim.Adam(groups, lr=lr)


@given(step_size=st.integers(1, 5), gamma=st.floats(0.1, 0.9), calls=st.integers(0, 20))
def test_step_lr_closed_form(step_size, gamma, calls):
    opt = make_opt(0.1, second_lr=0.3)
    sched = StepLR(opt, step_size, gamma)
    for _ in range(calls):
        sched.step()
    expected = [lr * gamma ** (calls // step_size) for lr in (0.1, 0.3)]
    assert sched.get_last_lr() == pytest.approx(expected, rel=1e-12)


@given(gamma=st.floats(0.5, 0.999), calls=st.integers(0, 30))
def test_exponential_lr_closed_form(gamma, calls):
    opt = make_opt(0.02)
    sched = ExponentialLR(opt, gamma)
    for _ in range(calls):
        sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.02 * gamma ** calls, rel=1e-12)


def rates(sched, calls):
    """η_0, …, η_calls of the first group: the rate at creation, then after each step()."""
    seen = [sched.optimizer.param_groups[0]["lr"]]
    for _ in range(calls):
        sched.step()
        seen.append(sched.optimizer.param_groups[0]["lr"])
    return seen


@given(start=st.floats(0.01, 1.0), end=st.floats(0.0, 1.0), total=st.integers(1, 8), calls=st.integers(0, 12))
def test_linear_lr_closed_form(start, end, total, calls):
    opt = make_opt(0.1, second_lr=0.3)
    sched = LinearLR(opt, start_factor=start, end_factor=end, total_iters=total)
    assert rates(sched, calls) == pytest.approx(
        [0.1 * (start + (end - start) * min(e, total) / total) for e in range(calls + 1)], rel=1e-12, abs=1e-15)
    assert sched.get_last_lr()[1] == pytest.approx(0.3 * (start + (end - start) * min(calls, total) / total),
                                                   rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("lr, total", [(1e-4, 100), (3e-4, 2000), (1e-3, 4500), (0.1, 7)])
def test_linear_lr_to_zero_is_wgan_gps_decay_bit_for_bit(lr, total):
    """WGAN-GP's reference code sets η_t = η_0 · max(0, 1 − t/T) at the start of generator iteration t;
    LinearLR(opt, 1.0, 0.0, T) created with the optimizer and stepped after each update gives the same
    floats at every iteration, also past T."""
    opt = make_opt(lr)
    sched = LinearLR(opt, start_factor=1.0, end_factor=0.0, total_iters=total)
    for t in range(total + 5):
        assert opt.param_groups[0]["lr"] == lr * max(0.0, 1.0 - t / total)   # the rate the update of t uses
        sched.step()


@given(t_max=st.integers(1, 10), eta_min=st.sampled_from([0.0, 1e-4, 0.01]), calls=st.integers(0, 25))
def test_cosine_annealing_lr_closed_form(t_max, eta_min, calls):
    opt = make_opt(0.05)
    sched = CosineAnnealingLR(opt, T_max=t_max, eta_min=eta_min)
    expected = [eta_min + (0.05 - eta_min) * (1 + math.cos(math.pi * e / t_max)) / 2 for e in range(calls + 1)]
    assert rates(sched, calls) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_cosine_annealing_reaches_eta_min_at_t_max_and_halfway_the_mean():
    opt = make_opt(0.1)
    seen = rates(CosineAnnealingLR(opt, T_max=10, eta_min=0.02), 10)
    assert seen[0] == 0.1 and seen[5] == pytest.approx(0.06, rel=1e-12) and seen[10] == pytest.approx(0.02, rel=1e-12)
    assert all(a > b for a, b in zip(seen[:-1], seen[1:]))


def test_multi_step_lr_multiplies_once_per_milestone():
    opt = make_opt(1.0)
    seen = rates(MultiStepLR(opt, milestones=[5, 2], gamma=0.1), 7)
    assert seen == pytest.approx([1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01], rel=1e-12)


@pytest.mark.parametrize("make, make_torch", [
    (lambda o: LinearLR(o), lambda o, t: t.LinearLR(o)),
    (lambda o: LinearLR(o, 1.0, 0.0, 7), lambda o, t: t.LinearLR(o, 1.0, 0.0, 7)),
    (lambda o: LinearLR(o, 0.25, 0.75, 4), lambda o, t: t.LinearLR(o, 0.25, 0.75, 4)),
    (lambda o: CosineAnnealingLR(o, 6), lambda o, t: t.CosineAnnealingLR(o, 6)),
    (lambda o: CosineAnnealingLR(o, 5, eta_min=0.01), lambda o, t: t.CosineAnnealingLR(o, 5, eta_min=0.01)),
    (lambda o: MultiStepLR(o, [3, 8], 0.5), lambda o, t: t.MultiStepLR(o, [3, 8], 0.5)),
    (lambda o: StepLR(o, 3, 0.5), lambda o, t: t.StepLR(o, 3, 0.5)),
])
def test_schedules_follow_torch_from_creation_on(make, make_torch):
    """The same rate at creation and after every step() as torch.optim.lr_scheduler (its recursive
    updates agree with the closed forms to rounding), past the end of the schedule too."""
    torch = pytest.importorskip("torch")
    p = torch.ones(2, requires_grad=True)
    topt = torch.optim.SGD([p], lr=0.1)
    tsched = make_torch(topt, torch.optim.lr_scheduler)
    opt = optim.SGD([minigan.tensor(np.ones(2), requires_grad=True)], lr=0.1)
    sched = make(opt)
    for _ in range(14):
        assert opt.param_groups[0]["lr"] == pytest.approx(topt.param_groups[0]["lr"], rel=1e-12, abs=1e-15)
        topt.step()
        tsched.step()
        sched.step()


def test_halve_on_plateau_follows_carpedm20s_rule():
    """Windows of 3 steps: means 1.0 (first: no reference), 0.5 (improved), 0.5 (stalled: halve),
    0.6 (worse: halve), 0.1 (improved); the rate never goes below min_lr."""
    opt = make_opt(1e-4)
    sched = HalveOnPlateau(opt, patience=3, threshold=1e-4, min_lr=3e-5)
    measures = [1.2, 1.0, 0.8, 0.5, 0.6, 0.4, 0.5, 0.5, 0.5, 0.6, 0.6, 0.6, 0.1, 0.1, 0.1]
    lowered = [sched.step(m) for m in measures]
    assert [i for i, x in enumerate(lowered) if x] == [8, 11]
    assert sched.get_last_lr() == pytest.approx([3e-5], rel=1e-12)  # 1e-4 → 5e-5 → max(2.5e-5, min_lr)


def test_halve_on_plateau_threshold_counts_small_improvements_as_stalls():
    opt = make_opt(1.0)
    sched = HalveOnPlateau(opt, patience=1, threshold=0.1)
    sched.step(minigan.tensor(1.0))
    assert sched.step(0.95) is True  # 0.95 > 1.0 · (1 − 0.1): not enough progress
    assert sched.step(0.5) is False
    assert opt.param_groups[0]["lr"] == 0.5


def test_schedules_resume_from_state_dict():
    opt, opt2 = make_opt(0.1), make_opt(0.1)
    sched, resumed = StepLR(opt, 2, 0.5), StepLR(opt2, 2, 0.5)
    for _ in range(3):
        sched.step()
    resumed.load_state_dict(sched.state_dict())
    sched.step()
    resumed.step()
    assert opt2.param_groups[0]["lr"] == opt.param_groups[0]["lr"] == pytest.approx(0.025)
    plateau, plateau2 = HalveOnPlateau(make_opt(1.0), 2), HalveOnPlateau(opt2, 2)
    for m in (1.0, 1.0, 2.0):
        plateau.step(m)
    plateau2.load_state_dict(plateau.state_dict())
    assert plateau2.step(2.0) is True  # the window (2, 2) has mean 2 > 1: halves


@pytest.mark.parametrize("make", [lambda o: LinearLR(o, 1.0, 0.0, 10), lambda o: CosineAnnealingLR(o, 10, 1e-3),
                                  lambda o: MultiStepLR(o, [4, 6], 0.5)])
def test_closed_form_schedules_resume_bit_for_bit(make):
    """A fresh optimizer and schedule, given the saved state, set the saved rate at once and continue
    with the original's rates (η_0 comes from the state, not from the fresh optimizer's lr)."""
    sched = make(make_opt(0.1))
    rates(sched, 5)
    opt2 = make_opt(0.7)
    resumed = make(opt2)
    resumed.load_state_dict(sched.state_dict())
    assert opt2.param_groups[0]["lr"] == sched.optimizer.param_groups[0]["lr"]
    assert rates(resumed, 8) == rates(sched, 8)
    with pytest.raises(ValueError, match="has 1 learning rates, the optimizer 2 parameter groups"):
        make(make_opt(0.1, second_lr=0.2)).load_state_dict(sched.state_dict())


@pytest.mark.parametrize("make, error, message", [
    (lambda o: StepLR(o, 0, 0.5), ValueError, "step_size must be an integer >= 1"),
    (lambda o: StepLR(o, 2, -0.5), ValueError, "gamma must be a number > 0"),
    (lambda o: ExponentialLR(o, 0.0), ValueError, "gamma must be a number > 0"),
    (lambda o: HalveOnPlateau(o, 0), ValueError, "patience must be an integer >= 1"),
    (lambda o: HalveOnPlateau(o, 10, factor=2.0), ValueError, "factor must be a number > 0 and <= 1"),
    (lambda o: HalveOnPlateau(o, 10, threshold=1.0), ValueError, r"threshold must be a number in \[0, 1\)"),
    (lambda o: HalveOnPlateau(o, 10, min_lr=-1.0), ValueError, "min_lr must be a number >= 0"),
    (lambda o: StepLR("adam", 2), TypeError, "drives a minigan.optim optimizer"),
    (lambda o: MultiStepLR(o, []), ValueError, r"a non-empty list of integers >= 1, got milestones=\[\]"),
    (lambda o: MultiStepLR(o, [3, 0]), ValueError, "milestones must be"),
    (lambda o: LinearLR(o, start_factor=0.0), ValueError, r"start_factor must be a number in \(0, 1\], got .*=0.0"),
    (lambda o: LinearLR(o, end_factor=1.5), ValueError, r"end_factor must be a number in \[0, 1\], got end_factor=1.5"),
    (lambda o: LinearLR(o, total_iters=0), ValueError, "total_iters must be an integer >= 1, got total_iters=0"),
    (lambda o: CosineAnnealingLR(o, T_max=0), ValueError, "T_max must be an integer >= 1, got T_max=0"),
    (lambda o: CosineAnnealingLR(o, 10, eta_min=-1e-3), ValueError, "eta_min must be a number >= 0"),
    (lambda o: LinearLR("sgd"), TypeError, "drives a minigan.optim optimizer"),
    (lambda o: HalveOnPlateau(o, 1).step(float("nan")), ValueError, "must be finite"),
])
def test_bad_schedule_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make(make_opt())

