"""`thw.finfo` / `thw.iinfo` (limits of a dtype), and the dtypes that are out of scope.

`thw.float16`, `thw.half`, `thw.bfloat16` and the complex dtypes exist as names so that
PyTorch code imports, but making a tensor with them raises a clear TypeError: tinygrad_hw
computes in float32/float64 and integers only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import get_default_dtype


class UnsupportedDtype:
    """A PyTorch dtype name that tinygrad_hw does not compute in (half, bfloat16, complex).

    NumPy reads `.dtype` whenever the object is used as a dtype, so every factory and
    conversion (`thw.zeros(2, dtype=thw.half)`, `t.to(thw.half)`) raises the same error.

    >>> thw.zeros(2, dtype=thw.float16)
    Traceback (most recent call last):
    TypeError: thw.float16 (half precision) is out of scope for tinygrad_hw; use thw.float32
    """

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = name, reason

    @property
    def dtype(self) -> Any:
        raise TypeError(f"thw.{self.name} ({self.reason}) is out of scope for tinygrad_hw; use thw.float32")

    @property
    def is_floating_point(self) -> bool:
        return "complex" not in self.name

    @property
    def is_complex(self) -> bool:
        return "complex" in self.name

    def __repr__(self) -> str:
        return f"thw.{self.name}"


float16 = half = UnsupportedDtype("float16", "half precision")
bfloat16 = UnsupportedDtype("bfloat16", "bfloat16 arithmetic")
complex64 = cfloat = UnsupportedDtype("complex64", "complex numbers")
complex128 = cdouble = UnsupportedDtype("complex128", "complex numbers")


def _dtype(type: Any) -> np.dtype:  # noqa: A002
    return np.dtype(getattr(type, "_data", np.empty(0, type)).dtype) if not isinstance(type, np.dtype) else type


class finfo:
    """Limits of a float dtype, as torch.finfo: bits, eps, max, min, tiny (= smallest_normal),
    resolution, dtype (its name).

    >>> thw.finfo(thw.float32).eps
    1.1920928955078125e-07
    """

    def __init__(self, type: Any = None) -> None:  # noqa: A002 (PyTorch's name)
        dtype = get_default_dtype() if type is None else _dtype(type)
        if dtype.kind != "f":
            raise TypeError(f"torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            f"'{dtype}'")
        info = np.finfo(dtype)
        self.bits, self.dtype = info.bits, dtype.name
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.tiny:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Limits of an integer dtype, as torch.iinfo: bits, max, min, dtype (its name).

    >>> thw.iinfo(thw.uint8).max
    255
    """

    def __init__(self, type: Any) -> None:  # noqa: A002 (PyTorch's name)
        dtype = _dtype(type)
        if dtype.kind == "b":
            raise TypeError("thw.bool is not supported by thw.iinfo")
        if dtype.kind not in "iu":
            raise TypeError(f"torch.iinfo() requires an integer input type. Use torch.finfo to handle '{dtype}'")
        info = np.iinfo(dtype)
        self.bits, self.min, self.max, self.dtype = info.bits, int(info.min), int(info.max), dtype.name

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
