"""[WGAN-4 line 5] The critic's objective, whose gradient is g_w:

    (1/m) Σ_i f_w(x_i) − (1/m) Σ_i f_w(g_θ(z_i))

The critic f_w outputs a real number (no sigmoid, no log). This is the estimate of the Wasserstein
distance (WGAN-2) that a WGAN logs; the critic ASCENDS it.
"""


def critic_objective(critic, real, fake):
    """critic: a minigan Module (x ↦ f_w(x), shape (m, 1)); real, fake: batches (m, d).
    Returns the scalar Tensor mean f(x) − mean f(G(z))."""
    ### BEGIN SOLUTION
    return critic(real).mean() - critic(fake).mean()
    ### END SOLUTION
