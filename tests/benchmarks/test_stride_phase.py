"""The stride-phase form of the strided transposed convolution (benchmarks/bench_stride_phase.py, the
alternative to minigan's fold that was measured and left out) computes the same numbers: against the
fold in float64, and against PyTorch's conv_transpose2d where torch is installed."""
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks"))
import bench_stride_phase as phase  # noqa: E402


def test_the_phases_equal_the_fold_in_float64():
    phase.check_equal()                                   # raises if any geometry differs beyond 1e-12


@pytest.mark.parametrize("k,s,p,extra", [(4, 2, 1, 0), (3, 2, 1, 1), (5, 3, 2, 2), (2, 2, 0, 0)])
def test_the_phases_equal_pytorchs_transposed_convolution(k, s, p, extra):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(k + s)
    n, c, h, w, out = 2, 3, 4, 5, 2
    x, weight = rng.standard_normal((n, c, h, w)), rng.standard_normal((c, out, k, k))
    expected = torch.nn.functional.conv_transpose2d(torch.tensor(x), torch.tensor(weight), stride=s, padding=p,
                                                    output_padding=extra).numpy()
    weight_cols = weight.transpose(0, 2, 3, 1).reshape(c, k * k * out)       # (in, kh·kw·out), out innermost
    got = phase.stride_phase_transposed(x, weight_cols, expected.shape, (k, k), (s, s), (p, p))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
