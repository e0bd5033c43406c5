"""The checks an exercise is graded with, and the verdict they produce.

A check function (one per exercise, in the checks_*.py modules) receives a `Grading` object and the
student's code, and runs named checks in order:

    g.close("forward", got, expected, mistakes={hint: mistaken_value})   values against minigan's
    g.gradcheck("gradient", fn, inputs)                                  central differences, float64
    g.gradgradcheck("second derivative", fn, inputs)                     the same for ∂²
    g.require("end to end", condition, message)                          a short training run

The first check that fails raises `CheckFailed` with the check's name, the worst element, the
expected and the obtained value, and a hint when the obtained value is that of a known mistake. The
student's code is called through `g.call`, which turns NotImplementedError into `NotAttempted` and
any other exception into a failed verdict that quotes the student's line.
"""
import contextlib
import re
import traceback
import warnings

import numpy as np

import minigan
from minigan import backend

RTOL, ATOL = 1e-7, 1e-10          # values computed in float64 by two correct implementations agree far closer
NOT_FINITE = "not finite"         # a mistake's value: the mistake gives inf or NaN where minigan's value is finite


class NotAttempted(Exception):
    """The student's code still raises NotImplementedError."""


class CheckFailed(Exception):
    """One check failed; the fields become the verdict."""

    def __init__(self, check, message, where=None, expected=None, got=None, hint=None, line=None):
        super().__init__(message)
        self.check, self.message, self.where = check, message, where
        self.expected, self.got, self.hint, self.line = expected, got, hint, line


def as_array(value):
    """A NumPy array for a Tensor, an array or a number (None stays None)."""
    if value is None:
        return None
    if isinstance(value, minigan.Tensor):
        return backend.to_numpy(value.data)
    return backend.to_numpy(value) if backend.is_cupy_array(value) else np.asarray(value)


def describe(value):
    """A short text for an expected or obtained value (a number, or the array's values)."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}"
    array = np.asarray(value)
    if array.dtype.kind in "fc" and array.size <= 12:
        return np.array2string(array, precision=8, separator=", ")
    if array.size <= 12:
        return repr(array.tolist())
    return f"array of shape {array.shape}"


def student_line(error, files):
    """'NAME.py line N: code' for the innermost frame of the traceback that lies in one of `files`."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if any(f.filename == p for p in files)]
    if not frames:
        return None
    frame = frames[-1]
    return f"{frame.filename.rsplit('/', 1)[-1]} line {frame.lineno}: {(frame.line or '').strip()}"


def _matches(got, mistaken):
    if isinstance(mistaken, str) and mistaken == NOT_FINITE:
        return got.dtype.kind in "fc" and not np.isfinite(got).all()
    try:
        mistaken = as_array(mistaken() if callable(mistaken) else mistaken)
    except Exception:  # a mistake that cannot even be computed on these inputs is not this one
        return False
    return (mistaken is not None and got.shape == mistaken.shape
            and np.allclose(got, mistaken, rtol=1e-5, atol=1e-8, equal_nan=True))


