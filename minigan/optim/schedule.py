"""Learning-rate schedules: they rewrite `group["lr"]` of an optimizer's parameter groups. The one
mechanism for every changing rate in minigan (the algorithms' schedules, `invert`'s descent).

    StepLR(opt, step_size, gamma)       η_e = η_0 · γ^⌊e / step_size⌋   (e: calls to step(), e.g. epochs)
    MultiStepLR(opt, milestones, gamma) η_e = η_0 · γ^(number of milestones ≤ e)
    ExponentialLR(opt, gamma)           η_e = η_0 · γ^e
    LinearLR(opt, start_factor, end_factor, total_iters)
                                        η_e = η_0 · (s + (f − s) · min(e, T) / T); WGAN-GP's decay to 0:
                                        LinearLR(opt, 1.0, 0.0, T), η_e = η_0 · max(0, 1 − e/T)
    CosineAnnealingLR(opt, T_max, eta_min=0)
                                        η_e = η_min + (η_0 − η_min) · (1 + cos(π e / T_max)) / 2
    HalveOnPlateau(opt, patience, threshold, factor=0.5, min_lr=0)
                                        BEGAN's rule: halve η when the convergence measure M_global stalls

The names, arguments and closed forms are PyTorch's (torch.optim.lr_scheduler). As there, creating a
schedule sets the rate of e = 0, and step() is called after optimizer.step(): the update of step t
uses η_t. Each has step(...), state_dict() and load_state_dict(), so a resumed run continues the schedule.
"""
import bisect
import math
import numbers

from minigan.optim.optimizer import Optimizer


def _check_optimizer(optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"a schedule drives a minigan.optim optimizer, got {type(optimizer).__name__}")


def _check_positive(name, value, upper=None):
    if not isinstance(value, numbers.Real) or not value > 0 or (upper is not None and not value <= upper):
        bound = f" and <= {upper}" if upper is not None else ""
        raise ValueError(f"{name} must be a number > 0{bound}, got {name}={value!r}")


