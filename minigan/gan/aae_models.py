"""The adversarial autoencoder's networks (Makhzani et al. 2015, as the small-data reference code):
MLPs of two hidden layers each.

    encoder        x → flatten → hidden → ReLU → hidden → ReLU → z       (linear output: any prior's range)
    decoder        z (, y) → hidden → ReLU → hidden → ReLU → pixels → tanh → C×H×W
    discriminator  z → hidden → LeakyReLU(0.2) → hidden → LeakyReLU(0.2) → a logit   (codes only, no batch norm)
"""
import numpy as np

from minigan import nn
from minigan.gan.models import Conditioned, mlp


def aae_mlps(image_shape, code_size, hidden=256, num_classes=0):
    """(encoder, decoder, discriminator) for images of `image_shape` (C, H, W) and codes of `code_size`;
    num_classes=K > 0: the decoder takes the label too, dec(z | y) = mlp([z, one_hot(y)])."""
    pixels = int(np.prod(image_shape))
    encoder = nn.Sequential(nn.Flatten(), mlp([pixels, hidden, hidden, code_size], nn.ReLU))
    decoder = nn.Sequential(mlp([code_size + num_classes, hidden, hidden, pixels], nn.ReLU), nn.Tanh(),
                            nn.Unflatten(1, tuple(image_shape)))
    discriminator = mlp([code_size, hidden, hidden, 1], lambda: nn.LeakyReLU(0.2))
    return encoder, (Conditioned(decoder, num_classes) if num_classes else decoder), discriminator
