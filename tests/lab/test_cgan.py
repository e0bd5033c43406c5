"""The conditional GAN in the lab [VAR-CGAN]: Step D / Step G / Step on the ring with y = the mode's
index, the samples coloured by their label (each label equally often), D's surface the mean over the
labels of D(x | y), the arrows taken with each sample's own label, the share on their label's mode,
and the page's option."""
import numpy as np
import pytest

import minigan
from minigan.gan.conditional import balanced_labels
from minigan.lab import frames
from minigan.lab.session import N_SHOWN, Session
from minigan.lab.settings import SettingsError

SMALL_CGAN = {"data": "ring", "algorithm": "cgan", "batch_size": 64}


def heat(frame):
    return np.array(frame["heatmap"]["values"])


def test_step_d_step_g_and_step():
    s = Session(SMALL_CGAN)
    first = s.first_frame()
    assert first["scene"]["num_classes"] == 8 and first["scene"]["surface"] == "mean over y of D(x | y)"
    assert first["fake_labels"] == balanced_labels(N_SHOWN, 8).tolist()
    after_d = s.update("d")
    assert not np.allclose(heat(after_d), heat(first)) and after_d["fake"] == first["fake"]
    assert set(after_d["log"]) == {"loss_d", "D(x|y)", "D(G(z|y)|y)"}
    assert [s.lines[i][1] for i in after_d["lit"]] == ["VAR-CGAN", "VAR-CGAN"]
    after_g = s.update("g")
    assert heat(after_g).tolist() == heat(after_d).tolist() and not np.allclose(after_g["fake"], after_d["fake"])
    frame = s.update("step", 3)
    assert (frame["d_updates"], frame["g_updates"], frame["iteration"]) == (4, 4, 3)
    assert 0 <= frame["metrics"]["on_label"] <= 1


def test_the_frame_is_what_minigan_computes_with_the_labels():
    s = Session(SMALL_CGAN)
    frame = s.update("step", 2)
    labels = balanced_labels(len(s.z_metric), 8)
    with minigan.no_grad():
        expected = s.algorithm.generator(minigan.tensor(s.z_metric[:N_SHOWN]), labels[:N_SHOWN]).numpy()
    np.testing.assert_allclose(np.array(frame["fake"], dtype=float), expected, atol=1e-4)
    points = frames.grid_points(*s.plane, frames.HEATMAP_SIZE)[:5]
    with minigan.no_grad():
        mean_d = np.mean([minigan.functional.sigmoid(s.algorithm.discriminator(minigan.tensor(points),
                                                                               np.full(5, y))).numpy()
                          for y in range(8)], axis=0)[:, 0]
    np.testing.assert_allclose(heat(frame)[:5], mean_d, rtol=1e-3, atol=1e-5)
    # the arrows use each sample's own label: another label gives other arrows
    fake = np.array(frame["fake"], dtype=float)[:8]
    own = frames.input_gradients(s.algorithm.discriminator, s.loss, fake, "cgan", labels[:8])
    other = frames.input_gradients(s.algorithm.discriminator, s.loss, fake, "cgan", (labels[:8] + 1) % 8)
    np.testing.assert_allclose(np.array(frame["arrows"], dtype=float)[:8], own, rtol=1e-3, atol=1e-4)
    assert not np.allclose(own, other)


def test_a_drawn_dataset_of_one_mode_is_refused():
    with pytest.raises(SettingsError, match="num_classes"):
        Session({"data": "drawn", "algorithm": "cgan", "centers": [[0.5, 0.5]]})


def test_the_page_offers_the_conditional_gan():
    from importlib.resources import files

    page = files("minigan.lab").joinpath("static/index.html").read_text()
    views = files("minigan.lab").joinpath("static/views.js").read_text()
    assert '<option value="cgan">' in page
    assert "frame.fake_labels" in views and "labelledDots" in views


def test_export_records_the_labels(tmp_path, capsys):
    from minigan.cli import main

    out = tmp_path / "cgan.html"
    assert main(["lab", "--export", str(out), "--data", "ring", "--algorithm", "cgan", "--steps", "4"]) == 0
    text = out.read_text()
    assert '"fake_labels":[0,1,2,3,4,5,6,7,0' in text and "labelledDots" in text
