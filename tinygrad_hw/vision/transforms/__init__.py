"""torchvision's transforms: callables on one image (a PIL image or a (..., C, H, W) Tensor).

>>> transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
>>> image, label = datasets.MNIST(root, transform=transform)[0]   # image: Tensor (1, 28, 28)

Random transforms draw from the default generator (`thw.manual_seed` makes them repeatable).
`Compose` and `Lambda` are the same classes as in `tinygrad_hw.data.transforms` (the batch
transforms of the homework formats), and the array kernels are shared with it.

Transforms that have a batch form (`_batch`: the same operation on a stack of images, one draw
per image for random ones) let a vision dataset hand the DataLoader a whole batch at once, see
`tinygrad_hw.vision.datasets`.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from ...data import transforms as batch_transforms
from ...data.transforms import Compose, Lambda
from ...random import numpy_generator
from ...tensor import Tensor
from . import functional
from . import functional as F
from .functional import InterpolationMode


class _Transform:
    """Shared __repr__: the class name and the arguments that define the transform."""

    _shown: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown) + ")"


class ToTensor(_Transform):
    """PIL image or (H, W[, C]) uint8 ndarray -> (C, H, W) float32 Tensor in [0, 1]."""

    def __call__(self, pic: Any) -> Tensor:
        return F.to_tensor(pic)

    @staticmethod
    def _batch(images: np.ndarray) -> np.ndarray:
        """(N, H, W[, C]) pixels, as PIL would give them -> (N, C, H, W), as `to_tensor` gives each."""
        array = PILToTensor._batch(images)
        return F.uint8_to_float(array) if array.dtype == np.uint8 else array


class PILToTensor(_Transform):
    """PIL image -> (C, H, W) Tensor of its dtype (uint8), not scaled."""

    def __call__(self, pic: Any) -> Tensor:
        return F.pil_to_tensor(pic)

    @staticmethod
    def _batch(images: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(F.hwc_to_chw(images if images.ndim == 4 else images[..., None]))


class ToPILImage(_Transform):
    """(C, H, W) Tensor or (H, W, C) ndarray -> PIL image."""

    _shown = ("mode",)

    def __init__(self, mode: str | None = None):
        self.mode = mode

    def __call__(self, pic: Any) -> Any:
        return F.to_pil_image(pic, self.mode)


class ConvertImageDtype(_Transform):
    """Change an image Tensor's dtype, rescaling (uint8 0..255 <-> float 0..1)."""

    _shown = ("dtype",)

    def __init__(self, dtype: Any):
        self.dtype = dtype

    def __call__(self, image: Tensor) -> Tensor:
        return F.convert_image_dtype(image, self.dtype)

    def _batch(self, images: np.ndarray) -> np.ndarray:
        return F.convert_image_dtype(Tensor._make(images, False, None), self.dtype).numpy()


class Normalize(_Transform):
    """(x - mean) / std per channel of a float (..., C, H, W) Tensor.

    >>> Normalize((0.1307,), (0.3081,))(thw.zeros(1, 28, 28))
    """

    _shown = ("mean", "std")

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False):
        self.mean, self.std, self.inplace = mean, std, inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def _batch(self, images: np.ndarray) -> np.ndarray:
        return F.normalize(Tensor._make(images, False, None), self.mean, self.std).numpy()


class Resize(_Transform):
    """Resize to (h, w), or the smaller edge to `size` keeping the aspect ratio."""

    _shown = ("size", "interpolation", "max_size", "antialias")

    def __init__(self, size: Any, interpolation: Any = InterpolationMode.BILINEAR, max_size: int | None = None,
                 antialias: bool | None = True):
        if not isinstance(size, (int, Sequence)) or (isinstance(size, Sequence) and len(size) not in (1, 2)):
            raise TypeError(f"Size should be int or sequence. Got {type(size)}")
        self.size, self.interpolation, self.max_size, self.antialias = size, interpolation, max_size, antialias

    def __call__(self, img: Any) -> Any:
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)


class CenterCrop(_Transform):
    """The central (h, w) window (an int for a square)."""

    _shown = ("size",)

    def __init__(self, size: Any):
        self.size = F._pair(size)

    def __call__(self, img: Any) -> Any:
        return F.center_crop(img, self.size)


class Pad(_Transform):
    """Pad the borders (see `functional.pad`)."""

    _shown = ("padding", "fill", "padding_mode")

    def __init__(self, padding: Any, fill: Any = 0, padding_mode: str = "constant"):
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def __call__(self, img: Any) -> Any:
        return F.pad(img, self.padding, self.fill, self.padding_mode)


