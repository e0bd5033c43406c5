"""The checks of the optimizer exercises (tutorial 04): a few steps of the student's update on random
gradients against minigan.optim's optimizer fed the same gradients, and OMD's path on the bilinear
game against minigan.games."""
import numpy as np

import minigan
from minigan import games, nn, optim

NO_BIAS_CORRECTION = ("Adam without bias correction: m_t and v_t start at 0, so divide them by (1 − β1^t) and "
                      "(1 − β2^t) before the step: m̂_t = m_t / (1 − β1^t), v̂_t = v_t / (1 − β2^t)")
EPS_INSIDE = "ε goes outside the square root: θ − lr · m̂ / (√v̂ + ε), as PyTorch computes it"


def reference_path(optimizer, theta, grads, **options):
    """θ_1, θ_2, ... from minigan's optimizer fed the gradients `grads` (a Parameter per run)."""
    p = nn.Parameter(theta.copy())
    opt = optimizer([p], **options)
    path = []
    for g in grads:
        p.grad = minigan.Tensor(g.copy())
        opt.step()
        path.append(p.data.copy())
    return path


def variant_path(step, theta, grads, state):
    """θ_1, θ_2, ... from a mistaken update step(theta, g, state, t) -> (theta, state) (for the hints)."""
    path = []
    for t, g in enumerate(grads, 1):
        theta, state = step(theta, g, state, t)
        path.append(theta)
    return path


def _check_steps(g, run_student, reference, variants):
    """run_student(t, g) -> θ_t for t = 1, 2, ...; each θ_t against minigan's, hints from `variants`."""
    for t, expected in enumerate(reference, 1):
        got = run_student(t)
        g.close(f"θ_t after step {t}" if t <= 2 else "θ_t after steps 3 and on", got, expected,
                mistakes={hint: path[t - 1] for hint, path in variants.items()})


def check_sgd_momentum_step(g, sgd_momentum_step):
    for lr, mu, steps in [(0.1, 0.7, 5), (0.05, 0.9, 3)]:
        theta0, grads = g.rng.standard_normal((3, 4)), [g.rng.standard_normal((3, 4)) for _ in range(steps)]
        reference = reference_path(optim.SGD, theta0, grads, lr=lr, momentum=mu)
        def mistaken(dampened=False, along_gradient=False, lr=lr, mu=mu, theta0=theta0, grads=grads):
            def step(th, gr, b, t):
                new = (1 - mu) * gr if dampened else gr
                b = new if b is None else mu * b + new
                return th - lr * (gr if along_gradient else b), b
            return variant_path(step, theta0, grads, None)
        variants = {
            "PyTorch's momentum adds the whole gradient: b_t = μ b_{t−1} + g_t (no (1 − μ) factor)":
                mistaken(dampened=True),
            "θ_t = θ_{t−1} − η b_t steps along the buffer b_t, not along the gradient g_t":
                mistaken(along_gradient=True)}
        state = {"theta": theta0.copy(), "buffer": None}

        def run(t, state=state, grads=grads, lr=lr, mu=mu):
            out = g.call(f"step {t}", sgd_momentum_step, state["theta"].copy(), grads[t - 1].copy(),
                         None if state["buffer"] is None else state["buffer"].copy(), lr, mu)
            state["theta"], state["buffer"] = _unpack(g, out, 2, "(θ_t, b_t)")
            return state["theta"]
        _check_steps(g, run, reference, variants)


def _unpack(g, out, n, what):
    g.require("returns " + what, isinstance(out, (tuple, list)) and len(out) == n,
              f"expected a tuple {what}, got {type(out).__name__}", listed=False)
    return [np.asarray(o, dtype=float) for o in out]


def check_rmsprop_step(g, rmsprop_step):
    for lr, alpha, eps, steps in [(0.01, 0.9, 1e-3, 5), (0.01, 0.99, 1e-8, 3)]:
        theta0, grads = g.rng.standard_normal((3, 4)), [g.rng.standard_normal((3, 4)) for _ in range(steps)]
        reference = reference_path(optim.RMSProp, theta0, grads, lr=lr, alpha=alpha, eps=eps)

        def mistaken(eps_inside=False, bias=False, weight=1 - alpha, lr=lr, alpha=alpha, eps=eps, theta0=theta0,
                     grads=grads):
            def step(th, gr, v, t):
                v = alpha * v + weight * gr * gr
                v_used = v / (1 - alpha ** t) if bias else v
                return th - lr * gr / (np.sqrt(v_used + eps) if eps_inside else np.sqrt(v_used) + eps), v
            return variant_path(step, theta0, grads, 0.0)
        variants = {EPS_INSIDE.replace("m̂ / (√v̂ + ε)", "g / (√v + ε)"): mistaken(eps_inside=True),
                    "RMSProp has no bias correction: divide by √v_t + ε, v_t itself": mistaken(bias=True),
                    "v_t = α v_{t−1} + (1 − α) g_t²: the new square is weighed by 1 − α": mistaken(weight=1.0)}
        state = {"theta": theta0.copy(), "v": np.zeros((3, 4))}

        def run(t, state=state, grads=grads, lr=lr, alpha=alpha, eps=eps):
            out = g.call(f"step {t}", rmsprop_step, state["theta"].copy(), grads[t - 1].copy(), state["v"].copy(),
                         lr, alpha, eps)
            state["theta"], state["v"] = _unpack(g, out, 2, "(θ_t, v_t)")
            return state["theta"]
        _check_steps(g, run, reference, variants)


