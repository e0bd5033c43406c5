"""The lab's EBGAN and Bayesian GAN sessions: EBGAN's heatmap is the autoencoder's energy and its
arrows descend it; the Bayesian GAN's samples come in one run per generator sample (the page colours
each), its heatmap is D(x) of its discriminator sample."""
import numpy as np

import minigan
from minigan.gan.ebgan import energy
from minigan.lab import frames
from minigan.lab.session import N_SHOWN, Session


def test_ebgan_session_shows_the_energy_and_its_descent():
    s = Session({"data": "ring", "algorithm": "ebgan", "batch_size": 16, "margin": 0.7, "pt_weight": 0.0})
    frame = s.update("step")
    scene = s.scene()
    assert scene["surface"] == "energy D(x)" and s.algorithm.margin == 0.7 and s.algorithm.pt_weight == 0.0
    points = frames.grid_points(*s.plane, frames.HEATMAP_SIZE)
    ae = s.algorithm.discriminator
    with minigan.no_grad():
        expected = energy(minigan.tensor(points), ae(minigan.tensor(points))).numpy()
    np.testing.assert_allclose(frame["heatmap"]["values"], expected, rtol=1e-3, atol=1e-4 * expected.max())
    fake = np.asarray(frame["fake"], dtype=np.float32)[:3]
    arrows = np.asarray(frame["arrows"])[:3]
    step = 1e-3 * arrows / np.linalg.norm(arrows, axis=1, keepdims=True)
    with minigan.no_grad():                                        # −∇ₓ D(x): a small step lowers the energy
        before = energy(minigan.tensor(fake), ae(minigan.tensor(fake))).numpy()
        moved = minigan.tensor((fake + step).astype(np.float32))
        after = energy(moved, ae(moved)).numpy()
    assert (after < before).all()
    assert frame["members"] is None and "VAR-EBGAN-1" in [line[1] for line in scene["lines"]]


def test_bayesian_gan_session_colours_each_generator_sample():
    s = Session({"data": "grid", "algorithm": "bayesian-gan", "batch_size": 16, "members": 3})
    frame = s.update("step")
    assert frame["members"] == [N_SHOWN // 3 + (i < N_SHOWN % 3) for i in range(3)]
    fake = np.asarray(frame["fake"], dtype=np.float64)
    z = s.z_metric[:N_SHOWN]
    start = 0
    for i, size in enumerate(frame["members"]):                     # run i is generator sample i's
        own = frames.generate(s.algorithm.generator[i], z[start:start + size])
        np.testing.assert_allclose(fake[start:start + size], own, rtol=1e-3, atol=1e-4)
        start += size
    assert 0 <= frame["heatmap"]["min"] <= frame["heatmap"]["max"] <= 1 and s.scene()["surface"] == "D(x)"
    assert frame["metrics"]["n_modes"] == 25
