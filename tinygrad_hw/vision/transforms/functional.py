"""torchvision's `transforms.functional`: image operations on PIL images and on image Tensors
(..., C, H, W), with torchvision's meaning. `import tinygrad_hw.vision.transforms.functional as TF`.

PIL images go through Pillow (as in torchvision). Tensors are computed with NumPy; resizing and
rotating a tensor runs Pillow on each (H, W) plane in mode "F": Pillow's antialiased filters are
what torch's `interpolate(..., antialias=True)` reproduces (bilinear and bicubic resizes agree with
it to ~1e-6); tensor rotations are Pillow's, which may differ from torchvision's own tensor
rotation at some edge pixels (not compared: torchvision is not installed here).
"""

from __future__ import annotations

import numbers
from enum import Enum
from typing import Any, Sequence

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

from ...data.transforms import normalize_channels, pad_images
from ...tensor import Tensor


class InterpolationMode(Enum):
    """How pixels are interpolated (torchvision's names)."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_FILTERS = {InterpolationMode.NEAREST: Image.Resampling.NEAREST,
                InterpolationMode.NEAREST_EXACT: Image.Resampling.NEAREST,
                InterpolationMode.BILINEAR: Image.Resampling.BILINEAR,
                InterpolationMode.BICUBIC: Image.Resampling.BICUBIC, InterpolationMode.BOX: Image.Resampling.BOX,
                InterpolationMode.HAMMING: Image.Resampling.HAMMING,
                InterpolationMode.LANCZOS: Image.Resampling.LANCZOS}


def _pil_filter(interpolation: Any) -> Image.Resampling:
    if isinstance(interpolation, int):  # a PIL constant, as older torchvision code passes
        return Image.Resampling(interpolation)
    return _PIL_FILTERS[InterpolationMode(interpolation)]


def _tensor(array: np.ndarray) -> Tensor:
    return Tensor._make(array, False, None)


def _check_image(img: Any) -> None:
    if not isinstance(img, (Image.Image, Tensor)):
        raise TypeError(f"img should be PIL Image or Tensor. Got {type(img)}")
    if isinstance(img, Tensor) and img.ndim < 2:
        raise TypeError(f"Tensor is not a torch image: expected at least 2 dimensions, got {img.ndim}")


def _max_value(dtype: np.dtype) -> float:
    return 1.0 if np.dtype(dtype).kind == "f" else float(np.iinfo(dtype).max)


def get_dimensions(img: Any) -> list[int]:
    """[channels, height, width].  >>> get_dimensions(Image.new("RGB", (4, 2)))
    [3, 2, 4]"""
    _check_image(img)
    if isinstance(img, Image.Image):
        return [len(img.getbands()), img.height, img.width]
    return [img.shape[-3] if img.ndim > 2 else 1, img.shape[-2], img.shape[-1]]


# ------------------------------------------------------------------- conversions
def uint8_to_float(array: np.ndarray) -> np.ndarray:
    """uint8 pixels -> float32 in [0, 1] (ToTensor's scaling; also used on whole batches)."""
    return array.astype(np.float32) / np.float32(255)


def hwc_to_chw(array: np.ndarray) -> np.ndarray:
    """(..., H, W) or (..., H, W, C) pixels -> (..., C, H, W) (a view)."""
    return np.moveaxis(array, -1, -3)


def to_tensor(pic: Any) -> Tensor:
    """A PIL image or an (H, W[, C]) ndarray -> a (C, H, W) Tensor; uint8 becomes float32 in [0, 1].

    >>> to_tensor(Image.new("L", (28, 28))).shape
    (1, 28, 28)
    """
    if isinstance(pic, Image.Image):
        kinds = {"I": np.int32, "I;16": np.int32, "F": np.float32}  # (torchvision reads I;16 as int16, which wraps)
        array = np.array(pic, kinds.get(pic.mode, np.uint8), copy=True)
        if pic.mode == "1":
            array = array * np.uint8(255)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        array = pic
    else:
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if array.ndim == 2:
        array = array[:, :, None]
    array = np.ascontiguousarray(hwc_to_chw(array))
    return _tensor(uint8_to_float(array) if array.dtype == np.uint8 else array)


def pil_to_tensor(pic: Any) -> Tensor:
    """A PIL image -> a (C, H, W) Tensor of its own dtype (uint8 for L and RGB), not scaled."""
    if not isinstance(pic, Image.Image):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    array = np.array(pic, copy=True)
    return _tensor(np.ascontiguousarray(hwc_to_chw(array[:, :, None] if array.ndim == 2 else array)))


def to_pil_image(pic: Any, mode: str | None = None) -> Image.Image:
    """A (C, H, W) Tensor or an (H, W, C) ndarray -> a PIL image; floats are taken as [0, 1]
    (multiplied by 255 and truncated, as torchvision does).

    >>> to_pil_image(thw.rand(3, 8, 8)).mode
    'RGB'
    """
    if isinstance(pic, Tensor):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        array = pic.detach().numpy()
        if array.ndim == 2:
            array = array[None]
        if array.dtype.kind == "f" and mode != "F":
            array = (array * 255).astype(np.uint8)
        array = np.moveaxis(array, 0, -1)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        array = pic[:, :, None] if pic.ndim == 2 else pic
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    channels = array.shape[2]
    if channels == 1:
        array = array[:, :, 0]
        if array.dtype not in (np.uint8, np.int32, np.float32):
            raise TypeError(f"Input type {array.dtype} is not supported")
    elif channels not in (2, 3, 4) or array.dtype != np.uint8:
        raise TypeError(f"Input of {channels} channels and type {array.dtype} is not supported")
    image = Image.fromarray(np.ascontiguousarray(array))  # L, I or F; LA, RGB or RGBA by the channel count
    return image.convert(mode) if mode is not None and mode != image.mode else image


def convert_image_dtype(image: Tensor, dtype: Any = np.float32) -> Tensor:
    """Change an image Tensor's dtype, rescaling values: uint8 0..255 <-> float 0..1.

    >>> convert_image_dtype(thw.tensor([[[255]]], dtype=thw.uint8)).tolist()
    [[[1.0]]]
    """
    if not isinstance(image, Tensor):
        raise TypeError("Input img should be Tensor Image")
    array, dtype = image.numpy(), np.dtype(dtype)
    if array.dtype == dtype:
        return image
    if array.dtype.kind == "f":
        if dtype.kind == "f":
            return _tensor(array.astype(dtype))
        return _tensor((array * (_max_value(dtype) + 1.0 - 1e-3)).astype(dtype))
    if dtype.kind == "f":
        return _tensor((array.astype(dtype) / dtype.type(_max_value(array.dtype))).astype(dtype))
    in_max, out_max = int(_max_value(array.dtype)), int(_max_value(dtype))
    if in_max > out_max:
        return _tensor((array // ((in_max + 1) // (out_max + 1))).astype(dtype))
    return _tensor(array.astype(dtype) * dtype.type((out_max + 1) // (in_max + 1)))


def normalize(tensor: Tensor, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> Tensor:
    """(tensor - mean) / std per channel of a float (..., C, H, W) Tensor.

    >>> normalize(thw.ones(1, 2, 2), (0.5,), (0.5,)).tolist()
    [[[1.0, 1.0], [1.0, 1.0]]]
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"Input tensor should be a torch tensor. Got {type(tensor)}.")
    if tensor.dtype.kind != "f":
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = "
                         f"{tuple(tensor.shape)}")
    if (np.asarray(std, tensor.dtype) == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero.")
    result = normalize_channels(tensor.numpy(), mean, std, axis=-3)
    if inplace:
        return tensor.copy_(_tensor(result))
    return _tensor(result)


# ------------------------------------------------------------------- geometry
def _planes_through_pil(img: Tensor, operation: Any) -> Tensor:
    """Run a PIL operation on each (H, W) plane of a Tensor in float mode "F"; keep the dtype
    (integers rounded and clipped back into range)."""
    array = img.numpy()
    planes = array.reshape(-1, *array.shape[-2:]).astype(np.float32)
    results = np.stack([np.asarray(operation(Image.fromarray(plane))) for plane in planes])
    results = results.reshape(*array.shape[:-2], *results.shape[-2:])
    if array.dtype.kind != "f":
        info = np.iinfo(array.dtype)
        results = np.clip(np.round(results), info.min, info.max)
    return _tensor(results.astype(array.dtype))


def _output_size(height: int, width: int, size: Any, max_size: int | None) -> tuple[int, int]:
    if isinstance(size, numbers.Number):
        size = [size]
    if len(size) == 2:
        if max_size is not None:
            raise ValueError("max_size should only be passed if size specifies the length of the smaller edge, "
                             "i.e. size should be an int or a sequence of length 1 in torchscript mode.")
        return int(size[0]), int(size[1])
    short, long = min(height, width), max(height, width)
    new_short, new_long = int(size[0]), int(int(size[0]) * long / short)
    if max_size is not None:
        if max_size <= new_short:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the requested size for the "
                             f"smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    return (new_long, new_short) if height > width else (new_short, new_long)


def resize(img: Any, size: Any, interpolation: Any = InterpolationMode.BILINEAR, max_size: int | None = None,
           antialias: bool | None = True) -> Any:
    """Resize to `size` (h, w), or so that the smaller edge is `size` (keeping the aspect ratio).

    >>> resize(Image.new("RGB", (64, 32)), 16).size
    (32, 16)
    """
    _, height, width = get_dimensions(img)
    new_height, new_width = _output_size(height, width, size, max_size)
    if (new_height, new_width) == (height, width):
        return img
    if isinstance(img, Image.Image):
        return img.resize((new_width, new_height), _pil_filter(interpolation))
    if InterpolationMode(interpolation) is InterpolationMode.NEAREST:  # torch's nearest: floor(i * in / out)
        rows = np.minimum((np.arange(new_height) * (height / new_height)).astype(np.int64), height - 1)
        columns = np.minimum((np.arange(new_width) * (width / new_width)).astype(np.int64), width - 1)
        return _tensor(img.numpy()[..., rows[:, None], columns])
    return _planes_through_pil(img, lambda plane: plane.resize((new_width, new_height), _pil_filter(interpolation)))


def pad(img: Any, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> Any:
    """Pad the borders: `padding` is one number (all sides), (left/right, top/bottom) or
    (left, top, right, bottom); `padding_mode` constant (with `fill`), edge, reflect or symmetric.

    >>> pad(thw.ones(1, 2, 2), 1).shape
    (1, 4, 4)
    """
    _check_image(img)
    if isinstance(padding, numbers.Number):
        padding = [int(padding)]
    if not isinstance(padding, (list, tuple)):
        raise TypeError("Got inappropriate padding arg")
    if len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    left, top, right, bottom = {1: lambda p: p * 4, 2: lambda p: [p[0], p[1], p[0], p[1]],
                                4: lambda p: p}[len(padding)](list(padding))
    if isinstance(img, Image.Image):
        if padding_mode == "constant":
            return ImageOps.expand(img, border=(left, top, right, bottom), fill=fill)
        array = np.asarray(img)
        channels_last = array.ndim == 3
        padded = pad_images(np.moveaxis(array, -1, 0) if channels_last else array, left, top, right, bottom,
                            padding_mode)
        result = Image.fromarray(np.ascontiguousarray(np.moveaxis(padded, 0, -1) if channels_last else padded))
        if img.mode == "P":  # palette indices were padded; keep the palette
            result = Image.frombytes("P", result.size, result.tobytes())
            result.putpalette(img.getpalette())
        return result
    return _tensor(pad_images(img.numpy(), left, top, right, bottom, padding_mode, fill))


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    """The (height, width) window at (top, left); parts outside the image are zeros."""
    _check_image(img)
    if isinstance(img, Image.Image):
        return img.crop((left, top, left + width, top + height))
    _, image_height, image_width = get_dimensions(img)
    outside = [max(-left, 0), max(-top, 0), max(left + width - image_width, 0), max(top + height - image_height, 0)]
    array = img.numpy()
    if any(outside):
        array = pad_images(array, *outside)
        top, left = top + outside[1], left + outside[0]
    return _tensor(np.ascontiguousarray(array[..., top:top + height, left:left + width]))


def resized_crop(img: Any, top: int, left: int, height: int, width: int, size: Any,
                 interpolation: Any = InterpolationMode.BILINEAR, antialias: bool | None = True) -> Any:
    """`crop`, then `resize` to `size`."""
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def _pair(size: Any, name: str = "size") -> tuple[int, int]:
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, (list, tuple)) and len(size) == 1:
        return int(size[0]), int(size[0])
    if not isinstance(size, (list, tuple)) or len(size) != 2:
        raise ValueError(f"Please provide only two dimensions (h, w) for {name}.")
    return int(size[0]), int(size[1])


def center_crop(img: Any, output_size: Any) -> Any:
    """The central window of `output_size` (padded with zeros where the image is smaller)."""
    crop_height, crop_width = _pair(output_size)
    _, height, width = get_dimensions(img)
    if crop_width > width or crop_height > height:
        grow_w, grow_h = max(crop_width - width, 0), max(crop_height - height, 0)
        img = pad(img, [grow_w // 2, grow_h // 2, (grow_w + 1) // 2, (grow_h + 1) // 2], fill=0)
        _, height, width = get_dimensions(img)
        if (crop_height, crop_width) == (height, width):
            return img
    return crop(img, int(round((height - crop_height) / 2.0)), int(round((width - crop_width) / 2.0)), crop_height,
                crop_width)


def hflip(img: Any) -> Any:
    """Mirror left-right."""
    _check_image(img)
    if isinstance(img, Image.Image):
        return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return _tensor(img.numpy()[..., ::-1].copy())


def vflip(img: Any) -> Any:
    """Mirror top-bottom."""
    _check_image(img)
    if isinstance(img, Image.Image):
        return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    return _tensor(img.numpy()[..., ::-1, :].copy())


def rotate(img: Any, angle: float, interpolation: Any = InterpolationMode.NEAREST, expand: bool = False,
           center: Sequence[int] | None = None, fill: Any = None) -> Any:
    """Rotate by `angle` degrees counter-clockwise about `center` (default: the middle);
    `expand` enlarges the output to hold the whole rotated image; uncovered pixels get `fill`."""
    _check_image(img)
    resample = _pil_filter(interpolation)
    if isinstance(img, Image.Image):
        if isinstance(fill, numbers.Number):  # one value per band, integers unless the image is float
            fill = (fill,) * len(img.getbands())
        if fill is not None:
            fill = tuple(f if img.mode == "F" else int(f) for f in fill)
            fill = fill[0] if len(fill) == 1 else fill
        return img.rotate(angle, resample, expand, center, fillcolor=fill)
    fill = 0 if fill is None else (fill[0] if isinstance(fill, (list, tuple)) else fill)
    return _planes_through_pil(img, lambda plane: plane.rotate(angle, resample, expand, center, fillcolor=float(fill)))


# ------------------------------------------------------------------- colour
def _blend(image: np.ndarray, other: np.ndarray | float, ratio: float) -> np.ndarray:
    """ratio * image + (1 - ratio) * other, clamped to the image's range, in the image's dtype."""
    bound = _max_value(image.dtype)
    blended = (ratio * image.astype(np.float32) + (1.0 - ratio) * np.asarray(other, np.float32))
    return np.clip(blended, 0, bound).astype(image.dtype)


def _grey(array: np.ndarray) -> np.ndarray:
    """ITU-R 601-2 luma of (..., 3, H, W) RGB -> (..., 1, H, W), in the array's dtype (as torchvision)."""
    red, green, blue = (array[..., i, :, :] for i in range(3))
    return (0.2989 * red + 0.587 * green + 0.114 * blue).astype(array.dtype)[..., None, :, :]


def _channels(img: Tensor, allowed: Sequence[int]) -> int:
    channels = get_dimensions(img)[0]
    if channels not in allowed:
        raise TypeError(f"Input image tensor permitted channel values are {list(allowed)}, but found {channels}")
    return channels


def rgb_to_grayscale(img: Any, num_output_channels: int = 1) -> Any:
    """Grey levels (luma), as 1 channel or repeated on 3."""
    _check_image(img)
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    if isinstance(img, Image.Image):
        grey = img.convert("L")
        return Image.merge("RGB", [grey] * 3) if num_output_channels == 3 else grey
    array = img.numpy()
    grey = _grey(array) if _channels(img, (1, 3)) == 3 else array.copy()
    return _tensor(np.repeat(grey, num_output_channels, axis=-3) if num_output_channels == 3 else grey)


def adjust_brightness(img: Any, brightness_factor: float) -> Any:
    """Multiply the intensities by `brightness_factor` (0 black, 1 unchanged)."""
    _check_image(img)
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    if isinstance(img, Image.Image):
        return ImageEnhance.Brightness(img).enhance(brightness_factor)
    _channels(img, (1, 3))
    return _tensor(_blend(img.numpy(), 0.0, brightness_factor))


def adjust_contrast(img: Any, contrast_factor: float) -> Any:
    """Blend with the image's mean grey level (0 flat grey, 1 unchanged)."""
    _check_image(img)
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    if isinstance(img, Image.Image):
        return ImageEnhance.Contrast(img).enhance(contrast_factor)
    array = img.numpy()
    grey = _grey(array) if _channels(img, (1, 3)) == 3 else array
    mean = grey.astype(np.float32).mean(axis=(-3, -2, -1), keepdims=True)
    return _tensor(_blend(array, mean, contrast_factor))


def adjust_saturation(img: Any, saturation_factor: float) -> Any:
    """Blend with the grey image (0 grey, 1 unchanged, 2 twice as saturated)."""
    _check_image(img)
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    if isinstance(img, Image.Image):
        return ImageEnhance.Color(img).enhance(saturation_factor)
    if _channels(img, (1, 3)) == 1:
        return img
    array = img.numpy()
    return _tensor(_blend(array, _grey(array), saturation_factor))


def _rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    red, green, blue = (rgb[..., i, :, :] for i in range(3))
    high, low = rgb.max(axis=-3), rgb.min(axis=-3)
    grey = high == low
    spread = high - low
    saturation = spread / np.where(grey, 1.0, high)
    divisor = np.where(grey, 1.0, spread)
    red_c, green_c, blue_c = ((high - c) / divisor for c in (red, green, blue))
    hue = np.where(high == red, blue_c - green_c,
                   np.where(high == green, 2.0 + red_c - blue_c, 4.0 + green_c - red_c))
    hue = np.fmod(hue / 6.0 + 1.0, 1.0)
    return np.stack([hue, saturation, high], axis=-3)


def _hsv_to_rgb(hsv: np.ndarray) -> np.ndarray:
    hue, saturation, value = (hsv[..., i, :, :] for i in range(3))
    sector = np.floor(hue * 6.0)
    fraction = hue * 6.0 - sector
    sector = sector.astype(np.int64) % 6
    p = np.clip(value * (1.0 - saturation), 0.0, 1.0)
    q = np.clip(value * (1.0 - saturation * fraction), 0.0, 1.0)
    t = np.clip(value * (1.0 - saturation * (1.0 - fraction)), 0.0, 1.0)
    red = np.choose(sector, [value, q, p, p, t, value])
    green = np.choose(sector, [t, value, value, q, p, p])
    blue = np.choose(sector, [p, p, t, value, value, q])
    return np.stack([red, green, blue], axis=-3)


def adjust_hue(img: Any, hue_factor: float) -> Any:
    """Shift the hue by `hue_factor` turns of the colour wheel (in [-0.5, 0.5])."""
    _check_image(img)
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    if isinstance(img, Image.Image):
        if img.mode in ("L", "1", "I", "F"):
            return img
        hue, saturation, value = img.convert("HSV").split()
        shifted = (np.asarray(hue, np.int64) + int(np.uint8(np.int64(hue_factor * 255) % 256))) % 256
        return Image.merge("HSV", (Image.fromarray(shifted.astype(np.uint8)), saturation, value)).convert(img.mode)
    if _channels(img, (1, 3)) == 1:
        return img
    array = img.numpy()
    rgb = uint8_to_float(array) if array.dtype == np.uint8 else array.astype(np.float32)
    hsv = _rgb_to_hsv(rgb)
    hsv[..., 0, :, :] = np.mod(hsv[..., 0, :, :] + hue_factor, 1.0)
    result = _hsv_to_rgb(hsv)
    if array.dtype == np.uint8:
        return _tensor((result * (255 + 1.0 - 1e-3)).astype(np.uint8))
    return _tensor(result.astype(array.dtype))


__all__ = ["InterpolationMode", "adjust_brightness", "adjust_contrast", "adjust_hue", "adjust_saturation",
           "center_crop", "convert_image_dtype", "crop", "resized_crop", "get_dimensions", "hflip", "normalize", "pad",
           "pil_to_tensor", "resize", "rgb_to_grayscale", "rotate", "to_pil_image", "to_tensor", "vflip"]

