"""The Bayesian GAN: the posteriors' losses against written-out formulas (VAR-BAYES-1), the prior's
gradient against central differences, the members and the posterior predictive, bad settings, a
short real run on the ring, and the commands on a Bayesian GAN run (evaluate per member)."""
import json

import numpy as np
import pytest

import minigan
from minigan import nn, optim
from minigan.cli import main
from minigan.cli.common import restore
from minigan.data import DataLoader, toy2d
from minigan.gan import recipes
from minigan.gan.bayesian_gan import BayesianGAN, Members, chunk_sizes, log_prior_loss


def softplus(a):
    return np.logaddexp(0.0, a)


def bayesian_gan(members=2, d_members=2, z_draws=1, data_size=100.0, prior_std=2.0):
    minigan.manual_seed(0)
    generators = Members([nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
                          for _ in range(members)])
    discriminators = Members([nn.Sequential(nn.Linear(2, 5), nn.LeakyReLU(0.2), nn.Linear(5, 1)).double()
                              for _ in range(d_members)])
    return BayesianGAN(generators, discriminators, optim.SGD(generators.parameters(), lr=0.0),
                       optim.SGD(discriminators.parameters(), lr=0.0), data_size=data_size, prior_std=prior_std,
                       z_draws=z_draws, latent_dim=3)


def squared_norm(module):
    return sum(float((p.numpy() ** 2).sum()) for p in module.parameters())


def test_members_split_the_batch_in_order():
    assert chunk_sizes(10, 4) == [3, 3, 2, 2] and chunk_sizes(2, 3) == [1, 1, 0] and sum(chunk_sizes(517, 4)) == 517
    algorithm = bayesian_gan(members=3)
    z = minigan.randn(7, 3, dtype="float64")
    out = algorithm.generator(z).numpy()
    for i, (start, stop) in enumerate([(0, 3), (3, 5), (5, 7)]):
        np.testing.assert_allclose(out[start:stop], algorithm.generator[i](z[start:stop]).numpy())
    with pytest.raises(ValueError, match="at least one weight sample"):
        Members([])


def test_the_prior_is_weight_decay_of_theta_over_sigma_squared_n():
    module = nn.Sequential(nn.Linear(3, 2)).double()
    loss = log_prior_loss(module, prior_std=2.0, data_size=50.0)
    assert loss.item() == pytest.approx(squared_norm(module) / (2 * 4.0 * 50.0), rel=1e-12)
    loss.backward()
    for p in module.parameters():
        np.testing.assert_allclose(p.grad.numpy(), p.numpy() / (4.0 * 50.0), rtol=1e-12)   # θ / (σ² N)
    minigan.gradcheck(lambda w, b: ((w * w).sum() + (b * b).sum()) / (2 * 4.0 * 50.0),
                      (module[0].weight, module[0].bias))


def test_discriminator_posterior_by_hand():
    """[VAR-BAYES-1] −log p(θ_d | z, X, θ_g)/N = Σ_k [mean softplus(−D_k(x)) + mean softplus(D_k(G(z)))] + prior,
    every discriminator sample against the fakes of every generator sample."""
    algorithm = bayesian_gan(members=2, d_members=2)
    x, fake = minigan.randn(6, 2, dtype="float64"), minigan.randn(4, 2, dtype="float64")
    expected = squared_norm(algorithm.discriminator) / (2 * 4.0 * 100.0)
    for d in algorithm.discriminator:
        expected += softplus(-d(x).numpy()).mean() + softplus(d(fake).numpy()).mean()
    assert algorithm.discriminator_loss(x, fake).item() == pytest.approx(expected, rel=1e-12)


def test_generator_posterior_by_hand_with_two_z_draws():
    """[VAR-BAYES-1] −log p(θ_g | z, θ_d)/N = Σ_j Σ_k mean softplus(−D_k(G(z_j))) + prior; each generator
    sample gets its share of each batch z_j."""
    algorithm = bayesian_gan(members=2, d_members=2, z_draws=2)
    minigan.manual_seed(5)
    z = [minigan.randn(6, 3, dtype="float32").double() for _ in range(2)]
    expected = squared_norm(algorithm.generator) / (2 * 4.0 * 100.0)
    for zj in z:
        fake = np.concatenate([algorithm.generator[0](zj[:3]).numpy(), algorithm.generator[1](zj[3:]).numpy()])
        for d in algorithm.discriminator:
            expected += softplus(-d(minigan.tensor(fake)).numpy()).mean()
    minigan.manual_seed(5)
    got = algorithm.generator_loss(6).item()
    assert got == pytest.approx(expected, rel=1e-6)           # z drawn in float32 then used in float64


