"""ALI/BiGAN: the joint discriminator's losses against written-out formulas and central differences
(VAR-ALI), the pair's input order, the reparametrised encoder, which players each step moves,
encode/reconstruct, bad settings, a short real run on the grid, and the commands on an ALI run."""
import numpy as np
import pytest
from helpers import leaf

import minigan
from minigan import nn, optim
from minigan.cli import main
from minigan.cli.common import restore
from minigan.data import DataLoader, toy2d
from minigan.gan import recipes
from minigan.gan.ali import ALI, discriminator_loss, encoder_generator_loss
from minigan.gan.ali_models import GaussianEncoder, JointDiscriminator, ali_networks


def softplus(a):
    return np.logaddexp(0.0, a)


def small_ali(stochastic=False, lr=0.0):
    minigan.manual_seed(0)
    encoder, generator, discriminator = ali_networks(2, 2, 6, stochastic=stochastic)
    encoder, generator, discriminator = encoder.double(), generator.double(), discriminator.double()
    opt_g = optim.SGD(list(encoder.parameters()) + list(generator.parameters()), lr=lr)
    return ALI(encoder, generator, discriminator, opt_g, optim.SGD(discriminator.parameters(), lr=lr), latent_dim=2)


def test_losses_are_the_written_out_formulas():
    real, fake = leaf((5, 1), seed=1), leaf((5, 1), seed=2)
    r, f = real.numpy(), fake.numpy()
    assert discriminator_loss(real, fake).item() == pytest.approx(    # −mean log D(x,E(x)) − mean log(1 − D(G(z),z))
        -np.log(1 / (1 + np.exp(-r))).mean() - np.log(1 - 1 / (1 + np.exp(-f))).mean(), rel=1e-12)
    assert encoder_generator_loss(real, fake).item() == pytest.approx(        # the labels flipped
        softplus(r).mean() + softplus(-f).mean(), rel=1e-12)
    minigan.gradcheck(discriminator_loss, (real, fake))
    minigan.gradcheck(encoder_generator_loss, (real, fake))
    big = minigan.tensor(np.array([[1000.0], [-1000.0]]))
    assert np.isfinite(discriminator_loss(big, big).item()) and np.isfinite(encoder_generator_loss(big, big).item())


def test_the_joint_discriminator_takes_x_then_z_each_through_its_own_path():
    minigan.manual_seed(1)
    x_path, z_path = nn.Linear(3, 4).double(), nn.Linear(2, 4).double()
    joint = nn.Sequential(nn.LeakyReLU(0.2), nn.Linear(8, 1)).double()
    d = JointDiscriminator(x_path, z_path, joint)
    x, z = leaf((5, 3), seed=3), leaf((5, 2), seed=4)
    expected = joint(minigan.tensor(np.concatenate([x_path(x).numpy(), z_path(z).numpy()], axis=1))).numpy()
    np.testing.assert_allclose(d(x, z).numpy(), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="pairs"):
        d(x, z[:4])
    # swapping the codes between the pairs changes D's output: D judges the pair, not x alone
    swapped = minigan.tensor(z.numpy()[::-1].copy())
    assert not np.allclose(d(x, z).numpy(), d(x, swapped).numpy())
    # with x and z of one size, the order matters: D(x, z) is not D(z, x)
    ali = small_ali()
    a, b = leaf((4, 2), seed=5), leaf((4, 2), seed=6)
    assert not np.allclose(ali.discriminator(a, b).numpy(), ali.discriminator(b, a).numpy())
    minigan.gradcheck(lambda u, v: ali.discriminator(u, v), (a, b))


def test_pair_logits_are_the_real_and_generated_pairs():
    ali = small_ali()
    x, z = leaf((4, 2), seed=7), leaf((4, 2), seed=8)
    real_logits, fake_logits = ali.pair_logits(x, z)
    np.testing.assert_allclose(real_logits.numpy(), ali.discriminator(x, ali.encoder(x)).numpy())
    np.testing.assert_allclose(fake_logits.numpy(), ali.discriminator(ali.generator(z), z).numpy())


def test_the_stochastic_encoder_is_reparametrised():
    minigan.manual_seed(2)
    encoder = GaussianEncoder(nn.Linear(3, 4).double(), latent_dim=2)
    x = leaf((5, 3), seed=9)
    mu, log_sigma = encoder.moments(x)
    with minigan.fork_rng(3):
        z = encoder(x).numpy()
    with minigan.fork_rng(3):
        eps = minigan.randn(5, 2, dtype="float64").numpy()
    np.testing.assert_allclose(z, mu.numpy() + np.exp(log_sigma.numpy()) * eps, rtol=1e-12)   # z = μ + σ ⊙ ε
    np.testing.assert_allclose(encoder.mean(x).numpy(), mu.numpy())

    def drawn(w, b):
        with minigan.fork_rng(3):
            return GaussianEncoder(lambda v: v @ w.T + b, 2)(x)
    minigan.gradcheck(drawn, (encoder.net.weight, encoder.net.bias))    # z is differentiable in μ and σ


