"""The classifiers that the attacks of the lecture fool: an MLP and a small CNN, for 8×8 digits or
28×28 MNIST (one channel, images in [0, 1], 10 classes). Both are plain minigan.nn modules that
return logits; F.cross_entropy turns them into J(θ, x, y)."""
import math

from minigan import nn
from minigan.gan.models import mlp


def mlp_classifier(image_shape=(1, 8, 8), hidden=128, classes=10):
    """x ↦ W₂ relu(W₁ flatten(x) + b₁) + b₂, the lecture's `mlp` on flattened images: 64-128-10 on
    digits (784-128-10 on MNIST)."""
    return nn.Sequential(nn.Flatten(), mlp([math.prod(image_shape), hidden, classes], nn.ReLU))


def small_cnn(image_shape=(1, 8, 8), channels=(16, 32), classes=10):
    """Two blocks of conv 3×3 (padding 1) → relu → max-pool 2×2, then a linear layer:
    1×8×8 → 16×4×4 → 32×2×2 → 10 on digits (1×28×28 → 16×14×14 → 32×7×7 → 10 on MNIST)."""
    c, h, w = image_shape
    if h % 4 or w % 4:
        raise ValueError(f"small_cnn pools twice by 2, so the image side must be a multiple of 4, got {h}×{w}")
    c1, c2 = channels
    return nn.Sequential(
        nn.Conv2d(c, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * (h // 4) * (w // 4), classes))


MODELS = {"mlp": mlp_classifier, "cnn": small_cnn}


def classifier(name, image_shape):
    """The classifier called `name` ("mlp" or "cnn") for images of `image_shape` (C, H, W)."""
    if name not in MODELS:
        raise ValueError(f"unknown classifier {name!r}: choose one of {sorted(MODELS)}")
    return MODELS[name](tuple(image_shape))
