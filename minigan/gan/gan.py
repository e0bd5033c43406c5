"""The vanilla GAN: Goodfellow et al.'s Algorithm 1, one generator iteration per `step`.

    for k steps:                                               [GAN-3]
        sample m noise z ~ p_z and m examples x ~ p_data
        ascend ∇_θd (1/m) Σ [log D(x_i) + log(1 - D(G(z_i)))]
    sample m noise z
    descend ∇_θg (1/m) Σ log(1 - D(G(z_i)))                    [GAN-4]
    (or, non-saturating, descend -(1/m) Σ log D(G(z_i)))       [GAN-5]
"""
from minigan.autograd import no_grad
from minigan.functional import sigmoid
from minigan.gan import losses
from minigan.gan.base import Algorithm, next_batch
from minigan.nn.utils import frozen


class GAN(Algorithm):
    """Algorithm 1 with `k` discriminator steps per generator step.

    generator: z (m, latent_dim) -> samples; discriminator: samples -> logits (m, 1).
    generator_loss: "non_saturating" (GAN-5, the default, as every practical GAN) or "minimax" (GAN-4).
    schedules, ema_decay: see minigan.gan.base.Algorithm (stepped once per generator iteration).
    """

    def __init__(self, generator, discriminator, opt_g, opt_d, k=1, generator_loss="non_saturating",
                 latent_dim=64, prior="normal", schedules=(), ema_decay=None):
        if k < 1:
            raise ValueError(f"k (discriminator steps per generator step) must be at least 1, got {k}")
        if generator_loss not in losses.GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {sorted(losses.GENERATOR_LOSSES)}, got {generator_loss!r}")
        super().__init__(generator, discriminator, opt_g, opt_d, latent_dim, prior, schedules, ema_decay)
        self.k, self.generator_loss = int(k), generator_loss

    def discriminator_step(self, real):
        """[GAN-3] One ascent step of D on a real batch and as many fresh fakes."""
        with no_grad():
            fake = self.generator(self.noise(real.shape[0]))  # G is fixed during D's step
        real_logits, fake_logits = self.discriminator(real), self.discriminator(fake)
        loss = losses.discriminator_loss(real_logits, fake_logits)   # -(1/m) Σ [log D(x) + log(1 - D(G(z)))]
        self.opt_d.zero_grad()
        loss.backward()
        self.opt_d.step()
        return {"loss_d": loss.item(), "D(x)": float(sigmoid(real_logits).data.mean()),
                "D(G(z))": float(sigmoid(fake_logits).data.mean())}

    def generator_step(self, m):
        """[GAN-4] / [GAN-5] One descent step of G through the fixed discriminator."""
        with frozen(self.discriminator):                  # D's parameters are constants here
            fake_logits = self.discriminator(self.generator(self.noise(m)))
            loss = losses.GENERATOR_LOSSES[self.generator_loss](fake_logits)
            self.opt_g.zero_grad()
            loss.backward()
        self.opt_g.step()
        self.update_average()
        return {"loss_g": loss.item()}

    def step(self, real):
        """One iteration of Algorithm 1; `real` is a batch or an iterator of fresh batches."""
        for _ in range(self.k):                           # [GAN-3] k discriminator steps
            batch = next_batch(real)
            stats = self.discriminator_step(batch)
        stats = {**stats, **self.generator_step(batch.shape[0])}   # [GAN-4] one generator step
        for schedule in self.schedules:
            schedule.step()
        return stats
