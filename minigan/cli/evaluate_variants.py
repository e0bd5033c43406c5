"""What `evaluate` measures besides a generator's samples, for the models that have more to ask:

    a conditional model (num_classes, sample(n, labels))   the share of samples that land on their
        requested label, per label: the nearest mode within 3σ (2-D mixtures) or the digits
        classifier's prediction (images)
    an autoencoder (encode, decode, reconstruct)           the reconstruction error per pixel, the
        share of reconstructions classified as their input's class, and how far the dataset's codes
        are from the prior: their per-dimension mean and standard deviation, and an RBF MMD² against
        as many prior samples
    ALI (encode, generate, reconstruct)                    on 2-D data the correlation of E(G(z)) with
        z per coordinate and the share of reconstructions G(E(x)) at x's mode; on digits the share of
        reconstructions classified as x's digit and BiGAN's distance ratio
    several generator samples (member_samples)             each sample's figures (the Bayesian GAN)
"""
import numpy as np

MMD_POINTS = 1000   # codes and prior samples in the MMD estimate


def variant_figures(algorithm, data, n, sample_figures):
    """The figures above that fit `algorithm`, after its n samples were measured by `sample_figures`
    (an array of samples → their figures); label and code figures draw off the run's random stream."""
    from minigan.creation import fork_rng

    figures = {}
    if getattr(algorithm, "num_classes", None):
        with fork_rng(1):
            figures.update(label_figures(algorithm, data, n))
    if hasattr(algorithm, "member_samples"):
        figures["members"] = [sample_figures(part.numpy(), data) for part in algorithm.member_samples(n)]
    if hasattr(algorithm, "decode") and hasattr(data, "images"):
        figures.update(encoder_figures(algorithm, data))
    elif hasattr(algorithm, "reconstruct"):
        figures.update(inference_figures(algorithm, data, n))
    return figures


def label_figures(algorithm, data, n):
    """The conditional figures of n samples, every label equally often (0, 1, …, K−1, 0, …)."""
    from minigan import metrics
    from minigan.data import Toy2D
    from minigan.gan.conditional import balanced_labels

    k = algorithm.num_classes
    labels = balanced_labels(n, k)
    samples = algorithm.sample(n, labels=labels).numpy()
    if isinstance(data, Toy2D):
        hits = metrics.label_hits(samples, labels, data.centers, data.std)
    else:
        classifier = metrics.digits_classifier(dataset=None if data.name == "digits" else data)
        hits = metrics.predict(classifier, samples) == labels
    rates = metrics.per_label_rates(hits, labels, k)
    return {"label_accuracy": float(np.mean(hits)), "label_accuracy_per_label": rates,
            "label_accuracy_min": float(np.min(rates))}


def encoder_figures(algorithm, data):
    """Reconstruction and code figures on the whole dataset (images with labels)."""
    from minigan import metrics
    from minigan.creation import fork_rng
    from minigan.gan.base import in_batches

    x = data.images
    labels = getattr(data, "labels", None)
    codes = in_batches(algorithm.encode, x)
    conditional = getattr(algorithm, "num_classes", None)
    x_hat = in_batches(algorithm.reconstruct, x, labels=labels if conditional else None)
    means, stds = metrics.code_moments(codes)
    figures = {"reconstruction_mse": float(((x_hat - x) ** 2).mean()), "code_mean": means, "code_std": stds,
               "code_mean_max_abs": float(np.max(np.abs(means))), "code_std_min": float(np.min(stds)),
               "code_std_max": float(np.max(stds))}
    with fork_rng(0):
        chosen = np.random.default_rng(0).permutation(len(codes))[:MMD_POINTS]
        prior = algorithm.noise(len(chosen)).numpy()
    figures["code_mmd2"] = metrics.rbf_mmd(codes[chosen], prior)
    with fork_rng(1):
        figures["prior_mmd2_baseline"] = metrics.rbf_mmd(algorithm.noise(len(chosen)).numpy(), prior)
    if labels is not None and data.image_shape[1:] in ((8, 8), (28, 28)):
        classifier = metrics.digits_classifier(dataset=None if data.name == "digits" else data)
        figures["reconstruction_class_agreement"] = float((metrics.predict(classifier, x_hat) == labels).mean())
    return figures


