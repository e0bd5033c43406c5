"""[NN-UNFOLD] im2col: every k×k patch of the padded image as one row, so that a convolution is one
matrix product (conv2d = unfold + matmul).

    x (N, C, H, W)  →  rows (N·Ho·Wo, k·k·C),   Ho = ⌊(H + 2p − k) / s⌋ + 1,  Wo likewise
    row (n, i, j) = x_pad[n, :, s·i : s·i + k, s·j : s·j + k], its entries in (k, k, C) order (C innermost)

It is linear in x, so its backward is its adjoint, fold (col2im): every row of G is ADDED back onto
its patch (patches overlap when s < k), and the padding is cropped off.
"""
import numpy as np

from minigan import Function, Tensor


class Unfold(Function):
    def forward(self, x, kernel_size, stride, padding):
        """x: a NumPy array (N, C, H, W); kernel_size k, stride s, padding p: ints. Returns the rows."""
        ### BEGIN SOLUTION
        n, c, h, w = x.shape
        k, s, p = kernel_size, stride, padding
        ho, wo = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        rows = np.empty((n, ho, wo, k, k, c), dtype=x.dtype)
        for i in range(k):
            for j in range(k):
                rows[:, :, :, i, j, :] = padded[:, :, i:i + s * ho:s, j:j + s * wo:s].transpose(0, 2, 3, 1)
        self.shape, self.geometry = x.shape, (k, s, p, ho, wo)
        return rows.reshape(n * ho * wo, k * k * c)
        ### END SOLUTION

    def backward(self, grad):
        """grad: G (N·Ho·Wo, k·k·C). Returns ∂L/∂x, a Tensor (N, C, H, W): fold, the adjoint of unfold."""
        ### BEGIN SOLUTION
        n, c, h, w = self.shape
        k, s, p, ho, wo = self.geometry
        patches = grad.data.reshape(n, ho, wo, k, k, c)
        padded = np.zeros((n, c, h + 2 * p, w + 2 * p), dtype=grad.dtype)
        for i in range(k):
            for j in range(k):
                padded[:, :, i:i + s * ho:s, j:j + s * wo:s] += patches[:, :, :, i, j, :].transpose(0, 3, 1, 2)
        return Tensor(padded[:, :, p:p + h, p:p + w])
        ### END SOLUTION
