"""The vanilla GAN: Goodfellow et al.'s Algorithm 1, one generator iteration per `step`.

    for k steps:                                               [GAN-3]
        sample m noise z ~ p_z and m examples x ~ p_data
        ascend ∇_θd (1/m) Σ [log D(x_i) + log(1 - D(G(z_i)))]
    sample m noise z
    descend ∇_θg (1/m) Σ log(1 - D(G(z_i)))                    [GAN-4]
    (or, non-saturating, descend -(1/m) Σ log D(G(z_i)))       [GAN-5]
"""
import contextlib

import minigan
from minigan import optim
from minigan.autograd import no_grad
from minigan.gan import losses
from minigan.gan.base import PRIORS, next_batch, sample_noise
from minigan.optim.averaging import ExponentialMovingAverage


class GAN:
    """Algorithm 1 with `k` discriminator steps per generator step.

    generator: z (m, latent_dim) -> samples; discriminator: samples -> logits (m, 1).
    generator_loss: "non_saturating" (GAN-5, the default, as every practical GAN) or "minimax" (GAN-4).
    schedules: learning-rate schedules (minigan.optim.schedule) stepped once per generator iteration.
    ema_decay: None, or β of an exponential moving average of G's weights updated after every
    generator step (minigan.optim.averaging); `sample` then draws from the average.
    """

    def __init__(self, generator, discriminator, opt_g, opt_d, k=1, generator_loss="non_saturating",
                 latent_dim=64, prior="normal", schedules=(), ema_decay=None):
        if k < 1:
            raise ValueError(f"k (discriminator steps per generator step) must be at least 1, got {k}")
        if generator_loss not in losses.GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {sorted(losses.GENERATOR_LOSSES)}, got {generator_loss!r}")
        if prior not in PRIORS:
            raise ValueError(f"prior must be one of {PRIORS}, got {prior!r}")
        self.generator, self.discriminator = generator, discriminator
        self.opt_g, self.opt_d = opt_g, opt_d
        self.k, self.generator_loss = int(k), generator_loss
        self.latent_dim, self.prior = int(latent_dim), prior
        self.schedules = list(schedules)
        self.generator_average = None if ema_decay is None else ExponentialMovingAverage(generator.parameters(), ema_decay)

    def noise(self, m):
        """[GAN-1] z ~ p_z."""
        return sample_noise(m, self.latent_dim, self.prior)

    def discriminator_step(self, real):
        """[GAN-3] One ascent step of D on a real batch and as many fresh fakes."""
        m = real.shape[0]
        with no_grad():
            fake = self.generator(self.noise(m))          # G is fixed during D's step
        real_logits, fake_logits = self.discriminator(real), self.discriminator(fake)
        loss = losses.discriminator_loss(real_logits, fake_logits)   # -(1/m) Σ [log D(x) + log(1 - D(G(z)))]
        self.opt_d.zero_grad()
        loss.backward()
        self.opt_d.step()
        return loss.item(), real_logits.data, fake_logits.data

    def generator_step(self, m):
        """[GAN-4] / [GAN-5] One descent step of G through the (fixed) discriminator."""
        self.discriminator.requires_grad_(False)          # D's parameters are constants here
        fake_logits = self.discriminator(self.generator(self.noise(m)))
        loss = losses.GENERATOR_LOSSES[self.generator_loss](fake_logits)
        self.opt_g.zero_grad()
        loss.backward()
        self.opt_g.step()
        self.update_average()
        self.discriminator.requires_grad_(True)
        return loss.item()

    def step(self, real):
        """One iteration of Algorithm 1; `real` is a batch or an iterator of fresh batches."""
        for _ in range(self.k):
            batch = next_batch(real)
            loss_d, real_logits, fake_logits = self.discriminator_step(batch)
        loss_g = self.generator_step(batch.shape[0])
        for schedule in self.schedules:
            schedule.step()
        sigmoid = minigan.functional.sigmoid
        return {"loss_d": loss_d, "loss_g": loss_g,
                "D(x)": float(sigmoid(minigan.Tensor(real_logits)).data.mean()),
                "D(G(z))": float(sigmoid(minigan.Tensor(fake_logits)).data.mean())}

    def update_average(self):
        """θ̄_G ← β θ̄_G + (1 − β) θ_G after a generator step, when the algorithm keeps an average."""
        if self.generator_average is not None:
            self.generator_average.update()

    def sampling_weights(self):
        """A context in which self.generator holds the weights to sample from: the average of its
        iterates where the algorithm keeps one (ema_decay), else its own."""
        if self.generator_average is None:
            return contextlib.nullcontext()
        return self.generator_average.average_parameters()

    @no_grad()
    def sample(self, n):
        """n samples x = G(z) (GAN-1), with the generator in eval mode (and its averaged weights)."""
        was_training = self.generator.training
        self.generator.eval()
        with self.sampling_weights():
            samples = self.generator(self.noise(n))
        self.generator.train(was_training)
        return samples

    def state_dict(self):
        state = {"generator": self.generator.state_dict(), "discriminator": self.discriminator.state_dict(),
                 "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(),
                 "schedules": [schedule.state_dict() for schedule in self.schedules]}
        if self.generator_average is not None:
            state["generator_average"] = self.generator_average.state_dict()
        return state

    def load_state_dict(self, state):
        self.generator.load_state_dict(state["generator"])
        self.discriminator.load_state_dict(state["discriminator"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        for schedule, saved in zip(self.schedules, state.get("schedules", [])):
            schedule.load_state_dict(saved)
        if self.generator_average is not None:
            self.generator_average.load_state_dict(state["generator_average"])


OPTIMIZERS = ("adam", "oadam", "rmsprop", "sgd")


def make_optimizer(name, params, lr, betas=(0.5, 0.999), maximize=False):
    """An optimizer by its command-line name; maximize=True ascends (the slides' w ← w + η∇w)."""
    if name == "adam":
        return optim.Adam(params, lr=lr, betas=betas, maximize=maximize)
    if name == "oadam":
        return optim.OptimisticAdam(params, lr=lr, betas=betas, maximize=maximize)
    if name == "rmsprop":
        return optim.RMSProp(params, lr=lr, maximize=maximize)
    if name == "sgd":
        return optim.SGD(params, lr=lr, momentum=0.5, maximize=maximize)  # "we used momentum" (GAN-4)
    raise ValueError(f"unknown optimizer {name!r}: choose one of {OPTIMIZERS}")


def add_arguments(parser, name):
    """The flags of `python -m minigan train gan`."""
    parser.add_argument("--k", type=int, default=1, help="discriminator steps per generator step (Algorithm 1's k)")
    parser.add_argument("--generator-loss", choices=["non-saturating", "minimax"], default="non-saturating",
                        help="GAN-5's -log D(G(z)) (default) or GAN-4's log(1 - D(G(z)))")


def defaults(data):
    """The command line's defaults that differ from minigan.gan.models.for_data's: on the 2-D mixtures,
    z of 64, batches of 512, and 4000 generator iterations on the ring, 6000 on the grid's 25 modes."""
    if not hasattr(data, "centers"):
        return {}
    return {"latent_dim": 64, "batch_size": 512, "steps": 4000 if len(data.centers) <= 8 else 6000}


def two_d_models(latent_dim):
    """The vanilla GAN's networks for the 2-D mixtures: G a tanh MLP of 3 × 128 units, D a LeakyReLU(0.2)
    MLP of 2 × 256 units. Measured in docs/results.md: a smooth G spreads over every mode, and the
    piecewise-linear D resolves modes of std 0.01, where tanh D's leave the samples smeared between
    them and ReLU G's collapse onto one or two (GAN-HARD)."""
    from minigan import nn
    from minigan.gan.models import mlp

    return mlp([latent_dim, 128, 128, 128, 2], nn.Tanh), mlp([2, 256, 256, 1], lambda: nn.LeakyReLU(0.2))


def from_args(name, args, data):
    """Build the GAN for a dataset (see minigan.gan.models.for_data) from the command line's flags.

    On the 2-D mixtures: two_d_models, G's learning rate 1e-3 and D's 3e-4 (unless --lr sets both), and
    both divided by 10 after 70% of the steps, so that the samples settle into the modes."""
    from minigan.gan.models import for_data

    spec = for_data(data, latent_dim=args.latent_dim)
    generator, discriminator = spec.generator, spec.discriminator
    lr_g = lr_d = args.lr if args.lr is not None else spec.lr
    two_d = hasattr(data, "centers")
    if two_d:
        generator, discriminator = two_d_models(args.latent_dim)
        if args.lr is None:
            lr_g, lr_d = 1e-3, 3e-4
    optimizer = args.optimizer or "adam"
    opt_g = make_optimizer(optimizer, generator.parameters(), lr_g, spec.betas)
    opt_d = make_optimizer(optimizer, discriminator.parameters(), lr_d, spec.betas)
    decay_at = max(1, int(0.7 * args.steps))
    schedules = [optim.schedule.StepLR(opt, decay_at, gamma=0.1) for opt in (opt_g, opt_d)] if two_d else []
    return GAN(generator, discriminator, opt_g, opt_d, k=args.k, generator_loss=args.generator_loss.replace("-", "_"),
               latent_dim=args.latent_dim, prior=args.prior, schedules=schedules)
