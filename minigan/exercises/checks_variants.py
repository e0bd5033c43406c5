"""The checks of the GAN-variant exercises (tutorial 09): EBGAN's margin loss and pulling-away term
against minigan.gan.ebgan's, with their gradients against central differences, and one SGHMC step
against the slide's formula."""
import numpy as np

import minigan
from minigan.gan import ebgan


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
