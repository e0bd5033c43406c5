"""The grader: one verdict per exercise, the table of them, and Gradescope's results.json.

    grade(exercise, symbols, seed)           in this process (a notebook's check(), the tests)
    grade_file(path, exercise, seed)         load a student's file, then grade it (still in process)
    grade_directory(directory, names, ...)   every file in its own subprocess with a time limit, so an
                                             endless loop or a crash fails that exercise only

A verdict is "passed", "failed" (with the check that failed, the worst element, the expected and
the obtained value, the student's line, a hint for a known mistake) or "not attempted" (the code
still raises NotImplementedError). The seed is part of every verdict: the same seed draws the same
inputs again.
"""
import concurrent.futures
import dataclasses
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import types
import zlib

import minigan
from minigan.exercises.grading import CheckFailed, Grading, NotAttempted, student_line

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
TIME_LIMIT = 20.0     # seconds per exercise
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclasses.dataclass
class Verdict:
    name: str
    lecture_id: str
    status: str
    seed: int
    check: str = None
    message: str = None
    where: object = None
    expected: str = None
    got: str = None
    hint: str = None
    line: str = None
    passed_checks: list = dataclasses.field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self):
        return self.status == PASSED

    def checks_passed(self):
        """The names of the checks passed, one per kind ("…, parameter 3" counted once)."""
        return ", ".join(dict.fromkeys(re.sub(r", parameter \d+$", "", c) for c in self.passed_checks))

    def text(self):
        """The verdict as the student reads it (a few lines)."""
        head = f"{self.name} [{self.lecture_id}]: {self.status}"
        if self.status == PASSED:
            return f"{head} ({self.checks_passed()}; seed {self.seed})"
        if self.status == NOT_ATTEMPTED:
            return f"{head} ({self.message or 'it still raises NotImplementedError'})"
        lines = [f"{head} — {self.check}", f"  {self.message}"]
        if self.line:
            lines.append(f"  at {self.line}")
        if self.where not in (None, "", (), []):
            lines.append(f"  worst element {tuple(self.where) if isinstance(self.where, list) else self.where}")
        if self.expected is not None or self.got is not None:
            lines.append(f"  expected {self.expected}")
            lines.append(f"  got      {self.got}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        if self.passed_checks:
            lines.append(f"  passed before: {self.checks_passed()}")
        lines.append(f"  seed {self.seed} (reproduce: exercises check DIR {self.name} --seed {self.seed})")
        return "\n".join(lines)


def new_seed():
    """A fresh seed for a grading run (printed, so the run can be repeated)."""
    return int.from_bytes(os.urandom(3), "little")


def _seeds(seed, name):
    """The generator of an exercise's inputs and minigan's own seed, from the run's seed and the name."""
    code = zlib.crc32(name.encode())
    return [seed, code], (seed * 1_000_003 + code) % 2 ** 32


# ------------------------------------------------------------------------------ in this process
def grade(exercise, symbols, seed, student_files=(), record=None):
    """Grade `symbols` (the student's objects, in exercise.symbols order) in this process."""
    generator_seed, minigan_seed = _seeds(seed, exercise.name)
    grading = Grading(generator_seed, student_files=student_files, record=record)
    grading.hints_for_exceptions = exercise.hints_for_exceptions
    verdict = Verdict(exercise.name, exercise.lecture_id, PASSED, seed)
    start = time.perf_counter()
    state = minigan.get_rng_state()
    previous_dtype, previous_backend = minigan.get_default_dtype(), minigan.backend.current()
    minigan.backend.use("numpy")   # the exercises compute in NumPy (their docstrings say so), on any default
    minigan.manual_seed(minigan_seed)
    try:
        exercise.check(grading, *symbols)
    except NotAttempted as e:
        verdict.status, verdict.message = NOT_ATTEMPTED, f"it still raises NotImplementedError: {e}"
    except CheckFailed as e:
        verdict.status = FAILED
        for key in ("check", "message", "where", "expected", "got", "hint", "line"):
            setattr(verdict, key, getattr(e, key))
    except Exception as e:   # what the student's code returned broke a check: still a verdict, never a crash
        verdict.status, verdict.check = FAILED, "grading your result"
        verdict.message = f"grading your result raised {type(e).__name__}: {e}"
        verdict.line = student_line(e, student_files)
        verdict.hint = "check the type and shape of what your code returns (the docstring says what it should be)"
    finally:
        minigan.set_rng_state(state)
        minigan.set_default_dtype(previous_dtype)
        minigan.backend.use(previous_backend)
    verdict.passed_checks = list(grading.passed)
    verdict.seconds = round(time.perf_counter() - start, 3)
    return verdict


def load(path, exercise):
    """The student's objects from the file at `path`, or CheckFailed (syntax error, a name missing,
    an exception while the file runs)."""
    path = pathlib.Path(path)
    text = path.read_text(encoding="utf-8")
    module = types.ModuleType(f"minigan_exercise_{exercise.name}")
    module.__file__ = str(path)
    try:
        code = compile(text, str(path), "exec")
    except SyntaxError as e:
        raise CheckFailed("loading the file", f"syntax error: {e.msg}",
                          line=f"{path.name} line {e.lineno}: {(e.text or '').strip()}") from None
    sys.modules[module.__name__] = module
    grading = Grading(0, student_files=(str(path),))
    grading.call("loading the file", exec, code, module.__dict__)
    missing = [s for s in exercise.symbols if s not in module.__dict__]
    if missing:
        raise CheckFailed("loading the file", f"{path.name} defines no {', '.join(missing)}",
                          hint="keep the names (and signatures) that `exercises start` wrote")
    return [module.__dict__[s] for s in exercise.symbols]


def grade_file(path, exercise, seed, record=None):
    """Load the student's file and grade it, in this process."""
    try:
        symbols = load(path, exercise)
    except CheckFailed as e:
        verdict = Verdict(exercise.name, exercise.lecture_id, FAILED, seed)
        for key in ("check", "message", "hint", "line"):
            setattr(verdict, key, getattr(e, key))
        return verdict
    except NotAttempted as e:
        return Verdict(exercise.name, exercise.lecture_id, NOT_ATTEMPTED, seed, message=str(e))
    return grade(exercise, symbols, seed, student_files=(str(path),), record=record)


# ------------------------------------------------------------------------------ in subprocesses
def grade_in_subprocess(path, exercise, seed, time_limit=TIME_LIMIT):
    """grade_file in a fresh Python process, killed after `time_limit` seconds."""
    path = pathlib.Path(path)
    if not path.exists():
        return Verdict(exercise.name, exercise.lecture_id, NOT_ATTEMPTED, seed,
                       message=f"there is no {path} (`exercises start {path.parent}` writes it)")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "verdict.json"
        command = [sys.executable, "-m", "minigan.exercises.runner", str(path), exercise.name, str(seed), str(out)]
        env = {**os.environ, **{k: os.environ.get(k, "1") for k in _ONE_THREAD}}   # small products, 2 jobs
        try:
            finished = subprocess.run(command, capture_output=True, text=True, timeout=time_limit, check=False,
                                      cwd=str(path.parent), stdin=subprocess.DEVNULL, env=env)
        except subprocess.TimeoutExpired:
            return Verdict(exercise.name, exercise.lecture_id, FAILED, seed, check="time limit",
                           message=f"timed out: still running after {time_limit:g} s",
                           hint="an endless loop? (a while loop whose condition never changes, a recursion "
                                "without an end); the reference solution takes well under a second",
                           seconds=round(time.perf_counter() - start, 3))
        if not out.exists():
            tail = (finished.stderr or finished.stdout or "").strip().splitlines()[-3:]
            return Verdict(exercise.name, exercise.lecture_id, FAILED, seed, check="running the file",
                           message=f"the grading process ended with exit code {finished.returncode} before a "
                                   f"verdict: {' / '.join(tail) or 'no output'}",
                           hint="does your file call exit(), or kill its own process?",
                           seconds=round(time.perf_counter() - start, 3))
        verdict = Verdict(**json.loads(out.read_text(encoding="utf-8")))
    verdict.seconds = round(time.perf_counter() - start, 3)
    return verdict


def grade_directory(directory, exercises, seed, time_limit=TIME_LIMIT, jobs=None, on_verdict=None):
    """One verdict per exercise for the files DIR/NAME.py, `jobs` subprocesses at a time (default:
    up to 2). on_verdict(verdict) is called as each one arrives (in any order); returns them in order."""
    directory = pathlib.Path(directory)
    jobs = jobs or min(2, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(grade_in_subprocess, directory / e.source_file, e, seed, time_limit)
                   for e in exercises]
        if on_verdict is not None:
            for future in concurrent.futures.as_completed(futures):
                on_verdict(future.result())
        return [f.result() for f in futures]


# ------------------------------------------------------------------------------------ reports
def table(verdicts):
    """The results as a table: one exercise a line, and the total."""
    width = max([len(v.name) for v in verdicts] + [8])
    id_width = max([len(v.lecture_id) for v in verdicts] + [2])
    lines = [f"{'exercise':{width}s}  {'ID':{id_width}s}  {'result':13s}  failed check", "-" * (width + id_width + 40)]
    for v in verdicts:
        lines.append(f"{v.name:{width}s}  {v.lecture_id:{id_width}s}  {v.status:13s}  {v.check or ''}".rstrip())
    passed = sum(v.passed for v in verdicts)
    lines.append(f"{passed} of {len(verdicts)} passed"
                 + (f", {sum(v.status == NOT_ATTEMPTED for v in verdicts)} not attempted" if verdicts else ""))
    return "\n".join(lines)


def gradescope_results(verdicts, execution_time=None):
    """Gradescope's results.json: `score` and one entry in `tests` per exercise (one point each)."""
    tests = [{"name": f"{v.name} [{v.lecture_id}]", "number": str(i), "score": 1.0 if v.passed else 0.0,
              "max_score": 1.0, "status": PASSED if v.passed else FAILED, "output": v.text(),
              "tags": [v.lecture_id], "visibility": "visible"}
             for i, v in enumerate(verdicts, 1)]
    results = {"score": float(sum(t["score"] for t in tests)), "output": table(verdicts),
               "visibility": "visible", "stdout_visibility": "visible", "tests": tests}
    if execution_time is not None:
        results["execution_time"] = round(float(execution_time), 3)
    return results


def verdict_as_json(verdict):
    return json.dumps(dataclasses.asdict(verdict))
