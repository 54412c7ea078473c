"""Datasets: `Dataset`, `IterableDataset`, `TensorDataset`, `ConcatDataset`, `ChainDataset`,
`Subset` and `random_split`, as in `torch.utils.data`.

A map-style dataset may also answer `get_batch(indices)` (an array of indices -> the batch
`default_collate` would make of those items, as arrays or Tensors): the DataLoader then gathers
a whole batch with one fancy index instead of collating item by item. `TensorDataset`, the
homework formats of `tinygrad_hw.data` and `Subset`s of them do; `get_batch` is None or absent
where a dataset cannot.
"""

from __future__ import annotations

import bisect
import math
import warnings
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from ...random import Generator, numpy_generator
from ...tensor import Tensor


class Dataset:
    """A map-style dataset: subclasses define `__getitem__(index)` and (usually) `__len__`.

    >>> class Squares(Dataset):
    ...     def __len__(self): return 10
    ...     def __getitem__(self, i): return float(i), i * i
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: "Dataset") -> "ConcatDataset":
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A stream of items: subclasses define `__iter__` (the DataLoader takes no sampler for it).

    >>> class Count(IterableDataset):
    ...     def __iter__(self): return iter(range(5))
    >>> list(DataLoader(Count(), batch_size=2))  # [Tensor([0, 1]), Tensor([2, 3]), Tensor([4])]
    """

    def __iter__(self) -> Iterator:
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: "IterableDataset") -> "ChainDataset":
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Item i is `(tensors[0][i], tensors[1][i], ...)`; tensors (or arrays) of equal first size.

    >>> ds = TensorDataset(thw.randn(100, 4), thw.randint(0, 3, (100,)))
    >>> x, y = ds[0]
    """

    def __init__(self, *tensors: Any):
        self.tensors = tuple(t if isinstance(t, Tensor) else Tensor._make(np.asarray(t), False, None) for t in tensors)
        sizes = [len(t) for t in self.tensors]
        if len(set(sizes)) > 1:
            raise AssertionError(f"Size mismatch between tensors (first sizes {sizes})")

    def __getitem__(self, index: Any) -> tuple:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])

    def get_batch(self, indices: np.ndarray) -> tuple:
        # Tensors that require grad are indexed as tensors, so the batch keeps its history.
        return tuple(t[indices] if t.requires_grad else t._data[indices] for t in self.tensors)


class ConcatDataset(Dataset):
    """The items of several datasets one after the other.

    >>> len(ConcatDataset([range(3), range(10, 12)]))
    5
    """

    def __init__(self, datasets: Iterable[Dataset]):
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        if any(isinstance(d, IterableDataset) for d in self.datasets):
            raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which else 0
        if which == len(self.datasets):
            raise IndexError(f"index {index} is out of range for a dataset of {len(self)} items")
        return self.datasets[which][index - start]


class ChainDataset(IterableDataset):
    """Several iterable datasets, one after the other.

    >>> list(ChainDataset([Count(), Count()]))  # 0..4 twice
    """

    def __init__(self, datasets: Iterable[Dataset]):
        self.datasets = datasets

    def __iter__(self) -> Iterator:
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from dataset

    def __len__(self) -> int:
        return sum(len(dataset) for dataset in self.datasets)


class Subset(Dataset):
    """The items of `dataset` at `indices` (e.g. a validation split).

    >>> val = Subset(train, range(50000, 60000))
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]):
        self.dataset, self.indices = dataset, indices
        self._index_array = None

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)

    @property
    def get_batch(self) -> Callable | None:
        """The whole-batch gatherer of the dataset underneath, through the indices (None if it has none)."""
        inner = getattr(self.dataset, "get_batch", None)
        if inner is None:
            return None
        if self._index_array is None or len(self._index_array) != len(self.indices):
            self._index_array = np.asarray(self.indices, dtype=np.int64)
        index_array = self._index_array
        return lambda indices: inner(index_array[indices])


def random_split(dataset: Dataset, lengths: Sequence[int | float],
                 generator: Generator | None = None) -> list[Subset]:
    """Split into non-overlapping random Subsets of the given lengths, or fractions summing to 1.

    Follows `thw.manual_seed`, or `generator`.

    >>> train, val = random_split(dataset, [0.8, 0.2], generator=thw.Generator().manual_seed(42))
    """
    total = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = [int(math.floor(total * fraction)) for fraction in lengths]
        for i in range(total - sum(counts)):  # the remainder, one by one from the first subset on
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.",
                              stacklevel=2)
        lengths = counts
    if sum(lengths) != total:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = numpy_generator(generator).permutation(total).tolist()
    bounds = np.cumsum([0, *lengths]).tolist()
    return [Subset(dataset, order[start:stop]) for start, stop in zip(bounds[:-1], bounds[1:])]
