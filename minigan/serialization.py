"""Saving and loading without pickle: arrays in an ``.npz``, everything else in a JSON header.

    minigan.save({"generator": G.state_dict(), "opt_g": opt_g.state_dict(), "step": 100,
                  "rng": minigan.get_rng_state()}, "checkpoint.npz")
    checkpoint = minigan.load("checkpoint.npz")

The object is a nest of dicts (keys: str, int, float, bool or None), lists and tuples whose leaves
are Tensors, NumPy/CuPy arrays, NumPy scalars, or plain numbers, strings, booleans and None. The
header records the nesting (every dict key with its type, so an optimizer's int keys come back as
ints), the minigan version, the backend and the default dtype. Reading uses
``numpy.load(allow_pickle=False)``: a checkpoint can never run code. Writing goes to a temporary file
in the same folder that is then renamed over the target (``os.replace``), so a crash mid-save leaves
the previous file intact.
"""
import json
import numbers
import os
import tempfile
import zipfile

import numpy as np

from minigan import backend
from minigan.autograd import Tensor, get_default_dtype

FORMAT = "minigan-checkpoint"
HEADER_KEY = "__minigan_header__"
_KEY_TYPES = (str, int, float, bool, type(None))


def _version():
    import minigan

    return minigan.__version__


def _store(array, arrays):
    """Put an array among the npz entries and return its name (a0, a1, ...)."""
    array = backend.to_numpy(array)
    if array.dtype.hasobject:
        raise TypeError(f"cannot save an array of dtype object (shape {array.shape}); object arrays would "
                        f"need pickle; convert it to a numeric array first")
    name = f"a{len(arrays)}"
    arrays[name] = array
    return name


def _encode(obj, arrays, path):
    """The JSON node of `obj`; arrays go into `arrays`. Plain JSON values stand for themselves; every
    JSON object is a tagged node: {"dict": [[key, value], ...]}, {"tuple": [...]}, {"tensor": name},
    {"array": name}, {"scalar": name}."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, Tensor):
        return {"tensor": _store(obj.data, arrays), "requires_grad": bool(obj.requires_grad)}
    if isinstance(obj, np.generic):
        return {"scalar": _store(np.asarray(obj), arrays)}
    if isinstance(obj, np.ndarray) or backend.is_cupy_array(obj):
        return {"array": _store(obj, arrays)}
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not isinstance(key, _KEY_TYPES) or isinstance(key, np.generic):
                raise TypeError(f"cannot save the dict key {key!r} of type {type(key).__name__} at {path or 'top'}: "
                                f"keys must be str, int, float, bool or None")
            items.append([key, _encode(value, arrays, f"{path}[{key!r}]")])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        nodes = [_encode(v, arrays, f"{path}[{i}]") for i, v in enumerate(obj)]
        return nodes if isinstance(obj, list) else {"tuple": nodes}
    raise TypeError(f"cannot save an object of type {type(obj).__name__} at {path or 'top'}: minigan.save takes "
                    f"nested dicts/lists/tuples of Tensors, arrays, numbers, strings, booleans and None "
                    f"(for a Module or an optimizer, save its state_dict())")


def save(obj, path):
    """Write `obj` (a state_dict, or nested dicts of them plus plain values) to `path` as .npz + JSON
    header, atomically: a temporary file in the same folder, then os.replace."""
    arrays = {}
    header = {"format": FORMAT, "minigan_version": _version(), "backend": backend.current(),
              "dtype": str(get_default_dtype()), "tree": _encode(obj, arrays, "")}
    text = json.dumps(header, allow_nan=True)
    arrays[HEADER_KEY] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".tmp-" + os.path.basename(path) + "-", dir=folder)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; give it an ordinary file's mode
        with os.fdopen(handle, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _decode(node, arrays):
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [_decode(v, arrays) for v in node]
    if "dict" in node:
        return {key: _decode(value, arrays) for key, value in node["dict"]}
    if "tuple" in node:
        return tuple(_decode(v, arrays) for v in node["tuple"])
    if "tensor" in node:
        data = arrays[node["tensor"]]
        xp = backend.module()
        return Tensor(data if xp is np else xp.asarray(data), requires_grad=node.get("requires_grad", False))
    if "array" in node:
        return arrays[node["array"]]
    if "scalar" in node:
        return arrays[node["scalar"]][()]
    raise ValueError(f"unknown node {sorted(node)} in the header")


def _not_a_checkpoint(path, why):
    return ValueError(f"{path} is not a readable minigan checkpoint ({why}); it may be truncated, or written "
                      f"by something other than minigan.save")


def _read_arrays(path):
    """Every array of the npz at `path` (and the header's bytes), refusing pickled content."""
    try:
        npz = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise _not_a_checkpoint(path, f"{type(e).__name__}: {e}") from None
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise _not_a_checkpoint(path, "a single .npy array, not an .npz archive")
    with npz:
        if HEADER_KEY not in npz.files:
            raise _not_a_checkpoint(path, "no minigan header inside")
        try:
            return {name: npz[name] for name in npz.files}
        except ValueError as e:  # numpy: "Object arrays cannot be loaded when allow_pickle=False"
            raise _not_a_checkpoint(path, f"it holds pickled/object arrays, which are never loaded: {e}") from None
        except (OSError, EOFError, zipfile.BadZipFile, KeyError) as e:
            raise _not_a_checkpoint(path, f"{type(e).__name__}: {e}") from None


def load(path):
    """Read what `save` wrote: Tensors come back as Tensors on the current backend, NumPy arrays as
    NumPy arrays, ints as ints, dict keys with their types. Never unpickles: a file holding object
    arrays, a truncated file or a foreign one is refused with a ValueError."""
    path = os.fspath(path)
    arrays = _read_arrays(path)
    try:
        header = json.loads(arrays.pop(HEADER_KEY).tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _not_a_checkpoint(path, f"the header is not JSON: {e}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT or "tree" not in header:
        raise _not_a_checkpoint(path, "the header is not a minigan header")
    try:
        return _decode(header["tree"], arrays)
    except (KeyError, TypeError, ValueError) as e:
        raise _not_a_checkpoint(path, f"the header does not match the arrays: {e!r}") from None
