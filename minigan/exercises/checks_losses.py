"""The checks of the GAN and WGAN loss exercises (tutorials 05 and 06): values and gradients against
minigan.gan's losses and central differences, the critic's step against RMSProp + clip_parameters_,
the gradient penalty's double backward, and a short GAN on the ring trained with the student's D loss."""
import numpy as np

import minigan
import minigan.functional as F
from minigan import nn, optim
from minigan.exercises.grading import NOT_FINITE
from minigan.gan import losses

WRONG_SIGN = ("the D loss with the wrong sign: D ASCENDS log D(x) + log(1 − D(G(z))), and minigan's optimizers "
              "descend, so the loss to minimise is its negative: softplus(−a_real) + softplus(a_fake) (descent for "
              "ascent)")
LOG_SIGMOID = "log(sigmoid(a)) is −inf once σ(a) underflows (a = −1000): use log σ(a) = −softplus(−a)"
MEAN = "the loss is the MEAN over the batch, (1/m) Σ_i, not the sum"
NO_CREATE_GRAPH = ("the gradient penalty's gradient was not built with create_graph: minigan.grad(f(x̂).sum(), x̂, "
                   "create_graph=True) makes ∇_x̂ f differentiable, so that GP has a gradient with respect to the "
                   "critic's weights (double backward)")
CLIPPED_GENERATOR = ("clipping the generator instead of the critic: WGAN-4 line 7 clips the CRITIC's weights w, "
                     "and the generator's θ are left alone")


def mlp(sizes, activation=nn.Tanh):
    """A small float64 MLP (the critics, generators and autoencoders of the checks)."""
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers).double()


def _logit_loss_checks(g, student, reference, n_inputs, mistakes):
    """Value and gradient of a loss of logits, on random logits and on logits of ±1000."""
    inputs = [g.randn(8, 1, requires_grad=True, scale=3.0) for _ in range(n_inputs)]
    got = g.call("value", student, *inputs)
    g.close("value", got, reference(*inputs), mistakes={h: (lambda f=f: f(*inputs)) for h, f in mistakes.items()})
    extreme = [minigan.Tensor(np.array([[-1000.0], [-30.0], [0.0], [30.0], [1000.0]]) * (1 - 2 * i),
                              requires_grad=True) for i in range(n_inputs)]
    got = g.call("value at logits of ±1000", student, *extreme)
    g.close("value at logits of ±1000", got, reference(*extreme), mistakes={LOG_SIGMOID: NOT_FINITE})
    g.gradcheck("gradient against central differences", student, inputs,
                hint="build the loss from minigan operations on the logits (minigan.functional.softplus, .mean())")
    return inputs


def check_bce_with_logits(g, bce_with_logits):
    logits = g.randn(8, 1, requires_grad=True, scale=3.0)
    labels = minigan.Tensor(g.rng.integers(0, 2, (8, 1)).astype(float))
    for name, target in [("labels 0 and 1", labels), ("soft labels", minigan.Tensor(g.rng.uniform(0, 1, (8, 1))))]:
        got = g.call(f"value ({name})", bce_with_logits, logits, target)
        g.close(f"value ({name})", got, F.bce_with_logits(logits, target),
                mistakes={MEAN: lambda t=target: F.bce_with_logits(logits, t, reduction="sum"),
                          "BCE = −z log σ(a) − (1 − z) log(1 − σ(a)) is positive: check the sign":
                              lambda t=target: -F.bce_with_logits(logits, t)})
    extreme = minigan.Tensor(np.array([[-1000.0], [1000.0], [-1000.0], [1000.0]]), requires_grad=True)
    extreme_target = minigan.Tensor(np.array([[1.0], [0.0], [0.0], [1.0]]))
    got = g.call("value at logits of ±1000", bce_with_logits, extreme, extreme_target)
    g.close("value at logits of ±1000", got, F.bce_with_logits(extreme, extreme_target),
            mistakes={LOG_SIGMOID: NOT_FINITE})
    g.gradcheck("gradient against central differences", lambda a: bce_with_logits(a, labels), [logits],
                hint="build the loss from minigan operations (minigan.functional.softplus, *, .mean())")


def check_discriminator_loss(g, discriminator_loss):
    _logit_loss_checks(g, discriminator_loss, losses.discriminator_loss, 2, {
        WRONG_SIGN: lambda r, f: -losses.discriminator_loss(r, f),
        "real is labelled 1 and fake 0: softplus(−a_real) + softplus(a_fake), not the other way round":
            lambda r, f: F.softplus(r).mean() + F.softplus(-f).mean(),
        MEAN: lambda r, f: F.softplus(-r).sum() + F.softplus(f).sum()})
    real_d, fake_d = _train_ring_gan(g, discriminator_loss, steps=200)
    g.require("end to end: a GAN on the ring trained with your D loss (200 steps)", real_d > fake_d + 0.2,
              f"after 200 steps mean D(x) = {real_d:.3f} and mean D(G(z)) = {fake_d:.3f}: D should rate the real "
              f"points clearly higher (by 0.2; minigan's loss gives 0.6 to 0.9)",
              expected="mean D(x) > mean D(G(z)) + 0.2", got=f"{real_d:.3f} vs {fake_d:.3f}",
              hint=WRONG_SIGN if real_d <= fake_d else None)


