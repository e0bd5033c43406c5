"""Mutation check of the exercise grader: does it fail a wrong solution?

For every exercise, each operator or numeric constant inside the reference solution's blocks
(### BEGIN SOLUTION ... ### END SOLUTION) is changed, one at a time, with `ast`:

    + ↔ −,  * ↔ /,  ** → *,  @ → *,  // → /,  % → //,  unary − dropped,  < ↔ <=,  > ↔ >=,  == ↔ !=,
    and ↔ or,  an integer c → c + 1,  a float c → 2c (0 → 1),  and the operator-like names
    .sum ↔ .mean,  maximum ↔ minimum,  max ↔ min,  np.add.at → np.subtract.at,  .T dropped.

Each mutant is graded with seed 1 (`caught` when the verdict is not "passed"). Whether a mutant
changes the function's output is decided apart from that verdict: the values the mutant's code
returns on the grader's inputs for seeds 2 and 3 are compared with the reference solution's (to the
grader's tolerance, rtol 1e-7); a mutant that raises, loops or returns other values there, or that
the seed-1 grading fails, changes the output. The score of an exercise is caught / output-changing.

    python benchmarks/mutation_exercises.py                 # every exercise, a markdown table
    python benchmarks/mutation_exercises.py adam_step fgsm  # some of them
    python benchmarks/mutation_exercises.py --show-missed   # print the mutants that got through
"""
import argparse
import ast
import copy
import pathlib
import signal
import sys
import tempfile
import time

import numpy as np

from minigan.exercises import grader, registry, workspace
from minigan.exercises.grading import RTOL

GRADING_SEED, PROBE_SEEDS = 1, (2, 3)
TIME_LIMIT = 20        # seconds per grading of one mutant

BINARY = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
          ast.MatMult: ast.Mult, ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv}
COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
           ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
BOOLEAN = {ast.And: ast.Or, ast.Or: ast.And}
NAMES = {"sum": "mean", "mean": "sum", "maximum": "minimum", "minimum": "maximum", "max": "min", "min": "max",
         "add": "subtract", "T": None}   # None: the attribute is dropped (a.T → a)


class TimedOut(BaseException):
    """Raised by the alarm: a BaseException, so that the grader's own handlers let it through."""


def mutation_sites(tree, lines):
    """(index in ast.walk order, description) of every operator and numeric constant on `lines`."""
    sites = []
    for index, node in enumerate(ast.walk(tree)):
        if getattr(node, "lineno", None) not in lines:
            continue
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in BINARY:
            sites.append((index, f"line {node.lineno}: {type(node.op).__name__} → {BINARY[type(node.op)].__name__}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sites.append((index, f"line {node.lineno}: unary − dropped"))
        elif isinstance(node, ast.Compare) and type(node.ops[0]) in COMPARE:
            sites.append((index, f"line {node.lineno}: {type(node.ops[0]).__name__} → "
                                 f"{COMPARE[type(node.ops[0])].__name__}"))
        elif isinstance(node, ast.BoolOp):
            sites.append((index, f"line {node.lineno}: {type(node.op).__name__} → {BOOLEAN[type(node.op)].__name__}"))
        elif isinstance(node, ast.Attribute) and node.attr in NAMES:
            sites.append((index, f"line {node.lineno}: .{node.attr} → "
                                 + (f".{NAMES[node.attr]}" if NAMES[node.attr] else "dropped")))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
              and not isinstance(node.value, bool)):
            sites.append((index, f"line {node.lineno}: constant {node.value!r} → {_new_constant(node.value)!r}"))
    return sites


def _new_constant(value):
    if isinstance(value, int):
        return value + 1
    return 2 * value if value else 1.0


class _Mutate(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target

    def visit(self, node):
        if node is not self.target:
            return self.generic_visit(node)
        if isinstance(node, (ast.BinOp, ast.AugAssign)):
            node.op = BINARY[type(node.op)]()
        elif isinstance(node, ast.UnaryOp):
            return node.operand
        elif isinstance(node, ast.Compare):
            node.ops = [COMPARE[type(node.ops[0])]()] + node.ops[1:]
        elif isinstance(node, ast.BoolOp):
            node.op = BOOLEAN[type(node.op)]()
        elif isinstance(node, ast.Attribute):
            if NAMES[node.attr] is None:
                return node.value
            node.attr = NAMES[node.attr]
        else:
            node.value = _new_constant(node.value)
        return node


def mutant_source(tree, index):
    tree = copy.deepcopy(tree)
    target = next(node for i, node in enumerate(ast.walk(tree)) if i == index)
    return ast.unparse(ast.fix_missing_locations(_Mutate(target).visit(tree)))


def _alarm(signum, frame):
    raise TimedOut()


def run(path, exercise, seed, record=None):
    """The verdict on the file at `path` ("timed out" after TIME_LIMIT seconds)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    try:
        return grader.grade_file(path, exercise, seed, record=record).status
    except TimedOut:
        return "timed out"
    finally:
        signal.alarm(0)


def observe(path, exercise):
    """What the code returns on the grader's inputs for the probe seeds, and how its grading ended."""
    records = []
    for seed in PROBE_SEEDS:
        record = []
        status = run(path, exercise, seed, record)
        records.append((status, record))
    return records


def same(a, b):
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and np.allclose(a, b, rtol=RTOL, atol=1e-10, equal_nan=True)


def score(exercise, folder, show_missed=False):
    source = workspace.source(exercise.name)
    tree = ast.parse(source)
    sites = mutation_sites(tree, workspace.solution_lines(exercise.name))
    path = folder / exercise.source_file
    path.write_text(workspace.solution(exercise.name), encoding="utf-8")
    assert run(path, exercise, GRADING_SEED) == grader.PASSED, f"the solution of {exercise.name} does not pass"
    reference = observe(path, exercise)
    changed = caught = 0
    missed, equivalent = [], []
    for index, description in sites:
        path.write_text(mutant_source(tree, index), encoding="utf-8")
        sys.modules.pop(f"minigan_exercise_{exercise.name}", None)
        failed = run(path, exercise, GRADING_SEED) != grader.PASSED
        differs = failed or not all(status == ref_status and same(record, ref_record)
                                    for (status, record), (ref_status, ref_record)
                                    in zip(observe(path, exercise), reference))
        changed += differs
        caught += failed
        if differs and not failed:
            missed.append(description)
        if not differs:
            equivalent.append(description)
    if show_missed:
        for kind, descriptions in (("missed", missed), ("same output", equivalent)):
            for description in descriptions:
                print(f"  {kind}: {exercise.name} {description}", file=sys.stderr)
    return len(sites), changed, caught


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="exercises (default: all)")
    parser.add_argument("--show-missed", action="store_true",
                        help="print every mutant that got through, and those that leave the output as it was")
    args = parser.parse_args(argv)
    exercises = [registry.get(n) for n in args.names] if args.names else registry.all_exercises()
    totals = np.zeros(3, dtype=int)
    start = time.perf_counter()
    print("| exercise | ID | mutants | change the output | failed by the grader | score |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        for exercise in exercises:
            n, changed, caught = score(exercise, folder, args.show_missed)
            totals += (n, changed, caught)
            share = f"{100 * caught / changed:.0f}%" if changed else "—"
            print(f"| `{exercise.name}` | {exercise.lecture_id} | {n} | {changed} | {caught} | {share} |", flush=True)
    n, changed, caught = totals
    print(f"| **all** | | {n} | {changed} | {caught} | **{100 * caught / max(changed, 1):.1f}%** |")
    print(f"\n{len(exercises)} exercises in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
