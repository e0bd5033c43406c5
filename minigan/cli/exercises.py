"""`python -m minigan exercises list|start|check`: the self-grading exercises (minigan.exercises).

    python -m minigan exercises list                            # name, lecture ID, what it is
    python -m minigan exercises start hw                        # hw/NAME.py stubs and hw/README.md
    python -m minigan exercises start key --solutions           # the answer key
    python -m minigan exercises check hw [NAME ...] [--json results.json] [--seed S] [--time-limit T]

`check` exits 0 only when every exercise it checked passed; `start` exits 2, writing nothing, if it
would overwrite a file the student has changed (unless --force).
"""
import json
import time

from minigan.cli import fail


def add_parser(subparsers):
    p = subparsers.add_parser("exercises", help="self-grading exercises: list, start a workspace, check it",
                              description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="one exercise a line: name, lecture ID, description")
    listing.set_defaults(func=run_list)

    start = sub.add_parser("start", help="write DIR/NAME.py for every exercise (stubs) and a README")
    start.add_argument("directory", metavar="DIR")
    start.add_argument("names", metavar="NAME", nargs="*", help="only these exercises (default: all)")
    start.add_argument("--solutions", action="store_true", help="write minigan's solutions instead (the answer key)")
    start.add_argument("--force", action="store_true", help="overwrite files that were changed since")
    start.set_defaults(func=run_start)

    check = sub.add_parser("check", help="grade DIR/NAME.py for every exercise (or the NAMEs given)")
    check.add_argument("directory", metavar="DIR")
    check.add_argument("names", metavar="NAME", nargs="*", help="only these exercises (default: all)")
    check.add_argument("--json", metavar="FILE", help="also write the results in Gradescope's results.json format")
    check.add_argument("--seed", type=int, default=None, help="the inputs' seed (default: a new one, printed)")
    check.add_argument("--time-limit", type=float, default=None,
                       help="seconds per exercise before it fails as timed out (default 20)")
    check.add_argument("--jobs", type=int, default=None, help="exercises graded at once (default: up to 2)")
    check.set_defaults(func=run_check)


def _selected(names):
    from minigan.exercises import registry

    exercises = registry.all_exercises()
    if not names:
        return exercises
    known = {e.name: e for e in exercises}
    unknown = [n for n in names if n not in known]
    if unknown:
        fail(f"no exercise named {', '.join(map(repr, unknown))}; `python -m minigan exercises list` shows them")
    return [known[n] for n in dict.fromkeys(names)]


def run_list(args):
    from minigan.exercises import registry

    exercises = registry.all_exercises()
    width = max(len(e.name) for e in exercises)
    id_width = max(len(e.lecture_id) for e in exercises)
    for e in exercises:
        print(f"{e.name:{width}s}  {e.lecture_id:{id_width}s}  {e.summary}  (tutorial {e.tutorial})")


def run_start(args):
    from minigan.exercises import workspace

    exercises = _selected(args.names)
    try:
        written = workspace.start(args.directory, [e.name for e in exercises], solutions=args.solutions,
                                  force=args.force)
    except workspace.EditedFileError as e:
        fail(str(e))
    kind = "solutions" if args.solutions else "stubs"
    print(f"wrote {len(written) - 1} exercise {kind} and README.md to {args.directory}")
    print(f"next: fill in a file, then `python -m minigan exercises check {args.directory}`")


def run_check(args):
    import os

    from minigan.exercises import grader

    if not os.path.isdir(args.directory):
        fail(f"{args.directory} is not a folder; `python -m minigan exercises start {args.directory}` writes one")
    if args.time_limit is not None and not args.time_limit > 0:
        fail(f"--time-limit must be a number of seconds > 0, got {args.time_limit}")
    if args.jobs is not None and args.jobs < 1:
        fail(f"--jobs must be at least 1, got {args.jobs}")
    exercises = _selected(args.names)
    seed = grader.new_seed() if args.seed is None else args.seed
    print(f"grading {len(exercises)} exercise(s) in {args.directory} with seed {seed}\n", flush=True)
    start = time.perf_counter()
    verdicts = grader.grade_directory(args.directory, exercises, seed, time_limit=args.time_limit or grader.TIME_LIMIT,
                                      jobs=args.jobs)
    for verdict in verdicts:
        print(verdict.text(), flush=True)
    print()
    print(grader.table(verdicts))
    if args.json:
        results = grader.gradescope_results(verdicts, execution_time=time.perf_counter() - start)
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2, ensure_ascii=False)
        print(f"results: {args.json}")
    return 0 if all(v.passed for v in verdicts) else 1