def _train_ring_gan(g, discriminator_loss, steps):
    """Algorithm 1 with k = 1 on the ring of 8 Gaussians (small MLPs, Adam), D trained with the
    student's loss (Adam, lr 3e-3) and G with the non-saturating loss (lr 1e-4, so that D leads).
    Returns mean D(x), mean D(G(z)) on fresh batches at the end."""
    from minigan.data import toy2d

    rng = g.rng
    generator, discriminator = mlp([4, 16, 2]), mlp([2, 16, 16, 1], lambda: nn.LeakyReLU(0.2))
    opt_g = optim.Adam(generator.parameters(), lr=1e-4, betas=(0.5, 0.999))
    opt_d = optim.Adam(discriminator.parameters(), lr=3e-3, betas=(0.5, 0.999))
    centers = toy2d.ring_centers()
    for _ in range(steps):
        real = minigan.Tensor(toy2d.sample_mixture(centers, 0.01, 64, rng).astype(np.float64))
        with minigan.no_grad():
            fake = generator(minigan.Tensor(rng.standard_normal((64, 4))))
        loss_d = g.call("end to end: training D with your loss", discriminator_loss, discriminator(real),
                        discriminator(fake))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        with nn.frozen(discriminator):
            loss_g = losses.non_saturating_generator_loss(discriminator(generator(minigan.Tensor(
                rng.standard_normal((64, 4))))))
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
    with minigan.no_grad():
        real = minigan.Tensor(toy2d.sample_mixture(centers, 0.01, 512, rng).astype(np.float64))
        fake = generator(minigan.Tensor(rng.standard_normal((512, 4))))
        return float(discriminator(real).sigmoid().mean().item()), float(discriminator(fake).sigmoid().mean().item())


def check_minimax_generator_loss(g, minimax_generator_loss):
    _logit_loss_checks(g, minimax_generator_loss, losses.minimax_generator_loss, 1, {
        "that is the non-saturating loss (GAN-5); GAN-4 descends log(1 − D(G(z))) = −softplus(a)":
            losses.non_saturating_generator_loss,
        "G DESCENDS (1/m) Σ log(1 − D(G(z))) itself, which is −softplus(a), so no extra minus sign":
            lambda f: -losses.minimax_generator_loss(f),
        MEAN: lambda f: -F.softplus(f).sum()})


def check_non_saturating_generator_loss(g, non_saturating_generator_loss):
    _logit_loss_checks(g, non_saturating_generator_loss, losses.non_saturating_generator_loss, 1, {
        "that is the minimax loss (GAN-4); the non-saturating one minimises −log D(G(z)) = softplus(−a)":
            losses.minimax_generator_loss,
        "−log D(G(z)) = +softplus(−a): check the sign": lambda f: -losses.non_saturating_generator_loss(f),
        MEAN: lambda f: F.softplus(-f).sum()})


def check_critic_objective(g, critic_objective):
    critic = mlp([2, 8, 1])
    real, fake = g.randn(6, 2, requires_grad=True), g.randn(6, 2, requires_grad=True, scale=2.0)
    got = g.call("value", critic_objective, critic, real, fake)
    expected = critic(real).mean() - critic(fake).mean()
    g.close("value", got, expected, mistakes={
        "the critic ASCENDS mean f(x) − mean f(G(z)): the objective is that, not its negative": -expected,
        "the critic's output is a real number: no sigmoid, no log, no cross-entropy":
            lambda: losses.discriminator_loss(critic(real), critic(fake)),
        MEAN: lambda: critic(real).sum() - critic(fake).sum()})
    params = list(critic.parameters())
    got = g.call("gradient with respect to w", lambda: minigan.grad(critic_objective(critic, real, fake), params))
    for k, (p_got, p_expected) in enumerate(zip(got, minigan.grad(critic(real).mean() - critic(fake).mean(), params))):
        g.close(f"g_w against minigan's, parameter {k}", p_got, p_expected)
    g.gradcheck("gradient against central differences", lambda r, f: critic_objective(critic, r, f), [real, fake])


def _reference_critic_step(critic, generator, real, z, optimizer, clip_value):
    with minigan.no_grad():
        fake = generator(z)
    objective = critic(real).mean() - critic(fake).mean()
    optimizer.zero_grad()
    objective.backward()
    optimizer.step()
    nn.utils.clip_parameters_(critic.parameters(), -clip_value, clip_value)
    return objective.item()


