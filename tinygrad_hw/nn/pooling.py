"""Pooling: max, average and adaptive pools in 1-D and 2-D, as `Function`s, `F.*` and modules.

The pools work on the (N, H, W, C) view of their input and return channels-last arrays, like
the convolutions (see the docstring of `convolution.py`): whatever the input's memory layout,
the values are PyTorch's. A window is read offset by offset — kh·kw strided views over all
samples, positions and channels at once — so no window is copied and no Python loop runs
over pixels. Max pooling gives each window's gradient to the first maximum in scan order,
the element PyTorch picks (`val > maxval`, so later ties lose).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor
from .convolution import _nchw, _nhwc, _ntuple, _padded
from .module import Module


# ---------------------------------------------------------------------- geometry
class _PoolGeometry:
    """kernel, stride, dilation, pads (top, bottom, left, right; ceil_mode's extra rows are
    added at the bottom/right) and the output size of a 2-D pool over an input of size `hw`."""

    __slots__ = ("kernel", "stride", "dilation", "pads", "out_hw", "in_hw")

    def __init__(self, hw, kernel, stride, padding, dilation, ceil_mode, what):
        self.kernel, self.stride, self.dilation, self.in_hw = kernel, stride, dilation, tuple(hw)
        pads, out_hw = [], []
        for size, k, s, p, d in zip(hw, kernel, stride, padding, dilation):
            span = d * (k - 1) + 1
            out = (size + 2 * p - span + (s - 1 if ceil_mode else 0)) // s + 1
            if ceil_mode and (out - 1) * s >= size + p:  # the last window must start inside
                out -= 1
            if out < 1:
                raise RuntimeError(f"{what}: given input size {tuple(hw)}, the calculated output size "
                                   f"is {out} along an axis. Output size is too small")
            pads += [p, max(p, (out - 1) * s + span - size - p)]
            out_hw.append(out)
        self.pads, self.out_hw = tuple(pads), tuple(out_hw)

    def offsets(self):
        """(i, j, index): for each kernel offset, the index that picks that element of every
        window from the padded NHWC array, an (N, OH, OW, C) view."""
        (kh, kw), (sh, sw), (dh, dw), (out_h, out_w) = self.kernel, self.stride, self.dilation, self.out_hw
        for i in range(kh):
            for j in range(kw):
                yield i, j, (slice(None), slice(i * dh, i * dh + sh * (out_h - 1) + 1, sh),
                             slice(j * dw, j * dw + sw * (out_w - 1) + 1, sw))

    def padded_shape(self, n: int, c: int) -> tuple:
        top, bottom, left, right = self.pads
        return (n, self.in_hw[0] + top + bottom, self.in_hw[1] + left + right, c)

    def crop(self, padded: np.ndarray) -> np.ndarray:
        top, _, left, _ = self.pads
        return padded[:, top:top + self.in_hw[0], left:left + self.in_hw[1]]

    def is_2x2(self) -> bool:
        return self.kernel == self.stride == (2, 2) and self.dilation == (1, 1) and not any(self.pads)


def _argmax_code(padded: np.ndarray, geometry: _PoolGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Each window's maximum and the position of its first maximum in scan order (i·kw + j)."""
    offsets = geometry.offsets()
    out = padded[next(offsets)[2]].copy()
    code = np.zeros(out.shape, np.uint8 if math.prod(geometry.kernel) < 256 else np.int32)
    for i, j, index in offsets:
        later = padded[index]
        np.copyto(code, i * geometry.kernel[1] + j, where=later > out)  # strictly larger: ties stay
        np.maximum(out, later, out=out)
    return out, code


