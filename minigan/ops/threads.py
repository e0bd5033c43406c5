"""The threads that the copies and sums of a convolution split its batch over (`set_num_threads`,
as torch.set_num_threads).

NumPy releases the GIL while it copies and adds arrays, so im2col's copy (unfold) and col2im's sums
(fold) run at once on n threads when each thread takes its own images of the batch. The matrix
products get their threads from BLAS instead (threadpoolctl's limit; the command line's --threads
sets both). With one thread (the default) everything runs in the caller's thread, as before.
"""
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
