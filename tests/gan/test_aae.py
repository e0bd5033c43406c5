"""The adversarial autoencoder [VAR-AAE-1, VAR-AAE-2]: the phases' losses against written-out
formulas and central differences, each update touching only its own networks, the priors (the
mixture's petals, its density), encode/decode/reconstruct/sample, and bad input."""
import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan import optim
from minigan.gan import losses, recipes
from minigan.gan.aae import (
    MIXTURE,
    AdversarialAutoencoder,
    mixture_angles,
    prior_density,
    reconstruction_loss,
    sample_code_prior,
    sample_mixture_prior,
)
from minigan.gan.aae_models import aae_mlps

sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731


def small_aae(seed=0, code_size=2, prior="normal", num_classes=0, lr=1e-3):
    minigan.manual_seed(seed)
    encoder, decoder, discriminator = aae_mlps((1, 2, 2), code_size, hidden=8, num_classes=num_classes)
    opt_ae = optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr)
    return AdversarialAutoencoder(encoder, decoder, discriminator, opt_ae, optim.Adam(discriminator.parameters(), lr),
                                  optim.Adam(encoder.parameters(), lr), code_size, prior=prior,
                                  num_classes=num_classes)


def test_reconstruction_loss_is_the_mean_squared_error_per_pixel():
    """[VAR-AAE-1] (1/m) Σ ‖x − x̂‖² / pixels, and its gradient 2(x̂ − x)/(m · pixels)."""
    rng = np.random.default_rng(0)
    x, x_hat = rng.normal(size=(3, 1, 2, 2)), minigan.tensor(rng.normal(size=(3, 1, 2, 2)), requires_grad=True)
    loss = reconstruction_loss(x_hat, minigan.tensor(x))
    assert loss.item() == pytest.approx(((x_hat.numpy() - x) ** 2).sum() / 12, rel=1e-12)
    assert minigan.gradcheck(lambda x_hat: reconstruction_loss(x_hat, minigan.tensor(x)), (x_hat,))


def regularisation_losses(W_e, W1, w2, x, z_prior):
    """enc(x) = W_e x; D(z) = w₂ · tanh(W₁ z): D's loss and the encoder's (VAR-AAE-2)."""
    D = lambda z: F.linear(F.tanh(F.linear(z, W1)), w2)  # noqa: E731
    codes = F.linear(x, W_e)
    return losses.discriminator_loss(D(z_prior), D(codes)), losses.non_saturating_generator_loss(D(codes))


def test_regularisation_losses_are_the_written_out_formulas_and_match_central_differences():
    """[VAR-AAE-2] D: −(1/m) Σ [log D(z′) + log(1 − D(enc(x)))]; encoder: −(1/m) Σ log D(enc(x))."""
    rng = np.random.default_rng(1)
    W_e, W1, w2, x, z_prior = (minigan.tensor(rng.normal(size=s), requires_grad=True)
                               for s in [(2, 4), (5, 2), (1, 5), (6, 4), (6, 2)])
    loss_d, loss_e = regularisation_losses(W_e, W1, w2, x, z_prior)
    D = lambda z: np.tanh(z @ W1.numpy().T) @ w2.numpy().T  # noqa: E731
    codes = x.numpy() @ W_e.numpy().T
    by_hand = -np.mean(np.log(sig(D(z_prior.numpy())))) - np.mean(np.log(1 - sig(D(codes))))
    assert loss_d.item() == pytest.approx(by_hand)
    assert loss_e.item() == pytest.approx(-np.mean(np.log(sig(D(codes)))))
    assert minigan.gradcheck(lambda *a: regularisation_losses(*a)[0], (W_e, W1, w2, x, z_prior))
    assert minigan.gradcheck(lambda *a: regularisation_losses(*a)[1], (W_e, W1, w2, x, z_prior))


def snapshot(net):
    return [p.numpy().copy() for p in net.parameters()]


def same(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a, b))


def moved(a, b):
    return not any(np.array_equal(u, v) for u, v in zip(a, b))


