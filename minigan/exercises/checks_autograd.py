"""The checks of the automatic-differentiation exercises (tutorials 01 and 02): every primitive's
forward against minigan's op, its backward against minigan's backward on a random cotangent, then
both against central differences in float64, first and (where the backward must be
differentiable) second derivatives."""
import numpy as np

import minigan
from minigan import ops

RAW_ARRAYS = ("your backward computes on raw arrays (.data, NumPy) or wraps them in a new Tensor, so a "
              "second backward sees a constant: build ∂L/∂x from Tensor operations on self.parents and "
              "self.output(), as minigan's ops do")
UNBROADCAST = ("you forgot to unbroadcast: an input that was broadcast gets the SUM of the gradient over its "
               "copies, with the input's own shape — minigan.unbroadcast(g, a.shape)")
MATMUL = ("the transposed matmul gradient: ∂L/∂A = G Bᵀ and ∂L/∂B = Aᵀ G (G = ∂L/∂Y); each has its input's "
          "shape, and with non-square matrices only this order of the factors fits")


def as_tuple(grads):
    return grads if isinstance(grads, tuple) else (grads,)


def frozen_backward(apply, inputs, **kwargs):
    """The hint for a second derivative that fails: is the student's first derivative a constant?"""
    def hint():
        xs = [minigan.Tensor(x.data.copy(), requires_grad=True) for x in inputs]
        out = apply(*xs, **kwargs)
        v = minigan.Tensor(np.ones(out.shape))
        grads = minigan.grad(out, xs, grad_outputs=v, create_graph=True, allow_unused=True)
        return RAW_ARRAYS if all(gr is None or not gr.requires_grad for gr in grads) else None
    return hint


def check_function(g, student, reference, inputs, names, kwargs=None, mistakes=None, second=True,
                   forward_mistakes=None, forward_inputs=None, reference_kwargs=None):
    """The checks of a Function exercise, in order: forward, backward (called directly, on a random
    cotangent, against minigan's backward summed to each input's shape), central differences of the
    first and (second=True) the second derivative. mistakes: {input index: {hint: value(v)}}."""
    kwargs = kwargs or {}
    reference_kwargs = kwargs if reference_kwargs is None else reference_kwargs
    for extra in forward_inputs or ():   # values where only the forward is checked (e.g. x = ±1000)
        out = g.call("forward", student.apply, extra, **kwargs)
        g.close("forward at extreme inputs", out, reference.apply(extra, **reference_kwargs), mistakes=forward_mistakes)
    out = g.call("forward", student.apply, *inputs, **kwargs)
    g.close("forward", out, reference.apply(*inputs, **reference_kwargs), mistakes=forward_mistakes)
    fn = out.grad_fn
    g.require("forward", fn is not None, "apply() returned a tensor without a graph (grad_fn is None)",
              hint="forward must return a NumPy array; Function.apply wraps it and records the graph", listed=False)
    v = minigan.Tensor(g.rng.standard_normal(out.shape))
    ref_out = reference.apply(*inputs, **reference_kwargs)   # kept alive: its Function reads it through a weakref
    ref_fn = ref_out.grad_fn
    with minigan.no_grad():
        got = as_tuple(g.call("backward", fn.backward, v))
        expected = [None if e is None else minigan.unbroadcast(e, x.shape)
                    for e, x in zip(as_tuple(ref_fn.backward(v)), inputs)]
    g.require("backward", len(got) >= sum(x.requires_grad for x in inputs),
              f"backward returned {len(got)} gradient(s) for {len(inputs)} input(s)",
              hint="return one gradient per input, as a tuple: (∂L/∂a, ∂L/∂b)", listed=False)
    for i, (name, x, got_i, expected_i) in enumerate(zip(names, inputs, got, expected)):
        if x.requires_grad:
            values = {hint: (lambda f=f: f(v)) for hint, f in (mistakes or {}).get(i, {}).items()}
            g.close(f"backward ∂L/∂{name}", got_i, expected_i, mistakes=values)

    def apply(*xs):
        return student.apply(*xs, **kwargs)
    g.gradcheck("gradient against central differences", apply, inputs)
    if second:
        g.gradcheck("second derivative against central differences", apply, inputs, second=True,
                    hint=frozen_backward(student.apply, inputs, **kwargs))


