"""The checks of the GAN-variant exercises: tutorial 09's conditional GAN's two losses with their label
inputs [VAR-CGAN] and the adversarial autoencoder's regularisation losses [VAR-AAE-2], values and
gradients against minigan.gan's losses on small float64 networks and central differences; tutorial
10's EBGAN margin loss and pulling-away term against minigan.gan.ebgan's, with their gradients against
central differences, ALI's losses, and one SGHMC step against the slide's formula."""
import numpy as np

import minigan
import minigan.functional as F
from minigan import nn
from minigan.exercises.checks_losses import mlp
from minigan.gan import ebgan, losses
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


def check_ebgan_margin_loss(g, ebgan_margin_loss):
    m = float(g.rng.uniform(0.5, 1.5))
    real = g.uniform(0.0, 2 * m, 8, requires_grad=True)
    fake_values = g.rng.uniform(0.0, 2 * m, 8)
    fake_values[np.abs(fake_values - m) < 0.05] += 0.1                 # off the hinge's kink
    fake_values[:2] = [0.3 * m, 1.6 * m]                               # one fake below the margin, one above
    fake = minigan.Tensor(fake_values, requires_grad=True)
    r, f = real.data, fake.data
    got = g.call("L_D", ebgan_margin_loss, real, fake, m)
    g.close("L_D", got, ebgan.margin_loss(real, fake, m), context=f"m = {m:.4g}", mistakes={
        "the margin applies to the FAKES' energy: [m − D(G(z))]⁺, while D(x) is pushed down without one":
            np.maximum(m - r, 0).mean() + f.mean(),
        "the margin goes on the fakes, not on the real energies: D(x) + [m − D(G(z))]⁺, not [m − D(x)]⁺ + ...":
            np.maximum(m - r, 0).mean() + np.maximum(m - f, 0).mean(),
        "the hinge is on each fake's energy, then the mean: mean [m − D(G(z_i))]⁺, not [m − mean D(G(z))]⁺":
            r.mean() + max(m - f.mean(), 0.0),
        "[·]⁺ = max(0, ·): a fake above the margin contributes 0, not a negative amount": r.mean() + (m - f).mean(),
        "L_D = D(x) + [m − D(G(z))]⁺: the real energy is ADDED (D lowers it)": -r.mean() + np.maximum(m - f, 0).mean()})
    g.gradcheck("gradient against central differences", lambda a, b: ebgan_margin_loss(a, b, m), [real, fake],
                hint="build L_D from minigan operations (minigan.functional.relu for [·]⁺)")
    grads = g.call("gradient", lambda: minigan.grad(ebgan_margin_loss(real, fake, m), [fake]))
    g.require("a fake with energy ≥ m gets no gradient", float(grads[0].data[1]) == 0.0,
              f"∂L_D/∂D(G(z)) of a fake at energy {1.6 * m:.3g} ≥ m is {float(grads[0].data[1]):.3g}",
              hint="the hinge [m − D(G(z))]⁺ is flat above the margin")


def _codes(g, n, s):
    return g.randn(n, s, requires_grad=True)


def check_pulling_away(g, pulling_away):
    for n, s in ((2, 3), (5, 4), (7, 3)):
        codes = _codes(g, n, s)
        c = codes.data
        unit = c / np.linalg.norm(c, axis=1, keepdims=True)
        cosine = unit @ unit.T
        got = g.call("f_PT", pulling_away, codes)
        g.close("f_PT", got, ebgan.pulling_away(codes), context=f"S of shape ({n}, {s})", mistakes={
            "leave the diagonal out: the sum is over j ≠ i (each S_i with itself has cosine 1)":
                (cosine ** 2).sum() / (n * (n - 1)),
            "the diagonal left out, divide by N(N − 1), the number of pairs, not by N²":
                ((cosine ** 2).sum() - n) / n ** 2,
            "the cosine is SQUARED: (S_iᵀ S_j / (‖S_i‖ ‖S_j‖))²": (cosine.sum() - n) / (n * (n - 1)),
            "normalise by the norms of the codes: a cosine, not the raw product S_iᵀ S_j":
                (((c @ c.T) ** 2).sum() - ((c * c).sum(1) ** 2).sum()) / (n * (n - 1)),
            "‖S_i‖ is the norm of the row S_i (one per sample), not of the whole matrix":
                (((c @ c.T / (c * c).sum()) ** 2).sum() - (((c * c).sum(1) / (c * c).sum()) ** 2).sum())
                / (n * (n - 1))})
    g.gradcheck("gradient against central differences", pulling_away, [_codes(g, 4, 3)],
                hint="build f_PT from minigan operations (sums, sqrt, @, minigan.eye)")
    parallel = minigan.Tensor(np.outer(g.rng.uniform(0.5, 2.0, 4), g.rng.standard_normal(3)))
    g.close("parallel codes give 1", g.call("f_PT of parallel codes", pulling_away, parallel), np.asarray(1.0))


