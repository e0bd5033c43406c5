"""A small image classifier trained with minigan itself: its penultimate activations φ(x) are the
features of a Fréchet distance for digit GANs (the role Inception's pool features play in FID), and
its predictions give the class histogram of generated images (mode collapse shows as missing classes).

    classifier = digits_classifier()            # trained on first use (seconds), then cached on disk
    phi = classifier_features(fake_images)      # (N, 64) float32
    counts = class_histogram(fake_images)       # (10,) int64: how many samples of each digit

For other labelled images (e.g. MNIST's 28×28) pass the dataset: ``digits_classifier(dataset=data)``
trains (and caches) a classifier for that data. The cache is ``$MINIGAN_CACHE`` or ``~/.cache/minigan``,
one file per dataset content and training recipe (``minigan.save``: arrays and JSON, no pickle).
"""
import hashlib
import os
import warnings
from pathlib import Path

import numpy as np

import minigan
from minigan import backend, nn, optim
from minigan import functional as F
from minigan.autograd import Tensor
from minigan.data.images import digits
from minigan.data.loader import ArrayDataset, DataLoader

# The training recipe; any change here changes the cache file's name, so stale weights are never used.
RECIPE = {"version": 1, "hidden": (128, 64), "steps": 800, "min_epochs": 3, "batch_size": 128, "lr": 1e-3,
          "seed": 0, "holdout": 0.2}
_LOADED = {}  # cache file -> classifier, so a process reads each file once


