"""The optimistic methods of Daskalakis et al. (ICLR 2018): OMD (OptimisticSGD) and Optimistic Adam.

Both take a step of twice the usual size along the new direction and take back one step along the
previous one: the "prediction" M_{t+1} = ∇_t of OPT-OMD. They differ in the direction, the raw
gradient (OMD) or Adam's preconditioned m̂/(√v̂ + ε) (Optimistic Adam).

First-step convention. At t = 1 there is no previous direction. By default (first_step="double")
minigan takes it to be ZERO, so the first step is twice an ordinary step (2η g_1 for OMD, twice an
Adam step for Optimistic Adam): what the authors' own `optimAdam` (vsyrgkanis/optimistic_GAN_training,
m_old = 0), Flux's `OAdam` and mlpack do. first_step="single" looks back to the current direction
instead, so the first step is one ordinary step (η g_1; one Adam step): what the authors' toy notebook
does for OMD (its first two iterates are equal, so its first look-back is taken at the same point) and
liyuan9988/IVOPEwithACME's oadam. From t = 2 on the formula is the same; see docs/optimizers.md.
"""
from minigan.optim.adam import adam_direction, adam_moments
from minigan.optim.optimizer import Optimizer, check_betas, check_nonnegative

FIRST_STEPS = ("double", "single")


def check_first_step(first_step):
    if first_step not in FIRST_STEPS:
        raise ValueError(f"first_step must be one of {FIRST_STEPS} (look back to zero, or to the current "
                         f"direction, at t = 1), got first_step={first_step!r}")


def look_back(state, key, current, first_step):
    """The previous direction d_{t−1} kept under `key`; at t = 1: zero ("double") or d_1 ("single")."""
    if key in state:
        return state[key]
    return 0.0 if first_step == "double" else current


class OptimisticSGD(Optimizer):
    """[OPT-OMD] Optimistic mirror descent (optimistic gradient descent, OGDA):

        θ_{t+1} = θ_t − 2η ∇_{θ,t} + η ∇_{θ,t−1}
        (maximize=True: w_{t+1} = w_t + 2η ∇_{w,t} − η ∇_{w,t−1})

    the case M_{t+1} = ∇_t of θ_{t+1} = θ_t − η (∇_t + M_{t+1} − M_t). first_step="double" (default):
    ∇_{θ,0} = 0, the first step is 2η ∇_{θ,1}; "single": ∇_{θ,0} = ∇_{θ,1}, the first step is η ∇_{θ,1}
    (see the module docstring). State: "previous_grad".
    """

    def __init__(self, params, lr, maximize=False, first_step="double"):
        super().__init__(params, dict(lr=lr, maximize=maximize, first_step=first_step))

    def validate(self, group):
        super().validate(group)
        check_first_step(group["first_step"])

    def update(self, p, g, state, group):
        lr = group["lr"]
        previous = look_back(state, "previous_grad", g, group["first_step"])    # ∇_{θ,t−1}
        # [OPT-OMD] θ_{t+1} = θ_t − 2η ∇_{θ,t} + η ∇_{θ,t−1}
        p.data -= 2 * lr * g - lr * previous
        state["previous_grad"] = g.copy()


class OptimisticAdam(Optimizer):
    """[OPT-OADAM] Optimistic Adam: Adam's moments m_t, v_t, m̂_t, v̂_t (OPT-ADAM), then

        θ_t = θ_{t−1} − 2η m̂_t / (√v̂_t + ε) + η m̂_{t−1} / (√v̂_{t−1} + ε)

    with the look-back term zero at t = 1: the first step is twice an Adam step (first_step="single":
    the look-back is the current direction at t = 1, the first step one Adam step). Setting the
    look-back to zero at every step would give Adam with learning rate 2η. The bias corrections of
    both terms are their own (1 − β^t and 1 − β^{t−1}), as the slide prints them; the authors'
    Keras code reuses the current one for both and puts ε on the uncorrected √v, which differs in the
    first steps only. State: "step", "exp_avg", "exp_avg_sq", "previous_direction" = m̂_{t−1}/(√v̂_{t−1} + ε).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False, first_step="double"):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, maximize=maximize, first_step=first_step))

    def validate(self, group):
        super().validate(group)
        check_betas(group["betas"])
        check_nonnegative("eps", group["eps"])
        check_first_step(group["first_step"])

    def update(self, p, g, state, group):
        (beta1, beta2), lr, eps = group["betas"], group["lr"], group["eps"]
        m, v, t = adam_moments(g, state, beta1, beta2)                           # [OPT-ADAM] m_t, v_t
        direction = adam_direction(m, v, t, beta1, beta2, eps)                   # m̂_t / (√v̂_t + ε)
        previous = look_back(state, "previous_direction", direction, group["first_step"])
        # [OPT-OADAM] θ_t = θ_{t−1} − 2η m̂_t / (√v̂_t + ε) + η m̂_{t−1} / (√v̂_{t−1} + ε)
        p.data -= (2 * lr) * direction
        p.data += lr * previous                  # the two terms one after the other: one temporary
        state["previous_direction"] = direction
