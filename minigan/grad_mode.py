"""Whether operations record a graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

A thread-local switch that ``Function.apply`` reads. The backward pass turns it on only when asked
for ``create_graph``; while it runs that way, ``in_backward()`` is True, so the nodes it records
can be told from the forward pass's (``Function.from_backward``, drawn by ``minigan.viz.graph``).
"""
import contextlib
import threading

_state = threading.local()


def is_grad_enabled():
    return getattr(_state, "enabled", True)


def in_backward():
    """True while a backward pass with create_graph=True is recording its own graph."""
    return getattr(_state, "in_backward", False)


class set_grad_enabled(contextlib.ContextDecorator):
    """Context manager (and decorator) that switches graph recording on or off."""

    def __init__(self, mode):
        self.mode = bool(mode)

    def __enter__(self):
        self.previous = is_grad_enabled()
        _state.enabled = self.mode

    def __exit__(self, *exc):
        _state.enabled = self.previous
        return False


class no_grad(set_grad_enabled):
    """``with minigan.no_grad():`` or ``@minigan.no_grad()``: operations record no graph."""

    def __init__(self):
        super().__init__(False)


class enable_grad(set_grad_enabled):
    def __init__(self):
        super().__init__(True)


@contextlib.contextmanager
def backward_pass(create_graph):
    """The mode of a backward pass: recording only with create_graph, and marked as backward."""
    previous = in_backward()
    _state.in_backward = bool(create_graph)
    try:
        with set_grad_enabled(create_graph):
            yield
    finally:
        _state.in_backward = previous