class RandomCrop(_Transform):
    """A random (h, w) window, after padding by `padding` (and to the size if `pad_if_needed`).

    >>> RandomCrop(32, padding=4)(image)
    """

    _shown = ("size", "padding")

    def __init__(self, size: Any, padding: Any = None, pad_if_needed: bool = False, fill: Any = 0,
                 padding_mode: str = "constant"):
        self.size = F._pair(size)
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode

    @staticmethod
    def get_params(img: Any, output_size: tuple[int, int]) -> tuple[int, int, int, int]:
        """(top, left, height, width) of a random window of `output_size`."""
        _, height, width = F.get_dimensions(img)
        crop_height, crop_width = output_size
        if height < crop_height or width < crop_width:
            raise ValueError(f"Required crop size {(crop_height, crop_width)} is larger than input image size "
                             f"{(height, width)}")
        if (height, width) == (crop_height, crop_width):
            return 0, 0, height, width
        rng = numpy_generator()
        top = int(rng.integers(0, height - crop_height + 1))
        left = int(rng.integers(0, width - crop_width + 1))
        return top, left, crop_height, crop_width

    def __call__(self, img: Any) -> Any:
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, height, width = F.get_dimensions(img)
        if self.pad_if_needed and width < self.size[1]:
            img = F.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = F.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        return F.crop(img, *self.get_params(img, self.size))

    @property
    def _batch(self) -> Any:
        """The batch form (one window per image) for square crops with zero padding on all sides."""
        square = self.size[0] == self.size[1]
        padding = 0 if self.padding is None else self.padding
        if not square or self.pad_if_needed or self.fill != 0 or self.padding_mode != "constant" \
                or not isinstance(padding, int):
            return None
        return batch_transforms.RandomCrop(self.size[0], padding)


class RandomResizedCrop(_Transform):
    """A random window covering `scale` of the area with aspect ratio in `ratio`, resized to `size`.

    >>> RandomResizedCrop(224)(image)
    """

    _shown = ("size", "scale", "ratio", "interpolation")

    def __init__(self, size: Any, scale: tuple[float, float] = (0.08, 1.0),
                 ratio: tuple[float, float] = (3.0 / 4.0, 4.0 / 3.0), interpolation: Any = InterpolationMode.BILINEAR,
                 antialias: bool | None = True):
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            raise ValueError("Scale and ratio should be of kind (min, max)")
        self.size, self.scale, self.ratio = F._pair(size), scale, ratio
        self.interpolation, self.antialias = interpolation, antialias

    @staticmethod
    def get_params(img: Any, scale: Sequence[float], ratio: Sequence[float]) -> tuple[int, int, int, int]:
        """(top, left, height, width): ten tries at a random window, else the central one of clamped ratio."""
        _, height, width = F.get_dimensions(img)
        area, rng = height * width, numpy_generator()
        log_ratio = np.log(ratio)
        for _ in range(10):
            target_area = area * rng.uniform(scale[0], scale[1])
            aspect = float(np.exp(rng.uniform(log_ratio[0], log_ratio[1])))
            crop_width = int(round(np.sqrt(target_area * aspect)))
            crop_height = int(round(np.sqrt(target_area / aspect)))
            if 0 < crop_width <= width and 0 < crop_height <= height:
                top = int(rng.integers(0, height - crop_height + 1))
                left = int(rng.integers(0, width - crop_width + 1))
                return top, left, crop_height, crop_width
        in_ratio = width / height
        if in_ratio < min(ratio):
            crop_width, crop_height = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            crop_width, crop_height = int(round(height * max(ratio))), height
        else:
            crop_width, crop_height = width, height
        return (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width

    def __call__(self, img: Any) -> Any:
        top, left, height, width = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, top, left, height, width, list(self.size), self.interpolation, self.antialias)


class RandomHorizontalFlip(_Transform):
    """Mirror left-right with probability p."""

    _shown = ("p",)

    def __init__(self, p: float = 0.5):
        self.p = p

    def __call__(self, img: Any) -> Any:
        return F.hflip(img) if numpy_generator().random() < self.p else img

    def _batch(self, images: np.ndarray) -> np.ndarray:
        return batch_transforms.RandomHorizontalFlip(self.p)(images)


class RandomVerticalFlip(_Transform):
    """Mirror top-bottom with probability p."""

    _shown = ("p",)

    def __init__(self, p: float = 0.5):
        self.p = p

    def __call__(self, img: Any) -> Any:
        return F.vflip(img) if numpy_generator().random() < self.p else img


def _degree_range(degrees: Any) -> list[float]:
    if isinstance(degrees, numbers.Number):
        if degrees < 0:
            raise ValueError("If degrees is a single number, it must be positive.")
        return [-float(degrees), float(degrees)]
    if len(degrees) != 2:
        raise ValueError("If degrees is a sequence, it must be of len 2.")
    return [float(d) for d in degrees]


