"""Layers with learnable parameters or a mode: Linear, Conv2d, pooling, Dropout, BatchNorm."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..grad_mode import no_grad
from ..tensor import Tensor, get_default_dtype
from . import functional as F
from . import init
from .convolution import _pair
from .module import Module, Parameter


def _empty_parameter(*shape: int) -> Parameter:
    return Parameter(np.empty(shape, get_default_dtype()))


def _reset_like_pytorch(weight: Parameter, bias: Parameter | None) -> None:
    """PyTorch's default for Linear and Conv: kaiming_uniform_(a=√5), bias U(±1/√fan_in)."""
    with no_grad():
        init.kaiming_uniform_(weight, a=math.sqrt(5))
        if bias is not None:
            fan_in = weight.shape[1] * int(np.prod(weight.shape[2:]))
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(bias, -bound, bound)


class Linear(Module):
    """y = x Wᵀ + b with weight (out_features, in_features), PyTorch's default init.

    >>> nn.Linear(784, 10)(thw.randn(32, 784)).shape
    (32, 10)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        # Shape (out, in) as in PyTorch, stored column-major: x @ weightᵀ then reads a row-major
        # (in, out) matrix, which BLAS multiplies faster for the small widths of these models.
        self.weight = Parameter(np.empty((in_features, out_features), get_default_dtype()).T)
        self.bias = _empty_parameter(out_features) if bias else None
        _reset_like_pytorch(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


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
        self.weight = _empty_parameter(out_channels, in_channels, *self.kernel_size)
        self.bias = _empty_parameter(out_channels) if bias else None
        _reset_like_pytorch(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        return text + ("" if self.bias is not None else ", bias=False")


class MaxPool2d(Module):
    """>>> nn.MaxPool2d(2)(thw.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)"""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride or kernel_size, padding

    def forward(self, x: Tensor) -> Tensor:
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(MaxPool2d):
    """>>> nn.AvgPool2d(2)(thw.ones(1, 1, 4, 4)).shape
    (1, 1, 2, 2)"""

    def forward(self, x: Tensor) -> Tensor:
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding)


class Flatten(Module):
    """>>> nn.Flatten()(thw.zeros(8, 16, 7, 7)).shape
    (8, 784)"""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(Module):
    """Returns its input unchanged (a placeholder layer)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__()

    def forward(self, x: Tensor) -> Tensor:
        return x


class Dropout(Module):
    """Inverted dropout: zero with probability p and scale by 1/(1-p) in training; identity in eval.

    >>> layer = nn.Dropout(0.5); layer.eval(); layer(x) is x
    True
    """

    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"


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
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
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
