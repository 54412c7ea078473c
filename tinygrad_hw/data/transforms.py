"""Transforms on batches of arrays (N, ...), vectorized: no loop over samples or pixels.

Datasets apply `transform` to each batch they return; chain several with `Compose`.

>>> train = CIFAR10(root, transform=Compose([RandomCrop(32, padding=4), RandomHorizontalFlip(),
...                                          Normalize(CIFAR10_MEAN, CIFAR10_STD)]))
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..random import generator

MNIST_MEAN, MNIST_STD = (0.1307,), (0.3081,)
CIFAR10_MEAN, CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


class Compose:
    """Apply transforms in order.  >>> Compose([Flatten(), SubtractMean(mean)])"""

    def __init__(self, transforms: Sequence[Callable]):
        self.transforms = list(transforms)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        for transform in self.transforms:
            batch = transform(batch)
        return batch


class Normalize:
    """(x - mean) / std per channel of (N, C, ...) batches.

    >>> Normalize(MNIST_MEAN, MNIST_STD)(np.zeros((2, 1, 28, 28), np.float32)).dtype
    dtype('float32')
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float]):
        self.mean = np.asarray(mean, np.float32)
        self.std = np.asarray(std, np.float32)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        shape = (1, -1) + (1,) * (batch.ndim - 2)
        return ((batch - self.mean.reshape(shape)) / self.std.reshape(shape)).astype(batch.dtype, copy=False)


class SubtractMean:
    """The homeworks' mean subtraction: x - mean, with the mean image (or value) of the training set.

    >>> SubtractMean(train_images.mean(axis=0))
    """

    def __init__(self, mean: np.ndarray | float):
        self.mean = np.asarray(mean, np.float32)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return (batch - self.mean).astype(batch.dtype, copy=False)


class Flatten:
    """(N, C, H, W) -> (N, C·H·W), for MLPs.  >>> Flatten()(np.zeros((2, 1, 8, 8))).shape
    (2, 64)"""

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return batch.reshape(len(batch), -1)


class OneHot:
    """Integer labels -> float one-hot rows (a target_transform).

    >>> OneHot(3)(np.array([2])).tolist()
    [[0.0, 0.0, 1.0]]
    """

    def __init__(self, num_classes: int, dtype=np.float32):
        self.num_classes, self.dtype = num_classes, dtype

    def __call__(self, labels: np.ndarray) -> np.ndarray:
        return np.eye(self.num_classes, dtype=self.dtype)[labels]


class RandomCrop:
    """Pad by `padding` (zeros) and cut a random size x size window from each image.

    >>> RandomCrop(32, padding=4)(np.zeros((8, 3, 32, 32), np.float32)).shape
    (8, 3, 32, 32)
    """

    def __init__(self, size: int, padding: int = 0):
        self.size, self.padding = size, padding

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        p = self.padding
        padded = np.pad(batch, ((0, 0), (0, 0), (p, p), (p, p))) if p else batch
        room_h, room_w = padded.shape[2] - self.size, padded.shape[3] - self.size
        if room_h < 0 or room_w < 0:
            raise ValueError(f"RandomCrop({self.size}) does not fit images of shape {batch.shape[1:]} "
                             f"padded by {p}")
        windows = sliding_window_view(padded, (self.size, self.size), axis=(2, 3))  # (N, C, h, w, s, s)
        top = generator().integers(0, room_h + 1, len(batch))
        left = generator().integers(0, room_w + 1, len(batch))
        return windows[np.arange(len(batch)), :, top, left]  # one fancy index for the whole batch


class RandomHorizontalFlip:
    """Mirror each image left-right with probability p.

    >>> RandomHorizontalFlip(0.5)(images)
    """

    def __init__(self, p: float = 0.5):
        self.p = p

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        flip = generator().random(len(batch)) < self.p
        return np.where(flip.reshape((-1,) + (1,) * (batch.ndim - 1)), batch[..., ::-1], batch)
