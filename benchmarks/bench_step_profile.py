"""Where the time of a training step goes, minigan beside PyTorch: the matrix products (and, for
PyTorch, its convolution kernels, which do the same multiply-adds) against everything else.

    python benchmarks/bench_step_profile.py [--model dcgan] [--threads 2] [--repeat 7] [--number 5]

The step is bench_steps.py's (a D step and a G step, Adam, batch 64). First both libraries' plain
steps are timed in turns (medians, as bench_steps.py); then one profiled pass of `--number` steps each
attributes the time: for minigan cProfile's own time of the functions that hold its products
(`ops.linear.affine_array`, every forward product, the bias added in place; `ops.matmul.MatMul.forward`,
the backward's products), of unfold's copy and fold's sums, and of the rest by function; for PyTorch
torch.profiler's self CPU time of its matrix-product and convolution operators. The products are the
floor that no change outside BLAS (or oneDNN) moves; "the rest" is the plain step minus them.
"""
import argparse
import cProfile
import pstats
import statistics

from bench_steps import MODELS, build, limit_threads, seconds_per_step, synchronizer

PRODUCTS = {("linear.py", "affine_array"), ("matmul.py", "forward")}
COPIES = {("conv.py", "copy_patches"): "unfold copies", ("conv.py", "unfold_array"): "unfold copies",
          ("conv.py", "add_patches"): "fold sums", ("conv.py", "fold_array"): "fold sums"}
TORCH_PRODUCTS = ("mm", "addmm", "bmm", "matmul", "linear", "convolution", "conv", "mkldnn")


def minigan_profile(step, number):
    """ms per step of minigan's products, unfold copies, fold sums, and the top other functions."""
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(number):
        step()
    profile.disable()
    parts, others = {"products": 0.0, "unfold copies": 0.0, "fold sums": 0.0}, {}
    for (path, _, name), (_, _, own, _, _) in pstats.Stats(profile).stats.items():
        key = (path.rsplit("/", 1)[-1], name)
        ms = own * 1e3 / number
        if key in PRODUCTS:
            parts["products"] += ms
        elif key in COPIES:
            parts[COPIES[key]] += ms
        else:
            others[f"{key[0]}:{name}"] = others.get(f"{key[0]}:{name}", 0.0) + ms
    return parts, sorted(others.items(), key=lambda kv: -kv[1])


def torch_profile(step, number):
    """ms per step of PyTorch's product and convolution operators (self CPU time), and the top others."""
    import torch

    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        for _ in range(number):
            step()
    products, others = 0.0, {}
    for event in prof.key_averages():
        ms = event.self_cpu_time_total / 1e3 / number
        name = event.key.removeprefix("aten::")
        if any(name == p or name.startswith(p + "_") or "conv" in name for p in TORCH_PRODUCTS):
            products += ms
        else:
            others[event.key] = ms
    return products, sorted(others.items(), key=lambda kv: -kv[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="dcgan", choices=list(MODELS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=5)
    parser.add_argument("--top", type=int, default=8, help="how many other functions to list")
    args = parser.parse_args()
    from threadpoolctl import threadpool_info

    limit_threads(args.threads)
    blas = sorted({f"{i['internal_api']} {i.get('architecture')}" for i in threadpool_info()
                   if i["user_api"] == "blas"})
    steps = {lib: build(args.model, lib, "numpy") for lib in ("minigan", "torch")}
    for step in steps.values():
        for _ in range(3):
            step()
    times = {lib: [] for lib in steps}
    for _ in range(args.repeat):
        for lib, step in steps.items():
            times[lib].append(seconds_per_step(step, synchronizer(lib, "numpy"), args.number))
    plain = {lib: statistics.median(t) * 1e3 for lib, t in times.items()}
    parts, others = minigan_profile(steps["minigan"], args.number)
    torch_products, torch_others = torch_profile(steps["torch"], args.number)
    ours_rest, theirs_rest = plain["minigan"] - parts["products"], plain["torch"] - torch_products
    print(f"{args.model} step, batch 64, {args.threads} threads, BLAS {', '.join(blas)}; "
          f"median of {args.repeat} × {args.number} plain steps, then one profiled pass of {args.number}")
    print("| | minigan ms | PyTorch ms | minigan / PyTorch |")
    print("|---|---|---|---|")
    print(f"| the step | {plain['minigan']:.1f} | {plain['torch']:.1f} | {plain['minigan'] / plain['torch']:.2f}× |")
    print(f"| matrix products (PyTorch: and convolution kernels) | {parts['products']:.1f} "
          f"({parts['products'] / plain['minigan']:.0%}) | {torch_products:.1f} "
          f"({torch_products / plain['torch']:.0%}) "
          f"| {parts['products'] / torch_products:.2f}× |")
    print(f"| the rest | {ours_rest:.1f} | {theirs_rest:.1f} | {ours_rest / theirs_rest:.2f}× |")
    print(f"|   of it unfold copies, fold sums | {parts['unfold copies']:.1f}, {parts['fold sums']:.1f} | | |")
    print("\nminigan's other functions (own time, ms a step, profiled):",
          ", ".join(f"{name} {ms:.1f}" for name, ms in others[:args.top]))
    print("PyTorch's other operators (self CPU, ms a step):",
          ", ".join(f"{name} {ms:.1f}" for name, ms in torch_others[:args.top]))


if __name__ == "__main__":
    main()
