"""Normalization layers: batch norm (fused training `Function`), layer norm (fused), group norm.

`F.batch_norm`, `F.layer_norm`, `F.group_norm` and `nn.BatchNorm1d/2d/3d`, `nn.LayerNorm`,
`nn.GroupNorm` with PyTorch's options and state-dict names.
"""

from __future__ import annotations

import numpy as np

from typing import Any, Sequence

from ..autograd.function import Function
from ..autograd.grad_mode import no_grad
from ..tensor import Tensor, get_default_dtype
from .convolution import channel_sums
from .module import Module, Parameter


def _channel_sum(x: np.ndarray, axes: tuple) -> np.ndarray:
    """Σ over every axis but the channels (axis 1), keepdims. When the channels are the innermost
    axis in memory (a convolution's channels-last output, or (N, C)), a product with a ones
    vector: NumPy's reduction over a short innermost axis is several times slower."""
    channels_last = np.moveaxis(x, 1, -1)
    if channels_last.flags.c_contiguous:
        return channel_sums(channels_last).reshape((1, -1) + (1,) * (x.ndim - 2))
    return x.sum(axis=axes, keepdims=True)


class _BatchNormTrain(Function):
    """y = w·x̂ + b with x̂ = (x - μ)/σ over the batch;
    dx = w/σ·(g - Σg/n - x̂·Σ(g·x̂)/n),  dw = Σ g·x̂,  db = Σ g

    Also returns the batch's μ and biased σ² (not differentiable), for the running statistics.
    """

    @staticmethod
    def forward(ctx, x, weight, bias, axes, eps):
        ctx.axes = axes
        count = x.size // x.shape[1]
        mean = _channel_sum(x, axes) / count
        normalized = x - mean
        square = normalized * normalized
        var = _channel_sum(square, axes) / count
        inv_std = 1 / np.sqrt(var + eps)
        normalized *= inv_std
        shape = mean.shape
        ctx.save_for_backward(normalized, inv_std, weight.reshape(shape))
        out = np.multiply(normalized, weight.reshape(shape), out=square)
        out += bias.reshape(shape)
        ctx.mark_non_differentiable(mean, var)
        return out, mean, var

    @staticmethod
    def backward(ctx, grad_output, grad_mean, grad_var):
        normalized, inv_std, weight = ctx.saved_tensors
        axes = ctx.axes
        count = normalized.size // normalized.shape[1]
        grad_bias = _channel_sum(grad_output, axes)
        grad_x = normalized * grad_output
        grad_weight = _channel_sum(grad_x, axes)
        np.multiply(normalized, grad_weight / count, out=grad_x)
        np.subtract(grad_output, grad_x, out=grad_x)
        grad_x -= grad_bias / count
        grad_x *= weight * inv_std
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
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
        out, mean, var = _BatchNormTrain.apply(input, weight, bias, axes=axes, eps=eps)
        if running_mean is not None:
            running_mean._data[...] = (1 - momentum) * running_mean._data + momentum * mean._data.reshape(-1)
            running_var._data[...] = ((1 - momentum) * running_var._data
                                      + momentum * (count / (count - 1)) * var._data.reshape(-1))
            running_mean._version[0] += 1
            running_var._version[0] += 1
        return out
    if running_mean is None or running_var is None:
        raise ValueError("batch_norm in eval mode needs running_mean and running_var")
    inv_std = 1 / np.sqrt(running_var._data.reshape(shape) + eps)
    return (input - running_mean._data.reshape(shape)) * inv_std * weight.reshape(*shape) + bias.reshape(*shape)


