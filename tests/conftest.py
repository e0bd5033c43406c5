"""Shared test set-up: a fixed seed per test, a headless matplotlib, one BLAS thread per test process
(`pytest -n 2` runs two of them on two cores; more threads oversubscribe the cores and small matrix
products get some 30x slower), and a Hypothesis profile sized for a 2-core CI machine."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import minigan  # noqa: E402

settings.register_profile("minigan", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors])
settings.load_profile("minigan")
threadpool_limits(1)


@pytest.fixture(autouse=True)
def _seed():
    minigan.manual_seed(0)
    yield
