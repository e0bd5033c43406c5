"""[NN-CONVT] The transposed convolution of the generator, as the adjoint of conv2d:

    ⟨conv2d(x, w), y⟩ = ⟨x, conv_transpose2d(y, w)⟩   for every x, y
    y (N, in, H, W), w (in, out, k, k)  →  (N, out, Ho, Wo),   Ho = (H − 1)·s − 2p + k

Every input pixel scatters w[c_in] · y[n, c_in, i, j] onto a k×k patch of the output: one matrix
product gives every pixel's patch, and fold (col2im, the adjoint of unfold) adds the overlapping
patches up:

    pixels = y as rows (N·H·W, in),   W_cols = w in (in, k, k, out) order, reshaped to (in, k·k·out)
    out = Fold(pixels · W_cols)   with minigan.ops.Fold.apply(rows, image_shape=(N, out, Ho, Wo),
                                  kernel_size=(k, k), stride=(s, s), padding=(p, p))
"""
from minigan import ops


def conv_transpose2d(y, weight, stride=1, padding=0):
    """y (N, in, H, W), weight (in, out, k, k): Tensors; stride, padding: ints. Returns (N, out, Ho, Wo)."""
    ### BEGIN SOLUTION
    n, in_channels, h, w = y.shape
    _, out_channels, k, _ = weight.shape
    ho, wo = (h - 1) * stride - 2 * padding + k, (w - 1) * stride - 2 * padding + k
    pixels = y.transpose(0, 2, 3, 1).reshape(n * h * w, in_channels)
    weight_cols = weight.transpose(0, 2, 3, 1).reshape(in_channels, k * k * out_channels)
    return ops.Fold.apply(pixels @ weight_cols, image_shape=(n, out_channels, ho, wo), kernel_size=(k, k),
                          stride=(stride, stride), padding=(padding, padding))
    ### END SOLUTION
