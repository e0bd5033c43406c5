"""[NN-BATCHNORM] Batch normalisation in training mode (one of the lecture's tips, GAN-HARD), and
its backward.

    μ = (1/n) Σ_i x_i,   σ² = (1/n) Σ_i (x_i − μ)²   (per feature, over the batch; the biased variance)
    x̂ = (x − μ) / √(σ² + ε),   y = γ x̂ + β

μ and σ² depend on x, so ∂L/∂x is not just γ G / √(σ² + ε): with G = ∂L/∂y,

    ∂L/∂β = Σ_i G_i,   ∂L/∂γ = Σ_i G_i x̂_i,
    ∂L/∂x = γ / √(σ² + ε) · (G − (1/n) Σ_i G_i − x̂ · (1/n) Σ_i G_i x̂_i)
"""
import numpy as np

from minigan import Function, Tensor


class BatchNorm(Function):
    def forward(self, x, gamma, beta, eps=1e-5):
        """x (N, C), gamma (C,), beta (C,): NumPy arrays. Returns y (N, C)."""
        ### BEGIN SOLUTION
        mean = x.mean(axis=0)
        var = ((x - mean) ** 2).mean(axis=0)
        self.inv_std = 1.0 / np.sqrt(var + eps)
        self.x_hat = (x - mean) * self.inv_std
        return gamma * self.x_hat + beta
        ### END SOLUTION

    def backward(self, grad):
        """grad: G (N, C). Returns (∂L/∂x, ∂L/∂γ, ∂L/∂β) as Tensors."""
        ### BEGIN SOLUTION
        g, gamma = grad.data, self.parents[1].data
        sum_g, sum_g_x_hat = g.sum(axis=0), (g * self.x_hat).sum(axis=0)
        n = g.shape[0]
        grad_x = gamma * self.inv_std * (g - sum_g / n - self.x_hat * sum_g_x_hat / n)
        return Tensor(grad_x), Tensor(sum_g_x_hat), Tensor(sum_g)
        ### END SOLUTION
