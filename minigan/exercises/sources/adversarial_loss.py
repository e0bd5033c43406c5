"""[ADV-2] Adversarial training's objective (Goodfellow et al., α = 0.5):

    J̃(θ, x, y) = α J(θ, x, y) + (1 − α) J(θ, x + ε sign(∇ₓ J(θ, x, y)), y)

The FGSM examples x_adv are recomputed against the current θ and treated as CONSTANTS: no gradient
flows through the attack. minigan.adversarial.fgsm(model, x, y, eps) gives x_adv (clipped to [0, 1]).
"""
import minigan.functional as F
from minigan.adversarial import fgsm


def adversarial_loss(model, x, y, eps, alpha=0.5):
    """model: a classifier; x: images in [0, 1]; y: labels; eps ε; alpha α. Returns J̃, a scalar Tensor
    whose gradient reaches the model's parameters."""
    ### BEGIN SOLUTION
    x_adv = fgsm(model, x, y, eps)
    return alpha * F.cross_entropy(model(x), y) + (1.0 - alpha) * F.cross_entropy(model(x_adv), y)
    ### END SOLUTION
