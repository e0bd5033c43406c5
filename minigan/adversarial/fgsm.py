"""[ADV-1] The fast gradient sign method and its iterative relatives: BIM and PGD.

    FGSM (Goodfellow, Shlens, Szegedy 2014)     x_adv = clip(x + ε · sign(∇ₓ J(θ, x, y)))
    targeted FGSM                                x_adv = clip(x − ε · sign(∇ₓ J(θ, x, y_target)))
    BIM (Kurakin et al. 2016)                    X₀ = X,  X_{N+1} = Clip_{X,ε}{X_N + α · sign(∇ₓ J(X_N, y))}
    PGD (Madry et al. 2017)                      BIM started from a uniform random point of the ε-ball

Conventions shared by the three attacks:

- Units. ε, α and `clip` are in the units of x. The classifiers of minigan.adversarial read images in
  [0, 1] (the digits of minigan.data, which lie in [−1, 1], are mapped by (x + 1) / 2), so ε = 0.25 is a
  quarter of the pixel range, as on MNIST in the paper. Images outside `clip` are an error.
- Gradients. ∇ₓJ is taken with `minigan.grad`, never `.backward()`: the parameters' ``.grad`` stay
  exactly as they were, so an attack can run in the middle of a training step.
- Mode. The attacks never call ``train()`` or ``eval()``: the model is attacked in the mode it is in
  (as cleverhans does), and is left in it. Put a model with dropout or batch norm in eval mode
  first, or the attack sees a random network and moves batch-norm running statistics.
- Outputs are new tensors without a graph, of x's dtype.
"""
import math

import numpy as np

from minigan import backend
from minigan import functional as F
from minigan.autograd import Tensor, _wrap, enable_grad, grad, no_grad
from minigan.creation import generator


def loss_gradient(model, x, y, loss_fn=F.cross_entropy):
    """∇ₓ J(θ, x, y) with J = loss_fn(model(x), y), for a batch x (N, ...) and labels y (N,).

    Computed with minigan.grad on a fresh leaf copy of x, so no ``.grad`` anywhere is touched."""
    x = x.detach().requires_grad_()
    with enable_grad():
        loss = loss_fn(model(x), y)
    return grad(loss, x)[0]


def fgsm(model, x, y, eps, targeted=False, clip=(0.0, 1.0), loss_fn=F.cross_entropy):
    """[ADV-1] x_adv = clip(x + ε · sign(∇ₓ J(θ, x, y)), lo, hi).

    targeted=True: y holds the target classes and the step goes down their loss,
    x_adv = clip(x − ε · sign(∇ₓ J(θ, x, y_target))).
    x: (N, ...) images in [lo, hi] = clip (clip=None: no range); y: (N,) integer labels."""
    x, y = check_attack_inputs(x, y, eps, clip)
    x_adv = x + eps * _ascent_direction(model, x, y, targeted, loss_fn)  # [ADV-1] x + ε·sign(∇ₓJ)
    return _clip(x_adv, clip)


def bim(model, x, y, eps, alpha=None, steps=None, targeted=False, clip=(0.0, 1.0), loss_fn=F.cross_entropy):
    """Basic iterative method (Kurakin et al.): FGSM in small steps, projected after every step,

        X₀ = X,   X_{N+1} = Clip_{X,ε}{ X_N + α · sign(∇ₓ J(X_N, y)) },

    Clip_{X,ε} projecting onto the ε-ball around X (L∞) and onto the valid range.
    alpha=None: one grey level, (hi − lo)/255 (α = 1 on 0..255 in the paper).
    steps=None: the paper's int(min(ε + 4, 1.25 ε)) with ε counted in grey levels, ε·255/(hi − lo)."""
    x, y = check_attack_inputs(x, y, eps, clip)
    alpha = _grey_level(clip, "alpha") if alpha is None else _check_positive("alpha", alpha)
    if steps is None:
        levels = eps / _grey_level(clip, "steps")  # ε in grey levels
        steps = int(min(levels + 4, 1.25 * levels))
    return _iterate(model, x, x, y, eps, alpha, _check_steps(steps), targeted, clip, loss_fn)


