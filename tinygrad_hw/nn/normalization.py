"""Batch normalization: the fused training `Function`, `F.batch_norm` and `nn.BatchNorm1d/2d`."""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, get_default_dtype
from .module import Module, Parameter


class _BatchNormTrain(Function):
    """y = w·x̂ + b with x̂ = (x - μ)/σ over the batch;
    dx = w/(nσ)·(n·g - Σg - x̂·Σ(g·x̂)),  dw = Σ g·x̂,  db = Σ g"""

    @staticmethod
    def forward(ctx, x, weight, bias, axes, eps):
        ctx.axes = axes
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
        axes = ctx.axes
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


class _BatchNorm(Module):
    expected_dims: tuple = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True,
                 track_running_stats: bool = True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        dtype = get_default_dtype()
        self.weight = Parameter(np.ones(num_features, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dtype)))
        else:
            self.running_mean = self.running_var = None

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim not in self.expected_dims or x.shape[1] != self.num_features:
            raise ValueError(f"{type(self).__name__}({self.num_features}) expects input with "
                             f"{self.expected_dims} dims and {self.num_features} channels, got {x.shape}")
        use_batch = self.training or self.running_mean is None
        return batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            use_batch, self.momentum, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


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
