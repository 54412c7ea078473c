"""torchvision's datasets: MNIST, FashionMNIST, CIFAR10 and ImageFolder, with torchvision's
items (a PIL image and an int label, before `transform`), attributes and folder layout.

The files are found and parsed by `tinygrad_hw.data` (ROOT/MNIST/raw/..., ROOT/FashionMNIST/raw/...,
and for CIFAR-10 the binary version in ROOT/cifar-10-batches-bin/, never the pickle one).

>>> train = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
>>> image, label = train[0]          # Tensor (1, 28, 28) float32 in [0, 1], 5

When the transform is one that works on whole batches (ToTensor, then Normalize, say; see
`vision.transforms._batch_pipeline`) and there is no target_transform, the dataset also
answers `get_batch(indices)`, and the DataLoader gathers each batch in one fancy index.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PIL import Image

from .. import data as formats
from ..tensor import Tensor
from ..utils.data import Dataset
from .transforms import _batch_pipeline

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


class VisionDataset(Dataset):
    """Base class: `root`, `transform` (for the image) and `target_transform` (for the label)."""

    def __init__(self, root: str | Path | None, transform: Callable | None = None,
                 target_transform: Callable | None = None):
        self.root = os.path.expanduser(root) if isinstance(root, (str, Path)) else root
        self.transform, self.target_transform = transform, target_transform

    def _finish(self, image: Any, target: Any) -> tuple:
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"Number of datapoints: {len(self)}", f"Root location: {self.root}"]
        lines += [line for line in self.extra_repr().splitlines() if line]
        for name in ("transform", "target_transform"):
            if getattr(self, name) is not None:
                lines.append(f"{name}: {getattr(self, name)!r}".replace("\n", "\n    "))
        return "\n".join([f"Dataset {type(self).__name__}"] + ["    " + line for line in lines])


class _ArrayImages(VisionDataset):
    """Images held in one uint8 array (N, H, W[, C]): items through PIL, batches through arrays."""

    def _pixels(self) -> np.ndarray:
        raise NotImplementedError

    def _labels(self) -> np.ndarray:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._pixels())

    def __getitem__(self, index: int) -> tuple:
        return self._finish(Image.fromarray(self._pixels()[index]), int(self._labels()[index]))

    @property
    def get_batch(self) -> Callable | None:
        """The whole-batch gatherer when the transform has a batch form and there is no target_transform."""
        pipeline = _batch_pipeline(self.transform) if self.transform is not None else None
        if pipeline is None or self.target_transform is not None:
            return None
        return lambda indices: (pipeline(self._pixels()[indices]), self._labels()[indices])


class MNIST(_ArrayImages):
    """MNIST digits: items are a 28x28 PIL image (mode L) and the digit.

    `.data` is a uint8 Tensor (N, 28, 28), `.targets` an int64 Tensor, as in torchvision.

    >>> image, label = MNIST("data", train=False)[0]   # <PIL.Image.Image image mode=L size=28x28>, 7
    """

    _reader = formats.MNIST
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    def __init__(self, root: str | Path, train: bool = True, transform: Callable | None = None,
                 target_transform: Callable | None = None, download: bool = False):
        super().__init__(root, transform, target_transform)
        self.train = train
        files = self._reader(root, train=train, download=download)
        self.data = Tensor._make(files.data, False, None)
        self.targets = Tensor._make(files.targets, False, None)

    def _pixels(self) -> np.ndarray:
        return self.data.numpy()

    def _labels(self) -> np.ndarray:
        return self.targets.numpy()

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.classes)}

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train else 'Test'}"


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: MNIST's format and layout (ROOT/FashionMNIST/raw), clothes."""

    _reader = formats.FashionMNIST
    classes = list(formats.FashionMNIST.classes)


