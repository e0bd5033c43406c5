"""minigan.save/load: exact round trips of nested checkpoints (types, int keys, dtypes), atomic
writes, and refusal of truncated, foreign or pickled files."""
import json
import os
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigan
from minigan import nn, optim, serialization


def checkpoint():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
    model(minigan.randn(8, 3))  # running statistics move, num_batches_tracked = 1
    return model, {
        "generator": model.state_dict(),
        "opt_g": {"state": {0: {"step": 3, "exp_avg": np.arange(4.0, dtype=np.float32)}, 1: {"step": 3}},
                  "param_groups": [{"lr": 2e-4, "betas": [0.5, 0.999], "params": [0, 1], "maximize": False}]},
        "step": 100,
        "rng": minigan.get_rng_state(),
        "history": [0.5, float("inf"), None, "text", True],
        "shape": (28, 28),
        "scalar": np.float32(1.5),
    }


def assert_identical(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b) and [type(k) for k in a] == [type(k) for k in b]
        for key in a:
            assert_identical(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_identical(x, y)
    elif isinstance(a, minigan.Tensor):
        assert_identical(a.numpy(), b.numpy())
    elif isinstance(a, (np.ndarray, np.generic)):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b


def test_a_nested_checkpoint_round_trips_exactly(tmp_path):
    _, obj = checkpoint()
    minigan.save(obj, tmp_path / "ck.npz")
    back = minigan.load(tmp_path / "ck.npz")
    assert_identical(obj, back)
    assert back["generator"]["1.num_batches_tracked"].dtype == np.int64
    assert back["generator"]["1.num_batches_tracked"].item() == 1


def test_a_loaded_state_dict_restores_the_model_and_the_optimizer(tmp_path):
    model, _ = checkpoint()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    model(minigan.randn(8, 3)).mean().backward()
    optimizer.step()
    minigan.save({"model": model.state_dict(), "opt": optimizer.state_dict()}, tmp_path / "ck.npz")
    back = minigan.load(tmp_path / "ck.npz")
    fresh = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
    fresh.load_state_dict(back["model"])
    fresh_opt = optim.Adam(fresh.parameters(), lr=1.0)
    fresh_opt.load_state_dict(back["opt"])
    x = minigan.randn(5, 3)
    np.testing.assert_array_equal(fresh.eval()(x).numpy(), model.eval()(x).numpy())
    assert fresh_opt.param_groups[0]["lr"] == 1e-3


@settings(max_examples=15)
@given(arrays=st.lists(hnp.arrays(st.sampled_from([np.float32, np.float64, np.int64, np.int32, np.bool_, np.uint8]),
                                  hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)), max_size=4),
       keys=st.lists(st.one_of(st.integers(-5, 5), st.text(max_size=5)), min_size=4, max_size=4, unique=True))
def test_arrays_of_any_dtype_and_shape_and_mixed_keys_round_trip(tmp_path_factory, arrays, keys):
    obj = {key: array for key, array in zip(keys, arrays)}
    path = tmp_path_factory.mktemp("rt") / "x.npz"
    minigan.save(obj, path)
    assert_identical(obj, minigan.load(path))


def test_the_header_records_version_backend_and_dtype(tmp_path):
    minigan.save({"w": minigan.ones(2)}, tmp_path / "ck.npz")
    with np.load(tmp_path / "ck.npz", allow_pickle=False) as npz:
        header = json.loads(npz[serialization.HEADER_KEY].tobytes().decode())
    assert header["minigan_version"] == minigan.__version__
    assert header["backend"] == minigan.backend.current() and header["dtype"] == "float32"


def test_a_crash_during_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "ck.npz"
    minigan.save({"step": 1}, path)

    def crash(file, **arrays):
        file.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        minigan.save({"step": 2}, path)
    monkeypatch.undo()
    assert minigan.load(path) == {"step": 1}
    assert os.listdir(tmp_path) == ["ck.npz"]  # no temporary file left behind


def test_truncated_foreign_and_pickled_files_are_refused(tmp_path):
    minigan.save({"w": minigan.ones(100, 100)}, tmp_path / "good.npz")
    data = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "truncated.npz").write_bytes(data[: len(data) // 2])
    np.savez(tmp_path / "foreign.npz", w=np.ones(3))
    np.save(tmp_path / "single.npy", np.ones(3))
    np.savez(tmp_path / "objects.npz", **{serialization.HEADER_KEY: np.frombuffer(b"{}", np.uint8),
                                         "a0": np.array([{"x": 1}], dtype=object)})
    (tmp_path / "pickle.npz").write_bytes(pickle.dumps({"w": 1}))
    (tmp_path / "text.npz").write_text("hello")
    for name in ["truncated.npz", "foreign.npz", "single.npy", "objects.npz", "pickle.npz", "text.npz"]:
        with pytest.raises(ValueError, match="not a readable minigan checkpoint"):
            minigan.load(tmp_path / name)


def test_objects_that_cannot_be_saved_without_pickle_are_errors(tmp_path):
    with pytest.raises(TypeError, match=r"object.*\['model'\]"):
        minigan.save({"model": nn.Linear(1, 1)}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dtype object"):
        minigan.save({"a": np.array([None, 1])}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dict key"):
        minigan.save({(1, 2): 3}, tmp_path / "x.npz")
    assert not os.listdir(tmp_path)
