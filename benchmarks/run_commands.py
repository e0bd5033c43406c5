"""Run many measurement commands side by side (the seeds of docs/results.md's rows) on a machine with
more cores, each with its output kept, all under one time budget:

    python benchmarks/run_commands.py --jobs 12 --budget 420 --logs runs/sweep benchmarks/sweeps/*.txt

Each non-empty line of a FILE that does not start with '#' is one shell command, run from the
repository's root with one BLAS thread (OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1: the jobs share the
cores); its stdout and stderr go to LOGS/NAME.log, NAME being the last part of its `--out` folder (or
the file's name and line number). A command still running when the budget is spent is killed and
reported as such. At the end one table: each command's name, exit status and seconds.
"""
import argparse
import os
import pathlib
import re
import shlex
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def read_commands(paths):
    """[(name, command)] from the files: one command a line, '#' lines and blank lines skipped."""
    commands = []
    for path in paths:
        for number, line in enumerate(pathlib.Path(path).read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if line and not line.startswith("#"):
                commands.append((job_name(line, f"{pathlib.Path(path).stem}-{number}"), line))
    names = [name for name, _ in commands]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise SystemExit(f"two commands write to the same --out: {', '.join(doubled)}; give each its own folder")
    return commands


def job_name(command, fallback):
    """The last part of the command's --out folder, else `fallback`."""
    words = shlex.split(command)
    for i, word in enumerate(words):
        if word == "--out" and i + 1 < len(words):
            return pathlib.Path(words[i + 1]).name
        if word.startswith("--out="):
            return pathlib.Path(word.split("=", 1)[1]).name
    return re.sub(r"[^\w.-]", "_", fallback)


def run_all(commands, jobs, budget, logs):
    """Run the commands, at most `jobs` at a time, until all end or `budget` seconds pass."""
    logs.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONUNBUFFERED="1")
    waiting, running, results = list(commands), {}, {}
    start = time.perf_counter()
    while waiting or running:
        while waiting and len(running) < jobs:
            name, command = waiting.pop(0)
            log = open(logs / f"{name}.log", "w", encoding="utf-8")
            process = subprocess.Popen(command, shell=True, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            running[name] = (process, log, time.perf_counter())
        for name, (process, log, began) in list(running.items()):
            if process.poll() is not None:
                log.close()
                results[name] = (process.returncode, time.perf_counter() - began)
                del running[name]
        if time.perf_counter() - start > budget:
            for name, (process, log, began) in running.items():
                os.killpg(process.pid, 9)
                process.wait()
                log.close()
                results[name] = ("killed at the budget", time.perf_counter() - began)
            for name, _ in waiting:
                results[name] = ("not started", 0.0)
            break
        time.sleep(0.5)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help="files of commands, one a line")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="commands at a time (default: the cores)")
    parser.add_argument("--budget", type=float, default=3600.0, help="seconds for all of them (default 3600)")
    parser.add_argument("--logs", type=pathlib.Path, default=pathlib.Path("runs/sweep"), help="where the logs go")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    commands = read_commands(args.files)
    print(f"{len(commands)} commands, {args.jobs} at a time, budget {args.budget:.0f} s", flush=True)
    results = run_all(commands, args.jobs, args.budget, args.logs)
    print("\n| command | exit | seconds |\n|---|---|---|")
    for name, _ in commands:
        status, seconds = results[name]
        print(f"| {name} | {status} | {seconds:.0f} |")
    return 0 if all(status == 0 for status, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
