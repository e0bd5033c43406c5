"""The batch of unfold and fold split over threads: the same numbers as on one thread, every image
covered once, the work really on other threads, and clear errors for a bad thread count."""
import threading

import numpy as np
import pytest

import minigan
from minigan import functional as F
from minigan.ops import threads
from minigan.ops.conv import fold_array, unfold_array


@pytest.fixture(autouse=True)
def _one_thread_after():
    yield
    threads.set_num_threads(1)


def test_over_batch_covers_the_batch_once_on_several_threads(monkeypatch):
    monkeypatch.setattr(threads, "MIN_WORK_PER_THREAD", 1)
    threads.set_num_threads(3)
    seen, idents = [], set()
    together = threading.Barrier(3, timeout=10)          # passes only if three threads run at once

    def record(lo, hi):
        seen.append((lo, hi))
        idents.add(threading.get_ident())
        together.wait()

    threads.over_batch(record, 10, work=10_000)
    assert sorted(seen) == [(0, 3), (3, 6), (6, 10)]
    assert len(idents) == 3 and threading.get_ident() in idents
    seen.clear()
    threads.over_batch(lambda lo, hi: seen.append((lo, hi)), 2, work=10_000)   # never more parts than images
    assert sorted(seen) == [(0, 1), (1, 2)]


def test_small_work_stays_on_the_callers_thread():
    threads.set_num_threads(4)
    calls = []
    threads.over_batch(lambda lo, hi: calls.append((lo, hi, threading.get_ident())), 64, work=1000)
    assert calls == [(0, 64, threading.get_ident())]


@pytest.mark.parametrize("geometry", [((3, 3), (1, 1), (1, 1)), ((4, 4), (2, 2), (1, 1)), ((2, 3), (1, 2), (0, 1))])
def test_unfold_and_fold_give_the_same_numbers_on_three_threads(monkeypatch, geometry):
    kernel, stride, padding = geometry
    x = np.random.default_rng(0).standard_normal((7, 5, 9, 8)).astype(np.float32)
    one = unfold_array(x, kernel, stride, padding)
    back_one = fold_array(one, x.shape, kernel, stride, padding)
    monkeypatch.setattr(threads, "MIN_WORK_PER_THREAD", 1)
    threads.set_num_threads(3)
    three = unfold_array(x, kernel, stride, padding)
    np.testing.assert_array_equal(three, one)
    np.testing.assert_array_equal(fold_array(three, x.shape, kernel, stride, padding), back_one)


@pytest.mark.skipif(minigan.backend.current() != "numpy",
                    reason="the batch is split over threads on NumPy only; on CuPy there is nothing to compare")
def test_a_convolution_step_is_the_same_on_two_threads(monkeypatch):
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((6, 3, 10, 10)), rng.standard_normal((4, 3, 4, 4))

    def gradients():
        xt, wt = minigan.tensor(x, requires_grad=True), minigan.tensor(w, requires_grad=True)
        F.conv_transpose2d(F.conv2d(xt, wt, stride=2, padding=1), wt, stride=2, padding=1).tanh().sum().backward()
        return xt.grad.numpy(), wt.grad.numpy()

    expected = gradients()
    monkeypatch.setattr(threads, "MIN_WORK_PER_THREAD", 1)
    threads.set_num_threads(2)
    for got, want in zip(gradients(), expected):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_a_bad_thread_count_is_refused(bad):
    with pytest.raises(ValueError, match="number of threads must be an int >= 1"):
        threads.set_num_threads(bad)
    assert threads.get_num_threads() == 1


# ------------------------------------------------------------------------ --threads auto, measured
def test_fastest_num_threads_picks_the_fastest_by_measurement(monkeypatch):
    """A step that is slow on one thread and fast on two gets two; the other way round, one; within
    the margin, one; the count is restored."""
    import time

    monkeypatch.setattr(threads, "AUTO_MIN_STEP_SECONDS", 0.0)   # sleeping costs no CPU time
    def step_taking(seconds_on):
        calls = []

        def step():
            n = threads.get_num_threads()
            calls.append(n)
            time.sleep(seconds_on[n])
        return step, calls

    threads.set_num_threads(1)
    step, calls = step_taking({1: 0.05, 2: 0.025})
    assert threads.fastest_num_threads(step, candidates=[1, 2]) == 2
    assert set(calls) == {1, 2} and threads.get_num_threads() == 1
    step, _ = step_taking({1: 0.025, 2: 0.05})
    assert threads.fastest_num_threads(step, candidates=[1, 2]) == 1
    step, _ = step_taking({1: 0.0250, 2: 0.0245})          # within the 5% margin: the fewer threads
    assert threads.fastest_num_threads(step, candidates=[1, 2]) == 1
    assert threads.fastest_num_threads(step, candidates=[1]) == 1
    monkeypatch.setattr(threads, "usable_cores", lambda: 1)
    assert threads.fastest_num_threads(lambda: None) == 1


def test_a_light_step_is_not_measured_beyond_one_thread():
    """A step under AUTO_MIN_STEP_SECONDS of CPU time stays on one thread however slow the wall
    clock (here: it sleeps, as a step on a busy machine waits)."""
    import time

    calls = []

    def step():
        calls.append(threads.get_num_threads())
        time.sleep(0.03)
    assert threads.fastest_num_threads(step, candidates=[1, 2]) == 1 and set(calls) == {1}


def test_fastest_num_threads_sets_blas_threads_too(monkeypatch):
    from threadpoolctl import threadpool_info

    seen = []

    def step():
        blas = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
        seen.append((threads.get_num_threads(), max(blas)))
        time.sleep(0.021)

    import time
    monkeypatch.setattr(threads, "AUTO_MIN_STEP_SECONDS", 0.0)
    threads.fastest_num_threads(step, candidates=[1, 2], rounds=1)
    assert (1, 1) in seen and (2, 2) in seen
