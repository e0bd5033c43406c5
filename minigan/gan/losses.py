"""The vanilla GAN's objectives, in logit space.

The discriminator outputs a logit a and D = σ(a). Then, exactly and without overflow,

    log D = log σ(a) = -softplus(-a)        log(1 - D) = log σ(-a) = -softplus(a)

with softplus(a) = max(a, 0) + log1p(e^-|a|). Never log(sigmoid(a)): σ underflows to 0 and the log
becomes -inf (and its gradient NaN).
"""
import numpy as np

import minigan.functional as F


def value(real_logits, fake_logits):
    """[GAN-2] V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 - D(G(z)))]
    = mean(-softplus(-a_real)) + mean(-softplus(a_fake)). At the global optimum V = -log 4 (GAN-6)."""
    return -F.softplus(-real_logits).mean() - F.softplus(fake_logits).mean()


def discriminator_loss(real_logits, fake_logits):
    """[GAN-3] The discriminator *ascends* (1/m) Σ_i [log D(x_i) + log(1 - D(G(z_i)))]; minigan's
    optimizers descend, so this is its negative:  (1/m) Σ softplus(-a_real) + (1/m) Σ softplus(a_fake),
    the binary cross-entropy with real labelled 1 and fake labelled 0 (GAN-5, step 3)."""
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def minimax_generator_loss(fake_logits):
    """[GAN-4] The generator *descends* (1/m) Σ_i log(1 - D(G(z_i))) = -(1/m) Σ softplus(a_fake).

    Its gradient with respect to the logit is -σ(a): it vanishes when D confidently rejects the
    fakes (a → -∞), which is early in training — the saturation of GAN-5."""
    return -F.softplus(fake_logits).mean()


def non_saturating_generator_loss(fake_logits):
    """[GAN-5] Train G with the fakes labelled 1: minimise -(1/m) Σ log D(G(z_i)) = (1/m) Σ softplus(-a_fake).

    Same fixed point as GAN-4, but the gradient with respect to the logit is -(1 - σ(a)) → -1 when D
    rejects the fakes: strong gradients early in training (Goodfellow et al. 2014, §3)."""
    return F.softplus(-fake_logits).mean()


GENERATOR_LOSSES = {"non_saturating": non_saturating_generator_loss, "minimax": minimax_generator_loss}


def optimal_discriminator(p_data, p_g):
    """[GAN-6] D*(x) = p_data(x) / (p_data(x) + p_g(x)), for densities evaluated at the same points."""
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    return p_data / (p_data + p_g)