def test_each_step_moves_its_own_player_and_every_member():
    algorithm = bayesian_gan(members=3, d_members=2)
    algorithm.opt_d.param_groups[0]["lr"] = algorithm.opt_g.param_groups[0]["lr"] = 0.1
    g0 = [p.numpy().copy() for p in algorithm.generator.parameters()]
    d0 = [p.numpy().copy() for p in algorithm.discriminator.parameters()]
    algorithm.discriminator_step(minigan.randn(6, 2, dtype="float64"))
    assert all(np.array_equal(a, p.numpy()) for a, p in zip(g0, algorithm.generator.parameters()))
    for d, first in zip(algorithm.discriminator, (0, 4)):
        assert not np.array_equal(d0[first], d[0].weight.numpy())            # every D sample moved
    d1 = [p.numpy().copy() for p in algorithm.discriminator.parameters()]
    assert set(algorithm.generator_step(6)) == {"loss_g"}
    assert all(np.array_equal(a, p.numpy()) for a, p in zip(d1, algorithm.discriminator.parameters()))
    for i in range(3):
        assert not np.array_equal(g0[4 * i], algorithm.generator[i][0].weight.numpy())   # every G sample moved


def test_sampling_the_posterior_predictive_and_one_member():
    algorithm = bayesian_gan(members=2)
    with minigan.fork_rng(3):
        pooled = algorithm.sample(5).numpy()
    with minigan.fork_rng(3):
        z = algorithm.noise(5)
    np.testing.assert_allclose(pooled[:3], algorithm.generator[0](z[:3]).numpy(), rtol=1e-6)
    np.testing.assert_allclose(pooled[3:], algorithm.generator[1](z[3:]).numpy(), rtol=1e-6)
    with minigan.fork_rng(4):
        one = algorithm.sample(4, member=1).numpy()
    with minigan.fork_rng(4):
        np.testing.assert_allclose(one, algorithm.generator[1](algorithm.noise(4)).numpy(), rtol=1e-6)
    assert [len(p) for p in algorithm.member_samples(5)] == [3, 2]
    for bad in (2, -1, 0.5):
        with pytest.raises(ValueError, match="member must be an integer in"):
            algorithm.sample(3, member=bad)


@pytest.mark.parametrize("kwargs, message", [(dict(members=0), r"members \(M"), (dict(d_members=0), "d_members"),
                                             (dict(alpha=0.0), r"alpha \(SGHMC's friction\)"),
                                             (dict(alpha=1.5), r"in \(0, 1\]"),
                                             (dict(sampler="sghmc", alpha=2.0), r"in \(0, 1\]"),
                                             (dict(prior_std=0.0), "prior_std"), (dict(z_draws=0), "z_draws"),
                                             (dict(batch_size=3, members=4), "every generator sample")])
def test_bad_settings_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        recipes.bayesian_gan(toy2d.ring(n_samples=64), **kwargs)
    with pytest.raises(TypeError, match="Members"):
        BayesianGAN(nn.Linear(3, 2), nn.Linear(2, 1), None, None, data_size=1.0)


def test_short_run_on_the_ring_the_members_share_the_modes():
    """A real run, shortened (M = 2, batch 64, 400 steps): the pooled samples reach most of the modes."""
    from minigan.metrics import mode_coverage

    minigan.manual_seed(0)
    data = toy2d.ring()
    algorithm = recipes.bayesian_gan(data, steps=400, batch_size=64, members=2).algorithm
    batches = DataLoader(data, 64, seed=0).forever()
    for _ in range(400):
        algorithm.step(batches)
    parts = [p.numpy() for p in algorithm.member_samples(2500)]
    pooled = mode_coverage(np.concatenate(parts), data.centers, data.std)
    each = [mode_coverage(p, data.centers, data.std) for p in parts]
    assert pooled[0] >= 7 and pooled[1] >= 0.05, (pooled, each)
    assert pooled[0] >= max(m for m, _ in each)


def test_commands_on_a_bayesian_gan_run(tmp_path, capsys):
    out = str(tmp_path / "run")
    assert main(["train", "bayesian-gan", "--data", "ring", "--steps", "4", "--batch-size", "16", "--members", "3",
                 "--out", out, "--quiet", "--sample-every", "4"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("generator sample") == 3
    saved = json.load(open(f"{out}/evaluation.json"))
    assert len(saved["members"]) == 3 and {"modes", "high_quality"} <= set(saved["members"][0])
    assert saved["steps"] == 4 and saved["train_seconds"] > 0
    assert main(["evaluate", out, "--n", "300"]) == 0 and capsys.readouterr().out.count("generator sample") == 3
    assert main(["sample", out, "--n", "5", "--out", str(tmp_path / "x.npy")]) == 0
    assert main(["sample", out, "--n", "4", "--member", "2", "--out", str(tmp_path / "m.npy")]) == 0
    algorithm, _, _ = restore(out)
    minigan.manual_seed(0)
    np.testing.assert_array_equal(np.load(tmp_path / "m.npy"), algorithm.sample(4, member=2).numpy())
    assert main(["sample", out, "--member", "3", "--out", str(tmp_path / "m.npy")]) == 2
    assert "member must be an integer in [0, 3)" in capsys.readouterr().err
    assert main(["interpolate", out, "--out", str(tmp_path / "i.png")]) == 0
    assert main(["train", "bayesian-gan", "--data", "ring", "--members", "0", "--steps", "1",
                 "--out", str(tmp_path / "bad")]) == 2
    assert "members" in capsys.readouterr().err
