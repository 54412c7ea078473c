"""Convolution on NCHW arrays, vectorized with im2col: the `Function`, `F.conv2d` and `nn.Conv2d`.

Forward: the padded input is viewed as sliding windows (`sliding_window_view`, no copy), the
windows are laid out as rows of one matrix (one copy), and one matrix product does all
samples, positions and channels. Backward: the same matrix product transposed, then the
window gradients are added back into the image with kh·kw vectorized slice additions
(`_add_windows_back`); there is no Python loop over samples, channels or pixels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..autograd.function import Function
from ..tensor import Tensor, get_default_dtype
from .init import reset_parameters_like_pytorch
from .module import Module, Parameter


def _pair(value: Any, name: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or any(not isinstance(v, (int, np.integer)) or v < 0 for v in pair):
        raise ValueError(f"{name} must be an int or a pair of non-negative ints, got {value!r}")
    return int(pair[0]), int(pair[1])


def _output_size(size: int, kernel: int, stride: int, padding: int, what: str) -> int:
    out = (size + 2 * padding - kernel) // stride + 1
    if out < 1:
        raise ValueError(f"{what}: kernel {kernel} with padding {padding} does not fit an input of size {size}")
    return out


def _pad(x: np.ndarray, padding: tuple[int, int], value: float = 0.0) -> np.ndarray:
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    padded = np.full(x.shape[:2] + (x.shape[2] + 2 * ph, x.shape[3] + 2 * pw), value, dtype=x.dtype)
    padded[:, :, ph:ph + x.shape[2], pw:pw + x.shape[3]] = x
    return padded


def _windows(padded: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """View of shape (N, C, OH, OW, kh, kw): every window, without copying."""
    view = sliding_window_view(padded, kernel, axis=(2, 3))
    return view[:, :, ::stride[0], ::stride[1]]


def _offsets(kernel: tuple[int, int], stride: tuple[int, int], out_h: int, out_w: int):
    """For each kernel offset (i, j), the index that picks that element of every window:
    padded[index] has shape (N, C, OH, OW). Loops run over the kh·kw offsets only."""
    sh, sw = stride
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            yield i, j, (slice(None), slice(None), slice(i, i + sh * out_h, sh), slice(j, j + sw * out_w, sw))


def _add_windows_back(window_grads: np.ndarray, padded_shape: tuple, stride: tuple[int, int],
                      padding: tuple[int, int]) -> np.ndarray:
    """Inverse of `_windows`: sum window gradients into the image (N, C, H, W).

    `window_grads` has shape (kh, kw, N, C, OH, OW) (any strides): one slice per kernel
    offset, each added with one vectorized slice addition over all samples and channels.
    """
    kh, kw, _, _, out_h, out_w = window_grads.shape
    grad = np.zeros(padded_shape, dtype=window_grads.dtype)
    for i, j, index in _offsets((kh, kw), stride, out_h, out_w):
        grad[index] += window_grads[i, j]
    return _crop(grad, padding)


def _crop(padded: np.ndarray, padding: tuple[int, int]) -> np.ndarray:
    ph, pw = padding
    return padded[:, :, ph:padded.shape[2] - ph, pw:padded.shape[3] - pw]


class _Conv2d(Function):
    """y = W ⋆ x + b;  dW = g·colsᵀ,  dx = col2im(Wᵀ·g),  db = Σ g

    The im2col matrix is laid out (C·kh·kw, N·OH·OW): its rows are read from the image with
    unit stride, and Wᵀ·g comes out with one contiguous (C, N, OH, OW) block per kernel offset,
    so the backward's slice additions run over contiguous memory.
    """

    @staticmethod
    def forward(ctx, x, weight, bias=None, stride=(1, 1), padding=(0, 0)):
        out_channels, channels, kh, kw = weight.shape
        padded = _pad(x, padding)
        windows = _windows(padded, (kh, kw), stride)            # (N, C, OH, OW, kh, kw) view
        n, _, out_h, out_w = windows.shape[:4]
        cols = windows.transpose(1, 4, 5, 0, 2, 3).reshape(channels * kh * kw, n * out_h * out_w)
        out = weight.reshape(out_channels, -1) @ cols            # (O, N·OH·OW)
        if bias is not None:
            out += bias[:, None]
        ctx.save_for_backward(cols, weight)
        ctx.geometry = (padded.shape, n, out_h, out_w)
        ctx.stride, ctx.padding = stride, padding
        return np.ascontiguousarray(out.reshape(out_channels, n, out_h, out_w).transpose(1, 0, 2, 3))

    @staticmethod
    def backward(ctx, grad_output):
        cols, weight = ctx.saved_tensors
        padded_shape, n, out_h, out_w = ctx.geometry
        out_channels, channels, kh, kw = weight.shape
        rows = grad_output.transpose(1, 0, 2, 3).reshape(out_channels, -1)   # (O, N·OH·OW)
        need_x, need_weight, *need_bias = ctx.needs_input_grad
        grad_weight = (rows @ cols.T).reshape(weight.shape) if need_weight else None
        grad_bias = rows.sum(axis=1) if need_bias and need_bias[0] else None
        grad_x = None
        if need_x:
            col_grads = weight.reshape(out_channels, -1).T @ rows               # (C·kh·kw, N·OH·OW)
            window_grads = col_grads.reshape(channels, kh, kw, n, out_h, out_w).transpose(1, 2, 3, 0, 4, 5)
            grad_x = _add_windows_back(window_grads, padded_shape, ctx.stride,
                                       ctx.padding)
        return grad_x, grad_weight, grad_bias


def _check_nchw(input: Tensor, what: str) -> None:
    if input.ndim != 4:
        raise ValueError(f"{what} expects a 4-D input (N, C, H, W), got shape {input.shape}")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0) -> Tensor:
    """2-D convolution (cross-correlation, as PyTorch) on NCHW with weight (out, in, kh, kw).

    >>> F.conv2d(thw.randn(16, 1, 28, 28), thw.randn(16, 1, 5, 5), padding=2).shape
    (16, 16, 28, 28)
    """
    _check_nchw(input, "conv2d")
    if weight.ndim != 4 or weight.shape[1] != input.shape[1]:
        raise ValueError(f"conv2d: input has {input.shape[1]} channels (shape {input.shape}) but the "
                         f"weight of shape {weight.shape} expects {weight.shape[1] if weight.ndim == 4 else '?'}")
    stride, padding = _pair(stride, "stride"), _pair(padding, "padding")
    if 0 in stride:
        raise ValueError("conv2d: stride must be positive")
    for axis in (0, 1):
        _output_size(input.shape[2 + axis], weight.shape[2 + axis], stride[axis], padding[axis], "conv2d")
    arguments = (input, weight) if bias is None else (input, weight, bias)
    return _Conv2d.apply(*arguments, stride=stride, padding=padding)


class Conv2d(Module):
    """2-D convolution on NCHW with weight (out_channels, in_channels, kh, kw).

    >>> nn.Conv2d(1, 16, 5, padding=2)(thw.randn(8, 1, 28, 28)).shape
    (8, 16, 28, 28)
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, bias: bool = True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride, self.padding = _pair(stride, "stride"), _pair(padding, "padding")
        self.weight = Parameter(np.empty((out_channels, in_channels, *self.kernel_size), get_default_dtype()))
        self.bias = Parameter(np.empty(out_channels, get_default_dtype())) if bias else None
        reset_parameters_like_pytorch(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return conv2d(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        return text + ("" if self.bias is not None else ", bias=False")