def pgd(model, x, y, eps, alpha=None, steps=40, random_start=True, targeted=False, clip=(0.0, 1.0),
        loss_fn=F.cross_entropy):
    """Projected gradient descent (Madry et al.): BIM from a random point of the ε-ball,

        x⁰ = Π(x + U(−ε, ε)),   x^{t+1} = Π_{x+S}( x^t + α · sign(∇ₓ L(x^t, y)) ),

    Π projecting onto S = {‖δ‖∞ ≤ ε} around x and onto the valid range.
    alpha=None: 2.5 ε / steps (Madry et al.'s rule, so the walk can cross the ball and back);
    MadryLab's MNIST challenge uses ε = 0.3, 40 steps of 0.01."""
    x, y = check_attack_inputs(x, y, eps, clip)
    steps = _check_steps(steps)
    alpha = 2.5 * eps / max(steps, 1) if alpha is None else _check_positive("alpha", alpha)
    start = x
    if random_start and eps > 0:
        noise = generator().uniform(-eps, eps, size=x.shape).astype(x.dtype)
        start = _project(x + _wrap(backend.get_array_module(x.data).asarray(noise)), x, eps, clip)
    return _iterate(model, start, x, y, eps, alpha, steps, targeted, clip, loss_fn)


# ------------------------------------------------------------------------------------ the steps
def _ascent_direction(model, x, y, targeted, loss_fn):
    """sign(∇ₓJ), negated for a targeted attack (which descends the loss of the target class)."""
    direction = loss_gradient(model, x, y, loss_fn).sign()
    return -direction if targeted else direction


def _iterate(model, start, x, y, eps, alpha, steps, targeted, clip, loss_fn):
    x_adv = start
    for _ in range(steps):
        step = alpha * _ascent_direction(model, x_adv, y, targeted, loss_fn)
        x_adv = _project(x_adv + step, x, eps, clip)  # Clip_{X,ε}{X_N + α·sign(∇ₓJ)}
    return x_adv


def _project(x_adv, x, eps, clip):
    """The nearest point of {‖x' − x‖∞ ≤ ε} ∩ [lo, hi]: clip to [x − ε, x + ε], then to [lo, hi]."""
    xp = backend.get_array_module(x.data)
    inside_ball = xp.clip(x_adv.data, x.data - eps, x.data + eps)
    return _clip(_wrap(inside_ball), clip)


def _clip(x, clip):
    if clip is None:
        return x
    with no_grad():
        return x.clip(clip[0], clip[1])


# ------------------------------------------------------------------------------ input checking
def check_attack_inputs(x, y, eps, clip):
    """x as a detached floating Tensor and y as an integer array, or a ValueError that says what is
    wrong: ε < 0, labels that are not one integer per image, or images outside the clip range."""
    _check_nonnegative("eps", eps)
    x = x.detach() if isinstance(x, Tensor) else Tensor(x)   # host data goes to the default backend
    if x.dtype.kind != "f" or x.ndim < 1:
        raise ValueError(f"x must be a floating batch of shape (N, ...), got dtype {x.dtype} and shape {x.shape}")
    y = y.data if isinstance(y, Tensor) else y if backend.is_cupy_array(y) else np.asarray(y)
    if y.shape != (x.shape[0],) or y.dtype.kind not in "iu":
        raise ValueError(f"y must hold one integer label per image: shape ({x.shape[0]},) for x of shape "
                         f"{x.shape}, got dtype {y.dtype} and shape {y.shape}")
    if clip is not None:
        lo, hi = clip
        if not lo < hi:
            raise ValueError(f"clip must be (lo, hi) with lo < hi, got {clip}")
        if x.size and (float(x.data.min()) < lo or float(x.data.max()) > hi):
            raise ValueError(
                f"x has values in [{float(x.data.min()):.4g}, {float(x.data.max()):.4g}], outside clip={tuple(clip)}; "
                f"rescale the images (minigan's digits lie in [-1, 1]: use (x + 1) / 2) or pass the right clip")
    return x, y


def _check_nonnegative(name, value):
    if not (isinstance(value, (int, float, np.floating, np.integer)) and math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _check_positive(name, value):
    if _check_nonnegative(name, value) == 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return float(value)


def _check_steps(steps):
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    return int(steps)


def _grey_level(clip, what):
    if clip is None:
        raise ValueError(f"without a clip range there is no grey level to derive {what} from; pass {what}=")
    return (clip[1] - clip[0]) / 255.0
