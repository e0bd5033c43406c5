"""A lab session: what Step D, Step G and Step change, seeds, isolation between sessions, bad
settings, divergence, the recording for Export, and freeing idle sessions."""
import time

import numpy as np
import pytest

import minigan
from minigan.lab import session as session_module
from minigan.lab.session import Session, SessionError, Sessions
from minigan.lab.settings import SettingsError

SMALL_GAN = {"data": "ring", "algorithm": "gan", "batch_size": 64}


def heat(frame):
    return np.array(frame["heatmap"]["values"])


def test_step_d_changes_the_heatmap_and_leaves_the_samples():
    s = Session(SMALL_GAN)
    before = s.first_frame()
    after = s.update("d")
    assert not np.allclose(heat(after), heat(before))
    assert after["fake"] == before["fake"]                         # the same z, G unchanged
    assert (after["d_updates"], after["g_updates"], after["iteration"]) == (1, 0, 0)
    assert set(after["log"]) == {"loss_d", "D(x)", "D(G(z))"}
    assert [s.lines[i][2] for i in after["lit"]] == ["d", "d"]


def test_step_g_moves_the_samples_and_leaves_the_heatmap():
    s = Session(SMALL_GAN)
    before = s.first_frame()
    after = s.update("g")
    assert heat(after).tolist() == heat(before).tolist()
    assert not np.allclose(after["fake"], before["fake"])
    assert (after["d_updates"], after["g_updates"]) == (0, 1)
    assert set(after["log"]) == {"loss_g"}
    assert [s.lines[i][1] for i in after["lit"]] == ["GAN-4", "GAN-5"]


def test_step_is_k_discriminator_updates_and_one_generator_update():
    s = Session({**SMALL_GAN, "k": 3})
    frame = s.update("step", 2)
    assert (frame["d_updates"], frame["g_updates"], frame["iteration"]) == (6, 2, 2)
    assert frame["lit"] == list(range(len(s.lines)))


def test_wgan_step_counts_the_warm_up_critic_iterations():
    s = Session({"data": "ring", "algorithm": "wgan", "batch_size": 8, "n_critic": 2})
    frame = s.update("step")
    assert frame["d_updates"] == 100           # the reference warm-up: 100 critic iterations at first
    assert set(frame["log"]) >= {"wasserstein", "loss_g"}
    assert s.scene()["surface"] == "f(x)"
    assert [line[1] for line in s.lines][:5] == ["WGAN-4 line 2", "WGAN-4 lines 3-4", "WGAN-4 line 5",
                                                 "WGAN-4 line 6", "WGAN-4 line 7"]


def test_the_recipe_fills_in_what_the_settings_leave_out():
    s = Session({"data": "grid", "algorithm": "wgan-gp"})
    defaults = minigan.gan.recipes.defaults("wgan-gp", s.data)
    assert s.config["batch_size"] == defaults["batch_size"] and s.config["gp_weight"] == defaults["gp_weight"]
    assert s.config["latent_dim"] == 2 and s.scene()["manifold_size"] > 0
    s = Session({"data": "ring", "algorithm": "gan", "lr": 2e-4, "lr_d": 1e-4, "optimizer": "omd"})
    assert (s.config["lr"], s.config["lr_d"], s.config["optimizer"]) == (2e-4, 1e-4, "omd")
    assert type(s.algorithm.opt_g).__name__ == "OptimisticSGD"
    assert s.algorithm.opt_d.param_groups[0]["lr"] == 1e-4


def test_the_frame_shows_the_learning_rates_of_the_schedule():
    s = Session({**SMALL_GAN, "steps": 10, "lr": 1e-3, "lr_d": 3e-4})
    assert s.update("step", 6)["lr"] == [1e-3, 3e-4]
    assert s.update("step", 2)["lr"] == pytest.approx([1e-4, 3e-5])      # ÷10 after 70% of the 10 steps


