"""benchmarks/run_commands.py: every command runs, its output kept under its --out name, a command
past the budget killed and reported, and a failing one named in the table."""
import importlib.util
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("run_commands", ROOT / "benchmarks" / "run_commands.py")
run_commands = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_commands)
PY = sys.executable


def test_each_command_runs_with_its_log_and_status(tmp_path, capsys):
    commands = tmp_path / "commands.txt"
    commands.write_text(f"# a comment\n{PY} -c \"print('hello')\" --out runs/x/first\n\n"
                        f"{PY} -c \"import sys; sys.exit(3)\"\n"
                        f"{PY} -c \"import time; time.sleep(30)\" --out=runs/x/slow\n", encoding="utf-8")
    status = run_commands.main([str(commands), "--jobs", "3", "--budget", "4", "--logs", str(tmp_path / "logs")])
    table = capsys.readouterr().out
    assert status == 1
    assert (tmp_path / "logs" / "first.log").read_text().strip() == "hello"
    assert "| first | 0 |" in table
    assert "| commands-4 | 3 |" in table
    assert "| slow | killed at the budget |" in table


def test_two_commands_with_one_out_folder_are_refused(tmp_path):
    commands = tmp_path / "c.txt"
    commands.write_text("echo 1 --out a/run\necho 2 --out b/run\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="run"):
        run_commands.read_commands([commands])
