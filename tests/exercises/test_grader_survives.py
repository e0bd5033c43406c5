"""A grader that survives students: an endless loop, a syntax error, `return 0`, an exception, a wrong
shape or dtype, NaN, exit() — each is a verdict (with the student's line where there is one), never a
crash, and the subprocess's time limit stops the loop."""
import time

import pytest

from minigan.exercises import grader, registry, workspace

ADAM_BODY = "m = beta1 * m + (1 - beta1) * g\n"


def test_an_endless_loop_times_out_and_the_rest_still_run(tmp_path, plant):
    plant("adam_step", ADAM_BODY, "while True:\n        pass\n")
    (tmp_path / "rmsprop_step.py").write_text(workspace.solution("rmsprop_step"), encoding="utf-8")
    start = time.perf_counter()
    verdicts = grader.grade_directory(tmp_path, [registry.get("adam_step"), registry.get("rmsprop_step")], seed=1,
                                      time_limit=3.0, jobs=2)
    assert time.perf_counter() - start < 15
    loop, fine = verdicts
    assert loop.status == grader.FAILED and loop.check == "time limit" and "timed out" in loop.message
    assert 2.9 < loop.seconds < 10
    assert fine.passed, fine.text()


def test_a_syntax_error_is_a_verdict_with_its_line(tmp_path, plant):
    path = plant("adam_step", "def adam_step(theta, g, m, v, t,", "def adam_step(theta, g, m, v, t,,")
    verdict = grader.grade_in_subprocess(path, registry.get("adam_step"), seed=1, time_limit=10)
    assert verdict.status == grader.FAILED and verdict.check == "loading the file"
    assert "syntax error" in verdict.message and verdict.line.startswith("adam_step.py line ")


def test_return_zero_fails_the_first_check(tmp_path, plant):
    path = plant("discriminator_loss", "return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()",
                 "return 0")
    verdict = grader.grade_in_subprocess(path, registry.get("discriminator_loss"), seed=1, time_limit=10)
    assert verdict.status == grader.FAILED and verdict.check == "value" and verdict.got == "0"
    path = plant("adam_step", ADAM_BODY, "return 0\n")
    verdict = grader.grade_in_subprocess(path, registry.get("adam_step"), seed=1, time_limit=10)
    assert verdict.status == grader.FAILED and "expected a tuple (θ_t, m_t, v_t), got int" in verdict.message


def test_exit_in_the_students_file_is_a_verdict(tmp_path, plant):
    path = plant("adam_step", ADAM_BODY, "raise SystemExit(3)\n")
    verdict = grader.grade_in_subprocess(path, registry.get("adam_step"), seed=1, time_limit=10)
    assert verdict.status == grader.FAILED
    path = plant("adam_step", ADAM_BODY, "import os\n    os._exit(0)\n")
    verdict = grader.grade_in_subprocess(path, registry.get("adam_step"), seed=1, time_limit=10)
    assert verdict.status == grader.FAILED and verdict.check == "running the file" and "exit code 0" in verdict.message


def test_a_missing_file_is_not_attempted(tmp_path):
    verdict = grader.grade_in_subprocess(tmp_path / "fgsm.py", registry.get("fgsm"), seed=1)
    assert verdict.status == grader.NOT_ATTEMPTED and "exercises start" in verdict.message


@pytest.mark.parametrize("old, new, check, message", [
    ("return grad / x", "return (grad / x).sum(axis=0)", "backward ∂L/∂x", "shape (4,), expected (3, 4)"),
    ("return grad / x", "return (grad / x).astype('float32')", "backward ∂L/∂x", "dtype float32"),
    ("return grad / x", "return grad / x * float('nan')", "backward ∂L/∂x", "not finite"),
    ("return grad / x", "return grad / undefined_name", "backward", "NameError"),
    ("return np.log(x)", "return np.log(x)[:1]", "forward", "shape"),
])
def test_wrong_shapes_dtypes_nan_and_exceptions_are_verdicts(grade_planted, old, new, check, message):
    verdict = grade_planted("log", old, new)
    assert verdict.status == grader.FAILED and verdict.check == check and message in verdict.message, verdict.text()


def test_an_exception_quotes_the_students_line(grade_planted):
    verdict = grade_planted("log", "return grad / x", "return grad / undefined_name")
    assert verdict.line == "log.py line 21: return grad / undefined_name"
    assert "NameError" in verdict.text() and "at log.py line 21" in verdict.text()


def test_a_missing_name_is_a_verdict(grade_planted):
    verdict = grade_planted("fgsm", "def fgsm(", "def my_fgsm(")
    assert verdict.check == "loading the file" and "defines no fgsm" in verdict.message


def test_a_result_of_the_wrong_kind_is_a_verdict_not_a_crash(grade_planted):
    verdict = grade_planted("discriminator_loss",
                            "return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()",
                            "return 'a string'")
    assert verdict.status == grader.FAILED and verdict.check == "value"
    verdict = grade_planted("critic_step", "return objective.item()", "return objective")
    assert verdict.passed, verdict.text()   # a scalar Tensor for a float is fine