def test_a_seed_replays_and_sessions_do_not_disturb_each_other():
    alone = Session({**SMALL_GAN, "seed": 3})
    frames_alone = [alone.update("step") for _ in range(3)]
    a, b = Session({**SMALL_GAN, "seed": 3}), Session({**SMALL_GAN, "seed": 3})
    minigan.manual_seed(12345)
    outside = minigan.generator().random()
    minigan.manual_seed(12345)
    interleaved = []
    for _ in range(3):
        interleaved.append(a.update("step"))
        b.update("d")                                 # the other tab trains in between
    assert [f["fake"] for f in interleaved] == [f["fake"] for f in frames_alone]
    assert [f["log"] for f in interleaved] == [f["log"] for f in frames_alone]
    assert minigan.generator().random() == outside    # the caller's random stream is untouched
    other = Session({**SMALL_GAN, "seed": 4}).update("step")
    assert other["fake"] != frames_alone[0]["fake"]


@pytest.mark.parametrize("bad, message", [
    ({"data": "moons"}, "unknown dataset 'moons'"),
    ({"lr": 0}, "lr must be a finite number > 0"),
    ({"lr_d": -1e-3}, "lr_d must be a finite number > 0"),
    ({"lr": float("nan")}, "lr must be a finite number > 0"),
    ({"lr": "fast"}, "lr must be a number, got 'fast'"),
    ({"batch_size": 0}, "batch_size must be between 1 and 4096"),
    ({"batch_size": 2.5}, "batch_size must be a whole number"),
    ({"data": "drawn", "centers": []}, "the drawn dataset has no modes yet"),
    ({"data": "drawn", "centers": [[9, 0]]}, "every drawn mode must lie in the plane"),
    ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'"),
    ({"algorithm": "began"}, "unknown algorithm 'began'"),
    ({"temperature": 1}, "unknown setting(s) 'temperature'"),
])
def test_bad_settings_say_what_is_wrong_and_change_nothing(bad, message):
    s = Session(SMALL_GAN)
    s.update("g")
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        s.reset({**SMALL_GAN, **bad})
    assert s.g_updates == 1 and s.config["data"] == "ring"     # the session trains on as before
    s.update("d")


def test_bad_actions():
    s = Session(SMALL_GAN)
    with pytest.raises(SettingsError, match="unknown action 'x'"):
        s.update("x")
    with pytest.raises(SettingsError, match="repeat must be a whole number from 1 to 1000"):
        s.update("step", 0)


def test_a_divergence_stops_the_session_and_says_so():
    s = Session({**SMALL_GAN, "optimizer": "sgd", "lr": 1e6, "lr_d": 1e6})
    frame = s.update("step", 50)
    assert frame["diverged"].startswith("Diverged: ") and "became nan" in frame["diverged"]
    assert frame["iteration"] < 50
    with pytest.raises(SessionError, match="Press Reset"):
        s.update("step")
    s.reset(SMALL_GAN)
    assert s.update("step")["diverged"] is None


def test_recording_thins_itself(monkeypatch):
    monkeypatch.setattr(session_module, "MAX_RECORDED", 8)
    s = Session({**SMALL_GAN, "batch_size": 8})
    s.first_frame()
    for _ in range(20):
        s.update("g")
    assert len(s.recorded) <= 8 and s.record_stride >= 2
    numbers = [f["frame"] for f in s.recorded]
    assert numbers == sorted(numbers) and numbers[0] == 1          # the first frame is kept


def test_sessions_are_freed_when_idle_or_closed():
    sessions = Sessions(idle_timeout=60, max_sessions=2)
    a, b = sessions.create(SMALL_GAN), sessions.create(SMALL_GAN)
    assert a.id != b.id and len(sessions) == 2
    with pytest.raises(SessionError, match="2 sessions are open"):
        sessions.create(SMALL_GAN)
    t0 = time.monotonic()                                         # its clock: small on a machine just booted
    a.last_seen, b.last_seen = t0 - 110.0, t0 - 60.0              # b was used 50 s after a
    assert sessions.sweep(now=t0 - 49.0) == [a.id]
    assert sessions.sweep(now=t0 - 1.0) == []
    before = b.last_seen
    sessions.get(b.id)                                            # a request keeps it alive
    assert b.last_seen > before
    sessions.close(b.id)
    assert len(sessions) == 0
    with pytest.raises(KeyError):
        sessions.get(a.id)
