"""Adam (OPT-ADAM), with bias-corrected moments, as torch.optim.Adam computes it."""
from minigan.backend import get_array_module
from minigan.optim.optimizer import Optimizer, check_betas, check_nonnegative


def adam_moments(g, state, beta1, beta2):
    """[OPT-ADAM] The moments and their bias corrections after one more gradient g_t:

        m_t = β1 m_{t−1} + (1 − β1) g_t          m̂_t = m_t / (1 − β1^t)
        v_t = β2 v_{t−1} + (1 − β2) g_t²         v̂_t = v_t / (1 − β2^t)

    with m_0 = v_0 = 0. Updates `state` ("step" t, "exp_avg" m, "exp_avg_sq" v) IN PLACE (the same
    arithmetic as m = β1 m + (1 − β1) g, without a new array per step); returns (m̂_t, v̂_t)."""
    t = state["step"] = state.get("step", 0) + 1
    if "exp_avg" not in state:
        xp = get_array_module(g)
        state["exp_avg"], state["exp_avg_sq"] = xp.zeros_like(g), xp.zeros_like(g)   # m_0 = v_0 = 0
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m *= beta1
    m += (1 - beta1) * g                                 # m_t = β1 m_{t−1} + (1 − β1) g_t
    v *= beta2
    v += (1 - beta2) * g * g                             # v_t = β2 v_{t−1} + (1 − β2) g_t²
    return m / (1 - beta1 ** t), v / (1 - beta2 ** t)    # m̂_t, v̂_t


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
        xp = get_array_module(p.data)
        (beta1, beta2), lr, eps = group["betas"], group["lr"], group["eps"]
        m_hat, v_hat = adam_moments(g, state, beta1, beta2)          # [OPT-ADAM] m_t, v_t, m̂_t, v̂_t
        # [OPT-ADAM] θ_t = θ_{t−1} − α m̂_t / (√v̂_t + ε)
        p.data -= lr * m_hat / (xp.sqrt(v_hat) + eps)
