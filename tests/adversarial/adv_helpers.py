"""Shared by the adversarial tests: a softmax-regression classifier built from Tensors alone, whose input
gradient has a closed form, and random batches."""
import numpy as np

import minigan


class LinearSoftmax:
    """f(x) = flatten(x) Wᵀ + b; with J the mean cross-entropy over N images,
    ∇ₓ J = (softmax(f(x)) − onehot(y)) W / N, reshaped like x."""

    def __init__(self, features=16, classes=4, seed=0, dtype=np.float64):
        rng = np.random.default_rng(seed)
        self.W = minigan.tensor(rng.normal(0, 1, (classes, features)).astype(dtype), requires_grad=True)
        self.b = minigan.tensor(rng.normal(0, 0.1, classes).astype(dtype), requires_grad=True)
        self.calls = 0

    def parameters(self):
        return [self.W, self.b]

    def __call__(self, x):
        self.calls += 1
        return x.reshape(x.shape[0], -1) @ self.W.T + self.b

    def probs(self, x):
        x = x.numpy() if isinstance(x, minigan.Tensor) else np.asarray(x)
        logits = x.reshape(len(x), -1) @ self.W.numpy().T + self.b.numpy()
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def input_gradient(self, x, y):
        """(softmax − onehot(y)) W / N, in NumPy."""
        p = self.probs(x)
        p[np.arange(len(y)), y] -= 1
        return (p @ self.W.numpy() / len(y)).reshape(x.shape)

    def losses(self, x, y):
        """−log softmax(f(x))[y] per image, in NumPy."""
        return -np.log(self.probs(x)[np.arange(len(y)), y])


def batch(n=6, shape=(1, 4, 4), classes=4, seed=0, dtype=np.float64):
    """n images uniform in [0, 1] and random labels."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (n,) + shape).astype(dtype)
    return x, rng.integers(0, classes, n)
