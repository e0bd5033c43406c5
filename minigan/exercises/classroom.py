"""A whole class at once: `python -m minigan exercises grade SUBMISSIONS --out grades.csv`.

SUBMISSIONS holds one entry per student: a folder of the exercise files (NAME.py, at any depth; a
zip inside it is unpacked too), or a zip of them (the student is the zip's name). Every exercise of
every student is graded in its own subprocess under the sandbox's limits (`grader.grade_in_subprocess`),
`jobs` at a time; an entry that is empty, holds no exercise file, is not a zip, or holds a path
that climbs out (`../x`, skipped) still gets its row, with zeros and the reason. Each student's
inputs are drawn from the run's seed and the student's name, so the same seed gives the same CSV.

    grade_class(directory, exercises, seed)  -> Classroom (students, each with a verdict per exercise)
    write_csv(path, classroom)                  student, one column per exercise (points), total, note
    report(classroom)                           markdown: per exercise passed / failed / not attempted /
                                                not submitted, the known mistakes ranked by how many
                                                students made them, the limits hit, the slowest students
"""
import collections
import concurrent.futures
import csv
import dataclasses
import json
import pathlib
import shutil
import tempfile
import zipfile
import zlib

from minigan.exercises import grader, sandbox

LIMIT_CHECKS = ("time limit", "memory limit", "process limit", "running the file", "loading the file",
                "minigan's own answer")


@dataclasses.dataclass
class Student:
    name: str
    seed: int
    verdicts: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)     # what was wrong with the submission itself

    @property
    def total(self):
        return sum(v.passed for v in self.verdicts)

    @property
    def seconds(self):
        return sum(v.seconds for v in self.verdicts)


@dataclasses.dataclass
class Classroom:
    exercises: list
    seed: int
    students: list
    seconds: float = 0.0


def student_seed(seed, name):
    """The seed of one student's inputs: the run's seed mixed with the student's name."""
    return (seed * 1_000_003 + zlib.crc32(name.encode())) % 2 ** 24