def test_each_phase_moves_only_its_own_networks():
    aae = small_aae(1)
    x = minigan.randn(8, 1, 2, 2)
    nets = {"encoder": aae.encoder, "decoder": aae.decoder, "D": aae.discriminator}
    expected_moves = [(aae.reconstruction_step, {"encoder", "decoder"}),     # [VAR-AAE-1]
                      (aae.discriminator_step, {"D"}),                        # [VAR-AAE-2] the encoder frozen
                      (aae.generator_step, {"encoder"})]                      # [VAR-AAE-2] D frozen
    for phase, movers in expected_moves:
        before = {name: snapshot(net) for name, net in nets.items()}
        phase(x)
        for name, net in nets.items():
            assert (moved if name in movers else same)(before[name], snapshot(net)), (phase.__name__, name)
    assert all(p.requires_grad for p in aae.discriminator.parameters())
    stats = aae.step(x)
    assert set(stats) == {"loss_rec", "loss_d", "D(z')", "D(enc(x))", "loss_e"}


def test_mixture_prior_has_its_petals():
    minigan.manual_seed(0)
    points, k = sample_mixture_prior(20000)
    for j, theta in enumerate(mixture_angles()):
        chosen = points[k == j]
        radial = chosen @ np.array([np.cos(theta), np.sin(theta)])
        tangential = chosen @ np.array([-np.sin(theta), np.cos(theta)])
        assert radial.mean() == pytest.approx(MIXTURE["shift"], abs=0.05)
        assert radial.std() == pytest.approx(MIXTURE["radial_std"], rel=0.1)
        assert tangential.std() == pytest.approx(MIXTURE["tangential_std"], rel=0.1)
    assert np.bincount(k, minlength=10).min() > 1700
    # the densities integrate to 1 over the plane
    ticks = np.linspace(-4, 4, 801)
    grid = np.stack(np.meshgrid(ticks, ticks), -1).reshape(-1, 2)
    cell = (ticks[1] - ticks[0]) ** 2
    for prior in ("normal", "mixture"):
        assert prior_density(grid, prior).sum() * cell == pytest.approx(1.0, abs=2e-3)


def test_priors_and_bad_input_are_clear_errors():
    assert sample_code_prior(5, 3, "normal").shape == (5, 3)
    with pytest.raises(ValueError, match="unknown prior 'laplace'"):
        sample_code_prior(5, 2, "laplace")
    with pytest.raises(ValueError, match="code size must be 2"):
        small_aae(code_size=8, prior="mixture")
    with pytest.raises(ValueError, match="prior must be one of"):
        small_aae(prior="swiss-roll")
    with pytest.raises(ValueError, match="code_size must be an integer"):
        recipes.aae(_digits_like(), code_size=0)
    with pytest.raises(ValueError, match="built for images"):
        from minigan.data import toy2d

        recipes.aae(toy2d.ring(100))


def _digits_like():
    from minigan.data.images import ImageDataset

    return ImageDataset("tiny", np.zeros((4, 1, 2, 2), np.float32), np.array([0, 1, 0, 1]))


def test_encode_decode_reconstruct_sample():
    aae = small_aae(2, code_size=2, prior="mixture")
    x = minigan.randn(5, 1, 2, 2)
    z = aae.encode(x)
    assert z.shape == (5, 2) and not z.requires_grad
    np.testing.assert_allclose(aae.reconstruct(x).numpy(), aae.decode(z).numpy())
    assert aae.sample(7).shape == (7, 1, 2, 2)
    with pytest.raises(ValueError, match="takes no label"):
        aae.decode(z, labels=[0] * 5)