def test_each_step_moves_its_own_players():
    ali = small_ali(lr=0.1)
    before = {name: [p.numpy().copy() for p in module.parameters()]
              for name, module in (("E", ali.encoder), ("G", ali.generator), ("D", ali.discriminator))}

    def moved(name, module):
        return any(not np.array_equal(a, p.numpy()) for a, p in zip(before[name], module.parameters()))

    with pytest.raises(ValueError, match="needs a real batch"):
        ali.generator_step(4)
    ali.discriminator_step(leaf((6, 2), seed=10))
    assert moved("D", ali.discriminator) and not moved("E", ali.encoder) and not moved("G", ali.generator)
    before["D"] = [p.numpy().copy() for p in ali.discriminator.parameters()]
    assert set(ali.generator_step(6)) == {"loss_g"}
    assert moved("E", ali.encoder) and moved("G", ali.generator) and not moved("D", ali.discriminator)
    assert all(p.requires_grad for p in ali.discriminator.parameters())


def test_encode_and_reconstruct_are_eval_mode_without_a_graph():
    for stochastic in (False, True):
        ali = small_ali(stochastic=stochastic)
        x = leaf((5, 2), seed=11)
        z = ali.encode(x)
        assert z.shape == (5, 2) and not z.requires_grad and ali.encoder.training
        np.testing.assert_array_equal(z.numpy(), ali.encode(x).numpy())          # the mean: deterministic
        rec = ali.reconstruct(x)
        assert rec.shape == (5, 2) and not rec.requires_grad
        np.testing.assert_allclose(rec.numpy(), ali.generator(z).numpy())


def test_the_encoder_must_be_trained_with_the_generator():
    encoder, generator, discriminator = ali_networks(2, 2, 4)
    with pytest.raises(ValueError, match="encoder's weights"):
        ALI(encoder, generator, discriminator, optim.Adam(generator.parameters()),
            optim.Adam(discriminator.parameters()), latent_dim=2)


def test_short_run_on_the_grid_learns_the_inverse():
    """A real run, shortened (batch 64, 300 steps, hidden layers of 64, z of 2): E(G(z)) already
    determines z up to a linear map (R² of a least-squares fit ≥ 0.5 in each coordinate)."""
    minigan.manual_seed(0)
    data = toy2d.grid()
    algorithm = recipes.ali(data, steps=300, batch_size=64, hidden=64).algorithm
    batches = DataLoader(data, 64, seed=0).forever()
    for _ in range(300):
        algorithm.step(batches)
    z = algorithm.noise(1000).numpy()
    codes = algorithm.encode(algorithm.generate(minigan.tensor(z))).numpy()
    design = np.c_[codes, np.ones(len(codes))]
    residual = z - design @ np.linalg.lstsq(design, z, rcond=None)[0]
    r2 = 1 - residual.var(axis=0) / z.var(axis=0)
    assert r2.min() >= 0.5, r2


def test_commands_on_an_ali_run(tmp_path, capsys):
    out = str(tmp_path / "run")
    assert main(["train", "ali", "--data", "grid", "--steps", "4", "--batch-size", "16", "--stochastic",
                 "--out", out, "--quiet", "--sample-every", "4"]) == 0
    assert "E(G(z)) against z" in capsys.readouterr().out
    algorithm, _, _ = restore(out)
    assert isinstance(algorithm.encoder, GaussianEncoder)
    state = minigan.load(f"{out}/checkpoint.npz")["algorithm"]
    for saved, p in zip(state["encoder"].values(), algorithm.encoder.state_dict().values()):
        np.testing.assert_array_equal(np.asarray(saved), p.numpy())                  # E is in the checkpoint
    assert (tmp_path / "run" / "encoder.png").exists()                      # E's map of the plane
    assert main(["evaluate", out, "--n", "200"]) == 0
    assert main(["sample", out, "--n", "5", "--out", str(tmp_path / "x.npy")]) == 0
    assert main(["interpolate", out, "--out", str(tmp_path / "i.png")]) == 0
    digits_run = str(tmp_path / "digits")
    assert main(["train", "ali", "--steps", "2", "--batch-size", "8", "--out", digits_run, "--quiet",
                 "--sample-every", "2"]) == 0
    assert (tmp_path / "digits" / "reconstructions.png").exists()           # x above G(E(x))
    assert "classified as x's digit" in capsys.readouterr().out
