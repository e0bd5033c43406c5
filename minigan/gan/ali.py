"""ALI / BiGAN, adversarially learned inference (Dumoulin et al. 2016; Donahue et al. 2016): a GAN that
also learns the inverse map z = E(x).

The discriminator judges joint pairs: real data with its code (x, E(x)) against generated data with
the code it came from (G(z), z):

    min_{G,E} max_D V = E_{x~p_data}[log D(x, E(x))] + E_{z~p_z}[log(1 − D(G(z), z))]     [VAR-ALI]

At the optimum the two joint distributions match, and E = G⁻¹: G(E(x)) reconstructs x, although no
term of the objective asks for a reconstruction. On logits a (log D = −softplus(−a), log(1 − D) =
−softplus(a)), with the paper's Algorithm 1:

    L_D    = mean softplus(−D(x, E(x))) + mean softplus(D(G(z), z))        (D ascends V)
    L_{EG} = mean softplus(D(x, E(x))) + mean softplus(−D(G(z), z))        (the labels flipped)

the encoder and generator's loss with flipped labels, as the non-saturating GAN-5 (same fixed point,
stronger gradients early: "the generator value function"). minigan alternates the updates (one of D,
then one of E and G together), as its GAN does; the authors' code updates both at once.

BiGAN's encoder is deterministic; ALI's is stochastic, z ~ q(z | x) = N(μ(x), σ(x)²) by the
reparametrisation (minigan.gan.ali_models.GaussianEncoder), `stochastic=True` in the recipe.
"""
from minigan.autograd import no_grad
from minigan.functional import sigmoid, softplus
from minigan.gan.base import Algorithm, next_batch
from minigan.nn.utils import evaluating, frozen


def discriminator_loss(real_pair_logits, fake_pair_logits):
    """[VAR-ALI] L_D = −(1/m) Σ log D(x, E(x)) − (1/m) Σ log(1 − D(G(z), z)), on logits."""
    return softplus(-real_pair_logits).mean() + softplus(fake_pair_logits).mean()


def encoder_generator_loss(real_pair_logits, fake_pair_logits):
    """[VAR-ALI] L_EG = −(1/m) Σ log(1 − D(x, E(x))) − (1/m) Σ log D(G(z), z): the labels flipped."""
    return softplus(real_pair_logits).mean() + softplus(-fake_pair_logits).mean()


class ALI(Algorithm):
    """One `step`: one descent step of D on L_D, then one of E and G together on L_EG.

    encoder: x → z (a GaussianEncoder for ALI's stochastic E); generator: z → x; discriminator:
    D(x, z) → logits (N, 1), a minigan.gan.ali_models.JointDiscriminator. opt_g moves E's and G's
    weights (build it on both), opt_d D's.
    """

    def __init__(self, encoder, generator, discriminator, opt_g, opt_d, latent_dim=8, prior="normal",
                 schedules=(), ema_decay=None):
        super().__init__(generator, discriminator, opt_g, opt_d, latent_dim, prior, schedules, ema_decay)
        self.encoder = encoder
        moved = {id(p) for group in opt_g.param_groups for p in group["params"]} if opt_g is not None else None
        if moved is not None and not all(id(p) in moved for p in encoder.parameters()):
            raise ValueError("opt_g must move the encoder's weights too (E and G descend L_EG together): "
                             "build it on list(encoder.parameters()) + list(generator.parameters())")

    def pair_logits(self, x, z):
        """(D(x, E(x)), D(G(z), z)): the logits of the real pairs and of the generated pairs."""
        return self.discriminator(x, self.encoder(x)), self.discriminator(self.generator(z), z)

    def discriminator_step(self, real):
        """[VAR-ALI] One descent step of D on L_D; E and G fixed. The batch is kept for the next
        `generator_step`, whose loss needs real pairs too."""
        self._last_real = real
        z = self.noise(real.shape[0])
        with no_grad():
            code, fake = self.encoder(real), self.generator(z)
        real_logits, fake_logits = self.discriminator(real, code), self.discriminator(fake, z)
        loss = discriminator_loss(real_logits, fake_logits)
        self.opt_d.zero_grad()
        loss.backward()
        self.opt_d.step()
        return {"loss_d": loss.item(), "D(x,E(x))": float(sigmoid(real_logits).data.mean()),
                "D(G(z),z)": float(sigmoid(fake_logits).data.mean())}

    def generator_step(self, m, real=None):
        """[VAR-ALI] One descent step of E and G together on L_EG through the fixed D, on m codes z
        and the real batch `real` (the last one D saw, when None)."""
        real = getattr(self, "_last_real", None) if real is None else real
        if real is None:
            raise ValueError("ALI's generator_step needs a real batch (L_EG judges the pairs (x, E(x)) too): "
                             "pass real=..., or call discriminator_step first")
        with frozen(self.discriminator):
            real_logits, fake_logits = self.pair_logits(real, self.noise(m))
            loss = encoder_generator_loss(real_logits, fake_logits)
            self.opt_g.zero_grad()
            loss.backward()
        self.opt_g.step()
        self.update_average()
        return {"loss_g": loss.item()}

    def step(self, real):
        """One D step, then one E-and-G step, on the same real batch."""
        batch = next_batch(real)
        stats = self.discriminator_step(batch)
        stats = {**stats, **self.generator_step(batch.shape[0], batch)}
        for schedule in self.schedules:
            schedule.step()
        return stats

    @no_grad()
    def encode(self, x):
        """z = E(x) (the mean μ(x) of ALI's stochastic encoder), in eval mode, without a graph."""
        with evaluating(self.encoder):
            return self.encoder.mean(x) if hasattr(self.encoder, "mean") else self.encoder(x)

    @no_grad()
    def generate(self, z):
        """G(z) for given codes, in eval mode (with the average of G's weights where the run keeps one)."""
        with evaluating(self.generator), self.sampling_weights():
            return self.generator(z)

    def reconstruct(self, x):
        """G(E(x)), in eval mode, without a graph."""
        return self.generate(self.encode(x))

    def extra_state(self):
        return {"encoder": self.encoder.state_dict()}

    def load_extra_state(self, state):
        self.encoder.load_state_dict(state["encoder"])
