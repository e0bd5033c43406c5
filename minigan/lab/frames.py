"""What the lab draws after an update, every number computed by minigan:

    heatmap   D(x) = σ(a(x)) of the GAN's discriminator (the critic's f(x) for WGAN, WGAN-GP; EBGAN's
              energy ‖Dec(Enc(x)) − x‖²/2; the Bayesian GAN's first discriminator sample) on a
              size × size grid over the plane                        [GAN-2, WGAN-2, VAR-EBGAN-1]
              (the conditional GAN: the mean over the labels y of D(x | y)        [VAR-CGAN])
    fake      x = G(z) for a fixed batch of codes z (the same z in every frame)   [GAN-1]
              (the conditional GAN: G(z | y), each code with a fixed label y, every label equally often)
    arrows    −∇ₓ ℓ(x) at each of those samples, ℓ the generator's loss of one sample: ℓ(x) =
              −log D(x) (GAN-5), log(1 − D(x)) (GAN-4), −f(x) (WGAN-4 line 10): where G's next
              step pushes the sample (through G's Jacobian)
    manifold  G's image of a size × size grid of z, for a 2-D z
    metrics   minigan.metrics.mode_coverage of G(z) for a fixed set of codes: modes captured, % high quality;
              for the conditional GAN also the share of samples within 3σ of their own label's mode

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


PROBABILITY = ("gan", "cgan", "bayesian-gan")   # kinds whose surface is D(x) = σ(a(x)) in [0, 1]
SURFACE_LABELS = {"gan": "D(x)", "cgan": "mean over y of D(x | y)", "bayesian-gan": "D(x)", "ebgan": "energy D(x)"}


def scorer(kind, discriminator, labels=None):
    """The discriminator as a function of points: the logit a(x) (GAN; D(x | y) with the labels for the
    conditional GAN; the Bayesian GAN's first discriminator sample), the critic's f(x) (WGANs), or
    EBGAN's energy per point (VAR-EBGAN-1)."""
    if kind == "cgan":
        return lambda x: discriminator(x, labels)
    if kind == "bayesian-gan":
        return discriminator[0]
    if kind == "ebgan":
        from minigan.gan.ebgan import energy

        return lambda x: energy(x, discriminator(x))
    return discriminator


@minigan.no_grad()
def surface(kind, discriminator, points, num_classes=None):
    """D(x) = σ(a(x)) for the GAN (kind "gan", "bayesian-gan"), the critic's f(x) for the WGANs, the
    energy for EBGAN, the mean over the num_classes labels y of D(x | y) for the conditional GAN
    ("cgan"): a float64 array (n,)."""
    x = minigan.tensor(points)
    if kind == "cgan":
        outs = [minigan.functional.sigmoid(scorer(kind, discriminator, np.full(len(points), y))(x)).numpy()
                for y in range(num_classes)]
        return np.mean(outs, axis=0).astype(np.float64).reshape(-1)
    out = scorer(kind, discriminator)(x)
    if kind in PROBABILITY:
        out = minigan.functional.sigmoid(out)
    return out.numpy().astype(np.float64).reshape(-1)


def heatmap(kind, discriminator, low, high, size=HEATMAP_SIZE, num_classes=None):
    """The surface on the grid over [low, high]²: {"values": size² floats, "min", "max", "label"}."""
    values = surface(kind, discriminator, grid_points(low, high, size), num_classes)
    finite = values[np.isfinite(values)]
    return {"values": rounded(values), "size": size, "label": SURFACE_LABELS.get(kind, "f(x)"),
            "min": float(finite.min()) if finite.size else None, "max": float(finite.max()) if finite.size else None}


@minigan.no_grad()
def generate(generator, z, labels=None):
    """x = G(z) for codes z (an (n, latent_dim) array), or G(z | y) with labels (n,), with G in eval
    mode: a float64 array (n, 2)."""
    was_training = generator.training
    generator.eval()
    try:
        args = (minigan.tensor(z),) if labels is None else (minigan.tensor(z), labels)
        return generator(*args).numpy().astype(np.float64)
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


def input_gradients(discriminator, loss, x, kind="gan", labels=None):
    """−∇ₓ ℓ(xᵢ) for every row xᵢ of x (n, 2), with ℓ the loss of one sample: m · loss(D(x)) is
    Σᵢ ℓ(xᵢ), and the samples are independent, so row i of its gradient is ∇ℓ(xᵢ). D's parameters
    are constants here (their .grad is left alone). labels: D(x | y) with each sample's own label
    (the conditional GAN). Returns a float64 array (n, 2)."""
    points = minigan.tensor(np.asarray(x, dtype=np.float32), requires_grad=True)
    with minigan.enable_grad():
        total = loss(scorer(kind, discriminator, labels)(points)) * float(len(x))
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


def on_label(samples, labels, data):
    """The share of conditional samples G(z | y) within 3σ of the mode y they were asked for."""
    return float(metrics.label_hits(samples, labels, data.centers, data.std).mean())
