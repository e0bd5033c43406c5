"""`python -m minigan game`: prints the final distance to the equilibrium per dynamics, writes the
figure, and exits 2 with one line on bad input."""
import os
import subprocess
import sys

import numpy as np
import pytest

from minigan import games
from minigan.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == PNG_MAGIC and os.path.getsize(path) > 10_000


def printed_distances(text):
    """{dynamics: distance} from the lines '  name  ‖...‖ = value'."""
    rows = [line.split() for line in text.splitlines() if line.startswith("  ")]
    return {row[0]: float(row[row.index("=") + 1]) for row in rows}


def test_omd_prints_its_distance_and_writes_the_figure(tmp_path, capsys):
    out = tmp_path / "figs" / "game.png"
    assert main(["game", "--dynamics", "omd", "--steps", "1000", "--lr", "0.1", "--out", str(out)]) == 0
    distances = printed_distances(capsys.readouterr().out)
    assert list(distances) == ["omd"]
    assert distances["omd"] == pytest.approx(games.distance_to_equilibrium(games.run_bilinear("omd"))[-1], rel=1e-5)
    assert distances["omd"] < 0.05
    assert is_png(out)


def test_all_overlays_the_five_dynamics(tmp_path, capsys):
    out = tmp_path / "all.png"
    assert main(["game", "--dynamics", "all", "--steps", "300", "--out", str(out)]) == 0
    distances = printed_distances(capsys.readouterr().out)
    assert list(distances) == list(games.DYNAMICS)
    assert distances["gd"] == pytest.approx(np.sqrt(2) * 1.01 ** 150, rel=1e-5)   # √2 (1 + η²)^{T/2}
    assert distances["omd"] < 1.0 < distances["alt-gd"] < distances["gd"]
    assert is_png(out)


def test_mean_game_with_clipping(tmp_path, capsys):
    out = tmp_path / "mean.png"
    assert main(["game", "--game", "mean", "--dynamics", "gd", "--clip", "1", "--steps", "999",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "last θ = [3.48   5.0776]" in text and "mean θ = [3.0122 3.9859]" in text   # the notebook's cycle
    assert is_png(out)


@pytest.mark.parametrize("argv, message", [
    (["--dynamics", "sgd"], "unknown dynamics 'sgd': choose from gd, alt-gd, omd, adam, oadam or all"),
    (["--dynamics", "omd,nope"], "unknown dynamics 'nope'"),
    (["--lr", "-0.1"], "--lr must be a finite number >= 0, got -0.1"),
    (["--lr", "nan"], "--lr must be a finite number >= 0"),
    (["--steps", "-5"], "--steps must be >= 0"),
    (["--game", "chess"], "unknown game 'chess'"),
    (["--clip", "1"], "--clip clips the critic of the mean game"),
    (["--first-step", "triple"], "--first-step must be double or single"),
])
def test_bad_input_exits_2_with_one_line(argv, message, tmp_path, capsys):
    out = tmp_path / "never.png"
    assert main(["game", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("minigan game: error:")
    assert not out.exists()


def test_module_entry_point(tmp_path):
    out = tmp_path / "cli.png"
    done = subprocess.run([sys.executable, "-m", "minigan", "game", "--dynamics", "gd", "--steps", "1000",
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert printed_distances(done.stdout)["gd"] == pytest.approx(204.7396, rel=1e-5)
    bad = subprocess.run([sys.executable, "-m", "minigan", "game", "--dynamics", "bogus"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
