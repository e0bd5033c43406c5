"""Learning-rate schedules: StepLR and ExponentialLR against their closed forms, BEGAN's halve-on-plateau rule on measured sequences, state_dict resume, bad arguments."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import minigan
from minigan import optim
from minigan.optim.schedule import ExponentialLR, HalveOnPlateau, StepLR


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


@pytest.mark.parametrize("make, error, message", [
    (lambda o: StepLR(o, 0, 0.5), ValueError, "step_size must be an integer >= 1"),
    (lambda o: StepLR(o, 2, -0.5), ValueError, "gamma must be a number > 0"),
    (lambda o: ExponentialLR(o, 0.0), ValueError, "gamma must be a number > 0"),
    (lambda o: HalveOnPlateau(o, 0), ValueError, "patience must be an integer >= 1"),
    (lambda o: HalveOnPlateau(o, 10, factor=2.0), ValueError, "factor must be a number > 0 and <= 1"),
    (lambda o: HalveOnPlateau(o, 10, threshold=1.0), ValueError, r"threshold must be a number in \[0, 1\)"),
    (lambda o: HalveOnPlateau(o, 10, min_lr=-1.0), ValueError, "min_lr must be a number >= 0"),
    (lambda o: StepLR("adam", 2), TypeError, "drives a minigan.optim optimizer"),
    (lambda o: HalveOnPlateau(o, 1).step(float("nan")), ValueError, "must be finite"),
])
def test_bad_schedule_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make(make_opt())


def test_linear_lr_is_the_closed_form_and_matches_torch():
    from minigan import nn, optim

    layer = nn.Linear(2, 1)
    opt = optim.SGD(layer.parameters(), lr=0.4)
    schedule = optim.schedule.LinearLR(opt, start_factor=1.0, end_factor=0.0, total_iters=4)
    rates = [opt.param_groups[0]["lr"]]
    for _ in range(6):
        schedule.step()
        rates.append(opt.param_groups[0]["lr"])
    np.testing.assert_allclose(rates, [0.4 * max(0.0, 1 - t / 4) for t in range(7)])    # η_0 (1 − t/T), then 0
    torch = pytest.importorskip("torch")
    t_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.4)
    t_schedule = torch.optim.lr_scheduler.LinearLR(t_opt, start_factor=0.5, end_factor=0.1, total_iters=3)
    opt = optim.SGD(nn.Linear(2, 1).parameters(), lr=0.4)
    schedule = optim.schedule.LinearLR(opt, start_factor=0.5, end_factor=0.1, total_iters=3)
    for _ in range(5):
        assert opt.param_groups[0]["lr"] == pytest.approx(t_opt.param_groups[0]["lr"])
        t_opt.step()
        t_schedule.step()
        schedule.step()
    with pytest.raises(ValueError, match="total_iters must be an integer >= 1"):
        optim.schedule.LinearLR(opt, total_iters=0)
