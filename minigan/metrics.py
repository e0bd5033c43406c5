"""How good are a generator's samples? Mode coverage for the 2-D mixtures, the Fréchet distance for
features, and (in `minigan.metrics_classifier`) a digits classifier that supplies the features.

    modes, hq = mode_coverage(samples, data.centers, data.std)     # PacGAN/VEEGAN: modes captured, % HQ
    d2 = frechet_distance(features_a, features_b)                  # ‖μ₁−μ₂‖² + Tr(Σ₁+Σ₂−2(Σ₁Σ₂)^½)
    d2 = digits_frechet_distance(fake_images, real_images)         # on the digits classifier's features
    d2 = pixel_frechet_distance(fake_images, real_images, real_images)   # on the real images' principal axes
    counts = class_histogram(fake_images)                          # how many samples of each digit
    like = resample_classes(data.images, data.labels, counts)      # real digits in those proportions

Every metric computes on the host in float64 (inputs may be Tensors or NumPy/CuPy arrays).
"""
import numpy as np

from minigan import backend
from minigan.autograd import Tensor
from minigan.metrics_classifier import (  # noqa: F401
    ImageClassifier,
    class_histogram,
    classifier_features,
    digits_classifier,
    predict,
    train_image_classifier,
)


def as_host_array(x, name, ndim=2):
    """A float64 NumPy copy of a Tensor or array `x`, checked to have `ndim` dimensions."""
    array = backend.to_numpy(x.data if isinstance(x, Tensor) else x).astype(np.float64)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array (one row per sample), got shape {array.shape}")
    return array


def squared_distances(x, centers):
    """D²[i, k] = ‖x_i − c_k‖² = ‖x_i‖² − 2 x_i·c_k + ‖c_k‖² (clipped at 0): an (N, K) array."""
    d2 = (x * x).sum(1)[:, None] - 2.0 * (x @ centers.T) + (centers * centers).sum(1)[None, :]
    return np.maximum(d2, 0.0)


def mode_coverage(samples, centers, std, threshold=3.0):
    """(modes captured, fraction of high-quality samples), with the PacGAN/VEEGAN definitions:

        a sample x is high quality  ⇔  min_k ‖x − c_k‖ / σ < threshold        (3 standard deviations)
        mode k is captured          ⇔  k = argmin_j ‖x − c_j‖ for at least one high-quality x

    samples (N, D), centers (K, D), std σ > 0 (the modes' common std). Samples with NaN or Inf are
    never high quality. Returns (int, float); PacGAN draws N = 2500 samples."""
    x, c = as_host_array(samples, "samples"), as_host_array(centers, "centers")
    if x.shape[1] != c.shape[1]:
        raise ValueError(f"samples have {x.shape[1]} coordinates but centers have {c.shape[1]}: "
                         f"shapes {x.shape} and {c.shape}")
    if len(x) == 0 or len(c) == 0:
        raise ValueError(f"mode_coverage needs at least one sample and one centre, got shapes {x.shape}, {c.shape}")
    if not std > 0 or not threshold > 0:
        raise ValueError(f"std and threshold must be positive, got std={std}, threshold={threshold}")
    n_samples, x = len(x), x[np.isfinite(x).all(axis=1)]
    d2 = squared_distances(x, c)
    nearest = d2.argmin(axis=1)
    high_quality = d2[np.arange(len(x)), nearest] < (threshold * std) ** 2
    modes = np.unique(nearest[high_quality])
    return int(len(modes)), float(high_quality.sum() / n_samples)


def sqrtm_psd(sigma):
    """√Σ of a symmetric positive semi-definite Σ = V diag(λ) Vᵀ: V diag(√max(λ, 0)) Vᵀ."""
    eigenvalues, vectors = np.linalg.eigh(sigma)
    return (vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))) @ vectors.T


