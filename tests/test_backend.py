"""Backend selection and its errors; where CuPy and a GPU are present, the same computation on both
backends (skipped cleanly elsewhere)."""
import numpy as np
import pytest

import minigan
from minigan import Tensor, backend, nn


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
    a, b = Tensor(np.zeros(2)).to("numpy"), Tensor(np.zeros((3, 2)).view(LooksLikeCupy))
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
    x = minigan.tensor(np.array([1.0, 2.0])).to("numpy").detach().requires_grad_()
    (x.to("cupy") * 3.0).sum().backward()
    assert x.grad.backend == "numpy"
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])


# ------------------------------------------------- the mixing rules, on the CPU (no GPU needed)
def test_numpy_scalars_stay_numpy_values_whatever_the_default(monkeypatch):
    """A NumPy reduction returns a NumPy scalar; wrapping it must not send it to the default backend
    (it would then meet the rest of its NumPy graph on another backend)."""
    monkeypatch.setitem(backend._state, "name", "numpy")
    x = Tensor(np.arange(3.0), requires_grad=True)
    monkeypatch.setitem(backend._state, "name", "cupy")          # only the name: nothing is created here
    assert type(x.sum().data) is np.ndarray and type((x * x).sum().data) is np.ndarray


def test_tensor_of_host_data_follows_the_default_backend(monkeypatch):
    """minigan.tensor, Tensor and Parameter put NumPy arrays and Python data on backend.current(), through
    backend.to_default (stood in for here by a marker, since there is no GPU)."""
    moved = []
    monkeypatch.setitem(backend._state, "name", "cupy")
    monkeypatch.setattr(backend, "module", lambda name=None: type("FakeXp", (), {
        "asarray": staticmethod(lambda a: moved.append(a.shape) or a.view(LooksLikeCupy))}))
    assert backend.is_cupy_array(minigan.tensor(np.ones((2, 3))).data)
    minigan.tensor([1.0, 2.0])
    nn.Parameter(np.zeros(4))
    Tensor(np.zeros(5))
    assert moved == [(2, 3), (2,), (4,), (5,)]
    backend._state["name"] = "numpy"
    a = np.ones(3)
    assert minigan.tensor(a).data is a                           # on NumPy: no copy, as before


def test_python_numbers_and_0d_arrays_combine_with_a_tensor():
    x = minigan.tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (np.float64(3.0) * x + np.array(1.0) - 2 + Tensor(np.array(0.5)) * x).sum()
    y.backward()
    assert y.item() == (3 * 1 + 1 - 2 + 0.5) + (3 * 2 + 1 - 2 + 1.0)
    np.testing.assert_array_equal(x.grad.numpy(), [3.5, 3.5])


def test_a_0d_tensor_joins_the_other_backend_differentiably(monkeypatch):
    """The rule that lets a 0-d NumPy tensor meet a CuPy tensor (it is moved with .to, whose backward
    moves the gradient back), checked with a stand-in 'cupy' array type on the CPU."""
    monkeypatch.setitem(backend._state, "name", "numpy")         # the 0-d tensor is made on NumPy
    scale = Tensor(np.array(2.0), requires_grad=True)
    x = Tensor(np.array([1.0, -3.0]).view(LooksLikeCupy), requires_grad=True)
    moves = []

    def fake_to(self, target):
        moves.append((self.shape, target))
        return self
    original = Tensor.to
    Tensor.to = fake_to
    try:
        y = scale * x
    finally:
        Tensor.to = original
    assert moves == [((), "cupy")]
    np.testing.assert_array_equal(np.asarray(y.data), [2.0, -6.0])


def test_exercises_are_graded_on_numpy_whatever_the_default(monkeypatch):
    """The exercises' primitives compute in NumPy (their docstrings say so): grade() runs them on the
    NumPy backend and gives the default back afterwards."""
    from types import SimpleNamespace

    from minigan.exercises.grader import grade

    seen = []

    def check(grading):
        seen.append((backend.current(), type(grading.randn(2, 3).data)))
    exercise = SimpleNamespace(name="probe", lecture_id="AD-1", hints_for_exceptions={}, check=check)
    monkeypatch.setattr(backend, "_import_cupy", lambda: np)        # use("cupy") needs no GPU here
    monkeypatch.setitem(backend._state, "name", "cupy")
    verdict = grade(exercise, (), seed=0)
    assert verdict.passed and seen == [("numpy", np.ndarray)]
    assert backend.current() == "cupy"


def test_arrays_made_inside_ops_stay_on_their_inputs_backend(monkeypatch):
    """With CuPy the default, a graph on NumPy stays on NumPy: what the ops make (max's share of the
    gradient, batch_norm's statistics, dropout's mask, state_dict's copies, gradcheck's float64 copies)
    is wrapped where it was computed; anything sent to the default backend trips the wire below."""
    import minigan.functional as F

    monkeypatch.setitem(backend._state, "name", "numpy")
    norm = nn.BatchNorm1d(3)
    x = Tensor(np.random.default_rng(0).normal(size=(4, 3)), requires_grad=True)
    x32 = Tensor(np.linspace(0.5, 1.5, 6, dtype=np.float32), requires_grad=True)

    def tripwire(name=None):
        raise AssertionError("an array was sent to the default backend")
    monkeypatch.setitem(backend._state, "name", "cupy")
    monkeypatch.setattr(backend, "module", tripwire)
    (x.max(axis=1).sum() + norm(x).sum() + F.dropout(x, 0.5).sum()).backward()
    norm.eval()
    out = norm(x)
    assert all(type(t.data) is np.ndarray for t in [x.grad, out, *norm.state_dict().values()])
    with pytest.warns(UserWarning, match="float64 copy"):
        assert minigan.gradcheck(lambda a: (a * a).max(), (x32,))
