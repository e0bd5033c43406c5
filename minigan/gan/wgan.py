"""Wasserstein GANs: Arjovsky et al.'s Algorithm 1 with weight clipping (WGAN), and the gradient
penalty of Gulrajani et al. (WGAN-GP).

    W(P_r, P_g) = inf_{γ ∈ Π(P_r, P_g)} E_{(x,y)~γ} ‖x − y‖                         [WGAN-1]
                = sup_{‖f‖_L ≤ 1} E_{x~P_r}[f(x)] − E_{x~P_g}[f(x)]                 [WGAN-2]
    min_θ max_{w ∈ W} E_{x~P_r}[f_w(x)] − E_{z~p(z)}[f_w(g_θ(z))]                   [WGAN-3]

The critic f_w outputs a real number, no sigmoid. The objective it ascends, mean f(x) − mean f(G(z)),
estimates W (up to the critic's Lipschitz constant) and is what a WGAN logs and plots: "−Loss_D is
the Wasserstein estimate" (Arjovsky, WassersteinGAN issue #17; the reference code's critic descends
Loss_D = −objective). Here the critic's optimizer is built with maximize=True and ascends the
objective itself, as line 6 prints it: w ← w + α·RMSProp(w, g_w).
"""
import numpy as np

from minigan import backend
from minigan.autograd import Tensor, grad, no_grad
from minigan.creation import rand
from minigan.gan.base import Algorithm, next_batch
from minigan.nn.utils import clip_parameters_, frozen


def wasserstein_1d(a, b):
    """[WGAN-1] The exact Earth-Mover distance between the empirical distributions of two 1-D samples.

    Equal sizes: the optimal coupling pairs the sorted samples, W = (1/n) Σ_i |a_(i) − b_(i)|.
    Any sizes: W = ∫ |F_a(t) − F_b(t)| dt with F the empirical CDFs (the same number for equal sizes).
    a, b: 1-D arrays or Tensors (an (n, 1) column is accepted). Returns a Python float.
    """
    a, b = _sample_1d(a, "a"), _sample_1d(b, "b")
    if len(a) == len(b):
        return float(np.mean(np.abs(np.sort(a) - np.sort(b))))
    t = np.sort(np.concatenate([a, b]))
    cdf_a = np.searchsorted(np.sort(a), t[:-1], side="right") / len(a)
    cdf_b = np.searchsorted(np.sort(b), t[:-1], side="right") / len(b)
    return float(np.sum(np.abs(cdf_a - cdf_b) * np.diff(t)))


def _sample_1d(x, name):
    x = backend.to_numpy(x.data if isinstance(x, Tensor) else x).astype(np.float64)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1 or len(x) == 0:
        raise ValueError(f"wasserstein_1d needs a non-empty 1-D sample (or an (n, 1) column) for {name}, "
                         f"got shape {x.shape}")
    return x


