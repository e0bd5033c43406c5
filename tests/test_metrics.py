"""Metrics: mode coverage vs a loop and χ²₂, Fréchet distance vs closed forms and sqrtm, the classifier."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan import metrics
from minigan.data import toy2d


def coverage_by_loop(samples, centers, std, threshold=3.0):
    """The definition, one sample at a time."""
    captured, high_quality = set(), 0
    for x in samples:
        distances = [np.sqrt(((x - c) ** 2).sum()) for c in centers]
        k = int(np.argmin(distances))
        if distances[k] < threshold * std:
            captured.add(k)
            high_quality += 1
    return len(captured), high_quality / len(samples)


@given(st.integers(0, 2**32), st.integers(1, 80), st.integers(1, 12), st.integers(1, 4), st.floats(0.05, 1.0))
def test_mode_coverage_matches_the_definition(seed, n, k, dim, std):
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-3, 3, (k, dim))
    samples = centers[rng.integers(k, size=n)] + rng.normal(0, 2 * std, (n, dim)) * rng.integers(0, 3, (n, 1))
    modes, hq = metrics.mode_coverage(samples, centers, std)
    expected_modes, expected_hq = coverage_by_loop(samples, centers, std)
    assert modes == expected_modes and isinstance(modes, int)
    assert hq == pytest.approx(expected_hq, abs=1e-12) and isinstance(hq, float)


@pytest.mark.parametrize("make", [toy2d.ring, toy2d.grid])
def test_real_data_covers_every_mode_with_the_chi_square_fraction(make):
    """‖x − c‖²/σ² ~ χ²₂ for 2-D data, so P(‖x − c‖ < 3σ) = 1 − e^{−9/2} ≈ 0.98889."""
    data = make(n_samples=100_000, seed=1)
    modes, hq = metrics.mode_coverage(minigan.tensor(data.arrays[0]), data.centers, data.std)
    assert modes == len(data.centers)
    assert hq == pytest.approx(1 - np.exp(-4.5), abs=0.0015)  # binomial sd ≈ 3.3e-4


def test_collapse_and_far_samples_and_non_finite_samples():
    centers, std = toy2d.ring_centers(), 0.01
    collapsed = np.repeat(centers[3:4], 100, axis=0) + 0.005
    assert metrics.mode_coverage(collapsed, centers, std) == (1, 1.0)
    assert metrics.mode_coverage(collapsed * 3, centers, std) == (0, 0.0)
    mixed = np.concatenate([collapsed[:50], np.full((25, 2), np.nan), np.full((25, 2), np.inf)])
    assert metrics.mode_coverage(mixed, centers, std) == (1, 0.5)


def test_the_threshold_counts_standard_deviations():
    centers = np.zeros((1, 2))
    assert metrics.mode_coverage([[0.29, 0.0]], centers, 0.1) == (1, 1.0)
    assert metrics.mode_coverage([[0.31, 0.0]], centers, 0.1) == (0, 0.0)
    assert metrics.mode_coverage([[0.31, 0.0]], centers, 0.1, threshold=3.2) == (1, 1.0)


def test_mode_coverage_errors():
    with pytest.raises(ValueError, match=r"samples have 3 coordinates but centers have 2"):
        metrics.mode_coverage(np.zeros((4, 3)), np.zeros((2, 2)), 0.1)
    with pytest.raises(ValueError, match="samples must be a 2-D array"):
        metrics.mode_coverage(np.zeros(4), np.zeros((2, 2)), 0.1)
    with pytest.raises(ValueError, match="std and threshold must be positive"):
        metrics.mode_coverage(np.zeros((4, 2)), np.zeros((2, 2)), 0.0)


def with_moments(rng, n, mean, cov_root):
    """n rows whose sample mean is exactly `mean` and sample covariance (ddof 1) exactly R Rᵀ."""
    z = rng.normal(size=(n, len(mean)))
    z -= z.mean(0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.atleast_2d(np.cov(z, rowvar=False)))).T  # sample covariance I
    return z @ cov_root.T + mean


@given(st.integers(0, 2**32), st.integers(1, 8))
def test_frechet_distance_of_diagonal_gaussians(seed, dim):
    """Commuting covariances: d² = ‖μ₁ − μ₂‖² + Σᵢ (σ₁ᵢ − σ₂ᵢ)²."""
    rng = np.random.default_rng(seed)
    mu1, mu2 = rng.normal(size=dim), rng.normal(size=dim)
    s1, s2 = rng.uniform(0.1, 3, dim), rng.uniform(0.1, 3, dim)
    a = with_moments(rng, 40, mu1, np.diag(s1))
    b = with_moments(rng, 25, mu2, np.diag(s2))
    expected = ((mu1 - mu2) ** 2).sum() + ((s1 - s2) ** 2).sum()
    assert metrics.frechet_distance(a, b) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_frechet_distance_when_the_covariances_are_rotations_of_each_other():
    """Σ₂ = Q Σ₁ Qᵀ with Q a rotation by 90° in 2-D, Σ₁ = diag(a², b²): Σ₂ = diag(b², a²), and
    Tr(Σ₁+Σ₂−2(Σ₁Σ₂)^½) = 2a² + 2b² − 4ab = 2(a − b)²."""
    rng = np.random.default_rng(0)
    a, b = 2.0, 0.5
    x = with_moments(rng, 30, np.zeros(2), np.diag([a, b]))
    y = x @ np.array([[0.0, -1.0], [1.0, 0.0]]).T
    assert metrics.frechet_distance(x, y) == pytest.approx(2 * (a - b) ** 2, rel=1e-10)


@given(st.integers(0, 2**32), st.integers(1, 7))
def test_frechet_distance_matches_scipy_sqrtm(seed, dim):
    scipy_linalg = pytest.importorskip("scipy.linalg")
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(dim + 20, dim)) @ rng.normal(size=(dim, dim)) + rng.normal(size=dim)
    b = rng.normal(size=(dim + 30, dim)) @ rng.normal(size=(dim, dim))
    s1, s2 = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    covmean = scipy_linalg.sqrtm(s1 @ s2).real
    expected = ((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(s1 + s2 - 2 * covmean)
    assert metrics.frechet_distance(a, b) == pytest.approx(expected, rel=1e-6, abs=1e-8)


def test_frechet_distance_properties_and_degenerate_covariances():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(50, 6)), rng.normal(size=(60, 6)) * 2
    assert metrics.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    assert metrics.frechet_distance(a, b) == pytest.approx(metrics.frechet_distance(b, a), rel=1e-9)
    # features in a 2-D coordinate plane of R^5 (rank-deficient covariances): the 2-D distance
    plane_a, plane_b = rng.normal(size=(30, 2)), rng.normal(size=(20, 2)) * 3 + 1
    pad = lambda x: np.concatenate([x, np.zeros((len(x), 3))], axis=1)  # noqa: E731
    assert metrics.frechet_distance(pad(plane_a), pad(plane_b)) == pytest.approx(
        metrics.frechet_distance(plane_a, plane_b), rel=1e-7)
    # fewer rows than features (singular covariances) still gives a finite, non-negative value
    assert 0.0 <= metrics.frechet_distance(a[:4], b[:5]) < np.inf
    # float32 Tensors are accepted and computed in float64
    assert metrics.frechet_distance(minigan.tensor(a.astype(np.float32)), b) == pytest.approx(
        metrics.frechet_distance(a.astype(np.float32), b), rel=1e-12)


def test_frechet_distance_errors():
    with pytest.raises(ValueError, match="same width, got 3 and 4"):
        metrics.frechet_distance(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="at least 2 rows"):
        metrics.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="NaN or Inf"):
        metrics.frechet_distance(np.full((5, 3), np.nan), np.zeros((5, 3)))


# ------------------------------------------------------------------ pixel features: principal components
def test_pixel_features_are_the_reference_principal_coordinates():
    """Against eigh of the reference's pixel covariance: an image shifted by δ along the first axis
    moves by δ in the first coordinate only, so two sets that differ by that shift are δ² apart."""
    rng = np.random.default_rng(0)
    scales = np.linspace(3.0, 0.2, 16)
    reference = (rng.normal(size=(4000, 16)) * scales).reshape(4000, 1, 4, 4)
    cov = np.cov(reference.reshape(4000, -1), rowvar=False)
    _, vectors = np.linalg.eigh(cov)
    first = vectors[:, -1]                                               # the largest-variance axis
    mean, axes = metrics.principal_axes(reference, components=5)
    assert abs(abs(axes[0] @ first) - 1) < 1e-3                         # the same axis, up to sign
    images = reference[:1000]
    shifted = images + 0.7 * first.reshape(1, 1, 4, 4)
    assert metrics.pixel_frechet_distance(images, shifted, reference, components=5) == pytest.approx(0.49, rel=1e-9)
    assert metrics.pixel_frechet_distance(images, images, reference, components=5) == pytest.approx(0.0, abs=1e-9)
    # blur: averaging pixels shrinks the variance along the axes, which the distance sees
    blurred = (images + images[:, :, ::-1]) / 2
    assert metrics.pixel_frechet_distance(images, blurred, reference, components=5) > 1.0


def test_pixel_frechet_distance_errors():
    reference = np.zeros((10, 1, 2, 2))
    with pytest.raises(ValueError, match=r"components must lie in \[1, 4\]"):
        metrics.pixel_frechet_distance(reference, reference, reference, components=5)
    with pytest.raises(ValueError, match="images_b has 9 pixels an image and the reference 4"):
        metrics.pixel_frechet_distance(reference, np.zeros((10, 1, 3, 3)), reference, components=2)
    with pytest.raises(ValueError, match="4-D array"):
        metrics.pixel_frechet_distance(np.zeros((10, 4)), reference, reference, components=2)


# ------------------------------------------------------------------ the classifier behind the image metrics
@pytest.fixture(scope="module", autouse=True)
def cache_folder(tmp_path_factory):
    """$MINIGAN_CACHE points to a fresh folder: no test reads or writes the user's ~/.cache/minigan.
    One BLAS thread: the classifier's small matrix products run 30× slower when OpenBLAS's threads
    compete for 2 busy cores (pytest -n 2)."""
    from threadpoolctl import threadpool_limits

    from minigan import classifier_training

    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch, threadpool_limits(limits=1, user_api="blas"):
        patch.setenv("MINIGAN_CACHE", str(folder))
        classifier_training._LOADED.clear()
        yield folder
    classifier_training._LOADED.clear()


@pytest.fixture(scope="module")
def digits_setup(cache_folder):
    """The digits classifier trained once into the fresh cache, with minigan's RNG state around it."""
    from minigan.data import images

    minigan.manual_seed(11)
    before = minigan.get_rng_state()
    classifier = metrics.digits_classifier()
    after = minigan.get_rng_state()
    return {"classifier": classifier, "cache": cache_folder, "data": images.digits(), "rng": (before, after)}


