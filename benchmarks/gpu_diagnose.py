"""Short diagnostics for the CuPy backend (< 60 s), to run beside gpu_check.py on a GPU machine:

    MINIGAN_BACKEND=cupy python benchmarks/gpu_diagnose.py

1. the mixing rules of minigan/backend.py on real CuPy (each line prints ok or the error);
2. the gzip round trip that tests/data/test_images.py does (its failure on the GPU machine looked
   like the Python there, not the backend: this prints what gzip gives back);
3. where a GAN step's time goes on CuPy: the step with its host syncs (.item()/float) and without,
   and the cost of one host->device copy of a batch of codes (how creation.randn moves its draws).
"""
import gzip
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import minigan  # noqa: E402
from minigan import backend, nn, optim  # noqa: E402
from minigan import functional as F  # noqa: E402


def check(name, fn):
    try:
        fn()
        print(f"ok    {name}")
    except Exception as e:  # a diagnostic: report every failure and go on
        print(f"FAIL  {name}: {type(e).__name__}: {e}")


def mixing_rules():
    print(f"default backend: {backend.current()}")
    x = minigan.tensor(np.array([1.0, 2.0]), requires_grad=True)
    check("tensor(numpy) is on the default backend", lambda: _assert(x.backend == backend.current()))
    check("a NumPy reduction's scalar stays a NumPy value",
          lambda: _assert(type(minigan.Tensor(np.ones(3)).to("numpy").sum().data) is np.ndarray))

    def scalar_tensor_on_numpy_times_gpu_tensor():
        s = minigan.Tensor(np.array(2.0)).to("numpy").requires_grad_()
        y = (s * x).sum()
        y.backward()
        _assert(s.grad.backend == "numpy" and abs(s.grad.item() - 3.0) < 1e-12)
    check("a 0-d NumPy tensor times a GPU tensor, gradient back on NumPy", scalar_tensor_on_numpy_times_gpu_tensor)
    check("numpy constants join the tensor's backend", lambda: _assert((x * np.array([1.0, 2.0])).backend == x.backend))

    def two_placed_tensors_raise():
        try:
            x.detach().to("numpy") + x
        except TypeError as e:
            _assert("cannot mix" in str(e))
            return
        if backend.current() == "cupy":
            raise AssertionError("no TypeError")
    check("two tensors with dimensions on different backends raise", two_placed_tensors_raise)


def _assert(condition):
    if not condition:
        raise AssertionError("condition false")


def gzip_round_trip():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "t.gz")
        payload = bytes([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 255])
        with gzip.open(path, "wb") as f:
            f.write(payload)
        with gzip.open(path, "rb") as f:
            back = f.read()
        print(f"gzip: wrote {len(payload)} bytes, read {len(back)} back, equal: {back == payload}; "
              f"python {sys.version.split()[0]}, zlib {__import__('zlib').ZLIB_RUNTIME_VERSION}")


def step_timings(number=50):
    if backend.current() != "cupy":
        print("step timings: skipped (not on the cupy backend)")
        return
    import cupy
    minigan.manual_seed(0)
    G = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 784), nn.Tanh())
    D = nn.Sequential(nn.Linear(784, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
    opt_g, opt_d = optim.Adam(G.parameters(), lr=2e-4), optim.Adam(D.parameters(), lr=2e-4)
    real = minigan.randn(64, 784)

    def step(sync_losses, fresh_codes):
        z = minigan.randn(64, 64) if fresh_codes else codes
        opt_d.zero_grad()
        loss_d = F.bce_with_logits(D(real), 1.0) + F.bce_with_logits(D(G(z).detach()), 0.0)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = F.bce_with_logits(D(G(z)), 1.0)
        loss_g.backward()
        opt_g.step()
        if sync_losses:
            loss_d.item(), loss_g.item()

    codes = minigan.randn(64, 64)
    for sync_losses, fresh in ((True, True), (False, True), (False, False)):
        step(sync_losses, fresh)
        cupy.cuda.Device().synchronize()
        start = time.perf_counter()
        for _ in range(number):
            step(sync_losses, fresh)
        cupy.cuda.Device().synchronize()
        print(f"MLP GAN step: {1e3 * (time.perf_counter() - start) / number:.2f} ms "
              f"(losses read each step: {sync_losses}, codes drawn on the host each step: {fresh})")
    host = np.random.default_rng(0).standard_normal((64, 64)).astype(np.float32)
    start = time.perf_counter()
    for _ in range(200):
        cupy.asarray(host)
    cupy.cuda.Device().synchronize()
    print(f"one host->device copy of 64x64 codes: {1e6 * (time.perf_counter() - start) / 200:.1f} µs")


if __name__ == "__main__":
    mixing_rules()
    gzip_round_trip()
    step_timings()
