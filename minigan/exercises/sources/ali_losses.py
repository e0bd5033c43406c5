"""[VAR-ALI] ALI/BiGAN's losses. The discriminator judges PAIRS, always in the order (x, z): real data
with its code, (x, E(x)), against generated data with the code it came from, (G(z), z):

    min_{G,E} max_D  E_x[log D(x, E(x))] + E_z[log(1 − D(G(z), z))]

On logits a (D = σ(a), log D = −softplus(−a), log(1 − D) = −softplus(a)):

    L_D  = mean softplus(−D(x, E(x))) + mean softplus(D(G(z), z))      (D ascends the objective)
    L_EG = mean softplus(D(x, E(x))) + mean softplus(−D(G(z), z))      (E and G: the labels flipped)
"""
import minigan.functional as F


def ali_losses(discriminator, encoder, generator, x, z):
    """discriminator(x, z) -> logits (N, 1); encoder(x) -> codes; generator(z) -> samples; x (N, d) real
    data, z (N, k) codes drawn from p(z). Returns (L_D, L_EG), scalar Tensors built from minigan
    operations."""
    ### BEGIN SOLUTION
    real_logits = discriminator(x, encoder(x))
    fake_logits = discriminator(generator(z), z)
    loss_d = F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
    loss_eg = F.softplus(real_logits).mean() + F.softplus(-fake_logits).mean()
    return loss_d, loss_eg
    ### END SOLUTION