class RandomRotation(_Transform):
    """Rotate by an angle drawn uniformly from (-degrees, degrees) (or the range given)."""

    _shown = ("degrees", "interpolation", "expand", "fill")

    def __init__(self, degrees: Any, interpolation: Any = InterpolationMode.NEAREST, expand: bool = False,
                 center: Sequence[int] | None = None, fill: Any = 0):
        self.degrees, self.interpolation, self.expand, self.center, self.fill = (_degree_range(degrees),
                                                                                 interpolation, expand, center, fill)

    @staticmethod
    def get_params(degrees: list[float]) -> float:
        return float(numpy_generator().uniform(degrees[0], degrees[1]))

    def __call__(self, img: Any) -> Any:
        return F.rotate(img, self.get_params(self.degrees), self.interpolation, self.expand, self.center, self.fill)


def _factor_range(value: Any, name: str, center: float = 1.0, bound: tuple[float, float] = (0, float("inf")),
                  clip_first_on_zero: bool = True) -> list[float] | None:
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"If {name} is a single number, it must be non negative.")
        value = [center - float(value), center + float(value)]
        if clip_first_on_zero:
            value[0] = max(value[0], 0.0)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        value = [float(value[0]), float(value[1])]
    else:
        raise TypeError(f"{name} should be a single number or a list/tuple with length 2.")
    if not bound[0] <= value[0] <= value[1] <= bound[1]:
        raise ValueError(f"{name} values should be between {bound}, but got {value}.")
    return None if value[0] == value[1] == center else value


class ColorJitter(_Transform):
    """Random brightness, contrast, saturation and hue changes, applied in a random order.

    >>> ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)(image)
    """

    _shown = ("brightness", "contrast", "saturation", "hue")

    def __init__(self, brightness: Any = 0, contrast: Any = 0, saturation: Any = 0, hue: Any = 0):
        self.brightness = _factor_range(brightness, "brightness")
        self.contrast = _factor_range(contrast, "contrast")
        self.saturation = _factor_range(saturation, "saturation")
        self.hue = _factor_range(hue, "hue", center=0, bound=(-0.5, 0.5), clip_first_on_zero=False)

    @staticmethod
    def get_params(brightness, contrast, saturation, hue) -> tuple:
        """(order of the four changes, then each factor or None)."""
        rng = numpy_generator()
        order = rng.permutation(4)
        factors = [None if r is None else float(rng.uniform(r[0], r[1])) for r in (brightness, contrast, saturation,
                                                                                  hue)]
        return (order, *factors)

    def __call__(self, img: Any) -> Any:
        order, *factors = self.get_params(self.brightness, self.contrast, self.saturation, self.hue)
        adjust = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
        for index in order:
            if factors[index] is not None:
                img = adjust[index](img, factors[index])
        return img


class Grayscale(_Transform):
    """Grey levels, as 1 channel or repeated on 3."""

    _shown = ("num_output_channels",)

    def __init__(self, num_output_channels: int = 1):
        self.num_output_channels = num_output_channels

    def __call__(self, img: Any) -> Any:
        return F.rgb_to_grayscale(img, self.num_output_channels)


def _batch_pipeline(transform: Any) -> Any:
    """The transform as one function on a stack of raw images (N, H, W[, C]) uint8 -> (N, C, H, W),
    or None when it has no batch form.

    It has one when it converts with ToTensor or PILToTensor, every step after that has a batch
    form, and every step before it is a crop or flip with zero fill: those commute with the
    conversion (0 / 255 = 0), so they run on the converted batch. Deterministic steps give
    exactly what they give image by image; random ones draw one crop or flip per image from the
    same distribution, not the same numbers.
    """
    steps = transform.transforms if isinstance(transform, Compose) else [transform]
    converters = [i for i, step in enumerate(steps) if isinstance(step, (ToTensor, PILToTensor))]
    if not converters:
        return None
    first = converters[0]
    before, after = steps[:first], steps[first + 1:]
    if not all(isinstance(step, (RandomCrop, RandomHorizontalFlip)) for step in before):
        return None
    rest = [getattr(step, "_batch", None) for step in before + after]
    if any(batch is None for batch in rest):
        return None

    def run(images: np.ndarray) -> np.ndarray:
        batch = steps[first]._batch(images)
        for step in rest:
            batch = step(batch)
        return batch
    return run


__all__ = ["CenterCrop", "ColorJitter", "Compose", "ConvertImageDtype", "Grayscale", "InterpolationMode", "Lambda",
           "Normalize", "PILToTensor", "Pad", "RandomCrop", "RandomHorizontalFlip", "RandomResizedCrop",
           "RandomRotation", "RandomVerticalFlip", "Resize", "ToPILImage", "ToTensor", "functional"]
