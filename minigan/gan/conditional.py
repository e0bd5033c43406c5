"""The conditional GAN (Mirza & Osindero 2014): both players see the condition y, a one-hot class label.

    min_G max_D V(D, G) = E_{x,y~p_data}[log D(x | y)] + E_{z~p_z, y~p_y}[log(1 − D(G(z | y) | y))]   [VAR-CGAN]

It is Algorithm 1 (GAN-3, GAN-5) with every D(x) replaced by D(x | y) and every G(z) by G(z | y):
y is concatenated to z for G and to x for D (models.Conditioned). D must see y: a D(x) alone
scores a perfect "7" requested as a "3" as real, and G is free to ignore its label. The fakes'
labels are drawn from p_y (uniform over the K classes), independently of the real batch's.
"""
import numpy as np

from minigan import backend
from minigan.autograd import Tensor, no_grad
from minigan.creation import generator as _generator
from minigan.functional import sigmoid
from minigan.gan import losses
from minigan.gan.base import next_labelled_batch
from minigan.gan.gan import GAN
from minigan.nn.utils import evaluating, frozen


def check_labels(labels, n, num_classes):
    """`labels` as an int64 NumPy array of n values in [0, num_classes), or a ValueError naming
    what is wrong (the length, the values)."""
    array = backend.to_numpy(labels.data if isinstance(labels, Tensor) else labels)
    array = np.asarray(array)
    if array.ndim == 0:
        array = np.full(n, array)
    if array.shape != (n,):
        raise ValueError(f"labels must hold one label per sample: {n} values, got shape {array.shape}")
    if array.size and (array.dtype.kind not in "iu" and not np.array_equal(array, np.round(array))):
        raise ValueError(f"labels must be integers, got {array[:5].tolist()}")
    array = array.astype(np.int64)
    if array.size and (array.min() < 0 or array.max() >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes}) (the {num_classes} classes of the data), "
                         f"got values from {array.min()} to {array.max()}")
    return array


def balanced_labels(n, num_classes):
    """0, 1, …, K−1, 0, 1, …: n labels, each class equally often (±1)."""
    return np.arange(n) % num_classes


class ConditionalGAN(GAN):
    """[VAR-CGAN] Algorithm 1 for G(z | y) and D(x | y).

    generator(z, labels) -> samples; discriminator(x, labels) -> logits (m, 1) (models.Conditioned).
    num_classes: K, the number of values of y. The other arguments are GAN's. `step` takes labelled
    batches (x, labels): a pair, or an iterator of pairs (minigan.data.labelled(data)).
    """

    needs_labels = True

    def __init__(self, generator, discriminator, opt_g, opt_d, num_classes, k=1, generator_loss="non_saturating",
                 latent_dim=64, prior="normal", schedules=(), ema_decay=None):
        if not (isinstance(num_classes, int) and num_classes >= 2):
            raise ValueError(f"num_classes (the values of the condition y) must be an integer >= 2, "
                             f"got {num_classes!r}")
        super().__init__(generator, discriminator, opt_g, opt_d, k=k, generator_loss=generator_loss,
                         latent_dim=latent_dim, prior=prior, schedules=schedules, ema_decay=ema_decay)
        self.num_classes = num_classes

    def fake_labels(self, m):
        """y ~ p_y for m fakes: uniform over the K classes, drawn from minigan's generator."""
        return _generator().integers(self.num_classes, size=m)

    def discriminator_step(self, real):
        """[VAR-CGAN] One ascent step of D on a labelled real batch (x, y) and as many fakes G(z | y′),
        y′ ~ p_y: descend (1/m) Σ softplus(−D(x | y)) + (1/m) Σ softplus(D(G(z | y′) | y′))."""
        x, labels = real
        fake_labels = self.fake_labels(x.shape[0])
        with no_grad():
            fake = self.generator(self.noise(x.shape[0]), fake_labels)     # G is fixed during D's step
        real_logits = self.discriminator(x, labels)
        fake_logits = self.discriminator(fake, fake_labels)
        loss = losses.discriminator_loss(real_logits, fake_logits)   # −E log D(x | y) − E log(1 − D(G(z | y′) | y′))
        self.opt_d.zero_grad()
        loss.backward()
        self.opt_d.step()
        return {"loss_d": loss.item(), "D(x|y)": float(sigmoid(real_logits).data.mean()),
                "D(G(z|y)|y)": float(sigmoid(fake_logits).data.mean())}

    def generator_step(self, m):
        """[VAR-CGAN] One descent step of G through the fixed D: (1/m) Σ softplus(−D(G(z | y) | y)),
        the non-saturating −log D(G(z | y) | y) (GAN-5), y ~ p_y."""
        labels = self.fake_labels(m)
        with frozen(self.discriminator):
            fake_logits = self.discriminator(self.generator(self.noise(m), labels), labels)
            loss = losses.GENERATOR_LOSSES[self.generator_loss](fake_logits)
            self.opt_g.zero_grad()
            loss.backward()
        self.opt_g.step()
        self.update_average()
        return {"loss_g": loss.item()}

    def step(self, real):
        """One iteration: k steps of D on fresh labelled batches, then one step of G."""
        for _ in range(self.k):
            batch = next_labelled_batch(real)
            stats = self.discriminator_step(batch)
        stats = {**stats, **self.generator_step(batch[0].shape[0])}
        for schedule in self.schedules:
            schedule.step()
        return stats

    @no_grad()
    def sample(self, n, labels=None):
        """n samples x = G(z | y): of the given labels (one per sample, or one for all), or of every
        class equally often (0, 1, …, K−1, 0, …) when labels is None."""
        labels = balanced_labels(n, self.num_classes) if labels is None else check_labels(labels, n, self.num_classes)
        with evaluating(self.generator), self.sampling_weights():
            return self.generator(self.noise(n), labels)
