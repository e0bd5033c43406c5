"""DataLoader: epochs are permutations, batches align their arrays, a resumed loader repeats the batches."""
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigan
from minigan.data import ArrayDataset, DataLoader


def index_dataset(n):
    """Row i holds i (float32) and i as a label (int64), so batches reveal their indices."""
    return ArrayDataset(np.arange(n, dtype=np.float32)[:, None] * np.ones(3, np.float32), np.arange(n))


def indices(batch):
    return batch[1].numpy().tolist() if isinstance(batch, tuple) else batch.numpy()[:, 0].astype(int).tolist()


def test_array_dataset_indexes_every_array_alike():
    x, y = np.arange(12.0).reshape(6, 2), np.arange(6) * 10
    data = ArrayDataset(minigan.tensor(x), y)
    assert len(data) == 6 and isinstance(data.arrays[0], np.ndarray)
    xs, ys = data[np.array([4, 1])]
    np.testing.assert_array_equal(xs, x[[4, 1]])
    np.testing.assert_array_equal(ys, [40, 10])
    with pytest.raises(ValueError, match=r"share their first axis.*\(6, 2\), \(5,\)"):
        ArrayDataset(x, y[:5])
    with pytest.raises(ValueError, match="at least one array"):
        ArrayDataset()


@given(st.integers(1, 60), st.integers(1, 20), st.booleans(), st.integers(0, 1000))
def test_an_epoch_is_a_permutation_cut_into_batches(n, batch_size, drop_last, seed):
    if drop_last and batch_size > n:
        return
    loader = DataLoader(index_dataset(n), batch_size, drop_last=drop_last, seed=seed)
    batches = [indices(b) for b in loader]
    assert len(batches) == len(loader) == (n // batch_size if drop_last else -(-n // batch_size))
    seen = sum(batches, [])
    assert len(set(seen)) == len(seen)
    if drop_last:
        assert all(len(b) == batch_size for b in batches) and len(seen) == n // batch_size * batch_size
    else:
        assert sorted(seen) == list(range(n))


def test_batches_are_tensors_with_aligned_rows_and_the_datas_dtypes():
    images = np.random.default_rng(0).random((50, 1, 4, 4), dtype=np.float32)
    labels = np.arange(50)
    x, y = next(iter(DataLoader(ArrayDataset(images, labels), 8, seed=0)))
    assert isinstance(x, minigan.Tensor) and x.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(x.numpy(), images[y.numpy()])
    single = next(iter(DataLoader(ArrayDataset(images), 8, seed=0)))
    assert isinstance(single, minigan.Tensor) and single.shape == (8, 1, 4, 4)


def test_shuffling_depends_on_the_seed_and_can_be_turned_off():
    data = index_dataset(100)
    order = lambda **kw: sum((indices(b) for b in DataLoader(data, 10, **kw)), [])  # noqa: E731
    assert order(seed=1) == order(seed=1) != order(seed=2)
    assert sorted(order(seed=1)) == list(range(100))
    assert order(shuffle=False) == list(range(100))
    minigan.manual_seed(5)
    first = order()
    minigan.manual_seed(5)
    assert order() == first  # seed=None draws the loader's seed from minigan's generator


def test_each_epoch_has_a_new_permutation_and_forever_crosses_epochs():
    loader = DataLoader(index_dataset(30), 10, seed=0)
    epoch0 = [indices(b) for b in loader]
    epoch1 = [indices(b) for b in loader]
    assert epoch0 != epoch1 and loader.epoch == 1
    stream = DataLoader(index_dataset(30), 10, seed=0).forever()
    assert [indices(next(stream)) for _ in range(6)] == epoch0 + epoch1


@given(st.integers(2, 40), st.integers(1, 12), st.integers(0, 50), st.booleans(), st.booleans())
def test_a_resumed_loader_yields_the_batches_of_an_uninterrupted_one(n, batch_size, consumed, drop_last, shuffle):
    batch_size = min(batch_size, n)
    original = DataLoader(index_dataset(n), batch_size, shuffle=shuffle, drop_last=drop_last, seed=7)
    stream = original.forever()
    for _ in range(consumed):
        next(stream)
    state = json.loads(json.dumps(original.state_dict()))  # a checkpoint stores it as JSON
    resumed = DataLoader(index_dataset(n), batch_size, shuffle=shuffle, drop_last=drop_last, seed=123)
    resumed.load_state_dict(state)
    resumed_stream = resumed.forever()
    ahead = 2 * len(original) + 1
    assert [indices(next(resumed_stream)) for _ in range(ahead)] == [indices(next(stream)) for _ in range(ahead)]


def test_a_for_loop_after_a_break_continues_the_epoch():
    loader = DataLoader(index_dataset(40), 10, seed=0)
    stream = DataLoader(index_dataset(40), 10, seed=0).forever()
    reference = [indices(next(stream)) for _ in range(8)]
    got = []
    for b in loader:
        got.append(indices(b))
        if len(got) == 4:
            break  # stopped right after the epoch's last batch
    got += [indices(b) for b in loader]
    assert got == reference


def test_bad_batch_sizes_and_mismatched_states_are_clear_errors():
    data = index_dataset(10)
    with pytest.raises(ValueError, match="positive integer"):
        DataLoader(data, 0)
    with pytest.raises(ValueError, match="batch_size=11 is larger than the dataset"):
        DataLoader(data, 11)
    assert len(DataLoader(data, 11, drop_last=False)) == 1
    state = DataLoader(data, 5, seed=0).state_dict()
    with pytest.raises(ValueError, match="batch_size=5 on 10 examples"):
        DataLoader(data, 2, seed=0).load_state_dict(state)
