"""The adversarial autoencoder (Makhzani et al. 2015): an autoencoder whose codes are made to fill a
chosen prior p(z) by a GAN on the code space. Each minibatch runs two phases:

    reconstruction  [VAR-AAE-1]  min_{enc, dec} (1/m) Σ ‖x − dec(enc(x))‖²     (per pixel: the mean)
    regularisation  [VAR-AAE-2]  D ascends (1/m) Σ [log D(z′) + log(1 − D(enc(x)))],  z′ ~ p(z)
                                 then the encoder, as the generator, descends −(1/m) Σ log D(enc(x))

The discriminator sees codes only (a D on images would make an autoencoder-GAN, another model).
Generation: x = dec(z), z ~ p(z). With the label given to the decoder, dec(z | y), the class comes
from y and the code is left to hold the style (the paper's style/content split).

Priors: "normal", N(0, I); "mixture", 10 two-dimensional Gaussians on a circle (the paper's figure):
component k is N((1.4, 0), diag(0.5², 0.05²)) rotated by 2πk/10, a petal pointing outwards.
"""
import numpy as np

import minigan.functional as F
from minigan import backend
from minigan.autograd import Tensor, no_grad
from minigan.creation import generator as _generator
from minigan.creation import randn
from minigan.gan import losses
from minigan.gan.base import Algorithm, next_batch, next_labelled_batch
from minigan.gan.conditional import check_labels
from minigan.nn.utils import evaluating, frozen

AAE_PRIORS = ("normal", "mixture")
MIXTURE = dict(components=10, shift=1.4, radial_std=0.5, tangential_std=0.05)


def mixture_angles(components=MIXTURE["components"]):
    """θ_k = 2πk/K, the directions of the mixture prior's K petals."""
    return 2 * np.pi * np.arange(components) / components


def sample_mixture_prior(n, components=MIXTURE["components"], shift=MIXTURE["shift"],
                         radial_std=MIXTURE["radial_std"], tangential_std=MIXTURE["tangential_std"]):
    """n draws of the 2-D mixture prior: k ~ U{0, …, K−1}, u ~ N((shift, 0), diag(σ_r², σ_t²)),
    z = R(θ_k) u. Returns (points float64 (n, 2), components int64 (n,)), from minigan's generator."""
    rng = _generator()
    k = rng.integers(components, size=n)
    u = np.stack([shift + radial_std * rng.standard_normal(n), tangential_std * rng.standard_normal(n)], axis=1)
    theta = mixture_angles(components)[k]
    cos, sin = np.cos(theta), np.sin(theta)
    return np.stack([cos * u[:, 0] - sin * u[:, 1], sin * u[:, 0] + cos * u[:, 1]], axis=1), k


def prior_density(points, prior):
    """p(z) at points (n, d) (NumPy, float64): N(0, I)'s density, or the mixture's (d = 2)."""
    z = np.asarray(points, dtype=np.float64)
    if prior == "normal":
        return np.exp(-0.5 * (z * z).sum(1)) / (2 * np.pi) ** (z.shape[1] / 2)
    if prior != "mixture":
        raise ValueError(f"unknown prior {prior!r}: choose one of {AAE_PRIORS}")
    density = np.zeros(len(z))
    s_r, s_t = MIXTURE["radial_std"], MIXTURE["tangential_std"]
    for theta in mixture_angles():
        radial = z[:, 0] * np.cos(theta) + z[:, 1] * np.sin(theta) - MIXTURE["shift"]
        tangential = -z[:, 0] * np.sin(theta) + z[:, 1] * np.cos(theta)
        density += np.exp(-0.5 * ((radial / s_r) ** 2 + (tangential / s_t) ** 2)) / (2 * np.pi * s_r * s_t)
    return density / MIXTURE["components"]


def sample_code_prior(n, latent_dim, prior):
    """[VAR-AAE-2] z′ ~ p(z): n codes (a Tensor (n, latent_dim)) of the prior "normal" or "mixture"
    (which is 2-D: latent_dim must be 2)."""
    if prior == "normal":
        return randn(n, latent_dim)
    if prior == "mixture":
        if latent_dim != 2:
            raise ValueError(f"the mixture prior is 2-D (10 Gaussians on a circle): the code size must be 2, "
                             f"got {latent_dim}")
        points, _ = sample_mixture_prior(n)
        return Tensor(backend.module().asarray(points.astype(np.float32)))
    raise ValueError(f"unknown prior {prior!r}: choose one of {AAE_PRIORS}")


def reconstruction_loss(x_hat, x):
    """[VAR-AAE-1] (1/m) Σ ‖x − x̂‖² / (pixels): the squared error per pixel (or coordinate)."""
    return F.mse_loss(x_hat, x)


