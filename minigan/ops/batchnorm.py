"""Batch normalisation's normalisation, as one fused node."""
from minigan import backend
from minigan.autograd import Function, _wrap, is_grad_enabled


class Normalize(Function):
    """Batch normalisation over `axes` (all but the channel axis), with its scale γ and shift β:

        x̂ = (x - μ) / √(σ² + ε),   y = γ x̂ + β,   μ, σ² the batch mean and biased variance
        ∂L/∂β = Σ G,   ∂L/∂γ = Σ G ⊙ x̂,   ∂L/∂x = γ / √(σ² + ε) · (G - Σ G / n - x̂ · Σ (G ⊙ x̂) / n)

    (G = ∂L/∂y, sums over `axes`, n the number of values summed.) One fused node instead of a dozen,
    which keeps x only (x̂ is rebuilt in backward, as PyTorch does). The backward is built of Tensor
    operations; with create_graph it rebuilds x̂ and 1/√(σ² + ε) from x, so second derivatives see
    how they depend on x. γ and β may be the constants 1 and 0 (affine=False).
    """

    def forward(self, x, weight, bias, mean, var, axes, eps):
        self.axes, self.eps = axes, eps
        self.mean, self.inv_std = mean, 1.0 / backend.get_array_module(x).sqrt(var + eps)
        y = (x - mean) * self.inv_std
        y *= weight   # in place: y = γ x̂ + β without two more temporaries
        y += bias
        return y

    def _normalized(self):
        x = self.parents[0]
        if not is_grad_enabled():  # a plain backward: x̂ and 1/σ are constants
            return _wrap((x.data - self.mean) * self.inv_std), _wrap(self.inv_std)
        centred = x - x.mean(axis=self.axes, keepdims=True)
        inv_std = ((centred * centred).mean(axis=self.axes, keepdims=True) + self.eps) ** -0.5
        return centred * inv_std, inv_std

    def backward(self, grad):
        weight = self.parents[1]
        x_hat, inv_std = self._normalized()
        sum_g = grad.sum(axis=self.axes, keepdims=True)
        sum_g_x_hat = (grad * x_hat).sum(axis=self.axes, keepdims=True)
        n = grad.size // sum_g.size
        needs = self.needs_input_grad
        grad_x = ((grad - sum_g * (1.0 / n) - x_hat * (sum_g_x_hat * (1.0 / n))) * (weight * inv_std)
                  if needs[0] else None)
        return grad_x, (sum_g_x_hat if needs[1] else None), (sum_g if needs[2] else None)
