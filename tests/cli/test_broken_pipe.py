"""A command's output piped into a reader that stops early (`python -m minigan exercises list | head`)
ends quietly: no BrokenPipeError traceback."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("command", [["exercises", "list"], ["exercises", "--help"], ["--help"]])
def test_output_into_a_closed_pipe_ends_without_a_traceback(command):
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen([sys.executable, "-m", "minigan", *command], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, cwd=ROOT)
    process.stdout.close()            # the reader is gone before the first line is written
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert process.returncode in (0, 141)


def test_head_reads_the_first_lines_and_the_pipe_ends_quietly():
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    finished = subprocess.run(f"'{sys.executable}' -m minigan exercises list | head -n 2", shell=True,
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert finished.stdout.splitlines()[0].split()[:2] == ["unbroadcast", "AD-BROADCAST"]
    assert len(finished.stdout.splitlines()) == 2 and finished.stderr == ""
