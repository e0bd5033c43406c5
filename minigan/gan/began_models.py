"""BEGAN's networks (Berthelot, Schumm, Metz 2017, §3.5): an autoencoder as the discriminator, and a
generator with the architecture of its decoder (separate weights).

    encoder  x → conv3×3 ELU → per scale s = 1..S: [conv3×3 ELU] × convs_per_scale with s·n filters,
               then a stride-2 conv3×3 ELU down (except after the last scale) → FC → h ∈ R^{N_h}
    decoder  h → FC → h₀ (n × b × b) → per scale: [conv3×3 ELU] × convs_per_scale with n filters,
               then nearest-neighbour upsampling ×2 (except after the last scale) → conv3×3 → image

The filters grow linearly with each step down (n, 2n, 3n, ...); the fully connected layers to and
from the embedding h have no non-linearity; there is no batch norm; the decoder's output has no
activation (carpedm20/BEGAN-tensorflow), the images being in [−1, 1]; tanh=True ends it with tanh,
so that G(z) lies in [−1, 1] as the real images do. With skip=True, h₀ is
upsampled and concatenated to the input of every later scale (the paper's optional skip
connections). The bottleneck side b is 8 (4 for 8×8 images, 7 for 28×28 ones), so an image of
side H has S = log2(H / b) + 1 scales.
"""
import math

from minigan import functional as F
from minigan import nn
from minigan.ops import concat

SIDES = (8, 16, 28, 32, 64)


def bottleneck_side(side):
    """b: 4 for 8×8 images, 7 for 28×28 (7 → 14 → 28), else 8 (BEGAN's 8×8 bottleneck)."""
    if side not in SIDES:
        raise ValueError(f"BEGAN models are built for square images of side {SIDES}, got side {side}")
    return {8: 4, 28: 7}.get(side, 8)


