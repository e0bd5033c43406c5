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
import shutil
import subprocess
import sys
import tempfile
import time
import types
import zlib

import minigan
from minigan.exercises import sandbox
from minigan.exercises.grading import CheckFailed, Grading, NotAttempted, limit_hit, student_line

PASSED, FAILED, NOT_ATTEMPTED, NOT_SUBMITTED = "passed", "failed", "not attempted", "not submitted"
TIME_LIMIT = sandbox.DEFAULT.seconds     # seconds per exercise
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
        if self.status == NOT_SUBMITTED:
            return f"{head} ({self.message or 'no file'})"
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
def grade(exercise, symbols, seed, student_files=(), record=None, time_limit=None):
    """Grade `symbols` (the student's objects, in exercise.symbols order) in this process.
    time_limit: seconds, through SIGALRM (the main thread only; None: no limit)."""
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
        with sandbox.alarm(time_limit):
            exercise.check(grading, *symbols)
    except sandbox.TimeLimitExceeded:
        verdict.status, verdict.check = FAILED, "time limit"
        verdict.message = f"timed out: {dataclasses.replace(sandbox.DEFAULT, seconds=time_limit).time_text()}"
        verdict.hint = TIMED_OUT_HINT
    except NotAttempted as e:
        verdict.status, verdict.message = NOT_ATTEMPTED, f"it still raises NotImplementedError: {e}"
    except CheckFailed as e:
        verdict.status = FAILED
        for key in ("check", "message", "where", "expected", "got", "hint", "line"):
            setattr(verdict, key, getattr(e, key))
    except Exception as e:   # what the student's code returned broke a check: still a verdict, never a crash
        verdict.status, verdict.check = FAILED, "grading your result"
        limit = limit_hit(e)
        if limit:
            verdict.check, verdict.message, verdict.hint = limit.check, limit.message, limit.hint
            return verdict
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


TIMED_OUT_HINT = ("an endless loop? (a while loop whose condition never changes, a recursion without an end); "
                  "the reference solution takes well under a second")


SUBMIT_THE_FILE = "submit the Python file that `exercises start` wrote, with your solution in it"


def read_source(path, limits=None):
    """The text of a student's file, or CheckFailed when it is too large or not text."""
    path, limits = pathlib.Path(path), limits or sandbox.active or sandbox.DEFAULT
    size = path.stat().st_size
    if size > limits.source_size:
        raise CheckFailed("loading the file", f"{path.name} is {sandbox.size_text(size)}; an exercise file is "
                                              f"at most {sandbox.size_text(limits.source_size)}",
                          hint=SUBMIT_THE_FILE)
    data = path.read_bytes()
    try:
        if b"\0" in data:
            raise UnicodeDecodeError("utf-8", data, data.index(b"\0"), data.index(b"\0") + 1, "a NUL byte")
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CheckFailed("loading the file", f"{path.name} is not a Python source file (not UTF-8 text, "
                                              f"{e.reason} at byte {e.start})", hint=SUBMIT_THE_FILE) from None


def borrowed_answer(text, exercise):
    """CheckFailed when the file only calls minigan's own implementation of the exercise."""
    from minigan.exercises import answers

    names = answers.borrowed(text, exercise.name)
    if names:
        raise CheckFailed("minigan's own answer", f"the file uses {', '.join(names)}: minigan's own "
                                                  f"implementation of {exercise.name}",
                          hint="write the formula yourself; the exercise checks your code against that one")


def load(path, exercise, allow_minigan=True):
    """The student's objects from the file at `path`, or CheckFailed (too large, not text, syntax
    error, minigan's own answer (unless allow_minigan), a name missing, an exception while it runs)."""
    path = pathlib.Path(path)
    text = read_source(path)
    if not allow_minigan:
        borrowed_answer(text, exercise)
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


def grade_file(path, exercise, seed, record=None, allow_minigan=True):
    """Load the student's file and grade it, in this process."""
    try:
        symbols = load(path, exercise, allow_minigan=allow_minigan)
    except CheckFailed as e:
        verdict = Verdict(exercise.name, exercise.lecture_id, FAILED, seed)
        for key in ("check", "message", "hint", "line"):
            setattr(verdict, key, getattr(e, key))
        return verdict
    except NotAttempted as e:
        return Verdict(exercise.name, exercise.lecture_id, NOT_ATTEMPTED, seed, message=str(e))
    return grade(exercise, symbols, seed, student_files=(str(path),), record=record)


