"""[BEGAN-1] BEGAN's discriminator is an autoencoder; how well it reconstructs v is

    L(v) = |v − D(v)|^η,   η = 1:  the mean absolute error over the batch and every coordinate
"""


def reconstruction_loss(autoencoder, v):
    """autoencoder: a Module (v ↦ D(v), same shape); v: a batch Tensor. Returns L(v), a scalar Tensor."""
    ### BEGIN SOLUTION
    return (v - autoencoder(v)).abs().mean()
    ### END SOLUTION
