"""`python -m minigan attack`: bad input exits 2 with one clear line; a short run prints the scores, writes the
figures and caches the classifier."""
import re
import subprocess
import sys

import pytest

from minigan.cli import main


@pytest.mark.parametrize("argv, message", [
    (["fgsm", "--eps", "-0.1"], r"--eps must be a fraction of the pixel range in \[0, 1\], got -0.1"),
    (["fgsm", "--eps", "nan"], r"--eps must be a fraction"),
    (["fgsm", "--data", "cifar"], r"unknown --data 'cifar': use digits, mnist=PATH"),
    (["fgsm", "--data", "mnist"], r"--data mnist needs the folder of its IDX files"),
    (["fgsm", "--data", "digits=/tmp"], r"--data digits takes no path"),
    (["fgsm", "--data", "mnist=/no/such/folder", "--epochs", "1"], r"no such folder: '/no/such/folder'"),
    (["fgsm", "--defense", "manifold"], r"--defense manifold needs --generator DIR"),
    (["fgsm", "--defense", "manifold", "--generator", "/no/such/run"], r"is not a folder"),
    (["pgd", "--alpha", "2"], r"--alpha must lie in \[0, 1\]"),
    (["bim", "--epochs", "0"], r"--epochs must be at least 1"),
    (["patch", "--patch-size", "9", "--epochs", "1", "--cache", "{tmp}"], r"--patch-size must be between 1 and 8"),
])
def test_bad_input_exits_2_with_a_clear_message(argv, message, capsys, tmp_path):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["attack", *argv, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("minigan attack: error: ") and re.search(message, err), err


def test_an_unknown_attack_is_an_argparse_error_with_code_2():
    result = subprocess.run([sys.executable, "-m", "minigan", "attack", "deepfool"], capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice: 'deepfool'" in result.stderr


def test_a_short_run_prints_the_scores_writes_the_figures_and_caches_the_classifier(capsys, tmp_path):
    flags = ["--epochs", "3", "--eps", "0.1", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
    assert main(["attack", "fgsm", *flags]) == 0
    out = capsys.readouterr().out
    accuracy = float(re.search(r"clean test accuracy: ([\d.]+)%  \(359 digits test images\)", out).group(1))
    error = re.search(r"FGSM at ε = 0.1: error ([\d.]+)%, mean confidence on the misclassified [\d.]+%", out)
    error = float(error.group(1))
    assert accuracy > 80 and error > 100 - accuracy
    for name in ("triptych_fgsm.png", "error_vs_eps_fgsm.png"):
        assert (tmp_path / "out" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["attack", "bim", *flags]) == 0
    out = capsys.readouterr().out
    assert "loaded from" in out and f"clean test accuracy: {accuracy:.2f}%" in out
    assert main(["attack", "patch", "--steps", "5", "--target", "4", *flags]) == 0
    assert re.search(r"patch 3×3 \(14.1% of the image\), target 4: success [\d.]+%", capsys.readouterr().out)
    assert (tmp_path / "out" / "patch_target4.png").exists()


def test_the_manifold_defense_runs_with_a_trained_gan(capsys, tmp_path):
    run = str(tmp_path / "gan")
    assert main(["train", "gan", "--data", "digits", "--steps", "2", "--out", run, "--quiet"]) == 0
    flags = ["--epochs", "2", "--eps", "0.1", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
    assert main(["attack", "fgsm", "--defense", "manifold", "--generator", run, "--projection-steps", "2",
                 "--restarts", "1", *flags]) == 0
    out = capsys.readouterr().out
    assert re.search(r"manifold defense on clean images: accuracy [\d.]+%", out)
    assert re.search(r"manifold defense on adversarial images: accuracy [\d.]+%", out)


def test_a_bad_generator_checkpoint_is_refused_before_anything_is_written(capsys, tmp_path):
    run = tmp_path / "gan"
    run.mkdir()
    (run / "checkpoint.npz").write_bytes(b"PK\x03\x04 truncated")
    argv = ["attack", "fgsm", "--defense", "manifold", "--generator", str(run), "--epochs", "1",
            "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "checkpoint.npz" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()
