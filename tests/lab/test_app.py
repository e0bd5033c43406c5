"""The lab's web app through Starlette's ASGI test client: the endpoints, bad requests (HTTP 4xx with
a message, and the server keeps serving), Play over the WebSocket, sessions freed with their socket,
the games tab's paths and the export."""
import json
import re

import numpy as np
import pytest
from starlette.testclient import TestClient

from minigan import games
from minigan.data import toy2d
from minigan.gan import recipes
from minigan.lab.app import create_app

SMALL = {"data": "ring", "algorithm": "gan", "batch_size": 64}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def new_session(client, settings=SMALL):
    answer = client.post("/api/sessions", json=settings)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"], answer.json()["frame"]


@pytest.mark.parametrize("algorithm", ["gan", "wgan", "wgan-gp"])
@pytest.mark.parametrize("data", ["ring", "grid", "drawn"])
def test_defaults_are_the_recipes(client, data, algorithm):
    answer = client.get(f"/api/defaults?data={data}&algorithm={algorithm}").json()
    dataset = {"ring": toy2d.ring(1), "grid": toy2d.grid(1), "drawn": toy2d.Toy2D("drawn", [[0, 0]], 0.05, 1)}[data]
    expected = {k: list(v) if isinstance(v, tuple) else v for k, v in recipes.defaults(algorithm, dataset).items()}
    assert answer["settings"] == {**expected, "algorithm": algorithm, "seed": 0}
    assert answer["plane"] == ([-2.0, 2.0] if data == "drawn" else [-1.5, 1.5] if data == "ring" else [-5.0, 5.0])


def test_a_session_steps_and_resets(client):
    session_id, first = new_session(client)
    assert first["scene"]["settings"]["batch_size"] == 64 and len(first["scene"]["real"]) == 500
    frame = client.post(f"/api/sessions/{session_id}/step", json={"action": "d"}).json()
    assert frame["d_updates"] == 1 and frame["fake"] == first["fake"]
    frame = client.post(f"/api/sessions/{session_id}/step", json={"action": "step", "repeat": 3}).json()
    assert frame["iteration"] == 3
    frame = client.post(f"/api/sessions/{session_id}/reset", json={**SMALL, "data": "grid"}).json()
    assert frame["iteration"] == 0 and frame["metrics"]["n_modes"] == 25 and frame["scene"]["plane"] == [-5.0, 5.0]
    assert client.delete(f"/api/sessions/{session_id}").status_code == 204
    assert client.post(f"/api/sessions/{session_id}/step", json={"action": "d"}).status_code == 404


