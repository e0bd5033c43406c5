"""The checks of the adversarial-example exercises (tutorial 08): FGSM and PGD against
minigan.adversarial's attacks on a small classifier, and adversarial training's objective (value and
gradient with respect to θ)."""
import numpy as np

import minigan
import minigan.functional as F
from minigan import adversarial
from minigan.exercises.checks_losses import mlp

GRADIENT_NOT_SIGN = ("FGSM with the gradient instead of its sign: x + ε · sign(∇ₓJ) moves EVERY pixel by ±ε, "
                     "whatever the size of the gradient")


def _classifier_and_batch(g):
    model = mlp([6, 8, 3])
    x = minigan.Tensor(g.rng.uniform(0.0, 1.0, (10, 6)))
    y = g.rng.integers(0, 3, 10)
    return model, x, y


def _gradient(model, x, y):
    leaf = minigan.Tensor(x.data, requires_grad=True)
    return minigan.grad(F.cross_entropy(model(leaf), y), leaf)[0].data


def check_fgsm(g, fgsm):
    model, x, y = _classifier_and_batch(g)
    eps = float(g.rng.uniform(0.05, 0.2))
    grad = _gradient(model, x, y)
    got = g.call("x_adv", fgsm, model, x, y, eps)
    g.close("x_adv", got, adversarial.fgsm(model, x, y, eps), context=f"ε = {eps:.6g}", mistakes={
        GRADIENT_NOT_SIGN: np.clip(x.data + eps * grad, 0, 1),
        GRADIENT_NOT_SIGN + " (and clip to [0, 1])": x.data + eps * grad,
        "clip x_adv to the pixel range [0, 1]": x.data + eps * np.sign(grad),
        "the attack ASCENDS the loss: x + ε · sign(∇ₓJ), a plus sign": np.clip(x.data - eps * np.sign(grad), 0, 1)})
    with minigan.no_grad():
        before = F.cross_entropy(model(x), y).item()
        after = F.cross_entropy(model(minigan.Tensor(np.asarray(got.data if isinstance(got, minigan.Tensor)
                                                                else got))), y).item()
    g.require("end to end: the loss rises on x_adv", after > before,
              f"J(x_adv) = {after:.6g} is not above J(x) = {before:.6g}", expected=f"> {before:.6g}",
              got=f"{after:.6g}")


def _bim(model, x, y, eps, alpha, steps, ball=True, box=True, every_step=True):
    """PGD without a random start, with one of its projections left out (the hints)."""
    x_adv = x.data
    for _ in range(steps):
        x_adv = x_adv + alpha * np.sign(_gradient(model, minigan.Tensor(x_adv), y))
        if every_step:
            x_adv = np.clip(x_adv, x.data - eps, x.data + eps) if ball else x_adv
            x_adv = np.clip(x_adv, 0, 1) if box else x_adv
    if not every_step:
        x_adv = np.clip(np.clip(x_adv, x.data - eps, x.data + eps), 0, 1)
    return x_adv


def check_pgd(g, pgd):
    model, x, y = _classifier_and_batch(g)
    eps, steps = float(g.rng.uniform(0.05, 0.15)), 6
    alpha = eps / 2   # six steps walk 3ε: the projection onto the ball binds
    got = g.call("x_adv", pgd, model, x, y, eps, alpha, steps)
    expected = adversarial.pgd(model, x, y, eps, alpha=alpha, steps=steps, random_start=False)
    g.close("x_adv", got, expected, context=f"ε = {eps:.6g}, α = {alpha:.6g}, {steps} steps", mistakes={
        "project onto the ε-ball around the ORIGINAL x after every step: clip to [x − ε, x + ε]":
            lambda: _bim(model, x, y, eps, alpha, steps, ball=False),
        "clip to the pixel range [0, 1] after every step too": lambda: _bim(model, x, y, eps, alpha, steps, box=False),
        "project after EVERY step (x^{t+1} = Π(x^t + α sign ∇)), not once at the end":
            lambda: _bim(model, x, y, eps, alpha, steps, every_step=False),
        GRADIENT_NOT_SIGN: lambda: _projected_gradient_walk(model, x, y, eps, alpha, steps)})
    distance = float(np.abs(np.asarray(got.data if isinstance(got, minigan.Tensor) else got) - x.data).max())
    g.require("x_adv stays in the ε-ball around x", distance <= eps + 1e-12,
              f"max |x_adv − x| = {distance:.6g} > ε = {eps:.6g}", expected=f"≤ {eps:.6g}", got=f"{distance:.6g}")


def _projected_gradient_walk(model, x, y, eps, alpha, steps):
    x_adv = x.data
    for _ in range(steps):
        x_adv = np.clip(np.clip(x_adv + alpha * _gradient(model, minigan.Tensor(x_adv), y), x.data - eps,
                                x.data + eps), 0, 1)
    return x_adv


def check_adversarial_loss(g, adversarial_loss):
    model, x, y = _classifier_and_batch(g)
    eps, alpha = float(g.rng.uniform(0.05, 0.2)), float(g.rng.choice([0.3, 0.8]))   # not 0.5: α and 1 − α differ
    expected = adversarial.adversarial_loss(model, x, y, eps, alpha=alpha)
    x_adv = adversarial.fgsm(model, x, y, eps)
    clean, attacked = F.cross_entropy(model(x), y).item(), F.cross_entropy(model(x_adv), y).item()
    got = g.call("J̃", adversarial_loss, model, x, y, eps, alpha)
    g.close("J̃ = α J(x) + (1 − α) J(x_adv)", got, expected, context=f"ε = {eps:.6g}, α = {alpha:g}", mistakes={
        "α weighs the CLEAN loss J(θ, x, y), and 1 − α the adversarial one": (1 - alpha) * clean + alpha * attacked,
        "x_adv = x + ε sign(∇ₓJ): the sign of the gradient": lambda: alpha * clean + (1 - alpha) * F.cross_entropy(
            model(minigan.Tensor(np.clip(x.data + eps * _gradient(model, x, y), 0, 1))), y).item()})
    params = list(model.parameters())
    got_grads = g.call("∇_θ J̃", lambda: minigan.grad(adversarial_loss(model, x, y, eps, alpha), params,
                                                      allow_unused=True))
    for k, (p_got, p_expected) in enumerate(zip(got_grads, minigan.grad(expected, params))):
        g.close(f"∇_θ J̃ against minigan's, parameter {k}", p_got, p_expected,
                hint="x_adv is a constant of the objective: no gradient flows through the attack (compute it "
                     "with minigan.grad, then use its values)")
