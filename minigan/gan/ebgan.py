"""EBGAN, the energy-based GAN (Zhao, Mathieu & LeCun 2016): BEGAN's parent.

The discriminator is an autoencoder (minigan.gan.began_models.Autoencoder, BEGAN's), and its
reconstruction error is an energy, low on the data and high elsewhere:

    D(x) = ‖Dec(Enc(x)) − x‖                                              [VAR-EBGAN-1]
    L_D(x, z) = D(x) + [m − D(G(z))]⁺,   [·]⁺ = max(0, ·)                 [VAR-EBGAN-1]
    L_G(z)    = D(G(z)) + λ_PT f_PT(S)                                     [VAR-EBGAN-1, VAR-EBGAN-2]
    f_PT(S)   = 1/(N(N−1)) Σ_i Σ_{j≠i} (S_iᵀ S_j / (‖S_i‖ ‖S_j‖))²        [VAR-EBGAN-2]

with S the encoder's codes Enc(G(z)) of the generated batch. D pushes the energy of real samples
down and that of fakes up, but only up to the margin m: a fake whose energy is already ≥ m gives
D no gradient (the hinge is per sample, as the paper's L_D(x, z)). G pulls its samples' energy
down, and the pulling-away term (in L_G only) pushes the codes of its batch apart, against mode
collapse. At the equilibrium of the paper's Theorem 2 both energies settle at one constant γ ∈ [0, m]
(and L_D → m).

BEGAN keeps the autoencoder and replaces the margin with the equilibrium controller k_t.
"""
from minigan.autograd import no_grad
from minigan.creation import eye
from minigan.functional import relu
from minigan.gan.base import Algorithm
from minigan.nn.utils import frozen

ENERGIES = ("mse", "norm")


def energy(v, reconstruction, kind="mse"):
    """[VAR-EBGAN-1] The energy of each sample, a Tensor of shape (N,):

        kind="norm": D(v) = ‖Dec(Enc(v)) − v‖₂, the paper's
        kind="mse":  D(v) = ‖Dec(Enc(v)) − v‖₂² / d, the mean squared error over v's d coordinates
                     (what most implementations use; the margin m is on this scale)

    v and reconstruction: (N, ...) of the same shape."""
    if tuple(v.shape) != tuple(reconstruction.shape):
        raise ValueError(f"the autoencoder's output has shape {tuple(reconstruction.shape)}, its input "
                         f"{tuple(v.shape)}: an EBGAN discriminator must reconstruct its input")
    residual = (reconstruction - v).reshape(v.shape[0], -1)
    squared = (residual * residual).sum(axis=1)
    if kind == "mse":
        return squared / residual.shape[1]
    if kind == "norm":
        return (squared + 1e-12).sqrt()
    raise ValueError(f"unknown energy {kind!r}: choose one of {ENERGIES}")


def margin_loss(energy_real, energy_fake, margin):
    """[VAR-EBGAN-1] L_D = (1/N) Σ_i D(x_i) + [m − D(G(z_i))]⁺, the hinge on each fake's energy (not on
    the batch's mean energy), the real energies pushed down without a margin."""
    return energy_real.mean() + relu(margin - energy_fake).mean()


def pulling_away(codes):
    """[VAR-EBGAN-2] f_PT(S) = 1/(N(N−1)) Σ_i Σ_{j≠i} (S_iᵀ S_j / (‖S_i‖ ‖S_j‖))²: the mean squared cosine
    similarity between the codes of different samples of a batch (0 for orthogonal codes, 1 for
    parallel ones). codes: (N, s), N ≥ 2; returns a scalar Tensor."""
    n = codes.shape[0]
    if codes.ndim != 2 or n < 2:
        raise ValueError(f"the pulling-away term needs a batch of at least 2 codes of shape (N, s), "
                         f"got shape {tuple(codes.shape)}")
    unit = codes / ((codes * codes).sum(axis=1, keepdims=True) + 1e-24).sqrt()   # S_i / ‖S_i‖
    cosine = unit @ unit.T                                                       # S_iᵀ S_j / (‖S_i‖ ‖S_j‖)
    off_diagonal = 1.0 - eye(n, dtype=codes.dtype)                               # the pairs j ≠ i only
    return (cosine * cosine * off_diagonal).sum() / (n * (n - 1))


