"""`Dataset`, `TensorDataset`, samplers and `DataLoader`.

Datasets that hold their items in arrays (every dataset of this package) also answer
`get_batch(indices)`: the whole batch in one fancy index, so the loader never loops over
samples in Python. Transforms work on batches too (arrays of shape (N, ...)).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Sequence

import numpy as np

from ..random import generator
from ..tensor import Tensor


class Dataset:
    """Base class: define `__len__` and `__getitem__(i) -> (input, label)`.

    >>> class Squares(Dataset):
    ...     def __len__(self): return 10
    ...     def __getitem__(self, i): return np.float32(i), i * i
    """

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError

    def get_batch(self, indices: np.ndarray) -> tuple:
        """A batch as arrays; the default stacks items one by one (override when array-backed)."""
        items = [self[int(i)] for i in indices]
        return tuple(np.stack([np.asarray(part) for part in parts]) for parts in zip(*items))


class ArrayDataset(Dataset):
    """Items are rows of arrays: `(inputs[i], targets[i])`, optionally transformed in batches.

    Subclasses set `self.data` (raw inputs, e.g. uint8 images) and `self.targets`, and define
    `to_inputs` (raw -> float32 inputs for a batch).
    """

    data: np.ndarray
    targets: np.ndarray
    transform: Callable | None = None
    target_transform: Callable | None = None

    def to_inputs(self, raw: np.ndarray) -> np.ndarray:
        return raw

    def __len__(self) -> int:
        return len(self.targets)

    def get_batch(self, indices: Any) -> tuple:
        inputs = self.to_inputs(self.data[indices])
        targets = self.targets[indices]
        if self.transform is not None:
            inputs = self.transform(inputs)
        if self.target_transform is not None:
            targets = self.target_transform(targets)
        return inputs, targets

    def __getitem__(self, index: int) -> tuple:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range for a dataset of {len(self)} items")
        inputs, targets = self.get_batch(np.array([index]))
        return inputs[0], targets[0]


class TensorDataset(Dataset):
    """Rows of tensors or arrays of equal length.

    >>> ds = TensorDataset(thw.randn(100, 4), thw.randint(0, 3, (100,)))
    >>> x, y = ds[0]
    """

    def __init__(self, *tensors: Any):
        self.arrays = [t._data if isinstance(t, Tensor) else np.asarray(t) for t in tensors]
        lengths = {len(a) for a in self.arrays}
        if len(lengths) != 1:
            raise ValueError(f"TensorDataset needs tensors of equal length, got lengths "
                             f"{[len(a) for a in self.arrays]}")

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: int) -> tuple:
        return tuple(a[index] for a in self.arrays)

    def get_batch(self, indices: Any) -> tuple:
        return tuple(a[indices] for a in self.arrays)


class Subset(Dataset):
    """The items of `dataset` at `indices` (e.g. a validation split)."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]):
        self.dataset, self.indices = dataset, np.asarray(indices)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices: Any) -> tuple:
        return self.dataset.get_batch(self.indices[indices])


def random_split(dataset: Dataset, lengths: Sequence[int]) -> list[Subset]:
    """Split into non-overlapping random subsets (follows `thw.manual_seed`).

    >>> train, val = random_split(dataset, [1400, 397])
    """
    if sum(lengths) != len(dataset):
        raise ValueError(f"lengths {list(lengths)} add up to {sum(lengths)}, the dataset has {len(dataset)}")
    order = generator().permutation(len(dataset))
    bounds = np.cumsum([0, *lengths])
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


class SequentialSampler:
    """0, 1, 2, ... len-1."""

    def __init__(self, data_source: Dataset):
        self.size = len(data_source)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.size))

    def indices(self) -> np.ndarray:
        return np.arange(self.size)

    def __len__(self) -> int:
        return self.size


class RandomSampler(SequentialSampler):
    """A random order; with `replacement=True`, `num_samples` independent draws (the uwimg
    homework's `random_batch`).

    >>> loader = DataLoader(ds, batch_size=128, sampler=RandomSampler(ds, replacement=True, num_samples=128 * 1000))
    """

    def __init__(self, data_source: Dataset, replacement: bool = False, num_samples: int | None = None):
        super().__init__(data_source)
        self.replacement = replacement
        self.num_samples = num_samples if num_samples is not None else self.size
        if not replacement and self.num_samples != self.size:
            raise ValueError("num_samples can only differ from the dataset size with replacement=True")

    def indices(self) -> np.ndarray:
        if self.replacement:
            return generator().integers(0, self.size, self.num_samples)
        return generator().permutation(self.size)

    def __iter__(self) -> Iterator[int]:
        return iter(self.indices().tolist())

    def __len__(self) -> int:
        return self.num_samples


class DataLoader:
    """Batches of Tensors from a dataset, gathered with one fancy index per batch.

    >>> loader = DataLoader(MNIST(root), batch_size=128, shuffle=True)
    >>> for images, labels in loader: ...
    """

    def __init__(self, dataset: Dataset, batch_size: int = 1, shuffle: bool = False, drop_last: bool = False,
                 sampler: SequentialSampler | None = None):
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if sampler is not None and shuffle:
            raise ValueError("give either shuffle=True or a sampler, not both")
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.sampler = sampler or (RandomSampler(dataset) if shuffle else SequentialSampler(dataset))

    def __len__(self) -> int:
        count = len(self.sampler)
        return count // self.batch_size if self.drop_last else -(-count // self.batch_size)

    def __iter__(self) -> Iterator[tuple]:
        order = self.sampler.indices()
        for start in range(0, len(order), self.batch_size):
            indices = order[start:start + self.batch_size]
            if len(indices) < self.batch_size and self.drop_last:
                return
            yield tuple(Tensor._make(np.asarray(part), False, None) for part in self.dataset.get_batch(indices))