# ------------------------------------------------------------------------------------------ the checks
def check_unbroadcast(g, unbroadcast):
    cases = [((2, 4, 3), (4, 1)), ((4, 3), (3,)), ((4, 3), (1, 3)), ((2, 3), (1, 3)), ((2, 3), (2, 3)),
             ((3, 1, 2), (1, 1, 2)), ((3, 4), ())]
    for big, shape in cases:
        grad = g.randn(*big)
        array, extra = grad.data, len(big) - len(shape)
        ones = tuple(extra + i for i, n in enumerate(shape) if n == 1 and big[extra + i] != 1)
        leading = array.sum(axis=tuple(range(extra)))
        mistakes = {
            "sum the axes where the input has size 1 as well, keeping them (sum(axis, keepdims=True))":
                leading,
            "keep the size-1 axes: sum them with keepdims=True (or reshape to `shape` at the end)":
                array.sum(axis=tuple(range(extra)) + ones),
            "sum the leading axes that broadcasting added, too": array.sum(axis=ones, keepdims=True),
        }
        got = g.call(f"unbroadcast to {shape}", unbroadcast, grad, shape)
        g.close(f"unbroadcast {big} → {shape}", got, minigan.unbroadcast(grad, shape), mistakes=mistakes)
    x = g.randn(2, 4, 3, requires_grad=True)
    g.gradcheck("gradient against central differences", lambda t: unbroadcast(t, (4, 1)), [x])


def check_mul(g, Mul):
    a, b = g.randn(4, 1, requires_grad=True), g.randn(2, 1, 3, requires_grad=True)
    check_function(g, Mul, ops.Mul, [a, b], ["a", "b"],
                   mistakes={0: {UNBROADCAST: lambda v: v.data * b.data},
                             1: {UNBROADCAST: lambda v: v.data * a.data}})


def check_div(g, Div):
    a = g.randn(4, 1, requires_grad=True)
    b = minigan.Tensor(g.uniform(0.5, 2.0, 2, 1, 3).data * g.rng.choice([-1.0, 1.0], (2, 1, 3)), requires_grad=True)
    quotient_rule = "∂(a/b)/∂b = −a/b²: the minus sign and the square"
    check_function(g, Div, ops.Div, [a, b], ["a", "b"],
                   mistakes={0: {UNBROADCAST: lambda v: v.data / b.data},
                             1: {UNBROADCAST: lambda v: -v.data * a.data / b.data ** 2,
                                 quotient_rule: lambda v: minigan.unbroadcast(
                                     minigan.Tensor(v.data * a.data / b.data ** 2), b.shape),
                                 quotient_rule + " (not −a/b)": lambda v: minigan.unbroadcast(
                                     minigan.Tensor(-v.data * a.data / b.data), b.shape)}})


def check_exp(g, Exp):
    x = g.randn(3, 4, requires_grad=True)
    check_function(g, Exp, ops.Exp, [x], ["x"],
                   mistakes={0: {"∂eˣ/∂x = eˣ (= y, the output), not x": lambda v: v.data * x.data}})


def check_log(g, Log):
    x = g.uniform(0.3, 3.0, 3, 4, requires_grad=True)
    check_function(g, Log, ops.Log, [x], ["x"],
                   mistakes={0: {"∂ log x/∂x = 1/x, so ∂L/∂x = G / x": lambda v: v.data * x.data,
                                 "∂ log x/∂x = 1/x, not 1/x²": lambda v: v.data / x.data ** 2}})


def check_tanh(g, Tanh):
    x = g.randn(3, 4, requires_grad=True)
    check_function(g, Tanh, ops.Tanh, [x], ["x"],
                   mistakes={0: {"∂ tanh x/∂x = 1 − y² with y = tanh x (self.output()), not 1 − x²":
                                 lambda v: v.data * (1 - x.data ** 2)}})


def check_sigmoid(g, Sigmoid):
    x = g.randn(3, 4, requires_grad=True, scale=2.0)
    extreme = minigan.Tensor(np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0]), requires_grad=True)
    check_function(g, Sigmoid, ops.Sigmoid, [x], ["x"], forward_inputs=[extreme],
                   mistakes={0: {"∂σ/∂x = y (1 − y) with y = σ(x) (self.output()), not x (1 − x)":
                                 lambda v: v.data * x.data * (1 - x.data)}})


