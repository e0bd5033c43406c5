"""Operations that move values without changing them: reshape, transpose, broadcast, indexing,
concatenation, padding. Their backward passes move the gradient back the same way."""
import numpy as np

from minigan import backend
from minigan.autograd import Function, Tensor


class Reshape(Function):
    """y = x with another shape (same elements in C order);  the gradient is reshaped back."""

    def forward(self, x, shape):
        self.shape = x.shape
        try:
            return x.reshape(shape)
        except ValueError:
            raise ValueError(f"cannot reshape a tensor of shape {x.shape} ({x.size} elements) "
                             f"into shape {shape}") from None

    def backward(self, grad):
        return grad.reshape(self.shape)


class Transpose(Function):
    """y = x with its axes permuted;  the gradient is permuted by the inverse permutation."""

    def forward(self, x, axes=None):
        self.axes = tuple(reversed(range(x.ndim))) if axes is None else tuple(a % x.ndim for a in axes)
        if sorted(self.axes) != list(range(x.ndim)):
            raise ValueError(f"axes {axes} are not a permutation of the {x.ndim} axes of shape {x.shape}")
        return x.transpose(self.axes)

    def backward(self, grad):
        return grad.transpose(*np.argsort(self.axes))


class BroadcastTo(Function):
    """y = x repeated along broadcast axes (a view);  the gradient is summed back (unbroadcast)."""

    def forward(self, x, shape):
        return backend.get_array_module(x).broadcast_to(x, shape)

    def backward(self, grad):
        return grad  # Function.unbroadcast sums it back to x's shape


def normalize_index(index):
    """An index for an array: Tensors inside it become their arrays, lists become arrays."""
    if isinstance(index, tuple):
        return tuple(normalize_index(i) for i in index)
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic(index):
    """True for slices, integers, None and Ellipsis only (no repeated positions possible)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (slice, int, type(None), type(Ellipsis))) for i in parts)


def _index_for(index, xp):
    """Move integer/boolean index arrays onto the array module `xp`."""
    if isinstance(index, tuple):
        return tuple(_index_for(i, xp) for i in index)
    if xp is not np and isinstance(index, np.ndarray):
        return xp.asarray(index)
    return index


class GetItem(Function):
    """y = x[index] (slices, steps, integer arrays with repeats, boolean masks);
    ∂y/∂x scatters the gradient back, adding it up where an element was picked twice."""

    def forward(self, x, index):
        self.shape, self.index = x.shape, _index_for(index, backend.get_array_module(x))
        try:
            return x[self.index]
        except IndexError as e:
            raise IndexError(f"{e} (indexing a tensor of shape {x.shape})") from None

    def backward(self, grad):
        return IndexAdd.apply(grad, index=self.index, shape=self.shape)


class IndexAdd(Function):
    """y = zeros(shape) with y[index] += x;  the adjoint of GetItem, so ∂y/∂x = picking y[index]."""

    def forward(self, x, index, shape):
        self.index = index
        out = backend.get_array_module(x).zeros(shape, dtype=x.dtype)
        if _is_basic(index):
            out[index] = x
        else:
            backend.scatter_add(out, index, x)
        return out

    def backward(self, grad):
        return GetItem.apply(grad, index=self.index)


class Concat(Function):
    """y = [x₁, x₂, ...] joined along `axis`;  each input gets its slice of the gradient."""

    def forward(self, *xs, axis=0):
        self.axis = axis
        self.bounds = np.cumsum([0] + [x.shape[axis] for x in xs])
        return backend.get_array_module(*xs).concatenate(xs, axis=axis)

    def backward(self, grad):
        lead = (slice(None),) * (self.axis % grad.ndim)
        return tuple(grad[lead + (slice(int(a), int(b)),)] for a, b in zip(self.bounds[:-1], self.bounds[1:]))


class Pad(Function):
    """y = x with `pad_width` zeros around it (numpy.pad's widths);  ∂y/∂x crops the padding off."""

    def forward(self, x, pad_width, value=0.0):
        self.crop = tuple(slice(before, before + n) for (before, _), n in zip(pad_width, x.shape))
        return backend.get_array_module(x).pad(x, pad_width, constant_values=value)

    def backward(self, grad):
        return grad[self.crop]


def concat(tensors, axis=0):
    """Join tensors along an existing axis (numpy.concatenate)."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("concat needs at least one tensor")
    shapes = [tuple(t.shape) for t in tensors]
    ndim = len(shapes[0])
    ax = axis % ndim if ndim else 0
    if any(len(s) != ndim or s[:ax] + s[ax + 1:] != shapes[0][:ax] + shapes[0][ax + 1:] for s in shapes):
        raise ValueError(f"concat along axis {axis} needs the same shape on the other axes, got {shapes}")
    return Concat.apply(*tensors, axis=axis)


def stack(tensors, axis=0):
    """Join tensors of one shape along a new axis (numpy.stack)."""
    tensors = list(tensors)
    shapes = {tuple(t.shape) for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack needs tensors of one shape, got {sorted(shapes)}")
    return concat([t.expand_dims(axis) for t in tensors], axis=axis)


def pad(x, pad_width, value=0.0):
    """Pad with a constant; pad_width as numpy.pad: ((before, after), ...) for every axis."""
    pad_width = tuple((int(a), int(b)) for a, b in pad_width)
    if len(pad_width) != x.ndim:
        raise ValueError(f"pad_width has {len(pad_width)} pairs for a tensor of shape {x.shape}")
    return Pad.apply(x, pad_width=pad_width, value=value)


def arange_like(index):
    """0, 1, ..., len(index) - 1 on the array module of `index` (row numbers for fancy indexing)."""
    return backend.get_array_module(index).arange(len(index))
