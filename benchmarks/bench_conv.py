"""Forward + backward of each convolution layer of the 28×28 DCGAN and of BEGAN's 8×8 networks
(batch 64), in GFLOP/s and as a fraction of this machine's float32 matrix-product speed; PyTorch's
time for the same layer beside it where torch is installed, the two timed in turns in one process.

    python benchmarks/bench_conv.py [--repeat 20] [--batch 64] [--threads 1]

FLOPs of a convolution, forward: 2 · N · (output pixels) · out · in · kh · kw for Conv2d, and
2 · N · (input pixels) · in · out · kh · kw for ConvTranspose2d (each multiply-add counted as 2);
backward computes the input and the weight gradient, twice the forward, so one step is 3× the forward.
"""
import argparse
import os
import platform
import time

import numpy as np
from bench_steps import limit_threads  # the same threads for both libraries, as the training steps' benchmark

import minigan
from minigan import nn

# The conv layers of the DCGAN-28 of issue 9: (name, layer, input shape without the batch axis).
LAYERS = [
    ("G ConvTranspose2d 128→64 k4 s2 p1, 7→14", lambda: nn.ConvTranspose2d(128, 64, 4, 2, 1), (128, 7, 7)),
    ("G ConvTranspose2d 64→1 k4 s2 p1, 14→28", lambda: nn.ConvTranspose2d(64, 1, 4, 2, 1), (64, 14, 14)),
    ("D Conv2d 1→64 k4 s2 p1, 28→14", lambda: nn.Conv2d(1, 64, 4, 2, 1), (1, 28, 28)),
    ("D Conv2d 64→128 k4 s2 p1, 14→7", lambda: nn.Conv2d(64, 128, 4, 2, 1), (64, 14, 14)),
    # BEGAN on digits (n = 32 filters): the 3×3 convolutions of its encoder and decoders
    ("BEGAN Conv2d 32→32 k3 s1 p1, 8×8", lambda: nn.Conv2d(32, 32, 3, 1, 1), (32, 8, 8)),
    ("BEGAN Conv2d 32→32 k3 s2 p1, 8→4", lambda: nn.Conv2d(32, 32, 3, 2, 1), (32, 8, 8)),
    ("BEGAN Conv2d 32→64 k3 s1 p1, 4×4", lambda: nn.Conv2d(32, 64, 3, 1, 1), (32, 4, 4)),
]


def median_time(fn, repeat):
    fn()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def median_times_in_turns(fns, repeat, number=3):
    """The median time of each function, timed in turns (`number` calls each) so that all see the same load."""
    for fn in fns:
        fn()  # warm up
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            spent.append((time.perf_counter() - start) / number)
    return [float(np.median(spent)) for spent in times]


def matmul_gflops(repeat, n=1024):
    """Float32 (n × n) @ (n × n) with NumPy's BLAS: the machine's reference speed."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((n, n)).astype(np.float32) for _ in range(2))
    return 2 * n ** 3 / median_time(lambda: a @ b, repeat) / 1e9


def layer_flops(layer, x_shape):
    n, _, h, w = x_shape
    kh, kw = layer.kernel_size
    if isinstance(layer, nn.Conv2d):
        ho = (h + 2 * layer.padding[0] - kh) // layer.stride[0] + 1
        wo = (w + 2 * layer.padding[1] - kw) // layer.stride[1] + 1
        forward = 2 * n * ho * wo * layer.out_channels * layer.in_channels * kh * kw
    else:
        forward = 2 * n * h * w * layer.in_channels * layer.out_channels * kh * kw
    return 3 * forward


def minigan_step(layer, x):
    def step():
        layer.zero_grad()
        x.grad = None
        out = layer(x)
        out.backward(minigan.ones_like(out))  # in the output's memory layout, as a real upstream gradient
    return step


def torch_step(layer, x_np):
    import torch

    conv = {nn.Conv2d: torch.nn.Conv2d, nn.ConvTranspose2d: torch.nn.ConvTranspose2d}[type(layer)]
    t_layer = conv(layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride, layer.padding)
    x = torch.tensor(x_np, requires_grad=True)

    def step():
        t_layer.zero_grad()
        x.grad = None
        out = t_layer(x)
        out.backward(torch.ones_like(out))
    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="threads of both libraries (default 1)")
    args = parser.parse_args()
    limit_threads(args.threads)
    try:
        import torch
    except ImportError:
        torch = None
    peak = matmul_gflops(args.repeat)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {args.threads} threads; "
          f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch else ""))
    print(f"float32 matmul 1024³ (NumPy BLAS): {peak:.1f} GFLOP/s\n")
    print(f"| layer (batch {args.batch}) | minigan ms | GFLOP/s | of matmul | PyTorch ms | minigan / PyTorch |")
    print("|---|---|---|---|---|---|")
    for name, make, shape in LAYERS:
        minigan.manual_seed(0)
        layer = make()
        x_np = np.random.default_rng(0).standard_normal((args.batch, *shape)).astype(np.float32)
        x = minigan.tensor(x_np, requires_grad=True)
        steps = [minigan_step(layer, x)] + ([torch_step(layer, x_np)] if torch is not None else [])
        seconds, *theirs = median_times_in_turns(steps, args.repeat)
        gflops = layer_flops(layer, x.shape) / seconds / 1e9
        row = f"| {name} | {seconds * 1e3:.2f} | {gflops:.1f} | {gflops / peak:.0%} |"
        if theirs:
            row += f" {theirs[0] * 1e3:.2f} | {seconds / theirs[0]:.2f}× |"
        else:
            row += " – | – |"
        print(row)


if __name__ == "__main__":
    main()