def test_decoder_given_the_label():
    aae = small_aae(3, num_classes=2)
    x, y = minigan.randn(6, 1, 2, 2), np.array([0, 1, 0, 1, 0, 1])
    z = aae.encode(x)
    assert not np.allclose(aae.decode(z, y).numpy(), aae.decode(z, 1 - y).numpy())   # the label reaches dec
    assert aae.sample(4, labels=[1, 1, 1, 1]).shape == (4, 1, 2, 2)
    with pytest.raises(ValueError, match="takes the label too"):
        aae.decode(z)
    with pytest.raises(ValueError, match="one label per sample"):
        aae.decode(z, [0, 1])
    aae.step((x, minigan.tensor(y)))                 # a labelled batch
    with pytest.raises(ValueError, match="labelled batches"):
        aae.step(iter([x]))


def test_checkpoint_round_trip_keeps_the_encoder(tmp_path):
    aae, other = small_aae(4), small_aae(5)
    aae.step(minigan.randn(8, 1, 2, 2))
    minigan.save(aae.state_dict(), str(tmp_path / "aae.npz"))
    other.load_state_dict(minigan.load(str(tmp_path / "aae.npz")))
    x = minigan.randn(3, 1, 2, 2)
    np.testing.assert_array_equal(aae.encode(x).numpy(), other.encode(x).numpy())
    np.testing.assert_array_equal(aae.reconstruct(x).numpy(), other.reconstruct(x).numpy())


def test_the_phases_descend_the_written_out_losses():
    """With SGD (lr η) in float64: the reconstruction phase moves (enc, dec) by −η ∇ mean (x − x̂)²,
    D's step moves θ_D by −η ∇ of −mean log D(z′) − mean log(1 − D(enc(x))) with the z′ it drew, and
    the encoder's step moves θ_enc by −η ∇ of −mean log D(enc(x))."""
    minigan.set_default_dtype("float64")
    try:
        minigan.manual_seed(4)
        encoder, decoder, discriminator = (net.double() for net in aae_mlps((1, 2, 2), 2, hidden=5))
        eta = 0.05
        sgd = lambda *nets: optim.SGD([p for n in nets for p in n.parameters()], eta)  # noqa: E731
        aae = AdversarialAutoencoder(encoder, decoder, discriminator, sgd(encoder, decoder), sgd(discriminator),
                                     sgd(encoder), 2)
        x = minigan.randn(6, 1, 2, 2)

        def check(phase, loss_by_hand, networks, key):
            params = [p for n in networks for p in n.parameters()]
            value, grads = loss_by_hand()
            before = [p.numpy().copy() for p in params]
            stats = phase(x)
            assert stats[key] == pytest.approx(value, rel=1e-10)
            for b, p, g in zip(before, params, grads):
                np.testing.assert_allclose(p.numpy(), b - eta * g.numpy(), rtol=1e-9, atol=1e-12)

        def reconstruction():
            loss = ((decoder(encoder(x)) - x) ** 2).mean()
            return loss.item(), minigan.grad(loss, list(encoder.parameters()) + list(decoder.parameters()))

        def discriminator_loss():
            state = minigan.get_rng_state()
            z_prior = aae.noise(6)
            minigan.set_rng_state(state)
            a_prior, a_codes = discriminator(z_prior), discriminator(encoder(x).detach())
            loss = F.softplus(-a_prior).mean() + F.softplus(a_codes).mean()
            by_hand = -np.log(sig(a_prior.numpy())).mean() - np.log(1 - sig(a_codes.numpy())).mean()
            assert loss.item() == pytest.approx(by_hand, rel=1e-12)
            return by_hand, minigan.grad(loss, list(discriminator.parameters()))

        def encoder_loss():
            a = discriminator(encoder(x))
            loss = F.softplus(-a).mean()
            assert loss.item() == pytest.approx(-np.log(sig(a.numpy())).mean(), rel=1e-12)
            return loss.item(), minigan.grad(loss, list(encoder.parameters()))

        check(aae.reconstruction_step, reconstruction, (encoder, decoder), "loss_rec")
        check(aae.discriminator_step, discriminator_loss, (discriminator,), "loss_d")
        check(aae.generator_step, encoder_loss, (encoder,), "loss_e")
    finally:
        minigan.set_default_dtype("float32")
