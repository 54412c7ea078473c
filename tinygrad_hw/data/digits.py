"""Digits: the UCI 8x8 handwritten digits, shipped with the package, so everything runs offline.

1,797 images of 8x8 pixels (0..16), ten classes; the split is fixed: a permutation with seed
0, the first 1,437 images for training and the last 360 for testing. See DIGITS_README.txt.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from .dataset import ArrayDataset

DIGITS_FILE = Path(__file__).with_name("digits.csv.gz")
TRAIN_SIZE = 1437


class Digits(ArrayDataset):
    """Images (1, 8, 8) float32 in [0, 1], labels 0..9; no download, no network.

    >>> train, test = Digits(train=True), Digits(train=False)
    >>> len(train), len(test)
    (1437, 360)
    """

    classes = [str(digit) for digit in range(10)]

    def __init__(self, train: bool = True, transform=None, target_transform=None):
        self.train, self.transform, self.target_transform = train, transform, target_transform
        with gzip.open(DIGITS_FILE, "rt") as file:
            table = np.loadtxt(file, delimiter=",", dtype=np.uint8)
        order = np.random.default_rng(0).permutation(len(table))
        rows = table[order[:TRAIN_SIZE] if train else order[TRAIN_SIZE:]]
        self.data = rows[:, :64].reshape(-1, 8, 8)
        self.targets = rows[:, 64].astype(np.int64)

    def to_inputs(self, raw: np.ndarray) -> np.ndarray:
        return raw[:, None] * np.float32(1 / 16)
