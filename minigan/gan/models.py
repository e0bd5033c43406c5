"""The lecture's networks: MLPs for the 2-D mixtures, DCGAN for images (Radford et al. 2015).

DCGAN generator:  z → Linear → BatchNorm → ReLU → [ConvTranspose2d(k4, s2, p1) → BatchNorm → ReLU]* →
                  ConvTranspose2d(k4, s2, p1) → Tanh, doubling the side at each transposed convolution.
DCGAN discriminator: [Conv2d(k4, s2, p1) → (BatchNorm) → LeakyReLU(0.2)]* → Linear → a logit (no sigmoid:
                  the losses work on logits). Both start from the DCGAN initialisation (conv weights
                  N(0, 0.02), batch-norm weights N(1, 0.02), biases 0). Batch norm and a spherical z are
                  the lecture's tips for stable training (GAN-HARD).
"""
from dataclasses import dataclass

from minigan import nn

SIDES = (8, 16, 28, 32, 64)


def mlp(sizes, activation, out_activation=None):
    """Linear layers of the given sizes with `activation()` between them."""
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(activation())
    if out_activation is not None:
        layers.append(out_activation())
    return nn.Sequential(*layers)


def mlp_generator(latent_dim, out_dim, hidden=256, depth=3):
    """z → depth × (Linear → ReLU) → Linear: the generator for 2-D data."""
    return mlp([latent_dim] + [hidden] * depth + [out_dim], nn.ReLU)


def mlp_discriminator(in_dim, hidden=256, depth=3):
    """x → depth × (Linear → LeakyReLU(0.2)) → Linear → a logit."""
    return mlp([in_dim] + [hidden] * depth + [1], lambda: nn.LeakyReLU(0.2))


def _start_side(side):
    """The side of the first feature map: 7 for 28×28 (7 → 14 → 28), else 4 (2 for 8×8)."""
    if side not in SIDES:
        raise ValueError(f"DCGAN models are built for images of side {SIDES}, got {side}")
    return 7 if side == 28 else (2 if side == 8 else 4)


def dcgan_generator(latent_dim, image_shape, width=64):
    """DCGAN generator for images of shape (C, H, H), H in SIDES; `width` channels before the last layer."""
    channels, side = image_shape[0], image_shape[1]
    start = _start_side(side)
    n_up = (side // start).bit_length() - 1
    widths = [width * 2 ** i for i in reversed(range(n_up))]       # e.g. 256, 128, 64
    layers = [nn.Linear(latent_dim, widths[0] * start * start), nn.BatchNorm1d(widths[0] * start * start), nn.ReLU(),
              nn.Unflatten(1, (widths[0], start, start))]
    for a, b in zip(widths[:-1], widths[1:]):
        layers += [nn.ConvTranspose2d(a, b, 4, stride=2, padding=1), nn.BatchNorm2d(b), nn.ReLU()]
    layers += [nn.ConvTranspose2d(widths[-1], channels, 4, stride=2, padding=1), nn.Tanh()]
    model = nn.Sequential(*layers)
    model.apply(nn.init.dcgan_init)
    return model


def dcgan_discriminator(image_shape, width=64, batch_norm=True):
    """DCGAN discriminator (a critic with batch_norm=False, as WGAN-GP needs): strided convolutions
    halving the side down to the generator's start side, then one Linear layer to a logit."""
    channels, side = image_shape[0], image_shape[1]
    start = _start_side(side)
    n_down = (side // start).bit_length() - 1
    layers, a = [], channels
    for i in range(n_down):
        b = width * 2 ** i
        layers.append(nn.Conv2d(a, b, 4, stride=2, padding=1))
        if batch_norm and i > 0:
            layers.append(nn.BatchNorm2d(b))
        layers.append(nn.LeakyReLU(0.2))
        a = b
    layers += [nn.Flatten(), nn.Linear(a * start * start, 1)]
    model = nn.Sequential(*layers)
    model.apply(nn.init.dcgan_init)
    return model


@dataclass
class ModelSpec:
    """Networks and the training defaults that give a good result on a dataset."""
    generator: nn.Module
    discriminator: nn.Module
    lr: float
    betas: tuple
    batch_size: int
    steps: int


def for_data(data, latent_dim=None, critic=False):
    """The models and defaults for a dataset: MLPs for 2-D mixtures, DCGAN for images.
    critic=True leaves batch norm out of the discriminator (WGAN-GP's penalty is per sample)."""
    if hasattr(data, "centers"):  # a 2-D mixture
        latent_dim = latent_dim or 16
        return ModelSpec(mlp_generator(latent_dim, 2), mlp_discriminator(2), lr=2e-4, betas=(0.5, 0.999),
                         batch_size=256, steps=3000)
    latent_dim = latent_dim or 64
    shape = data.image_shape
    return ModelSpec(dcgan_generator(latent_dim, shape), dcgan_discriminator(shape, batch_norm=not critic),
                     lr=2e-4, betas=(0.5, 0.999), batch_size=64, steps=3000)
