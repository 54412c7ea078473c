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


def _add_windows_back(window_grads: np.ndarray, padded_shape: tuple, stride: tuple[int, int],
                      padding: tuple[int, int]) -> np.ndarray:
    """Inverse of `_windows`: sum gradients of shape (N, C, OH, OW, kh, kw) into the image."""
    n, c, out_h, out_w, kh, kw = window_grads.shape
    sh, sw = stride
    grad = np.zeros(padded_shape, dtype=window_grads.dtype)
    for i in range(kh):      # kh·kw slice additions, each over all samples and channels
        for j in range(kw):
            grad[:, :, i:i + sh * out_h:sh, j:j + sw * out_w:sw] += window_grads[:, :, :, :, i, j]
    ph, pw = padding
    return grad[:, :, ph:padded_shape[2] - ph, pw:padded_shape[3] - pw]


class _Conv2d(Function):
    """y = W ⋆ x + b;  dW = gᵀ·cols,  dx = col2im(g·W),  db = Σ g"""

    @staticmethod
    def forward(ctx, x, weight, bias=None, stride=(1, 1), padding=(0, 0)):
        out_channels, _, kh, kw = weight.shape
        padded = _pad(x, padding)
        windows = _windows(padded, (kh, kw), stride)           # (N, C, OH, OW, kh, kw)
        n, c, out_h, out_w = windows.shape[:4]
        cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * out_h * out_w, c * kh * kw)
        out = cols @ weight.reshape(out_channels, -1).T         # (N·OH·OW, O)
        if bias is not None:
            out += bias
        ctx.save_for_backward(cols, weight)
        ctx.geometry = (padded.shape, n, c, out_h, out_w)
        return out.reshape(n, out_h, out_w, out_channels).transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx, grad_output):
        cols, weight = ctx.saved_tensors
        padded_shape, n, c, out_h, out_w = ctx.geometry
        out_channels, _, kh, kw = weight.shape
        rows = grad_output.transpose(0, 2, 3, 1).reshape(-1, out_channels)   # (N·OH·OW, O)
        need_x, need_weight, *need_bias = ctx.needs_input_grad
        grad_weight = (rows.T @ cols).reshape(weight.shape) if need_weight else None
        grad_bias = rows.sum(axis=0) if need_bias and need_bias[0] else None
        grad_x = None
        if need_x:
            col_grads = (rows @ weight.reshape(out_channels, -1)).reshape(n, out_h, out_w, c, kh, kw)
            grad_x = _add_windows_back(col_grads.transpose(0, 3, 1, 2, 4, 5), padded_shape,
                                       ctx.forward_kwargs.get("stride", (1, 1)),
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
    """dy/dx = 1 at each window's arg-max (the first one on ties, as PyTorch), 0 elsewhere"""

    @staticmethod
    def forward(ctx, x, kernel_size, stride, padding):
        padded = _pad(x, padding, -np.inf)
        windows = _windows(padded, kernel_size, stride)
        flat = windows.reshape(windows.shape[:4] + (-1,))
        index = flat.argmax(axis=-1)[..., None]
        ctx.save_for_backward(index)
        ctx.geometry = (padded.shape, windows.shape)
        return np.take_along_axis(flat, index, axis=-1)[..., 0]

    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        padded_shape, window_shape = ctx.geometry
        window_grads = np.zeros(window_shape[:4] + (window_shape[4] * window_shape[5],), grad_output.dtype)
        np.put_along_axis(window_grads, index, grad_output[..., None], axis=-1)
        return _add_windows_back(window_grads.reshape(window_shape), padded_shape,
                                 ctx.forward_kwargs["stride"], ctx.forward_kwargs["padding"])


class _AvgPool2d(Function):
    """dy/dx = 1/(kh·kw) for every element of each window (padding counted, as PyTorch)"""

    @staticmethod
    def forward(ctx, x, kernel_size, stride, padding):
        padded = _pad(x, padding)
        windows = _windows(padded, kernel_size, stride)
        ctx.geometry = (padded.shape, windows.shape)
        return windows.mean(axis=(-2, -1))

    @staticmethod
    def backward(ctx, grad_output):
        padded_shape, window_shape = ctx.geometry
        kh, kw = window_shape[4:]
        window_grads = np.broadcast_to((grad_output / (kh * kw))[..., None, None], window_shape)
        return _add_windows_back(window_grads, padded_shape, ctx.forward_kwargs["stride"],
                                 ctx.forward_kwargs["padding"])


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