def check_softplus(g, Softplus):
    x = g.randn(3, 4, requires_grad=True, scale=3.0)
    extreme = minigan.Tensor(np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0]), requires_grad=True)
    naive = "log(1 + eˣ) overflows: e¹⁰⁰⁰ = inf. Use the stable form max(x, 0) + log1p(e^−|x|)"
    with np.errstate(all="ignore"):
        naive_value = np.log1p(np.exp(extreme.data))
    check_function(g, Softplus, ops.Softplus, [x], ["x"], forward_inputs=[extreme],
                   forward_mistakes={naive: naive_value},
                   mistakes={0: {"∂ softplus(x)/∂x = σ(x) = 1/(1 + e⁻ˣ), not eˣ/(1 + eˣ)²":
                                 lambda v: v.data * np.exp(x.data) / (1 + np.exp(x.data)) ** 2}})


def check_sum(g, Sum):
    _check_reduction(g, Sum, lambda x, axis=None, keepdims=False: x.sum(axis=axis, keepdims=keepdims), scale=1.0)


def check_mean(g, Mean):
    _check_reduction(g, Mean, lambda x, axis=None, keepdims=False: x.mean(axis=axis, keepdims=keepdims), scale=None)


class _Composite(minigan.Function):
    """A reference Function made of minigan operations: forward through them, backward by minigan.grad."""
    compute = None

    def forward(self, *arrays, **kwargs):
        self.kwargs = kwargs
        return type(self).compute(*[minigan.Tensor(a) for a in arrays], **kwargs).data

    def backward(self, grad):
        xs = [minigan.Tensor(p.data, requires_grad=True) for p in self.parents]
        with minigan.enable_grad():
            y = type(self).compute(*xs, **self.kwargs)
        return minigan.grad(y, xs, grad_outputs=grad, allow_unused=True)


def reference_function(compute):
    """A Function whose forward is compute(*tensors, **kwargs) and whose backward is minigan's gradient of it."""
    return type("Reference", (_Composite,), {"compute": staticmethod(compute)})


def _check_reduction(g, student, reduce, scale):
    reference = reference_function(reduce)
    for shape, axis, keepdims in [((3, 3), 1, False), ((2, 3, 4), (0, 2), True), ((3, 4), None, False),
                                  ((2, 3, 4), -1, False)]:
        x = g.randn(*shape, requires_grad=True)
        kept = tuple(1 if (axis is None or i in {a % len(shape) for a in np.atleast_1d(axis)}) else n
                     for i, n in enumerate(shape))
        n = int(np.prod(shape) // np.prod(kept))
        mistakes = {"reshape G to the kept shape (the summed axes as size 1) before broadcasting it back: "
                    "otherwise it lines up with the wrong axis": lambda v, shape=shape: np.broadcast_to(v.data, shape)}
        if scale is None:
            mistakes["the mean divides by n, and so does its gradient: ∂L/∂x = G / n broadcast back"] = \
                lambda v, kept=kept, shape=shape: np.broadcast_to(v.data.reshape(kept), shape)
            mistakes["reshape G to the kept shape before broadcasting it back (and divide by n)"] = \
                lambda v, shape=shape, n=n: np.broadcast_to(v.data, shape) / n
        check_function(g, student, reference, [x], ["x"], kwargs={"axis": axis, "keepdims": keepdims},
                       mistakes={0: mistakes})


def check_matmul(g, MatMul):
    for shape_a, shape_b in [((3, 3), (3, 3)), ((2, 3), (3, 4))]:
        a, b = g.randn(*shape_a, requires_grad=True), g.randn(*shape_b, requires_grad=True)
        check_function(g, MatMul, ops.MatMul, [a, b], ["A", "B"], second=shape_a == (2, 3),
                       mistakes={0: {MATMUL: lambda v, b=b: v.data @ b.data,
                                     MATMUL + " ": lambda v, b=b: b.data.T @ v.data},
                                 1: {MATMUL: lambda v, a=a: v.data.T @ a.data,
                                     MATMUL + " ": lambda v, a=a: a.data @ v.data}})


def check_getitem(g, GetItem):
    x = g.randn(5, 3, requires_grad=True)
    index = np.concatenate([g.rng.integers(0, 5, 4), [1, 1]])
    g.rng.shuffle(index)

    def overwritten(v):
        out = np.zeros(x.shape)
        out[index] = v.data
        return out
    check_function(g, GetItem, ops.GetItem, [x], ["x"], kwargs={"index": index}, second=False,
                   mistakes={0: {"a row picked twice gets the SUM of its gradients: out[index] = G keeps only "
                                 "the last one; np.add.at(out, index, G) adds them all": overwritten}})


HINTS_FOR_EXCEPTIONS = {   # exercise → ((regex on "Type: message", hint), ...)
    "matmul": ((r"matmul|shapes|align|mismatch|broadcast", MATMUL),),
}
