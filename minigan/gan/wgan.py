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
from minigan.autograd import Tensor, no_grad
from minigan.autograd import grad
from minigan.creation import rand
from minigan.gan.base import PRIORS, next_batch
from minigan.gan.gan import GAN, make_optimizer
from minigan.nn.utils import clip_parameters_


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


class WGAN(GAN):
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
    Weight clipping acts on every critic parameter and on nothing else. opt_c must ascend
    (maximize=True); opt_g descends. lr_decay_steps=T decays both learning rates linearly to 0 over
    T generator iterations (the WGAN-GP reference code's schedule); None keeps them fixed.
    """

    def __init__(self, generator, critic, opt_g, opt_c, n_critic=5, clip_value=0.01, warmup=True,
                 latent_dim=64, prior="normal", lr_decay_steps=None):
        check_critic_config(n_critic, prior, opt_c, lr_decay_steps)
        if not clip_value > 0:
            raise ValueError(f"clip_value (c in WGAN-4 line 7) must be positive, got {clip_value}; "
                             f"the paper uses 0.01")
        super().__init__(generator, critic, opt_g, opt_c, k=n_critic, latent_dim=latent_dim, prior=prior)
        self.critic, self.opt_c = critic, opt_c
        self.n_critic, self.clip_value, self.warmup = int(n_critic), float(clip_value), bool(warmup)
        self.generator_iterations = 0
        self.lr_decay_steps = lr_decay_steps
        self.initial_lrs = [[group["lr"] for group in opt.param_groups] for opt in (opt_g, opt_c)]

    def critic_iterations(self):
        """n_critic, or 100 under the reference schedule (first 25 generator iterations, every 500th)."""
        if self.warmup and (self.generator_iterations < 25 or self.generator_iterations % 500 == 0):
            return 100
        return self.n_critic

    def decay_learning_rates(self):
        """η_t = η_0 · max(0, 1 − t / T), t the generator iteration, T = lr_decay_steps."""
        factor = max(0.0, 1.0 - self.generator_iterations / self.lr_decay_steps)
        for opt, initial in zip((self.opt_g, self.opt_c), self.initial_lrs):
            for group, lr in zip(opt.param_groups, initial):
                group["lr"] = lr * factor

    def critic_objective(self, real, fake):
        """[WGAN-4 line 5] (1/m) Σ f_w(x_i) − (1/m) Σ f_w(g_θ(z_i)), whose gradient is g_w: the
        estimate of W (WGAN-2) that the run logs (the critic loss of the reference code is its negative)."""
        return self.critic(real).mean() - self.critic(fake).mean()

    def critic_step(self, real):
        """[WGAN-4 lines 3-7] One critic iteration on a real batch; returns the W estimate (before the step)."""
        with no_grad():
            fake = self.generator(self.noise(real.shape[0]))             # [WGAN-4 lines 3-4] {x_i}, g_θ(z_i)
        objective = self.critic_objective(real, fake)
        self.opt_c.zero_grad()
        objective.backward()                                              # [WGAN-4 line 5] g_w ← ∇_w objective
        self.opt_c.step()                                                 # [WGAN-4 line 6] w ← w + α·RMSProp(w, g_w)
        clip_parameters_(self.critic.parameters(), -self.clip_value, self.clip_value)  # [WGAN-4 line 7] w ← clip(w, −c, c)
        return objective.item()

    def generator_step(self, m):
        """[WGAN-4 lines 9-11] One generator iteration through the fixed critic; returns its loss."""
        self.critic.requires_grad_(False)                                 # w is a constant here
        loss = -self.critic(self.generator(self.noise(m))).mean()         # [WGAN-4 lines 9-10] −(1/m) Σ f_w(g_θ(z_i))
        self.opt_g.zero_grad()
        loss.backward()                                                   # [WGAN-4 line 10] g_θ
        self.opt_g.step()                                                 # [WGAN-4 line 11] θ ← θ − α·RMSProp(θ, g_θ)
        self.update_average()
        self.critic.requires_grad_(True)
        return loss.item()

    def step(self, real):
        """[WGAN-4] One generator iteration with all its critic iterations (line 2); `real` is a batch
        or an iterator from which every critic iteration draws a fresh batch (lines 3-4)."""
        if self.lr_decay_steps:
            self.decay_learning_rates()
        for _ in range(self.critic_iterations()):                         # [WGAN-4 line 2]
            batch = next_batch(real)
            estimate = self.critic_step(batch)
        loss_g = self.generator_step(batch.shape[0])
        self.generator_iterations += 1
        return {"wasserstein": estimate, "loss_d": -estimate, "loss_g": loss_g}

    def state_dict(self):
        return {**super().state_dict(), "generator_iterations": self.generator_iterations}

    def load_state_dict(self, state):
        super().load_state_dict(state)
        self.generator_iterations = int(state["generator_iterations"])


def check_critic_config(n_critic, prior, opt_c, lr_decay_steps):
    if not (isinstance(n_critic, (int, np.integer)) and n_critic >= 1):
        raise ValueError(f"n_critic (critic iterations per generator iteration) must be an integer >= 1, "
                         f"got {n_critic!r}")
    if lr_decay_steps is not None and not (isinstance(lr_decay_steps, (int, np.integer)) and lr_decay_steps >= 1):
        raise ValueError(f"lr_decay_steps must be None or an integer >= 1 (generator iterations), got {lr_decay_steps!r}")
    if prior not in PRIORS:
        raise ValueError(f"prior must be one of {PRIORS}, got {prior!r}")
    if not all(group.get("maximize", False) for group in opt_c.param_groups):
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
    """WGAN-GP (Gulrajani et al. 2017): WGAN-4 without clipping; the critic's Lipschitz constraint is
    a penalty instead, and the critic ascends

        (1/m) Σ f_w(x_i) − (1/m) Σ f_w(G(z_i)) − λ (1/m) Σ (‖∇_x̂ f_w(x̂_i)‖₂ − 1)²,
        x̂_i = ε_i x_i + (1 − ε_i) G(z_i),  ε_i ~ U[0, 1],      λ = gp_weight = 10,

    with Adam (lr 1e-4, betas (0.5, 0.9)) on both networks, or Optimistic Adam (OPT-OADAM, the
    optimism paper's setting "for training WGANs on images"). n_critic = 5, no warm-up schedule.
    The critic must not use batch norm: the penalty is per sample.
    """

    def __init__(self, generator, critic, opt_g, opt_c, n_critic=5, gp_weight=10.0, latent_dim=64,
                 prior="normal", lr_decay_steps=None):
        if not gp_weight >= 0:
            raise ValueError(f"gp_weight (λ of the gradient penalty) must be >= 0, got {gp_weight}; "
                             f"the paper uses 10")
        super().__init__(generator, critic, opt_g, opt_c, n_critic=n_critic, warmup=False,
                         latent_dim=latent_dim, prior=prior, lr_decay_steps=lr_decay_steps)
        self.gp_weight = float(gp_weight)
        self.last_penalty = 0.0

    def critic_step(self, real):
        """One critic iteration: ascend mean f(x) − mean f(G(z)) − λ·GP; returns the W estimate."""
        with no_grad():
            fake = self.generator(self.noise(real.shape[0]))
        estimate = self.critic_objective(real, fake)
        penalty = gradient_penalty(self.critic, interpolates(real, fake))
        self.opt_c.zero_grad()
        (estimate - self.gp_weight * penalty).backward()
        self.opt_c.step()                                                 # w ← w + η·Adam(w, ∇_w(estimate − λ·GP))
        self.last_penalty = penalty.item()
        return estimate.item()

    def step(self, real):
        return {**super().step(real), "gradient_penalty": self.last_penalty}


# ----------------------------------------------------------------------------------- command line
def add_arguments(parser, name):
    """The flags of `python -m minigan train wgan` and `train wgan-gp`."""
    parser.add_argument("--n-critic", type=int, default=5, help="critic iterations per generator iteration")
    if name == "wgan":
        parser.add_argument("--clip-value", type=float, default=0.01, help="c: critic weights clipped to [-c, c]")
        parser.add_argument("--no-warmup", dest="warmup", action="store_false",
                            help="leave out the reference code's 100 critic iterations (first 25 and every 500th "
                                 "generator iteration)")
    else:
        parser.add_argument("--gp-weight", type=float, default=10.0, help="λ, the gradient penalty's weight")
    parser.add_argument("--lr-decay", action="store_true",
                        help="decay both learning rates linearly to 0 over --steps (WGAN-GP's reference schedule)")
    parser.add_argument("--generator-activation", choices=["relu", "tanh"],
                        default="tanh" if name == "wgan-gp" else "relu",
                        help="hidden units of the generator for 2-D data (default: tanh for wgan-gp, relu for wgan)")


def toy_networks(latent_dim, activation="relu", hidden=128):
    """For 2-D points: an MLP generator with ReLU or tanh hidden units and a LeakyReLU MLP critic,
    3 hidden layers of `hidden` units each. Measured on PacGAN's mixtures (docs/results): saturated
    tanh units give the flat regions that put WGAN-GP's samples into the grid's tight clusters; with
    weight clipping the ReLU generator covers the ring better."""
    from minigan import nn
    from minigan.gan.models import mlp, mlp_discriminator

    units = {"relu": nn.ReLU, "tanh": nn.Tanh}[activation]
    return mlp([latent_dim] + [hidden] * 3 + [2], units), mlp_discriminator(2, hidden=hidden)


def from_args(name, args, data):
    """WGAN (name "wgan": RMSProp, lr 5e-5) or WGAN-GP ("wgan-gp": Adam lr 1e-4, betas (0.5, 0.9);
    --optimizer oadam for Optimistic Adam). Networks: `toy_networks` for 2-D points, else
    minigan.gan.models' DCGAN pair, the critic without batch norm."""
    from minigan.gan.models import for_data

    if hasattr(data, "centers"):
        generator, critic = toy_networks(args.latent_dim, getattr(args, "generator_activation", "relu"))
    else:
        spec = for_data(data, latent_dim=args.latent_dim, critic=True)
        generator, critic = spec.generator, spec.discriminator
    gp = name == "wgan-gp"
    optimizer = args.optimizer or ("adam" if gp else "rmsprop")
    lr = args.lr if args.lr is not None else (1e-4 if gp else 5e-5)
    betas = (0.5, 0.9) if gp else (0.5, 0.999)
    opt_g = make_optimizer(optimizer, generator.parameters(), lr, betas)
    opt_c = make_optimizer(optimizer, critic.parameters(), lr, betas, maximize=True)   # line 6 ascends
    common = dict(n_critic=args.n_critic, latent_dim=args.latent_dim, prior=args.prior,
                  lr_decay_steps=args.steps if getattr(args, "lr_decay", False) else None)
    if gp:
        return WGANGP(generator, critic, opt_g, opt_c, gp_weight=args.gp_weight, **common)
    return WGAN(generator, critic, opt_g, opt_c, clip_value=args.clip_value, warmup=args.warmup, **common)