def scales_of(side):
    """S = log2(side / b) + 1: the number of resolutions, b, 2b, ..., side."""
    return int(math.log2(side // bottleneck_side(side))) + 1


def conv_elu(in_channels, out_channels, stride=1):
    """A 3×3 convolution (padding 1) followed by ELU."""
    return [nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1), nn.ELU()]


def _check_shape(image_shape):
    if len(image_shape) != 3 or image_shape[1] != image_shape[2]:
        raise ValueError(f"image_shape must be (C, H, H) with square images, got {tuple(image_shape)}")
    bottleneck_side(image_shape[1])


class Encoder(nn.Module):
    """x (N, C, H, H) → h (N, N_h): convolutions with ELU down to b × b, then FC (no non-linearity)."""

    def __init__(self, image_shape, embedding_dim, n=64, convs_per_scale=2):
        super().__init__()
        _check_shape(image_shape)
        channels, side = image_shape[0], image_shape[1]
        scales, b = scales_of(side), bottleneck_side(side)
        layers, width = conv_elu(channels, n), n
        for s in range(1, scales + 1):
            for _ in range(convs_per_scale):
                layers += conv_elu(width, s * n)
                width = s * n
            if s < scales:
                layers += conv_elu(width, width, stride=2)             # down: a stride-2 convolution
        self.convs = nn.Sequential(*layers, nn.Flatten())
        self.to_h = nn.Linear(width * b * b, embedding_dim)            # to the embedding, no non-linearity

    def forward(self, x):
        return self.to_h(self.convs(x))


class Decoder(nn.Module):
    """h (N, N_h) → image (N, C, H, H): FC to h₀ (n × b × b), convolutions with ELU and nearest
    upsampling, a last 3×3 convolution with no activation (tanh with tanh=True). Also BEGAN's
    generator (h = z)."""

    def __init__(self, image_shape, embedding_dim, n=64, convs_per_scale=2, skip=False, tanh=False):
        super().__init__()
        _check_shape(image_shape)
        channels, side = image_shape[0], image_shape[1]
        self.latent_dim, self.n, self.b, self.skip, self.tanh = embedding_dim, n, bottleneck_side(side), skip, tanh
        self.from_h = nn.Linear(embedding_dim, n * self.b * self.b)   # from the embedding, no non-linearity
        self.scales = nn.Sequential()
        for s in range(scales_of(side)):
            width = 2 * n if (skip and s > 0) else n
            layers = []
            for _ in range(convs_per_scale):
                layers += conv_elu(width, n)
                width = n
            self.scales.append(nn.Sequential(*layers))
        self.to_image = nn.Conv2d(n, channels, 3, padding=1)

    def forward(self, h):
        h0 = self.from_h(h).reshape(h.shape[0], self.n, self.b, self.b)
        x = h0
        for s, block in enumerate(self.scales):
            if s > 0:
                x = F.upsample_nearest(x, 2)                               # up: nearest neighbour
                if self.skip:
                    x = concat([x, F.upsample_nearest(h0, 2 ** s)], axis=1)  # skip: h₀ to every later scale
            x = block(x)
        x = self.to_image(x)
        return F.tanh(x) if self.tanh else x


class Autoencoder(nn.Module):
    """BEGAN's discriminator D(v) = decoder(encoder(v)), compared with v in L(v) = mean |v − D(v)|."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder, self.decoder = encoder, decoder

    def forward(self, v):
        return self.decoder(self.encoder(v))


def began_autoencoder(image_shape, embedding_dim=64, n=64, convs_per_scale=2, skip=False):
    """The discriminator for images of shape (C, H, H), H in SIDES."""
    return Autoencoder(Encoder(image_shape, embedding_dim, n, convs_per_scale),
                       Decoder(image_shape, embedding_dim, n, convs_per_scale, skip))


def began_generator(image_shape, latent_dim=64, n=64, convs_per_scale=2, skip=False, tanh=False):
    """The generator: the decoder's architecture with its own weights, z (N, N_z) → images
    (through tanh, into [−1, 1], with tanh=True)."""
    return Decoder(image_shape, latent_dim, n, convs_per_scale, skip, tanh)


class MLPDecoder(nn.Module):
    """For 2-D data: h → [Linear → ELU] × depth → Linear (no output activation)."""

    def __init__(self, embedding_dim, out_dim, hidden=128, depth=3, activation=nn.ELU):
        super().__init__()
        self.latent_dim = embedding_dim
        sizes = [embedding_dim] + [hidden] * depth
        layers = [m for a, b in zip(sizes[:-1], sizes[1:]) for m in (nn.Linear(a, b), activation())]
        self.net = nn.Sequential(*layers, nn.Linear(hidden, out_dim))

    def forward(self, h):
        return self.net(h)


def mlp_autoencoder(in_dim, embedding_dim=8, hidden=128, depth=3, activation=nn.ELU):
    """BEGAN's autoencoder for points: an MLP encoder to h (no non-linearity at h) and an MLP decoder,
    `activation()` (ELU, BEGAN's) after every hidden layer."""
    sizes = [in_dim] + [hidden] * depth
    layers = [m for a, b in zip(sizes[:-1], sizes[1:]) for m in (nn.Linear(a, b), activation())]
    encoder = nn.Sequential(*layers, nn.Linear(hidden, embedding_dim))
    return Autoencoder(encoder, MLPDecoder(embedding_dim, in_dim, hidden, depth, activation))


def mlp_image_autoencoder(image_shape, embedding_dim=32, hidden=256, depth=2, activation=nn.ELU):
    """`mlp_autoencoder` on flattened images: (N, C, H, W) → h (N, N_h) → (N, C, H, W). EBGAN's
    discriminator on 8×8 digits, where a dense autoencoder is as good as the convolutional one and
    several times faster."""
    size = 1
    for n in image_shape:
        size *= int(n)
    flat = mlp_autoencoder(size, embedding_dim, hidden, depth, activation)
    return Autoencoder(nn.Sequential(nn.Flatten(), flat.encoder),
                       nn.Sequential(flat.decoder, nn.Unflatten(1, tuple(image_shape))))