class _MaxPool2d(Function):
    """ȳ goes to each window's first maximum in scan order (as PyTorch), 0 elsewhere

    2×2 windows with stride 2 (the common case) take a tree of two pairwise comparisons,
    the first element winning ties; other windows a running maximum over the kh·kw offsets.
    """

    @staticmethod
    def forward(ctx, x, geometry):
        ctx.geometry, ctx.input_shape = geometry, x.shape
        x = _nhwc(x)
        if geometry.is_2x2():
            (out_h, out_w), n, c = geometry.out_hw, x.shape[0], x.shape[3]
            quads = x[:, :2 * out_h, :2 * out_w].reshape(n, out_h, 2, out_w, 2, c)
            top, bottom = quads[:, :, 0], quads[:, :, 1]                 # (N, OH, OW, 2, C) each
            top_left_wins = top[:, :, :, 0] >= top[:, :, :, 1]
            bottom_left_wins = bottom[:, :, :, 0] >= bottom[:, :, :, 1]
            top_max = np.maximum(top[:, :, :, 0], top[:, :, :, 1])
            bottom_max = np.maximum(bottom[:, :, :, 0], bottom[:, :, :, 1])
            top_wins = top_max >= bottom_max
            ctx.save_for_backward(top_left_wins, bottom_left_wins, top_wins)
            return _nchw(np.maximum(top_max, bottom_max, out=top_max))
        out, code = _argmax_code(_padded(x, geometry.pads, "max_pool", -np.inf), geometry)
        ctx.save_for_backward(code)
        return _nchw(out)

    @staticmethod
    def backward(ctx, grad_output):
        geometry, (n, c, height, width) = ctx.geometry, ctx.input_shape
        grad_output = _nhwc(grad_output)
        if geometry.is_2x2():
            top_left_wins, bottom_left_wins, top_wins = ctx.saved_tensors
            (out_h, out_w), exact = geometry.out_hw, height % 2 == 0 and width % 2 == 0
            grad = (np.empty if exact else np.zeros)((n, height, width, c), grad_output.dtype)
            quads = grad[:, :2 * out_h, :2 * out_w].reshape(n, out_h, 2, out_w, 2, c)
            to_top = grad_output * top_wins
            to_bottom = grad_output * ~top_wins
            np.multiply(to_top, top_left_wins, out=quads[:, :, 0, :, 0])
            np.multiply(to_top, ~top_left_wins, out=quads[:, :, 0, :, 1])
            np.multiply(to_bottom, bottom_left_wins, out=quads[:, :, 1, :, 0])
            np.multiply(to_bottom, ~bottom_left_wins, out=quads[:, :, 1, :, 1])
            return _nchw(grad)
        (code,) = ctx.saved_tensors
        grad = np.zeros(geometry.padded_shape(n, c), grad_output.dtype)
        for i, j, index in geometry.offsets():
            grad[index] += grad_output * (code == i * geometry.kernel[1] + j)
        return _nchw(geometry.crop(grad))


class _AvgPool2d(Function):
    """x̄ = Σ over the windows containing x of ȳ / divisor (the divisor counts padding or not)"""

    @staticmethod
    def forward(ctx, x, geometry, divisor):
        ctx.geometry, ctx.input_shape, ctx.divisor = geometry, x.shape, divisor
        padded = _padded(_nhwc(x), geometry.pads, "avg_pool")
        offsets = geometry.offsets()
        total = padded[next(offsets)[2]].copy()
        for _, _, index in offsets:
            total += padded[index]
        total /= divisor
        return _nchw(total)

    @staticmethod
    def backward(ctx, grad_output):
        geometry, (n, c, _, _) = ctx.geometry, ctx.input_shape
        share = _nhwc(grad_output) / ctx.divisor
        grad = np.zeros(geometry.padded_shape(n, c), share.dtype)
        for _, _, index in geometry.offsets():
            grad[index] += share
        return _nchw(geometry.crop(grad))


def _avg_divisor(geometry: _PoolGeometry, count_include_pad: bool, divisor_override: int | None, dtype):
    """The number each window's sum is divided by: a scalar, or (OH, OW, 1) where windows
    differ (padding not counted, or ceil_mode windows running past the padded input)."""
    if divisor_override is not None:
        return dtype.type(divisor_override)
    (height, width), (top, bottom, left, right) = geometry.in_hw, geometry.pads
    counted = np.zeros((1, height + top + bottom, width + left + right, 1), dtype)
    if count_include_pad:  # the symmetric padding counts, ceil_mode's extra does not
        counted[:, :height + 2 * top, :width + 2 * left] = 1
    else:
        counted[:, top:top + height, left:left + width] = 1
    divisor = sum(counted[index] for _, _, index in geometry.offsets())[0]
    return dtype.type(divisor.flat[0]) if (divisor == divisor.flat[0]).all() else divisor


