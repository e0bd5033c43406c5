"""The GPU checks in one command, on a machine with an NVIDIA GPU and CuPy, in under 8 minutes:

    python benchmarks/gpu_check.py                 # from the repository's root
    python benchmarks/gpu_check.py --require-gpu   # exit 1 (not 0) where there is no GPU
    python benchmarks/gpu_check.py --rehearse      # the same three parts, small, on the NumPy backend
    python benchmarks/gpu_check.py --logs DIR      # also each part's whole output, in DIR/NAME.log

1. the test suite with MINIGAN_BACKEND=cupy (pytest -n auto where pytest-xdist is installed);
2. benchmarks/bench_steps.py --backend cupy: the MLP and DCGAN-28 steps of minigan on CuPy against
   PyTorch on CUDA, where PyTorch sees the GPU (target: DCGAN-28 ≤ 1.5× PyTorch CUDA);
3. one default training run on the GPU, `python -m minigan train gan --backend cupy` (digits);

then one table, for docs/performance.md. Each part runs under its share of the time budget
(--budget, 480 s); a part that runs out of time is killed and reported as such, with what it had done.
Without a GPU (no nvidia-smi, or CuPy missing or seeing no device) the script says so, runs
nothing, and exits 0; with --require-gpu it exits 1. --rehearse runs every part on the CPU with small
sizes (a few tests, 20 training steps), to check the script itself on a machine without a GPU.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARES = {"tests": 0.55, "bench": 0.2, "train": 0.25}         # of the budget
PROBE = ("import cupy; n = cupy.cuda.runtime.getDeviceCount(); "
         "name = cupy.cuda.runtime.getDeviceProperties(0)['name'] if n else b''; "
         "print(n, cupy.__version__, name.decode() if isinstance(name, bytes) else name)")


# ------------------------------------------------------------------------------------ the GPU
def find_gpu():
    """(description, None) when an NVIDIA GPU is usable through CuPy, else (None, why not)."""
    if shutil.which("nvidia-smi") is None:
        return None, "nvidia-smi is not on the PATH (no NVIDIA driver)"
    try:
        listed = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"nvidia-smi -L failed ({e})"
    if listed.returncode != 0 or "GPU" not in listed.stdout:
        return None, f"nvidia-smi lists no GPU ({(listed.stderr or listed.stdout).strip()[:200]})"
    try:
        probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None, "importing CuPy took over 2 minutes"
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"CuPy cannot use the GPU ({last}); install the wheel for the CUDA version, e.g. cupy-cuda12x"
    count, version, name = probe.stdout.split(maxsplit=2)
    if int(count) == 0:
        return None, "CuPy sees no CUDA device"
    return f"{name.strip()} (CuPy {version}, {count} device{'s' if int(count) > 1 else ''})", None


# ------------------------------------------------------------------------------------ the parts
def run_part(command, env, timeout):
    """(output, seconds, finished) of a command run from the repository's root, killed after `timeout`."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        output, finished = done.stdout + done.stderr, True
    except subprocess.TimeoutExpired as e:
        output = _text(e.stdout) + _text(e.stderr)
        finished = False
    return output, time.perf_counter() - start, finished


def _text(value):
    return value.decode(errors="replace") if isinstance(value, bytes) else (value or "")


OUTCOMES = r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)"


def pytest_summary(output):
    """'640 passed, 2 failed, 12 skipped' from pytest's last line; without one (a run killed on its
    way), the outcomes counted from its progress characters, marked 'so far'."""
    final = [line for line in output.splitlines() if re.search(OUTCOMES, line) and re.search(r" in [\d.]+s", line)]
    if final:
        return ", ".join(f"{n} {kind}" for n, kind in re.findall(OUTCOMES, final[-1]))
    progress = "".join(m.group(1) for m in re.finditer(r"^([.FEsxX]+)(?: +\[ *\d+%\])?$", output, re.M))
    tally = {"passed": progress.count("."), "failed": progress.count("F"), "errors": progress.count("E"),
             "skipped": progress.count("s")}
    return (", ".join(f"{n} {kind}" for kind, n in tally.items() if n) or "no test finished") + " so far"


