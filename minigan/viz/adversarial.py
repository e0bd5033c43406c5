"""Figures of the adversarial-examples part: the lecture's triptych and the error-against-ε curve.

The triptych is the panda slide (ADV-1) for any image classifier:

    x  "label, confidence"   +   ε · sign(∇ₓ J(θ, x, y))   =   x_adv  "another label, confidence"
"""
import numpy as np
from matplotlib.figure import Figure

from minigan import backend


def _numpy(a):
    return backend.to_numpy(getattr(a, "data", a))


def _show(ax, image, vmin, vmax, cmap="gray"):
    """An image (C, H, W) or (H, W): one channel in `cmap`, three as RGB."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[0] == 1:
        image = image[0]
    if image.ndim == 3:
        ax.imshow(np.clip((image.transpose(1, 2, 0) - vmin) / (vmax - vmin), 0, 1))
    else:
        ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def triptych(x, x_adv, eps, labels, confidences, adv_labels, adv_confidences, path=None, perturbation=None,
             perturbation_title="+ ε·sign(∇ₓJ(θ, x, y))", class_names=None, clip=(0.0, 1.0)):
    """One row per example: x with its label and confidence; the perturbation (by default x_adv − x;
    pass FGSM's ε·sign(∇ₓJ) to show it before clipping), on the scale [−ε, ε]; x_adv with its label
    and confidence.

    x, x_adv, perturbation: (N, C, H, W); labels, confidences: what the classifier says about x and
    x_adv (N,). Writes a PNG to `path` when given; returns the Figure."""
    x, x_adv = _numpy(x), _numpy(x_adv)
    perturbation = x_adv - x if perturbation is None else _numpy(perturbation)
    name = (lambda c: str(c)) if class_names is None else (lambda c: class_names[int(c)])
    bound = max(eps, 1e-12)
    rows = len(x)
    fig = Figure(figsize=(7.5, 2.6 * rows))
    axes = fig.subplots(rows, 3, squeeze=False)
    for i in range(rows):
        _show(axes[i, 0], x[i], *clip)
        _show(axes[i, 1], perturbation[i].mean(axis=0), -bound, bound, cmap="coolwarm")
        _show(axes[i, 2], x_adv[i], *clip)
        axes[i, 0].set_title(f"x\n“{name(labels[i])}”  {100 * confidences[i]:.1f}% confidence", fontsize=9)
        axes[i, 1].set_title(f"{perturbation_title}\nε = {eps:g}", fontsize=9)
        axes[i, 2].set_title(f"= x_adv\n“{name(adv_labels[i])}”  {100 * adv_confidences[i]:.1f}% confidence",
                             fontsize=9)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def error_vs_eps(epsilons, errors, path=None, title="Error on adversarial examples"):
    """Error rate (%) against ε, one line per entry of `errors` ({name: [error at each ε]}, errors in
    [0, 1]). Writes a PNG to `path` when given; returns the Figure."""
    fig = Figure(figsize=(5.5, 3.8))
    ax = fig.subplots()
    for label, values in errors.items():
        if len(values) != len(epsilons):
            raise ValueError(f"{label!r} has {len(values)} error rates for {len(epsilons)} values of ε")
        ax.plot(epsilons, 100 * np.asarray(values), marker="o", label=label)
    ax.set_xlabel("ε (fraction of the pixel range)")
    ax.set_ylabel("error rate (%)")
    ax.set_ylim(0, 100)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def patch_examples(patch, patched, labels, confidences, target, path=None, class_names=None, clip=(0.0, 1.0)):
    """[ADV-3] The patch p and a row of images A(p, x, l, t) with the label the classifier gives each
    (the target ŷ shown in the title). Writes a PNG to `path` when given; returns the Figure."""
    patched = _numpy(patched)
    name = (lambda c: str(c)) if class_names is None else (lambda c: class_names[int(c)])
    n = len(patched)
    fig = Figure(figsize=(1.6 * (n + 1), 2.2))
    axes = fig.subplots(1, n + 1, squeeze=False)
    _show(axes[0, 0], _numpy(patch), *clip)
    axes[0, 0].set_title(f"patch\ntarget “{name(target)}”", fontsize=8)
    for i in range(n):
        _show(axes[0, i + 1], patched[i], *clip)
        axes[0, i + 1].set_title(f"“{name(labels[i])}”\n{100 * confidences[i]:.0f}%", fontsize=8)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig
