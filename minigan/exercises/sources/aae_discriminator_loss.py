"""[VAR-AAE-2] The adversarial autoencoder's regularisation phase, the discriminator on CODES: samples
z′ of the prior p(z) are the "real" ones, the encoder's codes enc(x) the "fake" ones. D ASCENDS

    (1/m) Σ_i [log D(z′_i) + log(1 − D(enc(x_i)))]

so the loss is its negative, on logits: (1/m) Σ softplus(−D(z′)) + (1/m) Σ softplus(D(enc(x))).
The encoder is FIXED during D's update: compute enc(x) under minigan.no_grad().
"""
import minigan
import minigan.functional as F


def aae_discriminator_loss(encoder, discriminator, x, z_prior):
    """encoder(x) -> codes (m, d); discriminator(z) -> logits (m, 1); x: a batch of data; z_prior (m, d):
    samples of p(z). Returns the scalar Tensor that D minimises (it must not reach the encoder)."""
    ### BEGIN SOLUTION
    with minigan.no_grad():
        codes = encoder(x)
    return F.softplus(-discriminator(z_prior)).mean() + F.softplus(discriminator(codes)).mean()
    ### END SOLUTION
