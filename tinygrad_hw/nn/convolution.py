"""Convolution: `F.conv2d`/`nn.Conv2d`, `conv1d`, `conv_transpose2d`, `unfold`/`fold`.

Memory layout: channels-last under the NCHW API
-----------------------------------------------
Every tensor here has PyTorch's shape (N, C, H, W), but the arrays the convolutions (and the
pools in `pooling.py`) *return* are laid out in memory as (N, H, W, C): they are
`nhwc.transpose(0, 3, 1, 2)`, views with NHWC strides, as PyTorch's `channels_last` memory
format. This pays twice: im2col copies whole channel vectors (contiguous runs) instead of
single numbers, and the matrix product's output (N·H·W, C_out) already *is* the next layer's
layout, so no transposing copy sits between layers. NumPy's elementwise ops keep the layout
(ufuncs allocate in order 'K'), and everything that depends on the order of elements —
`reshape`/`flatten`, `.tolist()`, printing, comparisons — reads by shape, not by memory, so a
user sees exactly PyTorch's values and flatten order. The one rule for code here: never assume
a layout; view inputs as `x.transpose(0, 2, 3, 1)` and copy what needs to be contiguous
(`tests/test_convolution.py` pins the flatten order and both layouts).

The matrix products (one per convolution, groups as a batch dimension)
---------------------------------------------------------------------
forward   out[(n,y,x), o] = Σ_k cols[(n,y,x), k] · W[k, o]   with k = (i, j, c) in the window
dW        W̄[k, o] = Σ_(n,y,x) cols[(n,y,x), k] · ḡ[(n,y,x), o]       (cols kept from forward)
db        ones @ ḡ  (a GEMV: much faster than a sum over the long axis)
dx        stride 1: the *full* correlation of the padded output gradient with the spatially
          flipped kernel — one more im2col and matrix product, no scatter-add.
          stride > 1: col2im, kh·kw vectorized slice additions of ḡ·Wᵀ into the image.
im2col runs in chunks of a few images, each chunk multiplied while its columns are in cache;
a single input channel takes kh·kw strided slice copies instead. The large intermediate arrays
(padded inputs, columns) come from `_SCRATCH` and are reused across steps.
"""

from __future__ import annotations

import math
import sys
from collections import OrderedDict
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..autograd.function import Function
from ..autograd.grad_mode import is_grad_enabled
from ..tensor import Tensor, get_default_dtype
from .init import reset_parameters_like_pytorch
from .module import Module, Parameter


# ---------------------------------------------------------------------- arguments
def _ntuple(value: Any, n: int, name: str, minimum: int = 0) -> tuple[int, ...]:
    values = (value,) * n if isinstance(value, (int, np.integer)) else tuple(value)
    if len(values) == 1 and n > 1:
        values = values * n
    if len(values) != n or any(not isinstance(v, (int, np.integer)) for v in values):
        raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {value!r}")
    if any(v < minimum for v in values):
        raise RuntimeError(f"{name} must be at least {minimum}, got {value!r}")
    return tuple(int(v) for v in values)


def _pair(value: Any, name: str, minimum: int = 0) -> tuple[int, int]:
    return _ntuple(value, 2, name, minimum)  # type: ignore[return-value]


def _output_size(size: int, kernel: int, stride: int, padding: int, what: str, dilation: int = 1) -> int:
    """Positions of a window over `size + padding` (padding counts both sides)."""
    span = dilation * (kernel - 1) + 1
    if size + padding < span:
        raise RuntimeError(f"{what}: the padded input size {size + padding} is smaller than the "
                           f"kernel's span {span} (kernel {kernel}, dilation {dilation}): the kernel does not fit")
    return (size + padding - span) // stride + 1


def _nhwc(x: np.ndarray) -> np.ndarray:
    """The (N, H, W, C) view of an NCHW-shaped array (contiguous if it is channels-last)."""
    return x.transpose(0, 2, 3, 1)


def _nchw(x: np.ndarray) -> np.ndarray:
    """The (N, C, H, W)-shaped view of an NHWC array: what ops return (see the module docstring)."""
    return x.transpose(0, 3, 1, 2)


