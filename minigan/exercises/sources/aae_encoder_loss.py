"""[VAR-AAE-2] The adversarial autoencoder's regularisation phase, the encoder as the GENERATOR of
codes: it makes D take its codes for prior samples, with the non-saturating loss (GAN-5)

    −(1/m) Σ_i log D(enc(x_i))  =  (1/m) Σ_i softplus(−D(enc(x_i)))

The gradient flows through D into the encoder (D's own parameters are held fixed by the step).
"""
import minigan.functional as F


def aae_encoder_loss(encoder, discriminator, x):
    """encoder(x) -> codes (m, d); discriminator(z) -> logits (m, 1); x: a batch of data.
    Returns the scalar Tensor that the encoder minimises."""
    ### BEGIN SOLUTION
    return F.softplus(-discriminator(encoder(x))).mean()
    ### END SOLUTION
