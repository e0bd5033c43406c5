"""EBGAN: the energy, the margin loss and the pulling-away term against written-out formulas and
central differences (VAR-EBGAN-1, VAR-EBGAN-2), which player each loss reaches, bad settings, a
short real run on the ring, and the commands on an EBGAN run."""
import itertools

import numpy as np
import pytest
from helpers import leaf

import minigan
from minigan import nn, optim
from minigan.cli import main
from minigan.data import DataLoader, toy2d
from minigan.gan import recipes
from minigan.gan.began_models import mlp_autoencoder
from minigan.gan.ebgan import EBGAN, energy, margin_loss, pulling_away


def ebgan(**kwargs):
    minigan.manual_seed(0)
    generator = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)).double()
    autoencoder = mlp_autoencoder(2, embedding_dim=3, hidden=6, depth=1).double()
    return EBGAN(generator, autoencoder, optim.SGD(generator.parameters(), lr=0.0),
                 optim.SGD(autoencoder.parameters(), lr=0.0), latent_dim=3, **kwargs)


def test_energy_is_the_written_out_reconstruction_error():
    v, r = leaf((4, 1, 2, 3), seed=1), leaf((4, 1, 2, 3), seed=2)
    residual = (r.numpy() - v.numpy()).reshape(4, -1)
    np.testing.assert_allclose(energy(v, r, "mse").numpy(), (residual ** 2).mean(axis=1))        # ‖·‖² / d
    np.testing.assert_allclose(energy(v, r, "norm").numpy(), np.linalg.norm(residual, axis=1))   # the paper's ‖·‖
    for kind in ("mse", "norm"):
        minigan.gradcheck(lambda a, b, kind=kind: energy(a, b, kind), (v, r))
    with pytest.raises(ValueError, match="same shape|must reconstruct"):
        energy(v, leaf((4, 6)))
    with pytest.raises(ValueError, match="unknown energy"):
        energy(v, r, "l1")


def test_margin_loss_hinges_each_fake_and_not_the_real_energy():
    real, fake, m = leaf((6,), 0.0, 2.0, seed=3), leaf((6,), 0.0, 2.0, seed=4, away_from_zero=0.05), 1.0
    fake.data[np.abs(fake.data - m) < 0.05] += 0.1                     # off the hinge's kink
    expected = real.numpy().mean() + np.maximum(m - fake.numpy(), 0.0).mean()
    loss = margin_loss(real, fake, m)
    assert loss.item() == pytest.approx(expected, rel=1e-12)
    minigan.gradcheck(lambda a, b: margin_loss(a, b, m), (real, fake))
    loss.backward()
    above = fake.numpy() >= m
    assert above.any() and (~above).any()
    np.testing.assert_array_equal(fake.grad.numpy()[above], 0.0)      # a fake already at E ≥ m: no gradient
    np.testing.assert_allclose(fake.grad.numpy()[~above], -1 / 6)
    np.testing.assert_allclose(real.grad.numpy(), 1 / 6)               # every real energy pushed down
    # the hinge on the batch's mean energy (some references) is another loss
    assert loss.item() != pytest.approx(real.numpy().mean() + max(m - fake.numpy().mean(), 0.0))


def pulling_away_by_loop(s):
    n = len(s)
    total = 0.0
    for i, j in itertools.product(range(n), range(n)):
        if i != j:
            total += (s[i] @ s[j] / (np.linalg.norm(s[i]) * np.linalg.norm(s[j]))) ** 2
    return total / (n * (n - 1))


@pytest.mark.parametrize("shape", [(2, 3), (5, 4), (7, 2)])
def test_pulling_away_against_a_loop_over_pairs(shape):
    s = leaf(shape, seed=shape[0], away_from_zero=0.1)
    assert pulling_away(s).item() == pytest.approx(pulling_away_by_loop(s.numpy()), rel=1e-12)
    minigan.gradcheck(pulling_away, (s,))
    scaled = minigan.tensor(s.numpy() * np.arange(1, shape[0] + 1)[:, None] * 3.0)
    assert pulling_away(scaled).item() == pytest.approx(pulling_away(s).item(), rel=1e-10)   # cosines: scale-free


def test_pulling_away_is_zero_for_orthogonal_and_one_for_parallel_codes():
    assert pulling_away(minigan.tensor(np.eye(4))).item() == pytest.approx(0.0, abs=1e-15)
    parallel = np.outer([1.0, -2.0, 0.5], [0.3, 1.0, -1.0])
    assert pulling_away(minigan.tensor(parallel)).item() == pytest.approx(1.0, rel=1e-12)   # the diagonal left out
    with pytest.raises(ValueError, match="at least 2 codes"):
        pulling_away(minigan.tensor(np.ones((1, 3))))