class WGAN(Algorithm):
    """[WGAN-4] Algorithm 1 of the WGAN paper; one call of `step` is one generator iteration.

        while θ has not converged:
            for t = 0, ..., n_critic:                                   line 2
                sample {x_i} ~ P_r and {z_i} ~ p(z), m each             lines 3-4
                g_w ← ∇_w [(1/m) Σ f_w(x_i) − (1/m) Σ f_w(g_θ(z_i))]    line 5
                w ← w + α · RMSProp(w, g_w)                             line 6
                w ← clip(w, −c, c)                                      line 7
            sample {z_i} ~ p(z)                                         line 9
            g_θ ← −∇_θ (1/m) Σ f_w(g_θ(z_i))                            line 10
            θ ← θ − α · RMSProp(θ, g_θ)                                 line 11

    The paper's defaults: α = 5e-5 (RMSProp, built by the caller), c = clip_value = 0.01, m = 64,
    n_critic = 5. warmup=True adds the reference code's schedule, which the paper forgot to print:
    100 critic iterations for each of the first 25 generator iterations and for every 500th, "to
    start with the critic at optimum". Clipping here follows line 7 (after each critic step); the
    reference code (martinarjovsky/WassersteinGAN) clamps *before* each critic step instead, so its
    generator sees the unclipped weights of the last RMSProp step (a small difference at small α).
    Weight clipping acts on every critic parameter and on nothing else. opt_d (the critic's) must
    ascend (maximize=True); opt_g descends. schedules (minigan.optim.schedule) advance once per
    generator iteration, e.g. WGAN-GP's linear decay of both learning rates to 0.
    """

    def __init__(self, generator, critic, opt_g, opt_d, n_critic=5, clip_value=0.01, warmup=True,
                 latent_dim=64, prior="normal", schedules=(), ema_decay=None):
        check_critic_config(n_critic, opt_d)
        if clip_value is not None and not clip_value > 0:
            raise ValueError(f"clip_value (c in WGAN-4 line 7) must be positive, got {clip_value}; "
                             f"the paper uses 0.01")
        super().__init__(generator, critic, opt_g, opt_d, latent_dim, prior, schedules, ema_decay)
        self.n_critic, self.warmup = int(n_critic), bool(warmup)
        self.clip_value = None if clip_value is None else float(clip_value)
        self.generator_iterations = 0

    def critic_iterations(self):
        """n_critic, or 100 under the reference schedule (first 25 generator iterations, every 500th)."""
        if self.warmup and (self.generator_iterations < 25 or self.generator_iterations % 500 == 0):
            return 100
        return self.n_critic

    def critic_objective(self, real, fake):
        """[WGAN-4 line 5] (1/m) Σ f_w(x_i) − (1/m) Σ f_w(g_θ(z_i)), whose gradient is g_w: the
        estimate of W (WGAN-2) that the run logs (the critic loss of the reference code is its negative)."""
        return self.discriminator(real).mean() - self.discriminator(fake).mean()

    def discriminator_step(self, real):
        """[WGAN-4 lines 3-7] One critic iteration on a real batch; logs the W estimate (before the step)."""
        critic = self.discriminator
        with no_grad():
            fake = self.generator(self.noise(real.shape[0]))             # [WGAN-4 lines 3-4] {x_i}, g_θ(z_i)
        objective = self.critic_objective(real, fake)
        self.opt_d.zero_grad()
        objective.backward()                                              # [WGAN-4 line 5] g_w ← ∇_w objective
        self.opt_d.step()                                                 # [WGAN-4 line 6] w ← w + α·RMSProp(w, g_w)
        clip_parameters_(critic.parameters(), -self.clip_value, self.clip_value)  # [WGAN-4 line 7] w ← clip(w, −c, c)
        return {"wasserstein": objective.item(), "loss_d": -objective.item()}

    def generator_step(self, m):
        """[WGAN-4 lines 9-11] One generator iteration through the fixed critic."""
        with frozen(self.discriminator):                                  # w is a constant here
            # [WGAN-4 lines 9-10] −(1/m) Σ f_w(g_θ(z_i))
            loss = -self.discriminator(self.generator(self.noise(m))).mean()
            self.opt_g.zero_grad()
            loss.backward()                                               # [WGAN-4 line 10] g_θ
        self.opt_g.step()                                                 # [WGAN-4 line 11] θ ← θ − α·RMSProp(θ, g_θ)
        self.update_average()
        return {"loss_g": loss.item()}

    def step(self, real):
        """[WGAN-4] One generator iteration with all its critic iterations (line 2); `real` is a batch
        or an iterator from which every critic iteration draws a fresh batch (lines 3-4)."""
        for _ in range(self.critic_iterations()):                         # [WGAN-4 line 2]
            batch = next_batch(real)
            stats = self.discriminator_step(batch)
        stats = {**stats, **self.generator_step(batch.shape[0])}          # [WGAN-4 lines 9-11]
        self.generator_iterations += 1
        for schedule in self.schedules:
            schedule.step()
        return stats

    def extra_state(self):
        return {"generator_iterations": self.generator_iterations}

    def load_extra_state(self, state):
        self.generator_iterations = int(state["generator_iterations"])


