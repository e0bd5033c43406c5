"""What every adversarial algorithm in minigan shares: the prior p_z (GAN-1) and the protocol the
training loop (`minigan.gan.trainer.fit`) relies on.

The protocol. An algorithm (GAN, WGAN, WGANGP, BEGAN) has

    generator, discriminator      Modules (the discriminator is WGAN's critic, BEGAN's autoencoder)
    opt_g, opt_d                  their optimizers
    latent_dim, prior             z's size and distribution
    step(real) -> dict            ONE generator iteration with all its discriminator iterations;
                                  `real` is a Tensor batch, or an iterator of batches from which every
                                  discriminator iteration draws a fresh one (what fit() passes);
                                  returns plain floats (losses, D(x), ...) for logging
    sample(n) -> Tensor           n generated samples (generator in eval mode, no graph)
    state_dict() / load_state_dict(d)   both networks, both optimizers, and the algorithm's own
                                  state (k_t, the generator-iteration count, ...), for checkpoints
"""
from minigan.autograd import Tensor
from minigan.creation import rand, randn

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


def next_batch(real):
    """A real batch for one discriminator iteration: `real` itself if it is a Tensor, else the next
    batch of the iterator (a fresh batch for every iteration, as Algorithm 1 samples)."""
    if isinstance(real, Tensor):
        return real
    batch = next(real)
    return batch[0] if isinstance(batch, tuple) else batch