# ---------------------------------------------------------------------- scratch buffers
class _ScratchBuffers:
    """Large intermediate arrays kept from one step to the next (allocating tens of MB anew
    costs page faults every step). A buffer is handed out again only when nothing else refers
    to it — a graph that still holds it for backward keeps its own, and a new one is made."""

    def __init__(self, max_entries: int = 24):
        self.max_entries = max_entries
        self._arrays: OrderedDict = OrderedDict()

    def get(self, key: Any, shape: tuple, dtype: Any, fill: float | None = None) -> np.ndarray:
        """An array of `shape`; a new one is filled with `fill` (if given), a reused one holds
        what its last user left (so a caller that only rewrites the interior keeps its border)."""
        key = (key, shape, np.dtype(dtype), fill)
        array = self._arrays.get(key)
        # References: the dict, `array`, getrefcount's argument. More means someone holds it.
        if array is None or sys.getrefcount(array) > 3:
            array = np.empty(shape, dtype) if fill is None else np.full(shape, fill, dtype)
            self._arrays[key] = array
            if len(self._arrays) > self.max_entries:
                self._arrays.popitem(last=False)
        self._arrays.move_to_end(key)
        return array

    def clear(self) -> None:
        self._arrays.clear()


_SCRATCH = _ScratchBuffers()
_CHUNK_BYTES = 2 << 20  # im2col columns per chunk: about the size of the L2 cache


def _padded(x: np.ndarray, pads: tuple, role: str, value: float = 0.0) -> np.ndarray:
    """NHWC `x` with (top, bottom, left, right) rows/columns of `value` around it (negative
    pads crop), in a reused scratch buffer whose border is written once."""
    top, bottom, left, right = pads
    if not any(pads):
        return x
    n, h, w, c = x.shape
    shape = (n, h + top + bottom, w + left + right, c)
    padded = _SCRATCH.get((role, pads), shape, x.dtype, fill=value)
    source = x[:, max(-top, 0):h - max(-bottom, 0), max(-left, 0):w - max(-right, 0)]
    padded[:, max(top, 0):shape[1] - max(bottom, 0), max(left, 0):shape[2] - max(right, 0)] = source
    return padded


