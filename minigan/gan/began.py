"""BEGAN, the boundary equilibrium GAN (Berthelot, Schumm, Metz 2017).

The discriminator D is an autoencoder, and what the two players fight over is its reconstruction
error. With L(v) the autoencoder loss of a batch v (η = 1, as every reference implementation):

    L(v) = (1/m) Σ_i mean_pixels |v_i − D(v_i)|                              [BEGAN-1]
    L_D = L(x) − k_t · L(G(z_D))      (minimised over θ_D)                  [BEGAN-2]
    L_G = L(G(z_G))                   (minimised over θ_G)
    k_{t+1} = clip(k_t + λ_k (γ L(x) − L(G(z_G))), 0, 1),   k_0 = 0         [BEGAN-3]
    γ = E[L(G(z))] / E[L(x)] ∈ [0, 1]                                       [BEGAN-4]
    M_global = L(x) + |γ L(x) − L(G(z_G))|                                  [BEGAN-5]

k_t is a proportional controller: it lets D attend to the fakes only as much as keeps the
equilibrium E[L(G(z))] = γ E[L(x)]; γ, the diversity ratio, trades diversity (high γ) for sharpness
(low γ). M_global falls as training converges, and the learning rate is halved whenever it stalls.
"""
import argparse

from minigan import optim
from minigan.autograd import no_grad
from minigan.gan.base import next_batch
from minigan.gan.gan import GAN, make_optimizer