@pytest.mark.parametrize("body, message", [
    ({**SMALL, "data": "moons"}, "unknown dataset 'moons'"),
    ({**SMALL, "lr": 0}, "lr must be a finite number > 0, got 0.0"),
    ({**SMALL, "lr": -0.1}, "lr must be a finite number > 0, got -0.1"),
    ('{"data": "ring", "algorithm": "gan", "lr": NaN}', "lr must be a finite number > 0, got nan"),
    ({**SMALL, "lr": "nan"}, "lr must be a number, got 'nan'"),
    ({**SMALL, "batch_size": 0}, "batch_size must be between 1 and 4096, got 0"),
    ({**SMALL, "data": "drawn"}, "the drawn dataset has no modes yet: click the plane"),
    ("not json", "the request body must be a JSON object"),
    ([1, 2], "the request body must be a JSON object"),
    ('{"a": ' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
])
def test_bad_requests_get_a_400_with_a_message_and_the_server_keeps_serving(client, body, message):
    session_id, _ = new_session(client)
    for url in ("/api/sessions", f"/api/sessions/{session_id}/reset"):
        if isinstance(body, str):
            answer = client.post(url, content=body, headers={"Content-Type": "application/json"})
        else:
            answer = client.post(url, json=body)
        assert answer.status_code == 400
        assert message in answer.json()["error"]
    assert client.post(f"/api/sessions/{session_id}/step", json={"action": "g"}).json()["g_updates"] == 1


def test_bad_steps_and_unknown_sessions(client):
    session_id, _ = new_session(client)
    answer = client.post(f"/api/sessions/{session_id}/step", json={"action": "jump"})
    assert answer.status_code == 400 and "unknown action 'jump'" in answer.json()["error"]
    answer = client.post("/api/sessions/nope/step", json={"action": "d"})
    assert answer.status_code == 404 and "reload the page" in answer.json()["error"]


def test_a_diverged_session_answers_409_until_reset(client):
    session_id, _ = new_session(client, {**SMALL, "optimizer": "sgd", "lr": 1e6, "lr_d": 1e6})
    frame = client.post(f"/api/sessions/{session_id}/step", json={"action": "step", "repeat": 20}).json()
    assert "Diverged" in frame["diverged"]
    answer = client.post(f"/api/sessions/{session_id}/step", json={"action": "step"})
    assert answer.status_code == 409 and "Press Reset" in answer.json()["error"]
    assert client.post(f"/api/sessions/{session_id}/reset", json=SMALL).json()["diverged"] is None


def test_play_sends_frames_until_pause_and_the_socket_closing_frees_the_session(client):
    session_id, _ = new_session(client)
    sessions = client.app.state.sessions
    with client.websocket_connect(f"/api/sessions/{session_id}/live") as ws:
        ws.send_json({"type": "play", "speed": 2})
        numbers = []
        for _ in range(4):
            message = ws.receive_json()
            assert message["type"] == "frame"
            numbers.append(message["frame"]["iteration"])
            ws.send_json({"type": "ack"})
        assert numbers == [2, 4, 6, 8]
        ws.send_json({"type": "pause"})
        while (message := ws.receive_json())["type"] == "frame":
            pass
        assert message == {"type": "paused", "reason": None}
        assert session_id in sessions.by_id
    assert session_id not in sessions.by_id          # the tab closed: its session is gone


def test_play_stops_on_a_divergence_and_says_why(client):
    session_id, _ = new_session(client, {**SMALL, "optimizer": "sgd", "lr": 1e6, "lr_d": 1e6})
    with client.websocket_connect(f"/api/sessions/{session_id}/live") as ws:
        ws.send_json({"type": "play", "speed": 5})
        while (message := ws.receive_json())["type"] == "frame":
            ws.send_json({"type": "ack"})
        assert message["type"] == "paused" and "Diverged" in message["reason"]


def test_two_sessions_do_not_disturb_each_other(client):
    a, _ = new_session(client, {**SMALL, "seed": 1})
    b, _ = new_session(client, {**SMALL, "seed": 1})
    for _ in range(3):
        client.post(f"/api/sessions/{b}/step", json={"action": "step"})
    frame_a = client.post(f"/api/sessions/{a}/step", json={"action": "step"}).json()
    c, _ = new_session(client, {**SMALL, "seed": 1})
    frame_c = client.post(f"/api/sessions/{c}/step", json={"action": "step"}).json()
    assert frame_a["fake"] == frame_c["fake"] and frame_a["log"] == frame_c["log"]


def test_the_games_tab_plays_minigan_games(client):
    answer = client.get("/api/games?game=bilinear&lr=0.2&steps=50").json()
    assert set(answer["dynamics"]) == {"gd", "alt-gd", "omd", "oadam"}
    for name, run in answer["dynamics"].items():
        path = games.run_bilinear(name, 50, 0.2)
        np.testing.assert_allclose(run["path"], path)
        np.testing.assert_allclose(run["distance"], np.linalg.norm(path, axis=1))
    mean = client.get("/api/games?game=mean&lr=0.1&steps=30").json()
    run = games.run_mean_game("omd", 30, 0.1)
    np.testing.assert_allclose(mean["dynamics"]["omd"]["path"], run.theta)
    assert mean["equilibrium"] == [3.0, 4.0]
    for query, message in [("game=chess", "unknown game 'chess'"), ("lr=0", "η (lr) must be a number in (0, 0.5]"),
                           ("lr=abc", "lr must be a number"), ("steps=0", "steps must be a whole number")]:
        answer = client.get(f"/api/games?{query}")
        assert answer.status_code == 400 and message in answer.json()["error"]


def test_export_is_one_self_contained_page_of_the_recorded_frames(client):
    session_id, _ = new_session(client)
    for action in ("d", "g", "step"):
        client.post(f"/api/sessions/{session_id}/step", json={"action": action})
    answer = client.get(f"/api/sessions/{session_id}/export")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert re.fullmatch(r'attachment; filename="minigan-lab-ring-gan-1\.html"', answer.headers["content-disposition"])
    page = answer.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)         # nothing from the network
    assert "<script src" not in page and "<link" not in page.replace('<link rel="icon" href="data:,">', "")
    recording = json.loads(re.search(r'<script type="application/json" id="lab-recording">(.*?)</script>',
                                     page, re.S).group(1))
    assert [f["action"] for f in recording["frames"]] == ["reset", "d", "g", "step"]
    assert recording["scene"]["settings"]["algorithm"] == "gan"


def test_the_page_and_its_scripts_are_served_and_load_nothing_from_outside(client):
    page = client.get("/").text
    assert "<title>minigan lab</title>" in page
    for name in re.findall(r'src="(static/[^"]+)"', page) + re.findall(r'href="(static/[^"]+)"', page):
        answer = client.get(f"/{name}")
        assert answer.status_code == 200
        assert not re.search(r"https?://", answer.text), name
    assert not re.search(r"https?://", page)
    for label in ("Step D", "Step G", ">Step<", ">Play<", ">Reset<", ">Export<"):
        assert label in page
