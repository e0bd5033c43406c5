"""Training an image classifier, and the cache that keeps the trained ones: the one training loop and
the one cache behind the digits classifier of the metrics (`minigan.metrics_classifier`) and the
classifiers that the adversarial examples fool (`minigan.adversarial`, `python -m minigan attack`).

    history = train_classifier(model, (x, y), epochs=60)             # J: the cross-entropy; Adam
    history = train_classifier(model, (x, y), epochs=60, loss=J̃)     # any J̃(model, x, y), e.g. ADV-2's
    path = cache_path("digits-mlp", recipe, arrays=(x, y), folder="runs/classifiers")
    model, info = cached_classifier(path, build, train)   # build() with the saved weights, or trained now

A cache file's name ends in a hash of the training arrays and of the recipe (every setting that
changes the weights), so changing either never loads stale weights. Files are written with
``minigan.save`` and read with ``minigan.load`` (arrays and JSON, no pickle).
"""
import hashlib
import numbers
import os
import warnings
from pathlib import Path

import numpy as np

import minigan
from minigan import backend
from minigan import functional as F
from minigan.data.loader import ArrayDataset, DataLoader
from minigan.optim import Adam

_LOADED = {}  # cache file -> (model, info): each file is read once per process


def cross_entropy(model, x, y):
    """J(θ, x, y) = −(1/m) Σᵢ log softmax(model(xᵢ))_{yᵢ}, the plain classification loss."""
    return F.cross_entropy(model(x), y)


def _check_length(epochs, steps):
    if (epochs is None) == (steps is None):
        raise ValueError(f"give the training length as exactly one of epochs= (passes over the data) or "
                         f"steps= (minibatches), got epochs={epochs!r}, steps={steps!r}")
    for name, value in (("epochs", epochs), ("steps", steps)):
        if value is not None and (not isinstance(value, numbers.Integral) or value < 0):
            raise ValueError(f"{name} must be an integer >= 0, got {name}={value!r}")


def train_classifier(model, data, epochs=None, steps=None, batch_size=64, lr=1e-3, loss=cross_entropy,
                     seed=0, log=None):
    """Minimise J(θ) by Adam(lr) over shuffled minibatches of data = (x, y):

        for each minibatch (x_B, y_B) of `batch_size` examples:      (each epoch one permutation;
            θ ← θ − Adam(∇_θ J(θ, x_B, y_B))                          an incomplete last batch is dropped)

    for `epochs` passes over the data or for `steps` minibatches (exactly one of them). J is
    `loss(model, x_B, y_B)`: the cross-entropy by default; ADV-2's α·J(x) + (1 − α)·J(FGSM(x)) is
    ``loss=lambda model, x, y: minigan.adversarial.adversarial_loss(model, x, y, eps, alpha)``.
    The batches come from a DataLoader seeded with `seed`, so the loop draws nothing from minigan's
    random generator (a model with dropout aside).

    log: called as log(epoch, mean_loss) after every epoch. Returns the mean loss of each epoch (the
    last one over fewer batches when `steps` is not a multiple of the epoch) and leaves the model in
    eval mode."""
    _check_length(epochs, steps)
    x, y = data
    loader = DataLoader(ArrayDataset(x, y), batch_size=min(batch_size, len(y)), seed=seed)
    total = epochs * len(loader) if steps is None else steps
    optimizer = Adam(model.parameters(), lr=lr)
    batches = loader.forever()
    history, losses = [], []
    model.train()
    for step in range(total):
        x_batch, y_batch = next(batches)
        objective = loss(model, x_batch, y_batch)
        optimizer.zero_grad()
        objective.backward()
        optimizer.step()
        losses.append(objective.item())
        if len(losses) == len(loader) or step == total - 1:          # the end of an epoch (or of training)
            history.append(float(np.mean(losses)))
            losses = []
            if log is not None:
                log(len(history) - 1, history[-1])
    model.eval()
    return history


# ---------------------------------------------------------------------------------------- the cache
def cache_folder(folder=None):
    """`folder`, else $MINIGAN_CACHE, else ~/.cache/minigan."""
    return Path(folder or os.environ.get("MINIGAN_CACHE") or Path.home() / ".cache" / "minigan")


def cache_path(name, recipe, arrays=(), folder=None):
    """<folder>/classifier-<name>-<hash>.npz: the hash (SHA-1, 16 hex digits) covers the recipe (a dict
    of plain values) and every array of the training data (its shape, dtype and bytes)."""
    digest = hashlib.sha1(repr(sorted(recipe.items())).encode())
    for array in arrays:
        array = backend.to_numpy(getattr(array, "data", array))
        digest.update(repr((array.shape, str(array.dtype))).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    return cache_folder(folder) / f"classifier-{name}-{digest.hexdigest()[:16]}.npz"


def _load(path, build):
    try:
        saved = minigan.load(path)
        model = build()
        model.load_state_dict(saved["state"])
        return model.eval(), dict(saved["info"])
    except Exception as e:  # any unreadable file (truncated, foreign, another layout) is trained again
        warnings.warn(f"ignoring the unreadable classifier cache {str(path)!r} ({e}); training a new one",
                      stacklevel=3)
        return None


def cached_classifier(path, build, train):
    """(model, info): `build()` with the weights saved at `path`; when there is no readable file there,
    `build()` trained by ``info = train(model)`` (info: a dict of JSON values, e.g. the held-out
    accuracy) and saved to `path` with ``minigan.save``. Each file is read once per process (the same
    model object is returned again); an unreadable file is replaced, with a warning."""
    path = Path(path)
    if str(path) in _LOADED:
        return _LOADED[str(path)]
    loaded = _load(path, build) if path.is_file() else None
    if loaded is None:
        model = build()
        info = dict(train(model) or {})
        model.eval()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            minigan.save({"state": model.state_dict(), "info": info}, path)
        except OSError as e:
            warnings.warn(f"could not cache the classifier in {str(path)!r} ({e}); it will be trained again "
                          f"next time", stacklevel=2)
        loaded = model, info
    _LOADED[str(path)] = loaded
    return loaded
