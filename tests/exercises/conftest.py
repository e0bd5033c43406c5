"""Shared by the exercise tests: a student's file made from minigan's solution with one edit."""
import pytest

from minigan.exercises import grader, registry, workspace


@pytest.fixture
def plant(tmp_path):
    """plant(name, old, new) -> the path of DIR/NAME.py: minigan's solution with `old` (which must be
    there) replaced by `new`, as a student who made that mistake would have written it."""
    def write(name, old, new):
        text = workspace.solution(name)
        assert old in text, f"{old!r} is not in the solution of {name}"
        path = tmp_path / f"{name}.py"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path
    return write


@pytest.fixture
def grade_planted(plant):
    """grade_planted(name, old, new, seed=3) -> the in-process verdict on a planted file."""
    def grade(name, old, new, seed=3):
        return grader.grade_file(plant(name, old, new), registry.get(name), seed)
    return grade