class _BatchNorm(Module):
    """`momentum=None` averages all batches seen (cumulative), as PyTorch; without
    `track_running_stats` batch statistics are used in eval too; `affine=False` has no weight."""

    expected_dims: tuple = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None, bias: bool = True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = dtype or get_default_dtype()
        self.register_parameter("weight", Parameter(np.ones(num_features, dtype)) if affine else None)
        self.register_parameter("bias", Parameter(np.zeros(num_features, dtype)) if affine and bias else None)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean._data[...] = 0
            self.running_var._data[...] = 1
            self.num_batches_tracked._data[...] = 0

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.affine:
            self.weight._data[...] = 1
            if self.bias is not None:
                self.bias._data[...] = 0

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim not in self.expected_dims:
            raise ValueError(f"expected {' or '.join(f'{d}D' for d in self.expected_dims)} input (got {x.ndim}D input)")
        if x.shape[1] != self.num_features:
            raise RuntimeError(f"running_mean should contain {x.shape[1]} elements not {self.num_features}")
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            with no_grad():
                self.num_batches_tracked._data[...] += 1
            if self.momentum is None:  # cumulative moving average
                momentum = 1.0 / int(self.num_batches_tracked._data)
        use_batch = self.training or self.running_mean is None
        stats = (self.running_mean, self.running_var)
        if self.training and not self.track_running_stats:
            stats = (None, None)
        return batch_norm(x, *stats, self.weight, self.bias, use_batch, momentum, self.eps)

    def _load_missing_ok(self) -> tuple:
        return ("num_batches_tracked",)  # checkpoints from before the buffer existed (as PyTorch)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch norm over (N, C) or (N, C, L).

    >>> nn.BatchNorm1d(32)(thw.randn(16, 32)).shape
    (16, 32)
    """

    expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm over each channel of (N, C, H, W).

    >>> nn.BatchNorm2d(16)(thw.randn(8, 16, 5, 5)).shape
    (8, 16, 5, 5)
    """

    expected_dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch norm over each channel of (N, C, D, H, W).  >>> nn.BatchNorm3d(4)(x)"""

    expected_dims = (5,)


class _LayerNorm(Function):
    """y = w·x̂ + b with x̂ = (x - μ)/σ over the last dims;
    dx = (ĝ - mean(ĝ) - x̂·mean(ĝ·x̂))/σ with ĝ = g·w,  dw = Σ g·x̂,  db = Σ g"""

    @staticmethod
    def forward(ctx, x, weight, bias, count, eps):
        axes = tuple(range(x.ndim - count, x.ndim))
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        inv_std = 1 / np.sqrt((centered * centered).mean(axis=axes, keepdims=True) + eps)
        normalized = centered * inv_std
        ctx.save_for_backward(normalized, inv_std, weight)
        ctx.axes, ctx.has_bias = axes, bias is not None
        out = normalized * weight if weight is not None else normalized
        return out + bias if bias is not None else out

    @staticmethod
    def backward(ctx, grad_output):
        normalized, inv_std, weight = ctx.saved_tensors
        axes = ctx.axes
        batch_axes = tuple(range(grad_output.ndim - len(axes)))
        grad_normalized = grad_output * weight if weight is not None else grad_output
        grad_x = inv_std * (grad_normalized - grad_normalized.mean(axis=axes, keepdims=True)
                            - normalized * (grad_normalized * normalized).mean(axis=axes, keepdims=True))
        grad_weight = (grad_output * normalized).sum(axis=batch_axes) if weight is not None else None
        grad_bias = grad_output.sum(axis=batch_axes) if ctx.has_bias else None
        return grad_x, grad_weight, grad_bias


def _shape_tuple(shape: int | Sequence[int]) -> tuple:
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)


def layer_norm(input: Tensor, normalized_shape: int | Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalize over the last `len(normalized_shape)` dims, then scale and shift (fused).

    >>> F.layer_norm(thw.randn(2, 5, 8), (8,)).mean(-1)   # ≈ 0
    """
    shape = _shape_tuple(normalized_shape)
    if input.shape[input.ndim - len(shape):] != shape or len(shape) > input.ndim:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size{list(input.shape)}")
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None and tensor.shape != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                               f"shape {list(tensor.shape)} and normalized_shape = {list(shape)}")
    return _LayerNorm.apply(input, weight, bias, count=len(shape), eps=eps)


class LayerNorm(Module):
    """Layer norm over the trailing `normalized_shape` with a learned scale and shift.

    >>> nn.LayerNorm(64)(thw.randn(16, 32, 64)).shape
    (16, 32, 64)
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, device: Any = None, dtype: Any = None):
        super().__init__()
        self.normalized_shape, self.eps = _shape_tuple(normalized_shape), eps
        self.elementwise_affine = elementwise_affine
        dtype = dtype or get_default_dtype()
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype))
            self.register_parameter("bias", Parameter(np.zeros(self.normalized_shape, dtype)) if bias else None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalize each group of channels of (N, C, *) per sample, then scale/shift per channel.

    >>> F.group_norm(thw.randn(2, 6, 4, 4), 3).shape
    (2, 6, 4, 4)
    """
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    channels = input.shape[1]
    if channels % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input "
                           f"of shape {list(input.shape)} and num_groups={num_groups}")
    for tensor in (weight, bias):
        if tensor is not None and tensor.shape != (channels,):
            raise RuntimeError("Expected weight to be a vector of size equal to the number of channels in input, "
                               f"but got weight of shape {list(tensor.shape)} and input of shape {list(input.shape)}")
    grouped = input.reshape(input.shape[0], num_groups, -1)
    out = _LayerNorm.apply(grouped, None, None, count=1, eps=eps).reshape(*input.shape)
    channel_shape = (channels,) + (1,) * (input.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(*channel_shape)
    return out + bias.reshape(*channel_shape) if bias is not None else out


class GroupNorm(Module):
    """Group norm: channels split into `num_groups`, each normalized per sample.

    >>> nn.GroupNorm(2, 8)(thw.randn(4, 8, 5, 5)).shape
    (4, 8, 5, 5)
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: Any = None, dtype: Any = None, bias: bool = True):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        dtype = dtype or get_default_dtype()
        self.register_parameter("weight", Parameter(np.ones(num_channels, dtype)) if affine else None)
        self.register_parameter("bias", Parameter(np.zeros(num_channels, dtype)) if affine and bias else None)

    def forward(self, input: Tensor) -> Tensor:
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")
