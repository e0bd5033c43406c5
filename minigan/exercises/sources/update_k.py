"""[BEGAN-3] The equilibrium controller: after each step,

    k_{t+1} = clip(k_t + λ_k (γ L(x) − L(G(z_G))), 0, 1)

k_t grows while the fakes are reconstructed better than γ times the real images, and stays in [0, 1].
"""


def update_k(k_t, loss_real, loss_fake, gamma, lambda_k):
    """k_t, L(x), L(G(z_G)), γ, λ_k: Python floats. Returns k_{t+1}, a float."""
    ### BEGIN SOLUTION
    return min(max(k_t + lambda_k * (gamma * loss_real - loss_fake), 0.0), 1.0)
    ### END SOLUTION