# ---------------------------------------------------------------------- im2col and GEMM
def _window_view(padded: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple, out_hw: tuple,
                 groups: int) -> np.ndarray:
    """(N, OH, OW, G, kh, kw, C/G) view of every window of an NHWC array, without copying."""
    (kh, kw), (sh, sw), (dh, dw), (out_h, out_w) = kernel, stride, dilation, out_hw
    view = sliding_window_view(padded, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(1, 2))
    view = view[:, :sh * (out_h - 1) + 1:sh, :sw * (out_w - 1) + 1:sw, :, ::dh, ::dw]
    n, c = padded.shape[0], padded.shape[3]
    view = view.reshape(n, out_h, out_w, groups, c // groups, kh, kw)
    return view.transpose(0, 1, 2, 3, 5, 6, 4)


def _conv_nhwc(padded: np.ndarray, weight_matrix: np.ndarray, kernel: tuple, stride: tuple,
               dilation: tuple, keep_cols: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Correlate a padded NHWC array with `weight_matrix` (G, kh·kw·C/G, O/G), the rows in
    (i, j, c) order. Returns the output (N, OH, OW, O), a new array, and, with `keep_cols`,
    the im2col matrix as a (G, N·OH·OW, kh·kw·C/G) array (a strided view) for the weight gradient.
    """
    n, height, width, channels = padded.shape
    groups, depth, out_per_group = weight_matrix.shape
    out_h = _output_size(height, kernel[0], stride[0], 0, "conv2d", dilation[0])
    out_w = _output_size(width, kernel[1], stride[1], 0, "conv2d", dilation[1])
    rows = out_h * out_w
    out = np.empty((n * rows, groups, out_per_group), np.result_type(padded, weight_matrix))
    if channels == 1:  # kh·kw strided slice copies, stored transposed: (kh, kw, N, OH, OW)
        cols_t = _SCRATCH.get(("cols_t", keep_cols), (kernel[0], kernel[1], n, out_h, out_w), padded.dtype)
        (sh, sw), (dh, dw) = stride, dilation
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                cols_t[i, j] = padded[:, i * dh:i * dh + sh * (out_h - 1) + 1:sh,
                                      j * dw:j * dw + sw * (out_w - 1) + 1:sw, 0]
        cols = cols_t.reshape(1, depth, n * rows).transpose(0, 2, 1)
        np.matmul(cols, weight_matrix, out=out.transpose(1, 0, 2))
        return out.reshape(n, out_h, out_w, -1), cols
    windows = _window_view(padded, kernel, stride, dilation, (out_h, out_w), groups)
    chunk = max(1, min(n, _CHUNK_BYTES // (rows * groups * depth * padded.itemsize)))
    window_shape = windows.shape[1:]
    if keep_cols:
        all_cols = _SCRATCH.get("cols", (n,) + window_shape, padded.dtype)
    else:
        chunk_cols = _SCRATCH.get("chunk", (chunk,) + window_shape, padded.dtype)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        cols = all_cols[start:stop] if keep_cols else chunk_cols[:stop - start]
        np.copyto(cols, windows[start:stop])
        np.matmul(cols.reshape(-1, groups, depth).transpose(1, 0, 2), weight_matrix,
                  out=out[start * rows:stop * rows].transpose(1, 0, 2))
    kept = all_cols.reshape(n * rows, groups, depth).transpose(1, 0, 2) if keep_cols else None
    return out.reshape(n, out_h, out_w, -1), kept


def _weight_matrix(weight: np.ndarray, groups: int) -> np.ndarray:
    """(O, C/G, kh, kw) -> (G, kh·kw·C/G, O/G), rows in the im2col order (i, j, c)."""
    out_channels, per_group, kh, kw = weight.shape
    grouped = weight.reshape(groups, out_channels // groups, per_group, kh, kw)
    return grouped.transpose(0, 3, 4, 2, 1).reshape(groups, kh * kw * per_group, -1)


def _flipped_weight_matrix(weight: np.ndarray, groups: int) -> np.ndarray:
    """The matrix of the transposed convolution (O/G -> C/G per group, the kernel turned by
    180°): (G, kh·kw·O/G, C/G), rows in the order (i, j, o)."""
    out_channels, per_group, kh, kw = weight.shape
    grouped = weight.reshape(groups, out_channels // groups, per_group, kh, kw)[:, :, :, ::-1, ::-1]
    return grouped.transpose(0, 3, 4, 1, 2).reshape(groups, kh * kw * (out_channels // groups), per_group)


class _Geometry:
    """A convolution's shape arguments, normalised once: kernel, stride, dilation, groups and
    pads (top, bottom, left, right)."""

    __slots__ = ("kernel", "stride", "dilation", "groups", "pads")

    def __init__(self, kernel, stride, pads, dilation, groups):
        self.kernel, self.stride, self.pads = tuple(kernel), tuple(stride), tuple(pads)
        self.dilation, self.groups = tuple(dilation), groups

    def full_correlation_pads(self) -> tuple:
        """Pads of the output gradient whose correlation with the flipped kernel is the input
        gradient (stride 1): the kernel's span minus one, less the forward's padding."""
        (kh, kw), (dh, dw), (top, bottom, left, right) = self.kernel, self.dilation, self.pads
        return dh * (kh - 1) - top, dh * (kh - 1) - bottom, dw * (kw - 1) - left, dw * (kw - 1) - right


def _conv_forward(x_nhwc: np.ndarray, weight: np.ndarray, geometry: _Geometry, keep_cols: bool):
    padded = _padded(x_nhwc, geometry.pads, "input")
    return _conv_nhwc(padded, _weight_matrix(weight, geometry.groups), geometry.kernel, geometry.stride,
                      geometry.dilation, keep_cols)


def _conv_input_grad(grad_nhwc: np.ndarray, weight: np.ndarray, geometry: _Geometry,
                     input_hw: tuple) -> np.ndarray:
    """d(conv)/d(input) for an NHWC output gradient: an NHWC array of spatial size `input_hw`."""
    groups, (kh, kw), (sh, sw), (dh, dw) = geometry.groups, geometry.kernel, geometry.stride, geometry.dilation
    if geometry.stride == (1, 1):
        padded = _padded(grad_nhwc, geometry.full_correlation_pads(), "grad")
        grad, _ = _conv_nhwc(padded, _flipped_weight_matrix(weight, groups), geometry.kernel, (1, 1),
                             geometry.dilation, keep_cols=False)
        return grad
    # col2im: every window's gradient ḡ·Wᵀ added back where the window was read from
    n, out_h, out_w, _ = grad_nhwc.shape
    top, _, left, _ = geometry.pads
    per_group = weight.shape[1]
    rows = np.ascontiguousarray(grad_nhwc).reshape(n * out_h * out_w, groups, -1).transpose(1, 0, 2)
    window_grads = np.matmul(rows, _weight_matrix(weight, groups).transpose(0, 2, 1))  # (G, M, kh·kw·C/G)
    window_grads = window_grads.reshape(groups, n, out_h, out_w, kh, kw, per_group)
    # the windows' extent, or the input's if output_padding leaves rows no window reads
    height = max(top + input_hw[0], sh * (out_h - 1) + dh * (kh - 1) + 1)
    width = max(left + input_hw[1], sw * (out_w - 1) + dw * (kw - 1) + 1)
    grad = np.zeros((n, height, width, groups, per_group), window_grads.dtype)
    for i in range(kh):
        for j in range(kw):
            grad[:, i * dh:i * dh + sh * (out_h - 1) + 1:sh, j * dw:j * dw + sw * (out_w - 1) + 1:sw] += \
                window_grads[:, :, :, :, i, j].transpose(1, 2, 3, 0, 4)
    grad = grad.reshape(grad.shape[:3] + (-1,))
    return grad[:, top:top + input_hw[0], left:left + input_hw[1]]


def _conv_weight_grad(cols: np.ndarray, grad_nhwc: np.ndarray, weight_shape: tuple, groups: int) -> np.ndarray:
    """W̄ = colsᵀ·ḡ per group, back in PyTorch's (O, C/G, kh, kw) layout."""
    out_channels, per_group, kh, kw = weight_shape
    rows = grad_nhwc.reshape(-1, groups, out_channels // groups).transpose(1, 0, 2)
    grad = np.matmul(cols.transpose(0, 2, 1), rows)                     # (G, kh·kw·C/G, O/G)
    grad = grad.reshape(groups, kh, kw, per_group, -1).transpose(0, 4, 3, 1, 2)
    return np.ascontiguousarray(grad).reshape(weight_shape)


def channel_sums(channels_last: np.ndarray) -> np.ndarray:
    """Σ over every axis but the last, as ones·rows: a GEMV (with a kept ones vector), several
    times faster than NumPy's reduction of short rows. The bias gradient, batch norm's sums."""
    rows = channels_last.reshape(-1, channels_last.shape[-1])
    return _SCRATCH.get("ones", rows.shape[:1], rows.dtype, fill=1) @ rows


class _Conv2d(Function):
    """y = W ⋆ x + b;  W̄ = colsᵀ·ḡ,  x̄ = ḡ ⋆_full flip(W) (stride 1) or col2im(ḡ·Wᵀ),  b̄ = Σ ḡ

    Inputs of any memory layout; the output is channels-last (see the module docstring).
    """

    @staticmethod
    def forward(ctx, x, weight, bias=None, geometry=None):
        keep_cols = len(ctx.needs_input_grad) > 1 and ctx.needs_input_grad[1] and is_grad_enabled()
        out, cols = _conv_forward(_nhwc(x), weight, geometry, keep_cols)
        if bias is not None:
            out += bias
        ctx.save_for_backward(cols, weight)
        ctx.geometry, ctx.input_hw = geometry, x.shape[2:]
        return _nchw(out)

    @staticmethod
    def backward(ctx, grad_output):
        cols, weight = ctx.saved_tensors
        need_x, need_weight, *need_bias = ctx.needs_input_grad
        grad = np.ascontiguousarray(_nhwc(grad_output))  # free when it arrives channels-last
        grad_x = _nchw(_conv_input_grad(grad, weight, ctx.geometry, ctx.input_hw)) if need_x else None
        grad_weight = _conv_weight_grad(cols, grad, weight.shape, ctx.geometry.groups) if need_weight else None
        grad_bias = channel_sums(grad) if need_bias and need_bias[0] else None
        return grad_x, grad_weight, grad_bias


class _ConvTranspose2d(Function):
    """y = conv2d's input gradient of x (the adjoint of conv2d);  x̄ = conv2d(ȳ, W),
    W̄ = cols(ȳ)ᵀ·x,  b̄ = Σ ȳ"""

    @staticmethod
    def forward(ctx, x, weight, bias=None, geometry=None, output_hw=None):
        x = np.ascontiguousarray(_nhwc(x))
        out = _conv_input_grad(x, weight, geometry, output_hw)
        if bias is not None:
            out += bias
        ctx.save_for_backward(x, weight)
        ctx.geometry = geometry
        return _nchw(out)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        need_x, need_weight, *need_bias = ctx.needs_input_grad
        grad = np.ascontiguousarray(_nhwc(grad_output))
        grad_x, cols = _conv_forward(grad, weight, ctx.geometry, keep_cols=need_weight)
        grad_weight = _conv_weight_grad(cols, x, weight.shape, ctx.geometry.groups) if need_weight else None
        grad_bias = channel_sums(grad) if need_bias and need_bias[0] else None
        return (_nchw(grad_x) if need_x else None), grad_weight, grad_bias


def _blocks(x: np.ndarray, geometry: _Geometry) -> np.ndarray:
    """im2col in PyTorch's `unfold` order: (N, C·kh·kw, L), rows (c, i, j), L block positions."""
    padded = _padded(_nhwc(x), geometry.pads, "unfold")
    out_hw = tuple(_output_size(padded.shape[1 + axis], geometry.kernel[axis], geometry.stride[axis], 0,
                                "unfold", geometry.dilation[axis]) for axis in (0, 1))
    windows = _window_view(padded, geometry.kernel, geometry.stride, geometry.dilation, out_hw, 1)
    n, c = x.shape[:2]
    return windows[:, :, :, 0].transpose(0, 5, 3, 4, 1, 2).reshape(n, c * math.prod(geometry.kernel), -1)


def _unblocks(blocks: np.ndarray, geometry: _Geometry, output_hw: tuple) -> np.ndarray:
    """col2im, the adjoint of `_blocks`: each block's values summed back where it was read."""
    (kh, kw), (sh, sw), (dh, dw), (top, bottom, left, right) = (geometry.kernel, geometry.stride,
                                                                geometry.dilation, geometry.pads)
    n = blocks.shape[0]
    out_h = _output_size(output_hw[0], kh, sh, top + bottom, "fold", dh)
    out_w = _output_size(output_hw[1], kw, sw, left + right, "fold", dw)
    per_offset = blocks.reshape(n, -1, kh, kw, out_h, out_w)
    image = np.zeros((n, per_offset.shape[1], output_hw[0] + top + bottom, output_hw[1] + left + right),
                     blocks.dtype)
    for i in range(kh):
        for j in range(kw):
            image[:, :, i * dh:i * dh + sh * (out_h - 1) + 1:sh, j * dw:j * dw + sw * (out_w - 1) + 1:sw] += \
                per_offset[:, :, i, j]
    return image[:, :, top:top + output_hw[0], left:left + output_hw[1]]


class _Unfold(Function):
    """blocks = im2col(x);  x̄ = col2im(blocks̄) (each element's gradient summed over its blocks)"""

    @staticmethod
    def forward(ctx, x, geometry):
        ctx.geometry, ctx.input_hw = geometry, x.shape[2:]
        return _blocks(x, geometry)

    @staticmethod
    def backward(ctx, grad_output):
        return _unblocks(grad_output, ctx.geometry, ctx.input_hw)


class _Fold(Function):
    """y = col2im(blocks), the adjoint of unfold;  blocks̄ = im2col(ȳ)"""

    @staticmethod
    def forward(ctx, blocks, geometry, output_hw):
        ctx.geometry = geometry
        return _unblocks(blocks, geometry, output_hw)

    @staticmethod
    def backward(ctx, grad_output):
        return _blocks(grad_output, ctx.geometry)


# ---------------------------------------------------------------------- functional forms
def _check_same_dtype(input: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    for other in (weight, bias):
        if other is not None and other.dtype != input.dtype:
            raise RuntimeError(f"expected scalar type {input.dtype} but found {other.dtype} "
                               "(input, weight and bias must have the same dtype)")


def _conv_pads(padding: Any, kernel: tuple, dilation: tuple, stride: tuple, what: str) -> tuple:
    """(top, bottom, left, right) from an int, a pair, 'valid' or 'same' (PyTorch puts the odd
    extra row of 'same' at the bottom/right)."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: {padding!r}")
        if any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pads = []
        for k, d in zip(kernel, dilation):
            total = d * (k - 1)
            pads += [total // 2, total - total // 2]
        return tuple(pads)
    ph, pw = _pair(padding, "padding")
    return (ph, ph, pw, pw)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution (cross-correlation, as PyTorch) on NCHW with weight (out, in/groups, kh, kw).

    `padding` is an int, a pair, 'valid' or 'same'. A 3-D input (C, H, W) is one sample.

    >>> F.conv2d(thw.randn(16, 1, 28, 28), thw.randn(16, 1, 5, 5), padding=2).shape
    (16, 16, 28, 28)
    """
    if input.ndim == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    if input.ndim != 4:
        raise RuntimeError(f"conv2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape {input.shape}")
    if weight.ndim != 4:
        raise RuntimeError(f"conv2d: expected a 4-D weight (out, in/groups, kh, kw), got shape {weight.shape}")
    stride, dilation = _pair(stride, "stride", 1), _pair(dilation, "dilation", 1)
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise RuntimeError(f"non-positive groups is not supported, got groups={groups}")
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at "
                           f"dimension 0, but got weight of size {list(weight.shape)} instead")
    if input.shape[1] != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected "
                           f"input{list(input.shape)} to have {weight.shape[1] * groups} channels, "
                           f"but got {input.shape[1]} channels instead")
    if bias is not None and bias.shape != (weight.shape[0],):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional "
                           f"with {weight.shape[0]} elements, but got bias of size {list(bias.shape)} instead")
    _check_same_dtype(input, weight, bias)
    pads = _conv_pads(padding, weight.shape[2:], dilation, stride, "conv2d")
    for axis in (0, 1):
        _output_size(input.shape[2 + axis], weight.shape[2 + axis], stride[axis],
                     pads[2 * axis] + pads[2 * axis + 1], "conv2d", dilation[axis])
    geometry = _Geometry(weight.shape[2:], stride, pads, dilation, int(groups))
    arguments = (input, weight) if bias is None else (input, weight, bias)
    return _Conv2d.apply(*arguments, geometry=geometry)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D convolution on (N, C, L) with weight (out, in/groups, k): a conv2d of height 1.

    >>> F.conv1d(thw.randn(4, 2, 50), thw.randn(8, 2, 3), padding=1).shape
    (4, 8, 50)
    """
    if input.ndim not in (2, 3) or weight.ndim != 3:
        raise RuntimeError(f"conv1d: expected a 2-D or 3-D input and a 3-D weight, got shapes "
                           f"{input.shape} and {weight.shape}")
    if not isinstance(padding, str):
        padding = (0, _ntuple(padding, 1, "padding")[0])
    stride, dilation = (1, _ntuple(stride, 1, "stride", 1)[0]), (1, _ntuple(dilation, 1, "dilation", 1)[0])
    out = conv2d(input.unsqueeze(-2), weight.unsqueeze(-2), bias, stride, padding, dilation, groups)
    return out.squeeze(-2)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """Transposed convolution (the gradient of conv2d with respect to its input) on NCHW, with
    weight (in, out/groups, kh, kw); output size (H-1)·stride - 2·padding + dilation·(k-1) + output_padding + 1.

    >>> F.conv_transpose2d(thw.randn(1, 8, 7, 7), thw.randn(8, 4, 4, 4), stride=2, padding=1).shape
    (1, 4, 14, 14)
    """
    if input.ndim == 3:
        return conv_transpose2d(input.unsqueeze(0), weight, bias, stride, padding, output_padding, groups,
                                dilation).squeeze(0)
    if input.ndim != 4 or weight.ndim != 4:
        raise RuntimeError(f"conv_transpose2d: expected a 3-D or 4-D input and a 4-D weight, got shapes "
                           f"{input.shape} and {weight.shape}")
    stride, dilation = _pair(stride, "stride", 1), _pair(dilation, "dilation", 1)
    (ph, pw), (oh, ow) = _pair(padding, "padding"), _pair(output_padding, "output_padding")
    if not (oh < max(stride[0], dilation[0]) and ow < max(stride[1], dilation[1])):
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                           f"output_padding {(oh, ow)}, stride {stride}, dilation {dilation}")
    if not isinstance(groups, (int, np.integer)) or groups < 1 or weight.shape[0] % groups:
        raise RuntimeError(f"groups={groups} must be positive and divide the weight's first dimension {weight.shape}")
    if input.shape[1] != weight.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected input"
                           f"{list(input.shape)} to have {weight.shape[0]} channels, but got {input.shape[1]} "
                           "channels instead")
    if bias is not None and bias.shape != (weight.shape[1] * groups,):
        raise RuntimeError(f"conv_transpose2d: bias of shape {bias.shape}, expected ({weight.shape[1] * groups},)")
    _check_same_dtype(input, weight, bias)
    kernel = weight.shape[2:]
    output_hw = tuple((input.shape[2 + a] - 1) * stride[a] - 2 * (ph, pw)[a] + dilation[a] * (kernel[a] - 1)
                      + (oh, ow)[a] + 1 for a in (0, 1))
    if min(output_hw) < 1:
        raise RuntimeError(f"conv_transpose2d: the output size {output_hw} is too small")
    # the convolution whose input gradient this is: its bottom/right padding gives up output_padding
    geometry = _Geometry(kernel, stride, (ph, ph - oh, pw, pw - ow), dilation, int(groups))
    arguments = (input, weight) if bias is None else (input, weight, bias)
    return _ConvTranspose2d.apply(*arguments, geometry=geometry, output_hw=output_hw)


def _fold_geometry(kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> _Geometry:
    kernel, dilation = _pair(kernel_size, "kernel_size", 1), _pair(dilation, "dilation", 1)
    (ph, pw), stride = _pair(padding, "padding"), _pair(stride, "stride", 1)
    return _Geometry(kernel, stride, (ph, ph, pw, pw), dilation, 1)


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Sliding blocks as columns (im2col): (N, C, H, W) -> (N, C·kh·kw, L).

    >>> F.unfold(thw.randn(2, 3, 8, 8), 3).shape
    (2, 27, 36)
    """
    if input.ndim == 3:
        return unfold(input.unsqueeze(0), kernel_size, dilation, padding, stride).squeeze(0)
    if input.ndim != 4:
        raise RuntimeError(f"unfold: expected a 3-D or 4-D input, got shape {input.shape}")
    geometry = _fold_geometry(kernel_size, dilation, padding, stride)
    for axis in (0, 1):
        _output_size(input.shape[2 + axis], geometry.kernel[axis], geometry.stride[axis],
                     2 * geometry.pads[2 * axis], "unfold", geometry.dilation[axis])
    return _Unfold.apply(input, geometry=geometry)


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """Columns back into an image, overlapping values summed (col2im): (N, C·kh·kw, L) -> (N, C, H, W).

    >>> F.fold(F.unfold(thw.ones(1, 1, 4, 4), 2), (4, 4), 2)[0, 0, 1].tolist()   # counts
    [2.0, 4.0, 4.0, 2.0]
    """
    if input.ndim == 2:
        return fold(input.unsqueeze(0), output_size, kernel_size, dilation, padding, stride).squeeze(0)
    if input.ndim != 3:
        raise RuntimeError(f"fold: expected a 2-D or 3-D input, got shape {input.shape}")
    geometry, output_hw = _fold_geometry(kernel_size, dilation, padding, stride), _pair(output_size, "output_size")
    blocks = math.prod(_output_size(output_hw[a], geometry.kernel[a], geometry.stride[a], 2 * geometry.pads[2 * a],
                                    "fold", geometry.dilation[a]) for a in (0, 1))
    if input.shape[1] % math.prod(geometry.kernel):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of "
                           f"kernel_size, but got input.size(1)={input.shape[1]} and kernel_size={geometry.kernel}.")
    if input.shape[2] != blocks:
        raise RuntimeError(f"fold: expected input's dimension 2 to match the calculated number of sliding "
                           f"blocks {blocks}, but got input.size(2)={input.shape[2]}")
    return _Fold.apply(input, geometry=geometry, output_hw=output_hw)


