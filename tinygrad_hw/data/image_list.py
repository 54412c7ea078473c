"""The uwimg homework's image-list format: a file of image paths and a file of label names.

An image's label is the label name that appears in its file name as a whole word, between
separators (`-`, `_`, `.`, spaces) or the ends of the name: `train/000123-num5.png` with labels
`num0`..`num9` is class 5, `cifar/train/32270_deer.png` is `deer`, and `img1000_5.png` with
labels `0`..`9` is 5 (the 0 and 1 inside `img1000` are not words). Where several labels match,
the longest wins if it contains all the others (`boot` inside `Ankle boot`); otherwise the name
is ambiguous (`cat_and_dog.png`) and that is an error naming the file and the candidates.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from .dataset import ArrayDataset
from .download import DatasetError


def _lines(path: Path) -> list[str]:
    """The non-blank lines of a UTF-8 text file (a byte-order mark is allowed)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise DatasetError(f"cannot read {path} ({error})") from None
    except UnicodeDecodeError as error:
        raise DatasetError(f"{path} is not a UTF-8 text file (byte {error.start}: {error.reason})") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _whole_word(label: str) -> re.Pattern:
    """`label` with no letter or digit right before or after it."""
    return re.compile(r"(?<![^\W_])" + re.escape(label) + r"(?![^\W_])")


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
        repeated = sorted(label for label, count in Counter(self.classes).items() if count > 1)
        if repeated:
            raise DatasetError(f"{labels_file} lists the same label more than once ({', '.join(repeated)}); "
                               "each label must name one class")
        self._patterns = [_whole_word(label) for label in self.classes]
        self.paths = [self._resolve(line, list_file) for line in _lines(list_file)]
        if not self.paths:
            raise DatasetError(f"{list_file} lists no images")
        self.targets = np.array([self._label_of(path, labels_file) for path in self.paths], np.int64)
        images = [self._read(path) for path in self.paths]
        shapes = {image.shape for image in images}
        if len(shapes) != 1:
            raise DatasetError(f"{list_file}: images have different sizes {sorted(shapes)}")
        # One array for all: 8-bit images are widened to 16 bits (v * 257) when any image has 16.
        wide = any(image.dtype == np.uint16 for image in images)
        self.data = np.stack([image.astype(np.uint16) * 257 if wide and image.dtype == np.uint8 else image
                              for image in images])

    @staticmethod
    def _resolve(line: str, list_file: Path) -> Path:
        path = Path(line)
        if not path.is_absolute() and not path.exists() and (list_file.parent / path).exists():
            return list_file.parent / path
        return path

    def _label_of(self, path: Path, labels_file: Path) -> int:
        name = path.name[:-len(path.suffix)] if path.suffix else path.name
        matches = [i for i, pattern in enumerate(self._patterns) if pattern.search(name)]
        if not matches:
            raise DatasetError(f"{path}: its file name contains none of the {len(self.classes)} labels in "
                               f"{labels_file} as a whole word ({', '.join(self.classes[:10])}"
                               f"{', ...' if len(self.classes) > 10 else ''})")
        longest = max(matches, key=lambda i: len(self.classes[i]))
        if any(self.classes[i] not in self.classes[longest] for i in matches):
            raise DatasetError(f"{path}: its file name matches several labels of {labels_file} "
                               f"({', '.join(self.classes[i] for i in matches)}); rename the file or the labels "
                               "so that exactly one label appears in each name")
        return longest

    @staticmethod
    def _read(path: Path) -> np.ndarray:
        """uint8 pixels, or uint16 for a 16-bit greyscale image (scaled to [0, 1] by `to_inputs`)."""
        try:
            with Image.open(path) as image:
                if image.mode.startswith("I"):  # 16-bit greyscale PNGs open as "I;16" (or "I")
                    pixels = np.asarray(image)
                    if pixels.min() < 0 or pixels.max() > 65535:
                        raise DatasetError(f"{path}: pixel values {pixels.min()}..{pixels.max()} do not fit in "
                                           "16 bits")
                    pixels = pixels.astype(np.uint16)
                else:
                    grey = image.mode in ("1", "L", "LA")
                    pixels = np.asarray(image.convert("L" if grey else "RGB"))
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as error:
            raise DatasetError(f"{path}: cannot read the image ({error})") from None
        return pixels[None] if pixels.ndim == 2 else pixels.transpose(2, 0, 1)

    def to_inputs(self, raw: np.ndarray) -> np.ndarray:
        return raw * np.float32(1 / np.iinfo(raw.dtype).max)
