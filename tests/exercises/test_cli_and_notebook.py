"""`python -m minigan exercises list|start|check`, Gradescope's results.json, and the notebook's
minigan.exercises.check."""
import json

import pytest

import minigan.exercises
from minigan import cli
from minigan.exercises import registry, workspace


@pytest.fixture
def main(monkeypatch):
    """minigan.cli.main with the exercises command registered."""
    if "exercises" not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, "exercises"])
    return cli.main


def test_list_prints_every_exercise_with_its_id(main, capsys):
    assert main(["exercises", "list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(registry.all_exercises())
    for line, exercise in zip(lines, registry.all_exercises()):
        assert line.split()[:2] == [exercise.name, exercise.lecture_id] and exercise.summary in line


def test_start_writes_stubs_and_a_readme_and_never_overwrites_an_edited_file(main, tmp_path, capsys):
    folder = tmp_path / "hw"
    assert main(["exercises", "start", str(folder)]) == 0
    assert (folder / "README.md").read_text(encoding="utf-8").count("exercises check") >= 2
    assert (folder / "adam_step.py").read_text(encoding="utf-8") == workspace.stub("adam_step")
    assert len(list(folder.glob("*.py"))) == len(registry.all_exercises())
    assert main(["exercises", "start", str(folder)]) == 0            # untouched stubs: written again
    assert main(["exercises", "start", str(folder), "--solutions"]) == 0   # still untouched: the key replaces them
    assert (folder / "adam_step.py").read_text(encoding="utf-8") == workspace.solution("adam_step")

    edited = folder / "fgsm.py"
    edited.write_text(workspace.stub("fgsm") + "\n# my work\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["exercises", "start", str(folder)]) == 2
    error = capsys.readouterr().err
    assert str(edited) in error and "--force" in error and len(error.strip().splitlines()) == 1
    assert edited.read_text(encoding="utf-8").endswith("# my work\n")
    assert (folder / "adam_step.py").read_text(encoding="utf-8") == workspace.solution("adam_step"), \
        "nothing is written when one file would be overwritten"
    assert main(["exercises", "start", str(folder), "--force"]) == 0
    assert edited.read_text(encoding="utf-8") == workspace.stub("fgsm")


def test_check_grades_prints_a_table_and_writes_gradescope_json(main, tmp_path, capsys):
    folder = tmp_path / "hw"
    main(["exercises", "start", str(folder), "adam_step", "fgsm", "update_k"])
    (folder / "adam_step.py").write_text(workspace.solution("adam_step"), encoding="utf-8")
    (folder / "update_k.py").write_text(workspace.solution("update_k").replace("0.0), 1.0)", "0.0), 2.0)"),
                                        encoding="utf-8")
    results = tmp_path / "results.json"
    capsys.readouterr()
    code = main(["exercises", "check", str(folder), "adam_step", "fgsm", "update_k", "--json", str(results),
                 "--seed", "42"])
    out = capsys.readouterr().out
    assert code == 1, "exit 0 only when every exercise checked passed"
    assert "seed 42" in out and "1 of 3 passed, 1 not attempted" in out
    table = out[out.index("exercise "):]
    assert [line.split()[0] for line in table.splitlines()[2:5]] == ["adam_step", "fgsm", "update_k"]
    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["score"] == 1.0 and isinstance(data["execution_time"], float) and data["visibility"] == "visible"
    assert [t["status"] for t in data["tests"]] == ["passed", "failed", "failed"]
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output"}
        assert test["max_score"] == 1.0 and test["score"] == (1.0 if test["status"] == "passed" else 0.0)
        assert isinstance(test["output"], str) and test["output"]
    assert "not attempted" in data["tests"][1]["output"] and "k_{t+1}" in data["tests"][2]["output"]
    assert main(["exercises", "check", str(folder), "adam_step", "--seed", "42"]) == 0


def test_user_errors_exit_2_with_one_line(main, tmp_path, capsys):
    assert main(["exercises", "check", str(tmp_path / "nowhere")]) == 2
    assert main(["exercises", "check", str(tmp_path), "no_such_exercise"]) == 2
    assert main(["exercises", "start", str(tmp_path), "no_such_exercise"]) == 2
    assert main(["exercises", "check", str(tmp_path), "fgsm", "--time-limit", "0"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 4 and "no_such_exercise" in errors[1] and "exercises list" in errors[1]


def test_the_notebook_check_grades_a_function_defined_there(capsys):
    import numpy as np

    def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        return theta - lr * m / (np.sqrt(v) + eps), m, v        # no bias correction

    verdict = minigan.exercises.check("adam_step", adam_step, seed=9)
    printed = capsys.readouterr().out
    assert not verdict.passed and "Adam without bias correction" in verdict.hint
    assert printed.strip() == verdict.text() and "seed 9" in printed

    def fixed(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        theta, m, v = adam_step(theta, g, m, v, t, lr, beta1, beta2, eps)
        return theta, m, v
    assert not minigan.exercises.check("adam_step", fixed, quiet=True).passed
    assert capsys.readouterr().out == ""


def test_the_notebook_check_of_an_exercise_with_two_names_and_a_class():
    namespace = {}
    exec(workspace.solution("backward"), namespace)
    verdict = minigan.exercises.check("backward", topological_order=namespace["topological_order"],
                                      backward=namespace["backward"], quiet=True)
    assert verdict.passed, verdict.text()
    with pytest.raises(TypeError, match="topological_order=topological_order"):
        minigan.exercises.check("backward", namespace["backward"])
    exec(workspace.solution("log").replace("return grad / x", "return grad / undefined"), namespace)
    verdict = minigan.exercises.check("log", namespace["Log"], quiet=True)
    assert "NameError" in verdict.message and verdict.line.startswith("<string> line 21")   # exec: no source text