class BEGAN(GAN):
    """One call of `step` is one simultaneous update of D and G (the paper: "while the updates are
    made simultaneously, they are still adversarial ... optimize θ_D and θ_G independently with
    respect to their corresponding losses"), then the k_t update with the same, pre-update, losses.

    L_G is built with D's parameters frozen, so it sends no gradient into D (carpedm20/BEGAN-pytorch
    adds d_loss and g_loss and calls backward once, leaking L_G's gradient into D: its issue #4).

    generator: z (m, latent_dim) → samples; autoencoder: samples → reconstructions of the same shape.
    gamma γ = 0.5 and lambda_k λ_k = 0.001 are the paper's; prior "uniform" (z ~ U[−1, 1]) too.
    lr_patience: the window (in steps) over which M_global is averaged; when the mean has not fallen
    below the previous window's, both learning rates are halved, but not below min_lr (by default a
    quarter of the initial rate, as BEGAN-tensorflow's 8e-5 → 2e-5: "too small an lr late in training
    causes collapse"). lr_patience=None keeps the rates fixed.
    ema_decay: None, or β of an exponential moving average of G's weights (minigan.optim.averaging),
    from which `sample` draws: the last iterate wanders between checkpoints, the average far less.
    """

    def __init__(self, generator, autoencoder, opt_g, opt_d, gamma=0.5, lambda_k=0.001, latent_dim=64,
                 prior="uniform", lr_patience=1000, min_lr=None, ema_decay=None):
        if not 0 <= gamma <= 1:
            raise ValueError(f"gamma (the diversity ratio E[L(G(z))]/E[L(x)], BEGAN-4) must lie in [0, 1], "
                             f"got {gamma}; the paper uses 0.5")
        if not lambda_k >= 0:
            raise ValueError(f"lambda_k (the gain of the k_t controller, BEGAN-3) must be >= 0, got {lambda_k}")
        super().__init__(generator, autoencoder, opt_g, opt_d, latent_dim=latent_dim, prior=prior, ema_decay=ema_decay)
        self.autoencoder = autoencoder
        self.gamma, self.lambda_k = float(gamma), float(lambda_k)
        self.k_t = 0.0                                                    # [BEGAN-3] k_0 = 0
        self.schedules = [] if lr_patience is None else [
            optim.schedule.HalveOnPlateau(opt, lr_patience, min_lr=opt.param_groups[0]["lr"] / 4 if min_lr is None else min_lr)
            for opt in (opt_g, opt_d)]

    def reconstruction_loss(self, v):
        """[BEGAN-1] L(v) = mean |v − D(v)| over the batch and every coordinate (η = 1)."""
        return (v - self.autoencoder(v)).abs().mean()

    def losses(self, x, z_D, z_G):
        """[BEGAN-2] {"L(x)", "L(G(z_D))", "L_D", "L_G"} as Tensors; L_D reaches only θ_D, L_G only θ_G."""
        with no_grad():
            fake_D = self.generator(z_D)                                  # G(z_D) is a constant for D
        loss_real, loss_fake_D = self.reconstruction_loss(x), self.reconstruction_loss(fake_D)
        loss_d = loss_real - self.k_t * loss_fake_D                       # [BEGAN-2] L_D = L(x) − k_t L(G(z_D))
        self.autoencoder.requires_grad_(False)                            # D is a constant for G
        loss_g = self.reconstruction_loss(self.generator(z_G))            # [BEGAN-2] L_G = L(G(z_G))
        self.autoencoder.requires_grad_(True)
        return {"L(x)": loss_real, "L(G(z_D))": loss_fake_D, "L_D": loss_d, "L_G": loss_g}

    def update_k(self, loss_real, loss_fake):
        """[BEGAN-3] k_{t+1} = clip(k_t + λ_k (γ L(x) − L(G(z_G))), 0, 1); returns the new k_t."""
        self.k_t = min(max(self.k_t + self.lambda_k * (self.gamma * loss_real - loss_fake), 0.0), 1.0)
        return self.k_t

    def convergence_measure(self, loss_real, loss_fake):
        """[BEGAN-5] M_global = L(x) + |γ L(x) − L(G(z_G))|."""
        return loss_real + abs(self.gamma * loss_real - loss_fake)

    def step(self, real):
        """One BEGAN iteration on a real batch (or the next batch of an iterator)."""
        x = next_batch(real)
        m = x.shape[0]
        losses = self.losses(x, self.noise(m), self.noise(m))
        for opt, loss in ((self.opt_d, losses["L_D"]), (self.opt_g, losses["L_G"])):
            opt.zero_grad()
            loss.backward()
        self.opt_d.step()                                                 # θ_D ← θ_D − η ∇ L_D
        self.opt_g.step()                                                 # θ_G ← θ_G − η ∇ L_G
        self.update_average()                                             # θ̄_G, if ema_decay is set
        loss_real, loss_fake = losses["L(x)"].item(), losses["L_G"].item()
        m_global = self.convergence_measure(loss_real, loss_fake)         # with the losses before the update
        k_used = self.k_t
        self.update_k(loss_real, loss_fake)
        for schedule in self.schedules:
            schedule.step(m_global)                                       # halve η when M_global stalls
        return {"loss_d": losses["L_D"].item(), "loss_g": loss_fake, "L(x)": loss_real, "k_t": k_used,
                "M_global": m_global, "lr": self.opt_g.param_groups[0]["lr"]}

    def state_dict(self):
        return {**super().state_dict(), "k_t": self.k_t,
                "schedules": [schedule.state_dict() for schedule in self.schedules]}

    def load_state_dict(self, state):
        super().load_state_dict(state)
        self.k_t = float(state["k_t"])
        for schedule, saved in zip(self.schedules, state["schedules"]):
            schedule.load_state_dict(saved)


# ----------------------------------------------------------------------------------- command line
# The settings that `train began` fills in for the flags left out: the paper's, and for 8×8 images
# (the digits) those measured in docs/results.md. Flags given on the command line win.
PAPER = {"gamma": 0.5, "lambda_k": 0.001, "lr": 1e-4, "convs_per_scale": 2, "tanh": False, "ema": 0.0}
SMALL_IMAGES = {"gamma": 1.0, "lambda_k": 0.003, "lr": 3e-4, "convs_per_scale": 1, "tanh": True, "ema": 0.998}
SMALL_IMAGES_D_SLOWDOWN = 12                # 8×8 images: D's rate is G's / 12 unless --lr-d says otherwise


