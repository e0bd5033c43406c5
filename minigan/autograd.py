"""Reverse-mode automatic differentiation: Tensor, Function, backward and grad.

A Tensor wraps an array (``.data``, NumPy or CuPy) and remembers the Function that made it. Calling
``loss.backward()`` walks the graph from ``loss`` back to the leaves in reverse topological order and
applies the chain rule at every node:

    ∂loss/∂input = Σ over uses  (∂loss/∂output) · (∂output/∂input)

Each Function's ``backward`` is written with minigan operations itself, so with
``create_graph=True`` the backward pass builds a graph of its own and gradients of gradients work
(WGAN-GP's penalty ‖∇ₓ f(x̂)‖ needs them). Without it, the backward pass runs under ``no_grad`` and
builds nothing.
"""
import weakref

import numpy as np

from minigan import backend
from minigan.backprop import backpropagate
from minigan.dtypes import as_array, get_default_dtype, reduced_count, set_default_dtype  # noqa: F401
from minigan.grad_mode import enable_grad, in_backward, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401


def _as_array(data, dtype=None, like=None):
    """`dtypes.as_array`, for a Tensor's values too."""
    return as_array(data.data if isinstance(data, Tensor) else data, dtype, like)


class Tensor:
    """An n-dimensional array with a gradient.

    Attributes: ``data`` (numpy or cupy array), ``grad`` (a Tensor or None), ``requires_grad``,
    ``grad_fn`` (the Function that produced it; None for a leaf) and ``retains_grad`` (a non-leaf
    keeps ``.grad`` after backward).
    """

    __slots__ = ("data", "grad", "requires_grad", "grad_fn", "retains_grad", "__weakref__")
    __array_ufunc__ = None  # numpy defers `array * tensor` to Tensor.__rmul__

    def __init__(self, data, requires_grad=False, dtype=None):
        if dtype is None and type(data) is np.ndarray:
            self.data = data if backend.current() == "numpy" else backend.to_default(data)
        else:
            self.data = backend.to_default(_as_array(data, dtype))
        self.grad = None
        self.grad_fn = None
        self.retains_grad = False
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # ----------------------------------------------------------------- properties
    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    dtype = property(lambda self: self.data.dtype)
    size = property(lambda self: self.data.size)
    is_leaf = property(lambda self: self.grad_fn is None)
    backend = property(lambda self: backend.name_of(self.data))
    T = property(lambda self: self.transpose())

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __repr__(self):
        body = np.array2string(backend.to_numpy(self.data), precision=4, separator=", ", prefix="tensor(")
        extra = "" if self.dtype == get_default_dtype() else f", dtype={self.dtype}"
        if self.backend != "numpy":
            extra += f", backend={self.backend!r}"
        if self.grad_fn is not None:
            extra += f", grad_fn=<{type(self.grad_fn).__name__}Backward>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    def __array__(self, dtype=None, copy=None):
        array = backend.to_numpy(self.data)
        return array if dtype is None else array.astype(dtype)

    def __bool__(self):
        return bool(self.data)

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    __hash__ = object.__hash__

    # ------------------------------------------------------------ grad bookkeeping
    def requires_grad_(self, requires_grad=True):
        if requires_grad and self.data.dtype.kind not in "fc":
            raise TypeError(
                f"only floating tensors can require gradients, but this one has dtype {self.data.dtype} "
                f"and shape {self.shape}; convert it first, e.g. t.astype('float32')")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        self.retains_grad = True
        return self

    def detach(self):
        """The same data, cut from the graph (no copy)."""
        return _wrap(self.data)

    def zero_grad(self):
        self.grad = None

    def numpy(self):
        """The values as a NumPy array (copied from the GPU for the CuPy backend)."""
        return backend.to_numpy(self.data)

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, this one has shape {self.shape}")
        return self.data.item()

    def tolist(self):
        return self.numpy().tolist()

    def astype(self, dtype):
        return _ops.Cast.apply(self, dtype=np.dtype(dtype))

    def float(self):
        return self.astype(np.float32)

    def double(self):
        return self.astype(np.float64)

    def to(self, target):
        """Move to a backend ("numpy" or "cupy") or convert to a dtype; differentiable."""
        if target in ("numpy", "cupy"):
            return self if target == self.backend else _ops.ToBackend.apply(self, target=target)
        return self.astype(target)

    def backward(self, grad=None, retain_graph=None, create_graph=False):
        """Accumulate d self / d leaf into every leaf's ``.grad`` (the chain rule, output to inputs).

        grad: the gradient of some scalar with respect to self; may be omitted when self is a scalar.
        create_graph: record the backward pass, so that the gradients can be differentiated again.
        """
        if not self.requires_grad:
            raise RuntimeError("backward() on a tensor that does not require grad: no input of the "
                               "computation had requires_grad=True (or it ran under no_grad)")
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() without a gradient needs a scalar output, but this tensor has shape "
                    f"{self.shape}; reduce it first (.sum() or .mean()) or pass grad= of shape {self.shape}")
            grad = _wrap(backend.get_array_module(self.data).ones_like(self.data))
        backpropagate([self], [grad], create_graph=create_graph,
                      retain_graph=create_graph if retain_graph is None else retain_graph)

    # --------------------------------------------------------------- arithmetic
    def __add__(self, other): return _ops.Add.apply(self, other)
    def __radd__(self, other): return _ops.Add.apply(other, self)
    def __sub__(self, other): return _ops.Sub.apply(self, other)
    def __rsub__(self, other): return _ops.Sub.apply(other, self)
    def __mul__(self, other): return _ops.Mul.apply(self, other)
    def __rmul__(self, other): return _ops.Mul.apply(other, self)
    def __truediv__(self, other): return _ops.Div.apply(self, other)
    def __rtruediv__(self, other): return _ops.Div.apply(other, self)
    def __neg__(self): return _ops.Neg.apply(self)
    def __pos__(self): return self
    def __matmul__(self, other): return _ops.matmul(self, other)
    def __rmatmul__(self, other): return _ops.matmul(other, self)

    def __pow__(self, exponent):
        if isinstance(exponent, Tensor):  # a ** b = exp(b · log a)
            return (exponent * self.log()).exp()
        return _ops.Pow.apply(self, exponent=exponent)

    def __rpow__(self, base):
        return (self * float(np.log(base))).exp()

    # comparisons: plain boolean tensors, outside the graph
    def _compare(self, other, op):
        if not isinstance(other, Tensor):
            return _wrap(op(self.data, other))
        a, b = (self, other) if type(self.data) is type(other.data) else _to_tensors((self, other))
        return _wrap(op(a.data, b.data))

    def __eq__(self, other): return self._compare(other, lambda a, b: a == b)
    def __ne__(self, other): return self._compare(other, lambda a, b: a != b)
    def __lt__(self, other): return self._compare(other, lambda a, b: a < b)
    def __le__(self, other): return self._compare(other, lambda a, b: a <= b)
    def __gt__(self, other): return self._compare(other, lambda a, b: a > b)
    def __ge__(self, other): return self._compare(other, lambda a, b: a >= b)
    def __invert__(self): return _wrap(~self.data)

    # --------------------------------------------------------------- elementwise
    def exp(self): return _ops.Exp.apply(self)
    def log(self): return _ops.Log.apply(self)
    def sqrt(self): return _ops.Sqrt.apply(self)
    def abs(self): return _ops.Abs.apply(self)
    def sign(self): return _wrap(backend.get_array_module(self.data).sign(self.data))
    def tanh(self): return _ops.Tanh.apply(self)
    def sigmoid(self): return _ops.Sigmoid.apply(self)
    def relu(self): return _ops.ReLU.apply(self)

    def clip(self, lo=None, hi=None):
        """min(max(x, lo), hi); the gradient is 1 inside [lo, hi] and 0 outside."""
        return _ops.Clip.apply(self, lo=lo, hi=hi)

    clamp = clip

    # ---------------------------------------------------------------- reductions
    def sum(self, axis=None, keepdims=False): return _ops.Sum.apply(self, axis=axis, keepdims=keepdims)
    def max(self, axis=None, keepdims=False): return _ops.Max.apply(self, axis=axis, keepdims=keepdims)
    def min(self, axis=None, keepdims=False): return -_ops.Max.apply(-self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        """(1/n) Σ x over the axes, n the number of elements summed."""
        return self.sum(axis=axis, keepdims=keepdims) * (1.0 / max(reduced_count(self.shape, axis), 1))

    def var(self, axis=None, keepdims=False, ddof=0):
        """(1/(n - ddof)) Σ (x - mean x)², NumPy's convention (ddof=0: the biased variance)."""
        centred = self - self.mean(axis=axis, keepdims=True)
        n = reduced_count(self.shape, axis)
        return (centred * centred).sum(axis=axis, keepdims=keepdims) * (1.0 / max(n - ddof, 1))

    def std(self, axis=None, keepdims=False, ddof=0):
        return self.var(axis=axis, keepdims=keepdims, ddof=ddof).sqrt()

    def argmax(self, axis=None): return _wrap(self.data.argmax(axis=axis))
    def argmin(self, axis=None): return _wrap(self.data.argmin(axis=axis))

    # --------------------------------------------------------------------- shape
    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return _ops.Reshape.apply(self, shape=tuple(shape))

    view = reshape

    def flatten(self, start_axis=0):
        """Merge the axes from `start_axis` on into one (PyTorch's flatten(start_dim))."""
        start_axis %= max(self.ndim, 1)
        return self.reshape(*self.shape[:start_axis], -1)

    def transpose(self, *axes):
        """Permute the axes (all of them reversed when none are given), as numpy.transpose."""
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        return _ops.Transpose.apply(self, axes=tuple(axes) if axes else None)

    permute = transpose

    def swapaxes(self, a, b):
        axes = list(range(self.ndim))
        axes[a], axes[b] = axes[b], axes[a]
        return self.transpose(*axes)

    def expand_dims(self, axis):
        return self.reshape(np.expand_dims(np.empty(self.shape, dtype=bool), axis).shape)

    unsqueeze = expand_dims

    def squeeze(self, axis=None):
        return self.reshape(np.squeeze(np.empty(self.shape, dtype=bool), axis).shape)

    def broadcast_to(self, shape):
        return _ops.BroadcastTo.apply(self, shape=tuple(shape))

    def __getitem__(self, index):
        return _ops.GetItem.apply(self, index=_ops.normalize_index(index))


class Function:
    """One differentiable primitive: ``forward`` on raw arrays, ``backward`` with minigan Tensors.

    Subclasses write

        def forward(self, x, ...):  # arrays in, array out; keep what backward needs on self
        def backward(self, grad):   # Tensor in; a Tensor (or None) per input out

    ``self.parents`` are the input Tensors, ``self.output()`` the output Tensor,
    ``self.needs_input_grad[i]`` says whether input i wants a gradient, and ``self.from_backward``
    whether a create_graph backward recorded this node. Broadcasting is undone here,
    once (`unbroadcast`), so each backward reads like its formula.
    """

    @classmethod
    def apply(cls, *inputs, **kwargs):
        fn = cls()
        parents = _to_tensors(inputs)
        out = _wrap(fn.forward(*[p.data for p in parents], **kwargs))
        if is_grad_enabled() and any(p.requires_grad for p in parents):
            fn.parents = parents
            fn.needs_input_grad = tuple(p.requires_grad for p in parents)
            fn.output = weakref.ref(out)
            fn.from_backward = in_backward()
            out.requires_grad = True
            out.grad_fn = fn
        return out

    def input_grads(self, grad):
        """The gradients of the inputs, each unbroadcast to its input's shape (None where not needed)."""
        grads = self.backward(grad)
        if not isinstance(grads, tuple):
            grads = (grads,)
        return tuple(None if g is None else unbroadcast(g, p.shape) for g, p in zip(grads, self.parents))


def _wrap(array):
    """A Tensor around the result of an op, on the backend where it was computed (``Tensor(array)``
    would send NumPy data to the default backend). A NumPy scalar becomes a 0-d NumPy array."""
    t = Tensor.__new__(Tensor)
    t.data = array if type(array) is np.ndarray or backend.is_cupy_array(array) else _as_array(array)
    t.grad, t.grad_fn, t.retains_grad, t.requires_grad = None, None, False, False
    return t


def unbroadcast(grad, shape):
    """Undo numpy broadcasting in a gradient: sum the leading axes that broadcasting added, then
    the axes where the input had size 1, so the result has the input's `shape`."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    if axes:
        grad = grad.sum(axis=axes)
    return grad.reshape(shape) if grad.shape != shape else grad


def _to_tensors(inputs):
    """Tensors for the inputs of an op: constants (numbers, arrays) take the backend and, for Python
    numbers, the floating dtype of the first tensor among the inputs."""
    ref = next((x for x in inputs if isinstance(x, Tensor)), None)
    tensors = []
    for x in inputs:
        if not isinstance(x, Tensor):
            like = ref.data if ref is not None else None
            dtype = None
            if isinstance(x, (bool, int, float)) and ref is not None:
                dtype = (ref.dtype if ref.dtype.kind == "f"
                         else None if isinstance(x, (bool, int)) else get_default_dtype())
            x = _wrap(_as_array(x, dtype=dtype, like=like))
        tensors.append(x)
    if len(tensors) > 1 and not all(type(t.data) is np.ndarray for t in tensors):   # all NumPy: nothing to mix
        tensors = _on_one_backend(tensors)
    return tensors


def _on_one_backend(tensors):
    """The inputs of one op on one backend. 0-d tensors join the backend of the others (moved
    differentiably, as PyTorch lets a 0-dim CPU tensor combine with CUDA tensors; among 0-d tensors
    alone the GPU wins); two tensors with dimensions on different backends are an error."""
    names = [backend.name_of(t.data) for t in tensors]
    if len(set(names)) == 1:
        return tensors
    placed = {n for t, n in zip(tensors, names) if t.ndim > 0}
    if len(placed) > 1:
        where = ", ".join(f"input {i} (shape {t.shape}) on {n}" for i, (t, n) in enumerate(zip(tensors, names)))
        raise TypeError(f"cannot mix NumPy and CuPy tensors in one operation: {where}; "
                        f"move one with t.to('cupy') or t.to('numpy')")
    target = placed.pop() if placed else "cupy"
    return [t if n == target else t.to(target) for t, n in zip(tensors, names)]


def grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None, allow_unused=False):
    """d(outputs)/d(inputs) as a tuple of Tensors (one per input, as torch.autograd.grad), without
    touching any ``.grad``.

    grad_outputs: the cotangents v of the outputs (ones for scalar outputs); the result is vᵀ J.
    create_graph: the returned gradients are themselves differentiable (gradients of gradients).
    allow_unused: an input the outputs do not depend on gets None instead of an error.
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs]
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            raise RuntimeError(f"input {i} (shape {t.shape}) does not require grad")
    cotangents = []
    for out, v in zip(outputs, grad_outputs):
        if v is None:
            if out.data.size != 1:
                raise RuntimeError(f"grad() of an output of shape {out.shape} needs grad_outputs of that shape")
            v = backend.get_array_module(out.data).ones_like(out.data)
        cotangents.append(v if isinstance(v, Tensor) else _wrap(_as_array(v, like=out.data)))
    roots = [o for o in outputs if o.requires_grad]
    root_grads = [v for o, v in zip(outputs, cotangents) if o.requires_grad]
    captured = backpropagate(roots, root_grads, create_graph=create_graph,
                             retain_graph=create_graph if retain_graph is None else retain_graph,
                             wanted={id(t) for t in inputs})
    result = []
    for i, t in enumerate(inputs):
        g = captured.get(id(t))
        if g is None and not allow_unused:
            raise RuntimeError(f"input {i} (shape {t.shape}) was not used to compute the outputs; "
                               "pass allow_unused=True to get None for it")
        result.append(g)
    return tuple(result)


# The one import loop of minigan: Tensor's operators call the ops, and the ops build Tensors.
from minigan import ops as _ops  # noqa: E402