def test_the_digits_classifier_reaches_95_percent_and_leaves_the_rng_alone(digits_setup):
    classifier = digits_setup["classifier"]
    assert classifier.accuracy >= 0.95
    before, after = digits_setup["rng"]
    assert before == after  # training on first use must not shift the caller's random draws


def test_the_classifier_is_cached_and_reloaded_without_training_or_random_draws(digits_setup, monkeypatch):
    from minigan import classifier_training, metrics_classifier

    files = list(digits_setup["cache"].glob("classifier-digits-*.npz"))
    assert len(files) == 1
    classifier_training._LOADED.clear()
    monkeypatch.setattr(metrics_classifier, "train_image_classifier", lambda *a, **k: pytest.fail("retrained"))
    minigan.manual_seed(5)
    before = minigan.get_rng_state()
    reloaded = metrics.digits_classifier(cache_dir=str(digits_setup["cache"]))
    assert minigan.get_rng_state() == before  # loading does not shift the caller's draws either
    assert reloaded is not digits_setup["classifier"]
    x = digits_setup["data"].images[:300]
    np.testing.assert_array_equal(metrics.classifier_features(x, reloaded),
                                  metrics.classifier_features(x, digits_setup["classifier"]))
    assert reloaded.accuracy == digits_setup["classifier"].accuracy


