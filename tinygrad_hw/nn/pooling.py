"""Pooling on NCHW arrays: max and average over windows, as `Function`s, `F.*_pool2d` and modules."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor
from .convolution import _check_nchw, _crop, _offsets, _output_size, _pad, _pair
from .module import Module


class _MaxPool2d(Function):
    """dy/dx = 1 at each window's arg-max (the first one in scan order on ties, as PyTorch), else 0

    The max is taken offset by offset over kh·kw strided views, with no window copies; the
    backward gives each output's gradient to the first offset that equals the max.
    """

    @staticmethod
    def forward(ctx, x, kernel_size, stride, padding):
        ctx.kernel_size, ctx.stride, ctx.padding = kernel_size, stride, padding
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
        kernel, stride = ctx.kernel_size, ctx.stride
        grad = np.zeros(padded.shape, dtype=grad_output.dtype)
        unclaimed = np.ones(out.shape, dtype=bool)
        for _, _, index in _offsets(kernel, stride, *out.shape[2:]):
            winner = (padded[index] == out) & unclaimed
            grad[index] += np.where(winner, grad_output, 0)
            unclaimed &= ~winner
        return _crop(grad, ctx.padding)


class _AvgPool2d(Function):
    """dy/dx = 1/(kh·kw) for every element of each window (padding counted, as PyTorch)"""

    @staticmethod
    def forward(ctx, x, kernel_size, stride, padding):
        ctx.kernel_size, ctx.stride, ctx.padding = kernel_size, stride, padding
        padded = _pad(x, padding)
        out_h, out_w = _pooled_size(padded.shape, kernel_size, stride)
        ctx.padded_shape = padded.shape
        total = sum(padded[index] for _, _, index in _offsets(kernel_size, stride, out_h, out_w))
        return total / (kernel_size[0] * kernel_size[1])

    @staticmethod
    def backward(ctx, grad_output):
        kernel, stride = ctx.kernel_size, ctx.stride
        share = grad_output / (kernel[0] * kernel[1])
        grad = np.zeros(ctx.padded_shape, dtype=grad_output.dtype)
        for _, _, index in _offsets(kernel, stride, *grad_output.shape[2:]):
            grad[index] += share
        return _crop(grad, ctx.padding)


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


class MaxPool2d(Module):
    """>>> nn.MaxPool2d(2)(thw.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)"""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride or kernel_size, padding

    def forward(self, x: Tensor) -> Tensor:
        return max_pool2d(x, self.kernel_size, self.stride, self.padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(MaxPool2d):
    """>>> nn.AvgPool2d(2)(thw.ones(1, 1, 4, 4)).shape
    (1, 1, 2, 2)"""

    def forward(self, x: Tensor) -> Tensor:
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)
