"""The one classifier loop (minigan.classifier_training.train_classifier): Adam's first step on the
cross-entropy by hand, the minibatches it visits, epochs against steps, its history; and the one cache:
content-addressed names, trained once and then loaded, unreadable files replaced."""
import numpy as np
import pytest

import minigan
from minigan import nn
from minigan.classifier_training import _LOADED, cache_path, cached_classifier, cross_entropy, train_classifier


def toy_data(n=40, features=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, (n, features)).astype(np.float32), rng.integers(0, classes, n)


def linear_model(features=4, classes=3, seed=0):
    with minigan.fork_rng(seed):
        return nn.Sequential(nn.Linear(features, classes))


def weights(model):
    return [p.numpy().copy() for p in model.parameters()]


def test_one_full_batch_step_is_adams_first_step_on_the_cross_entropy():
    """∇_W J = (softmax(xWᵀ + b) − onehot(y))ᵀ x / N, ∇_b J = mean(softmax − onehot); Adam's first
    step moves each parameter by −lr · g / (|g| + ε) (m̂ = g, v̂ = g² after bias correction)."""
    x, y = toy_data()
    model = linear_model()
    (w0, b0) = weights(model)
    logits = x.astype(np.float64) @ w0.T + b0
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    grad_w, grad_b = p.T @ x / len(y), p.mean(0)
    history = train_classifier(model, (x, y), steps=1, batch_size=len(y), lr=0.01)
    w1, b1 = weights(model)
    np.testing.assert_allclose(w1 - w0, -0.01 * grad_w / (np.abs(grad_w) + 1e-8), rtol=1e-3, atol=1e-7)
    np.testing.assert_allclose(b1 - b0, -0.01 * grad_b / (np.abs(grad_b) + 1e-8), rtol=1e-3, atol=1e-7)
    assert len(history) == 1 and history[0] == pytest.approx(cross_entropy(linear_model(), minigan.tensor(x), y).item())


def test_each_epoch_visits_every_example_once_in_a_seeded_order():
    x, y = toy_data(n=40)
    x[:, 0] = np.arange(40)                                  # an example remembers its index

    def recording(seen):
        def loss(model, xb, yb):
            seen.append(xb.numpy()[:, 0].astype(int))
            return cross_entropy(model, xb, yb)
        return loss

    orders = []
    for seed in (3, 3, 4):
        seen = []
        train_classifier(linear_model(), (x, y), epochs=2, batch_size=8, seed=seed, loss=recording(seen))
        assert len(seen) == 10 and all(len(b) == 8 for b in seen)
        for epoch in (seen[:5], seen[5:]):
            np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(40))
        orders.append(np.concatenate(seen))
    np.testing.assert_array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[0], orders[2])
    seen = []                                                # 40 = 3·13 + 1: the incomplete batch is dropped
    train_classifier(linear_model(), (x, y), epochs=1, batch_size=13, loss=recording(seen))
    assert [len(b) for b in seen] == [13, 13, 13]


def test_steps_continue_the_epochs_and_the_history_holds_one_mean_per_epoch():
    x, y = toy_data(n=40)
    by_epochs, by_steps, partial = linear_model(), linear_model(), linear_model()
    logged, losses = [], []

    def loss(model, xb, yb):
        value = cross_entropy(model, xb, yb)
        losses.append(value.item())
        return value

    history = train_classifier(by_epochs, (x, y), epochs=3, batch_size=8, log=lambda e, m: logged.append((e, m)))
    assert train_classifier(by_steps, (x, y), steps=15, batch_size=8) == history
    for a, b in zip(weights(by_epochs), weights(by_steps)):
        np.testing.assert_array_equal(a, b)
    assert logged == list(enumerate(history)) and len(history) == 3
    short = train_classifier(partial, (x, y), steps=12, batch_size=8, loss=loss)     # 2 epochs and 2 batches
    assert short == pytest.approx([np.mean(losses[:5]), np.mean(losses[5:10]), np.mean(losses[10:])], rel=1e-12)
    assert short[:2] == history[:2]
    assert not by_epochs.training


