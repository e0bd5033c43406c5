"""Student code cannot take the grader down: a class graded with `exercises grade` in which every
student but one hands in something hostile for adam_step (an endless loop, a memory bomb, a bounded
fork loop, os._exit, a file that deletes its working directory, a fake results.json, a zip that
climbs out, a 20 MB file, a binary file, minigan's own Adam) and minigan's solution for update_k.
Each hostile file gets a verdict that names what happened; every update_k, and the honest student,
are graded as if the others were not there."""
import csv
import os
import zipfile

import pytest

from minigan import cli
from minigan.exercises import grader, registry, sandbox, workspace

KEY_ADAM = workspace.solution("adam_step")
BODY = "    m = beta1 * m + (1 - beta1) * g\n"


def adam(prefix="", body=None):
    """adam_step.py: minigan's solution with `prefix` at the top of the file and `body` (if given) as
    the first lines of the function."""
    text = KEY_ADAM if body is None else KEY_ADAM.replace(BODY, body + BODY)
    return prefix + text


BAD = {
    "loop": adam(body="    while True:\n        pass\n"),
    "memory": adam(body="    hog = np.ones(50 * 2 ** 30 // 8)\n"),       # 50 GiB
    # at most 300 forks even if no limit held; each child sleeps, then leaves
    "forks": adam(body="    import os, time\n    for _ in range(300):\n        if os.fork() == 0:\n"
                       "            time.sleep(30)\n            os._exit(0)\n"),
    "exits": "import os\nos._exit(0)\n" + KEY_ADAM,
    "deleter": adam("import os, shutil\nfor entry in os.listdir('.'):\n"
                    "    shutil.rmtree(entry) if os.path.isdir(entry) else os.remove(entry)\n"),
    "faker": ("import json, os\nfake = {'score': 100.0, 'tests': []}\n"
              "for place in ('results.json', os.path.expanduser('~/results.json')):\n"
              "    try:\n        open(place, 'w').write(json.dumps(fake))\n    except OSError:\n        pass\n"
              + workspace.stub("adam_step")),
    "borrower": "from minigan.optim import Adam\n" + KEY_ADAM,
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, graded once with the CLI: (folder, CSV rows by student, report, the Classroom's verdicts)."""
    root = tmp_path_factory.mktemp("class")
    submissions = root / "submissions"
    update_k = workspace.solution("update_k")
    for student, text in [("honest", KEY_ADAM), *BAD.items()]:
        folder = submissions / student
        folder.mkdir(parents=True)
        (folder / "adam_step.py").write_text(text, encoding="utf-8")
        (folder / "update_k.py").write_text(update_k, encoding="utf-8")
    (submissions / "huge").mkdir()
    (submissions / "huge" / "adam_step.py").write_text("# " + "x" * (20 * 2 ** 20) + "\n", encoding="utf-8")
    (submissions / "huge" / "update_k.py").write_text(update_k, encoding="utf-8")
    (submissions / "binary").mkdir()
    (submissions / "binary" / "adam_step.py").write_bytes(bytes(range(256)) * 64)
    (submissions / "binary" / "update_k.py").write_text(update_k, encoding="utf-8")
    (submissions / "empty").mkdir()
    (submissions / "garbage.zip").write_bytes(b"this is not a zip file at all")
    with zipfile.ZipFile(submissions / "climber.zip", "w") as z:
        z.writestr("../x.py", "print('outside')\n")
        z.writestr("../../adam_step.py", "raise SystemExit\n")
        z.writestr("work/adam_step.py", KEY_ADAM)
        z.writestr("work/update_k.py", update_k)
    out = root / "out" / "grades.csv"
    out.parent.mkdir()
    code = cli.main(["exercises", "grade", str(submissions), "adam_step", "update_k", "--out", str(out),
                     "--seed", "5", "--jobs", "2", "--time-limit", "4", "--json-dir", str(root / "json")])
    assert code == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    return root, rows, (out.with_suffix(".md")).read_text(encoding="utf-8")


def verdict_of(root, student):
    import json

    data = json.loads((root / "json" / f"{student}.json").read_text(encoding="utf-8"))
    return {t["name"].split()[0]: t for t in data["tests"]}, data


def test_every_student_has_a_row_and_the_other_exercise_is_untouched(graded):
    root, rows, _ = graded
    assert set(rows) == {"honest", *BAD, "huge", "binary", "empty", "garbage", "climber"}
    assert rows["honest"]["adam_step"] == "1" and rows["honest"]["total"] == "2"
    assert rows["climber"]["adam_step"] == "1" and rows["climber"]["total"] == "2"
    for student in [*BAD, "huge", "binary"]:
        assert rows[student]["update_k"] == "1", student
        expected = "1" if student == "deleter" else "0"       # the deleter only deletes its scratch copy
        assert rows[student]["adam_step"] == expected, student
    for student in ("empty", "garbage"):
        assert rows[student]["total"] == "0" and rows[student]["note"]
    assert "the folder is empty" in rows["empty"]["note"] and "not a zip file" in rows["garbage"]["note"]
    assert "'../x.py', a path that climbs out" in rows["climber"]["note"]
    assert not (root / "x.py").exists() and not (root / "submissions" / "x.py").exists()


@pytest.mark.parametrize("student, check, words", [
    ("loop", "time limit", "ran longer than 4 s"),
    ("memory", "memory limit", f"used more than {sandbox.size_text(sandbox.DEFAULT.memory)} of memory"),
    ("forks", "process limit", f"started more than {sandbox.DEFAULT.processes} processes"),
    ("exits", "running the file", "ended with exit code 0 before a verdict"),
    ("huge", "loading the file", "adam_step.py is 20 MiB; an exercise file is at most 1 MiB"),
    ("binary", "loading the file", "is not a Python source file"),
    ("borrower", "minigan's own answer", "minigan.optim.Adam"),
])
def test_each_hostile_file_gets_a_verdict_that_names_what_happened(graded, student, check, words):
    tests, _ = verdict_of(graded[0], student)
    adam_step = tests["adam_step"]
    assert adam_step["status"] == "failed" and adam_step["extra_data"]["check"] == check, adam_step["output"]
    assert words in adam_step["output"] and "Traceback" not in adam_step["output"]
    assert tests["update_k"]["status"] == "passed"


def test_deleting_the_working_directory_or_faking_results_changes_nothing(graded):
    root, rows, _ = graded
    assert (root / "submissions" / "deleter" / "adam_step.py").read_text(encoding="utf-8") == BAD["deleter"]
    assert sorted(os.listdir(root / "submissions" / "deleter")) == ["adam_step.py", "update_k.py"]
    tests, data = verdict_of(root, "faker")
    assert tests["adam_step"]["extra_data"]["verdict"] == grader.NOT_ATTEMPTED and data["score"] == 1.0
    assert rows["faker"]["total"] == "1"
    assert not list(root.rglob("results.json")), "no results.json outside what the grader wrote"


def test_no_process_of_a_student_outlives_the_grading(graded):
    if os.geteuid() != 0:
        pytest.skip("the grading processes run as their own users only under root")
    left = [e.name for e in os.scandir("/proc") if e.name.isdigit() and sandbox._uid_of(e) is not None
            and sandbox.user_id(0) <= sandbox._uid_of(e) < sandbox.user_id(2 ** 22) and sandbox._alive(e)]
    assert left == []


def test_the_report_counts_the_limits_and_names_the_problem_submissions(graded):
    report = graded[2]
    assert "| adam_step | OPT-ADAM | 3 | 7 | 1 | 2 |" in report     # honest, deleter, climber passed
    assert "time limit (`adam_step`): 1 student" in report and "memory limit (`adam_step`): 1 student" in report
    assert "## The slowest submissions" in report and "- loop: " in report.split("## The slowest submissions")[1]
    assert "garbage: garbage.zip is not a zip file" in report


def test_a_memory_limit_is_an_option_and_holds_for_a_smaller_bomb(tmp_path):
    (tmp_path / "adam_step.py").write_text(adam(body="    hog = np.empty(2 ** 30 // 8)\n"), encoding="utf-8")
    limits = sandbox.Limits(memory=512 * 2 ** 20)
    verdict = grader.grade_in_subprocess(tmp_path / "adam_step.py", registry.get("adam_step"), 1, limits=limits)
    assert verdict.check == "memory limit" and verdict.message == "used more than 512 MiB of memory"
    verdict = grader.grade_in_subprocess(tmp_path / "adam_step.py", registry.get("adam_step"), 1)
    assert verdict.passed, verdict.text()      # 1 GiB is within the default 2 GiB


def test_the_notebook_check_has_the_same_time_limit():
    import minigan.exercises

    def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        while True:
            try:
                pass
            except Exception:      # a student's broad except cannot swallow the limit
                pass

    verdict = minigan.exercises.check("adam_step", adam_step, seed=1, quiet=True, time_limit=1.0)
    assert verdict.status == grader.FAILED and verdict.check == "time limit"
    assert verdict.message == "timed out: ran longer than 1 s"


def test_minigan_own_answer_is_allowed_when_the_teacher_says_so(tmp_path):
    path = tmp_path / "bce_with_logits.py"
    path.write_text("import minigan.functional as F\n\n\ndef bce_with_logits(logits, target):\n"
                    "    return F.bce_with_logits(logits, target)\n", encoding="utf-8")
    exercise = registry.get("bce_with_logits")
    verdict = grader.grade_in_subprocess(path, exercise, 1)
    assert verdict.check == "minigan's own answer" and "minigan.functional.bce_with_logits" in verdict.message
    assert "Traceback" not in verdict.text() and verdict.hint.startswith("write the formula yourself")
    assert grader.grade_in_subprocess(path, exercise, 1, allow_minigan=True).passed
    for exercise in registry.all_exercises():    # no answer key is taken for minigan's own
        from minigan.exercises import answers
        assert answers.borrowed(workspace.solution(exercise.name), exercise.name) == [], exercise.name