class AdversarialAutoencoder(Algorithm):
    """[VAR-AAE-1, VAR-AAE-2] The adversarial autoencoder, one minibatch per `step`, in three updates:
    the autoencoder's reconstruction, D on prior samples against codes, the encoder against D.

    encoder: x -> z (m, latent_dim) (deterministic, linear output); decoder: z -> x, or (z, labels)
    -> x when num_classes > 0 (models.Conditioned); discriminator: z -> logits (m, 1).
    opt_ae: the reconstruction phase's optimizer, over the encoder's and the decoder's parameters;
    opt_d: D's; opt_e: the encoder's in the regularisation phase. prior: "normal" or "mixture".
    Samples are dec(z), z ~ p(z) (the decoder plays the generator's part in `sample`).
    """

    PRIORS = AAE_PRIORS

    def __init__(self, encoder, decoder, discriminator, opt_ae, opt_d, opt_e, latent_dim, prior="normal",
                 num_classes=0, schedules=()):
        super().__init__(decoder, discriminator, opt_ae, opt_d, latent_dim, prior, schedules)
        if prior == "mixture" and latent_dim != 2:
            raise ValueError(f"the mixture prior is 2-D (10 Gaussians on a circle): the code size must be 2, "
                             f"got {latent_dim}")
        self.encoder, self.decoder, self.opt_e = encoder, decoder, opt_e
        self.opt_ae = opt_ae
        self.num_classes = num_classes or None
        self.needs_labels = bool(num_classes)

    def noise(self, m):
        """z′ ~ p(z), m codes of the prior."""
        return sample_code_prior(m, self.latent_dim, self.prior)

    def _decode(self, z, labels):
        return self.decoder(z, labels) if self.num_classes else self.decoder(z)

    def reconstruction_step(self, x, labels=None):
        """[VAR-AAE-1] One descent step of the encoder and the decoder on ‖x − dec(enc(x))‖² per pixel."""
        loss = reconstruction_loss(self._decode(self.encoder(x), labels), x)
        self.opt_ae.zero_grad()
        loss.backward()
        self.opt_ae.step()
        return {"loss_rec": loss.item()}

    def discriminator_step(self, real):
        """[VAR-AAE-2] One ascent step of D: prior samples z′ are "real", the codes enc(x) "fake";
        descend (1/m) Σ softplus(−D(z′)) + (1/m) Σ softplus(D(enc(x))), the encoder fixed."""
        with no_grad():
            codes = self.encoder(real)                        # the encoder is fixed during D's step
        prior_logits, code_logits = self.discriminator(self.noise(real.shape[0])), self.discriminator(codes)
        loss = losses.discriminator_loss(prior_logits, code_logits)
        self.opt_d.zero_grad()
        loss.backward()
        self.opt_d.step()
        return {"loss_d": loss.item(), "D(z')": float(F.sigmoid(prior_logits).data.mean()),
                "D(enc(x))": float(F.sigmoid(code_logits).data.mean())}

    def generator_step(self, real):
        """[VAR-AAE-2] One descent step of the encoder, the generator of codes, through the fixed D:
        −(1/m) Σ log D(enc(x)) = (1/m) Σ softplus(−D(enc(x))) (non-saturating, GAN-5). Unlike a
        GAN's generator step it takes the real batch: the codes are made from data."""
        with frozen(self.discriminator):                     # D's parameters are constants here
            loss = losses.non_saturating_generator_loss(self.discriminator(self.encoder(real)))
            self.opt_e.zero_grad()
            loss.backward()
        self.opt_e.step()
        return {"loss_e": loss.item()}

    def step(self, real):
        """One minibatch: the reconstruction phase, then the regularisation phase (D, then the encoder)."""
        if self.num_classes:
            x, labels = next_labelled_batch(real)
        else:
            x, labels = next_batch(real), None
        stats = self.reconstruction_step(x, labels)          # [VAR-AAE-1]
        stats.update(self.discriminator_step(x))             # [VAR-AAE-2] D on z′ ~ p(z) vs enc(x)
        stats.update(self.generator_step(x))                 # [VAR-AAE-2] the encoder against D
        for schedule in self.schedules:
            schedule.step()
        return stats

    def _labels(self, labels, n):
        if not self.num_classes:
            if labels is not None:
                raise ValueError("this adversarial autoencoder's decoder takes no label (train it with "
                                 "the label given to the decoder to pass one)")
            return None
        if labels is None:
            raise ValueError(f"this decoder takes the label too: pass labels (n,) in [0, {self.num_classes})")
        return check_labels(labels, n, self.num_classes)

    @no_grad()
    def encode(self, x):
        """z = enc(x) for a batch x (a Tensor in the data's space), without a graph."""
        with evaluating(self.encoder):
            return self.encoder(x)

    @no_grad()
    def decode(self, z, labels=None):
        """x = dec(z) (or dec(z | y) with the labels, when the decoder takes them), without a graph."""
        with evaluating(self.decoder):
            return self._decode(z, self._labels(labels, z.shape[0]))

    def reconstruct(self, x, labels=None):
        """x̂ = dec(enc(x))."""
        return self.decode(self.encode(x), labels)

    @no_grad()
    def sample(self, n, labels=None):
        """n samples x = dec(z), z ~ p(z); with a label-conditioned decoder, of the given labels (every
        class equally often when None)."""
        if self.num_classes and labels is None:
            labels = np.arange(n) % self.num_classes
        return self.decode(self.noise(n), labels)

    def state_dict(self):
        return {**super().state_dict(), "encoder": self.encoder.state_dict(), "opt_e": self.opt_e.state_dict()}

    def load_state_dict(self, state):
        super().load_state_dict(state)
        self.encoder.load_state_dict(state["encoder"])
        self.opt_e.load_state_dict(state["opt_e"])