def bench_rows(output):
    """{model: (minigan ms, PyTorch ms or None, ratio or None)} from bench_steps.py's table."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] in ("mlp", "dcgan"):
            ours = float(cells[1])
            theirs = None if cells[2] in ("–", "-") else float(cells[2])
            ratio = None if theirs is None else ours / theirs
            rows[cells[0]] = (ours, theirs, ratio)
    return rows


def training_result(output):
    """The quality line that `train` prints at the end (Fréchet distance and classes, or modes)."""
    for line in reversed(output.splitlines()):
        if "classes seen" in line or "modes captured" in line:
            return line.strip()
    return None


def tail(output, lines=15):
    return "\n".join(output.strip().splitlines()[-lines:])


# ------------------------------------------------------------------------------------ main
def parts(args, backend, scratch):
    """(name, command, seconds) of the three checks."""
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    has_xdist = subprocess.run([sys.executable, "-c", "import xdist"], capture_output=True).returncode == 0
    if args.rehearse:
        tests = pytest + ["tests/ops/test_threads.py", "tests/ops/test_fast_paths.py"]
        bench = [sys.executable, "benchmarks/bench_steps.py", "--models", "mlp", "--repeat", "1", "--number", "1",
                 "--no-memory", "--backend", backend]
        train = [sys.executable, "-m", "minigan", "train", "gan", "--data", "ring", "--steps", "20", "--quiet",
                 "--backend", backend, "--out", os.path.join(scratch, "run")]
    else:
        tests = pytest + (["-n", "auto"] if has_xdist else []) + ["tests"]
        bench = [sys.executable, "benchmarks/bench_steps.py", "--backend", backend, "--repeat", "5", "--number", "5"]
        train = [sys.executable, "-m", "minigan", "train", "gan", "--quiet", "--backend", backend,
                 "--out", os.path.join(scratch, "run")]
    return [("tests", tests, args.budget * SHARES["tests"]), ("bench", bench, args.budget * SHARES["bench"]),
            ("train", train, args.budget * SHARES["train"])]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=480.0, help="seconds for all three parts (default 480)")
    parser.add_argument("--require-gpu", action="store_true", help="exit 1 where there is no GPU")
    parser.add_argument("--rehearse", action="store_true", help="every part, small, on the NumPy backend")
    parser.add_argument("--logs", metavar="DIR", help="also write each part's whole output to DIR/NAME.log")
    args = parser.parse_args(argv)
    if args.rehearse:
        gpu, backend = "none: a rehearsal on the CPU (NumPy backend), nothing measured on a GPU", "numpy"
    else:
        gpu, why = find_gpu()
        if gpu is None:
            print(f"No NVIDIA GPU is usable here: {why}.\nThe GPU checks did not run; nothing was measured.")
            return 1 if args.require_gpu else 0
        backend = "cupy"
    env = dict(os.environ, MINIGAN_BACKEND=backend, PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p))
    rows = [("device", gpu, "")]
    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        for name, command, seconds in parts(args, backend, scratch):
            print(f"[{name}] {' '.join(command)}  (up to {seconds:.0f} s)", flush=True)
            output, took, finished = run_part(command, env, seconds)
            if args.logs:
                os.makedirs(args.logs, exist_ok=True)
                with open(os.path.join(args.logs, f"{name}.log"), "w", encoding="utf-8") as log:
                    log.write(output)
            late = "" if finished else f" (stopped at its {seconds:.0f} s)"
            if name == "tests":
                summary = pytest_summary(output)
                failed |= not finished or bool(re.search(r"\d+ (failed|errors?)", summary))
                rows.append((f"test suite, MINIGAN_BACKEND={backend}", summary + late, f"{took:.0f} s"))
            elif name == "bench":
                found = bench_rows(output)
                for model, label in (("mlp", "MLP GAN step"), ("dcgan", "DCGAN-28 step")):
                    if model in found:
                        ours, theirs, ratio = found[model]
                        text = f"{ours:.2f} ms" + ("" if theirs is None else
                                                  f" vs PyTorch {theirs:.2f} ms = {ratio:.2f}×")
                        rows.append((f"{label} ({backend})", text + late, ""))
                if not found:
                    failed = True
                    rows.append(("bench_steps.py", "no result" + late, f"{took:.0f} s"))
                    print(tail(output))
            else:
                result = training_result(output)
                failed |= result is None
                rows.append((f"{' '.join(command[3:5])} on {backend}", (result or "no result") + late, f"{took:.0f} s"))
                if result is None:
                    print(tail(output))
    print("\n| check | result | time |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
