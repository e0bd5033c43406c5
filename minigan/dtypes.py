"""The dtype rules: float32 by default, and how Python values and arrays become arrays."""
import numpy as np

from minigan import backend

_DEFAULT_DTYPE = {"dtype": np.dtype(np.float32)}


def get_default_dtype():
    return _DEFAULT_DTYPE["dtype"]


def set_default_dtype(dtype):
    """The floating dtype of tensors made from Python numbers and lists (float32 unless changed)."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"the default dtype must be a floating type, got {dtype}")
    _DEFAULT_DTYPE["dtype"] = dtype


def as_array(data, dtype=None, like=None):
    """An array for `data` with PyTorch's dtype rule: arrays keep their dtype, Python floats and
    lists of them become the default float dtype, Python ints and bools stay integral/boolean.
    Given `like` (an array), host data (Python numbers and lists, NumPy arrays) goes to its backend.
    Without it, arrays stay where they are, a NumPy scalar (what a NumPy reduction such as
    ``x.sum()`` returns) is a NumPy value and becomes a 0-d NumPy array, and Python numbers and lists
    go to the default backend."""
    if isinstance(data, np.ndarray) or backend.is_cupy_array(data):
        if like is not None and type(data) is np.ndarray and backend.is_cupy_array(like):
            data = backend.get_array_module(like).asarray(data)
        return data if dtype is None or data.dtype == dtype else data.astype(dtype)
    array = np.asarray(data)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    elif array.dtype.kind == "f" and not isinstance(data, np.generic):
        array = array.astype(get_default_dtype())
    if like is not None:
        xp = backend.get_array_module(like)
    else:
        xp = np if isinstance(data, np.generic) else backend.module()
    return array if xp is np else xp.asarray(array)


def reduced_count(shape, axis):
    """How many elements a reduction over `axis` (None: all) sums together."""
    if axis is None:
        return int(np.prod(shape, dtype=np.int64))
    axes = (axis,) if isinstance(axis, int) else axis
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))
