"""torchvision's `utils`: `make_grid` (a batch of images as one image) and `save_image`.

>>> save_image(images, "samples.png", nrow=8, normalize=True)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from PIL import Image

from ..tensor import Tensor


def make_grid(tensor: Tensor | list, nrow: int = 8, padding: int = 2, normalize: bool = False,
              value_range: tuple[float, float] | None = None, scale_each: bool = False,
              pad_value: float = 0.0) -> Tensor:
    """Tile images (B, C, H, W) (or a list of (C, H, W)) into one (3, rows, columns) image,
    `nrow` per row, separated by `padding` pixels of `pad_value`. `normalize` maps
    `value_range` (default: the min and max, of each image if `scale_each`) to [0, 1].

    >>> make_grid(thw.rand(16, 3, 32, 32), nrow=4).shape
    (3, 138, 138)
    """
    if isinstance(tensor, (list, tuple)):
        tensor = np.stack([t.numpy() if isinstance(t, Tensor) else np.asarray(t) for t in tensor])
    elif isinstance(tensor, Tensor):
        tensor = tensor.detach().numpy()
    else:
        raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    images = np.array(tensor, copy=True)
    if images.ndim == 2:
        images = images[None]
    if images.ndim == 3:
        images = np.concatenate([images] * 3) if images.shape[0] == 1 else images
        images = images[None]
    if images.ndim == 4 and images.shape[1] == 1:
        images = np.concatenate([images] * 3, axis=1)
    if normalize:
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("value_range has to be a tuple (min, max) if specified. min and max are numbers")
        if value_range is not None:
            low, high = value_range
        elif scale_each:
            low = images.min(axis=(1, 2, 3), keepdims=True)
            high = images.max(axis=(1, 2, 3), keepdims=True)
        else:
            low, high = images.min(), images.max()
        images = np.clip(images, low, high)
        images = (images - low) / np.maximum(high - low, 1e-5)
        images = images.astype(tensor.dtype if tensor.dtype.kind == "f" else np.float32, copy=False)
    if images.shape[0] == 1:
        return Tensor._make(images[0], False, None)
    count, channels, height, width = images.shape
    columns = min(nrow, count)
    rows = math.ceil(count / columns)
    cells = np.full((rows * columns, channels, height + padding, width + padding), pad_value, images.dtype)
    cells[:count, :, padding:, padding:] = images
    grid = cells.reshape(rows, columns, channels, height + padding, width + padding).transpose(2, 0, 3, 1, 4)
    grid = grid.reshape(channels, rows * (height + padding), columns * (width + padding))
    grid = np.pad(grid, ((0, 0), (0, padding), (0, padding)), constant_values=pad_value)
    return Tensor._make(np.ascontiguousarray(grid), False, None)


def save_image(tensor: Tensor | list, fp: str | Path | BinaryIO, format: str | None = None, **kwargs: Any) -> None:
    """Save images as one picture (a `make_grid` of them; values in [0, 1], or `normalize=True`).

    >>> save_image(fake_images, "fake.png", nrow=8)
    """
    grid = make_grid(tensor, **kwargs).numpy()  # (C, H, W), grey images already repeated on 3 channels
    pixels = np.clip(grid * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0)
    Image.fromarray(np.ascontiguousarray(pixels)).save(fp, format=format)


__all__ = ["make_grid", "save_image"]