class _ClosedFormSchedule:
    """η_e = lr_at(η_0, e) for every group, e counting the calls to step() (PyTorch's last_epoch):
    the closed form, so a schedule restored from its state_dict sets exactly the rates of the original.
    Creating it sets e = 0 (as PyTorch's first implicit step); each step() then advances e by one and
    sets the rate of step e — call it after optimizer.step(), as in PyTorch."""

    def __init__(self, optimizer):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        self.base_lrs = [group["lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._set_rates()

    def lr_at(self, base_lr, epoch):
        return base_lr * self.factor(epoch)

    def _set_rates(self):
        for group, base_lr in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self.lr_at(base_lr, self.last_epoch)

    def step(self):
        self.last_epoch += 1
        self._set_rates()

    def get_last_lr(self):
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        return {"base_lrs": list(self.base_lrs), "last_epoch": self.last_epoch}

    def load_state_dict(self, state):
        """Continue from a saved state: its η_0 and e, and the rates of step e."""
        if len(state["base_lrs"]) != len(self.base_lrs):
            raise ValueError(f"the schedule state has {len(state['base_lrs'])} learning rates, "
                             f"the optimizer {len(self.base_lrs)} parameter groups")
        self.base_lrs = [float(lr) for lr in state["base_lrs"]]
        self.last_epoch = int(state["last_epoch"])
        self._set_rates()


def _check_steps(name, value):
    if not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {name}={value!r}")


class StepLR(_ClosedFormSchedule):
    """η_e = η_0 · γ^⌊e / step_size⌋: multiply the rate by γ every `step_size` calls to step()
    (BEGAN-tensorflow halves it every 100 000 steps: StepLR(opt, 100_000, 0.5))."""

    def __init__(self, optimizer, step_size, gamma=0.1):
        _check_steps("step_size", step_size)
        _check_positive("gamma", gamma)
        self.step_size, self.gamma = int(step_size), float(gamma)
        super().__init__(optimizer)

    def factor(self, epoch):
        return self.gamma ** (epoch // self.step_size)


class MultiStepLR(_ClosedFormSchedule):
    """η_e = η_0 · γ^(number of milestones ≤ e): multiply the rate by γ once at each milestone
    (MultiStepLR(opt, [int(0.7 * T)], 0.1) divides it by 10 once, after 70% of T steps)."""

    def __init__(self, optimizer, milestones, gamma=0.1):
        milestones = list(milestones)
        if not milestones or any(not isinstance(m, numbers.Integral) or m < 1 for m in milestones):
            raise ValueError(f"milestones must be a non-empty list of integers >= 1, got milestones={milestones!r}")
        _check_positive("gamma", gamma)
        self.milestones, self.gamma = sorted(int(m) for m in milestones), float(gamma)
        super().__init__(optimizer)

    def factor(self, epoch):
        return self.gamma ** bisect.bisect_right(self.milestones, epoch)


class ExponentialLR(_ClosedFormSchedule):
    """η_e = η_0 · γ^e: multiply the rate by γ at every call to step()."""

    def __init__(self, optimizer, gamma):
        _check_positive("gamma", gamma)
        self.gamma = float(gamma)
        super().__init__(optimizer)

    def factor(self, epoch):
        return self.gamma ** epoch


class LinearLR(_ClosedFormSchedule):
    """η_e = η_0 · (s + (f − s) · min(e, T) / T): the factor goes linearly from s = start_factor to
    f = end_factor over T = total_iters calls to step(), then stays at f (PyTorch's defaults:
    s = 1/3, f = 1, T = 5, a warm-up).

    WGAN-GP's reference schedule, η_t = η_0 · max(0, 1 − t/T) at generator iteration t, is
    LinearLR(opt, start_factor=1.0, end_factor=0.0, total_iters=T), stepped once per iteration
    after the update."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        if not isinstance(start_factor, numbers.Real) or not 0 < start_factor <= 1:
            raise ValueError(f"start_factor must be a number in (0, 1], got start_factor={start_factor!r}")
        if not isinstance(end_factor, numbers.Real) or not 0 <= end_factor <= 1:
            raise ValueError(f"end_factor must be a number in [0, 1], got end_factor={end_factor!r}")
        _check_steps("total_iters", total_iters)
        self.start_factor, self.end_factor, self.total_iters = float(start_factor), float(end_factor), int(total_iters)
        super().__init__(optimizer)

    def factor(self, epoch):
        s, f, total = self.start_factor, self.end_factor, self.total_iters
        return s + (f - s) * min(total, epoch) / total


class CosineAnnealingLR(_ClosedFormSchedule):
    """η_e = η_min + (η_0 − η_min) · (1 + cos(π e / T_max)) / 2: half a cosine from η_0 down to
    η_min over T_max calls to step() (Loshchilov & Hutter's SGDR without restarts; past T_max the
    closed form climbs back, as PyTorch's)."""

    def __init__(self, optimizer, T_max, eta_min=0.0):
        _check_steps("T_max", T_max)
        if not isinstance(eta_min, numbers.Real) or not eta_min >= 0:
            raise ValueError(f"eta_min must be a number >= 0, got eta_min={eta_min!r}")
        self.T_max, self.eta_min = int(T_max), float(eta_min)
        super().__init__(optimizer)

    def lr_at(self, base_lr, epoch):
        return self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * epoch / self.T_max)) / 2


class HalveOnPlateau:
    """BEGAN's "halve the learning rate when M_global stalls" (carpedm20/BEGAN-pytorch's rule).

    Call step(M) once per training step with the measured quantity M (e.g. M_global, BEGAN-5).
    Every `patience` calls, with M̄ the mean of M over those calls:

        if M̄ > M̄_prev · (1 − threshold):   η ← max(factor · η, min_lr)       (for every group)
        M̄_prev ← M̄

    The first window has no M̄_prev and never lowers the rate (carpedm20 starts from M̄_prev = 1).
    carpedm20's values: patience = 10 000 steps, threshold = 1e-4, factor = 0.5.
    """

    def __init__(self, optimizer, patience, threshold=1e-4, factor=0.5, min_lr=0.0):
        _check_optimizer(optimizer)
        if not isinstance(patience, numbers.Integral) or patience < 1:
            raise ValueError(f"patience must be an integer >= 1 (steps per window), got patience={patience!r}")
        if not isinstance(threshold, numbers.Real) or not 0 <= threshold < 1:
            raise ValueError(f"threshold must be a number in [0, 1), got threshold={threshold!r}")
        _check_positive("factor", factor, upper=1)
        if not isinstance(min_lr, numbers.Real) or not min_lr >= 0:
            raise ValueError(f"min_lr must be a number >= 0, got min_lr={min_lr!r}")
        self.optimizer = optimizer
        self.patience, self.threshold = int(patience), float(threshold)
        self.factor, self.min_lr = float(factor), float(min_lr)
        self.window_sum, self.window_count, self.previous_mean = 0.0, 0, None

    def step(self, measure):
        """Record one value of the measure (a number or a one-element Tensor); returns True when
        this call lowered the learning rate."""
        value = float(measure.item() if hasattr(measure, "item") else measure)
        if not math.isfinite(value):
            raise ValueError(f"the measure passed to HalveOnPlateau.step is {value}; it must be finite")
        self.window_sum += value
        self.window_count += 1
        if self.window_count < self.patience:
            return False
        mean = self.window_sum / self.window_count
        stalled = self.previous_mean is not None and mean > self.previous_mean * (1 - self.threshold)
        if stalled:
            for group in self.optimizer.param_groups:
                group["lr"] = max(group["lr"] * self.factor, self.min_lr)
        self.window_sum, self.window_count, self.previous_mean = 0.0, 0, mean
        return stalled

    def get_last_lr(self):
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        return {"window_sum": self.window_sum, "window_count": self.window_count,
                "previous_mean": self.previous_mean}

    def load_state_dict(self, state):
        self.window_sum = float(state["window_sum"])
        self.window_count = int(state["window_count"])
        previous = state["previous_mean"]
        self.previous_mean = None if previous is None else float(previous)