def test_losses_by_hand_and_the_player_each_reaches():
    algorithm = ebgan(margin=0.7, pt_weight=0.1)
    x, z = leaf((5, 2), seed=5), leaf((5, 3), seed=6)
    ae = algorithm.discriminator

    def e(v):
        return ((ae(v).numpy() - v.numpy()) ** 2).mean(axis=1)

    fake = algorithm.generator(z)
    loss_d, _, _ = algorithm.discriminator_loss(x, fake.detach())
    assert loss_d.item() == pytest.approx(e(x).mean() + np.maximum(0.7 - e(fake), 0).mean(), rel=1e-12)
    loss_g, _ = algorithm.generator_loss(fake)
    codes = ae.encoder(fake).numpy()
    assert loss_g.item() == pytest.approx(e(fake).mean() + 0.1 * pulling_away_by_loop(codes), rel=1e-12)
    # L_G differentiates through both occurrences of G(z) in ‖Dec(Enc(G(z))) − G(z)‖ (no detached target)
    params = list(algorithm.generator.parameters())
    minigan.gradcheck(lambda *ps: algorithm.generator_loss(algorithm.generator(z))[0], params)
    # the steps: D's leaves G alone, G's leaves D alone (and D trainable afterwards)
    before_g = [p.numpy().copy() for p in params]
    algorithm.opt_d.param_groups[0]["lr"] = algorithm.opt_g.param_groups[0]["lr"] = 0.1
    before_d = [p.numpy().copy() for p in ae.parameters()]
    algorithm.discriminator_step(x)
    assert all(np.array_equal(a, p.numpy()) for a, p in zip(before_g, params))
    assert not all(np.array_equal(a, p.numpy()) for a, p in zip(before_d, ae.parameters()))
    before_d = [p.numpy().copy() for p in ae.parameters()]
    algorithm.generator_step(5)
    assert all(np.array_equal(a, p.numpy()) for a, p in zip(before_d, ae.parameters()))
    assert all(p.requires_grad for p in ae.parameters())


def test_without_the_pulling_away_term_the_generator_loss_is_the_energy():
    algorithm = ebgan(pt_weight=0.0)
    fake = algorithm.generator(leaf((4, 3), seed=7))
    loss, energies = algorithm.generator_loss(fake)
    assert loss.item() == pytest.approx(energies.numpy().mean(), rel=1e-14)


@pytest.mark.parametrize("kwargs, message", [(dict(margin=0.0), "margin m must be positive"),
                                             (dict(margin=-1.0), "margin m must be positive"),
                                             (dict(pt_weight=-0.1), "pt_weight"),
                                             (dict(energy="l1"), "unknown energy")])
def test_bad_settings_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ebgan(**kwargs)
    with pytest.raises(TypeError, match="autoencoder"):
        EBGAN(nn.Linear(3, 2), nn.Linear(2, 2), None, None, latent_dim=3)


def test_short_run_on_the_ring_finds_the_modes():
    """A real run on the ring, shortened (batch 64, 400 steps, hidden layers of 64): the samples reach
    most modes, and the autoencoder's energy of the real batches falls."""
    from minigan.metrics import mode_coverage

    minigan.manual_seed(0)
    data = toy2d.ring()
    recipe = recipes.ebgan(data, steps=400, batch_size=64, hidden=64)
    batches = DataLoader(data, 64, seed=0).forever()
    stats = [recipe.algorithm.step(batches) for _ in range(400)]
    modes, hq = mode_coverage(recipe.algorithm.sample(2500).numpy(), data.centers, data.std)
    assert modes >= 7 and hq > 0.01, (modes, hq)
    assert np.mean([s["D(x)"] for s in stats[-50:]]) < 0.5 * np.mean([s["D(x)"] for s in stats[:50]])


def test_commands_on_an_ebgan_run(tmp_path, capsys):
    out = str(tmp_path / "run")
    assert main(["train", "ebgan", "--data", "ring", "--steps", "4", "--batch-size", "16", "--margin", "0.8",
                 "--pt-weight", "0", "--out", out, "--quiet", "--sample-every", "4"]) == 0
    config = minigan.load(f"{out}/checkpoint.npz")["config"]["recipe"]
    assert (config["margin"], config["pt_weight"], config["algorithm"]) == (0.8, 0.0, "ebgan")
    assert main(["evaluate", out]) == 0 and "modes captured" in capsys.readouterr().out
    assert main(["sample", out, "--n", "5", "--out", str(tmp_path / "x.npy")]) == 0
    assert np.load(tmp_path / "x.npy").shape == (5, 2)
    assert main(["interpolate", out, "--out", str(tmp_path / "i.png")]) == 0
    assert (tmp_path / "run" / "energies.png").exists()                     # the energies over training
    assert main(["sample", out, "--member", "1", "--out", str(tmp_path / "m.npy")]) == 2
    assert main(["train", "ebgan", "--data", "ring", "--margin", "-1", "--steps", "1",
                 "--out", str(tmp_path / "bad")]) == 2
    assert "margin" in capsys.readouterr().err