def trace_sqrt_product(sigma1, sigma2):
    """Tr((Σ₁Σ₂)^½) = Σᵢ √λᵢ, with λᵢ the eigenvalues of the symmetric √Σ₁ Σ₂ √Σ₁ (similar to Σ₁Σ₂),
    clipped at 0 against rounding."""
    root1 = sqrtm_psd(sigma1)
    middle = root1 @ sigma2 @ root1
    eigenvalues = np.linalg.eigvalsh((middle + middle.T) / 2)
    return float(np.sqrt(np.clip(eigenvalues, 0.0, None)).sum())


def mean_and_covariance(features, name):
    f = as_host_array(features, name)
    if len(f) < 2:
        raise ValueError(f"{name} needs at least 2 rows to estimate a covariance, got shape {f.shape}")
    if not np.isfinite(f).all():
        raise ValueError(f"{name} contains NaN or Inf: the Fréchet distance of such features is undefined")
    return f.mean(axis=0), np.atleast_2d(np.cov(f, rowvar=False))


def frechet_distance(features_a, features_b):
    """The squared Fréchet (2-Wasserstein) distance between Gaussians fitted to two sets of features
    (the quantity reported as "FID" when the features are Inception's):

        d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½)

    μ, Σ are the sample mean and covariance (ddof = 1, as pytorch-fid) of features (N₁, D), (N₂, D).
    The trace of (Σ₁Σ₂)^½ comes from the eigenvalues of √Σ₁ Σ₂ √Σ₁ (no scipy). Returns a float ≥ 0."""
    mu1, sigma1 = mean_and_covariance(features_a, "features_a")
    mu2, sigma2 = mean_and_covariance(features_b, "features_b")
    if mu1.shape != mu2.shape:
        raise ValueError(f"the two sets of features must have the same width, got {mu1.shape[0]} and {mu2.shape[0]}")
    d2 = ((mu1 - mu2) ** 2).sum() + np.trace(sigma1) + np.trace(sigma2) - 2.0 * trace_sqrt_product(sigma1, sigma2)
    return max(float(d2), 0.0)


def digits_frechet_distance(images_a, images_b, classifier=None, dataset=None):
    """The Fréchet distance between the classifier features φ of two sets of images (N×C×H×W in
    [−1, 1]): d²(φ(images_a), φ(images_b)). The classifier is the digits one for 1×8×8 images, or the
    one trained on `dataset` (e.g. MNIST), or `classifier` itself."""
    return frechet_distance(classifier_features(images_a, classifier, dataset),
                            classifier_features(images_b, classifier, dataset))


def flat_pixels(images, name):
    """(N, C·H·W) float64 pixels of N×C×H×W images."""
    pixels = as_host_array(images, name, ndim=4)
    return pixels.reshape(len(pixels), -1)


def principal_axes(reference, components):
    """μ and the first `components` principal axes V_k (rows, largest variance first) of the
    reference images' pixels: the SVD of the centred (N, C·H·W) pixel matrix."""
    pixels = flat_pixels(reference, "reference")
    if not 1 <= components <= min(pixels.shape):
        raise ValueError(f"components must lie in [1, {min(pixels.shape)}] (at most the reference's images and "
                         f"pixels, shape {pixels.shape}), got {components}")
    mean = pixels.mean(axis=0)
    _, _, axes = np.linalg.svd(pixels - mean, full_matrices=False)
    return mean, axes[:components]


PIXEL_COMPONENTS = 20   # the principal axes of pixel_frechet_distance, unless told otherwise


def pixel_frechet_distance(images_a, images_b, reference, components=PIXEL_COMPONENTS):
    """The Fréchet distance between two sets of images on pixel features: their coordinates
    (x − μ) V_kᵀ on the first k = `components` principal axes of the `reference` images (the real
    data). Unlike a classifier's features, these see blur and noise."""
    mean, axes = principal_axes(reference, components)
    features = []
    for name, images in (("images_a", images_a), ("images_b", images_b)):
        pixels = flat_pixels(images, name)
        if pixels.shape[1] != len(mean):
            raise ValueError(f"{name} has {pixels.shape[1]} pixels an image and the reference {len(mean)}: "
                             f"both must have the same C×H×W")
        features.append((pixels - mean) @ axes.T)
    return frechet_distance(*features)


