"""The base of every optimizer: parameter groups, per-parameter state, zero_grad, state_dict.

An optimizer holds `param_groups`, a list of dicts, each with its own hyperparameters ("lr", ...) and
its "params" (a list of Tensors with requires_grad), as PyTorch's do; `state[id(p)]` holds what the
update of parameter p remembers between steps (moments, the previous gradient, the step count t),
as arrays on p's own backend (NumPy or CuPy).

A subclass writes `update(p, g, state, group)`: the slide's formula for one parameter, with g the
gradient already turned into a descent direction (g = −∇ when maximize=True: the slides' ascent
w ← w + η∇w is descent on −∇w). `step()` calls it for every parameter that has a gradient and
updates `p.data` in place; parameters whose `.grad` is None are skipped.
"""
import numbers

import numpy as np

from minigan import backend
from minigan.autograd import Tensor


def check_lr(lr):
    if not isinstance(lr, numbers.Real) or not lr >= 0:
        raise ValueError(f"the learning rate must be a number >= 0, got lr={lr!r}")


def check_betas(betas):
    if len(betas) != 2 or not all(isinstance(b, numbers.Real) and 0.0 <= b < 1.0 for b in betas):
        raise ValueError(f"betas must be two numbers in [0, 1), got betas={tuple(betas)!r}")


def check_unit(name, value):
    """A decay rate such as RMSProp's alpha or SGD's momentum: a number in [0, 1)."""
    if not isinstance(value, numbers.Real) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {name}={value!r}")


def check_nonnegative(name, value):
    if not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {name}={value!r}")


def _as_python(value):
    """Hyperparameters as Python numbers (a NumPy float64 scalar would upcast float32 arrays)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (tuple, list)):
        return tuple(_as_python(v) for v in value)
    return value


class Optimizer:
    """Base class. `params`: an iterable of Tensors (requires_grad=True), or of dicts
    {"params": [...], "lr": ..., ...} whose keys override the optimizer's defaults for that group."""

    def __init__(self, params, defaults):
        self.defaults = {k: _as_python(v) for k, v in defaults.items()}
        self.validate(self.defaults)
        self.param_groups = []
        self.state = {}
        if isinstance(params, Tensor):
            raise TypeError("params must be an iterable of Tensors (e.g. model.parameters() or [w, b]), "
                            "got a single Tensor: wrap it in a list")
        groups = list(params)
        if not groups:
            raise ValueError("the optimizer got an empty list of parameters: pass model.parameters() or [w, ...]")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------------ groups
    def validate(self, group):
        """Raise a ValueError naming a bad hyperparameter; subclasses check their own."""
        check_lr(group["lr"])

    def add_param_group(self, group):
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"a parameter group is a dict with a 'params' key, got {type(group).__name__}")
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"parameter {i} of the group is a {type(p).__name__}, not a minigan Tensor")
            if not p.requires_grad:
                raise ValueError(f"parameter {i} (shape {p.shape}) does not require grad: create it with "
                                 "requires_grad=True (nn.Parameter does) or leave it out")
            if id(p) in seen:
                raise ValueError(f"parameter {i} (shape {p.shape}) appears in more than one place; "
                                 "give each parameter to one group only")
            seen.add(id(p))
        unknown = set(group) - set(self.defaults) - {"params"}
        if unknown:
            raise TypeError(f"unknown hyperparameters {sorted(unknown)} for {type(self).__name__}; "
                            f"it takes {sorted(self.defaults)}")
        full = dict(self.defaults)
        full.update({k: _as_python(v) for k, v in group.items() if k != "params"})
        self.validate(full)
        full["params"] = params
        self.param_groups.append(full)

    # ------------------------------------------------------------------ stepping
    def zero_grad(self):
        """Forget the gradients (p.grad = None), so that the next backward starts from zero."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def step(self):
        """One update of every parameter that has a gradient (the formula is in `update`)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.data
                if g.shape != p.data.shape:
                    raise ValueError(f"the gradient of a parameter of shape {p.data.shape} has shape {g.shape}")
                if backend.name_of(g) != backend.name_of(p.data):
                    raise TypeError(f"a parameter lives on {backend.name_of(p.data)} but its gradient on "
                                    f"{backend.name_of(g)}: move both with .to(...)")
                g = -g if group.get("maximize", False) else g
                state = self.state.setdefault(id(p), {})
                self.update(p, g, state, group)

    def update(self, p, g, state, group):
        """The formula for one parameter; every optimizer defines it."""
        raise TypeError(f"{type(self).__name__} must define update(p, g, state, group)")

    # ------------------------------------------------------------------ checkpoints
    def _indexed_params(self):
        return [p for group in self.param_groups for p in group["params"]]

    def state_dict(self):
        """{"state": {index: {name: array or number}}, "param_groups": [{hyperparameters, "params":
        [indices]}]}, the indices counting the parameters across groups in order (PyTorch's layout).
        Arrays are copies, so later steps do not change a saved state."""
        state, groups, index = {}, [], 0
        for group in self.param_groups:
            indices = []
            for p in group["params"]:
                if id(p) in self.state:
                    state[index] = {k: (v.copy() if hasattr(v, "shape") else v) for k, v in self.state[id(p)].items()}
                indices.append(index)
                index += 1
            groups.append({**{k: (list(v) if isinstance(v, tuple) else v) for k, v in group.items() if k != "params"},
                           "params": indices})
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore what `state_dict()` returned (also after minigan.save/load: string keys, lists,
        NumPy arrays for CuPy parameters). Checks the group and parameter counts and every shape."""
        params = self._indexed_params()
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"the state has {len(groups)} parameter groups, this optimizer {len(self.param_groups)}")
        for i, (saved, mine) in enumerate(zip(groups, self.param_groups)):
            if len(saved["params"]) != len(mine["params"]):
                raise ValueError(f"group {i}: the state has {len(saved['params'])} parameters, "
                                 f"this optimizer {len(mine['params'])}; build it on the same model")
        new_state = {}
        for key, entry in state_dict["state"].items():
            index = int(key)
            if not 0 <= index < len(params):
                raise ValueError(f"the state names parameter {index}, but this optimizer has {len(params)}")
            p = params[index]
            new_state[id(p)] = {name: self._restore(value, p, index, name) for name, value in entry.items()}
        for saved, mine in zip(groups, self.param_groups):
            hyper = {k: _as_python(v) for k, v in saved.items() if k != "params"}
            self.validate({**mine, **hyper})
            mine.update(hyper)
        self.state = new_state

    @staticmethod
    def _restore(value, p, index, name):
        """A saved state entry back on p's backend and dtype: counts (t) as ints, moments as arrays."""
        if isinstance(value, Tensor):
            value = value.data
        if isinstance(value, numbers.Number):
            return value
        if value.dtype.kind in "iub" and value.shape == ():
            return int(value)
        if value.shape != p.data.shape:
            raise ValueError(f"state {name!r} of parameter {index} has shape {value.shape}, "
                             f"but the parameter has shape {p.data.shape}; load it into the same model")
        xp = backend.get_array_module(p.data)
        array = backend.to_numpy(value) if xp is np else xp.asarray(value)
        return array.astype(p.data.dtype, copy=True)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            hyper = ", ".join(f"{k}={v}" for k, v in group.items() if k != "params")
            lines.append(f"  group {i}: {len(group['params'])} parameters, {hyper}")
        return "\n".join(lines + [")"])
