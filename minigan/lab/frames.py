"""What the lab draws after an update, every number computed by minigan:

    heatmap   D(x) = σ(a(x)) of the GAN's discriminator (the critic's f(x) for WGAN, WGAN-GP; EBGAN's
              energy ‖Dec(Enc(x)) − x‖²/2; the Bayesian GAN's first discriminator sample) on a
              size × size grid over the plane                        [GAN-2, WGAN-2, VAR-EBGAN-1]
    fake      x = G(z) for a fixed batch of codes z (the same z in every frame)   [GAN-1]
    arrows    −∇ₓ ℓ(x) at each of those samples, ℓ the generator's loss of one sample: ℓ(x) =
              −log D(x) (GAN-5), log(1 − D(x)) (GAN-4), −f(x) (WGAN-4 line 10): where G's next
              step pushes the sample (through G's Jacobian)
    manifold  G's image of a size × size grid of z, for a 2-D z
    metrics   minigan.metrics.mode_coverage of G(z) for a fixed set of codes: modes captured, % high quality

The grids are row-major with y growing: value [i * size + j] is at (xs[j], ys[i]),
xs = ys = linspace(low, high, size). Arrays go to JSON as lists rounded to DIGITS significant digits
of their largest entry (NaN, ±inf → null).
"""
import numpy as np

import minigan
from minigan import metrics
from minigan.gan import losses

HEATMAP_SIZE = 32
MANIFOLD_SIZE = 15
DIGITS = 5


def rounded(array, digits=DIGITS):
    """A float array as nested lists for JSON, rounded to `digits` significant digits of its largest
    finite entry (so a critic of values ~0.01 keeps as many digits as samples ~1), None where NaN or inf;
    digits=None keeps every digit."""
    array = np.asarray(array, dtype=np.float64)
    finite = np.isfinite(array)
    if digits is None:
        out = array.astype(object)
        out[~finite] = None
        return out.tolist()
    largest = np.abs(array[finite]).max() if finite.any() else 0.0
    decimals = digits - 1 - int(np.floor(np.log10(largest))) if largest > 0 else digits
    out = np.round(np.where(finite, array, 0.0), max(decimals, 0)).astype(object)
    out[~finite] = None
    return out.tolist()


def grid_points(low, high, size):
    """The size² points (xs[j], ys[i]) of the plane, row i = ys[i]: a float32 array (size², 2)."""
    ticks = np.linspace(low, high, size)
    xs, ys = np.meshgrid(ticks, ticks)          # xs[i, j] = ticks[j], ys[i, j] = ticks[i]
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)


PROBABILITY = ("gan", "bayesian-gan")          # kinds whose surface is D(x) = σ(a(x)) in [0, 1]
SURFACE_LABELS = {"gan": "D(x)", "bayesian-gan": "D(x)", "ebgan": "energy D(x)"}


def scorer(kind, discriminator):
    """The discriminator as a function of points: the logit a(x) (GAN; the Bayesian GAN's first
    discriminator sample), the critic's f(x) (WGANs), or EBGAN's energy per point (VAR-EBGAN-1)."""
    if kind == "bayesian-gan":
        return discriminator[0]
    if kind == "ebgan":
        from minigan.gan.ebgan import energy

        return lambda x: energy(x, discriminator(x))
    return discriminator


@minigan.no_grad()
def surface(kind, discriminator, points):
    """D(x) = σ(a(x)) for the GAN (kind "gan", "bayesian-gan"), the critic's f(x) for the WGANs, the
    energy for EBGAN: a float64 array (n,)."""
    out = scorer(kind, discriminator)(minigan.tensor(points))
    if kind in PROBABILITY:
        out = minigan.functional.sigmoid(out)
    return out.numpy().astype(np.float64).reshape(-1)


def heatmap(kind, discriminator, low, high, size=HEATMAP_SIZE):
    """The surface on the grid over [low, high]²: {"values": size² floats, "min", "max", "label"}."""
    values = surface(kind, discriminator, grid_points(low, high, size))
    finite = values[np.isfinite(values)]
    return {"values": rounded(values), "size": size, "label": SURFACE_LABELS.get(kind, "f(x)"),
            "min": float(finite.min()) if finite.size else None, "max": float(finite.max()) if finite.size else None}


@minigan.no_grad()
def generate(generator, z):
    """x = G(z) for codes z (an (n, latent_dim) array), with G in eval mode: a float64 array (n, 2)."""
    was_training = generator.training
    generator.eval()
    try:
        return generator(minigan.tensor(z)).numpy().astype(np.float64)
    finally:
        generator.train(was_training)


def sample_loss(kind, generator_loss="non_saturating"):
    """The generator's loss as a function of D's outputs at its samples (of `scorer`), a mean over
    them: GAN-5's (1/m) Σ softplus(−a), GAN-4's −(1/m) Σ softplus(a), WGAN's −(1/m) Σ f (WGAN-4 line
    10), or EBGAN's mean energy (VAR-EBGAN-1; the pulling-away term couples the samples and is left out)."""
    if kind in PROBABILITY:
        return losses.GENERATOR_LOSSES[generator_loss]
    if kind == "ebgan":
        return lambda e: e.mean()
    return lambda f: -f.mean()


def input_gradients(discriminator, loss, x, kind="gan"):
    """−∇ₓ ℓ(xᵢ) for every row xᵢ of x (n, 2), with ℓ the loss of one sample: m · loss(D(x)) is
    Σᵢ ℓ(xᵢ), and the samples are independent, so row i of its gradient is ∇ℓ(xᵢ). D's parameters
    are constants here (their .grad is left alone). Returns a float64 array (n, 2)."""
    points = minigan.tensor(np.asarray(x, dtype=np.float32), requires_grad=True)
    with minigan.enable_grad():
        total = loss(scorer(kind, discriminator)(points)) * float(len(x))
        (g,) = minigan.grad(total, points)
    return -g.numpy().astype(np.float64)


def manifold_codes(prior, size=MANIFOLD_SIZE):
    """The grid of 2-D codes whose image the manifold view draws: [−2, 2]² (two standard deviations)
    for the normal prior, [−1, 1]² for the uniform one; a float32 array (size², 2)."""
    reach = 1.0 if prior == "uniform" else 2.0
    return grid_points(-reach, reach, size)


def coverage(samples, data):
    """(modes captured, fraction of high-quality samples) of minigan.metrics.mode_coverage."""
    return metrics.mode_coverage(samples, data.centers, data.std)