def check_sghmc_step(g, sghmc_step):
    for lr, alpha in ((0.01, 0.1), (0.2, 0.5), (0.05, 1.0)):
        theta, v = g.rng.standard_normal((3, 2)), g.rng.standard_normal((3, 2)) * 0.1
        grad, xi = g.rng.standard_normal((3, 2)), g.rng.standard_normal((3, 2))
        expected_v = (1 - alpha) * v + lr * grad + np.sqrt(2 * alpha * lr) * xi
        context = f"η = {lr}, α = {alpha}"
        got = g.call("(θ, v)", sghmc_step, theta.copy(), v.copy(), grad.copy(), xi.copy(), lr, alpha)
        g.require("returns (θ, v)", isinstance(got, (tuple, list)) and len(got) == 2,
                  f"expected the pair (θ, v), got {type(got).__name__}", listed=False)
        got_theta, got_v = (np.asarray(x, dtype=float) for x in got)
        g.close("v", got_v, expected_v, context=context, mistakes={
            "the noise's VARIANCE is 2αη, so n = √(2αη) ξ (2αη ξ uses it as the standard deviation)":
                (1 - alpha) * v + lr * grad + 2 * alpha * lr * xi,
            "the noise n ~ N(0, 2αη I): its standard deviation is √(2αη), not √(2α) or √η":
                (1 - alpha) * v + lr * grad + np.sqrt(2 * alpha) * xi,
            "the friction multiplies the old velocity: (1 − α) v, not α v": alpha * v + lr * grad
                + np.sqrt(2 * alpha * lr) * xi,
            "SGHMC ASCENDS the log posterior: + η ∇ log p": (1 - alpha) * v - lr * grad + np.sqrt(2 * alpha * lr) * xi,
            "the noise is part of the step: v ← (1 − α) v + η ∇ log p + n": (1 - alpha) * v + lr * grad})
        g.close("θ", got_theta, theta + expected_v, context=context, mistakes={
            "θ moves by the NEW velocity: θ ← θ + v after v's update": theta + v})
    # the noise's variance over many draws (with ∇ log p = 0, v = 0, θ = 0: θ_new = n)
    xi = g.rng.standard_normal(100_000)
    zero = np.zeros_like(xi)
    got = g.call("the noise over many draws", sghmc_step, zero.copy(), zero.copy(), zero.copy(), xi, 0.02, 0.25)
    noise = np.asarray(got[0], dtype=float)
    g.close("the noise's variance is 2αη", np.asarray(noise.var()), np.asarray(2 * 0.25 * 0.02 * xi.var()),
            rtol=1e-6, mistakes={"the VARIANCE is 2αη (n = √(2αη) ξ), not the standard deviation":
                                 np.asarray((2 * 0.25 * 0.02) ** 2 * xi.var())})


def check_ali_losses(g, ali_losses):
    from minigan.gan.ali import discriminator_loss, encoder_generator_loss
    from minigan.gan.ali_models import ali_networks

    minigan.manual_seed(int(g.rng.integers(2 ** 16)))
    encoder, generator, discriminator = (m.double() for m in ali_networks(2, 2, 5))
    x, z = g.randn(6, 2), g.randn(6, 2)

    def value(a, b):
        return float(discriminator_loss(a, b).item()), float(encoder_generator_loss(a, b).item())

    real, fake = discriminator(x, encoder(x)), discriminator(generator(z), z)
    expected_d, expected_eg = value(real, fake)
    swapped_real, swapped_fake = discriminator(encoder(x), x), discriminator(z, generator(z))
    got = g.call("(L_D, L_EG)", ali_losses, discriminator, encoder, generator, x, z)
    g.require("returns (L_D, L_EG)", isinstance(got, (tuple, list)) and len(got) == 2,
              f"expected the pair (L_D, L_EG), got {type(got).__name__}", listed=False)
    loss_d, loss_eg = got
    order = "D takes the pair in the order (x, z), data first, code second: "
    g.close("L_D", loss_d, np.asarray(expected_d), mistakes={
        order + "D(x, E(x)) and D(G(z), z)": value(swapped_real, swapped_fake)[0],
        order + "the real pair is D(x, E(x)), not D(E(x), x)": value(swapped_real, fake)[0],
        order + "the generated pair is D(G(z), z), not D(z, G(z))": value(real, swapped_fake)[0],
        "the generated pair is (G(z), z), with the code z that G(z) came from, not E(G(z))":
            value(real, discriminator(generator(z), encoder(generator(z))))[0],
        "L_D = mean softplus(−D(x, E(x))) + mean softplus(D(G(z), z)): the real pairs are labelled 1":
            value(fake, real)[0]})
    g.close("L_EG", loss_eg, np.asarray(expected_eg), mistakes={
        "E and G flip the labels: L_EG = mean softplus(D(x, E(x))) + mean softplus(−D(G(z), z)), not −L_D":
            -expected_d,
        order + "D(x, E(x)) and D(G(z), z)": value(swapped_real, swapped_fake)[1],
        order + "the real pair is D(x, E(x)), not D(E(x), x)": value(swapped_real, fake)[1],
        order + "the generated pair is D(G(z), z), not D(z, G(z))": value(real, swapped_fake)[1],
        "L_EG has both terms: the real pairs (through E) and the generated pairs (through G)":
            float(encoder_generator_loss(real, fake).item() - softplus_mean(real))})
    params = list(encoder.parameters()) + list(generator.parameters())
    got_grads = g.call("∇ of L_EG", lambda: minigan.grad(ali_losses(discriminator, encoder, generator, x, z)[1],
                                                        params, allow_unused=True))
    expected_grads = minigan.grad(encoder_generator_loss(discriminator(x, encoder(x)),
                                                         discriminator(generator(z), z)), params)
    for k, (p_got, p_expected) in enumerate(zip(got_grads, expected_grads)):
        g.require(f"L_EG reaches E's and G's weights, parameter {k}", p_got is not None,
                  f"parameter {k} of E and G gets no gradient from L_EG",
                  hint="compute E(x) and G(z) inside, without no_grad or detach: E and G learn from L_EG")
        g.close(f"∇ L_EG against minigan's, parameter {k}", p_got, p_expected)


def softplus_mean(logits):
    """mean softplus(a) of a Tensor of logits, a float."""
    return float(np.logaddexp(0.0, logits.numpy()).mean())
