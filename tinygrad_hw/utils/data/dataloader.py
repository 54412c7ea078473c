"""`DataLoader`: batches from a dataset, with PyTorch's arguments, defaults and errors.

Loading happens in the calling process: `num_workers > 0` is accepted (and `worker_init_fn`
runs once per pass, as worker 0 of 1) but no worker process is started. A dataset that
answers `get_batch(indices)` (TensorDataset, the `tinygrad_hw.data` formats, Subsets of them)
gives each batch in one fancy index when the loader uses `default_collate`; any other dataset
is read item by item and collated, as in PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from ...random import Generator, numpy_generator
from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler


@dataclass
class WorkerInfo:
    """What `get_worker_info()` tells code running in a (here: the one, simulated) worker."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """Inside `worker_init_fn`: the worker's id, count, seed and dataset; elsewhere None (the
    main process, which is where this library loads data).

    >>> def worker_init_fn(worker_id): np.random.seed(get_worker_info().seed % 2**32)
    """
    return _worker_info


class _RepeatNone(Sampler):
    """The 'indices' of an IterableDataset: None forever (the items come from its iterator)."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


class DataLoader:
    """Batches of Tensors from a dataset: `batch_size` items per batch, in order or shuffled
    (`shuffle=True` follows `thw.manual_seed` or `generator`), merged by `collate_fn`.

    >>> loader = DataLoader(MNIST(root, transform=transforms.ToTensor()), batch_size=128, shuffle=True)
    >>> for images, labels in loader: ...
    """

    _fixed_after_init = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None, batch_sampler: Sampler | Iterable | None = None,
                 num_workers: int = 0, collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable | None = None,
                 multiprocessing_context: Any = None, generator: Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                             "to enable multiprocessing, otherwise set prefetch_factor to None.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise ValueError(f"DataLoader with IterableDataset: expected unspecified {name} option, "
                                     f"but got {name}={value}")
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                             "drop_last")
        if sampler is None:
            if iterable:
                sampler = _RepeatNone()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)  # checks batch_size and drop_last
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        self.prefetch_factor, self.persistent_workers = prefetch_factor, persistent_workers
        self.pin_memory_device, self.in_order = pin_memory_device, in_order
        self.collate_fn = collate_fn or (default_collate if self._auto_collation else default_convert)
        self._initialized = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_initialized", False) and name in self._fixed_after_init:
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Sampler | Iterable:
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            length = len(self.dataset)  # TypeError for a stream without a length, as in PyTorch
            if self.batch_size is None:
                return length
            return length // self.batch_size if self.drop_last else -(-length // self.batch_size)
        return len(self._index_sampler)

    def __iter__(self) -> Iterator[Any]:
        if self.num_workers > 0 and self.worker_init_fn is not None:
            self._run_worker_init_fn()
        if isinstance(self.dataset, IterableDataset):
            return self._stream_batches()
        return self._map_batches()

    def _run_worker_init_fn(self) -> None:
        global _worker_info
        seed = int(numpy_generator(self.generator).integers(0, 2 ** 63))
        _worker_info = WorkerInfo(id=0, num_workers=1, seed=seed, dataset=self.dataset)
        try:
            self.worker_init_fn(0)
        finally:
            _worker_info = None

    def _map_batches(self) -> Iterator[Any]:
        if not self._auto_collation:
            for index in self.sampler:
                yield self.collate_fn(self.dataset[index])
            return
        get_batch = getattr(self.dataset, "get_batch", None) if self.collate_fn is default_collate else None
        get_items = getattr(self.dataset, "__getitems__", None)
        for indices in self.batch_sampler:
            if get_batch is not None:  # the whole batch in one fancy index
                yield default_convert(get_batch(np.asarray(indices, dtype=np.int64)))  # tuple -> list of Tensors
            elif get_items is not None:
                yield self.collate_fn(get_items(indices))
            else:
                yield self.collate_fn([self.dataset[index] for index in indices])

    def _stream_batches(self) -> Iterator[Any]:
        items = iter(self.dataset)
        if not self._auto_collation:
            for item in items:
                yield self.collate_fn(item)
            return
        for indices in self.batch_sampler:
            batch = list(islice(items, len(indices)))
            if not batch or (self.drop_last and len(batch) < len(indices)):
                return
            yield self.collate_fn(batch)
