"""[ADV-3] The adversarial patch (Brown et al. 2017): one small image that, pasted anywhere on any
input, makes the classifier answer the target class ŷ.

    p̂ = argmax_p  E_{x∼X, t∼T, l∼L} [ log Pr(ŷ | A(p, x, l, t)) ]

A(p, x, l, t) pastes the patch p, transformed by t, at location l of image x. Here t is a rotation by
a multiple of 90°, an optional left-right flip and a nearest-neighbour rescaling, and l a uniformly
drawn top-left corner. The expectation is estimated on minibatches of random images, each with its own
t and l (Expectation over Transformation), and p follows Adam's ascent, clipped to the valid range.

A is one gather: for every pixel (i, j) of every image, the transformation says which patch pixel
π(i, j) lands there, if any, so

    A(p, x, l, t)[i, j] = p[π(i, j)]  inside the placed patch,   x[i, j]  outside,

a `where` over an indexing of p. Both are minigan ops, so ∂ log Pr / ∂p reaches the patch (the
gradient of a patch pixel sums over every place it was pasted).
"""
import numpy as np

from minigan import backend
from minigan import functional as F
from minigan.autograd import Tensor, enable_grad, get_default_dtype, grad, no_grad
from minigan.creation import generator
from minigan.ops import where


class AdversarialPatch:
    """A square patch p of shape (channels, size, size), values in clip = (lo, hi), and the
    distribution T × L it is trained over: rotations by k·90° (rotate), left-right flips (flip), a side
    of round(size · s) pixels with s ~ U(scale) (nearest-neighbour), and a top-left corner drawn
    uniformly among those where the patch fits (location=None) or fixed (location=(row, col))."""

    def __init__(self, channels, size, clip=(0.0, 1.0), rotate=True, flip=True, scale=(0.75, 1.0), location=None):
        if size < 1 or not 0 < scale[0] <= scale[1]:
            raise ValueError(f"the patch needs a size >= 1 and a scale range 0 < lo <= hi, "
                             f"got size={size}, scale={scale}")
        lo, hi = clip
        values = lo + (hi - lo) * generator().random((channels, size, size))
        self.values = Tensor(backend.module().asarray(values.astype(get_default_dtype())), requires_grad=True)
        self.size, self.clip, self.rotate, self.flip, self.scale = size, clip, rotate, flip, scale
        self.location = location

    def coverage(self, image_shape):
        """The largest fraction of an image (C, H, W) the patch covers: (size·max scale)² / (H·W)."""
        side = max(1, int(round(self.size * self.scale[1])))
        return side * side / (image_shape[-2] * image_shape[-1])

    def sample_placements(self, n, image_shape):
        """n independent draws of (t, l): side s, rotation k ∈ {0..3}, flip ∈ {0, 1}, top-left corner."""
        height, width = image_shape[-2:]
        rng = generator()
        sides = np.maximum(1, np.rint(self.size * rng.uniform(*self.scale, size=n))).astype(np.int64)
        if sides.max() > min(height, width):
            raise ValueError(f"a patch of side up to {sides.max()} does not fit in a {height}×{width} image")
        if self.location is None:
            rows, cols = rng.integers(0, height - sides + 1), rng.integers(0, width - sides + 1)
        else:
            rows, cols = (np.full(n, v, np.int64) for v in self.location)
            if rows[0] < 0 or cols[0] < 0 or np.any(rows + sides > height) or np.any(cols + sides > width):
                raise ValueError(f"a patch of side up to {sides.max()} at {self.location} leaves the "
                                 f"{height}×{width} image")
        return {"side": sides,
                "rotation": rng.integers(0, 4, size=n) if self.rotate else np.zeros(n, np.int64),
                "flip": rng.integers(0, 2, size=n).astype(bool) if self.flip else np.zeros(n, bool),
                "row": rows, "col": cols}

    def apply(self, images, placements=None):
        """[ADV-3] A(p, x, l, t) for a batch of images, with fresh random placements by default."""
        if placements is None:
            placements = self.sample_placements(len(images), images.shape)
        return apply_patch(images, self.values, placements)


def apply_patch(images, patch, placements):
    """[ADV-3] A(p, x, l, t) = p[π(i, j)] where the transformed patch lands, x[i, j] elsewhere.

    images (N, C, H, W); patch (C, P, P) (a Tensor: the gradient flows into it); placements as drawn
    by AdversarialPatch.sample_placements (arrays of length N)."""
    images = images if isinstance(images, Tensor) else Tensor(np.asarray(images))
    n, channels, height, width = images.shape
    if patch.ndim != 3 or patch.shape[0] != channels or patch.shape[1] != patch.shape[2]:
        raise ValueError(f"the patch must be (C, P, P) with C = {channels} channels like the images "
                         f"{images.shape}, got {patch.shape}")
    source, inside = placement_index(placements, patch.shape[1], (height, width))
    xp = backend.get_array_module(images.data)
    flat_index = np.arange(channels)[None, :, None, None] * patch.shape[1] ** 2 + source[:, None]
    pasted = patch.reshape(-1)[xp.asarray(flat_index)]            # p[π(i, j)], (N, C, H, W)
    return where(xp.asarray(inside[:, None]), pasted, images)     # [ADV-3] A(p, x, l, t)


