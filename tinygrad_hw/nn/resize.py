"""Resizing layers: `Upsample` (nearest, linear/bilinear) and the padding layers."""

from __future__ import annotations

from typing import Any, Sequence

from ..tensor import Tensor
from . import functional as F
from .module import Module


class Upsample(Module):
    """Resize by `size` or `scale_factor` (`F.interpolate`).

    >>> nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)(thw.ones(1, 3, 4, 4)).shape
    (1, 3, 8, 8)
    """

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: bool | None = None, recompute_scale_factor: bool | None = None):
        super().__init__()
        self.size, self.mode, self.align_corners = size, mode, align_corners
        self.scale_factor = float(scale_factor) if isinstance(scale_factor, (int, float)) else \
            (tuple(float(f) for f in scale_factor) if scale_factor is not None else None)
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             self.recompute_scale_factor)

    def extra_repr(self) -> str:
        shown = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return f"{shown}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """>>> nn.UpsamplingNearest2d(scale_factor=2)(images)"""

    def __init__(self, size: Any = None, scale_factor: Any = None):
        super().__init__(size, scale_factor, "nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear with align_corners=True (as PyTorch's).  >>> nn.UpsamplingBilinear2d(scale_factor=2)(images)"""

    def __init__(self, size: Any = None, scale_factor: Any = None):
        super().__init__(size, scale_factor, "bilinear", align_corners=True)


class _PadNd(Module):
    mode = "constant"
    dims = 1

    def __init__(self, padding: int | Sequence[int], value: float | None = None):
        super().__init__()
        self.padding = (padding,) * (2 * self.dims) if isinstance(padding, int) else tuple(padding)
        if len(self.padding) != 2 * self.dims:
            raise ValueError(f"{type(self).__name__} expects {2 * self.dims} padding values, got {len(self.padding)}")
        if value is not None:
            self.value = value

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (self.dims + 1, self.dims + 2):
            raise ValueError(f"{type(self).__name__}: expected {self.dims + 1}D or {self.dims + 2}D input "
                             f"(got {input.ndim}D input)")
        return F.pad(input, self.padding, self.mode, getattr(self, "value", None))

    def extra_repr(self) -> str:
        if type(self).__name__.startswith("ConstantPad"):
            return f"padding={self.padding}, value={self.value}"
        return f"{self.padding}"


def _padding_layer(name: str, mode: str, dims: int, constant: bool = False) -> type:
    def __init__(self: Any, padding: Any, value: float = 0.0) -> None:
        _PadNd.__init__(self, padding, float(value) if mode == "constant" else None)

    if not constant:
        def __init__(self: Any, padding: Any) -> None:  # noqa: F811
            _PadNd.__init__(self, padding, 0.0 if mode == "constant" else None)

    return type(name, (_PadNd,), {"mode": mode, "dims": dims, "__init__": __init__, "__module__": __name__,
                                  "__doc__": f"F.pad with mode {mode!r} on the last {dims} dim(s).  "
                                             f">>> nn.{name}(1)(x)"})


ConstantPad1d = _padding_layer("ConstantPad1d", "constant", 1, constant=True)
ConstantPad2d = _padding_layer("ConstantPad2d", "constant", 2, constant=True)
ConstantPad3d = _padding_layer("ConstantPad3d", "constant", 3, constant=True)
ZeroPad1d = _padding_layer("ZeroPad1d", "constant", 1)
ZeroPad2d = _padding_layer("ZeroPad2d", "constant", 2)
ZeroPad3d = _padding_layer("ZeroPad3d", "constant", 3)
ReflectionPad1d = _padding_layer("ReflectionPad1d", "reflect", 1)
ReflectionPad2d = _padding_layer("ReflectionPad2d", "reflect", 2)
ReflectionPad3d = _padding_layer("ReflectionPad3d", "reflect", 3)
ReplicationPad1d = _padding_layer("ReplicationPad1d", "replicate", 1)
ReplicationPad2d = _padding_layer("ReplicationPad2d", "replicate", 2)
ReplicationPad3d = _padding_layer("ReplicationPad3d", "replicate", 3)
CircularPad1d = _padding_layer("CircularPad1d", "circular", 1)
CircularPad2d = _padding_layer("CircularPad2d", "circular", 2)
CircularPad3d = _padding_layer("CircularPad3d", "circular", 3)
