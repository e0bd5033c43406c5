"""Gradient descent, the slides' OPT-GD, with PyTorch's momentum, Nesterov and weight decay."""
from minigan.optim.optimizer import Optimizer, check_nonnegative


class SGD(Optimizer):
    """[OPT-GD] θ_{t+1} = θ_t − η g_t   (maximize=True: w_{t+1} = w_t + η ∇_{w,t}).

    With weight_decay λ, momentum μ, dampening τ (the same update as torch.optim.SGD):

        g_t ← g_t + λ θ_t
        b_1 = g_1,  b_t = μ b_{t−1} + (1 − τ) g_t
        θ_{t+1} = θ_t − η b_t                  (nesterov: θ_{t+1} = θ_t − η (g_t + μ b_t))
    """

    def __init__(self, params, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0, maximize=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                                      weight_decay=weight_decay, maximize=maximize))

    def validate(self, group):
        super().validate(group)
        check_nonnegative("momentum", group["momentum"])
        if not 0 <= group["dampening"] <= 1:
            raise ValueError(f"dampening must be in [0, 1], got dampening={group['dampening']!r}")
        check_nonnegative("weight_decay", group["weight_decay"])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum needs momentum > 0 and dampening = 0, got "
                             f"momentum={group['momentum']}, dampening={group['dampening']}")

    def update(self, p, g, state, group):
        lr, mu = group["lr"], group["momentum"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * p.data             # g_t ← g_t + λ θ_t
        if mu:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = g.copy()             # b_1 = g_1
            else:
                state["momentum_buffer"] = mu * state["momentum_buffer"] + (1 - group["dampening"]) * g
            b = state["momentum_buffer"]
            g = g + mu * b if group["nesterov"] else b
        p.data -= lr * g                                        # [OPT-GD] θ_{t+1} = θ_t − η g_t
