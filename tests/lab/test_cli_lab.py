"""`python -m minigan lab`: serving until Ctrl-C, --export without a browser, and its bad flags."""
import json
import os
import re
import signal
import subprocess
import sys
import urllib.request

import pytest
from websockets.sync.client import connect

from minigan.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_export_writes_a_replay_without_a_browser(tmp_path, capsys):
    out = tmp_path / "run" / "ring.html"
    code = main(["lab", "--export", str(out), "--data", "ring", "--algorithm", "wgan-gp", "--steps", "40",
                 "--every", "10", "--batch-size", "16"])
    assert code == 0
    assert f"wrote {out}: 5 frames" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    recording = json.loads(re.search(r'id="lab-recording">(.*?)</script>', page, re.S).group(1))
    assert [f["iteration"] for f in recording["frames"]] == [0, 10, 20, 30, 40]
    assert recording["scene"]["settings"]["algorithm"] == "wgan-gp"
    assert recording["scene"]["settings"]["batch_size"] == 16
    assert recording["scene"]["settings"]["steps"] == 40                   # the schedule spans the run
    assert recording["frames"][-1]["lr"] == [0.0, 0.0]                     # WGAN-GP's linear decay, done
    assert os.path.getsize(out) < 3e6


@pytest.mark.parametrize("argv, message", [
    (["--export", "x.png"], "--export names an HTML file"),
    (["--export", "x.html", "--data", "digits"], "unknown --data 'digits'"),
    (["--export", "x.html", "--algorithm", "began"], "unknown --algorithm 'began'"),
    (["--export", "x.html", "--steps", "0"], "--steps must be at least 1"),
    (["--export", "x.html", "--lr", "-1"], "--lr must be a finite number > 0"),
    (["--export", "x.html", "--optimizer", "lbfgs", "--steps", "1"], "unknown optimizer 'lbfgs'"),
    (["--export", "x.html", "--steps", "5000", "--every", "1"], "at most 400 frames"),
    (["--port", "70000"], "--port must be from 0 to 65535"),
])
def test_bad_flags_exit_2_with_one_line(tmp_path, capsys, argv, message):
    argv = [str(tmp_path / a) if a.endswith((".html", ".png")) else a for a in argv]
    assert main(["lab", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err


def test_a_port_in_use_is_one_line(capsys):
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        assert main(["lab", "--port", str(taken.getsockname()[1])]) == 2
        assert "choose another --port" in capsys.readouterr().err
    finally:
        taken.close()


def test_the_server_serves_and_ctrl_c_stops_it_cleanly():
    process = subprocess.Popen([sys.executable, "-m", "minigan", "lab", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(url, timeout=30) as page:
            assert b"<title>minigan lab</title>" in page.read()
        request = urllib.request.Request(f"{url}api/sessions", data=b'{"batch_size": 16}', method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert answer.status == 201
            session_id = json.loads(answer.read())["id"]
        with connect(f"{url.replace('http', 'ws')}api/sessions/{session_id}/live", open_timeout=30) as live:
            live.send(json.dumps({"type": "play", "speed": 100}))
            assert json.loads(live.recv(timeout=120))["type"] == "frame"      # a page is playing
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "ERROR" not in err, err
    assert "minigan lab: stopped" in out


def test_help_names_the_flags():
    out = subprocess.run([sys.executable, "-m", "minigan", "lab", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0
    for flag in ("--host", "--port", "--open", "--export", "--data", "--algorithm", "--steps"):
        assert flag in out.stdout
