"""[VAR-EBGAN-1] EBGAN's discriminator loss, with the energy D(v) of each sample (its autoencoder's
reconstruction error) and a margin m > 0:

    L_D = (1/N) Σ_i D(x_i) + [m − D(G(z_i))]⁺,      [·]⁺ = max(0, ·)

The real energies are pushed down, the fakes' energies up, but only up to m: a fake whose energy is
already ≥ m gives no gradient. The hinge is on each fake's energy, not on the batch's mean energy.
"""
import minigan.functional as F


def ebgan_margin_loss(energy_real, energy_fake, margin):
    """energy_real, energy_fake: minigan Tensors of shape (N,), D(x_i) and D(G(z_i)); margin: m, a
    float. Returns L_D, a scalar Tensor built from minigan operations (so that backward works)."""
    ### BEGIN SOLUTION
    return energy_real.mean() + F.relu(margin - energy_fake).mean()
    ### END SOLUTION
