"""Transforms on batches of arrays (N, ...), vectorized: no loop over samples or pixels.

Datasets apply `transform` to each batch they return; chain several with `Compose`.
`tinygrad_hw.vision.transforms` (torchvision's per-image transforms) shares `Compose`,
`Lambda` and the array kernels `normalize_channels` and `pad_images` with this module.

>>> train = CIFAR10(root, transform=Compose([RandomCrop(32, padding=4), RandomHorizontalFlip(),
...                                          Normalize(CIFAR10_MEAN, CIFAR10_STD)]))
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..random import generator

MNIST_MEAN, MNIST_STD = (0.1307,), (0.3081,)
CIFAR10_MEAN, CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


def normalize_channels(array: np.ndarray, mean: Sequence[float], std: Sequence[float], axis: int) -> np.ndarray:
    """(array - mean) / std, one mean and std per index of `axis` (the channels), in the array's dtype.

    >>> normalize_channels(np.ones((2, 3, 4, 4), np.float32), (0.5,) * 3, (0.5,) * 3, axis=1).max()
    1.0
    """
    shape = [1] * array.ndim
    shape[axis] = -1
    mean = np.asarray(mean, array.dtype).reshape(shape)
    std = np.asarray(std, array.dtype).reshape(shape)
    return ((array - mean) / std).astype(array.dtype, copy=False)


def pad_images(images: np.ndarray, left: int, top: int, right: int, bottom: int, mode: str = "constant",
               fill: float = 0) -> np.ndarray:
    """Pad the last two axes (height, width) of `images`; `mode` is constant (with `fill`), edge,
    reflect or symmetric, as in NumPy and torchvision.

    >>> pad_images(np.ones((2, 1, 3, 3)), 1, 1, 1, 1).shape
    (2, 1, 5, 5)
    """
    widths = [(0, 0)] * (images.ndim - 2) + [(top, bottom), (left, right)]
    if mode == "constant":
        return np.pad(images, widths, constant_values=fill)
    return np.pad(images, widths, mode=mode)


class Compose:
    """Apply transforms in order.  >>> Compose([Flatten(), SubtractMean(mean)])"""

    def __init__(self, transforms: Sequence[Callable]):
        self.transforms = list(transforms)

    def __call__(self, batch: Any) -> Any:
        for transform in self.transforms:
            batch = transform(batch)
        return batch

    def __repr__(self) -> str:
        return f"{type(self).__name__}(" + "".join(f"\n    {t}" for t in self.transforms) + "\n)"


class Lambda:
    """A function as a transform.  >>> Lambda(lambda x: x * 2)"""

    def __init__(self, lambd: Callable):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__!r}")
        self.lambd = lambd

    def __call__(self, batch: Any) -> Any:
        return self.lambd(batch)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Normalize:
    """(x - mean) / std per channel of (N, C, ...) batches.

    >>> Normalize(MNIST_MEAN, MNIST_STD)(np.zeros((2, 1, 28, 28), np.float32)).dtype
    dtype('float32')
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float]):
        self.mean = np.asarray(mean, np.float32)
        self.std = np.asarray(std, np.float32)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return normalize_channels(batch, self.mean, self.std, axis=1)


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
        padded = pad_images(batch, p, p, p, p) if p else batch
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
