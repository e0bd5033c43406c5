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
import numpy as np

from minigan import nn
from minigan.functional import one_hot
from minigan.nn.init import normal_, zeros_
from minigan.ops import concat

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


def dcgan_generator(latent_dim, image_shape, width=64, num_classes=0):
    """DCGAN generator for images of shape (C, H, H), H in SIDES; `width` channels before the last layer.
    num_classes=K > 0: G(z | y) of the conditional GAN [VAR-CGAN], the one-hot y concatenated to z
    (a `Conditioned` network whose first layer takes latent_dim + K inputs)."""
    channels, side = image_shape[0], image_shape[1]
    start = _start_side(side)
    n_up = (side // start).bit_length() - 1
    widths = [width * 2 ** i for i in reversed(range(n_up))]       # e.g. 256, 128, 64
    layers = [nn.Linear(latent_dim + num_classes, widths[0] * start * start),
              nn.BatchNorm1d(widths[0] * start * start), nn.ReLU(),
              nn.Unflatten(1, (widths[0], start, start))]
    for a, b in zip(widths[:-1], widths[1:]):
        layers += [nn.ConvTranspose2d(a, b, 4, stride=2, padding=1), nn.BatchNorm2d(b), nn.ReLU()]
    layers += [nn.ConvTranspose2d(widths[-1], channels, 4, stride=2, padding=1), nn.Tanh()]
    model = nn.Sequential(*layers)
    model.apply(dcgan_init)
    return Conditioned(model, num_classes) if num_classes else model


def dcgan_discriminator(image_shape, width=64, batch_norm=True, num_classes=0):
    """DCGAN discriminator (a critic with batch_norm=False, as WGAN-GP needs): strided convolutions
    halving the side down to the generator's start side, then one Linear layer to a logit.
    num_classes=K > 0: D(x | y) of the conditional GAN [VAR-CGAN], y one-hot as K constant channels
    beside x's (a `Conditioned` network whose first convolution takes C + K channels)."""
    channels, side = image_shape[0], image_shape[1]
    start = _start_side(side)
    n_down = (side // start).bit_length() - 1
    layers, a = [], channels + num_classes
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
    return Conditioned(model, num_classes) if num_classes else model


def with_label(inputs, labels, num_classes):
    """[VAR-CGAN] [a, y]: the one-hot code y of `labels` concatenated to `inputs` along the features,
    as Mirza & Osindero feed the condition to both players. inputs (m, d) → (m, d + K); images
    (m, C, H, W) → (m, C + K, H, W), y repeated at every pixel as K constant channels."""
    codes = one_hot(labels, num_classes, like=inputs)
    if len(codes) != inputs.shape[0]:
        raise ValueError(f"{len(codes)} labels for a batch of {inputs.shape[0]}: give one label per row")
    if inputs.ndim == 4:
        m, _, h, w = inputs.shape
        codes = codes.reshape(m, num_classes, 1, 1).broadcast_to((m, num_classes, h, w))
    return concat([inputs, codes], axis=1)


class Conditioned(nn.Module):
    """A network that also sees a class label: f(a | y) = net([a, one_hot(y)]) (`with_label`).

    The conditional GAN's G(z | y) and D(x | y) [VAR-CGAN], the adversarial autoencoder's decoder
    dec(z | y) when it is given the label. Called as ``f(a, labels)`` with integer labels (m,).
    flatten=True: images (m, C, H, W) enter as rows of C·H·W pixels (for an MLP)."""

    def __init__(self, net, num_classes, flatten=False):
        super().__init__()
        if not (isinstance(num_classes, int) and num_classes >= 1):
            raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
        self.net, self.num_classes, self.flatten = net, num_classes, flatten

    def forward(self, inputs, labels):
        if self.flatten and inputs.ndim > 2:
            inputs = inputs.reshape(inputs.shape[0], -1)
        return self.net(with_label(inputs, labels, self.num_classes))


def conditional_mlps(latent_dim, sample_shape, num_classes, generator_units=(256, 256), generator_activation=nn.ReLU,
                     discriminator_units=(256, 256)):
    """The conditional GAN's MLPs [VAR-CGAN]: G(z | y) = mlp([z, y]) and D(x | y) = mlp([x, y]) with
    LeakyReLU(0.2) hidden units, y one-hot. sample_shape (2,): points; (C, H, W): images, G ending
    in tanh and reshaped, D reading the pixels as a row."""
    size = int(np.prod(sample_shape))
    generator = mlp([latent_dim + num_classes, *generator_units, size], generator_activation)
    if len(sample_shape) > 1:
        generator = nn.Sequential(generator, nn.Tanh(), nn.Unflatten(1, tuple(sample_shape)))
    discriminator = mlp([size + num_classes, *discriminator_units, 1], lambda: nn.LeakyReLU(0.2))
    return Conditioned(generator, num_classes), Conditioned(discriminator, num_classes, flatten=True)
