"""The GAN variants' figures: each draws from its inputs and writes a PNG (EBGAN's energies with the
margin, the Bayesian GAN's generator samples in their colours, ALI's reconstructions and E's map)."""
import numpy as np
import pytest

from minigan.viz import variants


def test_each_figure_writes_a_png(tmp_path):
    rows = [{"step": s, "D(x)": 0.5 / s, "D(G(z))": 0.6 / s, "loss_d": 0.5} for s in range(1, 30)]
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(5, 2))
    drawn = [variants.energy_curves(rows, 0.5, tmp_path / "energies.png"),
             variants.members_scatter([rng.normal(size=(20, 2)) for _ in range(3)], centers, tmp_path / "m.png"),
             variants.reconstruction_pairs(rng.uniform(-1, 1, (10, 1, 8, 8)), rng.uniform(-1, 1, (10, 1, 8, 8)),
                                           tmp_path / "r.png"),
             variants.encoder_map(rng.normal(size=(50, 2)), rng.normal(size=(50, 2)), centers, tmp_path / "e.png")]
    for path in drawn:
        assert path.exists() and path.read_bytes()[:4] == b"\x89PNG"


def test_the_members_figure_has_one_colour_per_generator_sample():
    figure = variants.members_scatter([np.zeros((4, 2)) + i for i in range(3)], np.zeros((1, 2)))
    collections = figure.axes[0].collections
    colours = {tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in collections[:3]}
    assert len(colours) == 3 and variants.member_colour(0) != variants.member_colour(1)


@pytest.mark.parametrize("margin", [0.3, 1.0])
def test_the_energy_figure_draws_the_margin(margin):
    rows = [{"step": s, "D(x)": 0.2, "D(G(z))": 0.3, "loss_d": margin} for s in range(1, 5)]
    ax = variants.energy_curves(rows, margin).axes[0]
    assert any(np.allclose(line.get_ydata(), margin) for line in ax.get_lines())
