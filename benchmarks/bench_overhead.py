"""Per-op overhead on tiny tensors: forward + backward of one op on 8×8 float32 tensors, minigan
against PyTorch (CPU) where installed, interleaved in one process; the median of several repetitions.

    python benchmarks/bench_overhead.py [--repeat 7] [--number 2000]
"""
import argparse
import statistics
import time

import minigan

OPS = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "matmul": lambda a, b: a @ b,
    "tanh": lambda a, b: a.tanh(),
    "sum": lambda a, b: a.sum(),
}


def seconds_per_call(lib, op, number):
    """Mean time of `op` forward + backward on two 8×8 leaves made by `lib` (minigan or torch)."""
    a = lib.randn(8, 8, requires_grad=True)
    b = lib.randn(8, 8, requires_grad=True)
    ones = None
    start = time.perf_counter()
    for _ in range(number):
        y = op(a, b)
        if ones is None:
            ones = lib.ones_like(y)
        y.backward(ones)
    return (time.perf_counter() - start) / number


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    print("| op (8×8, fwd+bwd) | minigan µs | PyTorch µs | ratio |\n|---|---|---|---|")
    for name, op in OPS.items():
        ours, theirs = [], []
        for _ in range(args.repeat):
            ours.append(seconds_per_call(minigan, op, args.number))
            if torch is not None:
                theirs.append(seconds_per_call(torch, op, args.number))
        m = statistics.median(ours) * 1e6
        if torch is not None:
            t = statistics.median(theirs) * 1e6
            print(f"| {name} | {m:.1f} | {t:.1f} | {m / t:.2f} |")
        else:
            print(f"| {name} | {m:.1f} | – | – |")


if __name__ == "__main__":
    main()