class EBGAN(Algorithm):
    """Alternating updates, as the vanilla GAN: one descent step of D on L_D, then one of G on L_G
    through the fixed autoencoder (which differentiates through both occurrences of G(z) in
    ‖Dec(Enc(G(z))) − G(z)‖: no detached target).

    generator: z (m, latent_dim) → samples; autoencoder: a minigan.gan.began_models.Autoencoder
    (`.encoder`, `.decoder`), samples → reconstructions of the same shape.
    margin m > 0 on the scale of `energy` ("mse" or "norm", see `energy`); pt_weight λ_PT ≥ 0 (the
    paper's 0.1; 0 turns the pulling-away term off).
    """

    def __init__(self, generator, autoencoder, opt_g, opt_d, margin=1.0, pt_weight=0.1, energy="mse",
                 latent_dim=64, prior="normal", schedules=(), ema_decay=None):
        if not margin > 0:
            raise ValueError(f"margin m must be positive (L_D = D(x) + [m − D(G(z))]⁺, VAR-EBGAN-1), got {margin}")
        if not pt_weight >= 0:
            raise ValueError(f"pt_weight (λ_PT, the pulling-away term's weight) must be >= 0, got {pt_weight}")
        if energy not in ENERGIES:
            raise ValueError(f"unknown energy {energy!r}: choose one of {ENERGIES}")
        if not (hasattr(autoencoder, "encoder") and hasattr(autoencoder, "decoder")):
            raise TypeError("EBGAN's discriminator is an autoencoder with .encoder and .decoder "
                            "(minigan.gan.began_models.Autoencoder); the pulling-away term needs the codes")
        super().__init__(generator, autoencoder, opt_g, opt_d, latent_dim, prior, schedules, ema_decay)
        self.margin, self.pt_weight, self.energy_kind = float(margin), float(pt_weight), energy

    def energies(self, v):
        """(D(v) per sample, the codes Enc(v)): one pass through the autoencoder."""
        codes = self.discriminator.encoder(v)
        return energy(v, self.discriminator.decoder(codes), self.energy_kind), codes

    def discriminator_loss(self, real, fake):
        """[VAR-EBGAN-1] L_D = mean D(x) + mean [m − D(G(z))]⁺ (fake: a constant batch G(z))."""
        energy_real, _ = self.energies(real)
        energy_fake, _ = self.energies(fake)
        return margin_loss(energy_real, energy_fake, self.margin), energy_real, energy_fake

    def generator_loss(self, fake):
        """[VAR-EBGAN-1, VAR-EBGAN-2] L_G = mean D(G(z)) + λ_PT f_PT(Enc(G(z)))."""
        energy_fake, codes = self.energies(fake)
        loss = energy_fake.mean()
        if self.pt_weight:
            loss = loss + self.pt_weight * pulling_away(codes.reshape(codes.shape[0], -1))
        return loss, energy_fake

    def discriminator_step(self, real):
        """[VAR-EBGAN-1] One descent step of the autoencoder on L_D, G fixed."""
        with no_grad():
            fake = self.generator(self.noise(real.shape[0]))
        loss, energy_real, energy_fake = self.discriminator_loss(real, fake)
        self.opt_d.zero_grad()
        loss.backward()
        self.opt_d.step()
        return {"loss_d": loss.item(), "D(x)": energy_real.mean().item(), "D(G(z))": energy_fake.mean().item(),
                "above_margin": float((energy_fake.data >= self.margin).mean())}

    def generator_step(self, m):
        """[VAR-EBGAN-1] One descent step of G on L_G through the fixed autoencoder."""
        with frozen(self.discriminator):
            loss, _ = self.generator_loss(self.generator(self.noise(m)))
            self.opt_g.zero_grad()
            loss.backward()
        self.opt_g.step()
        self.update_average()
        return {"loss_g": loss.item()}

    def step(self, real):
        """One D step on a real batch, then one G step on as many codes."""
        return self.alternate(real)
