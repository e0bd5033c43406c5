"""The threads that the copies and sums of a convolution split its batch over (`set_num_threads`,
as torch.set_num_threads).

NumPy releases the GIL while it copies and adds arrays, so im2col's copy (unfold) and col2im's sums
(fold) run at once on n threads when each thread takes its own images of the batch. The matrix
products get their threads from BLAS instead (threadpoolctl's limit; the command line's --threads
sets both). With one thread (the default) everything runs in the caller's thread, as before.

How many threads pay depends on the model and on what else the machine runs, so
`fastest_num_threads(step)` measures it (`python -m minigan train ... --threads auto`).
"""
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

MIN_WORK_PER_THREAD = 1 << 17   # elements: below this a hand-off to another thread costs more than it saves

_state = {"threads": 1, "pool": None}


def set_num_threads(n):
    """Split the batch of unfold and fold over `n` threads (the caller's and n - 1 others)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"the number of threads must be an int >= 1, got {n!r}")
    if n == _state["threads"]:
        return
    if _state["pool"] is not None:
        _state["pool"].shutdown(wait=True)
    _state["threads"] = n
    _state["pool"] = ThreadPoolExecutor(n - 1, thread_name_prefix="minigan") if n > 1 else None


def get_num_threads():
    return _state["threads"]


def over_batch(fn, batch, work):
    """fn(lo, hi) for consecutive parts [lo, hi) of range(batch) that together cover it, on up to
    get_num_threads() threads (the caller's thread does the first part), when `work` (the number of
    elements the whole call touches) is large enough to pay for the hand-off; returns when all are done.
    The parts must write to disjoint parts of their output."""
    parts = min(_state["threads"], batch, max(1, work // MIN_WORK_PER_THREAD))
    if parts == 1:
        fn(0, batch)
        return
    bounds = [batch * i // parts for i in range(parts + 1)]
    others = [_state["pool"].submit(fn, lo, hi) for lo, hi in zip(bounds[1:-1], bounds[2:])]
    fn(bounds[0], bounds[1])
    for future in others:
        future.result()


AUTO_MIN_STEP_SECONDS = 0.05   # CPU seconds: a step lighter than this stays on one thread (hand-offs eat the gain)
AUTO_MARGIN = 0.05             # more threads must be this much faster to be chosen


def usable_cores():
    """The cores this process may run on (its affinity mask; os.cpu_count() where that is unknown)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def fastest_num_threads(step, candidates=None, rounds=3):
    """The number of threads (BLAS's and the batch split's, as --threads sets both) on which `step()`
    runs fastest, measured: one warm-up call on each candidate (1, 2, 4, ... up to the usable cores),
    then `rounds` rounds that time one call on each candidate in turn, so that all see the same load
    from other programs; the smallest median wins, and more threads only when they are at least
    AUTO_MARGIN (5%) faster than fewer. A step that costs under AUTO_MIN_STEP_SECONDS of CPU time on
    one thread (CPU time, which other programs on the machine hardly change, unlike the wall clock) is
    not measured further: the first candidate (1), so small models train the same to the last bit on
    any machine. The thread count is left as it was found."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    if candidates is None:
        candidates = [n for n in (1, 2, 4, 8, 16, 32, 64) if n <= usable_cores()]
    before = get_num_threads()

    def seconds(n):
        set_num_threads(n)
        with threadpool_limits(n):
            start = time.perf_counter()
            step()
            return time.perf_counter() - start

    try:
        if len(candidates) == 1:
            return candidates[0]
        seconds(candidates[0])                                       # warm-up (first calls allocate)
        cpu = time.process_time()
        seconds(candidates[0])
        if time.process_time() - cpu < AUTO_MIN_STEP_SECONDS:
            return candidates[0]
        for n in candidates[1:]:
            seconds(n)                                               # warm-up: BLAS buffers, the pool
        times = {n: [] for n in candidates}
        for _ in range(rounds):
            for n in candidates:
                times[n].append(seconds(n))
        best = candidates[0]
        for n in candidates[1:]:
            if statistics.median(times[n]) < (1 - AUTO_MARGIN) * statistics.median(times[best]):
                best = n
        return best
    finally:
        set_num_threads(before)
