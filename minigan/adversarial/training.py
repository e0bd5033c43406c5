"""[ADV-2] Adversarial training's objective, how a classifier is scored, and the data it reads.

    J̃(θ, x, y) = α J(θ, x, y) + (1 − α) J(θ, x + ε sign(∇ₓ J(θ, x, y)), y),   α = 0.5

(Goodfellow, Shlens, Szegedy 2014): every minibatch is trained on itself and on its FGSM examples,
which are recomputed against the current θ at every step and treated as constants (no gradient flows
through the sign). The training loop is minigan's one classifier loop, with J̃ as its loss:

    train_classifier(model, (x, y), epochs, loss=lambda model, x, y: adversarial_loss(model, x, y, eps, alpha))

The classifiers read images in [0, 1]; `classification_data` maps minigan's [−1, 1] images there.
"""
import numpy as np

from minigan import backend
from minigan import functional as F
from minigan.adversarial.fgsm import check_attack_inputs, fgsm
from minigan.autograd import Tensor, no_grad


def adversarial_loss(model, x, y, eps, alpha=0.5, clip=(0.0, 1.0), loss_fn=F.cross_entropy):
    """[ADV-2] J̃ = α·J(θ, x, y) + (1 − α)·J(θ, x_adv, y),  x_adv = FGSM(x) = x + ε·sign(∇ₓJ(θ, x, y)).

    x_adv is a constant (computed with minigan.grad, so no parameter's .grad is touched); the
    returned scalar carries the graph of both terms for θ. α = 1 is plain training."""
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha weighs the clean loss against the adversarial one and must lie in [0, 1], got {alpha}")
    x, y = check_attack_inputs(x, y, eps, clip)
    x_adv = fgsm(model, x, y, eps, clip=clip, loss_fn=loss_fn)
    return alpha * loss_fn(model(x), y) + (1.0 - alpha) * loss_fn(model(x_adv), y)  # [ADV-2] J̃


# ---------------------------------------------------------------------------------- scoring
def predict(model, x, batch_size=500):
    """ŷ = argmax_c p(c | x) and its confidence max_c p(c | x), p = softmax(model(x)), as NumPy arrays
    (computed without a graph, `batch_size` images at a time, in the model's current mode)."""
    x = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
    labels, confidences = [], []
    with no_grad():
        for start in range(0, len(x), batch_size):
            p = F.softmax(model(x[start:start + batch_size]), axis=1).data
            labels.append(backend.to_numpy(p.argmax(axis=1)))
            confidences.append(backend.to_numpy(p.max(axis=1)))
    return np.concatenate(labels), np.concatenate(confidences)


def accuracy(model, x, y):
    """The fraction of x classified as y."""
    labels, _ = predict(model, x)
    return float(np.mean(labels == backend.to_numpy(y.data if isinstance(y, Tensor) else y)))


def attack_report(model, x_adv, y, targeted=False):
    """How an attack did: {"error": fraction of x_adv not classified as y (targeted: "success", the
    fraction classified as the target y), "confidence": the mean confidence of the model's label on
    the examples that fooled it (Goodfellow et al. report it beside the error rate)}."""
    labels, confidences = predict(model, x_adv)
    y = backend.to_numpy(y.data if isinstance(y, Tensor) else y)
    fooled = labels == y if targeted else labels != y
    confidence = float(confidences[fooled].mean()) if fooled.any() else float("nan")
    return {"success" if targeted else "error": float(fooled.mean()), "confidence": confidence}


# --------------------------------------------------------------------------------------- data
def to_unit_interval(images):
    """minigan's images lie in [−1, 1] (a tanh generator's range); the classifiers read p = (x + 1)/2 ∈ [0, 1]."""
    images = backend.to_numpy(images.data if isinstance(images, Tensor) else images)
    return (images + np.float32(1.0)) * np.float32(0.5)


def classification_data(name="digits", path=None, test_fraction=0.2, seed=0):
    """(x_train, y_train, x_test, y_test), images in [0, 1] (NumPy, float32) and int64 labels.

    digits: scikit-learn's 1,797 8×8 digits, split by a permutation seeded with `seed`
    (round(test_fraction · 1797) of them, 359 by default, held out). mnist / fashion_mnist: the IDX files under
    `path`, the official train and t10k splits."""
    from minigan.data import images

    if name == "digits":
        data = images.digits()
        order = np.random.default_rng(seed).permutation(len(data))
        n_test = int(round(test_fraction * len(data)))
        test, train = order[:n_test], order[n_test:]
        x = to_unit_interval(data.images)
        return x[train], data.labels[train], x[test], data.labels[test]
    if name in ("mnist", "fashion_mnist"):
        if path is None:
            raise ValueError(f"{name} needs the folder of its IDX files: {name}=PATH")
        load = getattr(images, name)
        train, test = load(path, train=True), load(path, train=False)
        return to_unit_interval(train.images), train.labels, to_unit_interval(test.images), test.labels
    raise ValueError(f"unknown dataset {name!r}: choose digits, mnist or fashion_mnist")
