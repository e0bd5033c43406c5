"""The student's workspace: one file per exercise, written from the exercise's single source.

Each source (minigan/exercises/sources/NAME.py) is minigan's reference solution with every part
the student writes between ``### BEGIN SOLUTION`` and ``### END SOLUTION``. From it come

    the stub       each block replaced by  raise NotImplementedError("NAME: ...")
    the solution   each block kept (the instructor's answer key)

both with the block framed by ``# --- BEGIN YOUR SOLUTION`` / ``# --- END YOUR SOLUTION`` lines. `start`
never overwrites a file the student has changed: a file may be replaced only while it is, byte for
byte, a stub or a solution that `start` wrote.
"""
import pathlib
import re

SOURCES = pathlib.Path(__file__).resolve().parent / "sources"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*\n", re.S | re.M)


class EditedFileError(Exception):
    """`start` would overwrite files the student has changed."""

    def __init__(self, paths):
        self.paths = [str(p) for p in paths]
        super().__init__("these files were changed since `exercises start` wrote them and would be "
                         f"overwritten: {', '.join(self.paths)}; move them away, or pass --force to overwrite")


def source_path(name):
    return SOURCES / f"{name}.py"


def source(name):
    """The text of an exercise's source, markers included."""
    text = source_path(name).read_text(encoding="utf-8")
    if BEGIN not in text:
        raise ValueError(f"the source of exercise {name!r} has no {BEGIN} block")
    return text


def _frame(indent, body):
    return f"{indent}# --- BEGIN YOUR SOLUTION\n{body}{indent}# --- END YOUR SOLUTION\n"


def stub(name):
    """The student's file: every solution block replaced by ``raise NotImplementedError``."""
    def replace(match):
        indent = match.group(1)
        return _frame(indent, f'{indent}raise NotImplementedError("{name}: write this part")\n')
    return _BLOCK.sub(replace, source(name))


def solution(name):
    """The answer key: the same file with minigan's solution in every block."""
    return _BLOCK.sub(lambda m: _frame(m.group(1), m.group(2)), source(name))


def solution_lines(name):
    """The line numbers (1-based, in the source) inside the solution blocks (what a mutation may touch)."""
    text = source(name)
    lines = set()
    for match in _BLOCK.finditer(text):
        first = text.count("\n", 0, match.start(2)) + 1
        last = text.count("\n", 0, match.end(2))
        lines.update(range(first, last + 1))
    return lines


README = """\
# minigan exercises

One file per exercise, each one formula of the lecture (the ID is in the file's docstring). Fill in
every part between `# --- BEGIN YOUR SOLUTION` and `# --- END YOUR SOLUTION` (it raises
NotImplementedError until you do), then grade your work:

    python -m minigan exercises list                  # the exercises, in the lecture's order
    python -m minigan exercises check {dir}           # grade every file here
    python -m minigan exercises check {dir} adam_step # grade some of them
    python -m minigan exercises check {dir} --seed 1234   # the inputs of an earlier run again

Each exercise is *not attempted* (it still raises NotImplementedError), *passed*, or *failed*, with
the check that failed (the forward value against minigan's own implementation, the gradient against
central differences in float64, a second derivative, a short training run), the worst element,
the expected and the obtained value, and a hint when the mistake is a known one. The inputs are
random; the seed printed with each verdict reproduces them (--seed). Every file runs in its own
process with a time limit (--time-limit), so an endless loop fails that exercise only.

In a notebook, grade a function or class you defined there:

    import minigan.exercises
    minigan.exercises.check("adam_step", adam_step)

--json results.json writes the results in Gradescope's format.
"""


def start(directory, names, solutions=False, force=False):
    """Write DIR/NAME.py for every exercise in `names` (stubs, or solutions) and DIR/README.md.
    Raises EditedFileError, writing nothing, if a file exists that `start` did not write as it is
    now (unless force). Returns the paths written."""
    directory = pathlib.Path(directory)
    planned = {directory / f"{name}.py": (solution(name) if solutions else stub(name), (stub(name), solution(name)))
               for name in names}
    planned[directory / "README.md"] = (README.format(dir=directory), (README.format(dir=directory),))
    edited = [path for path, (_, untouched) in planned.items()
              if path.exists() and path.read_text(encoding="utf-8") not in untouched]
    if edited and not force:
        raise EditedFileError(edited)
    directory.mkdir(parents=True, exist_ok=True)
    for path, (text, _) in planned.items():
        path.write_text(text, encoding="utf-8")
    return list(planned)
