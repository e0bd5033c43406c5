"""Gradescope's autograder for the exercises: `python -m minigan exercises autograder --out autograder.zip`.

The zip, in Gradescope's layout:

    setup.sh                      run once to build the image: installs this minigan from the wheel
    run_autograder                run for every submission: `python3 -m minigan.exercises.autograder`
    autograder.json               the exercises, the limits, the visibility, whether minigan's own
                                  answer is allowed
    minigan-VERSION-py3-none-any.whl   this very minigan (the students' version), built from its files

On Gradescope the zip lies in /autograder/source, the student's files in /autograder/submission, and
the grades go to /autograder/results/results.json. The environment variable MINIGAN_AUTOGRADER_ROOT
replaces /autograder (and MINIGAN_AUTOGRADER_PYTHON the `python3` that runs), so the zip can be tested
on any machine: unpack it into ROOT/source, put files in ROOT/submission, run ROOT/source/run_autograder.

`run(root)` copies the exercise files out of the submission (flat, at any depth, zips unpacked),
grades each one in its own subprocess under the sandbox's limits (an exercise without a file is
"not submitted", 0 points), and only after the last of them has ended writes results.json: one
test per exercise with its score, max_score, status, the verdict's text and hint.
"""
import base64
import hashlib
import importlib.metadata
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time
import zipfile

import minigan
from minigan.exercises import grader, registry, sandbox

CONFIG = "autograder.json"
ROOT_VARIABLE, PYTHON_VARIABLE = "MINIGAN_AUTOGRADER_ROOT", "MINIGAN_AUTOGRADER_PYTHON"
_EPOCH = (2020, 1, 1, 0, 0, 0)     # every member's date: the same minigan gives the same zip

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, in /autograder/source, to build the autograder's image: Python 3 and
# pip, then minigan {version} (the students' version) from the wheel beside this file, with the
# packages it needs.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v python3 >/dev/null || ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update && apt-get install -y python3 python3-pip
fi
python3 -m pip install {wheel} || python3 -m pip install --break-system-packages {wheel}
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: the student's files are in ROOT/submission, the grades
# go to ROOT/results/results.json. ROOT is /autograder, or ${root_variable} (to test the zip locally);
# the Python is python3, or ${python_variable}.
ROOT="${{{root_variable}:-/autograder}}"
PYTHON="${{{python_variable}:-python3}}"
cd "$ROOT" && exec "$PYTHON" -m minigan.exercises.autograder "$ROOT"
"""


def version():
    return minigan.__version__


# ------------------------------------------------------------------------------ the wheel
def _requirements():
    """minigan's install requirements (without the extras), as its metadata lists them."""
    try:
        requires = importlib.metadata.requires("minigan") or []
    except importlib.metadata.PackageNotFoundError:
        requires = ["numpy>=1.22"]
    return [r for r in requires if "extra ==" not in r]


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(directory):
    """A wheel of the minigan this process runs (its package's files, as they are), written to
    `directory`; returns its path. Pure Python: py3-none-any."""
    package = pathlib.Path(minigan.__file__).resolve().parent
    name = f"minigan-{version()}"
    path = pathlib.Path(directory) / f"{name}-py3-none-any.whl"
    members = []
    for file in sorted(package.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts and file.suffix not in (".pyc", ".pyo"):
            members.append((f"minigan/{file.relative_to(package).as_posix()}", file.read_bytes()))
    info = f"{name}.dist-info"
    metadata = "\n".join(["Metadata-Version: 2.1", "Name: minigan", f"Version: {version()}",
                          "Summary: " + (minigan.__doc__ or "minigan").strip().splitlines()[0],
                          "Requires-Python: >=3.10", *(f"Requires-Dist: {r}" for r in _requirements())]) + "\n"
    members += [(f"{info}/METADATA", metadata.encode()),
                (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: minigan.exercises.autograder\n"
                                  b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
                (f"{info}/top_level.txt", b"minigan\n")]
    record = [_record_line(n, d) for n, d in members] + [f"{info}/RECORD,,"]
    members.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for member, data in members:
            wheel.writestr(zipfile.ZipInfo(member, _EPOCH), data, zipfile.ZIP_DEFLATED)
    return path


# ------------------------------------------------------------------------------ the zip
def build(out, names, limits=None, allow_minigan=False, visibility="visible", stdout_visibility="visible", jobs=2):
    """Write Gradescope's autograder zip to `out` for the exercises `names`; returns its path."""
    limits = limits or sandbox.DEFAULT
    for name in names:
        registry.get(name)
    config = {"minigan": version(), "exercises": list(names), "limits": dict(zip(
        ("seconds", "memory", "processes", "file_size", "source_size"), limits.as_argv())),
        "allow_minigan": bool(allow_minigan), "visibility": visibility, "stdout_visibility": stdout_visibility,
        "jobs": int(jobs)}
    out = pathlib.Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(tmp)
        files = [("setup.sh", SETUP_SH.format(version=version(), wheel=f"./{wheel.name}").encode(), 0o755),
                 ("run_autograder", RUN_AUTOGRADER.format(root_variable=ROOT_VARIABLE,
                                                          python_variable=PYTHON_VARIABLE).encode(), 0o755),
                 (CONFIG, (json.dumps(config, indent=2) + "\n").encode(), 0o644),
                 (wheel.name, wheel.read_bytes(), 0o644)]
        if out.parent != pathlib.Path(""):
            out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data, mode in files:
                info = zipfile.ZipInfo(name, _EPOCH)
                info.external_attr = (0o100000 | mode) << 16
                archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out


# ------------------------------------------------------------------------------ on Gradescope
def _config(root):
    for place in (root / "source" / CONFIG, root / CONFIG):
        if place.exists():
            return json.loads(place.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"no {CONFIG} in {root / 'source'}: unpack the autograder zip there")


def run(root, seed=None):
    """Grade ROOT/submission as the zip's autograder.json says; write ROOT/results/results.json.
    Returns the results (a dict)."""
    from minigan.exercises import classroom

    root = pathlib.Path(root)
    config = _config(root)
    exercises = [registry.get(n) for n in config["exercises"]]
    limits = sandbox.Limits.from_argv([config["limits"][k] for k in
                                       ("seconds", "memory", "processes", "file_size", "source_size")])
    seed = grader.new_seed() if seed is None else seed
    start = time.perf_counter()
    staging = pathlib.Path(tempfile.mkdtemp(prefix="minigan-submission-"))
    try:
        submission = root / "submission"
        notes = classroom.unpack(submission, exercises, staging, limits) if submission.is_dir() else \
            [f"there is no {submission}"]
        verdicts = grader.grade_directory(staging, exercises, seed, jobs=config.get("jobs", 2), limits=limits,
                                          allow_minigan=config.get("allow_minigan", False),
                                          missing=grader.NOT_SUBMITTED)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    results = grader.gradescope_results(verdicts, execution_time=time.perf_counter() - start,
                                        visibility=config.get("visibility", "visible"),
                                        stdout_visibility=config.get("stdout_visibility", "visible"))
    results["output"] = "\n".join([f"minigan {version()}, seed {seed}", *notes, "", results["output"]])
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(results["output"])
    return results


if __name__ == "__main__":
    run(sys.argv[1] if len(sys.argv) > 1 else os.environ.get(ROOT_VARIABLE, "/autograder"))
