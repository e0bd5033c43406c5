"""The checks of the GAN-variant exercises (tutorial 09): the conditional GAN's two losses with their
label inputs [VAR-CGAN], and the adversarial autoencoder's regularisation losses [VAR-AAE-2], values
and gradients against minigan.gan's losses on small float64 networks and central differences."""
import numpy as np

import minigan
import minigan.functional as F
from minigan import nn
from minigan.exercises.checks_losses import mlp
from minigan.gan import losses
from minigan.gan.models import Conditioned

K = 3   # classes of the conditional checks
WRONG_SIGN = ("D ASCENDS its objective and minigan's optimizers descend: minimise the NEGATIVE, "
              "softplus(−a_real) + softplus(a_fake)")
OWN_LABEL = ("each sample is judged with ITS OWN label: the fakes with the labels they were generated for "
             "(fake_labels), the real images with theirs")
NOT_FROZEN = ("the encoder is fixed during D's update: compute enc(x) under minigan.no_grad() (or .detach() it), "
              "so that D's loss does not reach the encoder")
PRIOR_IS_REAL = ("the prior's samples z′ are the REAL ones for D and the codes enc(x) the fakes: "
                 "softplus(−D(z′)) + softplus(D(enc(x)))")
NON_SATURATING = ("the encoder's loss is the non-saturating −log D(enc(x)) = softplus(−D(enc(x))) (GAN-5), "
                  "not log(1 − D(enc(x)))")


def _conditional_pair():
    """G(z | y): 2 + K → 5 → 2 and D(x | y): 2 + K → 5 → 1, float64 (minigan.gan.models.Conditioned)."""
    return Conditioned(mlp([2 + K, 5, 2]), K), Conditioned(mlp([2 + K, 5, 1]), K)


def _labels(g, m):
    return g.rng.integers(0, K, m)


def _compare_gradients(g, what, got, expected):
    for k, (p_got, p_expected) in enumerate(zip(got, expected)):
        g.close(f"{what} against minigan's, parameter {k}", p_got, p_expected)


def check_conditional_discriminator_loss(g, conditional_discriminator_loss):
    _, discriminator = _conditional_pair()
    x, fake = g.randn(6, 2, requires_grad=True), g.randn(6, 2, requires_grad=True)
    labels, fake_labels = _labels(g, 6), (_labels(g, 6) + 1) % K
    D = discriminator
    expected = losses.discriminator_loss(D(x, labels), D(fake, fake_labels))
    got = g.call("value", conditional_discriminator_loss, D, x, labels, fake, fake_labels)
    g.close("value", got, expected, mistakes={
        OWN_LABEL: lambda: losses.discriminator_loss(D(x, labels), D(fake, labels)),
        WRONG_SIGN: lambda: -expected.item(),
        "real is labelled 1 and fake 0: softplus(−D(x | y)) + softplus(D(G(z | y′) | y′))":
            lambda: F.softplus(D(x, labels)).mean() + F.softplus(-D(fake, fake_labels)).mean()})
    g.gradcheck("gradient against central differences",
                lambda x, fake: conditional_discriminator_loss(D, x, labels, fake, fake_labels), [x, fake],
                hint="build the loss from minigan operations (minigan.functional.softplus, .mean())")
    params = list(D.parameters())
    got = g.call("∇_θD", lambda: minigan.grad(conditional_discriminator_loss(D, x, labels, fake, fake_labels), params))
    _compare_gradients(g, "∇_θD of D's loss", got, minigan.grad(expected, params))


