"""What every adversarial algorithm in minigan shares: the prior p_z (GAN-1) and the interface that
the training loop (`minigan.gan.trainer.fit`), the commands (`sample`, `evaluate`, `interpolate`,
`attack --defend`) and the lab rely on.

    generator, discriminator      Modules (the discriminator is WGAN's critic, BEGAN's autoencoder)
    opt_g, opt_d                  their optimizers
    latent_dim, prior             z's size and distribution
    discriminator_step(real)      ONE update of the discriminator on a real batch -> dict of floats
    generator_step(m)             ONE update of the generator on m fresh codes -> dict of floats
    step(real) -> dict            one iteration of the algorithm; `real` is a Tensor batch, or an
                                  iterator from which every discriminator update draws a fresh one
    sample(n) -> Tensor           n generated samples (generator in eval mode, no graph)
    state_dict() / load_state_dict(d)   both networks and optimizers, their schedules, the average of
                                  G's weights, and the algorithm's own state (`extra_state`)

What some algorithms have besides, and the commands look for (``hasattr``):
    num_classes, sample(n, labels)      a conditional model (the conditional GAN): `sample --label`
    encode(x), reconstruct(x)           an encoder x → z (the adversarial autoencoder, ALI/BiGAN):
                                        the `encode` and `reconstruct` commands
"""
import abc
import contextlib

import numpy as np

from minigan.autograd import Tensor, no_grad
from minigan.creation import rand, randn
from minigan.nn.utils import evaluating
from minigan.optim.averaging import ExponentialMovingAverage

PRIORS = ("normal", "uniform")


def sample_noise(n, latent_dim, prior="normal"):
    """[GAN-1] The transform method: z ~ p_z, then x = G(z).

    prior="normal": z ~ N(0, I) (the "spherical z" of the GAN tips); prior="uniform": z ~ U[-1, 1]^d.
    Returns a Tensor of shape (n, latent_dim)."""
    if prior == "normal":
        return randn(n, latent_dim)
    if prior == "uniform":
        return rand(n, latent_dim) * 2.0 - 1.0
    raise ValueError(f"unknown prior {prior!r}: choose one of {PRIORS}")


def in_batches(fn, array, size=1000, labels=None):
    """fn(Tensor(batch)) (or fn(Tensor(batch), labels of the batch)) over batches of `size` rows of
    the host array, concatenated as a host array: an encoder's codes or reconstructions of a whole
    dataset without holding every activation at once."""
    from minigan.backend import module

    outputs = []
    for i in range(0, len(array), size):
        batch = Tensor(module().asarray(array[i:i + size]))
        out = fn(batch) if labels is None else fn(batch, labels[i:i + size])
        outputs.append(out.numpy())
    return np.concatenate(outputs)


def next_labelled_batch(real):
    """(x, labels) for one iteration of an algorithm that needs the labels (the conditional GAN):
    `real` itself if it is such a pair, else the next pair of the iterator."""
    batch = real if isinstance(real, tuple) else next(real)
    if not (isinstance(batch, tuple) and len(batch) == 2):
        raise ValueError("this algorithm needs labelled batches (x, labels): train it on a dataset with labels "
                         "(digits, MNIST, the 2-D mixtures' mode indices: minigan.data.labelled)")
    return batch


def next_batch(real):
    """A real batch for one discriminator iteration: `real` itself if it is a Tensor, else the next
    batch of the iterator (a fresh batch for every iteration, as Algorithm 1 samples)."""
    if isinstance(real, Tensor):
        return real
    batch = next(real)
    return batch[0] if isinstance(batch, tuple) else batch


class Algorithm(abc.ABC):
    """The two players, their optimizers and the prior, and what every algorithm does alike:
    drawing z, sampling, the average of G's iterates, and checkpoints. Each algorithm writes its
    own `discriminator_step`, `generator_step` and `step`: the lecture's lines.

    PRIORS: the names of p_z that the algorithm accepts (the adversarial autoencoder adds its own).

    schedules: learning-rate schedules (minigan.optim.schedule) that `step` advances.
    ema_decay: None, or β of an exponential moving average of G's weights, updated after every
    generator step (minigan.optim.averaging); `sample` then draws from the average.
    """

    PRIORS = PRIORS
    needs_labels = False   # True: `step` takes labelled batches (x, labels) (base.next_labelled_batch)

    def __init__(self, generator, discriminator, opt_g, opt_d, latent_dim, prior, schedules=(), ema_decay=None):
        if prior not in self.PRIORS:
            raise ValueError(f"prior must be one of {self.PRIORS}, got {prior!r}")
        if not (isinstance(latent_dim, int) and latent_dim >= 1):
            raise ValueError(f"latent_dim (the size of z) must be a positive integer, got {latent_dim!r}")
        self.generator, self.discriminator = generator, discriminator
        self.opt_g, self.opt_d = opt_g, opt_d
        self.latent_dim, self.prior = latent_dim, prior
        self.schedules = list(schedules)
        self.generator_average = (None if ema_decay is None
                                  else ExponentialMovingAverage(generator.parameters(), ema_decay))

    @abc.abstractmethod
    def discriminator_step(self, real):
        """One update of the discriminator (the critic, the autoencoder) on the batch `real`."""

    @abc.abstractmethod
    def generator_step(self, m):
        """One update of the generator on m codes z ~ p_z."""

    @abc.abstractmethod
    def step(self, real):
        """One iteration of the algorithm; returns plain floats for the log."""

    def alternate(self, real):
        """One discriminator step on a real batch (or the next batch of an iterator), then one
        generator step on as many codes, then the schedules: an iteration with one D step (k = 1)."""
        batch = next_batch(real)
        stats = {**self.discriminator_step(batch), **self.generator_step(batch.shape[0])}
        for schedule in self.schedules:
            schedule.step()
        return stats

    def noise(self, m):
        """[GAN-1] z ~ p_z, m codes."""
        return sample_noise(m, self.latent_dim, self.prior)

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
        with evaluating(self.generator), self.sampling_weights():
            return self.generator(self.noise(n))

    def extra_state(self):
        """The algorithm's own state for checkpoints (k_t, a counter, ...), plain numbers."""
        return {}

    def load_extra_state(self, state):
        """Restore what `extra_state` saved (nothing, unless the algorithm keeps state of its own)."""
        return None

    def state_dict(self):
        state = {"generator": self.generator.state_dict(), "discriminator": self.discriminator.state_dict(),
                 "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(),
                 "schedules": [schedule.state_dict() for schedule in self.schedules], **self.extra_state()}
        if self.generator_average is not None:
            state["generator_average"] = self.generator_average.state_dict()
        return state

    def load_state_dict(self, state):
        self.generator.load_state_dict(state["generator"])
        self.discriminator.load_state_dict(state["discriminator"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        for schedule, saved in zip(self.schedules, state["schedules"]):
            schedule.load_state_dict(saved)
        if self.generator_average is not None:
            self.generator_average.load_state_dict(state["generator_average"])
        self.load_extra_state(state)
