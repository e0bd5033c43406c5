"""[NN-CONV] The convolution (cross-correlation) of the discriminator, as unfold + ONE matrix product.

    y[n, o] = b[o] + Σ_c w[o, c] ⋆ x_pad[n, c],   x (N, C, H, W), w (out, C, k, k)  →  y (N, out, Ho, Wo)
    y = Unfold(x) · W_rowsᵀ + b,   W_rows = w with its axes in (out, k, k, C) order, reshaped to (out, k·k·C)

minigan.ops.Unfold.apply(x, kernel_size=(k, k), stride=(s, s), padding=(p, p)) gives the rows
(N·Ho·Wo, k·k·C) in (k, k, C) order (the exercise `unfold`); the product's rows are the output
pixels (n, i, j), so reshape to (N, Ho, Wo, out) and move the channels to axis 1. Build everything
with minigan operations: the gradient then comes for free.
"""
from minigan import ops


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """x (N, C, H, W), weight (out, C, k, k), bias (out,) or None: Tensors; stride, padding: ints.
    Returns the Tensor y (N, out, Ho, Wo)."""
    ### BEGIN SOLUTION
    n, c, h, w = x.shape
    out_channels, _, k, _ = weight.shape
    ho, wo = (h + 2 * padding - k) // stride + 1, (w + 2 * padding - k) // stride + 1
    rows = ops.Unfold.apply(x, kernel_size=(k, k), stride=(stride, stride), padding=(padding, padding))
    weight_rows = weight.transpose(0, 2, 3, 1).reshape(out_channels, k * k * c)
    y = rows @ weight_rows.T
    if bias is not None:
        y = y + bias
    return y.reshape(n, ho, wo, out_channels).transpose(0, 3, 1, 2)
    ### END SOLUTION