def placement_index(placements, size, image_hw):
    """π for every image: (source (N, H, W) into the flattened P×P patch, inside (N, H, W) bool).

    Reading the transformation backwards from an image pixel (i, j):
      local pixel   (u, v) = (i − row, j − col), inside when 0 ≤ u, v < s
      unscale       (a, b) = (⌊u·P/s⌋, ⌊v·P/s⌋)                (nearest neighbour)
      unrotate      rot90(q, k)[a, b] = q[b, P−1−a], q[P−1−a, P−1−b], q[P−1−b, a]  for k = 1, 2, 3
      unflip        q[a, b] = p[a, P−1−b] when flipped
    """
    height, width = image_hw
    side, k = (placements[key][:, None, None] for key in ("side", "rotation"))
    row, col, flip = (placements[key][:, None, None] for key in ("row", "col", "flip"))
    u = np.arange(height)[None, :, None] - row
    v = np.arange(width)[None, None, :] - col
    inside = (u >= 0) & (u < side) & (v >= 0) & (v < side)
    a, b = np.clip(u, 0, None) * size // side, np.clip(v, 0, None) * size // side
    last = size - 1
    a, b = (np.select([k == 0, k == 1, k == 2], [a, b, last - a], last - b),
            np.select([k == 0, k == 1, k == 2], [b, last - a, last - b], a))
    b = np.where(flip, last - b, b)
    source = np.where(inside, np.clip(a, 0, last) * size + np.clip(b, 0, last), 0)
    return source, inside


def train_patch(model, images, target, patch_size, steps=500, batch_size=64, lr=0.05, clip=(0.0, 1.0),
                rotate=True, flip=True, scale=(0.75, 1.0), location=None, log=None):
    """[ADV-3] p̂ = argmax_p E_{x∼X, t∼T, l∼L} [log Pr(ŷ | A(p, x, l, t))], ŷ = target.

    T and L as in AdversarialPatch (rotate, flip, scale, location). Every step draws `batch_size`
    images from `images` (N, C, H, W) and a (t, l) for each, and takes
    one Adam ascent step (lr) on the minibatch mean of log softmax(model(A(p, x, l, t)))[ŷ], then
    clips p to the valid range. The gradient comes from minigan.grad, so the model's parameters'
    .grad stay untouched. log: called as log(step, mean log-probability). Returns the patch."""
    from minigan.optim import Adam

    images = images if isinstance(images, Tensor) else Tensor(np.asarray(images))
    _check_target(model, images, target)
    patch = AdversarialPatch(images.shape[1], patch_size, clip, rotate, flip, scale, location)
    optimizer = Adam([patch.values], lr=lr, maximize=True)
    for step in range(steps):
        batch = images[generator().integers(0, len(images), size=batch_size)]
        with enable_grad():
            log_prob = F.log_softmax(model(patch.apply(batch)), axis=1)[:, target].mean()  # log Pr(ŷ | A(p, x, l, t))
        (patch.values.grad,) = grad(log_prob, patch.values)
        optimizer.step()
        with no_grad():
            patch.values.data = patch.values.data.clip(*clip)  # p stays a valid image
        if log is not None:
            log(step, log_prob.item())
    patch.values.grad = None
    return patch


def patch_success_rate(model, patch, images, labels, target):
    """The fraction of the images not of class ŷ that the model labels ŷ once the patch is pasted on
    them, each at a random (t, l)."""
    from minigan.adversarial.training import predict

    labels = backend.to_numpy(labels.data if isinstance(labels, Tensor) else labels)
    images = images if isinstance(images, Tensor) else Tensor(np.asarray(images))
    others = np.flatnonzero(labels != target)
    with no_grad():
        patched = patch.apply(images[others])
    predicted, _ = predict(model, patched)
    return float(np.mean(predicted == target))


def _check_target(model, images, target):
    if images.ndim != 4:
        raise ValueError(f"images must be a batch (N, C, H, W), got shape {images.shape}")
    with no_grad():
        classes = model(images[:1]).shape[1]
    if not 0 <= target < classes:
        raise ValueError(f"target must be a class of the model, 0..{classes - 1}, got {target}")
