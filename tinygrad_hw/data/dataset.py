"""`ArrayDataset`, the base of the homework formats, and the loader names they are used with.

`Dataset`, `TensorDataset`, `Subset`, `random_split`, the samplers and `DataLoader` live in
`tinygrad_hw.utils.data` (PyTorch's place for them) and are re-exported here.

An ArrayDataset holds all its items in arrays and answers `get_batch(indices)`: the whole
batch in one fancy index, so the loader never loops over samples in Python. Its transforms
work on batches too (arrays of shape (N, ...)), see `tinygrad_hw.data.transforms`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..utils.data import (DataLoader, Dataset, RandomSampler, SequentialSampler, Subset, TensorDataset,
                          random_split)

__all__ = ["ArrayDataset", "DataLoader", "Dataset", "RandomSampler", "SequentialSampler", "Subset",
           "TensorDataset", "random_split"]


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
