"""A run folder is never replaced or silently reinterpreted: train without --resume refuses a folder
that holds a run (byte for byte unchanged), --overwrite replaces it, --resume refuses another
algorithm, dataset or setting, and a truncated or foreign checkpoint is one line and exit 2 under
every command that reads one."""
import hashlib
import pathlib

import numpy as np
import pytest

import minigan
from minigan.cli import main

TRAIN = ["train", "gan", "--data", "ring", "--steps", "4", "--batch-size", "32", "--quiet", "--sample-every", "4"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(pathlib.Path(folder).iterdir())}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "ring"
    assert main([*TRAIN, "--out", str(out)]) == 0
    return out


def test_train_into_a_run_without_resume_is_refused_and_changes_nothing(trained, capsys):
    before = snapshot(trained)
    code, _, err = run(capsys, *TRAIN, "--out", str(trained))
    assert code == 2 and "--resume" in err and "--overwrite" in err and len(err.strip().splitlines()) == 1
    assert snapshot(trained) == before


def test_overwrite_replaces_the_run(tmp_path, capsys):
    out = tmp_path / "run"
    assert run(capsys, *TRAIN, "--out", str(out))[0] == 0
    (out / "samples_000002.png").write_bytes(b"an old figure")       # a file of the old run
    code, _, _ = run(capsys, "train", "gan", "--data", "ring", "--steps", "2", "--batch-size", "16", "--quiet",
                     "--sample-every", "2", "--out", str(out), "--overwrite")
    assert code == 0 and not (out / "samples_000002.png").read_bytes().startswith(b"an old")
    saved = minigan.load(str(out / "checkpoint.npz"))
    assert saved["step"] == 2 and saved["config"]["recipe"]["batch_size"] == 16


@pytest.mark.parametrize("argv, names", [
    (["train", "wgan-gp"], ["gan run", "wgan-gp"]),
    (["train", "gan", "--data", "grid"], ["--data ring", "--data grid"]),
    (["train", "gan", "--lr", "0.01", "--k", "2"], ["--lr 0.01 (saved: 0.001)", "--k 2 (saved: 1)"]),
])
def test_resume_refuses_what_contradicts_the_saved_run(trained, capsys, argv, names):
    before = snapshot(trained)
    code, _, err = run(capsys, *argv, "--out", str(trained), "--resume", "--quiet")
    assert code == 2 and all(name in err for name in names), err
    assert snapshot(trained) == before


def test_resume_applies_and_records_more_steps(tmp_path, capsys):
    out = tmp_path / "run"
    assert run(capsys, *TRAIN, "--out", str(out))[0] == 0
    code, text, _ = run(capsys, "train", "gan", "--data", "ring", "--steps", "6", "--out", str(out), "--resume",
                        "--quiet", "--sample-every", "6")
    assert code == 0 and "6 steps" in text
    saved = minigan.load(str(out / "checkpoint.npz"))
    assert saved["step"] == 6 and saved["config"]["recipe"]["steps"] == 6


def truncated(folder, tmp_path):
    bad = tmp_path / "truncated"
    bad.mkdir()
    data = (folder / "checkpoint.npz").read_bytes()
    (bad / "checkpoint.npz").write_bytes(data[: len(data) // 2])
    return bad


def foreign(folder, tmp_path):
    bad = tmp_path / "foreign"
    bad.mkdir()
    minigan.save({"weights": np.zeros(3)}, str(bad / "checkpoint.npz"))     # a minigan file, not a run's
    return bad


@pytest.mark.parametrize("make_bad", [truncated, foreign])
@pytest.mark.parametrize("command", [
    ["train", "gan", "--resume", "--quiet", "--out", "{run}"],
    ["sample", "{run}", "--out", "{tmp}/x.npy"],
    ["evaluate", "{run}"],
    ["interpolate", "{run}", "--out", "{tmp}/x.png"],
    ["attack", "fgsm", "--defense", "manifold", "--generator", "{run}", "--epochs", "1", "--out", "{tmp}/attack",
     "--cache", "{tmp}/cache"],
])
def test_a_bad_checkpoint_is_one_line_and_exit_2_everywhere(trained, tmp_path, capsys, make_bad, command):
    bad = make_bad(trained, tmp_path)
    before = snapshot(bad)
    code, _, err = run(capsys, *[a.format(run=bad, tmp=tmp_path) for a in command])
    assert code == 2 and "checkpoint.npz" in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and snapshot(bad) == before
    assert not (tmp_path / "x.npy").exists() and not (tmp_path / "x.png").exists()


def test_a_command_module_that_fails_to_import_is_an_error(monkeypatch):
    import minigan.cli

    monkeypatch.setattr(minigan.cli, "COMMAND_MODULES", [*minigan.cli.COMMAND_MODULES, "no_such_command"])
    with pytest.raises(ModuleNotFoundError, match="no_such_command"):
        minigan.cli.build_parser()
