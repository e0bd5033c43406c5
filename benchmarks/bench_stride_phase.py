"""The stride-phase decomposition of a strided transposed convolution, against the fold that minigan
computes it with (`ops.conv.TransposedConvolution`), on the 28×28 DCGAN's shapes.

    python benchmarks/bench_stride_phase.py [--repeat 15] [--threads 1]

The transposed convolution adds x[n, c, i, j] · w[c, o, a, b] onto y[n, o, s·i + a − p, s·j + b − p].
minigan computes it as one product X W_cols, (N·H·W, in) by (in, kh·kw·out), and a fold that adds the
kh·kw slices of that (N·H·W, kh·kw·out) matrix onto the image. The stride-phase form needs no fold:
the outputs Y = s·m + r of one phase r ∈ {0, …, s−1} (per axis) receive only the taps a ≡ r + p (mod s),

    a = a₀ + s·t,   a₀ = (r + p) mod s,   t = 0 … T−1,   T = |{a₀, a₀ + s, … < k}|,
    i = m + q − t,   q = (r + p − a₀) / s,

so each phase is a stride-1 correlation of x (padded) with a T×T sub-kernel, flipped:

    y[n, o, s·m + r_h, s·l + r_w] = Σ_{c, u, v} x_pad[n, c, m + d_h + u, l + d_w + v]
                                                  · w[c, o, a₀_h + s(T_h−1−u), a₀_w + s(T_w−1−v)],   d = q − T + 1,

one unfold (T·T·in a row) and one product (N·M·M, T·T·in) by (T·T·in, out) per phase: s·s products in all
(for k4 s2 p1: four 2×2 convolutions, phase 0 reading rows m−1, m and phase 1 rows m, m+1). It does
the same multiply-adds as the fold's product, but copies k·k·in numbers per input pixel into its patch
rows where the fold adds k·k·out: for the DCGAN (in ≥ out in every transposed convolution, including
conv2d's ∂L/∂x) it moves more memory, and its products are narrower (out columns instead of k·k·out).
Measured here, it is slower; minigan keeps the fold. The script checks the two forms equal in float64
(also with an output padding and strides 3) before it times them, minigan's in turns with this one.
"""
import argparse
import time

import numpy as np
from bench_steps import limit_threads

from minigan import backend
from minigan.ops.conv import _split, fold_array


