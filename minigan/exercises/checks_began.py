"""The checks of the BEGAN exercises (tutorial 07): L(v), the two losses with their gradients reaching
only their own player, k_t's update and M_global, against minigan.gan.BEGAN's own methods."""
import numpy as np

import minigan
from minigan import nn, optim
from minigan.exercises.checks_losses import mlp


def _began(gamma=0.5, lambda_k=0.001):
    """minigan's BEGAN on a small generator (3 → 4) and autoencoder (4 → 3 → 4), float64."""
    from minigan.gan import BEGAN

    generator, autoencoder = mlp([3, 6, 4]), mlp([4, 3, 4])
    return BEGAN(generator, autoencoder, optim.SGD(generator.parameters(), lr=0.0),
                 optim.SGD(autoencoder.parameters(), lr=0.0), gamma=gamma, lambda_k=lambda_k, latent_dim=3,
                 lr_patience=None)


def check_reconstruction_loss(g, reconstruction_loss):
    began = _began()
    v = g.randn(6, 4, requires_grad=True)
    got = g.call("value", reconstruction_loss, began.discriminator, v)
    residual = v.data - began.discriminator(v).data
    g.close("value", got, began.reconstruction_loss(v), mistakes={
        "η = 1: the mean ABSOLUTE error |v − D(v)|, not the squared error": lambda: (residual ** 2).mean(),
        "the mean over the batch and every coordinate, not the sum": lambda: np.abs(residual).sum(),
        "the absolute value of every residual, then the mean (not |mean(v − D(v))|)":
            lambda: abs(residual.mean())})
    g.gradcheck("gradient against central differences", lambda x: reconstruction_loss(began.discriminator, x), [v],
                hint="build L(v) from minigan operations ((v − D(v)).abs().mean())")
    params = list(began.discriminator.parameters())
    got = g.call("gradient with respect to θ_D", lambda: minigan.grad(reconstruction_loss(began.discriminator, v),
                                                                       params))
    for k, (p_got, p_expected) in enumerate(zip(got, minigan.grad(began.reconstruction_loss(v), params))):
        g.close(f"∇_θD L(v) against minigan's, parameter {k}", p_got, p_expected)


def check_began_losses(g, began_losses):
    began = _began()
    began.k_t = float(g.rng.uniform(0.1, 0.9))
    x, z_D, z_G = g.randn(6, 4), g.randn(6, 3), g.randn(6, 3)
    expected = began.losses(x, z_D, z_G)
    got = g.call("(L_D, L_G)", began_losses, began.generator, began.discriminator, x, z_D, z_G, began.k_t)
    g.require("returns (L_D, L_G)", isinstance(got, (tuple, list)) and len(got) == 2,
              f"expected the pair (L_D, L_G), got {type(got).__name__}", listed=False)
    loss_d, loss_g = got
    g.close("L_D = L(x) − k_t L(G(z_D))", loss_d, expected["L_D"], mistakes={
        "L_D = L(x) − k_t · L(G(z_D)): the fakes' loss is SUBTRACTED, weighed by k_t":
            lambda: expected["L(x)"].item() + began.k_t * expected["L(G(z_D))"].item(),
        "L_D uses the codes z_D, and L_G the codes z_G": lambda: expected["L(x)"].item() - began.k_t * (
            began.reconstruction_loss(began.generator(z_G))).item()})
    g.close("L_G = L(G(z_G))", loss_g, expected["L_G"], mistakes={
        "L_G uses the codes z_G, and L_D the codes z_D": lambda: began.reconstruction_loss(began.generator(z_D))})
    d_params, g_params = list(began.discriminator.parameters()), list(began.generator.parameters())
    reaches_g = g.call("L_D reaches θ_D only", lambda: minigan.grad(loss_d, g_params, allow_unused=True))
    g.require("L_D does not reach the generator", all(r is None or not np.any(r.data) for r in reaches_g),
              "L_D has a gradient with respect to the generator's weights",
              hint="G(z_D) is a constant for D: compute it under minigan.no_grad() (or .detach() it)")
    got_d = g.call("∇_θD L_D", lambda: minigan.grad(loss_d, d_params))
    for k, (p_got, p_expected) in enumerate(zip(got_d, minigan.grad(expected["L_D"], d_params))):
        g.close(f"∇_θD L_D against minigan's, parameter {k}", p_got, p_expected)
    got_g = g.call("∇_θG L_G", lambda: minigan.grad(loss_g, g_params))
    with nn.frozen(began.discriminator):
        expected_g = minigan.grad(began.reconstruction_loss(began.generator(z_G)), g_params)
    for k, (p_got, p_expected) in enumerate(zip(got_g, expected_g)):
        g.close(f"∇_θG L_G against minigan's, parameter {k}", p_got, p_expected)


def _scalar_cases(g, n):
    """(L(x), L(G(z))) pairs: random, and ones that push k_t past 0 and past 1."""
    cases = [(float(g.rng.uniform(0.05, 0.5)), float(g.rng.uniform(0.05, 0.5))) for _ in range(n)]
    return cases + [(0.1, 5.0), (5.0, 0.01)]


def check_update_k(g, update_k):
    random = [(float(g.rng.uniform(0.0, 1.0)), *case, float(g.rng.choice([0.001, 0.01, 0.3])))
              for case in _scalar_cases(g, 4)[:4]]
    past_the_ends = [(0.05, 0.1, 5.0, 0.3), (0.9, 5.0, 0.01, 0.3)]   # k_t + λ_k (…) below 0, above 1
    for k_t, loss_real, loss_fake, lambda_k in random + past_the_ends:
        gamma = float(g.rng.uniform(0.3, 1.0))
        began = _began(gamma, lambda_k)
        began.k_t = k_t
        expected = began.update_k(loss_real, loss_fake)
        step = k_t + lambda_k * (gamma * loss_real - loss_fake)
        got = g.call("k_{t+1}", update_k, k_t, loss_real, loss_fake, gamma, lambda_k)
        g.close("k_{t+1}", got, np.asarray(expected),
                context=f"k_t = {k_t:.6g}, L(x) = {loss_real:.6g}, L(G(z)) = {loss_fake:.6g}, γ = {gamma:.6g}, "
                        f"λ_k = {lambda_k:g}", mistakes={
                    "clip k_{t+1} to [0, 1]: clip(k_t + λ_k (γ L(x) − L(G(z_G))), 0, 1)": step,
                    "the controller's error is γ L(x) − L(G(z_G)), not the other way round":
                        min(max(k_t + lambda_k * (loss_fake - gamma * loss_real), 0.0), 1.0),
                    "γ weighs L(x), the real images' loss: γ L(x) − L(G(z_G))":
                        min(max(k_t + lambda_k * (loss_real - gamma * loss_fake), 0.0), 1.0)})


def check_convergence_measure(g, convergence_measure):
    for loss_real, loss_fake in _scalar_cases(g, 4):
        gamma = float(g.rng.uniform(0.3, 1.0))
        began = _began(gamma)
        got = g.call("M_global", convergence_measure, loss_real, loss_fake, gamma)
        g.close("M_global", got, np.asarray(began.convergence_measure(loss_real, loss_fake)),
                context=f"L(x) = {loss_real:.6g}, L(G(z)) = {loss_fake:.6g}, γ = {gamma:.6g}", mistakes={
                    "M_global = L(x) + |γ L(x) − L(G(z_G))|: the absolute value of the imbalance":
                        loss_real + (gamma * loss_real - loss_fake),
                    "γ weighs L(x) inside the absolute value: |γ L(x) − L(G(z_G))|":
                        loss_real + abs(loss_real - gamma * loss_fake)})
