"""[VAR-BAYES-2] One step of SGHMC, the sampler that moves each weight sample of the Bayesian GAN:

    v ← (1 − α) v + η ∇_θ log p(θ | ·) + n,      n ~ N(0, 2αη I)
    θ ← θ + v

α is the friction (1 − α the momentum), η the step size. The noise's VARIANCE is 2αη: drawn from
standard normal draws ξ, n = √(2αη) ξ. Without the noise SGHMC is momentum gradient ascent on
log p: it would find the posterior's mode instead of drawing samples from it.
"""
import numpy as np


def sghmc_step(theta, v, grad_log_p, xi, lr, alpha):
    """theta, v: NumPy arrays (θ and the velocity v); grad_log_p: ∇_θ log p(θ | ·) at θ; xi: standard
    normal draws ξ of θ's shape (use them for the noise n); lr: η; alpha: α in (0, 1]. Returns the new
    (θ, v) as new arrays."""
    ### BEGIN SOLUTION
    noise = np.sqrt(2 * alpha * lr) * xi
    v = (1 - alpha) * v + lr * grad_log_p + noise
    return theta + v, v
    ### END SOLUTION
