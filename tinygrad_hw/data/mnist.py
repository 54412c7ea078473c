"""MNIST and Fashion-MNIST from the official IDX files (`.gz` or not).

IDX: a big-endian magic number (0x00000801 labels, 0x00000803 images), the dimension
sizes as big-endian int32, then the uint8 values.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import numpy as np

from .dataset import ArrayDataset
from .download import DatasetError, DatasetNotFoundError, cache_dir
from .download import download as fetch


def read_idx(path: Path, expected_dims: int) -> np.ndarray:
    """Read an IDX file (gzip-compressed or not) into a uint8 array, checking its header.

    >>> read_idx(Path("train-labels-idx1-ubyte.gz"), 1).shape
    (60000,)
    """
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise DatasetError(f"{path}: cannot read or decompress ({error})") from None
    if len(raw) < 4 + 4 * expected_dims:
        raise DatasetError(f"{path}: only {len(raw)} bytes, too short for an IDX header")
    magic = int.from_bytes(raw[:4], "big")
    if magic != 0x800 + expected_dims:
        raise DatasetError(f"{path}: wrong magic number 0x{magic:08x}, expected 0x{0x800 + expected_dims:08x} "
                           f"(an IDX file of {expected_dims} dimension(s) of uint8)")
    # Python integers: a product of four 32-bit sizes may not fit in int64 (NumPy would wrap round).
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big", signed=True) for i in range(expected_dims))
    if min(shape) < 0:
        raise DatasetError(f"{path}: the header gives a negative size {shape} (corrupt)")
    offset = 4 + 4 * expected_dims
    if len(raw) - offset != math.prod(shape):
        raise DatasetError(f"{path}: header promises {shape} = {math.prod(shape)} values but the file "
                           f"holds {len(raw) - offset} (truncated or corrupt)")
    return np.frombuffer(raw, np.uint8, offset=offset).reshape(shape)


class MNIST(ArrayDataset):
    """The MNIST digits: images (1, 28, 28) float32 in [0, 1], labels 0..9.

    Looks for the four official files (`.gz` or not) in `root` or `root/MNIST/raw`;
    `download=True` fetches them into `root/MNIST/raw` with their MD5 checked.

    >>> train = MNIST("~/data", train=True, download=True)
    >>> len(train), train.data.shape
    (60000, (60000, 28, 28))
    """

    folder = "MNIST"
    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    files = {
        "train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c",
    }
    classes = [str(digit) for digit in range(10)]

    def __init__(self, root: str | Path | None = None, train: bool = True, download: bool = False,
                 transform=None, target_transform=None):
        self.root = Path(root).expanduser() if root is not None else cache_dir()
        self.train, self.transform, self.target_transform = train, transform, target_transform
        prefix = "train" if train else "t10k"
        images = self._locate(f"{prefix}-images-idx3-ubyte", download)
        labels = self._locate(f"{prefix}-labels-idx1-ubyte", download)
        self.data = read_idx(images, 3)
        self.targets = read_idx(labels, 1).astype(np.int64)
        if len(self.data) != len(self.targets):
            raise DatasetError(f"{images} holds {len(self.data)} images but {labels} holds {len(self.targets)} labels")
        if self.targets.size and self.targets.max() >= len(self.classes):
            raise DatasetError(f"{labels}: label {self.targets.max()} is not one of the {len(self.classes)} classes")

    def _locate(self, stem: str, download: bool) -> Path:
        raw = self.root / self.folder / "raw"
        target = raw / (stem + ".gz")
        for folder in (self.root, raw):
            for name in (stem + ".gz", stem):
                # With download=True the download folder's file goes through `fetch`, which checks its MD5.
                if (folder / name).is_file() and not (download and folder / name == target):
                    return folder / name
        if download:
            return fetch([m + stem + ".gz" for m in self.mirrors], target, md5=self.files[stem])
        raise DatasetNotFoundError(f"{type(self).__name__}: {stem}(.gz) not found in {self.root} or {raw}. Pass "
                           "download=True (on the command line: --download), or put the official files there "
                           f"by hand ({', '.join(self.files)}).")

    def to_inputs(self, raw: np.ndarray) -> np.ndarray:
        return raw[:, None] * np.float32(1 / 255)  # (N, 1, 28, 28) float32, as ToTensor gives


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: the same files and layout as MNIST, clothing classes.

    >>> FashionMNIST("~/data", download=True).classes[0]
    'T-shirt/top'
    """

    folder = "FashionMNIST"
    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    files = {
        "train-images-idx3-ubyte": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte": "bb300cfdad3c16e7a12a480ee83cd310",
    }
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