# ---------------------------------------------------------------------- modules
_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """What Conv1d and Conv2d share: arguments, parameters and repr."""

    dims = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros"):
        super().__init__()
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(f"in_channels ({in_channels}) and out_channels ({out_channels}) must "
                             f"be divisible by groups ({groups})")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {_PADDING_MODES}, but got padding_mode={padding_mode!r}")
        if padding_mode != "zeros":
            raise NotImplementedError(f"padding_mode={padding_mode!r}: only 'zeros' is implemented")
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(f"Invalid padding string {padding!r}, should be one of ('valid', 'same')")
        n = self.dims
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = _ntuple(kernel_size, n, "kernel_size", 1)
        self.stride, self.dilation = _ntuple(stride, n, "stride", 1), _ntuple(dilation, n, "dilation", 1)
        if padding == "same" and any(s != 1 for s in self.stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
        self.padding = padding if isinstance(padding, str) else _ntuple(padding, n, "padding")
        self.padding_mode = padding_mode
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, get_default_dtype()))
        self.bias = Parameter(np.empty(out_channels, get_default_dtype())) if bias else None
        reset_parameters_like_pytorch(self.weight, self.bias)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0,) * self.dims:
            text += f", padding={self.padding if not isinstance(self.padding, str) else repr(self.padding)}"
        if self.dilation != (1,) * self.dims:
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + ("" if self.bias is not None else ", bias=False")


