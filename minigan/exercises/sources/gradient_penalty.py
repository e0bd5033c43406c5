"""[WGAN-GP] The gradient penalty of WGAN-GP, on the interpolates between real and generated samples:

    x̂_i = ε_i x_i + (1 − ε_i) G(z)_i,   ε_i ~ U[0, 1] (given, one per sample)
    GP = (1/m) Σ_i (‖∇_x̂ f(x̂_i)‖₂ − 1)²

GP is part of the critic's loss, so its gradient with respect to the critic's weights is needed: a
gradient of a gradient. Take ∇_x̂ f with minigan.grad(f(x̂).sum(), x̂, create_graph=True) — without
create_graph the gradient is a constant and GP has no gradient with respect to w. x̂ must be a leaf
that requires grad: minigan.Tensor(values, requires_grad=True).
"""
import minigan


def gradient_penalty(critic, real, fake, eps):
    """critic: a Module; real, fake: Tensors (m, d); eps: a Tensor (m, 1) of ε_i. Returns GP, a scalar
    Tensor that can be differentiated with respect to the critic's parameters."""
    ### BEGIN SOLUTION
    x_hat = minigan.Tensor((eps * real + (1.0 - eps) * fake).data, requires_grad=True)
    (g,) = minigan.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    norm = (g * g).sum(axis=1).sqrt()
    return ((norm - 1.0) ** 2).mean()
    ### END SOLUTION