def check_critic_step(g, critic_step):
    c = 0.05
    models, seed = [], int(g.rng.integers(2 ** 31))
    for _ in range(2):   # the student's pair and the reference pair, with the same weights
        minigan.manual_seed(seed)
        critic, generator = mlp([2, 8, 1], lambda: nn.LeakyReLU(0.2)), mlp([3, 8, 2])
        for w in critic.parameters():
            w.data = w.data * 4.0   # weights of about ±0.1 to ±0.4: the clip at c = 0.05 binds
        models.append((critic, generator, optim.RMSProp(critic.parameters(), lr=1e-3, maximize=True)))
    generator_before = [w.data.copy() for w in models[0][1].parameters()]
    for step in (1, 2):
        real, z = g.randn(16, 2), g.randn(16, 3)
        got = g.call(f"critic step {step}", critic_step, models[0][0], models[0][1], real, z, models[0][2], c)
        expected = _reference_critic_step(models[1][0], models[1][1], real, z, models[1][2], c)
        g.close("the objective's value", got, np.asarray(expected))
        changed = any(not np.array_equal(w.data, before) for w, before in zip(models[0][1].parameters(),
                                                                             generator_before))
        clipped_g = all(np.abs(w.data).max() <= c for w in models[0][1].parameters())
        g.require("the generator's weights are left alone", not changed,
                  "the generator's weights changed during the critic's step",
                  hint=CLIPPED_GENERATOR if clipped_g else "compute G(z) under minigan.no_grad() and step only "
                                                           "the critic's optimizer")
        largest = max(float(np.abs(w.data).max()) for w in models[0][0].parameters())
        g.require("every critic weight in [−c, c]", largest <= c + 1e-12,
                  f"a critic weight is {largest:.4g}, outside [−{c}, {c}] (line 7: w ← clip(w, −c, c))",
                  expected=f"|w| ≤ {c}", got=f"{largest:.4g}")
        for k, (w_got, w_expected) in enumerate(zip(models[0][0].parameters(), models[1][0].parameters())):
            g.close(f"the critic's weights after the step, parameter {k}", w_got, w_expected)


def check_gradient_penalty(g, gradient_penalty):
    from minigan.gan import gradient_penalty as reference_penalty

    critic = mlp([2, 8, 8, 1])
    real, fake, eps = g.randn(6, 2), g.randn(6, 2, scale=2.0), g.uniform(0, 1, 6, 1)

    def reference():
        x_hat = minigan.Tensor((eps.data * real.data + (1 - eps.data) * fake.data), requires_grad=True)
        return reference_penalty(critic, x_hat)

    def per_batch_norm():
        x_hat = minigan.Tensor((eps.data * real.data + (1 - eps.data) * fake.data), requires_grad=True)
        (grad,) = minigan.grad(critic(x_hat).sum(), x_hat)
        return (np.sqrt((grad.data ** 2).sum()) - 1) ** 2

    got = g.call("value", gradient_penalty, critic, real, fake, eps)
    g.close("value", got, reference(), rtol=1e-6, mistakes={
        "one norm per sample: ‖∇_x̂ f(x̂_i)‖₂ over the axes of sample i (sum over axis 1), then the mean over i":
            per_batch_norm,
        "x̂ = ε x + (1 − ε) G(z): ε weighs the REAL sample":
            lambda: reference_penalty(critic, minigan.Tensor(eps.data * fake.data + (1 - eps.data) * real.data,
                                                             requires_grad=True))})
    params = list(critic.parameters())
    g.require("the penalty has a gradient with respect to the critic's weights",
              isinstance(got, minigan.Tensor) and got.requires_grad,
              "the penalty does not depend on the critic's weights in the graph (requires_grad is False)",
              hint=NO_CREATE_GRAPH)
    got_grads = g.call("∇_w GP", lambda: minigan.grad(gradient_penalty(critic, real, fake, eps), params,
                                                      allow_unused=True))
    expected = minigan.grad(reference(), params, allow_unused=True)
    for k, (p, p_got, p_expected) in enumerate(zip(params, got_grads, expected)):
        p_expected = np.zeros(p.shape) if p_expected is None else p_expected   # the last bias: ∇_x f ignores it
        p_got = np.zeros(p.shape) if p_got is None else p_got
        g.close(f"∇_w GP against minigan's (a gradient of a gradient), parameter {k}", p_got, p_expected, rtol=1e-6,
                mistakes={NO_CREATE_GRAPH: np.zeros(p.shape)})
    g.gradcheck("∇_w GP against central differences (double backward)",
                lambda *ws: gradient_penalty(critic, real, fake, eps), params, hint=NO_CREATE_GRAPH)


HINTS_FOR_EXCEPTIONS = {   # exercise → ((regex on "Type: message", hint), ...)
    "gradient_penalty": ((r"does not require grad",
                          "x̂ must be a leaf that requires grad: minigan.Tensor(values, requires_grad=True)"),),
}