class Conv2d(_ConvNd):
    """2-D convolution on NCHW with weight (out_channels, in_channels/groups, kh, kw).

    >>> nn.Conv2d(1, 16, 5, padding=2)(thw.randn(8, 1, 28, 28)).shape
    (8, 16, 28, 28)
    """

    def forward(self, x: Tensor) -> Tensor:
        return conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Conv1d(_ConvNd):
    """1-D convolution on (N, C, L) with weight (out_channels, in_channels/groups, k).

    >>> nn.Conv1d(2, 8, 3, padding=1)(thw.randn(4, 2, 50)).shape
    (4, 8, 50)
    """

    dims = 1

    def forward(self, x: Tensor) -> Tensor:
        return conv1d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ConvTranspose2d(Module):
    """Transposed 2-D convolution on NCHW with weight (in_channels, out_channels/groups, kh, kw).

    >>> nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1)(thw.randn(1, 8, 7, 7)).shape
    (1, 4, 14, 14)
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros"):
        super().__init__()
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(f"in_channels ({in_channels}) and out_channels ({out_channels}) must "
                             f"be divisible by groups ({groups})")
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for ConvTranspose2d, got {padding_mode!r}')
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = _pair(kernel_size, "kernel_size", 1)
        self.stride, self.padding = _pair(stride, "stride", 1), _pair(padding, "padding")
        self.output_padding, self.dilation = _pair(output_padding, "output_padding"), _pair(dilation, "dilation", 1)
        self.weight = Parameter(np.empty((in_channels, out_channels // groups, *self.kernel_size),
                                         get_default_dtype()))
        self.bias = Parameter(np.empty(out_channels, get_default_dtype())) if bias else None
        reset_parameters_like_pytorch(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding,
                                self.groups, self.dilation)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        for name, default in (("padding", (0, 0)), ("output_padding", (0, 0)), ("dilation", (1, 1))):
            if getattr(self, name) != default:
                text += f", {name}={getattr(self, name)}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + ("" if self.bias is not None else ", bias=False")


class Unfold(Module):
    """>>> nn.Unfold(3, padding=1)(thw.randn(2, 3, 8, 8)).shape
    (2, 27, 64)"""

    def __init__(self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1):
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, x: Tensor) -> Tensor:
        return unfold(x, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, stride={self.stride}"


class Fold(Module):
    """>>> nn.Fold((4, 5), 2)(thw.randn(1, 12, 12)).shape
    (1, 3, 4, 5)"""

    def __init__(self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, x: Tensor) -> Tensor:
        return fold(x, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