def add_arguments(parser, name):
    """The flags of `python -m minigan train began`; None means "the default for the data" (settings)."""
    parser.add_argument("--gamma", type=float, help="γ, the diversity ratio in [0, 1] (BEGAN-4; default 0.5, "
                                                    "the paper's; 1.0 for 8×8 images)")
    parser.add_argument("--lambda-k", type=float, help="λ_k, the gain of k_t's update (BEGAN-3; default 0.001, "
                                                       "0.003 for 8×8 images)")
    parser.add_argument("--lr-d", type=float, help="D's learning rate (default: --lr, G's; --lr / 12 for 8×8 "
                                                   "images); BEGAN-tensorflow's d_lr beside g_lr")
    parser.add_argument("--lr-patience", type=int, default=1000,
                        help="steps per M_global window; the rates halve when its mean stalls (0: never)")
    parser.add_argument("--filters", type=int, help="n, the filters of the first scale (default 64, 32 for 8×8 images)")
    parser.add_argument("--skip", action="store_true", help="the decoders' skip connections from h₀")
    parser.add_argument("--convs-per-scale", type=int,
                        help="3×3 convolutions per scale (default 2, the paper's; 1 for 8×8 images)")
    parser.add_argument("--ema", type=float, metavar="DECAY",
                        help="β of an average of G's weights, θ̄ ← β θ̄ + (1 − β) θ, that samples are drawn from "
                             "(default 0: the last iterate; 0.998 for 8×8 images)")
    parser.add_argument("--tanh", action=argparse.BooleanOptionalAction,
                        help="end the generator with tanh, into the images' [−1, 1] (default: on for 8×8 images)")


def _small_images(data):
    """8×8 images (the digits), for which SMALL_IMAGES and the other small-image defaults hold."""
    return getattr(data, "image_shape", (0, 0, 0))[1] == 8


def defaults(data):
    """The command line's size defaults that differ from minigan.gan.models.for_data's."""
    return {"latent_dim": 32, "steps": 8000} if _small_images(data) else {}


def settings(args, data):
    """Fill the flags left out (None) from PAPER, or SMALL_IMAGES for 8×8 images, into `args`, so
    that the run's saved configuration holds the values used. A configuration saved before these
    flags existed (no convs_per_scale) gets the paper's values, which the code used then; one saved
    before --ema, no average."""
    small = _small_images(data) and hasattr(args, "convs_per_scale")
    if not hasattr(args, "ema"):
        args.ema = 0.0
    for key, value in (SMALL_IMAGES if small else PAPER).items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    if getattr(args, "lr_d", None) is None:
        args.lr_d = args.lr / SMALL_IMAGES_D_SLOWDOWN if small else args.lr
    return args


def from_args(name, args, data):
    """BEGAN with minigan.gan.began_models' networks for `data` (MLPs for 2-D points) and Adam with
    betas (0.5, 0.999); the flags left out take `settings`' values.

    Why D's own rate: in L_D = L(x) − k_t L(G(z_D)) [BEGAN-2] the images of a class c weigh
    p_data(c) − k_t p_g(c), so D stops reconstructing c well (which is what pushes G off c) only once
    G draws it more than p_data(c) / k_t times: at k_t ≈ 0.2 G may over-draw a class fivefold. A D
    slower than G (--lr-d below --lr) keeps the fakes easier to reconstruct for longer, so the
    controller [BEGAN-3] settles at a higher k_t (≈ 0.8 on digits with --lr-d = --lr / 12; a D
    fifteen times slower lets G wander from class to class) and the classes come out more even.
    Samples come from an average of G's iterates (--ema), steadier than the last one (docs/results.md)."""
    from minigan.gan.began_models import began_autoencoder, began_generator, mlp_autoencoder
    from minigan.gan.models import mlp_generator

    args = settings(args, data)
    if hasattr(data, "centers"):
        generator, autoencoder = mlp_generator(args.latent_dim, 2), mlp_autoencoder(2)
    else:
        shape = data.image_shape
        n = args.filters or (32 if _small_images(data) else 64)
        generator = began_generator(shape, args.latent_dim, n, args.convs_per_scale, args.skip, args.tanh)
        autoencoder = began_autoencoder(shape, args.latent_dim, n, args.convs_per_scale, args.skip)
    optimizer = args.optimizer or "adam"
    return BEGAN(generator, autoencoder,
                 make_optimizer(optimizer, generator.parameters(), args.lr, (0.5, 0.999)),
                 make_optimizer(optimizer, autoencoder.parameters(), args.lr_d, (0.5, 0.999)),
                 gamma=args.gamma, lambda_k=args.lambda_k, latent_dim=args.latent_dim, prior=args.prior,
                 lr_patience=args.lr_patience or None, ema_decay=args.ema or None)
