"""benchmarks/gpu_check.py where there is no GPU (this machine): it says so, runs nothing and exits 0
(1 with --require-gpu), also when a driver is there but CuPy is not; and the readers of its three
parts' output, which only a GPU machine would otherwise exercise."""
import importlib.util
import os
import stat
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "benchmarks", "gpu_check.py")


def load_script():
    spec = importlib.util.spec_from_file_location("gpu_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(args, path):
    env = dict(os.environ, PATH=path)
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, env=env, timeout=120)


def test_without_a_driver_it_says_so_and_runs_nothing(tmp_path):
    done = run([], str(tmp_path))                       # a PATH with no nvidia-smi on it
    assert done.returncode == 0
    assert "No NVIDIA GPU is usable here: nvidia-smi is not on the PATH" in done.stdout
    assert "did not run; nothing was measured" in done.stdout
    assert "[tests]" not in done.stdout
    assert run(["--require-gpu"], str(tmp_path)).returncode == 1


def test_a_driver_without_cupy_is_no_gpu_for_minigan(tmp_path):
    if importlib.util.find_spec("cupy") is not None:
        pytest.skip("CuPy is installed here")
    fake = tmp_path / "nvidia-smi"
    fake.write_text("#!/bin/sh\necho 'GPU 0: NVIDIA Test (UUID: GPU-0)'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    done = run([], f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert done.returncode == 0
    assert "CuPy cannot use the GPU" in done.stdout and "cupy-cuda12x" in done.stdout


def test_pytest_summary_reads_the_last_line_or_counts_the_progress():
    gpu_check = load_script()
    finished = "....F.s\n=== FAILURES ===\n640 passed, 2 failed, 12 skipped, 1 xfailed in 201.35s (0:03:21)\n"
    assert gpu_check.pytest_summary(finished) == "640 passed, 2 failed, 12 skipped, 1 xfailed"
    killed = "........................ [ 10%]\n....F...sE\n"
    assert gpu_check.pytest_summary(killed) == "31 passed, 1 failed, 1 errors, 1 skipped so far"
    assert gpu_check.pytest_summary("ImportError while loading conftest") == "no test finished so far"


def test_bench_rows_and_the_training_line():
    gpu_check = load_script()
    table = ("x86_64, 16 cores ...\n| step (batch 64) | minigan ms | PyTorch ms | minigan / PyTorch | spread |\n"
             "|---|---|---|---|---|\n| mlp | 3.00 | 2.00 | 1.50× | 1.4–1.6× (quartiles) |\n"
             "| dcgan | 9.00 | – | – | – |\n")
    assert gpu_check.bench_rows(table) == {"mlp": (3.0, 2.0, 1.5), "dcgan": (9.0, None, None)}
    out = ("training gan on digits ...\nlast logged: loss_d 1.2\n"
           "Fréchet distance (classifier features) to the real data: 3.30; classes seen: 10 of 10\n"
           "Fréchet distance (pixels, 20 principal components of the real images): 0.23  (2500 samples)\n")
    assert gpu_check.training_result(out).startswith("Fréchet distance (classifier features) to the real data: 3.30")
    assert gpu_check.training_result("Traceback ...") is None