def test_real_digits_are_far_closer_to_each_other_than_to_noise_or_one_digit(digits_setup):
    classifier, data = digits_setup["classifier"], digits_setup["data"]
    half = len(data) // 2
    first, second = data.images[:half], data.images[half:]
    noise = np.random.default_rng(0).uniform(-1, 1, first.shape).astype(np.float32)
    real_vs_real = metrics.digits_frechet_distance(first, second, classifier)
    real_vs_noise = metrics.digits_frechet_distance(first, noise, classifier)
    assert real_vs_real < 0.1 * real_vs_noise
    only_threes = data.images[data.labels == 3]  # a generator collapsed onto one digit
    assert metrics.digits_frechet_distance(first, only_threes, classifier) > 10 * real_vs_real
    features = metrics.classifier_features(minigan.tensor(first), classifier)
    assert features.shape == (half, 64) and features.dtype == np.float32
    assert metrics.frechet_distance(features, metrics.classifier_features(second, classifier)) == real_vs_real


def test_the_class_histogram_of_real_digits_has_every_class_and_a_collapse_has_one(digits_setup):
    classifier, data = digits_setup["classifier"], digits_setup["data"]
    counts = metrics.class_histogram(data.images, classifier)
    assert counts.shape == (10,) and counts.dtype == np.int64 and counts.sum() == len(data)
    assert (counts > 0).all()
    np.testing.assert_allclose(counts, np.bincount(data.labels), rtol=0.1)
    threes = data.images[data.labels == 3]
    collapsed = metrics.class_histogram(threes, classifier)
    assert collapsed.argmax() == 3 and collapsed[3] >= 0.9 * len(threes)


