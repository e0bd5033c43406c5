"""[OPT-ADAM] Adam with bias correction (α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8 by default):

    m_t = β1 m_{t−1} + (1 − β1) g_t          m̂_t = m_t / (1 − β1^t)
    v_t = β2 v_{t−1} + (1 − β2) g_t²         v̂_t = v_t / (1 − β2^t)
    θ_t = θ_{t−1} − α m̂_t / (√v̂_t + ε)        m_0 = v_0 = 0, t = 1, 2, ...

Without the bias correction the first steps are far too small: m_1 = 0.1 g_1.
"""
import numpy as np


def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """theta, g, m, v: NumPy arrays (θ_{t−1}, g_t, m_{t−1}, v_{t−1}); t: the step number (1 for the first
    step). Returns (θ_t, m_t, v_t) as new arrays."""
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
    ### END SOLUTION
