"""Numerical gradient checking: the analytical backward pass against central differences.

    ∂f/∂xᵢ ≈ (f(x + ε eᵢ) - f(x - ε eᵢ)) / (2ε)        (error O(ε²))

The output is contracted with a random cotangent v, f(x) = Σ v ⊙ fn(x), so that an error which an
all-ones cotangent would hide (say, a transposed gradient of a square matrix) is caught. The check
runs in float64: in float32 the rounding error of f, about 1e-7·|f|/ε, swamps the ε² term.
"""
import warnings

import numpy as np

from minigan import backend
from minigan.autograd import Tensor, _wrap, grad


class GradcheckError(AssertionError):
    """The analytical and numerical gradients disagree."""


def _outputs(fn, inputs):
    out = fn(*inputs)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def _float64_inputs(inputs):
    checked = []
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype != np.float64:
            warnings.warn(f"gradcheck: input {i} is {x.dtype}; it is checked as a float64 copy, because "
                          f"central differences in single precision are dominated by rounding error",
                          stacklevel=3)
            x = _wrap(x.data.astype(np.float64)).requires_grad_()
        checked.append(x)
    return checked


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, seed=0):
    """Check fn's backward pass against central differences on every element of every input that
    requires grad. Returns True, or raises GradcheckError naming the input, the worst element, and
    the numerical and analytical values (returns False instead when raise_exception=False)."""
    inputs = _float64_inputs(inputs if isinstance(inputs, (tuple, list)) else (inputs,))
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not wrt:
        raise ValueError("gradcheck: no input requires grad; pass tensors made with requires_grad=True")
    outputs = _outputs(fn, inputs)
    rng = np.random.default_rng(seed)
    cotangents = [_wrap(backend.get_array_module(o.data).asarray(rng.standard_normal(o.shape)).astype(o.dtype))
                  for o in outputs]
    differentiable = [(o, v) for o, v in zip(outputs, cotangents) if o.requires_grad]
    if differentiable:
        analytical = grad([o for o, _ in differentiable], [inputs[i] for i in wrt],
                          grad_outputs=[v for _, v in differentiable], allow_unused=True)
    else:
        analytical = [None] * len(wrt)

    def f():  # not under no_grad: fn may itself differentiate (gradgradcheck)
        return sum(float((o.data * v.data).sum()) for o, v in zip(_outputs(fn, inputs), cotangents))

    for i, g in zip(wrt, analytical):
        x = inputs[i].data
        g = np.zeros(x.shape) if g is None else backend.to_numpy(g.data)
        numerical = np.zeros(x.shape)
        flat = x.reshape(-1)  # a view: perturbing it perturbs the input
        for j in range(flat.size):
            original = flat[j].item()
            flat[j] = original + eps
            f_plus = f()
            flat[j] = original - eps
            f_minus = f()
            flat[j] = original
            numerical.reshape(-1)[j] = (f_plus - f_minus) / (2 * eps)
        error = np.abs(g - numerical) - (atol + rtol * np.abs(numerical))
        if error.size and error.max() > 0:
            worst = np.unravel_index(int(np.argmax(error)), x.shape)
            message = (f"gradcheck failed for input {i} (shape {tuple(x.shape)}) "
                       f"at element {tuple(int(k) for k in worst)}: "
                       f"numerical {numerical[worst]:.8g}, analytical {g[worst]:.8g} "
                       f"(atol={atol}, rtol={rtol}); {int((error > 0).sum())} of {x.size} elements disagree")
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True


def gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, seed=0):
    """Check second derivatives: gradcheck of x ↦ ∂(v · fn(x))/∂x, the first derivative computed
    with create_graph=True, so that its own backward pass is what gets checked."""
    inputs = _float64_inputs(inputs if isinstance(inputs, (tuple, list)) else (inputs,))
    wrt = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    rng = np.random.default_rng(seed + 1)
    cotangents = [_wrap(backend.get_array_module(o.data).asarray(rng.standard_normal(o.shape)))
                  for o in _outputs(fn, inputs)]

    def first_derivative(*xs):
        outputs = _outputs(fn, xs)
        pairs = [(o, v) for o, v in zip(outputs, cotangents) if o.requires_grad]
        grads = grad([o for o, _ in pairs], [x for x in xs if isinstance(x, Tensor) and x.requires_grad],
                     grad_outputs=[v for _, v in pairs], create_graph=True, allow_unused=True)
        return tuple(g if g is not None else _wrap(backend.get_array_module(x.data).zeros(x.shape))
                     for g, x in zip(grads, wrt))

    return gradcheck(first_derivative, inputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, seed=seed)