def phases(out_size, k, s, p):
    """(r, a₀, T, M, d) of each output phase r of one axis: M outputs s·m + r, taps a₀ + s·t, input
    offset d of the first tap (negative: padding)."""
    result = []
    for r in range(s):
        a0 = (r + p) % s
        taps = len(range(a0, k, s))
        result.append((r, a0, taps, len(range(r, out_size, s)), (r + p - a0) // s - taps + 1))
    return result


def padding_for(phase_list, size):
    """The padding before and after an axis of `size` that every phase's windows need."""
    spans = [(d, d + count + taps - 2) for _, _, taps, count, d in phase_list if taps and count]
    return max([0] + [-lo for lo, _ in spans]), max([0] + [hi - (size - 1) for _, hi in spans])


def stride_phase_transposed(x, weight_cols, image_shape, kernel_size, stride, padding):
    """conv_transpose2d without a fold: one stride-1 correlation per output phase (module docstring).
    x (N, in, H, W), weight_cols (in, kh·kw·out) as TransposedConvolution's; returns y (N, out, Ho, Wo),
    channels-last in memory, without the bias."""
    xp = backend.get_array_module(x)
    n, c, h, w = x.shape
    out_channels, ho, wo = image_shape[1:]
    (kh, kw), (sh, sw), (ph, pw) = kernel_size, stride, padding
    weights = weight_cols.reshape(c, kh, kw, out_channels)
    rows_h, rows_w = phases(ho, kh, sh, ph), phases(wo, kw, sw, pw)
    (top, bottom), (left, right) = padding_for(rows_h, h), padding_for(rows_w, w)
    padded = xp.zeros((n, h + top + bottom, w + left + right, c), dtype=x.dtype)
    padded[:, top:top + h, left:left + w, :] = x.transpose(0, 2, 3, 1)
    y = xp.zeros((n, ho, wo, out_channels), dtype=x.dtype)
    s_n, s_h, s_w, s_c = padded.strides
    for r_h, a_h, t_h, m_h, d_h in rows_h:
        for r_w, a_w, t_w, m_w, d_w in rows_w:
            if not (t_h and t_w and m_h and m_w):
                continue                                     # a phase no tap reaches stays 0
            windows = backend.as_strided(padded[:, top + d_h:, left + d_w:, :], (n, m_h, m_w, t_h, t_w, c),
                                         (s_n, s_h, s_w, s_h, s_w, s_c))
            rows = xp.empty((n, m_h, m_w, t_h, t_w, c), dtype=x.dtype)

            def copy(lo, hi, rows=rows, windows=windows):
                rows[lo:hi] = windows[lo:hi]
            _split(copy, n, rows.size, xp)
            kernel = weights[:, a_h::sh, a_w::sw, :][:, ::-1, ::-1, :].transpose(1, 2, 0, 3)
            product = rows.reshape(n * m_h * m_w, -1) @ kernel.reshape(t_h * t_w * c, out_channels)
            y[:, r_h::sh, r_w::sw, :] = product.reshape(n, m_h, m_w, out_channels)
    return y.transpose(0, 3, 1, 2)


def fold_form(x, weight_cols, image_shape, kernel_size, stride, padding):
    """minigan's: Fold(X W_cols) (TransposedConvolution.forward for strides above 1)."""
    n, c, h, w = x.shape
    return fold_array(x.transpose(0, 2, 3, 1).reshape(n * h * w, c) @ weight_cols, image_shape, kernel_size,
                      stride, padding)


def check_equal():
    """The two forms agree in float64 on the DCGAN's geometry and on odd ones (output padding, s = 3, k < s)."""
    rng = np.random.default_rng(0)
    for n, c, h, w, out, k, s, p, extra in [(2, 3, 5, 4, 2, 4, 2, 1, 0), (2, 3, 5, 5, 3, 3, 2, 1, 1),
                                            (1, 2, 4, 3, 2, 5, 3, 2, 0), (2, 2, 3, 3, 2, 1, 2, 0, 1)]:
        shape = (n, out, (h - 1) * s - 2 * p + k + extra, (w - 1) * s - 2 * p + k + extra)
        x, weight_cols = rng.standard_normal((n, c, h, w)), rng.standard_normal((c, k * k * out))
        args = (x, weight_cols, shape, (k, k), (s, s), (p, p))
        np.testing.assert_allclose(stride_phase_transposed(*args), fold_form(*args), rtol=1e-12, atol=1e-12)


SHAPES = [  # (name, in, H, out, Ho): the DCGAN-28's stride-2 transposed convolutions, forward and backward
    ("G ConvTranspose2d 128→64, 7→14 (and D conv 64→128's ∂L/∂x)", 128, 7, 64, 14),
    ("G ConvTranspose2d 64→1, 14→28 (and D conv 1→64's ∂L/∂x)", 64, 14, 1, 28),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    check_equal()
    limit_threads(args.threads)
    rng = np.random.default_rng(0)
    print(f"{args.threads} threads, batch {args.batch}; the two forms equal in float64 (checked)")
    print("| transposed convolution, forward | fold (minigan) ms | stride phases ms | phases / fold |")
    print("|---|---|---|---|")
    for name, c, h, out, ho in SHAPES:
        x = rng.standard_normal((args.batch, c, h, h)).astype(np.float32)
        weight_cols = rng.standard_normal((c, 16 * out)).astype(np.float32)
        call = (x, weight_cols, (args.batch, out, ho, ho), (4, 4), (2, 2), (1, 1))
        forms = (fold_form, stride_phase_transposed)
        times = [[], []]
        for form in forms:
            form(*call)                                          # warm up
        for _ in range(args.repeat):
            for form, spent in zip(forms, times):
                start = time.perf_counter()
                form(*call)
                spent.append(time.perf_counter() - start)
        fold_ms, phase_ms = (1e3 * float(np.median(t)) for t in times)
        print(f"| {name} | {fold_ms:.2f} | {phase_ms:.2f} | {phase_ms / fold_ms:.2f}× |")


if __name__ == "__main__":
    main()
