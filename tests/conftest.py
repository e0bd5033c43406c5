"""Shared test set-up: a fixed seed per test, a headless matplotlib, and a Hypothesis profile sized for
a 2-core CI machine."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

import minigan  # noqa: E402

settings.register_profile("minigan", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors])
settings.load_profile("minigan")


@pytest.fixture(autouse=True)
def _seed():
    minigan.manual_seed(0)
    yield