class Grading:
    """The state of one exercise's grading: its random generator, the checks passed so far, and the
    files whose frames count as the student's (for the traceback line)."""

    def __init__(self, seed, student_files=(), record=None):
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.passed = []
        self.student_files = tuple(student_files)
        self.record = record   # a list: every value the student's code returned (the mutation benchmark)

    def _passed(self, check):
        if check not in self.passed:
            self.passed.append(check)

    # ------------------------------------------------------------------------------ inputs
    def randn(self, *shape, requires_grad=False, scale=1.0):
        """A float64 Tensor of N(0, scale²) draws from this grading's generator, on the default backend."""
        return minigan.tensor(self.rng.standard_normal(shape) * scale, requires_grad=requires_grad)

    def uniform(self, low, high, *shape, requires_grad=False):
        return minigan.tensor(self.rng.uniform(low, high, shape), requires_grad=requires_grad)

    # ------------------------------------------------------------------- calling the student
    @contextlib.contextmanager
    def student_code(self, check):
        """Run the student's code inside: warnings and floating-point errors silenced;
        NotImplementedError means not attempted, any other exception fails `check` with the
        student's line (a verdict already raised passes through)."""
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                yield
        except NotImplementedError as e:
            raise NotAttempted(str(e) or "NotImplementedError") from None
        except (CheckFailed, NotAttempted):
            raise
        except Exception as e:
            limit = limit_hit(e)
            if limit:
                raise limit from None
            raise CheckFailed(check, f"your code raised {type(e).__name__}: {e}",
                              line=student_line(e, self.student_files),
                              hint=self.exception_hint(e)) from None

    def call(self, check, fn, *args, **kwargs):
        """fn(*args, **kwargs) for a function or class the student wrote (see `student_code`)."""
        with self.student_code(check):
            result = fn(*args, **kwargs)
        if self.record is not None:
            self.record.append(_snapshot(result))
        return result

    hints_for_exceptions = ()   # (regex on "Type: message", hint) pairs, set per exercise

    def exception_hint(self, error):
        text = f"{type(error).__name__}: {error}"
        return next((hint for pattern, hint in self.hints_for_exceptions if re.search(pattern, text)), None)

    # -------------------------------------------------------------------------- the checks
    def close(self, check, got, expected, mistakes=None, rtol=RTOL, atol=ATOL, context=None, hint=None):
        """`got` (the student's value) equals `expected` (minigan's) elementwise within rtol·|expected| + atol;
        same shape, a floating dtype equal to expected's, no NaN. mistakes: {hint: the value that
        mistake would give (or a function computing it)}; the hint of the one that `got` matches is shown.
        context: what the inputs were, put before the failure's message. hint: the hint when no
        mistake matches."""
        try:
            with np.errstate(all="ignore"):
                self._close(check, got, expected, mistakes, rtol, atol)
        except CheckFailed as e:
            if context:
                e.message = f"{context}: {e.message}"
            e.hint = e.hint or hint
            raise

    def _close(self, check, got, expected, mistakes, rtol, atol):
        if self.record is not None:
            self.record.append(_snapshot(got))
        mistakes = mistakes or {}
        if got is None:
            raise CheckFailed(check, "your code returned None", expected=describe(as_array(expected)),
                              hint="a `return` is missing, or a gradient that is needed was returned as None")
        expected_array = as_array(expected)
        try:
            got_array = as_array(got)
        except Exception:
            raise CheckFailed(check, f"expected a Tensor or an array, got {type(got).__name__}") from None
        if got_array.dtype == object:
            raise CheckFailed(check, f"expected a Tensor or an array of numbers, got {type(got).__name__} "
                                     f"holding {type(got_array.flat[0]).__name__}")
        if got_array.dtype.kind not in "biuf":
            raise CheckFailed(check, f"expected numbers (a Tensor or an array), got {type(got).__name__} of dtype "
                                     f"{got_array.dtype}", expected=describe(expected_array), got=repr(got)[:80])
        hint = next((h for h, value in mistakes.items() if _matches(got_array.astype(float), value)), None)
        if got_array.shape != expected_array.shape:
            raise CheckFailed(check, f"shape {got_array.shape}, expected {expected_array.shape}",
                              expected=f"shape {expected_array.shape}", got=f"shape {got_array.shape}", hint=hint)
        if expected_array.dtype.kind == "f" and got_array.ndim and got_array.dtype != expected_array.dtype:
            raise CheckFailed(check, f"dtype {got_array.dtype}, expected {expected_array.dtype} (the inputs' dtype)",
                              expected=str(expected_array.dtype), got=str(got_array.dtype),
                              hint=hint or "keep the inputs' dtype: work on the inputs, or cast with .astype(x.dtype)")
        got_array = got_array.astype(np.float64)
        expected_array = expected_array.astype(np.float64)
        bad = ~np.isfinite(got_array) & np.isfinite(expected_array)
        if bad.any():
            where = _index(np.argmax(bad.reshape(-1)), got_array.shape)
            raise CheckFailed(check, f"{got_array[where] if where else got_array} (not finite) at element {where}",
                              where=where, expected=describe(expected_array[where] if where else expected_array),
                              got=describe(got_array[where] if where else got_array), hint=hint)
        error = np.abs(got_array - expected_array) - (atol + rtol * np.abs(expected_array))
        error = np.where(np.isnan(error), 0.0, error)
        if error.size and error.max() > 0:
            flat = int(np.argmax(error.reshape(-1)))
            where = _index(flat, got_array.shape)
            e, o = expected_array.reshape(-1)[flat], got_array.reshape(-1)[flat]
            count = int((error > 0).sum())
            raise CheckFailed(check, f"{count} of {error.size} values differ "
                                     f"(tolerance {rtol:g}·|expected| + {atol:g})",
                              where=where, expected=f"{e:.10g}", got=f"{o:.10g}", hint=hint)
        self._passed(check)

    def require(self, check, condition, message, hint=None, expected=None, got=None, listed=True):
        """A check that is a yes/no property (an end-to-end result, a shape rule); listed=False keeps
        a mere precondition out of the list of checks passed."""
        if not condition:
            raise CheckFailed(check, message, hint=hint, expected=expected, got=got)
        if listed:
            self._passed(check)

    def gradcheck(self, check, fn, inputs, second=False, hint=None, **tolerances):
        """minigan.gradcheck (second=True: gradgradcheck) of the student's fn: its backward pass
        against central differences of its own forward, in float64, with a random cotangent.
        hint: shown on failure (a function returning the hint or None: called only then)."""
        checker = minigan.gradgradcheck if second else minigan.gradcheck
        with self.student_code(check):
            try:
                checker(fn, inputs, seed=int(self.rng.integers(2 ** 31)), **tolerances)
            except minigan.GradcheckError as e:
                found = re.search(r"at element (\([^)]*\)): numerical (\S+), analytical (\S+)", str(e))
                where, numerical, analytical = found.groups() if found else (None, None, None)
                raise CheckFailed(check, str(e), where=where, expected=numerical, got=analytical,
                                  hint=_safe_hint(hint)) from None
        self._passed(check)


def limit_hit(error):
    """CheckFailed naming the limit when `error` is what hitting one raises (MemoryError at the memory
    limit, BlockingIOError from os.fork at the limit on processes), else None."""
    from minigan.exercises import sandbox

    limits = sandbox.active or sandbox.DEFAULT
    if isinstance(error, MemoryError):
        return CheckFailed("memory limit", limits.memory_text(),
                           hint="an array far larger than the exercise needs? (the inputs are a few "
                                "dozen numbers; the reference solution needs a few MB)")
    if sandbox.is_process_limit(error):
        return CheckFailed("process limit", limits.processes_text(),
                           hint="the exercise needs no processes or threads of its own")
    return None


def _safe_hint(hint):
    if not callable(hint):
        return hint
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return hint()
    except Exception:
        return None


def _index(flat, shape):
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _snapshot(value):
    """A copy of what the student's code returned, as arrays (for comparing two runs)."""
    if isinstance(value, (tuple, list)):
        return [_snapshot(v) for v in value]
    if isinstance(value, (minigan.Tensor, np.ndarray, int, float)):
        return np.array(as_array(value), dtype=float, copy=True) if as_array(value).dtype.kind in "biuf" else None
    return None