def check_critic_config(n_critic, opt_d):
    if not (isinstance(n_critic, (int, np.integer)) and n_critic >= 1):
        raise ValueError(f"n_critic (critic iterations per generator iteration) must be an integer >= 1, "
                         f"got {n_critic!r}")
    if not all(group.get("maximize", False) for group in opt_d.param_groups):
        raise ValueError("the critic's optimizer must ascend its objective mean f(x) − mean f(G(z)) (WGAN-4 line 6: "
                         "w ← w + α·RMSProp(w, g_w)): build it with maximize=True")


def interpolates(real, fake):
    """[WGAN-GP] x̂ = ε x + (1 − ε) G(z) with one ε ~ U[0, 1] per sample: random points on the
    segments between real and generated samples (a leaf Tensor that requires grad)."""
    if real.shape != fake.shape:
        raise ValueError(f"real and fake batches must have the same shape, got {real.shape} and {fake.shape}")
    eps = rand(real.shape[0], *([1] * (real.ndim - 1))).astype(real.dtype)
    with no_grad():
        x_hat = eps * real + (1.0 - eps) * fake
    return Tensor(x_hat.data, requires_grad=True)


def gradient_penalty(critic, x_hat):
    """[WGAN-GP] (1/m) Σ_i (‖∇_x̂ f(x̂_i)‖₂ − 1)², differentiable in the critic's weights.

    The gradient ∇_x̂ f comes from minigan.grad(..., create_graph=True), so the penalty's own
    gradient with respect to w is a gradient of a gradient (double backward). The norm is taken over
    all the axes of one sample, as √(Σ g² + 1e-12): the 1e-12 keeps the derivative of √ finite
    where a critic is flat (g = 0)."""
    (g,) = grad(critic(x_hat).sum(), x_hat, create_graph=True)     # row i: ∇_x f(x̂_i), samples are independent
    norm = ((g * g).reshape(g.shape[0], -1).sum(axis=1) + 1e-12).sqrt()
    return ((norm - 1.0) ** 2).mean()


class WGANGP(WGAN):
    """WGAN-GP (Gulrajani et al. 2017): WGAN-4 without clipping and without the warm-up; the critic's
    Lipschitz constraint is a penalty instead, and the critic ascends

        (1/m) Σ f_w(x_i) − (1/m) Σ f_w(G(z_i)) − λ (1/m) Σ (‖∇_x̂ f_w(x̂_i)‖₂ − 1)²,
        x̂_i = ε_i x_i + (1 − ε_i) G(z_i),  ε_i ~ U[0, 1],      λ = gp_weight = 10,

    with Adam (lr 1e-4, betas (0.5, 0.9)) on both networks, or Optimistic Adam (OPT-OADAM, the
    optimism paper's setting "for training WGANs on images"). n_critic = 5. The critic must not use
    batch norm: the penalty is per sample.
    """

    def __init__(self, generator, critic, opt_g, opt_d, n_critic=5, gp_weight=10.0, latent_dim=64,
                 prior="normal", schedules=(), ema_decay=None):
        if not gp_weight >= 0:
            raise ValueError(f"gp_weight (λ of the gradient penalty) must be >= 0, got {gp_weight}; "
                             f"the paper uses 10")
        super().__init__(generator, critic, opt_g, opt_d, n_critic=n_critic, clip_value=None, warmup=False,
                         latent_dim=latent_dim, prior=prior, schedules=schedules, ema_decay=ema_decay)
        self.gp_weight = float(gp_weight)

    def discriminator_step(self, real):
        """One critic iteration: ascend mean f(x) − mean f(G(z)) − λ·GP; logs the W estimate and GP."""
        with no_grad():
            fake = self.generator(self.noise(real.shape[0]))
        estimate = self.critic_objective(real, fake)
        penalty = gradient_penalty(self.discriminator, interpolates(real, fake))
        self.opt_d.zero_grad()
        (estimate - self.gp_weight * penalty).backward()
        self.opt_d.step()                                                 # w ← w + η·Adam(w, ∇_w(estimate − λ·GP))
        return {"wasserstein": estimate.item(), "loss_d": -estimate.item(), "gradient_penalty": penalty.item()}
