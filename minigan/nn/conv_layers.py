"""Convolution layers: Conv2d (cross-correlation) and ConvTranspose2d (its adjoint, which upsamples).

Weights as PyTorch's: Conv2d (out, in, kh, kw), ConvTranspose2d (in, out, kh, kw); the default
initialisation is PyTorch's (kaiming_uniform_(a=√5), bias ~ U(-1/√fan_in, 1/√fan_in)).
"""
from minigan import functional as F
from minigan.creation import zeros
from minigan.nn import init
from minigan.nn.module import Module, Parameter
from minigan.ops.conv import pair


class _ConvNd(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, bias, weight_shape):
        super().__init__()
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride, self.padding = pair(stride, "stride"), pair(padding, "padding")
        self.weight = Parameter(zeros(*weight_shape, *self.kernel_size))
        self.bias = Parameter(zeros(self.out_channels)) if bias else None
        init.default_init_(self.weight, self.bias)

    def _check(self, x):
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"{self!r} expects an input of shape (N, {self.in_channels}, H, W), "
                             f"got {tuple(x.shape)}")

    def extra_repr(self):
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if getattr(self, "output_padding", (0, 0)) != (0, 0):
            text += f", output_padding={self.output_padding}"
        return text + ("" if self.bias is not None else ", bias=False")


class Conv2d(_ConvNd):
    """y[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c]:  (N, in, H, W) → (N, out, Ho, Wo),
    Ho = ⌊(H + 2·padding - kh) / stride⌋ + 1."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, bias,
                         (int(out_channels), int(in_channels)))

    def forward(self, x):
        self._check(x)
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding)


class ConvTranspose2d(_ConvNd):
    """The transpose (adjoint) of Conv2d: (N, in, H, W) → (N, out, Ho, Wo),
    Ho = (H - 1)·stride - 2·padding + kh + output_padding."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, bias=True):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, bias,
                         (int(in_channels), int(out_channels)))
        self.output_padding = pair(output_padding, "output_padding")
        if any(op >= s for op, s in zip(self.output_padding, self.stride)):
            raise ValueError(f"ConvTranspose2d: output_padding {self.output_padding} must be smaller than "
                             f"the stride {self.stride}")

    def forward(self, x):
        self._check(x)
        return F.conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding)
