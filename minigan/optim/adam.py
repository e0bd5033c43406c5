"""Adam (OPT-ADAM), with bias-corrected moments, as torch.optim.Adam computes it."""
import math

from minigan.backend import get_array_module
from minigan.optim.optimizer import Optimizer, check_betas, check_nonnegative


def adam_moments(g, state, beta1, beta2):
    """[OPT-ADAM] The moments after one more gradient g_t:

        m_t = β1 m_{t−1} + (1 − β1) g_t          m̂_t = m_t / (1 − β1^t)
        v_t = β2 v_{t−1} + (1 − β2) g_t²         v̂_t = v_t / (1 − β2^t)

    with m_0 = v_0 = 0. Updates `state` ("step" t, "exp_avg" m, "exp_avg_sq" v) IN PLACE (the same
    arithmetic as m = β1 m + (1 − β1) g, with one temporary array instead of a new m and v per step);
    returns (m_t, v_t, t). The bias corrections are applied by `adam_direction`."""
    xp = get_array_module(g)
    t = state["step"] = state.get("step", 0) + 1
    if "exp_avg" not in state:
        state["exp_avg"], state["exp_avg_sq"] = xp.zeros_like(g), xp.zeros_like(g)   # m_0 = v_0 = 0
    m, v = state["exp_avg"], state["exp_avg_sq"]
    scratch = xp.multiply(g, 1 - beta1, out=xp.empty_like(g))
    m *= beta1
    m += scratch                                         # m_t = β1 m_{t−1} + (1 − β1) g_t
    xp.multiply(g, g, out=scratch)
    scratch *= 1 - beta2
    v *= beta2
    v += scratch                                         # v_t = β2 v_{t−1} + (1 − β2) g_t²
    return m, v, t


def adam_direction(m, v, t, beta1, beta2, eps):
    """[OPT-ADAM] The direction of Adam's step, m̂_t / (√v̂_t + ε), as ONE new array.

    Computed as (m_t / (√v_t / √(1 − β2^t) + ε)) / (1 − β1^t): the same quotient with the bias
    corrections on scalars (torch.optim.Adam's order of operations), so that no m̂, v̂ or √v̂ array
    is made."""
    xp = get_array_module(m)
    direction = xp.sqrt(v, out=xp.empty_like(v))         # √v_t
    direction /= math.sqrt(1 - beta2 ** t)               # √v̂_t = √v_t / √(1 − β2^t)
    direction += eps                                     # √v̂_t + ε
    xp.divide(m, direction, out=direction)               # m_t / (√v̂_t + ε)
    direction /= 1 - beta1 ** t                          # m̂_t / (√v̂_t + ε)
    return direction


class Adam(Optimizer):
    """[OPT-ADAM] m_t = β1 m_{t−1} + (1 − β1) g_t;  v_t = β2 v_{t−1} + (1 − β2) g_t²;
    m̂_t = m_t / (1 − β1^t);  v̂_t = v_t / (1 − β2^t);  θ_t = θ_{t−1} − α m̂_t / (√v̂_t + ε)

    Defaults α = lr = 1e-3, β = (0.9, 0.999), ε = 1e-8 (the GAN recipes use lr 2e-4, β1 = 0.5).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, maximize=maximize))

    def validate(self, group):
        super().validate(group)
        check_betas(group["betas"])
        check_nonnegative("eps", group["eps"])

    def update(self, p, g, state, group):
        (beta1, beta2), lr, eps = group["betas"], group["lr"], group["eps"]
        m, v, t = adam_moments(g, state, beta1, beta2)                   # [OPT-ADAM] m_t, v_t
        step = adam_direction(m, v, t, beta1, beta2, eps)                # [OPT-ADAM] m̂_t / (√v̂_t + ε)
        step *= lr
        p.data -= step                                                   # [OPT-ADAM] θ_t = θ_{t−1} − α m̂_t / (√v̂_t + ε)