def _adam_variants(theta0, grads, lr, beta1, beta2, eps, optimistic):
    def mistaken(bias=True, eps_inside=False, look_back=1.0, first="zero"):
        def step(th, gr, state, t):
            m, v, previous = state
            m, v = beta1 * m + (1 - beta1) * gr, beta2 * v + (1 - beta2) * gr * gr
            m_hat, v_hat = (m / (1 - beta1 ** t), v / (1 - beta2 ** t)) if bias else (m, v)
            d = m_hat / (np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps)
            if not optimistic:
                return th - lr * d, (m, v, d)
            if t == 1 and first == "same":
                previous = d
            return th - 2 * lr * d + look_back * lr * previous, (m, v, d)
        return variant_path(step, theta0, grads, (0.0, 0.0, 0.0))
    variants = {NO_BIAS_CORRECTION: mistaken(bias=False), EPS_INSIDE: mistaken(eps_inside=True)}
    if optimistic:
        variants.update({
            "the look-back term is +η d_{t−1}: θ_t = θ_{t−1} − 2η d_t + η d_{t−1}": mistaken(look_back=-1.0),
            "without the look-back +η d_{t−1} this is Adam with a learning rate of 2η": mistaken(look_back=0.0),
            "d_0 = 0: at t = 1 the look-back term is zero, so the first step is twice an Adam step":
                mistaken(first="same")})
    return variants


def check_adam_step(g, adam_step):
    _check_adam(g, adam_step, optim.Adam, optimistic=False)


def check_optimistic_adam_step(g, optimistic_adam_step):
    _check_adam(g, optimistic_adam_step, optim.OptimisticAdam, optimistic=True)


def _check_adam(g, student, optimizer, optimistic):
    for lr, betas, eps, steps in [(0.01, (0.8, 0.95), 1e-3, 6), (0.001, (0.9, 0.999), 1e-8, 3)]:
        theta0, grads = g.rng.standard_normal((3, 4)), [g.rng.standard_normal((3, 4)) for _ in range(steps)]
        reference = reference_path(optimizer, theta0, grads, lr=lr, betas=betas, eps=eps)
        variants = _adam_variants(theta0, grads, lr, betas[0], betas[1], eps, optimistic)
        state = {"theta": theta0.copy(), "m": np.zeros((3, 4)), "v": np.zeros((3, 4)), "d": np.zeros((3, 4))}

        def run(t, state=state, grads=grads, lr=lr, betas=betas, eps=eps):
            args = [state["theta"].copy(), grads[t - 1].copy(), state["m"].copy(), state["v"].copy()]
            if optimistic:
                out = g.call(f"step {t}", student, *args, state["d"].copy(), t, lr, betas[0], betas[1], eps)
                state["theta"], state["m"], state["v"], state["d"] = _unpack(g, out, 4, "(θ_t, m_t, v_t, d_t)")
            else:
                out = g.call(f"step {t}", student, *args, t, lr, betas[0], betas[1], eps)
                state["theta"], state["m"], state["v"] = _unpack(g, out, 3, "(θ_t, m_t, v_t)")
            return state["theta"]
        _check_steps(g, run, reference, variants)


def check_omd_bilinear(g, omd_bilinear):
    start = tuple(float(v) for v in g.rng.uniform(-1.5, 1.5, 2))
    lr = float(g.rng.uniform(0.05, 0.2))
    got = g.call("50 steps from a random start", omd_bilinear, 50, lr, start)
    g.close("the path of 50 steps", got, games.run_bilinear("omd", 50, lr, start), mistakes={
        "that is simultaneous gradient descent/ascent (OPT-GD), which spirals out: OMD steps 2η along the new "
        "gradient and takes back η along the previous one, x_{t+1} = x_t − 2η∇_{x,t} + η∇_{x,t−1}":
            games.run_bilinear("gd", 50, lr, start),
        "∇_{·,0} = 0: the first step is 2η ∇, then the look-back starts":
            games.run_bilinear("omd", 50, lr, start, first_step="single"),
        "both gradients are taken at (x_t, y_t): update x and y together, not one after the other":
            lambda: _alternating_omd(50, lr, start)})
    path = g.call("1000 steps from (1, 1), η = 0.1", omd_bilinear, 1000, 0.1, (1.0, 1.0))
    distance = float(np.linalg.norm(np.asarray(path, dtype=float)[-1]))
    g.require("end to end: the last iterate converges", distance < 0.05,
              f"after 1000 steps ‖(x, y)‖ = {distance:.4g}; OMD's is about 0.009",
              expected="‖(x, y)‖ < 0.05", got=f"{distance:.4g}")


def _alternating_omd(steps, lr, start):
    x, y = start
    px = py = 0.0
    path = [(x, y)]
    for _ in range(steps):
        gx = y
        x = x - 2 * lr * gx + lr * px
        gy = x
        y = y + 2 * lr * gy - lr * py
        px, py = gx, gy
        path.append((x, y))
    return np.array(path)
