"""ALI/BiGAN's networks (Dumoulin et al. 2016; Donahue et al. 2016): an encoder E: x → z beside the
generator G: z → x, and a discriminator on joint pairs (x, z).

    JointDiscriminator   D(x, z) = joint([x_path(x), z_path(z)]): x and z each through their own
                         layers, then together (ALI's XZJointDiscriminator; BiGAN injects z into D's
                         hidden layers). x first, z second, always.
    GaussianEncoder      ALI's stochastic encoder q(z | x) = N(μ(x), diag σ(x)²), sampled by the
                         reparametrisation z = μ(x) + σ(x) ⊙ ε, ε ~ N(0, I); `mean(x)` = μ(x).
    a plain network      BiGAN's deterministic encoder z = E(x).
"""
from minigan import nn
from minigan.creation import randn
from minigan.gan.models import mlp
from minigan.ops import concat


def _leaky():
    return nn.LeakyReLU(0.2)


class JointDiscriminator(nn.Module):
    """D(x, z) → a logit (N, 1): x_path(x) and z_path(z) concatenated, then joint."""

    def __init__(self, x_path, z_path, joint):
        super().__init__()
        self.x_path, self.z_path, self.joint = x_path, z_path, joint

    def forward(self, x, z):
        if x.shape[0] != z.shape[0]:
            raise ValueError(f"D judges pairs (x, z): got {x.shape[0]} samples x and {z.shape[0]} codes z")
        return self.joint(concat([self.x_path(x), self.z_path(z)], axis=1))


class GaussianEncoder(nn.Module):
    """q(z | x) = N(μ(x), diag σ(x)²): `net` maps x to 2d numbers, μ and log σ; forward draws
    z = μ + σ ⊙ ε (the reparametrisation: z is differentiable in μ and σ), `mean` returns μ."""

    def __init__(self, net, latent_dim):
        super().__init__()
        self.net, self.latent_dim = net, latent_dim

    def moments(self, x):
        out = self.net(x)
        d = self.latent_dim
        return out[:, :d], out[:, d:].clip(-10.0, 5.0)             # μ, log σ (clipped against overflow)

    def mean(self, x):
        return self.moments(x)[0]

    def forward(self, x):
        mu, log_sigma = self.moments(x)
        return mu + log_sigma.exp() * randn(*mu.shape, dtype=mu.dtype)


def ali_networks(data_dim, latent_dim, hidden, image_shape=None, stochastic=False, generator_activation=None):
    """(E, G, D) for data of `data_dim` coordinates (images: flattened, with image_shape given):
    E x → [hidden LeakyReLU(0.2)] × 2 → z (2z for the stochastic encoder); G z → [hidden] × 2 → x
    (ReLU hidden units and a tanh output for images; tanh hidden units for points, as the GAN's
    2-D generator, with `generator_activation` to choose); D: x → hidden and z → hidden
    (LeakyReLU), joined → hidden → a logit."""
    flatten = [nn.Flatten()] if image_shape else []
    encoder_net = nn.Sequential(*flatten, mlp([data_dim, hidden, hidden, latent_dim * (2 if stochastic else 1)],
                                              _leaky))
    encoder = GaussianEncoder(encoder_net, latent_dim) if stochastic else encoder_net
    if image_shape:
        hidden_units = generator_activation or nn.ReLU
        generator = nn.Sequential(mlp([latent_dim, hidden, hidden, data_dim], hidden_units, nn.Tanh),
                                  nn.Unflatten(1, tuple(image_shape)))
    else:
        generator = mlp([latent_dim, hidden, hidden, hidden, data_dim], generator_activation or nn.Tanh)
    discriminator = JointDiscriminator(nn.Sequential(*flatten, nn.Linear(data_dim, hidden), _leaky()),
                                       nn.Sequential(nn.Linear(latent_dim, hidden), _leaky()),
                                       nn.Sequential(nn.Linear(2 * hidden, hidden), _leaky(), nn.Linear(hidden, 1)))
    return encoder, generator, discriminator
