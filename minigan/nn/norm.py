"""Batch normalisation (Ioffe & Szegedy): per channel,

    y = γ · (x - μ) / √(σ² + ε) + β

training: μ, σ² from the batch (biased variance), and the running statistics follow them,
    running_mean ← (1 - momentum) · running_mean + momentum · μ
    running_var  ← (1 - momentum) · running_var  + momentum · σ² · n/(n - 1)   (unbiased)
eval: μ, σ² = running_mean, running_var. PyTorch's defaults (momentum 0.1, ε = 1e-5, γ = 1, β = 0)
and state_dict keys (weight, bias, running_mean, running_var, num_batches_tracked).
"""
import numpy as np

from minigan import functional as F
from minigan.autograd import Tensor
from minigan.creation import ones, zeros
from minigan.nn.module import Module, Parameter


class _BatchNorm(Module):
    accepted_ndims = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True):
        super().__init__()
        self.num_features, self.eps, self.momentum = int(num_features), eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = Parameter(ones(self.num_features)) if affine else None
        self.bias = Parameter(zeros(self.num_features)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", zeros(self.num_features))
            self.register_buffer("running_var", ones(self.num_features))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def forward(self, x):
        if x.ndim not in self.accepted_ndims or x.shape[1] != self.num_features:
            expected = " or ".join(f"(N, {self.num_features}{', ·' * (d - 2)})" for d in self.accepted_ndims)
            raise ValueError(f"{self!r} expects an input of shape {expected}, got {tuple(x.shape)}")
        use_batch_stats = self.training or not self.track_running_stats
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data = self.num_batches_tracked.data + 1
            if self.momentum is None:  # a cumulative moving average
                momentum = 1.0 / int(self.num_batches_tracked.data)
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            training=use_batch_stats, momentum=momentum, eps=self.eps)

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean.data = zeros(self.num_features, dtype=self.running_mean.dtype).data
            self.running_var.data = ones(self.num_features, dtype=self.running_var.dtype).data
            self.num_batches_tracked.data = np.array(0, dtype=np.int64)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch norm of (N, C) or (N, C, L) inputs: statistics over N (and L) per channel."""

    accepted_ndims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm of (N, C, H, W) inputs: statistics over N, H, W per channel."""

    accepted_ndims = (4,)
