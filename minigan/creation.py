"""Making tensors: from data, filled, ranges, and random draws from minigan's seeded generator.

All randomness in minigan comes from one NumPy generator (``manual_seed`` resets it), drawn on the
host and moved to the backend, so a run is reproducible bit for bit and its state can be saved in a
checkpoint as plain JSON (``get_rng_state`` / ``set_rng_state``).
"""
import contextlib

import numpy as np

from minigan import backend
from minigan.autograd import Tensor, _as_array, get_default_dtype

_rng = {"generator": np.random.default_rng(0)}


def manual_seed(seed):
    """Reset minigan's random generator, so that what follows is reproducible."""
    _rng["generator"] = np.random.default_rng(int(seed))


def generator():
    """The NumPy generator behind every random draw in minigan."""
    return _rng["generator"]


def get_rng_state():
    """The generator's state as a JSON-serialisable dict (for checkpoints)."""
    return _rng["generator"].bit_generator.state


def set_rng_state(state):
    g = np.random.default_rng()
    g.bit_generator.state = state
    _rng["generator"] = g


@contextlib.contextmanager
def fork_rng(seed):
    """Draw from a generator seeded with `seed` inside the block, and give the caller's generator
    back untouched after it (as torch.random.fork_rng): side work such as a figure of samples then
    draws the same numbers every time and does not shift the draws of the run around it."""
    state = get_rng_state()
    manual_seed(seed)
    try:
        yield
    finally:
        set_rng_state(state)


def _shape(shape):
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else tuple(shape)


def tensor(data, dtype=None, requires_grad=False):
    """A new leaf tensor on the default backend (as torch.tensor under torch.set_default_device):
    NumPy arrays and Python data go there, CuPy data stays on the GPU. NumPy arrays
    keep their dtype; Python floats and lists become the default float dtype (float32); Python ints
    stay integers."""
    return Tensor(backend.to_default(_as_array(data, dtype=None if dtype is None else np.dtype(dtype))),
                  requires_grad=requires_grad)


def zeros(*shape, dtype=None, requires_grad=False):
    return Tensor(backend.module().zeros(_shape(shape), dtype=dtype or get_default_dtype()), requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    return Tensor(backend.module().ones(_shape(shape), dtype=dtype or get_default_dtype()), requires_grad)


def full(shape, value, dtype=None, requires_grad=False):
    return Tensor(backend.module().full(_shape((shape,)), value, dtype=dtype or get_default_dtype()), requires_grad)


def zeros_like(t, requires_grad=False):
    xp = backend.get_array_module(t.data)
    return Tensor(xp.zeros_like(t.data), requires_grad)


def ones_like(t, requires_grad=False):
    xp = backend.get_array_module(t.data)
    return Tensor(xp.ones_like(t.data), requires_grad)


def arange(start, stop=None, step=1, dtype=None):
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is None and values.dtype.kind == "f":
        dtype = get_default_dtype()
    return Tensor(backend.to_default(values.astype(dtype) if dtype else values))


def eye(n, m=None, dtype=None):
    return Tensor(backend.module().eye(n, m, dtype=dtype or get_default_dtype()))


def randn(*shape, dtype=None, requires_grad=False):
    """Standard normal draws N(0, 1)."""
    values = generator().standard_normal(_shape(shape), dtype=np.float64).astype(dtype or get_default_dtype())
    return Tensor(backend.to_default(values), requires_grad)


def rand(*shape, dtype=None, requires_grad=False):
    """Uniform draws on [0, 1)."""
    values = generator().random(_shape(shape), dtype=np.float64).astype(dtype or get_default_dtype())
    return Tensor(backend.to_default(values), requires_grad)


def randint(low, high, shape):
    return Tensor(backend.to_default(generator().integers(low, high, size=_shape((shape,)))))
