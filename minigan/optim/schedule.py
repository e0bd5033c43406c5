"""Learning-rate schedules: they rewrite `group["lr"]` of an optimizer's parameter groups.

    StepLR(opt, step_size, gamma)     η_e = η_0 · γ^⌊e / step_size⌋   (e: calls to step(), e.g. epochs)
    ExponentialLR(opt, gamma)         η_e = η_0 · γ^e
    LinearLR(opt, start_factor, end_factor, total_iters)
                                      η_e = η_0 · (s + (f − s) · min(e, T) / T)   (WGAN-GP's decay to 0)
    HalveOnPlateau(opt, patience, threshold, factor=0.5, min_lr=0)
                                      BEGAN's rule: halve η when the convergence measure M_global stalls

Each has step(...), state_dict() and load_state_dict(), so a resumed run continues the schedule.
"""
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
    """η_e = η_0 · factor(e) for every group; e counts the calls to step()."""

    def __init__(self, optimizer):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        self.base_lrs = [group["lr"] for group in optimizer.param_groups]
        self.last_epoch = 0

    def step(self):
        self.last_epoch += 1
        for group, base_lr in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = base_lr * self.factor(self.last_epoch)

    def get_last_lr(self):
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        return {"base_lrs": list(self.base_lrs), "last_epoch": self.last_epoch}

    def load_state_dict(self, state):
        if len(state["base_lrs"]) != len(self.base_lrs):
            raise ValueError(f"the schedule state has {len(state['base_lrs'])} learning rates, "
                             f"the optimizer {len(self.base_lrs)} parameter groups")
        self.base_lrs = [float(lr) for lr in state["base_lrs"]]
        self.last_epoch = int(state["last_epoch"])


class StepLR(_ClosedFormSchedule):
    """η_e = η_0 · γ^⌊e / step_size⌋: multiply the rate by γ every `step_size` calls to step()
    (BEGAN-tensorflow halves it every 100 000 steps: StepLR(opt, 100_000, 0.5))."""

    def __init__(self, optimizer, step_size, gamma=0.1):
        if not isinstance(step_size, numbers.Integral) or step_size < 1:
            raise ValueError(f"step_size must be an integer >= 1, got step_size={step_size!r}")
        _check_positive("gamma", gamma)
        super().__init__(optimizer)
        self.step_size, self.gamma = int(step_size), float(gamma)

    def factor(self, epoch):
        return self.gamma ** (epoch // self.step_size)


class ExponentialLR(_ClosedFormSchedule):
    """η_e = η_0 · γ^e: multiply the rate by γ at every call to step()."""

    def __init__(self, optimizer, gamma):
        _check_positive("gamma", gamma)
        super().__init__(optimizer)
        self.gamma = float(gamma)

    def factor(self, epoch):
        return self.gamma ** epoch


class LinearLR(_ClosedFormSchedule):
    """η_e = η_0 · (s + (f − s) · min(e, T) / T), s = start_factor, f = end_factor, T = total_iters
    (PyTorch's LinearLR). With s = 1, f = 0 and T the run's generator iterations it is the WGAN-GP
    reference code's decay η_t = η_0 · (1 − t/T)."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        if not (0 < start_factor <= 1 and 0 <= end_factor <= 1):
            raise ValueError(f"start_factor must lie in (0, 1] and end_factor in [0, 1], got "
                             f"start_factor={start_factor!r}, end_factor={end_factor!r}")
        if not isinstance(total_iters, numbers.Integral) or total_iters < 1:
            raise ValueError(f"total_iters must be an integer >= 1, got total_iters={total_iters!r}")
        super().__init__(optimizer)
        self.start_factor, self.end_factor, self.total_iters = float(start_factor), float(end_factor), int(total_iters)
        for group, base_lr in zip(optimizer.param_groups, self.base_lrs):
            group["lr"] = base_lr * self.factor(0)

    def factor(self, epoch):
        return self.start_factor + (self.end_factor - self.start_factor) * min(epoch, self.total_iters) / self.total_iters


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
        self.patience, self.threshold, self.factor, self.min_lr = int(patience), float(threshold), float(factor), float(min_lr)
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
