"""[GAN-4] Algorithm 1, the generator: update G by DESCENDING

    ∇_{θg} (1/m) Σ_i log(1 − D(G(z_i)))

with D = σ(a), log(1 − D) = −softplus(a). Its gradient with respect to the logit, −σ(a), vanishes
when D confidently rejects the fakes (a → −∞): the saturation that GAN-5 avoids.
"""
import minigan.functional as F


def minimax_generator_loss(fake_logits):
    """fake_logits: D's logits on G's samples (m, 1). Returns the scalar Tensor that G minimises."""
    ### BEGIN SOLUTION
    return -F.softplus(fake_logits).mean()
    ### END SOLUTION
