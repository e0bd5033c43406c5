"""For the teacher: a whole class graded with `exercises grade` (the CSV, the class report, the same CSV
for the same seed), and the Gradescope autograder zip, unpacked into a temporary root and run there on
the answer key, the untouched stubs, and a submission with one known mistake."""
import csv
import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest

from minigan import cli
from minigan.exercises import autograder, workspace

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NO_BIAS = ("m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)", "m_hat, v_hat = m, v")
NAMES = ["adam_step", "update_k"]


def write(folder, files):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def key(name):
    return workspace.solution(name)


def no_bias_correction():
    return key("adam_step").replace(*NO_BIAS)


# ------------------------------------------------------------------------------ a whole class
@pytest.fixture(scope="module")
def class_folder(tmp_path_factory):
    """Five students: the key (as a zip), the stubs, three who forgot Adam's bias correction (one
    of them handed in adam_step only)."""
    submissions = tmp_path_factory.mktemp("class") / "submissions"
    write(submissions / "stubs", {f"{n}.py": workspace.stub(n) for n in NAMES})
    for student in ("ada", "bert"):
        write(submissions / student, {"adam_step.py": no_bias_correction(), "update_k.py": key("update_k")})
    write(submissions / "cleo" / "nested" / "deeper", {"adam_step.py": no_bias_correction()})
    with zipfile.ZipFile(submissions / "keyholder.zip", "w") as z:
        for name in NAMES:
            z.writestr(f"hw/{name}.py", key(name))
    return submissions


def grade(submissions, out, capsys):
    assert cli.main(["exercises", "grade", str(submissions), *NAMES, "--out", str(out), "--seed", "11"]) == 0
    printed = capsys.readouterr()
    with open(out, newline="", encoding="utf-8") as f:
        return list(csv.reader(f)), printed


def test_a_class_gives_one_row_per_student_and_a_report_of_its_mistakes(class_folder, tmp_path, capsys):
    rows, printed = grade(class_folder, tmp_path / "grades.csv", capsys)
    assert rows[0] == ["student", "adam_step", "update_k", "total", "note"]
    assert rows[1:] == [["ada", "0", "1", "1", ""], ["bert", "0", "1", "1", ""], ["cleo", "0", "0", "0", ""],
                        ["keyholder", "1", "1", "2", ""], ["stubs", "0", "0", "0", ""]]
    report = (tmp_path / "grades.md").read_text(encoding="utf-8")
    assert report in printed.out and "grading:" in printed.err      # the report printed; tqdm's bar on stderr
    assert "| adam_step | OPT-ADAM | 1 | 3 | 1 | 0 |" in report
    assert "| update_k | BEGAN-3 | 3 | 0 | 1 | 1 |" in report
    assert "- Adam without bias correction (`adam_step`): 3 students" in report
    assert "seed 11" in report


def test_the_same_seed_gives_the_same_csv(class_folder, tmp_path, capsys):
    first, _ = grade(class_folder, tmp_path / "a.csv", capsys)
    second, _ = grade(class_folder, tmp_path / "b.csv", capsys)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes() and first == second