def inference_figures(algorithm, data, n):
    """For ALI/BiGAN: on 2-D data the correlation of E(G(z)) with z in each coordinate of z, and the
    fraction of real points whose reconstruction G(E(x)) lies nearest to the same mode; on labelled
    digits the fraction of reconstructions G(E(x)) that the classifier assigns to x's own digit, and
    ‖x − G(E(x))‖ over ‖x' − G(E(x))‖ for another real x' (BiGAN's ratio)."""
    from minigan import metrics, tensor
    from minigan.data import Toy2D
    from minigan.metrics_classifier import predict, resolve_classifier

    if isinstance(data, Toy2D):
        z = algorithm.noise(n)
        codes = algorithm.encode(algorithm.generate(z)).numpy()
        z = z.numpy()
        correlation = [float(np.corrcoef(z[:, k], codes[:, k])[0, 1]) for k in range(z.shape[1])]
        x = data.arrays[0][np.random.default_rng(0).permutation(len(data))[:n]]
        nearest = [metrics.squared_distances(v.astype(np.float64), data.centers).argmin(axis=1)
                   for v in (x, algorithm.reconstruct(tensor(x)).numpy())]
        return {"latent_correlation": correlation, "reconstruction_same_mode": float((nearest[0] == nearest[1]).mean())}
    if getattr(data, "labels", None) is None or data.image_shape[1:] not in ((8, 8), (28, 28)):
        return {}
    order = np.random.default_rng(0).permutation(len(data))[:n]
    x, labels = data.images[order], np.asarray(data.labels)[order]
    reconstructions = algorithm.reconstruct(tensor(x)).numpy()
    dataset = None if data.name == "digits" else data
    predicted = predict(resolve_classifier(reconstructions, dataset=dataset), reconstructions)
    flat, flat_rec = x.reshape(len(x), -1), reconstructions.reshape(len(x), -1)
    other = flat[np.roll(np.arange(len(x)), 1)]
    ratio = np.linalg.norm(flat - flat_rec, axis=1).mean() / np.linalg.norm(other - flat_rec, axis=1).mean()
    return {"reconstruction_agreement": float((predicted == labels).mean()), "reconstruction_ratio": float(ratio)}


def print_figures(figures, n):
    """The lines `evaluate` prints for these figures."""
    if "label_accuracy" in figures:
        rates = " ".join(f"{r:.2f}" for r in figures["label_accuracy_per_label"])
        print(f"samples on their requested label: {100 * figures['label_accuracy']:.1f}% (lowest label "
              f"{100 * figures['label_accuracy_min']:.1f}%); per label: {rates}  ({n} samples)")
    if "reconstruction_mse" in figures:
        agreement = figures.get("reconstruction_class_agreement")
        extra = "" if agreement is None else f"; reconstructions classified as their input: {100 * agreement:.1f}%"
        print(f"reconstruction error: {figures['reconstruction_mse']:.4f} per pixel{extra}")
        means = " ".join(f"{m:+.2f}" for m in figures["code_mean"])
        stds = " ".join(f"{s:.2f}" for s in figures["code_std"])
        print(f"codes of the dataset: mean {means}; std {stds}; MMD² to the prior {figures['code_mmd2']:.4f} "
              f"(prior against itself: {figures['prior_mmd2_baseline']:.4f})")
    if "latent_correlation" in figures:
        print("E(G(z)) against z, correlation per coordinate: "
              + ", ".join(f"{c:.3f}" for c in figures["latent_correlation"])
              + f"; reconstructions G(E(x)) nearest to x's mode: {100 * figures['reconstruction_same_mode']:.1f}%")
    if "reconstruction_agreement" in figures:
        print(f"reconstructions G(E(x)) classified as x's digit: {100 * figures['reconstruction_agreement']:.1f}%; "
              f"‖x − G(E(x))‖ / ‖x' − G(E(x))‖ = {figures['reconstruction_ratio']:.2f}")
    for i, part in enumerate(figures.get("members", [])):
        print(f"  generator sample {i}: " + (f"modes {part['modes']} of {part['of_modes']}, high quality "
                                             f"{100 * part['high_quality']:.1f}%" if "modes" in part else
                                             f"classes seen {part.get('classes_seen')} of 10, histogram "
                                             f"{part.get('class_histogram')}"))
