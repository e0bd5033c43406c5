"""[GAN-3] Algorithm 1, the discriminator: update D by ASCENDING

    ∇_{θd} (1/m) Σ_i [log D(x_i) + log(1 − D(G(z_i)))]

minigan's optimizers descend, so the loss to minimise is the NEGATIVE of this objective. D outputs a
logit a and D = σ(a), so log D = −softplus(−a) and log(1 − D) = −softplus(a). The grader checks the
value and its gradient, then trains a small GAN on the ring of 8 Gaussians with your loss and expects
D(x) to rise above D(G(z)).
"""
import minigan.functional as F


def discriminator_loss(real_logits, fake_logits):
    """real_logits: D's logits on a real batch (m, 1); fake_logits: on a generated batch (m, 1).
    Returns the scalar Tensor that D minimises."""
    ### BEGIN SOLUTION
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
    ### END SOLUTION
