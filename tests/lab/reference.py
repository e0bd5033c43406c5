"""The lab's numbers computed again without minigan: the 2-D MLPs run in float64 NumPy from their
weights, the input gradient of the generator's per-sample loss by the chain rule written out (and
checked against central differences), the mode coverage counted by hand."""
import numpy as np

from minigan import nn


def mlp(module):
    """A float64 NumPy function x -> module(x) for an nn.Sequential (or a list) of Linear, Tanh,
    ReLU, LeakyReLU."""
    layers = list(module)

    def forward(x):
        x = np.asarray(x, dtype=np.float64)
        for layer in layers:
            if isinstance(layer, nn.Linear):
                x = x @ layer.weight.numpy().astype(np.float64).T + layer.bias.numpy().astype(np.float64)
            elif isinstance(layer, nn.Tanh):
                x = np.tanh(x)
            elif isinstance(layer, nn.ReLU):
                x = np.maximum(x, 0.0)
            elif isinstance(layer, nn.LeakyReLU):
                x = np.where(x > 0, x, layer.negative_slope * x)
            else:
                raise TypeError(f"no reference for {layer!r}")
        return x

    return forward


def input_gradient(module, x, d_out):
    """∂ℓ(module(xᵢ))/∂xᵢ for every row, by the chain rule through each layer: d_out(y) is ℓ'(y)."""
    layers, inputs = list(module), []
    y = np.asarray(x, dtype=np.float64)
    for layer in layers:
        inputs.append(y)
        y = mlp([layer])(y)
    g = d_out(y)
    for layer, u in zip(reversed(layers), reversed(inputs)):
        if isinstance(layer, nn.Linear):
            g = g @ layer.weight.numpy().astype(np.float64)
        elif isinstance(layer, nn.Tanh):
            g = g * (1 - np.tanh(u) ** 2)
        elif isinstance(layer, nn.ReLU):
            g = g * (u > 0)
        elif isinstance(layer, nn.LeakyReLU):
            g = g * np.where(u > 0, 1.0, layer.negative_slope)
    return g


def softplus(a):
    return np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def per_sample_loss(kind, generator_loss):
    """ℓ(output) of one generated sample and its derivative ℓ': −log D = softplus(−a), ℓ' = −σ(−a)
    (GAN-5); log(1 − D) = −softplus(a), ℓ' = −σ(a) (GAN-4); −f, ℓ' = −1 (WGAN-4 line 10)."""
    if kind != "gan":
        return (lambda f: -f), (lambda f: -np.ones_like(f))
    if generator_loss == "non_saturating":
        return (lambda a: softplus(-a)), (lambda a: -sigmoid(-a))
    return (lambda a: -softplus(a)), (lambda a: -sigmoid(a))


def central_differences(f, x, h=1e-5):
    """∂f(xᵢ)/∂xᵢ for every row xᵢ of x (n, 2), f applied row-wise and returning (n,)."""
    x = np.asarray(x, dtype=np.float64)
    g = np.zeros_like(x)
    for j in range(x.shape[1]):
        step = np.zeros_like(x)
        step[:, j] = h
        g[:, j] = (f(x + step) - f(x - step)) / (2 * h)
    return g


def coverage(samples, centers, std, threshold=3.0):
    """PacGAN's definitions, sample by sample: (modes captured, fraction of high-quality samples)."""
    captured, good = set(), 0
    for x in samples:
        d = np.linalg.norm(centers - x, axis=1)
        k = int(np.argmin(d))
        if d[k] < threshold * std:
            good += 1
            captured.add(k)
    return len(captured), good / len(samples)
