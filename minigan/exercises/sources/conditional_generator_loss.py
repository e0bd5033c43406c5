"""[VAR-CGAN] The conditional GAN's generator: G(z | y) draws a sample of the requested label y, and
D judges it WITH that label. The non-saturating loss (GAN-5) with the condition:

    −(1/m) Σ_i log D(G(z_i | y_i) | y_i)  =  (1/m) Σ_i softplus(−a_i),   a_i = D(G(z_i | y_i) | y_i)
"""
import minigan.functional as F


def conditional_generator_loss(generator, discriminator, z, labels):
    """generator(z, labels) -> samples; discriminator(x, labels) -> logits (m, 1); z (m, d); labels (m,).
    Returns the scalar Tensor that G minimises."""
    ### BEGIN SOLUTION
    return F.softplus(-discriminator(generator(z, labels), labels)).mean()
    ### END SOLUTION
