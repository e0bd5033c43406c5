"""What a training step holds at once: the optimizers update their state in place with a single
temporary array the size of the parameter (tracemalloc sees every NumPy allocation), so that the
peak of a GAN step is its activations and gradients, not copies of the moments."""
import tracemalloc

import numpy as np
import pytest
from helpers import requires_numpy_backend

import minigan
from minigan import nn, optim

OPTIMIZERS = {
    "adam": lambda ps: optim.Adam(ps, lr=1e-3),
    "optimistic_adam": lambda ps: optim.OptimisticAdam(ps, lr=1e-3),
    "rmsprop": lambda ps: optim.RMSProp(ps, lr=1e-3),
}


def peak_bytes_of(fn):
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


@requires_numpy_backend   # tracemalloc sees host memory only: on the GPU the check would pass vacuously
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_an_optimizer_step_makes_one_temporary_array(name):
    p = nn.Parameter(np.zeros((500, 400), dtype=np.float32))
    opt = OPTIMIZERS[name]([p])
    p.grad = minigan.tensor(np.random.default_rng(0).standard_normal(p.shape).astype(np.float32))
    opt.step()                                   # the state exists from here on
    extra = 1.0 if name == "optimistic_adam" else 0.0   # it keeps this step's direction for the next
    peak = peak_bytes_of(opt.step)
    assert peak < (1.25 + extra) * p.data.nbytes, f"{name}: {peak / p.data.nbytes:.2f} parameter sizes at once"


def test_adam_in_place_matches_the_formula():
    """m̂ / (√v̂ + ε) with the bias corrections on scalars: the slide's numbers, two steps in float64."""
    rng = np.random.default_rng(1)
    g1, g2 = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    p = nn.Parameter(np.zeros((3, 4)))
    opt = optim.Adam([p], lr=0.1, betas=(0.9, 0.99), eps=1e-3)
    theta, m, v = np.zeros((3, 4)), 0.0, 0.0
    for t, g in enumerate((g1, g2), start=1):
        p.grad = minigan.tensor(g)
        opt.step()
        m, v = 0.9 * m + 0.1 * g, 0.99 * v + 0.01 * g * g
        theta = theta - 0.1 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.99 ** t)) + 1e-3)
        np.testing.assert_allclose(p.numpy(), theta, rtol=1e-13, atol=1e-15)
