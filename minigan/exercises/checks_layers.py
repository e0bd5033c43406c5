"""The checks of the layer exercises (tutorial 03): the dense layer, unfold, conv2d as unfold +
matmul, the transposed convolution as its adjoint, and batch norm's training-mode backward."""
import numpy as np

import minigan
import minigan.functional as F
from minigan import ops
from minigan.exercises.checks_autograd import check_function, reference_function

PATCH_ORDER = ("the rows are in (k, k, C) order, C innermost: (row, column, channel) of the patch, which is "
               "minigan's layout (PyTorch's F.unfold uses (C, k, k))")
WEIGHT_ORDER = ("Unfold's rows are in (k, k, C) order: transpose the weight to (out, k, k, C) before reshaping "
                "it to (out, k·k·C)")
OUTPUT_ORDER = ("the rows of the product are the output pixels (n, i, j): reshape to (N, Ho, Wo, out), then "
                "transpose to (N, out, Ho, Wo)")
BATCH_NORM = ("batch norm's backward must include how the batch mean and variance depend on x: "
              "∂L/∂x = γ/√(σ² + ε) · (G − mean(G) − x̂ · mean(G ⊙ x̂)), not just γ G / √(σ² + ε)")


def check_linear(g, Linear):
    x, w, b = g.randn(5, 3, requires_grad=True), g.randn(4, 3, requires_grad=True), g.randn(4, requires_grad=True)
    check_function(g, Linear, ops.Affine, [x, w, b], ["x", "W", "b"],
                   mistakes={1: {"the weight is (out, in): ∂L/∂W = Gᵀ x, not xᵀ G": lambda v: x.data.T @ v.data},
                             2: {"the bias is added to every row: ∂L/∂b = Σ_rows G (sum over axis 0)":
                                 lambda v: v.data}})


def _patch_order_mistake(rows, c, k):
    return rows.reshape(-1, k, k, c).transpose(0, 3, 1, 2).reshape(rows.shape)


def check_unfold(g, Unfold):
    for shape, k, s, p in [((2, 3, 5, 5), 3, 2, 1), ((1, 2, 4, 4), 3, 1, 1), ((1, 1, 4, 5), 2, 2, 0)]:
        x = g.randn(*shape, requires_grad=True)
        geometry = dict(kernel_size=(k, k), stride=(s, s), padding=(p, p))
        reference_rows = ops.Unfold.apply(x, **geometry).data

        def overwritten(v, x=x, k=k, s=s, p=p):
            n, c, h, w = x.shape
            ho, wo = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
            patches = v.data.reshape(n, ho, wo, k, k, c)
            out = np.zeros((n, c, h + 2 * p, w + 2 * p))
            for i in range(k):
                for j in range(k):
                    out[:, :, i:i + s * ho:s, j:j + s * wo:s] = patches[:, :, :, i, j, :].transpose(0, 3, 1, 2)
            return out[:, :, p:p + h, p:p + w]
        check_function(g, Unfold, ops.Unfold, [x], ["x"], kwargs=dict(kernel_size=k, stride=s, padding=p),
                       reference_kwargs=geometry, second=False,
                       forward_mistakes={PATCH_ORDER: _patch_order_mistake(reference_rows, shape[1], k)},
                       mistakes={0: {"patches overlap when the stride is smaller than the kernel: ADD each row "
                                     "back onto its patch (+=), do not assign": overwritten}})


def _conv_mistakes(x, w, b, s, p):
    n, c, h, width = x.shape
    out, _, k, _ = w.shape
    ho, wo = (h + 2 * p - k) // s + 1, (width + 2 * p - k) // s + 1
    rows = ops.Unfold.apply(x, kernel_size=(k, k), stride=(s, s), padding=(p, p)).data
    bias = 0.0 if b is None else b.data
    wrong_weight = (rows @ w.data.reshape(out, -1).T + bias).reshape(n, ho, wo, out).transpose(0, 3, 1, 2)
    right = rows @ w.data.transpose(0, 2, 3, 1).reshape(out, -1).T + bias
    return {WEIGHT_ORDER: wrong_weight, OUTPUT_ORDER: right.reshape(n, out, ho, wo)}


