"""[OPT-GD] Gradient descent with momentum ("any standard gradient-based learning rule; we used
momentum", GAN-4), as torch.optim.SGD computes it:

    b_1 = g_1,   b_t = μ b_{t−1} + g_t            (the momentum buffer; no dampening)
    θ_t = θ_{t−1} − η b_t
"""


def sgd_momentum_step(theta, g, buffer, lr, momentum):
    """theta, g: NumPy arrays (θ_{t−1} and the gradient g_t); buffer: b_{t−1}, or None at the first
    step; lr η and momentum μ: floats. Returns (θ_t, b_t) as new arrays (do not change the inputs)."""
    ### BEGIN SOLUTION
    buffer = g.copy() if buffer is None else momentum * buffer + g
    return theta - lr * buffer, buffer
    ### END SOLUTION
