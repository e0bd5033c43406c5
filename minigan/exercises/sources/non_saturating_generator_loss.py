"""[GAN-5] The non-saturating generator loss (step 5: train G through D with the fakes labelled 1):

    minimise −(1/m) Σ_i log D(G(z_i)),   log D = −softplus(−a)

Same fixed point as GAN-4, but the gradient with respect to the logit is −(1 − σ(a)) → −1 when D
rejects the fakes: strong gradients early in training.
"""
import minigan.functional as F


def non_saturating_generator_loss(fake_logits):
    """fake_logits: D's logits on G's samples (m, 1). Returns the scalar Tensor that G minimises."""
    ### BEGIN SOLUTION
    return F.softplus(-fake_logits).mean()
    ### END SOLUTION
