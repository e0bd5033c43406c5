"""[OPT-OADAM] Optimistic Adam (proposed for training WGANs): Adam's m_t, v_t, m̂_t, v̂_t (OPT-ADAM), then

    d_t = m̂_t / (√v̂_t + ε)
    θ_t = θ_{t−1} − 2η d_t + η d_{t−1}         (d_0 = 0: the first step is twice an Adam step)
"""
import numpy as np


def optimistic_adam_step(theta, g, m, v, previous, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """theta, g, m, v: NumPy arrays (θ_{t−1}, g_t, m_{t−1}, v_{t−1}); previous: d_{t−1} (zeros at t = 1);
    t: the step number. Returns (θ_t, m_t, v_t, d_t) as new arrays."""
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    direction = m_hat / (np.sqrt(v_hat) + eps)
    return theta - 2 * lr * direction + lr * previous, m, v, direction
    ### END SOLUTION
