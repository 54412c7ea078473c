"""Convolution, pooling and batch norm on NCHW arrays, vectorized with im2col.

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

from ..function import Function
from ..tensor import Tensor


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
            grad_x = _add_windows_back(window_grads, padded_shape, ctx.forward_kwargs.get("stride", (1, 1)),
                                       ctx.forward_kwargs.get("padding", (0, 0)))
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


class _MaxPool2d(Function):
    """dy/dx = 1 at each window's arg-max (the first one in scan order on ties, as PyTorch), else 0

    The max is taken offset by offset over kh·kw strided views, with no window copies; the
    backward gives each output's gradient to the first offset that equals the max.
    """

    @staticmethod
    def forward(ctx, x, kernel_size, stride, padding):
        padded = _pad(x, padding, -np.inf)
        out_h, out_w = _pooled_size(padded.shape, kernel_size, stride)
        offsets = _offsets(kernel_size, stride, out_h, out_w)
        out = padded[next(offsets)[2]].copy()
        for _, _, index in offsets:
            np.maximum(out, padded[index], out=out)
        ctx.save_for_backward(padded, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        padded, out = ctx.saved_tensors
        kernel, stride = ctx.forward_kwargs["kernel_size"], ctx.forward_kwargs["stride"]
        grad = np.zeros(padded.shape, dtype=grad_output.dtype)
        unclaimed = np.ones(out.shape, dtype=bool)
        for _, _, index in _offsets(kernel, stride, *out.shape[2:]):
            winner = (padded[index] == out) & unclaimed
            grad[index] += np.where(winner, grad_output, 0)
            unclaimed &= ~winner
        return _crop(grad, ctx.forward_kwargs["padding"])


class _AvgPool2d(Function):
    """dy/dx = 1/(kh·kw) for every element of each window (padding counted, as PyTorch)"""

    @staticmethod
    def forward(ctx, x, kernel_size, stride, padding):
        padded = _pad(x, padding)
        out_h, out_w = _pooled_size(padded.shape, kernel_size, stride)
        ctx.padded_shape = padded.shape
        total = sum(padded[index] for _, _, index in _offsets(kernel_size, stride, out_h, out_w))
        return total / (kernel_size[0] * kernel_size[1])

    @staticmethod
    def backward(ctx, grad_output):
        kernel, stride = ctx.forward_kwargs["kernel_size"], ctx.forward_kwargs["stride"]
        share = grad_output / (kernel[0] * kernel[1])
        grad = np.zeros(ctx.padded_shape, dtype=grad_output.dtype)
        for _, _, index in _offsets(kernel, stride, *grad_output.shape[2:]):
            grad[index] += share
        return _crop(grad, ctx.forward_kwargs["padding"])


def _pooled_size(padded_shape: tuple, kernel: tuple[int, int], stride: tuple[int, int]) -> tuple[int, int]:
    return ((padded_shape[2] - kernel[0]) // stride[0] + 1, (padded_shape[3] - kernel[1]) // stride[1] + 1)


def _pool_arguments(input, kernel_size, stride, padding, what):
    _check_nchw(input, what)
    kernel = _pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else _pair(stride, "stride")
    padding = _pair(padding, "padding")
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"{what}: padding {padding} must be at most half the kernel {kernel}")
    for axis in (0, 1):
        _output_size(input.shape[2 + axis], kernel[axis], stride[axis], padding[axis], what)
    return kernel, stride, padding


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0) -> Tensor:
    """Maximum over each window (stride defaults to the kernel size).

    >>> F.max_pool2d(thw.randn(1, 1, 4, 4), 2).shape
    (1, 1, 2, 2)
    """
    kernel, stride, padding = _pool_arguments(input, kernel_size, stride, padding, "max_pool2d")
    return _MaxPool2d.apply(input, kernel_size=kernel, stride=stride, padding=padding)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0) -> Tensor:
    """Mean over each window (stride defaults to the kernel size).

    >>> F.avg_pool2d(thw.ones(1, 1, 4, 4), 2).tolist()
    [[[[1.0, 1.0], [1.0, 1.0]]]]
    """
    kernel, stride, padding = _pool_arguments(input, kernel_size, stride, padding, "avg_pool2d")
    return _AvgPool2d.apply(input, kernel_size=kernel, stride=stride, padding=padding)


class _BatchNormTrain(Function):
    """y = w·x̂ + b with x̂ = (x - μ)/σ over the batch;
    dx = w/(nσ)·(n·g - Σg - x̂·Σ(g·x̂)),  dw = Σ g·x̂,  db = Σ g"""

    @staticmethod
    def forward(ctx, x, weight, bias, axes, eps):
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        inv_std = 1 / np.sqrt(var + eps)
        normalized = centered * inv_std
        shape = mean.shape
        ctx.save_for_backward(normalized, inv_std, weight.reshape(shape))
        return normalized * weight.reshape(shape) + bias.reshape(shape)

    @staticmethod
    def backward(ctx, grad_output):
        normalized, inv_std, weight = ctx.saved_tensors
        axes = ctx.forward_kwargs["axes"]
        count = normalized.size // normalized.shape[1]
        grad_bias = grad_output.sum(axis=axes, keepdims=True)
        grad_weight = (grad_output * normalized).sum(axis=axes, keepdims=True)
        grad_x = weight * inv_std / count * (count * grad_output - grad_bias - normalized * grad_weight)
        return grad_x, grad_weight.reshape(-1), grad_bias.reshape(-1)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel of (N, C) or (N, C, H, W); batch statistics in training (and
    the running ones updated in place with the unbiased variance), running ones in eval.

    >>> F.batch_norm(x, running_mean, running_var, training=True)
    """
    if input.ndim not in (2, 3, 4):
        raise ValueError(f"batch_norm expects (N, C), (N, C, L) or (N, C, H, W), got shape {input.shape}")
    channels = input.shape[1]
    axes = (0,) + tuple(range(2, input.ndim))
    shape = (1, channels) + (1,) * (input.ndim - 2)
    weight = weight if weight is not None else Tensor._make(np.ones(channels, input.dtype), False, None)
    bias = bias if bias is not None else Tensor._make(np.zeros(channels, input.dtype), False, None)
    if training:
        count = input.numel() // channels
        if count < 2:
            raise ValueError(f"batch_norm in training needs more than one value per channel, got input {input.shape}")
        out = _BatchNormTrain.apply(input, weight, bias, axes=axes, eps=eps)
        if running_mean is not None:
            mean = input._data.mean(axis=axes)
            var = input._data.var(axis=axes) * (count / (count - 1))
            running_mean._data[...] = (1 - momentum) * running_mean._data + momentum * mean
            running_var._data[...] = (1 - momentum) * running_var._data + momentum * var
        return out
    if running_mean is None or running_var is None:
        raise ValueError("batch_norm in eval mode needs running_mean and running_var")
    inv_std = 1 / np.sqrt(running_var._data.reshape(shape) + eps)
    return (input - running_mean._data.reshape(shape)) * inv_std * weight.reshape(*shape) + bias.reshape(*shape)
