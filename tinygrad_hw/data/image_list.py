"""The uwimg homework's image-list format: a file of image paths and a file of label names.

An image's label is the label name that appears in its file name: `train/000123-num5.png`
with labels `num0`..`num9` is class 5; `cifar/train/32270_deer.png` is `deer`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from .dataset import ArrayDataset
from .download import DatasetError


def _lines(path: Path) -> list[str]:
    try:
        return [line.strip() for line in path.read_text().splitlines() if line.strip()]
    except OSError as error:
        raise DatasetError(f"cannot read {path} ({error})") from None


class ImageListDataset(ArrayDataset):
    """Images listed one path per line (PNG etc., read with Pillow), pixels in [0, 1], CHW.

    Relative paths are looked up from the working directory, then beside the list file.

    >>> train = ImageListDataset("mnist.train", "mnist/mnist.labels")
    >>> train.classes[:2]
    ['num0', 'num1']
    """

    def __init__(self, list_file: str | Path, labels_file: str | Path, transform=None, target_transform=None):
        list_file, labels_file = Path(list_file), Path(labels_file)
        self.transform, self.target_transform = transform, target_transform
        self.classes = _lines(labels_file)
        if not self.classes:
            raise DatasetError(f"{labels_file} lists no labels")
        self.paths = [self._resolve(line, list_file) for line in _lines(list_file)]
        if not self.paths:
            raise DatasetError(f"{list_file} lists no images")
        self.targets = np.array([self._label_of(path, labels_file) for path in self.paths], np.int64)
        images = [self._read(path) for path in self.paths]
        shapes = {image.shape for image in images}
        if len(shapes) != 1:
            raise DatasetError(f"{list_file}: images have different sizes {sorted(shapes)}")
        self.data = np.stack(images)

    @staticmethod
    def _resolve(line: str, list_file: Path) -> Path:
        path = Path(line)
        if not path.is_absolute() and not path.exists() and (list_file.parent / path).exists():
            return list_file.parent / path
        return path

    def _label_of(self, path: Path, labels_file: Path) -> int:
        # The longest matching name wins, so that 'num10' is not taken for 'num1'.
        matches = [i for i, label in enumerate(self.classes) if label in path.name]
        if not matches:
            raise DatasetError(f"{path}: its file name contains none of the {len(self.classes)} labels in "
                               f"{labels_file} ({', '.join(self.classes[:10])}"
                               f"{', ...' if len(self.classes) > 10 else ''})")
        return max(matches, key=lambda i: len(self.classes[i]))

    @staticmethod
    def _read(path: Path) -> np.ndarray:
        try:
            with Image.open(path) as image:
                grey = image.mode in ("1", "L", "LA", "I", "I;16")
                pixels = np.asarray(image.convert("L" if grey else "RGB"))
        except (OSError, UnidentifiedImageError) as error:
            raise DatasetError(f"{path}: cannot read the image ({error})") from None
        return pixels[None] if pixels.ndim == 2 else pixels.transpose(2, 0, 1)

    def to_inputs(self, raw: np.ndarray) -> np.ndarray:
        return raw * np.float32(1 / 255)
