"""Backend selection and its errors; where CuPy and a GPU are present, the same computation on both
backends (skipped cleanly elsewhere)."""
import numpy as np
import pytest

import minigan
from minigan import backend


def _cupy_with_gpu():
    try:
        backend._import_cupy()
        return True
    except RuntimeError:
        return False


HAS_GPU = _cupy_with_gpu()


def test_numpy_is_the_default_backend():
    assert backend.current() in ("numpy", "cupy")
    assert minigan.tensor([1.0]).backend == backend.current()


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ValueError, match="'numpy' or 'cupy'"):
        backend.use("jax")


@pytest.mark.skipif(HAS_GPU, reason="CuPy with a GPU is present here")
def test_cupy_without_gpu_says_how_to_install():
    with pytest.raises(RuntimeError, match=r"pip install minigan\[gpu\]|sees no GPU"):
        backend.use("cupy")
    assert backend.current() == "numpy"


class LooksLikeCupy(np.ndarray):
    """An array whose type's module is CuPy's, as backend.is_cupy_array reads it (no GPU needed)."""


LooksLikeCupy.__module__ = "cupy._core.core"


def test_mixing_backends_names_both_tensors():
    a, b = minigan.zeros(2), minigan.zeros(3, 2)
    b.data = b.data.view(LooksLikeCupy)
    assert backend.name_of(b.data) == "cupy" and backend.name_of(a.data) == "numpy"
    with pytest.raises(TypeError, match=r"input 0 \(shape \(2,\)\) on numpy.*"
                                        r"input 1 \(shape \(3, 2\)\) on cupy.*to\('cupy'\)"):
        a + b


@pytest.mark.skipif(not HAS_GPU, reason="needs CuPy and an NVIDIA GPU")
def test_cupy_matches_numpy_forward_and_backward():
    x = np.random.default_rng(0).normal(size=(4, 3))
    results = []
    for name in ("numpy", "cupy"):
        t = minigan.tensor(x).to(name).requires_grad_() if name == "numpy" else minigan.tensor(x).to("cupy")
        t.requires_grad_()
        y = (t.tanh() @ t.T).sum(axis=1).max()
        y.backward()
        results.append((y.item(), t.grad.numpy()))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-10)


@pytest.mark.skipif(not HAS_GPU, reason="needs CuPy and an NVIDIA GPU")
def test_to_is_differentiable_across_backends():
    x = minigan.tensor(np.array([1.0, 2.0]), requires_grad=True)
    (x.to("cupy") * 3.0).sum().backward()
    assert x.grad.backend == "numpy"
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])
