"""[BEGAN-2] BEGAN's two losses, with L(v) = mean |v − D(v)| (BEGAN-1):

    L_D = L(x) − k_t · L(G(z_D))      minimised over θ_D (G(z_D) is a constant for D)
    L_G = L(G(z_G))                   minimised over θ_G

Compute G(z_D) under minigan.no_grad() (or .detach() it), so that L_D does not reach the generator.
"""
import minigan


def began_losses(generator, autoencoder, x, z_D, z_G, k_t):
    """generator, autoencoder: Modules; x: a real batch; z_D, z_G: two batches of codes; k_t: a float.
    Returns (L_D, L_G), two scalar Tensors."""
    ### BEGIN SOLUTION
    def loss(v):
        return (v - autoencoder(v)).abs().mean()
    with minigan.no_grad():
        fake_D = generator(z_D)
    return loss(x) - k_t * loss(fake_D), loss(generator(z_G))
    ### END SOLUTION