# ------------------------------------------------------------------------------ in subprocesses
def grade_in_subprocess(path, exercise, seed, time_limit=None, limits=None, allow_minigan=False,
                        missing=NOT_ATTEMPTED):
    """grade_file in a fresh Python process under `limits` (sandbox.Limits; time_limit: its seconds),
    in a scratch folder that holds a copy of the student's files: whatever the code writes or deletes
    there, the student's folder is untouched. missing: the status of an exercise without a file."""
    path = pathlib.Path(path)
    limits = limits or sandbox.DEFAULT
    if time_limit is not None:
        limits = dataclasses.replace(limits, seconds=float(time_limit))
    if not path.is_file():
        message = (f"there is no {path} (`exercises start {path.parent}` writes it)" if missing == NOT_ATTEMPTED
                   else f"no {path.name} was submitted")
        return Verdict(exercise.name, exercise.lecture_id, missing, seed, message=message)
    start = time.perf_counter()
    verdict = Verdict(exercise.name, exercise.lecture_id, FAILED, seed)
    try:
        read_source(path, limits)
    except CheckFailed as e:
        for key in ("check", "message", "hint"):
            setattr(verdict, key, getattr(e, key))
        return verdict
    scratch, private = tempfile.mkdtemp(prefix="minigan-student-"), tempfile.mkdtemp(prefix="minigan-verdict-")
    try:
        _copy_sources(path.parent, pathlib.Path(scratch), limits)
        out = pathlib.Path(private) / "verdict.json"
        errors = open(pathlib.Path(private) / "stderr", "w+b")
        command = [sys.executable, "-m", "minigan.exercises.runner", path.name, exercise.name, str(seed), str(out),
                   "allow" if allow_minigan else "forbid", *limits.as_argv()]
        env = {**os.environ, **{k: os.environ.get(k, "1") for k in _ONE_THREAD},   # small products, 2 jobs
               "HOME": scratch, "TMPDIR": scratch, "PYTHONDONTWRITEBYTECODE": "1",
               "MINIGAN_BACKEND": "numpy"}   # graded in NumPy; no GPU context under the memory limit
        process = subprocess.Popen(command, cwd=scratch, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=errors, env=env, start_new_session=True)
        try:
            process.wait(timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            verdict.check, verdict.message = "time limit", f"timed out: {limits.time_text()}"
            verdict.hint = TIMED_OUT_HINT
        finally:
            sandbox.kill_leftovers(process)
            process.wait()
        errors.seek(max(0, errors.seek(0, os.SEEK_END) - 4096))
        tail = errors.read().decode("utf-8", "replace")
        errors.close()
        if verdict.check is None:
            verdict = _read_verdict(out, process.returncode, tail, verdict, limits)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)
    verdict.seconds = round(time.perf_counter() - start, 3)
    return verdict


def _copy_sources(folder, scratch, limits):
    """The student's Python files (not links, none over the size limit) into the scratch folder, so
    that one exercise may import a helper the student wrote beside it."""
    for source in folder.glob("*.py"):
        if source.is_file() and not source.is_symlink() and source.stat().st_size <= limits.source_size:
            shutil.copyfile(source, scratch / source.name)


def _read_verdict(out, returncode, stderr_tail, verdict, limits):
    """The verdict the grading process wrote, or one that says how it ended without one."""
    try:
        return Verdict(**json.loads(out.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        pass
    tail = " / ".join(stderr_tail.strip().splitlines()[-3:])
    if "MemoryError" in stderr_tail:
        verdict.check, verdict.message = "memory limit", limits.memory_text()
    elif returncode is not None and returncode < 0:
        verdict.check = "running the file"
        verdict.message = (f"the grading process was killed by signal {-returncode} before a verdict: "
                           f"{tail or 'no output'}")
        verdict.hint = "does your file kill its own process, or write a file of more than " \
                       f"{sandbox.size_text(limits.file_size)}?"
    else:
        verdict.check = "running the file"
        verdict.message = (f"the grading process ended with exit code {returncode} before a verdict: "
                           f"{tail or 'no output'}")
        verdict.hint = "does your file call exit(), or kill its own process?"
    return verdict


def grade_directory(directory, exercises, seed, time_limit=None, jobs=None, on_verdict=None, limits=None,
                    allow_minigan=False, missing=NOT_ATTEMPTED):
    """One verdict per exercise for the files DIR/NAME.py, `jobs` subprocesses at a time (default:
    up to 2). on_verdict(verdict) is called as each one arrives (in any order); returns them in order."""
    directory = pathlib.Path(directory)
    jobs = jobs or min(2, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(grade_in_subprocess, directory / e.source_file, e, seed, time_limit, limits,
                               allow_minigan, missing)
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
    unsent = sum(v.status == NOT_SUBMITTED for v in verdicts)
    lines.append(f"{passed} of {len(verdicts)} passed"
                 + (f", {sum(v.status == NOT_ATTEMPTED for v in verdicts)} not attempted" if verdicts else "")
                 + (f", {unsent} not submitted" if unsent else ""))
    return "\n".join(lines)


def gradescope_results(verdicts, execution_time=None, visibility="visible", stdout_visibility="visible"):
    """Gradescope's results.json: `score` and one entry in `tests` per exercise (one point each), its
    verdict's text as `output`, and in `extra_data` the verdict's status, check, hint and seed."""
    tests = [{"name": f"{v.name} [{v.lecture_id}]", "number": str(i), "score": 1.0 if v.passed else 0.0,
              "max_score": 1.0, "status": PASSED if v.passed else FAILED, "output": v.text(),
              "tags": [v.lecture_id], "visibility": visibility,
              "extra_data": {"verdict": v.status, "check": v.check, "hint": v.hint, "seed": v.seed}}
             for i, v in enumerate(verdicts, 1)]
    results = {"score": float(sum(t["score"] for t in tests)), "output": table(verdicts),
               "visibility": visibility, "stdout_visibility": stdout_visibility, "tests": tests}
    if execution_time is not None:
        results["execution_time"] = round(float(execution_time), 3)
    return results


def verdict_as_json(verdict):
    return json.dumps(dataclasses.asdict(verdict))
