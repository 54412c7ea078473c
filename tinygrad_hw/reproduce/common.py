"""What every reproduction shares: the run's settings and the datasets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..data import CIFAR10, MNIST, Digits, FashionMNIST, Subset
from ..data.download import DatasetNotFoundError

NAMES = {"digits": "Digits", "mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}
DATASETS = {"mnist": MNIST, "fashion-mnist": FashionMNIST, "cifar10": CIFAR10}
# Folders inside a data root that may hold a dataset's files (besides the layouts each class knows).
FOLDERS = {"mnist": ["mnist", "MNIST"], "fashion-mnist": ["fashion-mnist", "fashion_mnist", "FashionMNIST"],
           "cifar10": ["cifar10", "cifar-10", "CIFAR10", "cifar-10-batches-bin"]}


def load_dataset(name: str, data_dir: Path | None, download: bool, train_transform=None,
                 test_transform=None) -> tuple:
    """(train, test); `data_dir` may be the data root (holding `mnist/`, ...) or the dataset's own folder.

    >>> train, test = load_dataset("mnist", Path("data"), download=True)
    """
    if name == "digits":
        return Digits(train=True, transform=train_transform), Digits(train=False, transform=test_transform)
    cls = DATASETS[name]
    folders = [data_dir] if data_dir is None else [data_dir] + [data_dir / f for f in FOLDERS[name]
                                                                if (data_dir / f).is_dir()]
    not_found = None
    for folder in folders:
        try:
            return (cls(folder, train=True, transform=train_transform),
                    cls(folder, train=False, transform=test_transform))
        except DatasetNotFoundError as error:
            not_found = not_found or error
    if download:
        return (cls(data_dir, train=True, download=True, transform=train_transform),
                cls(data_dir, train=False, download=True, transform=test_transform))
    raise not_found


@dataclass
class Config:
    """One `tinygrad-hw reproduce` run's settings.

    `scale` multiplies every iteration count (default 1, 0.2 with `quick`); `train_limit` keeps
    only the first N training images (the tests use it on the real MNIST).
    """

    dataset: str = "digits"
    data_dir: Path | None = None
    download: bool = False
    quick: bool = False
    out: Path = Path("runs/reproduce")
    progress: bool = True
    scale: float | None = None
    train_limit: int | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def iterations(self, full: int, minimum: int = 20) -> int:
        """The iteration count for this run: `full` scaled by `scale` (or 0.2 for --quick)."""
        scale = self.scale if self.scale is not None else (0.2 if self.quick else 1.0)
        return max(int(round(full * scale)), minimum)

    def data(self, name: str | None = None, train_transform=None, test_transform=None, key: str = "") -> tuple:
        """(train, test) of `name` (default: the run's dataset), loaded once per transform key."""
        name = name or self.dataset
        cache_key = (name, key)
        if cache_key not in self._cache:
            train, test = load_dataset(name, self.data_dir, self.download, train_transform, test_transform)
            if self.train_limit is not None and self.train_limit < len(train):
                train = _limited(train, self.train_limit)
                test = _limited(test, max(self.train_limit // 4, 200))
            self._cache[cache_key] = (train, test)
        return self._cache[cache_key]

    def folder(self, name: str) -> Path:
        path = self.out / name
        path.mkdir(parents=True, exist_ok=True)
        return path


def _limited(dataset, count: int):
    """The first `count` items, keeping `classes`, `targets` and `get_batch` (a Subset that reads like the set)."""
    subset = Subset(dataset, range(count))
    subset.classes = dataset.classes
    subset.targets = dataset.targets[:count]
    return subset


def labelled(dataset):
    """All inputs and targets of a dataset, as arrays."""
    return dataset.get_batch(slice(None))
