"""`nn.Linear` and `nn.Identity`."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, get_default_dtype
from . import functional as F
from .init import reset_parameters_like_pytorch
from .module import Module, Parameter


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
        self.bias = Parameter(np.empty(out_features, get_default_dtype())) if bias else None
        reset_parameters_like_pytorch(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Identity(Module):
    """Returns its input unchanged (a placeholder layer)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__()

    def forward(self, x: Tensor) -> Tensor:
        return x
