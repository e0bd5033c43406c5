"""[VAR-CGAN] The conditional GAN's discriminator: D(x | y) sees the label y beside x, and ASCENDS

    (1/m) Σ_i [log D(x_i | y_i) + log(1 − D(G(z_i | y′_i) | y′_i))]

minigan's optimizers descend, so the loss is the NEGATIVE of this objective. Each image is judged
with ITS OWN label: the real x_i with its label y_i, the fake with the label y′_i it was generated
for. D outputs a logit a, log D = −softplus(−a), log(1 − D) = −softplus(a). Call D as
discriminator(x, labels): a D that never sees y lets G ignore its label.
"""
import minigan.functional as F


def conditional_discriminator_loss(discriminator, x, labels, fake, fake_labels):
    """discriminator(x, labels) -> logits (m, 1); x: a real batch with its labels (m,); fake: generated
    samples with the labels (m,) they were generated for. Returns the scalar Tensor that D minimises."""
    ### BEGIN SOLUTION
    return F.softplus(-discriminator(x, labels)).mean() + F.softplus(discriminator(fake, fake_labels)).mean()
    ### END SOLUTION