def check_conv2d(g, conv2d):
    for shape, w_shape, s, p, bias in [((2, 3, 5, 5), (4, 3, 3, 3), 1, 1, True),
                                       ((1, 2, 6, 6), (3, 2, 4, 4), 2, 1, False)]:
        x, w = g.randn(*shape, requires_grad=True), g.randn(*w_shape, requires_grad=True)
        b = g.randn(w_shape[0], requires_grad=True) if bias else None
        got = g.call("forward", conv2d, x, w, b, stride=s, padding=p)
        g.close(f"forward (stride {s}, padding {p})", got, F.conv2d(x, w, b, stride=s, padding=p),
                mistakes=_conv_mistakes(x, w, b, s, p))
        inputs = [x, w] + ([b] if bias else [])
        def apply(*t, bias=bias, s=s, p=p):
            return conv2d(t[0], t[1], t[2] if bias else None, stride=s, padding=p)
        g.gradcheck("gradient against central differences", apply, inputs,
                    hint="build y from minigan operations (ops.Unfold.apply, @, reshape, transpose) so that the "
                         "graph carries the gradient back to x, the weight and the bias")


def check_conv_transpose2d(g, conv_transpose2d):
    for shape, w_shape, s, p in [((2, 3, 3, 3), (3, 2, 4, 4), 2, 1), ((1, 2, 4, 4), (2, 3, 3, 3), 1, 0)]:
        y, w = g.randn(*shape, requires_grad=True), g.randn(*w_shape, requires_grad=True)
        got = g.call("forward", conv_transpose2d, y, w, stride=s, padding=p)
        expected = F.conv_transpose2d(y, w, stride=s, padding=p)
        n, c_in, h, width = shape
        _, c_out, k, _ = w_shape
        pixels = y.data.transpose(0, 2, 3, 1).reshape(-1, c_in)
        wrong = ops.Fold.apply(minigan.Tensor(pixels @ w.data.reshape(c_in, -1)), image_shape=expected.shape,
                               kernel_size=(k, k), stride=(s, s), padding=(p, p))
        g.close(f"forward (stride {s}, padding {p})", got, expected,
                mistakes={"Fold's rows are in (k, k, C) order: transpose the weight to (in, k, k, out) before "
                          "reshaping it to (in, k·k·out)": wrong})
        x = g.randn(*expected.shape)
        left = float((F.conv2d(x, w, stride=s, padding=p).data * y.data).sum())
        right = float((x.data * np.asarray(got.data if isinstance(got, minigan.Tensor) else got)).sum())
        g.require("adjoint of conv2d: ⟨conv2d(x, w), y⟩ = ⟨x, conv_transpose2d(y, w)⟩",
                  abs(left - right) <= 1e-9 * max(1.0, abs(left)),
                  f"⟨conv2d(x, w), y⟩ = {left:.10g} but ⟨x, conv_transpose2d(y, w)⟩ = {right:.10g}",
                  expected=f"{left:.10g}", got=f"{right:.10g}")
        g.gradcheck("gradient against central differences",
                    lambda a, b, s=s, p=p: conv_transpose2d(a, b, stride=s, padding=p), [y, w],
                    hint="build the output from minigan operations (@, reshape, transpose, ops.Fold.apply)")


def _batch_norm(x, gamma, beta, eps=1e-5):
    return F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)


def check_batch_norm(g, BatchNorm):
    x = minigan.Tensor(g.rng.standard_normal((6, 3)) * 2.0 + 1.0, requires_grad=True)
    gamma, beta = minigan.Tensor(g.rng.uniform(0.5, 2.0, 3), requires_grad=True), g.randn(3, requires_grad=True)
    eps = 1e-5
    inv_std = 1.0 / np.sqrt(x.data.var(axis=0) + eps)
    check_function(g, BatchNorm, reference_function(_batch_norm), [x, gamma, beta], ["x", "γ", "β"],
                   kwargs={"eps": eps}, second=False,
                   forward_mistakes={"σ² is the BIASED variance, (1/n) Σ (x − μ)², in training mode":
                                     gamma.data * (x.data - x.data.mean(axis=0))
                                     / np.sqrt(x.data.var(axis=0, ddof=1) + eps) + beta.data},
                   mistakes={0: {BATCH_NORM: lambda v: gamma.data * inv_std * v.data,
                                 BATCH_NORM + " ": lambda v: gamma.data * inv_std * (v.data - v.data.mean(axis=0))},
                             1: {"∂L/∂γ = Σ_i G_i x̂_i (x̂, not x)": lambda v: (v.data * x.data).sum(axis=0)}})


HINTS_FOR_EXCEPTIONS = {   # exercise → ((regex on "Type: message", hint), ...)
    "conv2d": ((r"reshape|matmul|shapes", WEIGHT_ORDER),),
}
