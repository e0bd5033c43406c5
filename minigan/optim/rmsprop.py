"""RMSProp, the optimizer of WGAN's Algorithm 1 (OPT-RMSPROP), as torch.optim.RMSprop computes it."""
from minigan.backend import get_array_module
from minigan.optim.optimizer import Optimizer, check_nonnegative, check_unit


class RMSProp(Optimizer):
    """[OPT-RMSPROP] v_t = α v_{t−1} + (1 − α) g_t²;   θ_t = θ_{t−1} − lr · g_t / (√v_t + ε)

    v_0 = 0, ε outside the square root and no bias correction (PyTorch's update; TensorFlow puts ε
    inside). So the first step is lr · g/(√0.01 |g| + ε) ≈ 10·lr per coordinate, whatever |g| is.
    Defaults lr = 1e-2, α = 0.99, ε = 1e-8 (WGAN overrides lr only: 5e-5).
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, maximize=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, maximize=maximize))

    def validate(self, group):
        super().validate(group)
        check_unit("alpha", group["alpha"])
        check_nonnegative("eps", group["eps"])

    def update(self, p, g, state, group):
        xp = get_array_module(p.data)
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        state["step"] = state.get("step", 0) + 1
        if "square_avg" not in state:
            state["square_avg"] = xp.zeros_like(g)                          # v_0 = 0
        v = state["square_avg"]                                             # updated in place
        step = xp.multiply(g, g, out=xp.empty_like(g))                      # one temporary array
        step *= 1 - alpha
        v *= alpha
        v += step                                 # [OPT-RMSPROP] v_t = α v_{t−1} + (1 − α) g_t²
        xp.sqrt(v, out=step)
        step += eps
        xp.divide(g, step, out=step)
        step *= lr
        p.data -= step                            # [OPT-RMSPROP] θ_t = θ_{t−1} − lr · g_t / (√v_t + ε)

RMSprop = RMSProp  # PyTorch's spelling
