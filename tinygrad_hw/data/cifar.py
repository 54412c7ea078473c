"""CIFAR-10 from the official binary version (never the pickle one).

Each batch file is 10,000 records of 3,073 bytes: the label (0..9), then 1,024 red, 1,024
green and 1,024 blue pixel values of a 32x32 image, row by row.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from .dataset import ArrayDataset
from .download import DatasetError, DatasetNotFoundError, cache_dir, extract_tar
from .download import download as fetch

RECORD = 1 + 3 * 32 * 32


def read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, 3, 32, 32) uint8 and labels (N,) int64 from one binary batch file.

    >>> images, labels = read_cifar_batch(Path("cifar-10-batches-bin/test_batch.bin"))
    """
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise DatasetError(f"{path}: cannot read or decompress ({error})") from None
    if not raw or len(raw) % RECORD:
        raise DatasetError(f"{path}: {len(raw)} bytes is not a whole number of {RECORD}-byte CIFAR-10 "
                           "records (truncated, or not the binary version)")
    records = np.frombuffer(raw, np.uint8).reshape(-1, RECORD)
    labels = records[:, 0].astype(np.int64)
    if labels.max() > 9:
        raise DatasetError(f"{path}: label {labels.max()} is not a CIFAR-10 class (0..9); is this CIFAR-100?")
    return records[:, 1:].reshape(-1, 3, 32, 32), labels


class CIFAR10(ArrayDataset):
    """CIFAR-10: images (3, 32, 32) float32 in [0, 1], labels 0..9.

    `root` may hold the archive `cifar-10-binary.tar.gz`, its extracted folder
    `cifar-10-batches-bin/`, or the batch files themselves (`.bin` or `.bin.gz`).

    >>> test = CIFAR10("~/data", train=False, download=True)
    >>> test.classes[test.targets[0]]
    'cat'
    """

    url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    archive_md5 = "c32a1d4ab5d03f1284b67883e8d87530"
    classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    def __init__(self, root: str | Path | None = None, train: bool = True, download: bool = False,
                 transform=None, target_transform=None):
        self.root = Path(root).expanduser() if root is not None else cache_dir()
        self.train, self.transform, self.target_transform = train, transform, target_transform
        names = [f"data_batch_{i}.bin" for i in range(1, 6)] if train else ["test_batch.bin"]
        paths = [self._locate(name, download) for name in names]
        parts = [read_cifar_batch(path) for path in paths]
        self.data = np.concatenate([images for images, _ in parts])
        self.targets = np.concatenate([labels for _, labels in parts])

    def _locate(self, name: str, download: bool) -> Path:
        folder = self.root / "cifar-10-batches-bin"
        for candidate in (self.root / name, self.root / (name + ".gz"), folder / name, folder / (name + ".gz")):
            if candidate.is_file():
                return candidate
        archive = self.root / "cifar-10-binary.tar.gz"
        if download:  # an archive already there is checked against its MD5 and fetched again if it differs
            fetch([self.url], archive, md5=self.archive_md5)
        if archive.is_file():
            extract_tar(archive, self.root)
            if (folder / name).is_file():
                return folder / name
            raise DatasetError(f"{archive} does not contain cifar-10-batches-bin/{name}")
        raise DatasetNotFoundError(f"CIFAR10: {name} not found in {self.root} (nor .gz, nor in {folder}, nor the "
                           "archive cifar-10-binary.tar.gz). Pass download=True (on the command line: --download), "
                           "or put the official binary version there by hand.")

    def to_inputs(self, raw: np.ndarray) -> np.ndarray:
        return raw * np.float32(1 / 255)
