"""The exercise set, in the order the lecture and the tutorials teach it.

An exercise is one formula: its name (the student's file NAME.py), its lecture ID, a one-line
summary, the tutorial it belongs to, the names the student's file defines, and its check. The
checks live by topic in checks_autograd.py, checks_backprop.py, checks_layers.py, checks_losses.py, checks_optim.py and
checks_adversarial.py, each with its EXERCISES list.

The IDs are the lecture's (docs/lecture/FORMULAS.md: GAN-3, WGAN-4, OPT-ADAM, BEGAN-3, ADV-1, ...),
and, for the machinery the slides take for granted, minigan's own: AD-* (automatic
differentiation) and NN-* (layers).
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Exercise:
    name: str
    lecture_id: str
    summary: str
    tutorial: str                   # the notebook under tutorials/ whose exercises point here, e.g. "01"
    symbols: tuple                  # the names the student's file defines, e.g. ("Mul",)
    check: object                   # check(grading, *symbols): raises CheckFailed or NotAttempted, else passes
    hints_for_exceptions: tuple = field(default=())   # (regex on "Type: message", hint)

    @property
    def source_file(self):
        return f"{self.name}.py"


def all_exercises():
    """Every exercise, in teaching order (imported here, so that listing them costs one import)."""
    from minigan.exercises import (
        checks_adversarial, checks_autograd, checks_backprop, checks_layers, checks_losses, checks_optim)

    exercises = [*checks_autograd.EXERCISES, *checks_backprop.EXERCISES, *checks_layers.EXERCISES,
                 *checks_losses.EXERCISES, *checks_optim.EXERCISES, *checks_adversarial.EXERCISES]
    names = [e.name for e in exercises]
    assert len(names) == len(set(names)), "two exercises share a name"
    return exercises


def get(name):
    """The exercise called `name`, or a KeyError that lists the names."""
    for exercise in all_exercises():
        if exercise.name == name:
            return exercise
    raise KeyError(f"no exercise named {name!r}; `python -m minigan exercises list` shows them all: "
                   + ", ".join(e.name for e in all_exercises()))
