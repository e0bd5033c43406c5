"""Exercises that grade themselves: one formula of the lecture each, checked against minigan's own
implementation and against central differences in float64, with feedback that names the mistake.

From a terminal:

    python -m minigan exercises list
    python -m minigan exercises start DIR            # DIR/NAME.py stubs and a README
    python -m minigan exercises check DIR [NAME ...] [--json results.json]

For the teacher (a whole class; Gradescope's autograder):

    python -m minigan exercises grade SUBMISSIONS --out grades.csv [--jobs N] [--json-dir DIR]
    python -m minigan exercises autograder --out autograder.zip [NAME ...]

Every student file is graded in its own process under time, memory and process limits (sandbox.py).

In a notebook, grade a function or class defined there:

    import minigan.exercises
    minigan.exercises.check("adam_step", adam_step)
    minigan.exercises.check("backward", topological_order=topological_order, backward=backward)
"""
import inspect

from minigan.exercises.grader import TIME_LIMIT, Verdict, grade, new_seed
from minigan.exercises.registry import Exercise, all_exercises, get

__all__ = ["Exercise", "Verdict", "check", "exercises"]


def exercises():
    """Every exercise, in the order the lecture teaches them."""
    return all_exercises()


def check(name, obj=None, seed=None, quiet=False, time_limit=TIME_LIMIT, **symbols):
    """Grade the student's `obj` (the function or class the exercise asks for) in this process, print
    the verdict and return it. An exercise with several names (``backward``) takes them as keywords.
    seed: the inputs' seed (a new one when None; it is printed with the verdict).
    time_limit: seconds before the exercise fails as timed out, as on the command line (default 20;
    None: no limit). It is kept through SIGALRM, so in the main thread only (a notebook's cell runs there)."""
    exercise = get(name)
    if obj is not None:
        if len(exercise.symbols) != 1:
            raise TypeError(f"exercise {name!r} needs {', '.join(exercise.symbols)}: pass them as keywords, "
                            f"check({name!r}, {', '.join(f'{s}={s}' for s in exercise.symbols)})")
        symbols = {exercise.symbols[0]: obj}
    missing = [s for s in exercise.symbols if s not in symbols]
    if missing:
        raise TypeError(f"exercise {name!r} needs {', '.join(missing)}: check({name!r}, "
                        + ", ".join(f"{s}={s}" for s in exercise.symbols) + ")")
    verdict = grade(exercise, [symbols[s] for s in exercise.symbols], new_seed() if seed is None else seed,
                    student_files=_files(symbols.values()), time_limit=time_limit)
    if not quiet:
        print(verdict.text())
    return verdict


def _files(objects):
    """The files (or notebook cells) that the student's functions and classes were defined in."""
    functions = []
    for obj in objects:
        functions += [f for f in vars(obj).values() if inspect.isfunction(f)] if inspect.isclass(obj) else [obj]
    return tuple({f.__code__.co_filename for f in functions if hasattr(f, "__code__")})