def check_conditional_generator_loss(g, conditional_generator_loss):
    generator, discriminator = _conditional_pair()
    z, labels = g.randn(6, 2, requires_grad=True), _labels(g, 6)
    expected = losses.non_saturating_generator_loss(discriminator(generator(z, labels), labels))
    got = g.call("value", conditional_generator_loss, generator, discriminator, z, labels)
    g.close("value", got, expected, mistakes={
        "the non-saturating loss −log D(G(z | y) | y) = softplus(−a), not log(1 − D(G(z | y) | y))":
            lambda: losses.minimax_generator_loss(discriminator(generator(z, labels), labels)),
        "D judges G(z | y) with the SAME label y that G was given":
            lambda: losses.non_saturating_generator_loss(discriminator(generator(z, labels), (labels + 1) % K))})
    g.gradcheck("gradient against central differences",
                lambda z: conditional_generator_loss(generator, discriminator, z, labels), [z],
                hint="build the loss from minigan operations (minigan.functional.softplus, .mean())")
    params = list(generator.parameters())
    got = g.call("∇_θG", lambda: minigan.grad(conditional_generator_loss(generator, discriminator, z, labels), params))
    _compare_gradients(g, "∇_θG of G's loss", got, minigan.grad(expected, params))


def _code_networks():
    """enc: 4 → 5 → 2 and D on codes: 2 → 5 → 1, float64."""
    return mlp([4, 5, 2]), mlp([2, 5, 1])


def check_aae_discriminator_loss(g, aae_discriminator_loss):
    encoder, discriminator = _code_networks()
    x, z_prior = g.randn(6, 4), g.randn(6, 2, requires_grad=True)
    with minigan.no_grad():
        codes = encoder(x)
    expected = losses.discriminator_loss(discriminator(z_prior), discriminator(codes))
    got = g.call("value", aae_discriminator_loss, encoder, discriminator, x, z_prior)
    g.close("value", got, expected, mistakes={
        PRIOR_IS_REAL: lambda: losses.discriminator_loss(discriminator(codes), discriminator(z_prior)),
        WRONG_SIGN: lambda: -expected.item()})
    reaches = g.call("D's loss reaches D only", lambda: minigan.grad(
        aae_discriminator_loss(encoder, discriminator, x, z_prior), list(encoder.parameters()), allow_unused=True))
    g.require("D's loss does not reach the encoder (frozen during D's update)",
              all(r is None or not np.any(r.data) for r in reaches),
              "D's loss has a gradient with respect to the encoder's weights", hint=NOT_FROZEN)
    g.gradcheck("gradient against central differences",
                lambda z: aae_discriminator_loss(encoder, discriminator, x, z), [z_prior],
                hint="build the loss from minigan operations (minigan.functional.softplus, .mean())")
    params = list(discriminator.parameters())
    got = g.call("∇_θD", lambda: minigan.grad(aae_discriminator_loss(encoder, discriminator, x, z_prior), params))
    _compare_gradients(g, "∇_θD of D's loss", got, minigan.grad(expected, params))


def check_aae_encoder_loss(g, aae_encoder_loss):
    encoder, discriminator = _code_networks()
    x = g.randn(6, 4, requires_grad=True)
    expected = losses.non_saturating_generator_loss(discriminator(encoder(x)))
    got = g.call("value", aae_encoder_loss, encoder, discriminator, x)
    g.close("value", got, expected, mistakes={
        NON_SATURATING: lambda: losses.minimax_generator_loss(discriminator(encoder(x))),
        "the encoder wants D to call its codes REAL: softplus(−D(enc(x))), not softplus(D(enc(x)))":
            lambda: F.softplus(discriminator(encoder(x))).mean()})
    g.gradcheck("gradient against central differences", lambda x: aae_encoder_loss(encoder, discriminator, x), [x],
                hint="build the loss from minigan operations (minigan.functional.softplus, .mean())")
    params = list(encoder.parameters())
    got = g.call("∇_θenc", lambda: minigan.grad(aae_encoder_loss(encoder, discriminator, x), params))
    with nn.frozen(discriminator):
        expected_grads = minigan.grad(losses.non_saturating_generator_loss(discriminator(encoder(x))), params)
    _compare_gradients(g, "∇_θenc of the encoder's loss", got, expected_grads)


HINTS_FOR_EXCEPTIONS = {   # exercise → ((regex on "Type: message", hint), ...)
    name: ((r"missing 1 required positional argument: 'labels'",
            "D(x | y) and G(z | y) take the labels too: discriminator(x, labels), generator(z, labels); "
            "a D that never sees y lets G ignore its label"),)
    for name in ("conditional_discriminator_loss", "conditional_generator_loss")
}
