"""A small image classifier trained with minigan itself: its penultimate activations φ(x) are the
features of a Fréchet distance for digit GANs (the role Inception's pool features play in FID), and
its predictions give the class histogram of generated images (mode collapse shows as missing classes).

    classifier = digits_classifier()            # trained on first use (seconds), then cached on disk
    phi = classifier_features(fake_images)      # (N, 64) float32
    counts = class_histogram(fake_images)       # (10,) int64: how many samples of each digit

For other labelled images (e.g. MNIST's 28×28) pass the dataset: ``digits_classifier(dataset=data)``
trains (and caches) a classifier for that data. Training and the cache are `minigan.classifier_training`'s:
the cache is ``$MINIGAN_CACHE`` or ``~/.cache/minigan``, one file per dataset content and training
recipe (``minigan.save``: arrays and JSON, no pickle).
"""
import numpy as np

import minigan
from minigan import backend, nn
from minigan.autograd import Tensor
from minigan.classifier_training import cache_path, cached_classifier, train_classifier
from minigan.data.images import digits

# The training recipe; any change here changes the cache file's name, so stale weights are never used.
RECIPE = {"version": 2, "hidden": (128, 64), "steps": 800, "min_epochs": 3, "batch_size": 128, "lr": 1e-3,
          "seed": 0, "holdout": 0.2}


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
    with nn.evaluating(classifier), minigan.no_grad():
        outputs = [backend.to_numpy(fn(classifier, Tensor(x[i:i + batch_size])).data)
                   for i in range(0, len(x), batch_size)]
    return np.concatenate(outputs)


def predict(classifier, images):
    """The predicted class argmax_k logits_k of each image: int64 (N,)."""
    return _map_batches(lambda c, x: c(x), classifier, images).argmax(axis=1).astype(np.int64)


def train_image_classifier(classifier, dataset, recipe=RECIPE):
    """Train `classifier` on a labelled ImageDataset and return its held-out accuracy: the fraction
    recipe["holdout"] of the images (a permutation seeded with recipe["seed"]) is held out, and
    `train_classifier` minimises the cross-entropy −(1/m) Σᵢ log softmax(logits(xᵢ))_{yᵢ} on the rest
    by Adam(recipe["lr"]), for recipe["steps"] minibatches of recipe["batch_size"] or
    recipe["min_epochs"] epochs, whichever is more (about 1 s for the digits, 7 s for MNIST's 60,000
    images on one core)."""
    if dataset.labels is None:
        raise ValueError(f"the dataset {dataset.name!r} has no labels: a classifier needs labelled images")
    order = np.random.default_rng(recipe["seed"]).permutation(len(dataset))
    n_test = int(len(dataset) * recipe["holdout"])
    test, train = order[:n_test], order[n_test:]
    images, labels = dataset[train]
    batch_size = min(recipe["batch_size"], len(train))
    steps = max(recipe["steps"], recipe["min_epochs"] * (len(train) // batch_size))
    train_classifier(classifier, (images.astype(np.float32), labels), steps=steps, batch_size=batch_size,
                     lr=recipe["lr"], seed=recipe["seed"])
    images, labels = dataset[test]
    return float((predict(classifier, images) == labels).mean()) if n_test else float("nan")


def digits_classifier(cache_dir=None, dataset=None):
    """The classifier of `dataset` (scikit-learn's 8×8 digits when None), with its held-out
    ``.accuracy``: loaded from the cache, or trained (seconds) and cached on first use.

    Deterministic either way (its initial weights come from minigan's generator seeded with
    RECIPE["seed"]), and it leaves the caller's random generator as it found it: asking for the
    classifier never changes the random draws of the run that asked."""
    dataset = digits() if dataset is None else dataset
    path = cache_path(dataset.name, RECIPE, dataset.arrays, cache_dir)

    def build():
        return ImageClassifier(dataset.image_shape, dataset.num_classes, RECIPE["hidden"])

    def train(classifier):
        return {"accuracy": train_image_classifier(classifier, dataset), "dataset": dataset.name}

    with minigan.fork_rng(RECIPE["seed"]):
        classifier, info = cached_classifier(path, build, train)
    classifier.accuracy = float(info["accuracy"])
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