class CIFAR10(_ArrayImages):
    """CIFAR-10: items are a 32x32 RGB PIL image and the class index.

    `.data` is a uint8 ndarray (N, 32, 32, 3) and `.targets` a list of ints, as in torchvision.

    >>> test = CIFAR10("data", train=False, download=True)
    >>> test.classes[test.targets[0]]
    'cat'
    """

    classes = list(formats.CIFAR10.classes)

    def __init__(self, root: str | Path, train: bool = True, transform: Callable | None = None,
                 target_transform: Callable | None = None, download: bool = False):
        super().__init__(root, transform, target_transform)
        self.train = train
        files = formats.CIFAR10(root, train=train, download=download)
        self.data = np.ascontiguousarray(files.data.transpose(0, 2, 3, 1))  # HWC, as torchvision keeps it
        self.targets = files.targets.tolist()
        self._label_array = files.targets

    def _pixels(self) -> np.ndarray:
        return self.data

    def _labels(self) -> np.ndarray:
        if len(self._label_array) != len(self.targets):  # someone replaced the list
            self._label_array = np.asarray(self.targets, np.int64)
        return self._label_array

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.classes)}

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train else 'Test'}"


def pil_loader(path: str) -> Image.Image:
    """An image file as an RGB PIL image."""
    with open(path, "rb") as file:
        return Image.open(file).convert("RGB")


default_loader = pil_loader


def find_classes(directory: str | Path) -> tuple[list[str], dict[str, int]]:
    """The class folders of `directory`, sorted, and their indices."""
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {name: i for i, name in enumerate(classes)}


def make_dataset(directory: str | Path, class_to_idx: dict[str, int], extensions: tuple[str, ...] | None = None,
                 is_valid_file: Callable[[str], bool] | None = None, allow_empty: bool = False) -> list:
    """(path, class index) of every valid file under each class folder, in sorted order."""
    if (extensions is None) == (is_valid_file is None):
        raise ValueError("Both extensions and is_valid_file cannot be None or not None at the same time")
    if is_valid_file is None:
        def is_valid_file(path: str) -> bool:
            return path.lower().endswith(tuple(extensions))
    samples, empty = [], []
    for name in sorted(class_to_idx):
        found = [os.path.join(folder, file) for folder, _, files in sorted(os.walk(os.path.join(directory, name),
                                                                                   followlinks=True))
                 for file in sorted(files) if is_valid_file(os.path.join(folder, file))]
        samples += [(path, class_to_idx[name]) for path in found]
        if not found:
            empty.append(name)
    if empty and not allow_empty:
        message = f"Found no valid file for the classes {', '.join(sorted(empty))}. "
        if extensions is not None:
            names = extensions if isinstance(extensions, str) else ", ".join(extensions)
            message += f"Supported extensions are: {names}"
        raise FileNotFoundError(message)
    return samples


class DatasetFolder(VisionDataset):
    """Files in ROOT/<class name>/..., read with `loader`; the class index is the sorted folder's."""

    def __init__(self, root: str | Path, loader: Callable[[str], Any], extensions: tuple[str, ...] | None = None,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 is_valid_file: Callable[[str], bool] | None = None, allow_empty: bool = False):
        super().__init__(root, transform, target_transform)
        self.classes, self.class_to_idx = find_classes(self.root)
        self.samples = make_dataset(self.root, self.class_to_idx, extensions, is_valid_file, allow_empty)
        self.loader, self.extensions = loader, extensions
        self.targets = [target for _, target in self.samples]

    def __getitem__(self, index: int) -> tuple:
        path, target = self.samples[index]
        return self._finish(self.loader(path), target)

    def __len__(self) -> int:
        return len(self.samples)


class ImageFolder(DatasetFolder):
    """Images in ROOT/<class name>/xxx.png (jpg, bmp, ...), as RGB PIL images.

    >>> data = ImageFolder("flowers/train", transform=transforms.Compose([transforms.Resize(64),
    ...                                                                  transforms.CenterCrop(64),
    ...                                                                  transforms.ToTensor()]))
    """

    def __init__(self, root: str | Path, transform: Callable | None = None, target_transform: Callable | None = None,
                 loader: Callable[[str], Any] = default_loader, is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False):
        super().__init__(root, loader, IMG_EXTENSIONS if is_valid_file is None else None, transform,
                         target_transform, is_valid_file, allow_empty)
        self.imgs = self.samples


__all__ = ["CIFAR10", "DatasetFolder", "FashionMNIST", "ImageFolder", "MNIST", "VisionDataset"]