def entries(directory):
    """(student name, path) for every folder and zip in `directory`, sorted by name."""
    found = []
    for path in sorted(pathlib.Path(directory).iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir() and not path.is_symlink():
            found.append((path.name, path))
        elif path.is_file() and path.suffix.lower() == ".zip":
            found.append((path.stem, path))
    return found


def unpack(path, exercises, into, limits):
    """The student's exercise files, copied flat into the folder `into`; returns the notes (what
    was skipped and why)."""
    into.mkdir(parents=True, exist_ok=True)
    wanted = {e.source_file for e in exercises}
    notes = []
    if path.is_file():
        return _unzip(path, wanted, into, limits)
    candidates = sorted((p for p in path.rglob("*") if p.is_file() and not p.is_symlink()),
                        key=lambda p: (len(p.relative_to(path).parts), str(p)))
    for source in candidates:
        if source.suffix.lower() == ".zip":
            notes += _unzip(source, wanted, into, limits)
        elif source.suffix == ".py" and not (into / source.name).exists():
            if source.name in wanted or source.stat().st_size <= limits.source_size:
                shutil.copyfile(source, into / source.name)
    return notes


def _unzip(path, wanted, into, limits):
    """The .py members of a zip, flat into `into`: never a path that climbs out, nothing larger than
    the file-size limit."""
    notes = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        return [f"{path.name} is not a zip file ({e})"]
    with archive:
        for member in archive.infolist():
            parts = pathlib.PurePosixPath(member.filename.replace("\\", "/")).parts
            if member.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                notes.append(f"{path.name} holds {member.filename!r}, a path that climbs out of the folder: skipped")
                continue
            name = parts[-1] if parts else ""
            if member.is_dir() or not name.endswith(".py") or (into / name).exists():
                continue
            if member.file_size > limits.file_size or (name not in wanted and member.file_size > limits.source_size):
                notes.append(f"{path.name}: {member.filename} is {sandbox.size_text(member.file_size)}: skipped")
                continue
            try:
                data = archive.read(member)
            except Exception as e:     # a damaged member: the zip's other files are still graded
                notes.append(f"{path.name}: {member.filename} cannot be read ({type(e).__name__}: {e})")
                continue
            (into / name).write_bytes(data)
    return notes


def grade_class(directory, exercises, seed, jobs=2, limits=None, allow_minigan=False, on_verdict=None):
    """Grade every student in `directory` (see the module's docstring). on_verdict(student, verdict)
    is called as each verdict arrives (for a progress bar)."""
    import time

    start = time.perf_counter()
    limits = limits or sandbox.DEFAULT
    staging = pathlib.Path(tempfile.mkdtemp(prefix="minigan-class-"))
    try:
        students, folders = [], []
        for name, path in entries(directory):
            student = Student(name, student_seed(seed, name))
            folder = staging / f"{len(students):05d}"
            try:
                student.notes += unpack(path, exercises, folder, limits)
            except OSError as e:
                student.notes.append(f"cannot read the submission ({type(e).__name__}: {e})")
            if not any((folder / e.source_file).exists() for e in exercises):
                student.notes.append("no exercise file" + (" (the folder is empty)" if _empty(path) else "")
                                     + f"; expected files like {exercises[0].source_file}")
            students.append(student)
            folders.append(folder)
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {}
            for student, folder in zip(students, folders):
                for exercise in exercises:
                    futures[pool.submit(_grade, folder / exercise.source_file, exercise, student.seed, limits,
                                        allow_minigan)] = student
            for future in concurrent.futures.as_completed(futures):
                if on_verdict is not None:
                    on_verdict(futures[future], future.result())
            for future, student in futures.items():
                student.verdicts.append(future.result())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Classroom(list(exercises), seed, students, time.perf_counter() - start)


def _grade(path, exercise, seed, limits, allow_minigan):
    """One verdict, whatever happens: the run never stops for one student."""
    try:
        return grader.grade_in_subprocess(path, exercise, seed, None, limits, allow_minigan, grader.NOT_SUBMITTED)
    except Exception as e:
        return grader.Verdict(exercise.name, exercise.lecture_id, grader.FAILED, seed, check="grading the file",
                              message=f"the grader could not grade this file ({type(e).__name__}: {e})")


def _empty(path):
    return path.is_dir() and not any(path.iterdir())


# ------------------------------------------------------------------------------ what comes out
def write_csv(path, classroom):
    """One row per student: student, one column of points per exercise, total, note."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *(e.name for e in classroom.exercises), "total", "note"])
        for s in classroom.students:
            writer.writerow([s.name, *(int(v.passed) for v in s.verdicts), s.total, "; ".join(s.notes)])


def write_json(directory, classroom):
    """Gradescope's results.json for each student: DIR/STUDENT.json."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for s in classroom.students:
        results = grader.gradescope_results(s.verdicts, execution_time=s.seconds)
        if s.notes:
            results["output"] = "\n".join(s.notes) + "\n\n" + results["output"]
        (directory / f"{s.name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


def mistake_name(hint):
    """'Adam without bias correction' for the hint 'Adam without bias correction: m_t and v_t ...'."""
    return hint.split(": ", 1)[0].strip()[:100]


def report(classroom, slowest=5):
    """The class report as markdown."""
    exercises, students = classroom.exercises, classroom.students
    n = len(students)
    lines = [f"# Class report: {n} students, {len(exercises)} exercises", "",
             f"seed {classroom.seed}; graded in {classroom.seconds:.1f} s", "",
             "| exercise | ID | passed | failed | not attempted | not submitted |", "|---|---|---|---|---|---|"]
    for i, e in enumerate(exercises):
        counts = collections.Counter(s.verdicts[i].status for s in students)
        lines.append(f"| {e.name} | {e.lecture_id} | {counts[grader.PASSED]} | {counts[grader.FAILED]} | "
                     f"{counts[grader.NOT_ATTEMPTED]} | {counts[grader.NOT_SUBMITTED]} |")
    mistakes, limits = collections.Counter(), collections.Counter()
    for s in students:
        for v in s.verdicts:
            if v.status != grader.FAILED:
                continue
            if v.check in LIMIT_CHECKS:
                limits[(v.check, v.name)] += 1
            elif v.hint:
                mistakes[(mistake_name(v.hint), v.name)] += 1
    lines += ["", "## Known mistakes, by how many students made them", ""]
    lines += [f"- {m} (`{name}`): {count} student{'s' * (count != 1)}"
              for (m, name), count in sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))] or ["none"]
    lines += ["", "## Limits hit, files that did not load or run", ""]
    lines += [f"- {check} (`{name}`): {count} student{'s' * (count != 1)}"
              for (check, name), count in sorted(limits.items(), key=lambda kv: (-kv[1], kv[0]))] or ["none"]
    lines += ["", "## The slowest submissions", ""]
    for s in sorted(students, key=lambda s: -s.seconds)[:slowest]:
        worst = max(s.verdicts, key=lambda v: v.seconds, default=None)
        lines.append(f"- {s.name}: {s.seconds:.1f} s" + (f" (slowest: {worst.name}, {worst.seconds:.1f} s, "
                                                         f"{worst.status})" if worst else ""))
    notes = [f"- {s.name}: {'; '.join(s.notes)}" for s in students if s.notes]
    if notes:
        lines += ["", "## Submissions with a problem of their own", "", *notes]
    return "\n".join(lines) + "\n"
