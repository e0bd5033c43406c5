"""One GAN training step (a D step, then a G step; Adam; BCE with logits; batch 64), minigan against
PyTorch on the same models, weights and batches, timed interleaved in one process, and the peak memory
of each step measured in fresh subprocesses.

    python benchmarks/bench_steps.py [--models mlp dcgan] [--repeat 9] [--number 5] [--threads 2]
    python benchmarks/bench_steps.py --backend cupy          # against PyTorch CUDA, on a GPU machine

The step, as the GAN's Algorithm 1 with the non-saturating generator loss:

    D:  L_D = bce(D(x), 1) + bce(D(G(z).detach()), 0);   θ_D ← Adam(∇θ_D L_D)
    G:  L_G = bce(D(G(z)), 1);                             θ_G ← Adam(∇θ_G L_G)

Models (issue 9): (a) MLP GAN on 784-d data, G: 64→256→256→784, D: 784→256→256→1, LeakyReLU 0.2;
(b) DCGAN-28, G: Linear 64→128·7·7, BatchNorm, ReLU, ConvTranspose 128→64 (BatchNorm, ReLU) → 1
(k4 s2 p1), Tanh; D: Conv 1→64 (LeakyReLU 0.2) → 128 (BatchNorm, LeakyReLU 0.2) k4 s2 p1, Linear → 1.

Timing: each repetition runs `number` steps of minigan, then `number` of PyTorch, so both see the
same machine load; the figure is the median over repetitions of the time per step. Both libraries
use the same number of threads (for minigan threadpoolctl's BLAS limit and minigan.ops.threads'
batch split of unfold and fold, for PyTorch torch.set_num_threads).

Memory (the same method for both, `--memory`): in a fresh subprocess per library and model, after two
warm-up steps (so Adam's moments exist), the kernel's resident-set high-water mark is reset
(/proc/self/clear_refs, Linux ≥ 4.0), one step is run, and the figure is VmHWM − VmRSS before the
step: the most memory the step itself held at once (activations, gradients, temporaries). glibc's
allocator is told to map every block over 64 KiB straight from the kernel and unmap it on free
(MALLOC_MMAP_THRESHOLD_), so freed arrays leave the RSS and caching does not hide a peak. For minigan
tracemalloc's peak of the same step (NumPy reports its allocations to it) is printed beside it as a
check of the method.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

import minigan
from minigan import functional as F
from minigan import nn, optim

BATCH, LATENT = 64, 64
LR, BETAS = 2e-4, (0.5, 0.999)


# ------------------------------------------------------------------------------------- models
def mlp_models():
    G = nn.Sequential(nn.Linear(LATENT, 256), nn.LeakyReLU(0.2), nn.Linear(256, 256), nn.LeakyReLU(0.2),
                      nn.Linear(256, 784), nn.Tanh())
    D = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 256), nn.LeakyReLU(0.2),
                      nn.Linear(256, 1))
    return G, D, (784,)


def dcgan_models():
    G = nn.Sequential(nn.Linear(LATENT, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
                      nn.Unflatten(1, (128, 7, 7)),
                      nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                      nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    D = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
                      nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
                      nn.Flatten(), nn.Linear(128 * 7 * 7, 1))
    return G, D, (1, 28, 28)


MODELS = {"mlp": mlp_models, "dcgan": dcgan_models}


def torch_copy(model, torch, device):
    """The same network in PyTorch (weight layouts and state_dict keys are PyTorch's), same weights."""
    layers = []
    for m in model:
        kind = type(m).__name__
        if kind == "Linear":
            layers.append(torch.nn.Linear(m.in_features, m.out_features))
        elif kind in ("Conv2d", "ConvTranspose2d"):
            layers.append(getattr(torch.nn, kind)(m.in_channels, m.out_channels, m.kernel_size, m.stride, m.padding))
        elif kind in ("BatchNorm1d", "BatchNorm2d"):
            layers.append(getattr(torch.nn, kind)(m.num_features))
        elif kind == "LeakyReLU":
            layers.append(torch.nn.LeakyReLU(m.negative_slope))
        elif kind == "Unflatten":
            layers.append(torch.nn.Unflatten(1, m.unflattened_size))
        else:
            layers.append(getattr(torch.nn, kind)())
    copy = torch.nn.Sequential(*layers)
    state = {k: torch.tensor(np.asarray(v)) for k, v in model.state_dict().items()}
    copy.load_state_dict(state)
    return copy.to(device)


# -------------------------------------------------------------------------------------- steps
def minigan_step(G, D, real, z):
    """One D step and one G step in minigan; returns a function that runs them."""
    opt_d = optim.Adam(D.parameters(), lr=LR, betas=BETAS)
    opt_g = optim.Adam(G.parameters(), lr=LR, betas=BETAS)

    def step():
        opt_d.zero_grad()
        fake = G(z).detach()
        real_logits, fake_logits = D(real), D(fake)
        loss_d = F.bce_with_logits(real_logits, 1.0) + F.bce_with_logits(fake_logits, 0.0)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        fake_logits = D(G(z))
        loss_g = F.bce_with_logits(fake_logits, 1.0)
        loss_g.backward()
        opt_g.step()
        return loss_d.item() + loss_g.item()
    return step


def torch_step(G, D, real, z, torch):
    opt_d = torch.optim.Adam(D.parameters(), lr=LR, betas=BETAS)
    opt_g = torch.optim.Adam(G.parameters(), lr=LR, betas=BETAS)
    bce = torch.nn.functional.binary_cross_entropy_with_logits

    def step():
        opt_d.zero_grad()
        with torch.no_grad():
            fake = G(z)
        real_logits, fake_logits = D(real), D(fake)
        loss_d = bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        fake_logits = D(G(z))
        loss_g = bce(fake_logits, torch.ones_like(fake_logits))
        loss_g.backward()
        opt_g.step()
        return loss_d.item() + loss_g.item()
    return step


def build(name, library, backend_name):
    """The step function of `library` ("minigan" or "torch") for model `name`; same seed, same weights."""
    minigan.manual_seed(0)
    G, D, shape = MODELS[name]()
    rng = np.random.default_rng(1)
    real = rng.uniform(-1, 1, (BATCH, *shape)).astype(np.float32)
    z = rng.standard_normal((BATCH, LATENT)).astype(np.float32)
    if library == "minigan":
        if backend_name == "cupy":
            G, D = G.to("cupy"), D.to("cupy")
        return minigan_step(G, D, minigan.tensor(real).to(backend_name), minigan.tensor(z).to(backend_name))
    import torch
    device = "cuda" if backend_name == "cupy" else "cpu"
    tG, tD = torch_copy(G, torch, device), torch_copy(D, torch, device)
    return torch_step(tG, tD, torch.tensor(real, device=device), torch.tensor(z, device=device), torch)


def synchronizer(library, backend_name):
    """A function that waits for the GPU (a no-op on the CPU), so that timings include the kernels."""
    if backend_name != "cupy":
        return lambda: None
    if library == "minigan":
        import cupy
        return cupy.cuda.Device().synchronize
    import torch
    return torch.cuda.synchronize


def seconds_per_step(step, sync, number):
    sync()
    start = time.perf_counter()
    for _ in range(number):
        step()
    sync()
    return (time.perf_counter() - start) / number


# ------------------------------------------------------------------------------------- memory
def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure_memory(name, library, threads):
    """(Run in a subprocess.) Peak RSS above the steady state during one step, in MiB; for minigan
    also tracemalloc's peak of the same step."""
    limit_threads(threads)
    step = build(name, library, "numpy")
    result = {}
    if library == "minigan":  # traced from the start, so that frees of earlier arrays are counted
        import tracemalloc
        tracemalloc.start()
        step(), step()
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        step()
        result["tracemalloc_mib"] = (tracemalloc.get_traced_memory()[1] - before) / 2 ** 20
        tracemalloc.stop()
    step(), step()
    before = _status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current RSS
    step()
    result["rss_mib"] = (_status_kib("VmHWM") - before) / 1024
    print(json.dumps(result))


def memory_in_subprocess(name, library, threads):
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536")
    out = subprocess.run([sys.executable, __file__, "--_memory", name, library, "--threads", str(threads)],
                         env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------- main
def limit_threads(threads):
    """The same number of threads for both: BLAS's and minigan's (the batch split of unfold and fold)
    for minigan, the intra-op threads for PyTorch."""
    from threadpoolctl import threadpool_limits

    from minigan.ops import threads as minigan_threads
    threadpool_limits(threads)
    minigan_threads.set_num_threads(threads)
    try:
        import torch
        torch.set_num_threads(threads)
    except ImportError:
        pass


def blas_kernels():
    """threadpoolctl's name and `architecture` of each BLAS loaded (the kernels OpenBLAS picked)."""
    from threadpoolctl import threadpool_info

    return ", ".join(sorted({f"{i['internal_api']} {i.get('architecture')}" for i in threadpool_info()
                             if i["user_api"] == "blas"}))


def versions(backend_name):
    text = f"Python {platform.python_version()}, NumPy {np.__version__} (BLAS: {blas_kernels()})"
    try:
        import torch
        text += f", PyTorch {torch.__version__}"
    except ImportError:
        text += ", PyTorch not installed"
    if backend_name == "cupy":
        import cupy
        text += f", CuPy {cupy.__version__}"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--repeat", type=int, default=9, help="repetitions; the median is reported")
    parser.add_argument("--number", type=int, default=5, help="steps per repetition")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="BLAS / intra-op threads of both")
    parser.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory subprocesses")
    parser.add_argument("--_memory", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._memory:
        return measure_memory(*args._memory, args.threads)
    limit_threads(args.threads)
    try:
        import torch  # noqa: F401
        libraries = ("minigan", "torch")
    except ImportError:
        libraries = ("minigan",)
    print(f"{platform.machine()}, {os.cpu_count()} cores, {args.threads} threads; {versions(args.backend)}; "
          f"backend {args.backend}; median of {args.repeat} × {args.number} steps")
    print("| step (batch 64) | minigan ms | PyTorch ms | minigan / PyTorch | spread of the ratio |")
    print("|---|---|---|---|---|")
    for name in args.models:
        steps = {lib: build(name, lib, args.backend) for lib in libraries}
        syncs = {lib: synchronizer(lib, args.backend) for lib in libraries}
        for lib in libraries:  # warm up (Adam's state, BLAS buffers, CUDA kernels)
            for _ in range(3):
                steps[lib]()
        times = {lib: [] for lib in libraries}
        for _ in range(args.repeat):
            for lib in libraries:
                times[lib].append(seconds_per_step(steps[lib], syncs[lib], args.number))
        ours = statistics.median(times["minigan"]) * 1e3
        if "torch" in times:
            theirs = statistics.median(times["torch"]) * 1e3
            ratios = sorted(a / b for a, b in zip(times["minigan"], times["torch"]))
            print(f"| {name} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f}× | "
                  f"{ratios[len(ratios) // 4]:.2f}–{ratios[(3 * len(ratios)) // 4]:.2f}× (quartiles) |")
        else:
            print(f"| {name} | {ours:.2f} | – | – | – |")
    if args.no_memory or args.backend != "numpy" or not os.path.exists("/proc/self/clear_refs"):
        return
    print("\n| step (batch 64) | minigan peak MiB (RSS) | minigan (tracemalloc) | PyTorch peak MiB (RSS) | ratio |")
    print("|---|---|---|---|---|")
    for name in args.models:
        ours = memory_in_subprocess(name, "minigan", args.threads)
        row = f"| {name} | {ours['rss_mib']:.1f} | {ours['tracemalloc_mib']:.1f} |"
        if "torch" in libraries:
            theirs = memory_in_subprocess(name, "torch", args.threads)
            row += f" {theirs['rss_mib']:.1f} | {ours['rss_mib'] / theirs['rss_mib']:.2f}× |"
        else:
            row += " – | – |"
        print(row)


if __name__ == "__main__":
    main()
