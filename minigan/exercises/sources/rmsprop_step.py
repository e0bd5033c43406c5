"""[OPT-RMSPROP] RMSProp, the optimizer of WGAN's Algorithm 1 (lines 6 and 11), as torch.optim.RMSprop
computes it:

    v_t = α v_{t−1} + (1 − α) g_t²,   v_0 = 0
    θ_t = θ_{t−1} − lr · g_t / (√v_t + ε)          (ε outside the root; no bias correction)
"""
import numpy as np


def rmsprop_step(theta, g, v, lr, alpha=0.99, eps=1e-8):
    """theta, g, v: NumPy arrays (θ_{t−1}, g_t, v_{t−1}); lr, alpha α, eps ε: floats.
    Returns (θ_t, v_t) as new arrays."""
    ### BEGIN SOLUTION
    v = alpha * v + (1 - alpha) * g * g
    return theta - lr * g / (np.sqrt(v) + eps), v
    ### END SOLUTION
