"""Dense layers, activations, reshaping, dropout, pooling and upsampling as Modules.

Each holds its weights (if any) and calls the function of the same name in ``minigan.functional``.
"""
from minigan import functional as F
from minigan.creation import zeros
from minigan.nn import init
from minigan.nn.module import Module, Parameter
from minigan.ops.conv import pair


class Identity(Module):
    """y = x."""

    def forward(self, x):
        return x


class Linear(Module):
    """y = x Wᵀ + b with W (out_features, in_features), b (out_features,);
    W, b ~ U(-1/√in_features, 1/√in_features) (PyTorch's default)."""

    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.weight = Parameter(zeros(self.out_features, self.in_features))
        self.bias = Parameter(zeros(self.out_features)) if bias else None
        init.default_init_(self.weight, self.bias)

    def forward(self, x):
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"{self!r} expects an input of shape (..., {self.in_features}), "
                             f"got {tuple(x.shape)}")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


# ------------------------------------------------------------------------------- activations
class ReLU(Module):
    """y = max(x, 0)."""

    def forward(self, x):
        return F.relu(x)


class LeakyReLU(Module):
    """y = x for x > 0, negative_slope · x otherwise."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    """y = x for x > 0, α (eˣ - 1) otherwise."""

    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        return F.elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class Tanh(Module):
    """y = tanh x."""

    def forward(self, x):
        return F.tanh(x)


class Sigmoid(Module):
    """y = σ(x) = 1 / (1 + e⁻ˣ)."""

    def forward(self, x):
        return F.sigmoid(x)


# ---------------------------------------------------------------------------------- reshaping
class Flatten(Module):
    """(N, d1, d2, ...) → (N, d1·d2·...): the axes from start_dim to end_dim merged into one."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        start, end = self.start_dim % x.ndim, self.end_dim % x.ndim
        return x.reshape(*x.shape[:start], -1, *x.shape[end + 1:])

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Axis `dim` of size d1·d2·... split into `unflattened_size` (d1, d2, ...), e.g. (N, 784) → (N, 1, 28, 28)."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x):
        dim = self.dim % x.ndim
        size = 1
        for s in self.unflattened_size:
            size *= s
        if x.shape[dim] != size:
            raise ValueError(f"{self!r}: axis {self.dim} of the input {tuple(x.shape)} has {x.shape[dim]} "
                             f"elements, {self.unflattened_size} needs {size}")
        return x.reshape(*x.shape[:dim], *self.unflattened_size, *x.shape[dim + 1:])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


# ------------------------------------------------------------------------------------ dropout
class Dropout(Module):
    """y = x · m / (1 - p), m ~ Bernoulli(1 - p) per element, in training; y = x in eval."""

    def __init__(self, p=0.5):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must lie in [0, 1], got {p}")
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"


class Dropout2d(Dropout):
    """Dropout of whole feature maps: one draw per (n, c) of an (N, C, H, W) input."""

    def forward(self, x):
        return F.dropout2d(x, self.p, self.training)


# -------------------------------------------------------------------------- pooling, upsampling
class MaxPool2d(Module):
    """y[n, c, i, j] = max of x over the kernel_size window at (stride·i, stride·j)."""

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride or kernel_size, padding

    def forward(self, x):
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(MaxPool2d):
    """y[n, c, i, j] = mean of x over the kernel_size window at (stride·i, stride·j)."""

    def forward(self, x):
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding)


class Upsample(Module):
    """Nearest-neighbour upsampling by an integer scale_factor: (N, C, H, W) → (N, C, sH, sW)."""

    def __init__(self, scale_factor=2, mode="nearest"):
        super().__init__()
        if mode != "nearest":
            raise ValueError(f"Upsample supports mode='nearest' only, got {mode!r}")
        scale = scale_factor if isinstance(scale_factor, (tuple, list)) else (scale_factor, scale_factor)
        if any(float(s) != int(s) or int(s) < 1 for s in scale):
            raise ValueError(f"Upsample needs a positive integer scale_factor, got {scale_factor}")
        self.scale_factor = pair(tuple(int(s) for s in scale), "scale_factor")
        self.mode = mode

    def forward(self, x):
        return F.upsample_nearest(x, self.scale_factor)

    def extra_repr(self):
        scale = self.scale_factor[0] if self.scale_factor[0] == self.scale_factor[1] else self.scale_factor
        return f"scale_factor={float(scale) if isinstance(scale, int) else scale}, mode='{self.mode}'"
