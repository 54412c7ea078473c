"""Elementwise math and activations: exp, log, sqrt, abs, tanh, sigmoid, relu, clamp, maximum, where."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..dtypes import result_type
from ..tensor import Tensor

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["where"]


class Exp(Function):
    """d eˣ/dx = eˣ"""

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out


class Log(Function):
    """d ln x/dx = 1/x"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / a


class Sqrt(Function):
    """d √x/dx = 1/(2√x)"""

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output / (2 * out)


class Abs(Function):
    """d|x|/dx = sign(x) (0 at 0, as PyTorch)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * np.sign(a)


class Tanh(Function):
    """d tanh x/dx = 1 - tanh²x"""

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (1 - out * out)


class Sigmoid(Function):
    """dσ/dx = σ(1-σ); computed from e^-|x| so that no exp overflows"""

    @staticmethod
    def forward(ctx, a):
        small = np.exp(-np.abs(a))
        out = np.where(a >= 0, 1 / (1 + small), small / (1 + small))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out * (1 - out)


class ReLU(Function):
    """d relu(x)/dx = 1 where x > 0, else 0"""

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (out > 0)


class LeakyReLU(Function):
    """d/dx = 1 where x > 0, else negative_slope"""

    @staticmethod
    def forward(ctx, a, negative_slope=0.01):
        ctx.save_for_backward(a > 0)
        ctx.negative_slope = negative_slope
        return np.where(a > 0, a, a * negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        (positive,) = ctx.saved_tensors
        return np.where(positive, grad_output, grad_output * ctx.negative_slope)


class Clamp(Function):
    """d clamp(x)/dx = 1 where low <= x <= high, else 0"""

    @staticmethod
    def forward(ctx, a, low=None, high=None):
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        ctx.save_for_backward(inside)
        return np.clip(a, low, high)

    @staticmethod
    def backward(ctx, grad_output):
        (inside,) = ctx.saved_tensors
        return grad_output * inside


class Maximum(Function):
    """d max(a,b)/da = 1 where a > b, ½ where a == b (as PyTorch)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        share_a = (a > b) + 0.5 * (a == b)
        return grad_output * share_a.astype(grad_output.dtype), grad_output * (1 - share_a).astype(grad_output.dtype)


class Minimum(Function):
    """d min(a,b)/da = 1 where a < b, ½ where a == b (as PyTorch)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        share_a = (a < b) + 0.5 * (a == b)
        return grad_output * share_a.astype(grad_output.dtype), grad_output * (1 - share_a).astype(grad_output.dtype)


class Where(Function):
    """d where(c, a, b)/da = c, /db = not c"""

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad_output):
        (condition,) = ctx.saved_tensors
        zero = np.zeros((), grad_output.dtype)
        return None, np.where(condition, grad_output, zero), np.where(condition, zero, grad_output)


def where(condition: Any, input: Any, other: Any) -> Tensor:
    """Pick from `input` where `condition` holds, else from `other`.

    >>> thw.where(x > 0, x, 0.1 * x)   # a leaky ReLU
    """
    condition = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    dtype = result_type(input, other)
    input, other = (value.astype(dtype) if isinstance(value, Tensor) and value.dtype != dtype
                    else value if isinstance(value, Tensor) else np.asarray(value, dtype=dtype)
                    for value in (input, other))
    return Where.apply(condition.astype(bool), input, other)
