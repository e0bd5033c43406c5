"""[BEGAN-5] BEGAN's convergence measure, the learning curve that means something:

    M_global = L(x) + |γ L(x) − L(G(z_G))|
"""


def convergence_measure(loss_real, loss_fake, gamma):
    """L(x), L(G(z_G)), γ: Python floats. Returns M_global, a float."""
    ### BEGIN SOLUTION
    return loss_real + abs(gamma * loss_real - loss_fake)
    ### END SOLUTION
