"""Strategies and helpers shared by the tests."""
import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigan
from minigan import nn

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
broadcastable_pairs = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=3)


def leaf(shape, low=-2.0, high=2.0, seed=0, away_from_zero=0.0):
    """A float64 leaf tensor of `shape` with values in [low, high], optionally |x| ≥ away_from_zero
    (to keep central differences off the kinks of abs, relu, ...)."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(low, high, size=shape)
    if away_from_zero:
        values = np.sign(values + (values == 0)) * np.maximum(np.abs(values), away_from_zero)
    return minigan.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


seeds = st.integers(0, 2**16)


class Shift(nn.Module):
    """G(z) = z + θ: the generator of the optimism paper's toy (∂/∂θ of anything is easy)."""

    def __init__(self, theta):
        super().__init__()
        self.theta = nn.Parameter(np.array(theta, dtype=np.float64))   # a copy: the optimizer updates it in place

    def forward(self, z):
        return z + self.theta


def host(x):
    """The values of a Tensor or array as a NumPy array, on either backend (a copy from the GPU for CuPy)."""
    return x.numpy() if isinstance(x, minigan.Tensor) else minigan.backend.to_numpy(x)


def on_default_backend(values):
    """Host values as an array on the default backend, e.g. for ``param.data = on_default_backend(...)``."""
    return minigan.backend.to_default(np.asarray(values))


requires_numpy_backend = pytest.mark.skipif(
    minigan.backend.current() != "numpy", reason="checks NumPy-only behaviour; runs with the numpy backend")
