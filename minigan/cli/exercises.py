"""`python -m minigan exercises list|start|check`: the self-grading exercises (minigan.exercises).

    python -m minigan exercises list                            # name, lecture ID, what it is
    python -m minigan exercises start hw                        # hw/NAME.py stubs and hw/README.md
    python -m minigan exercises start key --solutions           # the answer key
    python -m minigan exercises check hw [NAME ...] [--json results.json] [--seed S] [--time-limit T]
    python -m minigan exercises grade SUBMISSIONS --out grades.csv [--jobs N] [--json-dir DIR]   # a class
    python -m minigan exercises autograder --out autograder.zip [NAME ...]   # Gradescope's autograder

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
    _add_limit_options(check)
    check.add_argument("--jobs", type=int, default=None, help="exercises graded at once (default: up to 2)")
    check.set_defaults(func=run_check)

    grade = sub.add_parser("grade", help="a whole class: one folder or zip per student in SUBMISSIONS; "
                                         "a CSV of points and a report")
    grade.add_argument("submissions", metavar="SUBMISSIONS",
                       help="one sub-folder (or zip) of exercise files per student")
    grade.add_argument("names", metavar="NAME", nargs="*", help="only these exercises (default: all)")
    grade.add_argument("--out", default="grades.csv",
                       help="the CSV (default grades.csv); the report goes beside it (.md)")
    grade.add_argument("--jobs", type=int, default=2, help="exercises graded at once (default 2)")
    grade.add_argument("--json-dir", metavar="DIR",
                       help="also write Gradescope's results.json per student, DIR/STUDENT.json")
    grade.add_argument("--seed", type=int, default=None, help="the inputs' seed (default: a new one, printed)")
    _add_limit_options(grade)
    grade.set_defaults(func=run_grade)

    build = sub.add_parser("autograder", help="write Gradescope's autograder zip (setup.sh, run_autograder, "
                                              "this minigan as a wheel)")
    build.add_argument("names", metavar="NAME", nargs="*", help="only these exercises (default: all)")
    build.add_argument("--out", default="autograder.zip", help="the zip to write (default autograder.zip)")
    build.add_argument("--visibility", default="visible",
                       choices=["visible", "hidden", "after_due_date", "after_published"],
                       help="when students see each exercise's result (default visible)")
    build.add_argument("--stdout-visibility", default="visible", choices=["visible", "hidden"],
                       help="whether students see the autograder's output (default visible)")
    _add_limit_options(build)
    build.set_defaults(func=run_autograder)


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
    limits = _limits(args)
    if args.jobs is not None and args.jobs < 1:
        fail(f"--jobs must be at least 1, got {args.jobs}")
    exercises = _selected(args.names)
    seed = grader.new_seed() if args.seed is None else args.seed
    print(f"grading {len(exercises)} exercise(s) in {args.directory} with seed {seed}\n", flush=True)
    start = time.perf_counter()
    verdicts = grader.grade_directory(args.directory, exercises, seed, jobs=args.jobs, limits=limits,
                                      allow_minigan=args.allow_minigan)
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


def _limits(args):
    """The sandbox's limits from --time-limit and --memory-limit (GiB)."""
    import dataclasses

    from minigan.exercises import sandbox

    if args.time_limit is not None and not args.time_limit > 0:
        fail(f"--time-limit must be a number of seconds > 0, got {args.time_limit}")
    if args.memory_limit is not None and not args.memory_limit > 0:
        fail(f"--memory-limit must be a number of GiB > 0, got {args.memory_limit}")
    limits = sandbox.DEFAULT
    if args.time_limit is not None:
        limits = dataclasses.replace(limits, seconds=args.time_limit)
    if args.memory_limit is not None:
        limits = dataclasses.replace(limits, memory=int(args.memory_limit * sandbox.GiB))
    return limits


def _add_limit_options(parser):
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per exercise before it fails as timed out (default 20)")
    parser.add_argument("--memory-limit", type=float, default=None,
                        help="GiB of memory per exercise before it fails (default 2)")
    parser.add_argument("--allow-minigan", action="store_true",
                        help="grade a file that only calls minigan's own implementation of its exercise "
                             "(by default it fails as \"minigan's own answer\")")


def run_grade(args):
    import os
    import pathlib

    from minigan.exercises import classroom, grader

    if not os.path.isdir(args.submissions):
        fail(f"{args.submissions} is not a folder (one sub-folder or zip per student)")
    if args.jobs < 1:
        fail(f"--jobs must be at least 1, got {args.jobs}")
    limits = _limits(args)
    exercises = _selected(args.names)
    students = classroom.entries(args.submissions)
    if not students:
        fail(f"{args.submissions} holds no student folder or zip")
    seed = grader.new_seed() if args.seed is None else args.seed
    print(f"grading {len(exercises)} exercise(s) of {len(students)} student(s) in {args.submissions} with seed "
          f"{seed}, {args.jobs} at a time", flush=True)
    from tqdm.auto import tqdm

    with tqdm(total=len(exercises) * len(students), unit="exercise", desc="grading") as bar:
        result = classroom.grade_class(args.submissions, exercises, seed, jobs=args.jobs, limits=limits,
                                       allow_minigan=args.allow_minigan, on_verdict=lambda s, v: bar.update())
    out = pathlib.Path(args.out)
    classroom.write_csv(out, result)
    text = classroom.report(result)
    report_path = out.with_suffix(".md")
    report_path.write_text(text, encoding="utf-8")
    if args.json_dir:
        classroom.write_json(args.json_dir, result)
    print()
    print(text)
    print(f"grades: {out}\nreport: {report_path}")
    if args.json_dir:
        print(f"results.json per student: {args.json_dir}")
    return 0


def run_autograder(args):
    from minigan.exercises import autograder

    limits = _limits(args)
    exercises = _selected(args.names)
    path = autograder.build(args.out, [e.name for e in exercises], limits=limits, allow_minigan=args.allow_minigan,
                            visibility=args.visibility, stdout_visibility=args.stdout_visibility)
    print(f"wrote {path}: the Gradescope autograder for {len(exercises)} exercise(s) (minigan {autograder.version()})")
    print("upload it as the assignment's autograder (Configure Autograder → Zip file upload); "
          "test it first: docs/exercises.md, 'For the teacher'")
    return 0
