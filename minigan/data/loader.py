"""Datasets held in memory and the loader that cuts them into shuffled minibatches.

Algorithm 1 (GAN-3) asks, at every discriminator step, for "a minibatch of m examples
{x⁽¹⁾, …, x⁽ᵐ⁾} from the data generating distribution p_data(x)". The DataLoader draws them without
replacement: each epoch is one random permutation of the dataset, cut into ⌊N/m⌋ batches of m.

    loader = DataLoader(toy2d.ring(), batch_size=512, seed=0)
    for x in loader:                     # one epoch; x is a Tensor (512, 2) on the current backend
        ...
    batches = loader.forever()           # endless: epoch after epoch (what the training loop uses)
    state = loader.state_dict()          # JSON-able; load_state_dict(state) resumes the same batches
"""
import copy

import numpy as np

from minigan import backend
from minigan.autograd import Tensor
from minigan.creation import generator


class ArrayDataset:
    """A dataset of arrays sharing their first axis: ``dataset[index]`` is the tuple
    ``(a[index] for a in arrays)``, for an int, a slice or an array of indices.

    The arrays stay NumPy arrays on the host (Tensors are converted); the DataLoader moves each
    batch to the backend."""

    def __init__(self, *arrays):
        if not arrays:
            raise ValueError("ArrayDataset needs at least one array, e.g. ArrayDataset(images, labels)")
        arrays = tuple(backend.to_numpy(a.data if isinstance(a, Tensor) else a) for a in arrays)
        lengths = [len(a) if a.ndim else None for a in arrays]
        if None in lengths or len(set(lengths)) != 1:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(f"ArrayDataset's arrays must share their first axis (one row per example); "
                             f"got shapes {shapes}")
        self.arrays = arrays

    def __len__(self):
        return len(self.arrays[0])

    def __getitem__(self, index):
        return tuple(a[index] for a in self.arrays)

    def __repr__(self):
        shapes = ", ".join(f"{a.dtype}{list(a.shape)}" for a in self.arrays)
        return f"{type(self).__name__}({shapes})"


class DataLoader:
    """Minibatches of `batch_size` examples, one random permutation of the dataset per epoch.

    - Each batch is a Tensor on the current backend (``minigan.backend.module()``) when the dataset
      holds one array, a tuple of Tensors (e.g. images, labels) otherwise.
    - ``drop_last=True`` drops the ⌊N/m⌋·m-th to N-th examples of each permutation, so every batch
      has exactly m rows (a GAN's batch statistics stay comparable).
    - Randomness: the loader's own NumPy generator, seeded by `seed`, or by a number drawn from
      ``minigan.generator()`` when `seed` is None (so ``minigan.manual_seed`` fixes it too).
    - Iterating continues the current epoch from where the previous iteration stopped; once an
      epoch is exhausted, the next iteration starts a new permutation. ``state_dict()`` holds the
      epoch, the position in it and the generator's state at the epoch's start: a loader restored
      with ``load_state_dict`` yields exactly the batches the original would have yielded.
    """

    def __init__(self, dataset, batch_size, shuffle=True, drop_last=True, seed=None):
        n = len(dataset)
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if drop_last and batch_size > n:
            raise ValueError(f"batch_size={batch_size} is larger than the dataset ({n} examples): with "
                             f"drop_last=True no batch would be complete; use batch_size <= {n} or drop_last=False")
        if n == 0:
            raise ValueError("the dataset is empty: a DataLoader needs at least one example")
        self.dataset, self.batch_size = dataset, int(batch_size)
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        self.seed = int(generator().integers(2**63)) if seed is None else int(seed)
        self._rng = np.random.default_rng(self.seed)
        self._start_epoch(epoch=0, batch=0, rng_state=self._rng.bit_generator.state)

    def __len__(self):
        """Batches per epoch: ⌊N/m⌋ with drop_last, ⌈N/m⌉ without."""
        n, m = len(self.dataset), self.batch_size
        return n // m if self.drop_last else -(-n // m)

    def _start_epoch(self, epoch, batch, rng_state):
        """Set the position and draw this epoch's order from the generator state `rng_state`."""
        self._rng.bit_generator.state = copy.deepcopy(rng_state)
        self._epoch_rng_state = copy.deepcopy(rng_state)
        n = len(self.dataset)
        self._order = self._rng.permutation(n) if self.shuffle else np.arange(n)
        self.epoch, self._batch = epoch, batch

    def __iter__(self):
        if self._batch >= len(self):  # the previous epoch is exhausted: a new permutation
            self._start_epoch(self.epoch + 1, 0, self._rng.bit_generator.state)
        while self._batch < len(self):
            index = self._order[self._batch * self.batch_size:(self._batch + 1) * self.batch_size]
            self._batch += 1
            yield self._to_tensors(self.dataset[index])

    def forever(self):
        """An endless iterator of batches, epoch after epoch."""
        while True:
            yield from self

    def _to_tensors(self, arrays):
        xp = backend.module()
        if not isinstance(arrays, tuple):
            return Tensor(xp.asarray(arrays))
        tensors = tuple(Tensor(xp.asarray(a)) for a in arrays)
        return tensors[0] if len(tensors) == 1 else tensors

    def state_dict(self):
        """{"epoch", "batch" (batches already yielded in this epoch), "rng_state" (the generator at
        the epoch's start), "batch_size", "num_examples"}: plain JSON values."""
        return {"epoch": self.epoch, "batch": self._batch, "rng_state": copy.deepcopy(self._epoch_rng_state),
                "batch_size": self.batch_size, "num_examples": len(self.dataset)}

    def load_state_dict(self, state):
        """Resume at the saved position: the next batch is the one the saved loader would have yielded."""
        saved = (state["batch_size"], state["num_examples"])
        if saved != (self.batch_size, len(self.dataset)):
            raise ValueError(f"this loader state was saved with batch_size={saved[0]} on {saved[1]} examples, "
                             f"but this loader has batch_size={self.batch_size} on {len(self.dataset)} examples; "
                             f"resume with the same data and batch size")
        self._start_epoch(int(state["epoch"]), int(state["batch"]), state["rng_state"])

    def __repr__(self):
        return (f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
                f"drop_last={self.drop_last}, seed={self.seed})")
