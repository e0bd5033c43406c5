"""Which array module computes: NumPy on the CPU or CuPy on an NVIDIA GPU.

Every operation asks its inputs for their module (`get_array_module`), in the manner of chainer's
``backend.get_array_module``, so one code path serves both. The *default* backend only decides where
new tensors are created (``zeros``, ``randn``, ``tensor(list)``).

    minigan.backend.use("cupy")          # or MINIGAN_BACKEND=cupy in the environment
    x = minigan.randn(3, 4)              # now a CuPy array on the GPU

The rules, PyTorch's under ``torch.set_default_device("cuda")``:

- New tensors go to the default backend: the creation functions (``zeros``, ``randn``, ...),
  ``minigan.tensor(data)``, ``Tensor(data)`` and ``nn.Parameter(data)`` of host data (Python numbers
  and lists, NumPy arrays). CuPy data stays on the GPU; the result of an op stays where it was computed.
- A NumPy scalar (what a NumPy reduction returns) is a NumPy value: it stays on NumPy.
- Python numbers and other constants that are not Tensors (NumPy arrays too) join the backend of the
  op's tensors. A 0-d tensor combines with tensors of either backend (it is moved with ``.to``,
  differentiably, as a 0-dim CPU tensor combines with CUDA tensors); two tensors with dimensions on
  different backends are a TypeError that names both.
- Code that needs host values asks for them: ``t.numpy()``, ``t.item()``, ``to_numpy(array)``; code
  that builds arrays next to a tensor builds them with ``get_array_module(t.data)``.
"""
import os

import numpy as np

_state = {"name": "numpy", "cupy": None}
INSTALL_HINT = "install it with `pip install minigan[gpu]` (CuPy for CUDA 12) on a machine with an NVIDIA GPU"


def _import_cupy():
    """Import CuPy and check that it sees a GPU; raise a RuntimeError that says what to do if not."""
    if _state["cupy"] is not None:
        return _state["cupy"]
    try:
        import cupy
    except ImportError as e:
        raise RuntimeError(f"the 'cupy' backend needs CuPy, which is not importable ({e}); {INSTALL_HINT}") from None
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as e:  # CUDA driver missing, no device, ...
        raise RuntimeError(f"CuPy is installed but sees no GPU ({e}); use the 'numpy' backend here") from None
    if n == 0:
        raise RuntimeError("CuPy is installed but sees no GPU; use the 'numpy' backend here")
    _state["cupy"] = cupy
    return cupy


def use(name):
    """Select the backend on which new tensors are created: "numpy" or "cupy"."""
    if name not in ("numpy", "cupy"):
        raise ValueError(f"unknown backend {name!r}: choose 'numpy' or 'cupy'")
    if name == "cupy":
        _import_cupy()
    _state["name"] = name


def current():
    """The name of the default backend ("numpy" or "cupy")."""
    return _state["name"]


def module(name=None):
    """The array module (numpy or cupy) of a backend name, the default one when name is None."""
    name = name or _state["name"]
    if name == "numpy":
        return np
    if name == "cupy":
        return _import_cupy()
    raise ValueError(f"unknown backend {name!r}: choose 'numpy' or 'cupy'")


def is_cupy_array(array):
    kind = type(array)
    return kind is not np.ndarray and kind.__module__.startswith("cupy")   # the NumPy case first: the common one


def get_array_module(*arrays):
    """numpy or cupy, from the arrays themselves (non-arrays such as Python numbers are ignored)."""
    for a in arrays:
        if is_cupy_array(a):
            return _state["cupy"] or _import_cupy()
    return np


def name_of(array):
    return "cupy" if is_cupy_array(array) else "numpy"


def to_numpy(array):
    """A NumPy array holding the same values (a copy from the GPU for CuPy arrays)."""
    return array.get() if is_cupy_array(array) else np.asarray(array)


def to_default(array):
    """`array` on the default backend: a NumPy array is copied to the GPU when the default is CuPy;
    a CuPy array stays on the GPU (host data moves to the default device, device data is not pulled back)."""
    if type(array) is not np.ndarray or _state["name"] == "numpy":
        return array
    return module().asarray(array)


def scatter_add(target, index, values):
    """target[index] += values, adding repeated indices as many times as they occur (np.add.at)."""
    if is_cupy_array(target):
        add_at = getattr(_import_cupy().add, "at", None)   # CuPy ≥ 13; cupyx.scatter_add is deprecated there
        if add_at is not None:
            add_at(target, index, values)
        else:
            import cupyx

            cupyx.scatter_add(target, index, values)
    else:
        np.add.at(target, index, values)


def as_strided(array, shape, strides):
    """A strided view of `array` (no copy) on either backend."""
    xp = get_array_module(array)
    if xp is np:
        return np.lib.stride_tricks.as_strided(array, shape=shape, strides=strides, writeable=False)
    return xp.lib.stride_tricks.as_strided(array, shape=shape, strides=strides)


if os.environ.get("MINIGAN_BACKEND"):
    use(os.environ["MINIGAN_BACKEND"])