class ImageClassifier(nn.Module):
    """An MLP on flattened images:

        φ(x) = ReLU(W₂ ReLU(W₁ flatten(x) + b₁) + b₂)      the features (N, hidden[-1])
        logits = W₃ φ(x) + b₃                               (N, num_classes)

    ``accuracy`` is the held-out accuracy measured after training."""

    def __init__(self, image_shape, num_classes, hidden=RECIPE["hidden"]):
        super().__init__()
        self.image_shape, self.num_classes = tuple(image_shape), int(num_classes)
        widths = (int(np.prod(image_shape)),) + tuple(hidden)
        layers = [nn.Flatten()]
        for fan_in, fan_out in zip(widths[:-1], widths[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(widths[-1], num_classes)
        self.accuracy = None

    def features(self, x):
        """φ(x): the penultimate activations."""
        return self.body(x)

    def forward(self, x):
        return self.head(self.body(x))


def _as_batchable(images, image_shape):
    """Images (a Tensor or array, N×C×H×W in [−1, 1]) as a float32 array on the current backend."""
    array = images.data if isinstance(images, Tensor) else images
    array = array if hasattr(array, "ndim") else np.asarray(array)
    if array.ndim != 4 or tuple(array.shape[1:]) != tuple(image_shape) or len(array) == 0:
        raise ValueError(f"this classifier takes N×{'×'.join(map(str, image_shape))} images in [-1, 1] with "
                         f"N ≥ 1, got shape {tuple(array.shape)}")
    xp = backend.module()
    return xp.asarray(backend.to_numpy(array) if xp is np else array).astype(np.float32, copy=False)


def _map_batches(fn, classifier, images, batch_size=1000):
    """fn(classifier, x) over batches of `images` in eval mode without a graph, concatenated on the host."""
    x = _as_batchable(images, classifier.image_shape)
    was_training = classifier.training
    classifier.eval()
    try:
        with minigan.no_grad():
            outputs = [backend.to_numpy(fn(classifier, Tensor(x[i:i + batch_size])).data)
                       for i in range(0, len(x), batch_size)]
    finally:
        classifier.train(was_training)
    return np.concatenate(outputs)


def predict(classifier, images):
    """The predicted class argmax_k logits_k of each image: int64 (N,)."""
    return _map_batches(lambda c, x: c(x), classifier, images).argmax(axis=1).astype(np.int64)


def train_classifier(dataset, recipe=RECIPE):
    """Train an ImageClassifier on a labelled ImageDataset: Adam on the cross-entropy
    −(1/m) Σᵢ log softmax(logits(xᵢ))_{yᵢ}, for recipe["steps"] minibatches of recipe["batch_size"] or
    recipe["min_epochs"] epochs, whichever is more (about 1 s for the digits, 7 s for MNIST's 60,000
    images on one core), after holding out the fraction recipe["holdout"] on which ``.accuracy`` is measured.

    Deterministic, and leaves minigan's random generator as it found it (so training on first use does
    not change the random draws of the run that asked for it)."""
    if dataset.labels is None:
        raise ValueError(f"the dataset {dataset.name!r} has no labels: a classifier needs labelled images")
    with minigan.fork_rng(recipe["seed"]):
        order = np.random.default_rng(recipe["seed"]).permutation(len(dataset))
        n_test = int(len(dataset) * recipe["holdout"])
        test, train = order[:n_test], order[n_test:]
        classifier = ImageClassifier(dataset.image_shape, dataset.num_classes, recipe["hidden"])
        optimizer = optim.Adam(classifier.parameters(), lr=recipe["lr"])
        batch_size = min(recipe["batch_size"], len(train))
        images, labels = dataset[train]
        loader = DataLoader(ArrayDataset(images.astype(np.float32), labels), batch_size, seed=recipe["seed"])
        batches = loader.forever()
        for _ in range(max(recipe["steps"], recipe["min_epochs"] * len(loader))):
            x, y = next(batches)
            loss = F.cross_entropy(classifier(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    images, labels = dataset[test]
    classifier.accuracy = float((predict(classifier, images) == labels).mean()) if n_test else float("nan")
    return classifier.eval()


def cache_path(dataset, cache_dir=None, recipe=RECIPE):
    """<cache>/classifier-<name>-<hash>.npz, the hash covering the images, the labels and the recipe."""
    folder = Path(cache_dir or os.environ.get("MINIGAN_CACHE") or Path.home() / ".cache" / "minigan")
    digest = hashlib.sha1(repr(sorted(recipe.items())).encode())
    for array in dataset.arrays:
        digest.update(repr((array.shape, str(array.dtype))).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    return folder / f"classifier-{dataset.name}-{digest.hexdigest()[:16]}.npz"


def _load(path, dataset):
    try:
        saved = minigan.load(path)
        classifier = ImageClassifier(dataset.image_shape, dataset.num_classes)
        classifier.load_state_dict(saved["state"])
        classifier.accuracy = float(saved["accuracy"])
        return classifier.eval()
    except Exception as e:  # any unreadable cache (truncated, foreign, older layout) is rebuilt
        warnings.warn(f"ignoring the unreadable classifier cache {str(path)!r} ({e}); training a new one")
        return None


def digits_classifier(cache_dir=None, dataset=None):
    """The classifier of `dataset` (scikit-learn's 8×8 digits when None): loaded from the cache, or
    trained (seconds) and cached with ``minigan.save`` on first use."""
    dataset = digits() if dataset is None else dataset
    path = cache_path(dataset, cache_dir)
    if str(path) in _LOADED:
        return _LOADED[str(path)]
    classifier = _load(path, dataset) if path.is_file() else None
    if classifier is None:
        classifier = train_classifier(dataset)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            minigan.save({"state": classifier.state_dict(), "accuracy": classifier.accuracy,
                          "dataset": dataset.name}, path)
        except OSError as e:
            warnings.warn(f"could not cache the classifier in {str(path)!r} ({e}); it will be retrained next time")
    _LOADED[str(path)] = classifier
    return classifier


def resolve_classifier(images, classifier=None, dataset=None):
    """`classifier`, else the one for `dataset`, else the digits classifier for 1×8×8 images."""
    if classifier is not None:
        return classifier
    if dataset is not None:
        return digits_classifier(dataset=dataset)
    shape = tuple((images.data if isinstance(images, Tensor) else images).shape[1:])
    if shape == (1, 8, 8):
        return digits_classifier()
    raise ValueError(f"images of shape {shape} need a classifier trained on such images: pass the labelled "
                     f"dataset (dataset=minigan.data.images.mnist(PATH)) or classifier=digits_classifier(dataset=...)")


def classifier_features(images, classifier=None, dataset=None):
    """φ(x) for N×C×H×W images in [−1, 1]: float32 (N, features), on the host."""
    classifier = resolve_classifier(images, classifier, dataset)
    return _map_batches(lambda c, x: c.features(x), classifier, images)


def class_histogram(images, classifier=None, dataset=None):
    """How many images the classifier assigns to each class: int64 (num_classes,)."""
    classifier = resolve_classifier(images, classifier, dataset)
    return np.bincount(predict(classifier, images), minlength=classifier.num_classes)
