"""What `evaluate` measures besides a generator's samples, for the models that have more to ask:

    a conditional model (num_classes, sample(n, labels))   the share of samples that land on their
        requested label, per label: the nearest mode within 3σ (2-D mixtures) or the digits
        classifier's prediction (images)
    a model with an encoder (encode, reconstruct)          the reconstruction error per pixel, the
        share of reconstructions classified as their input's class, and how far the dataset's codes
        are from the prior: their per-dimension mean and standard deviation, and an RBF MMD² against
        as many prior samples
"""
import numpy as np

MMD_POINTS = 1000   # codes and prior samples in the MMD estimate


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
