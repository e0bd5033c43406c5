"""The grading subprocess: `python -m minigan.exercises.runner FILE NAME SEED OUT allow|forbid LIMITS...`
grades one student file (in the working directory, a scratch copy) and writes its verdict as JSON to
OUT (so the student's own prints cannot garble it).

OUT is opened before the process puts itself under the limits (sandbox.enter), which, when it runs as
root, makes it a user of its own that cannot open OUT's folder by name. Processes the student's code
forks never write a verdict: only the process that started grading does.
"""
import os
import sys

from minigan.exercises import grader, registry, sandbox


def main(argv):
    path, name, seed, out, allow, *limits = argv
    exercise = registry.get(name)
    exercise._checks()   # the checks' module, imported before the limits
    owner = os.getpid()
    with open(out, "w", encoding="utf-8") as f:
        sandbox.enter(sandbox.Limits.from_argv(limits) if limits else sandbox.DEFAULT, scratch=os.getcwd())
        verdict = grader.grade_file(path, exercise, int(seed), allow_minigan=allow == "allow")
        if os.getpid() != owner:      # a process the student's code forked, returning into the grader
            os._exit(0)
        f.write(grader.verdict_as_json(verdict))


if __name__ == "__main__":
    main(sys.argv[1:])