def test_resample_classes_draws_real_images_in_the_given_proportions():
    labels = np.array([0, 0, 1, 2, 2, 2])
    images = np.arange(6.0)[:, None] * 10 + labels[:, None]         # an image remembers its label
    drawn = metrics.resample_classes(images, labels, [3, 0, 5], seed=1)
    assert drawn.shape == (8, 1)
    np.testing.assert_array_equal(np.bincount(drawn[:, 0].astype(int) % 10, minlength=3), [3, 0, 5])
    np.testing.assert_array_equal(drawn, metrics.resample_classes(images, labels, [3, 0, 5], seed=1))
    with pytest.raises(ValueError, match=r"one count >= 0 for each of the 3 classes \[0, 1, 2\], got \[1, 2\]"):
        metrics.resample_classes(images, labels, [1, 2])
    with pytest.raises(ValueError, match="got \\[1, -1, 0\\]"):
        metrics.resample_classes(images, labels, [1, -1, 0])


def test_class_imbalance_alone_moves_the_frechet_distance(digits_setup):
    # real digits in a BEGAN run's proportions ([1, 225, 67, 306, ...], tutorial 07) are far from the
    # data although every image is real; in the data's own proportions they are as close as real halves
    classifier, data = digits_setup["classifier"], digits_setup["data"]
    skewed = metrics.resample_classes(data.images, data.labels, [1, 225, 67, 306, 3, 4, 1, 24, 67, 302])
    even = metrics.resample_classes(data.images, data.labels, np.bincount(data.labels))
    far = metrics.digits_frechet_distance(skewed, data.images, classifier)
    near = metrics.digits_frechet_distance(even, data.images, classifier)
    assert far > 30 and near < 2 and far > 30 * near


def test_classifier_inputs_are_checked(digits_setup):
    with pytest.raises(ValueError, match=r"takes N×1×8×8 images .* got shape \(5, 1, 28, 28\)"):
        metrics.classifier_features(np.zeros((5, 1, 28, 28), np.float32), digits_setup["classifier"])
    with pytest.raises(ValueError, match=r"shape \(1, 28, 28\) need a classifier .*dataset="):
        metrics.class_histogram(np.zeros((5, 1, 28, 28), np.float32))


def test_a_classifier_for_mnist_sized_idx_files(tmp_path, digits_setup):
    """Digits upsampled to 28×28 (3× nearest, 2-pixel border), written as IDX files, then loaded."""
    from minigan.data import images

    data = digits_setup["data"]
    pixels = np.round((data.images[:, 0] + 1) * 127.5).astype(np.uint8).repeat(3, 1).repeat(3, 2)
    pixels = np.pad(pixels, ((0, 0), (2, 2), (2, 2)))
    for kind, array in (("images-idx3", pixels), ("labels-idx1", data.labels)):
        array = np.asarray(array, np.uint8)
        header = (0x0800 | array.ndim).to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in array.shape)
        (tmp_path / f"train-{kind}-ubyte").write_bytes(header + array.tobytes())
    mnist_like = images.mnist(tmp_path)
    classifier = metrics.digits_classifier(dataset=mnist_like)
    assert classifier.image_shape == (1, 28, 28) and classifier.accuracy >= 0.95
    counts = metrics.class_histogram(mnist_like.images[:500], dataset=mnist_like)  # the cached one
    assert (counts > 0).all() and counts.sum() == 500


def test_an_unreadable_cache_file_is_replaced(tmp_path):
    from minigan import classifier_training, metrics_classifier
    from minigan.data.images import ImageDataset

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 200)
    pictures = (labels[:, None, None, None] * 2.0 - 1.0 + rng.normal(0, 0.3, (200, 1, 2, 2))).astype(np.float32)
    toy = ImageDataset("toy", pictures, labels)
    path = classifier_training.cache_path("toy", metrics_classifier.RECIPE, toy.arrays, tmp_path)
    path.write_bytes(b"not an npz file")
    with pytest.warns(UserWarning, match="unreadable classifier cache"):
        classifier = metrics.digits_classifier(cache_dir=tmp_path, dataset=toy)
    assert classifier.accuracy >= 0.95
    classifier_training._LOADED.clear()
    assert metrics.digits_classifier(cache_dir=tmp_path, dataset=toy).accuracy == classifier.accuracy