def test_the_dropout_model_leaves_training_in_eval_mode_and_a_batch_larger_than_the_data_is_the_data():
    x, y = toy_data(n=10)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 3))
    modes = []

    def loss(model, xb, yb):
        modes.append((model.training, len(yb)))
        return cross_entropy(model, xb, yb)

    train_classifier(model, (x, y), epochs=2, batch_size=64, loss=loss)
    assert modes == [(True, 10), (True, 10)] and not model.training


@pytest.mark.parametrize("kwargs, message", [
    ({}, r"exactly one of epochs= .* or steps= .*, got epochs=None, steps=None"),
    ({"epochs": 2, "steps": 3}, r"exactly one of epochs="),
    ({"epochs": -1}, r"epochs must be an integer >= 0, got epochs=-1"),
    ({"steps": 1.5}, r"steps must be an integer >= 0, got steps=1.5"),
])
def test_the_training_length_is_checked(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_classifier(linear_model(), toy_data(), **kwargs)


# ---------------------------------------------------------------------------------------------- cache
def test_the_cache_name_covers_the_recipe_and_every_byte_of_the_data(tmp_path):
    x, y = toy_data()
    path = cache_path("toy", {"lr": 1e-3, "epochs": 2}, (x, y), tmp_path)
    assert path.parent == tmp_path and path.name.startswith("classifier-toy-") and path.suffix == ".npz"
    assert cache_path("toy", {"epochs": 2, "lr": 1e-3}, (x.copy(), y.copy()), tmp_path) == path  # content, not identity
    assert cache_path("toy", {"lr": 1e-3, "epochs": 3}, (x, y), tmp_path) != path
    changed = x.copy()
    changed[17, 2] = np.nextafter(changed[17, 2], np.float32(np.inf))
    assert cache_path("toy", {"lr": 1e-3, "epochs": 2}, (changed, y), tmp_path) != path
    assert cache_path("toy", {"lr": 1e-3, "epochs": 2}, (x, minigan.tensor(y)), tmp_path) == path


def test_the_cache_folder_defaults_to_minigan_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path))
    assert cache_path("toy", {}).parent == tmp_path


def test_a_classifier_is_trained_once_then_loaded_with_its_info(tmp_path):
    x, y = toy_data()
    path = cache_path("toy", {"epochs": 3}, (x, y), tmp_path)
    calls = []

    def train(model):
        calls.append(model)
        train_classifier(model, (x, y), epochs=3, batch_size=8)
        return {"accuracy": 0.5, "note": "toy"}

    model, info = cached_classifier(path, linear_model, train)
    assert len(calls) == 1 and info == {"accuracy": 0.5, "note": "toy"} and not model.training
    assert cached_classifier(path, linear_model, train)[0] is model             # read once per process
    _LOADED.pop(str(path))
    loaded, loaded_info = cached_classifier(path, lambda: linear_model(seed=9), train)
    assert len(calls) == 1 and loaded_info == info and loaded is not model and not loaded.training
    for a, b in zip(weights(model), weights(loaded)):
        np.testing.assert_array_equal(a, b)
    with np.load(path, allow_pickle=False) as archive:                          # arrays and JSON: no pickle
        assert len(archive.files) >= 2
    _LOADED.pop(str(path))


def test_an_unreadable_or_unwritable_cache_still_gives_a_trained_classifier(tmp_path):
    x, y = toy_data()
    path = cache_path("toy", {}, (x, y), tmp_path)
    path.write_bytes(b"\x00 truncated")

    def train(model):
        train_classifier(model, (x, y), epochs=1)
        return {"accuracy": 1.0}

    with pytest.warns(UserWarning, match="ignoring the unreadable classifier cache"):
        model, info = cached_classifier(path, linear_model, train)
    _LOADED.pop(str(path))
    assert cached_classifier(path, linear_model, pytest.fail)[1] == {"accuracy": 1.0}  # replaced by a good file
    _LOADED.pop(str(path))
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.warns(UserWarning, match="could not cache the classifier"):
        _, info = cached_classifier(blocked / "classifier.npz", linear_model, train)
    assert info == {"accuracy": 1.0}
    _LOADED.pop(str(blocked / "classifier.npz"))
