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
from minigan.autograd import no_grad
from minigan.gan.base import Algorithm, next_batch
from minigan.nn.utils import frozen
from minigan.optim.schedule import HalveOnPlateau


class BEGAN(Algorithm):
    """One call of `step` is one simultaneous update of D and G (the paper: "while the updates are
    made simultaneously, they are still adversarial ... optimize θ_D and θ_G independently with
    respect to their corresponding losses"), then the k_t update with the same, pre-update, losses.

    Each player gets the gradient of its own loss only: `losses` and `generator_step` build L_G with
    D's parameters frozen, and `step` gives θ_D the gradient of L(G(z)) times −k_t, the fake term of
    L_D (carpedm20/BEGAN-pytorch adds d_loss and g_loss and calls backward once, so that D descends
    L(x) + (1 − k_t) L(G(z)): its issue #4).

    generator: z (m, latent_dim) → samples; autoencoder (the discriminator): samples → reconstructions
    of the same shape.
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
        schedules = [] if lr_patience is None else [
            HalveOnPlateau(opt, lr_patience, min_lr=opt.param_groups[0]["lr"] / 4 if min_lr is None else min_lr)
            for opt in (opt_g, opt_d)]
        super().__init__(generator, autoencoder, opt_g, opt_d, latent_dim, prior, schedules, ema_decay)
        self.gamma, self.lambda_k = float(gamma), float(lambda_k)
        self.k_t = 0.0                                                    # [BEGAN-3] k_0 = 0

    def reconstruction_loss(self, v):
        """[BEGAN-1] L(v) = mean |v − D(v)| over the batch and every coordinate (η = 1)."""
        return (v - self.discriminator(v)).abs().mean()

    def losses(self, x, z_D, z_G):
        """[BEGAN-2] {"L(x)", "L(G(z_D))", "L_D", "L_G"} as Tensors; L_D reaches only θ_D, L_G only θ_G."""
        with no_grad():
            fake_D = self.generator(z_D)                                  # G(z_D) is a constant for D
        loss_real, loss_fake_D = self.reconstruction_loss(x), self.reconstruction_loss(fake_D)
        loss_d = loss_real - self.k_t * loss_fake_D                       # [BEGAN-2] L_D = L(x) − k_t L(G(z_D))
        with frozen(self.discriminator):                                  # D is a constant for G
            loss_g = self.reconstruction_loss(self.generator(z_G))        # [BEGAN-2] L_G = L(G(z_G))
        return {"L(x)": loss_real, "L(G(z_D))": loss_fake_D, "L_D": loss_d, "L_G": loss_g}

    def update_k(self, loss_real, loss_fake):
        """[BEGAN-3] k_{t+1} = clip(k_t + λ_k (γ L(x) − L(G(z_G))), 0, 1); returns the new k_t."""
        self.k_t = min(max(self.k_t + self.lambda_k * (self.gamma * loss_real - loss_fake), 0.0), 1.0)
        return self.k_t

    def convergence_measure(self, loss_real, loss_fake):
        """[BEGAN-5] M_global = L(x) + |γ L(x) − L(G(z_G))|."""
        return loss_real + abs(self.gamma * loss_real - loss_fake)

    def discriminator_step(self, real):
        """[BEGAN-2] D alone: one descent step on L_D = L(x) − k_t L(G(z_D)); k_t is left as it is."""
        with no_grad():
            fake = self.generator(self.noise(real.shape[0]))
        loss_real, loss_fake = self.reconstruction_loss(real), self.reconstruction_loss(fake)
        loss_d = loss_real - self.k_t * loss_fake
        self.opt_d.zero_grad()
        loss_d.backward()
        self.opt_d.step()
        return {"loss_d": loss_d.item(), "L(x)": loss_real.item()}

    def generator_step(self, m):
        """[BEGAN-2] G alone: one descent step on L_G = L(G(z_G)) through the fixed autoencoder."""
        with frozen(self.discriminator):
            loss_g = self.reconstruction_loss(self.generator(self.noise(m)))
            self.opt_g.zero_grad()
            loss_g.backward()
        self.opt_g.step()
        self.update_average()
        return {"loss_g": loss_g.item()}

    def step(self, real):
        """One BEGAN iteration on a real batch (or the next batch of an iterator): D and G updated
        simultaneously, each on its loss at the same (pre-update) weights, then k_t.

        One z serves both losses (z_D = z_G, as in BEGAN-tensorflow), so G(z) and the autoencoder's
        pass on it are computed once, and one backward through that pass gives both players their
        gradient of L(G(z)):
            ∇θ_G L_G = ∇θ_G L(G(z))                            (D constant: only θ_G is stepped)
            ∇θ_D L_D = ∇θ_D L(x) − k_t ∇θ_D L(G(z))            (G(z) constant: only θ_D is stepped)
        """
        x = next_batch(real)
        loss_real = self.reconstruction_loss(x)                           # [BEGAN-1] L(x)
        loss_fake = self.reconstruction_loss(self.generator(self.noise(x.shape[0])))   # L(G(z))
        self.opt_d.zero_grad()
        self.opt_g.zero_grad()
        loss_fake.backward()                                              # θ_G.grad = ∇L_G, θ_D.grad = ∇L(G(z))
        k_used = self.k_t
        for p in self.discriminator.parameters():
            if p.grad is not None:
                p.grad = p.grad * -k_used                                 # θ_D.grad = −k_t ∇L(G(z))
        loss_real.backward()                                              # [BEGAN-2] θ_D.grad += ∇L(x): ∇L_D
        self.opt_d.step()                                                 # θ_D ← θ_D − η ∇ L_D
        self.opt_g.step()                                                 # θ_G ← θ_G − η ∇ L_G
        self.update_average()                                             # θ̄_G, if ema_decay is set
        loss_real, loss_fake = loss_real.item(), loss_fake.item()
        m_global = self.convergence_measure(loss_real, loss_fake)         # with the losses before the update
        self.update_k(loss_real, loss_fake)
        for schedule in self.schedules:
            schedule.step(m_global)                                       # halve η when M_global stalls
        return {"loss_d": loss_real - k_used * loss_fake, "loss_g": loss_fake, "L(x)": loss_real, "k_t": k_used,
                "M_global": m_global, "lr": self.opt_g.param_groups[0]["lr"]}

    def extra_state(self):
        return {"k_t": self.k_t}

    def load_extra_state(self, state):
        self.k_t = float(state["k_t"])