def _as_batch(input: Tensor, what: str, spatial: int) -> tuple[Tensor, bool]:
    """(N, C, *spatial) from an input with or without the batch dimension."""
    if input.ndim == spatial + 1:
        return input.unsqueeze(0), True
    if input.ndim != spatial + 2:
        raise RuntimeError(f"{what}: expected a {spatial + 1}-D or {spatial + 2}-D input, got shape {input.shape}")
    return input, False


def _pool_geometry(input: Tensor, kernel_size, stride, padding, dilation, ceil_mode, what, average=False):
    kernel = _ntuple(kernel_size, 2, "kernel_size", 1)
    stride = kernel if stride is None or stride == [] or stride == () else _ntuple(stride, 2, "stride", 1)
    padding, dilation = _ntuple(padding, 2, "padding"), _ntuple(dilation, 2, "dilation", 1)
    for k, p, d in zip(kernel, padding, dilation):
        if 2 * p > (k if average else d * (k - 1) + 1):
            raise RuntimeError(f"{what}: pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
    return _PoolGeometry(input.shape[2:], kernel, stride, padding, dilation, ceil_mode, what)


def _indices(code: np.ndarray, geometry: _PoolGeometry) -> np.ndarray:
    """PyTorch's return_indices: each maximum's flat position h·W + w in its input plane."""
    kw, (sh, sw), (dh, dw) = geometry.kernel[1], geometry.stride, geometry.dilation
    out_h, out_w = geometry.out_hw
    rows = np.arange(out_h)[:, None, None] * sh - geometry.pads[0] + (code // kw) * dh
    cols = np.arange(out_w)[None, :, None] * sw - geometry.pads[2] + (code % kw) * dw
    return _nchw((rows * geometry.in_hw[1] + cols).astype(np.int64))


# ---------------------------------------------------------------------- functional forms
def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum over each window (stride defaults to the kernel size).

    >>> F.max_pool2d(thw.randn(1, 1, 4, 4), 2).shape
    (1, 1, 2, 2)
    """
    batch, unbatched = _as_batch(input, "max_pool2d", 2)
    geometry = _pool_geometry(batch, kernel_size, stride, padding, dilation, ceil_mode, "max_pool2d")
    out = _MaxPool2d.apply(batch, geometry=geometry)
    if unbatched:
        out = out.squeeze(0)
    if not return_indices:
        return out
    _, code = _argmax_code(_padded(_nhwc(batch._data), geometry.pads, "max_pool", -np.inf), geometry)
    indices = _indices(code, geometry)
    return out, Tensor._make(indices[0] if unbatched else indices, False, None)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over each window (stride defaults to the kernel size).

    >>> F.avg_pool2d(thw.ones(1, 1, 4, 4), 2).tolist()
    [[[[1.0, 1.0], [1.0, 1.0]]]]
    """
    batch, unbatched = _as_batch(input, "avg_pool2d", 2)
    geometry = _pool_geometry(batch, kernel_size, stride, padding, 1, ceil_mode, "avg_pool2d", average=True)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    divisor = _avg_divisor(geometry, count_include_pad, divisor_override, batch.dtype)
    out = _AvgPool2d.apply(batch, geometry=geometry, divisor=divisor)
    return out.squeeze(0) if unbatched else out


def _one_d(pool2d, input: Tensor, what: str, kernel_size, stride, padding, *rest, **options):
    """A 1-D pool as the 2-D pool of height 1."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"{what}: expected a 2-D or 3-D input, got shape {input.shape}")
    one = _ntuple
    stride = None if stride is None or stride == [] else (1, one(stride, 1, "stride", 1)[0])
    result = pool2d(input.unsqueeze(-2), (1, one(kernel_size, 1, "kernel_size", 1)[0]), stride,
                    (0, one(padding, 1, "padding")[0]), *rest, **options)
    if isinstance(result, tuple):
        return tuple(part.squeeze(-2) for part in result)
    return result.squeeze(-2)


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum over each window of (N, C, L).  >>> F.max_pool1d(thw.randn(2, 3, 10), 2).shape  # (2, 3, 5)"""
    return _one_d(max_pool2d, input, "max_pool1d", kernel_size, stride, padding,
                  (1, _ntuple(dilation, 1, "dilation", 1)[0]), ceil_mode, return_indices)


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Mean over each window of (N, C, L).  >>> F.avg_pool1d(thw.ones(2, 3, 10), 2).shape  # (2, 3, 5)"""
    return _one_d(avg_pool2d, input, "avg_pool1d", kernel_size, stride, padding, ceil_mode, count_include_pad)


# ---------------------------------------------------------------------- adaptive pools
def _adaptive_bins(size: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's bins: output i averages input [floor(i·size/out), ceil((i+1)·size/out))."""
    index = np.arange(out)
    return (index * size) // out, -((-(index + 1) * size) // out)


def _bin_matrix(size: int, out: int, dtype) -> np.ndarray:
    """(out, size) with 1/len(bin) over each bin: averaging along one axis is a matrix product."""
    start, stop = _adaptive_bins(size, out)
    positions = np.arange(size)
    inside = (positions >= start[:, None]) & (positions < stop[:, None])
    return (inside / (stop - start)[:, None]).astype(dtype)


class _AdaptiveAvgPool2d(Function):
    """y = A_h x A_wᵀ per plane, A the bin-averaging matrices;  x̄ = A_hᵀ ȳ A_w"""

    @staticmethod
    def forward(ctx, x, output_size):
        rows = _bin_matrix(x.shape[2], output_size[0], x.dtype)
        cols = _bin_matrix(x.shape[3], output_size[1], x.dtype)
        ctx.save_for_backward(rows, cols)
        return np.einsum("ih,nchw,jw->ncij", rows, x, cols, optimize=True)

    @staticmethod
    def backward(ctx, grad_output):
        rows, cols = ctx.saved_tensors
        return np.einsum("ih,ncij,jw->nchw", rows, grad_output, cols, optimize=True)


class _AdaptiveMaxPool2d(Function):
    """ȳ goes to each bin's first maximum in scan order (as PyTorch)"""

    @staticmethod
    def forward(ctx, x, output_size):
        x = _nhwc(x)
        flat, out = _adaptive_argmax(x, output_size)
        ctx.save_for_backward(flat)
        ctx.input_shape = x.shape
        return _nchw(out)

    @staticmethod
    def backward(ctx, grad_output):
        (flat,) = ctx.saved_tensors
        shape = ctx.input_shape
        grad = np.bincount(flat.ravel(), weights=_nhwc(grad_output).ravel(), minlength=math.prod(shape))
        return _nchw(grad.astype(grad_output.dtype).reshape(shape))


def _adaptive_argmax(x: np.ndarray, output_size: tuple) -> tuple[np.ndarray, np.ndarray]:
    """For NHWC `x`: the flat index (into x's C-order NHWC) of each bin's first maximum, and the maxima.

    Bins differ in size, so every bin is read as the largest bin, positions past its end
    clamped to its last element: the repeats come later in scan order and never win a tie.
    """
    n, height, width, c = x.shape
    row_start, row_stop = _adaptive_bins(height, output_size[0])
    col_start, col_stop = _adaptive_bins(width, output_size[1])
    best_row = np.broadcast_to(row_start[None, :, None, None], (n, output_size[0], output_size[1], c)).copy()
    best_col = np.broadcast_to(col_start[None, None, :, None], best_row.shape).copy()
    out = x[:, row_start][:, :, col_start]
    for a in range(int((row_stop - row_start).max())):
        rows = np.minimum(row_start + a, row_stop - 1)
        for b in range(int((col_stop - col_start).max())):
            cols = np.minimum(col_start + b, col_stop - 1)
            values = x[:, rows][:, :, cols]
            better = values > out
            np.copyto(best_row, rows[None, :, None, None], where=better)
            np.copyto(best_col, cols[None, None, :, None], where=better)
            out = np.maximum(out, values)
    flat = ((np.arange(n)[:, None, None, None] * height + best_row) * width + best_col) * c + np.arange(c)
    return flat, out


def _adaptive_size(output_size: Any, input: Tensor) -> tuple[int, int]:
    sizes = (output_size, output_size) if isinstance(output_size, int) or output_size is None else tuple(output_size)
    if len(sizes) != 2:
        raise ValueError(f"output_size must be an int or a pair, got {output_size!r}")
    sizes = tuple(input.shape[-2 + axis] if s is None else int(s) for axis, s in enumerate(sizes))
    if min(sizes) < 1:
        raise RuntimeError(f"adaptive pool: output size must be positive, got {output_size!r}")
    return sizes


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average over output_size bins covering the input (None keeps that size).

    >>> F.adaptive_avg_pool2d(thw.randn(2, 8, 7, 7), 1).shape
    (2, 8, 1, 1)
    """
    batch, unbatched = _as_batch(input, "adaptive_avg_pool2d", 2)
    out = _AdaptiveAvgPool2d.apply(batch, output_size=_adaptive_size(output_size, batch))
    return out.squeeze(0) if unbatched else out


def adaptive_max_pool2d(input: Tensor, output_size: Any,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum over output_size bins covering the input.

    >>> F.adaptive_max_pool2d(thw.randn(2, 8, 7, 7), (2, 3)).shape
    (2, 8, 2, 3)
    """
    batch, unbatched = _as_batch(input, "adaptive_max_pool2d", 2)
    size = _adaptive_size(output_size, batch)
    out = _AdaptiveMaxPool2d.apply(batch, output_size=size)
    if unbatched:
        out = out.squeeze(0)
    if not return_indices:
        return out
    flat, _ = _adaptive_argmax(_nhwc(batch._data), size)
    width, channels = batch.shape[3], batch.shape[1]
    indices = _nchw(flat // channels % (batch.shape[2] * width))
    return out, Tensor._make(indices[0] if unbatched else indices, False, None)


# ---------------------------------------------------------------------- modules
class _MaxPoolNd(Module):
    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool2d(_MaxPoolNd):
    """>>> nn.MaxPool2d(2)(thw.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)"""

    def forward(self, x: Tensor) -> Tensor:
        return max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                          self.return_indices)


class MaxPool1d(_MaxPoolNd):
    """>>> nn.MaxPool1d(2)(thw.randn(1, 3, 8)).shape
    (1, 3, 4)"""

    def forward(self, x: Tensor) -> Tensor:
        return max_pool1d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                          self.return_indices)


class _AvgPoolNd(Module):
    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size
        self.padding, self.ceil_mode, self.count_include_pad = padding, ceil_mode, count_include_pad

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPoolNd):
    """>>> nn.AvgPool2d(2)(thw.ones(1, 1, 4, 4)).shape
    (1, 1, 2, 2)"""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, x: Tensor) -> Tensor:
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)


class AvgPool1d(_AvgPoolNd):
    """>>> nn.AvgPool1d(2)(thw.ones(1, 1, 4)).shape
    (1, 1, 2)"""

    def forward(self, x: Tensor) -> Tensor:
        return avg_pool1d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)


class AdaptiveAvgPool2d(Module):
    """>>> nn.AdaptiveAvgPool2d((1, 1))(thw.randn(2, 8, 7, 7)).shape
    (2, 8, 1, 1)"""

    def __init__(self, output_size: Any):
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(AdaptiveAvgPool2d):
    """>>> nn.AdaptiveMaxPool2d(2)(thw.randn(2, 8, 7, 7)).shape
    (2, 8, 2, 2)"""

    def __init__(self, output_size: Any, return_indices: bool = False):
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, x: Tensor) -> Tensor:
        return adaptive_max_pool2d(x, self.output_size, self.return_indices)
