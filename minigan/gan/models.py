"""The lecture's networks: MLPs for the 2-D mixtures, DCGAN for images (Radford et al. 2015).

DCGAN generator:  z → Linear → BatchNorm → ReLU → [ConvTranspose2d(k4, s2, p1) → BatchNorm → ReLU]* →
                  ConvTranspose2d(k4, s2, p1) → Tanh, doubling the side at each transposed convolution.
DCGAN discriminator: [Conv2d(k4, s2, p1) → (BatchNorm) → LeakyReLU(0.2)]* → Linear → a logit (no sigmoid:
                  the losses work on logits). Both start from the DCGAN initialisation (`dcgan_init`:
                  every weight N(0, 0.02), batch-norm weights N(1, 0.02), biases 0). Batch norm and a
                  spherical z are the lecture's tips for stable training [GAN-HARD].
The 2-D networks of each algorithm's recipe (minigan.gan.recipes) are here too, with what was
measured about them (docs/results.md).
"""
from minigan import nn
from minigan.nn.init import normal_, zeros_

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


def gan_mlps(latent_dim):
    """The vanilla GAN's networks for the 2-D mixtures: G a tanh MLP of 3 × 128 units, D a LeakyReLU(0.2)
    MLP of 2 × 256 units. Measured in docs/results.md: a smooth G spreads over every mode, and the
    piecewise-linear D resolves modes of std 0.01, where tanh D's leave the samples smeared between
    them and ReLU G's collapse onto one or two (GAN-HARD)."""
    return mlp([latent_dim, 128, 128, 128, 2], nn.Tanh), mlp([2, 256, 256, 1], lambda: nn.LeakyReLU(0.2))


def wgan_mlps(latent_dim, activation="relu", hidden=128):
    """The WGANs' networks for 2-D points: an MLP generator with ReLU or tanh hidden units and a
    LeakyReLU MLP critic, 3 hidden layers of `hidden` units each. Measured on PacGAN's mixtures
    (docs/results.md): saturated tanh units give the flat regions that put WGAN-GP's samples into
    the grid's tight clusters; with weight clipping the ReLU generator covers the ring better."""
    units = {"relu": nn.ReLU, "tanh": nn.Tanh}[activation]
    return mlp([latent_dim] + [hidden] * 3 + [2], units), mlp_discriminator(2, hidden=hidden)


def dcgan_init(module):
    """The DCGAN initialisation, for ``model.apply(dcgan_init)``. Radford et al.: "All weights were
    initialized from a zero-centered Normal distribution with standard deviation 0.02."

        Linear, Conv2d, ConvTranspose2d:  W ~ N(0, 0.02²),  b = 0
        BatchNorm:                        γ ~ N(1, 0.02²),  β = 0

    (PyTorch's DCGAN tutorial leaves the Linear layers at their default initialisation; the paper's
    rule is about 20% better in Fréchet distance on MNIST: docs/results.md.) Other modules are left
    as they are."""
    if isinstance(module, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)) and module.weight is not None:
        normal_(module.weight, 1.0, 0.02)
    else:
        return
    if module.bias is not None:
        zeros_(module.bias)


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
    model.apply(dcgan_init)
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
    model.apply(dcgan_init)
    return model