def resample_classes(images, labels, histogram, seed=0):
    """Real images drawn with replacement so that class c appears histogram[c] times.

    They are what a generator would draw whose every image is real but whose classes come in the
    proportions of `histogram` (e.g. `class_histogram(fakes)`): their Fréchet distance to the real
    data is the part of the generator's distance that its class imbalance alone explains."""
    labels = backend.to_numpy(labels)
    histogram = np.asarray(histogram)
    classes = np.unique(labels)
    if histogram.ndim != 1 or len(histogram) != len(classes) or (histogram < 0).any():
        raise ValueError(f"histogram must hold one count >= 0 for each of the {len(classes)} classes "
                         f"{classes.tolist()}, got {histogram.tolist()}")
    rng = np.random.default_rng(seed)
    drawn = np.concatenate([rng.choice(np.flatnonzero(labels == c), int(n)) for c, n in zip(classes, histogram)])
    return images[drawn]


def label_hits(samples, labels, centers, std, threshold=3.0):
    """For a conditional model on a 2-D mixture: whether each sample x, requested with label y, lies
    within `threshold` standard deviations of the mode c_y it was asked for: ‖x − c_y‖ < threshold·σ.
    Returns a bool array (N,)."""
    x, c = as_host_array(samples, "samples"), as_host_array(centers, "centers")
    labels = np.asarray(backend.to_numpy(labels))
    if labels.shape != (len(x),):
        raise ValueError(f"one label per sample: {len(x)} samples, labels of shape {labels.shape}")
    d2 = ((x - c[labels]) ** 2).sum(1)
    return np.isfinite(d2) & (d2 < (threshold * std) ** 2)


def per_label_rates(hits, labels, num_classes):
    """The fraction of hits among the samples of each label: a list of K floats (NaN for a label
    without samples)."""
    hits, labels = np.asarray(hits, dtype=float), np.asarray(labels)
    return [float(hits[labels == k].mean()) if (labels == k).any() else float("nan") for k in range(num_classes)]


def code_moments(codes):
    """The per-dimension mean and standard deviation of codes (N, d): two lists of d floats (what
    matching N(0, I) asks for: means 0, standard deviations 1)."""
    z = as_host_array(codes, "codes")
    return z.mean(0).tolist(), z.std(0).tolist()


def rbf_mmd(a, b, bandwidth=None):
    """The squared maximum mean discrepancy between two samples with the Gaussian kernel
    k(u, v) = exp(−‖u − v‖² / (2h²)) (unbiased estimate):

        MMD² = mean_{i≠j} k(a_i, a_j) + mean_{i≠j} k(b_i, b_j) − 2 mean_{i,j} k(a_i, b_j)

    h: the median distance between the pooled points when None. About 0 when a and b come from
    the same distribution."""
    a, b = as_host_array(a, "a"), as_host_array(b, "b")
    if a.shape[1] != b.shape[1] or len(a) < 2 or len(b) < 2:
        raise ValueError(f"rbf_mmd needs two samples of at least 2 rows of the same width, got {a.shape}, {b.shape}")
    if bandwidth is None:
        pooled = np.concatenate([a, b])
        bandwidth = float(np.sqrt(np.median(squared_distances(pooled, pooled)[np.triu_indices(len(pooled), 1)])))

    def kernel(u, v):
        return np.exp(-squared_distances(u, v) / (2 * bandwidth ** 2))

    kaa, kbb, kab = kernel(a, a), kernel(b, b), kernel(a, b)
    n, m = len(a), len(b)
    return float((kaa.sum() - np.trace(kaa)) / (n * (n - 1)) + (kbb.sum() - np.trace(kbb)) / (m * (m - 1))
                 - 2 * kab.mean())