def test_grade_user_errors_exit_2(tmp_path, capsys):
    assert cli.main(["exercises", "grade", str(tmp_path / "nowhere")]) == 2
    assert cli.main(["exercises", "grade", str(tmp_path)]) == 2                      # no student in it
    assert cli.main(["exercises", "grade", str(tmp_path), "--jobs", "0"]) == 2
    assert cli.main(["exercises", "grade", str(tmp_path), "--memory-limit", "-1"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 4


# ------------------------------------------------------------------------------ the autograder zip
@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "autograder.zip"
    assert cli.main(["exercises", "autograder", "--out", str(out), "adam_step", "update_k", "fgsm",
                     "--visibility", "after_due_date", "--time-limit", "15"]) == 0
    return out


def run_autograder(zip_path, root, submission, env_path):
    """Unpack the zip into ROOT/source, the submission into ROOT/submission, run ROOT/source/run_autograder
    as Gradescope would (ROOT instead of /autograder); the results.json it wrote."""
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):
        (root / "source" / name).chmod(0o755)
    write(root / "submission", submission)
    env = {**os.environ, autograder.ROOT_VARIABLE: str(root), autograder.PYTHON_VARIABLE: sys.executable,
           "PYTHONPATH": env_path}
    finished = subprocess.run([str(root / "source" / "run_autograder")], capture_output=True, text=True, env=env,
                              timeout=120)
    assert finished.returncode == 0, finished.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    return results, {t["name"].split()[0]: t for t in results["tests"]}


def test_the_zip_has_gradescopes_layout_and_this_minigan_as_a_wheel(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as z:
        names = sorted(z.namelist())
        wheel = f"minigan-{autograder.version()}-py3-none-any.whl"
        assert names == sorted(["autograder.json", "run_autograder", "setup.sh", wheel])
        for script in ("setup.sh", "run_autograder"):
            assert stat.S_IMODE(z.getinfo(script).external_attr >> 16) == 0o755
            assert z.read(script).startswith(b"#!/usr/bin/env bash\n")
        assert f"pip install ./{wheel}".encode() in z.read("setup.sh")
        config = json.loads(z.read("autograder.json"))
    assert config["exercises"] == ["adam_step", "update_k", "fgsm"] and config["visibility"] == "after_due_date"
    assert config["limits"]["seconds"] == "15" and config["minigan"] == autograder.version()


def test_the_autograder_grades_the_key_with_the_wheels_minigan(autograder_zip, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(autograder_zip) as z:
        z.extract(f"minigan-{autograder.version()}-py3-none-any.whl", tmp_path)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--target",
                    str(site), str(tmp_path / f"minigan-{autograder.version()}-py3-none-any.whl")],
                   check=True, capture_output=True, timeout=120)
    assert (site / "minigan" / "exercises" / "sources" / "adam_step.py").exists()
    results, tests = run_autograder(autograder_zip, tmp_path / "root",
                                    {f"{n}.py": key(n) for n in ("adam_step", "update_k", "fgsm")}, str(site))
    assert results["score"] == 3.0 and all(t["status"] == "passed" for t in tests.values())
    assert all(t["visibility"] == "after_due_date" and t["max_score"] == 1.0 for t in tests.values())


def test_the_autograder_gives_the_stubs_zero_as_not_attempted(autograder_zip, tmp_path):
    results, tests = run_autograder(autograder_zip, tmp_path / "root",
                                    {f"{n}.py": workspace.stub(n) for n in ("adam_step", "update_k", "fgsm")}, ROOT)
    assert results["score"] == 0.0
    assert [t["extra_data"]["verdict"] for t in tests.values()] == ["not attempted"] * 3
    assert all("not attempted" in t["output"] for t in tests.values())


def test_one_mistake_fails_with_its_hint_missing_files_are_not_submitted(autograder_zip, tmp_path):
    root = tmp_path / "root"
    fake = {"score": 99.0, "tests": []}
    target = str(root / "results" / "results.json")
    forger = (f"try:\n    open({target!r}, 'w').write({json.dumps(fake)!r})\n"
              "except OSError:\n    pass\n") + key("update_k")
    (root / "results").mkdir(parents=True)
    results, tests = run_autograder(autograder_zip, root, {"hw/adam_step.py": no_bias_correction(),
                                                           "hw/update_k.py": forger}, ROOT)
    adam = tests["adam_step"]
    assert adam["status"] == "failed" and adam["score"] == 0.0
    assert adam["extra_data"]["hint"].startswith("Adam without bias correction") and "hint: Adam" in adam["output"]
    assert tests["update_k"]["status"] == "passed"
    assert tests["fgsm"]["extra_data"]["verdict"] == "not submitted" and tests["fgsm"]["score"] == 0.0
    assert "no fgsm.py was submitted" in tests["fgsm"]["output"]
    assert results["score"] == 1.0, "results.json is the grader's, written after the student's code ended"
