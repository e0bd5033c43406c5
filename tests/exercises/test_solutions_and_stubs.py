"""minigan's solutions get full marks and the untouched stubs get "not attempted", for every exercise;
each exercise's stub carries its lecture ID and formula, and no line of the solution."""
import pathlib
import re

import pytest

from minigan.exercises import grader, registry, workspace

ROOT = pathlib.Path(__file__).resolve().parents[2]
LECTURE_IDS = set(re.findall(r"\*\*((?:GAN|WGAN|OPT|BEGAN|ADV|VAR)(?:-[A-Z0-9]+)+)\b",
                             (ROOT / "docs/lecture/FORMULAS.md").read_text(encoding="utf-8")))
NAMES = [e.name for e in registry.all_exercises()]


def test_the_set_covers_the_lecture_in_order():
    exercises = registry.all_exercises()
    assert len(exercises) >= 24 and len(set(NAMES)) == len(NAMES)
    topics = [e.lecture_id.split("-")[0] for e in exercises]
    order = ["AD", "NN", "GAN", "WGAN", "BEGAN", "OPT", "ADV", "VAR"]
    assert [t for i, t in enumerate(topics) if i == 0 or topics[i - 1] != t] == order
    for wanted in ("GAN-3", "GAN-4", "GAN-5", "WGAN-4", "WGAN-GP", "BEGAN-1", "BEGAN-2", "BEGAN-3", "BEGAN-5",
                   "OPT-GD", "OPT-RMSPROP", "OPT-ADAM", "OPT-OADAM", "OPT-OMD", "ADV-1", "ADV-2"):
        assert wanted in {e.lecture_id for e in exercises}, wanted


@pytest.mark.parametrize("name", NAMES)
def test_the_stub_states_the_formula_and_hides_the_solution(name):
    exercise = registry.get(name)
    stub, solution = workspace.stub(name), workspace.solution(name)
    assert f"[{exercise.lecture_id}" in stub.split('"""')[1], "the module docstring starts with the lecture ID"
    assert exercise.lecture_id in LECTURE_IDS | {"WGAN-GP"} or exercise.lecture_id.split("-")[0] in ("AD", "NN")
    assert "NotImplementedError" in stub and "NotImplementedError" not in solution
    assert "### BEGIN SOLUTION" not in stub and "### BEGIN SOLUTION" not in solution
    source_lines = workspace.source(name).splitlines()
    hidden = [source_lines[i - 1].strip() for i in workspace.solution_lines(name)]
    assert hidden and not [line for line in hidden if line and line in stub.splitlines()
                           and line not in ("return grad", "continue")]
    for symbol in exercise.symbols:
        assert re.search(rf"^(class|def) {symbol}\b", stub, re.M), symbol


@pytest.mark.parametrize("name", NAMES)
def test_the_solution_passes_and_the_stub_is_not_attempted(tmp_path, name):
    exercise = registry.get(name)
    path = tmp_path / exercise.source_file
    path.write_text(workspace.solution(name), encoding="utf-8")
    verdict = grader.grade_file(path, exercise, seed=1)
    assert verdict.status == grader.PASSED, verdict.text()
    assert verdict.passed_checks
    path.write_text(workspace.stub(name), encoding="utf-8")
    verdict = grader.grade_file(path, exercise, seed=1)
    assert verdict.status == grader.NOT_ATTEMPTED, verdict.text()
    assert "not attempted" in verdict.text()


@pytest.mark.parametrize("name", ["adam_step", "conv2d", "gradient_penalty", "backward"])
def test_the_solution_passes_on_other_seeds(tmp_path, name):
    exercise = registry.get(name)
    path = tmp_path / exercise.source_file
    path.write_text(workspace.solution(name), encoding="utf-8")
    for seed in (2, 12345, 2 ** 23 - 1):
        verdict = grader.grade_file(path, exercise, seed=seed)
        assert verdict.passed, verdict.text()


def test_the_seed_draws_the_inputs(tmp_path):
    """The same seed reproduces a failure exactly; another seed draws other inputs."""
    exercise = registry.get("adam_step")
    path = tmp_path / "adam_step.py"
    path.write_text(workspace.solution("adam_step").replace("m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)",
                                                            "m_hat, v_hat = m, v"), encoding="utf-8")
    first, again, other = (grader.grade_file(path, exercise, seed=s) for s in (5, 5, 6))
    assert first.status == grader.FAILED and first.seed == 5 and "seed 5" in first.text()
    assert (first.expected, first.got, first.where) == (again.expected, again.got, again.where)
    assert (first.expected, first.got) != (other.expected, other.got)
