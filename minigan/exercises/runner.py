"""The grading subprocess: `python -m minigan.exercises.runner FILE NAME SEED OUT` grades one
student file and writes its verdict as JSON to OUT (so the student's own prints cannot garble it)."""
import pathlib
import sys

from minigan.exercises import grader, registry


def main(argv):
    path, name, seed, out = argv
    verdict = grader.grade_file(path, registry.get(name), int(seed))
    pathlib.Path(out).write_text(grader.verdict_as_json(verdict), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
