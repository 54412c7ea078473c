"""Reductions: sum, mean, max, logsumexp, softmax and log-softmax along dimensions."""

from __future__ import annotations

from typing import Any

import math

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor
from .arithmetic import _tensor, function_form, write_out

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["sum", "mean", "prod", "std", "var", "std_mean", "var_mean", "max", "min", "amax", "amin", "argmax",
           "argmin", "aminmax", "norm", "logsumexp", "softmax", "log_softmax", "any", "all", "count_nonzero",
           "nansum", "nanmean"]


def _expand_reduced(grad, shape, dim, keepdim):
    """Put back the reduced dimensions so `grad` broadcasts against the input."""
    if dim is not None and not keepdim:
        grad = np.expand_dims(grad, dim)
    return np.broadcast_to(grad, shape)


class Sum(Function):
    """d sum(x)/dx = 1 for every element"""

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        return a.sum(axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        return _expand_reduced(grad_output, ctx.input_shape, ctx.dim, ctx.keepdim)


class Mean(Function):
    """d mean(x)/dx = 1/n for every element"""

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        return a.mean(axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        dim = ctx.dim
        count = int(np.prod(ctx.input_shape)) if dim is None else int(np.prod([ctx.input_shape[d] for d in dim]))
        grad = _expand_reduced(grad_output, ctx.input_shape, dim, ctx.keepdim)
        return grad / count


class Max(Function):
    """d max(x)/dx = 1/k at each of the k elements equal to the max, 0 elsewhere"""

    pick = staticmethod(np.max)

    @classmethod
    def forward(cls, ctx, a):
        out = cls.pick(a)
        ctx.save_for_backward(a == out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (is_extreme,) = ctx.saved_tensors
        return is_extreme * (grad_output / np.count_nonzero(is_extreme)).astype(grad_output.dtype)


class Min(Max):
    """d min(x)/dx = 1/k at each of the k elements equal to the min, 0 elsewhere"""

    pick = staticmethod(np.min)


class MaxAlongDim(Function):
    """(values, indices) along dim; d values/dx = 1 at the arg-max (first on ties), 0 elsewhere"""

    pick_index = staticmethod(np.argmax)

    @classmethod
    def forward(cls, ctx, a, dim, keepdim=False):
        ctx.dim, ctx.keepdim, ctx.input_shape = dim, keepdim, a.shape
        index = np.expand_dims(cls.pick_index(a, axis=dim), dim)
        ctx.save_for_backward(index)
        values = np.take_along_axis(a, index, axis=dim)
        values, indices = (values, index) if keepdim else (np.squeeze(values, dim), np.squeeze(index, dim))
        ctx.mark_non_differentiable(indices)
        return values, indices

    @staticmethod
    def backward(ctx, grad_values, grad_indices):
        (index,) = ctx.saved_tensors
        if not ctx.keepdim:
            grad_values = np.expand_dims(grad_values, ctx.dim)
        grad = np.zeros(ctx.input_shape, dtype=grad_values.dtype)
        np.put_along_axis(grad, index, grad_values, axis=ctx.dim)
        return grad


class MinAlongDim(MaxAlongDim):
    """(values, indices) along dim; d values/dx = 1 at the arg-min (first on ties), 0 elsewhere"""

    pick_index = staticmethod(np.argmin)


def _sum_along(array: np.ndarray, dim: int) -> np.ndarray:
    """array.sum(axis=dim, keepdims=True); over the last axis of a matrix as a product with a
    ones vector, which BLAS does several times faster than NumPy's reduction of short rows."""
    if array.ndim == 2 and dim in (1, -1):
        return (array @ np.ones(array.shape[1], array.dtype))[:, None]
    return array.sum(axis=dim, keepdims=True)


def _max_along(array: np.ndarray, dim: int) -> np.ndarray:
    """array.max(axis=dim, keepdims=True); for short rows of a matrix (class scores), the max
    over the columns of a transposed copy, which NumPy does several times faster."""
    if array.ndim == 2 and dim in (1, -1) and array.shape[1] <= 32:
        return np.ascontiguousarray(array.T).max(axis=0)[:, None]
    return array.max(axis=dim, keepdims=True)


def shifted_exp(a, dim):
    """(shift, a - shift, exp(a - shift), rest) along dim (keepdims), where shift is the max
    and Σ exp(a - shift) = 1 + rest.

    log Σ exp(a) = shift + log1p(rest) never overflows, and log softmax computed as
    (a - shift) - log1p(rest) keeps the tiny log of a probability within 1e-48 of 1
    instead of rounding it to 0: `rest` sums the terms other than the max's own 1.
    """
    shift = _max_along(a, dim)
    if not math.isfinite(shift.sum()):  # rows of -inf (or inf): shift those by 0 instead
        shift = np.where(np.isfinite(shift), shift, shift.dtype.type(0))
    shifted = a - shift
    exp = np.exp(shifted)
    rest = _sum_along(exp, dim)
    rest -= 1
    if rest.min() < 1e-3:  # 1 + rest has rounded rest away: sum the rest on its own
        at_max = shifted == 0
        # Every max term is exactly 1; all but one of them belong to the rest.
        extra_ones = (at_max.sum(axis=dim, keepdims=True) - 1).astype(exp.dtype)
        rest = np.where(at_max, 0, exp).sum(axis=dim, keepdims=True) + extra_ones
    return shift, shifted, exp, rest


class Amax(Function):
    """d amax(x)/dx = 1/k at each of the k elements equal to the max along the reduced dims"""

    pick = staticmethod(np.max)

    @classmethod
    def forward(cls, ctx, a, dim=None, keepdim=False):
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        out = cls.pick(a, axis=dim, keepdims=True)
        is_extreme = a == out
        ctx.save_for_backward(is_extreme, is_extreme.sum(axis=dim, keepdims=True))
        return out if keepdim else out.reshape(()) if dim is None else np.squeeze(out, dim)

    @staticmethod
    def backward(ctx, grad_output):
        is_extreme, count = ctx.saved_tensors
        if not ctx.keepdim:
            grad_output = grad_output.reshape(count.shape)
        return is_extreme * (grad_output / count).astype(grad_output.dtype)


class Amin(Amax):
    """d amin(x)/dx = 1/k at each of the k elements equal to the min along the reduced dims"""

    pick = staticmethod(np.min)


class Prod(Function):
    """d prod(x)/dx_i = the product of the other elements (computed without dividing, so zeros work)"""

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        ctx.dim, ctx.keepdim, ctx.input_shape = dim, keepdim, a.shape
        ctx.save_for_backward(a)
        return np.prod(a, axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        dim = ctx.dim
        if a.size == 0:
            return np.zeros_like(a)
        if dim is None:
            return (grad_output * _product_of_others(a.reshape(-1), 0)).reshape(a.shape)
        if not ctx.keepdim:
            grad_output = np.expand_dims(grad_output, dim)
        return grad_output * _product_of_others(a, dim)


def _product_of_others(a, dim):
    """For each element, the product of the other elements along `dim`: the product of those
    before it times the product of those after it."""
    moved = np.moveaxis(a, dim, -1)
    ones = np.ones(moved.shape[:-1] + (1,), a.dtype)
    before = np.cumprod(np.concatenate([ones, moved[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, moved[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis(before * after, -1, dim)


class LinalgVectorNorm(Function):
    """d ‖x‖ₚ/dx = x·|x|^(p-2)/‖x‖ₚ^(p-1); p=2: x/‖x‖ (0 at 0); p=1: sign x; p=±inf: sign x split among ties"""

    @staticmethod
    def forward(ctx, a, p=2.0, dim=None, keepdim=False):
        ctx.p, ctx.dim, ctx.keepdim = p, dim, keepdim
        magnitude = np.abs(a)
        if p == np.inf or p == -np.inf:
            out = (np.max if p > 0 else np.min)(magnitude, axis=dim, keepdims=True)
        elif p == 0:
            out = (magnitude != 0).sum(axis=dim, keepdims=True).astype(a.dtype)
        elif p == 1:
            out = magnitude.sum(axis=dim, keepdims=True)
        elif p == 2:
            out = np.sqrt((a * a).sum(axis=dim, keepdims=True))
        else:
            out = (magnitude ** p).sum(axis=dim, keepdims=True) ** (1 / p)
        ctx.save_for_backward(a, out)
        return out if keepdim else (out.reshape(()) if dim is None else np.squeeze(out, dim))

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        p, dim = ctx.p, ctx.dim
        grad_output = grad_output.reshape(out.shape)
        if p == 0:
            return np.zeros_like(a)
        if p == 1:
            return grad_output * np.sign(a)
        if p == np.inf or p == -np.inf:
            is_extreme = np.abs(a) == out
            share = is_extreme / is_extreme.sum(axis=dim, keepdims=True)
            return grad_output * np.sign(a) * share.astype(a.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 2:
                grad = a * (grad_output / out)
            else:
                grad = a * np.abs(a) ** (p - 2) * (grad_output / out ** (p - 1))
        return np.where(out == 0, 0, grad) if p > 1 else grad


class LogSumExp(Function):
    """d lse(x)/dx = softmax(x)"""

    @staticmethod
    def forward(ctx, a, dim, keepdim=False):
        ctx.dim, ctx.keepdim = dim, keepdim
        shift, _, _, rest = shifted_exp(a, dim)
        out = shift + np.log1p(rest)
        ctx.save_for_backward(a, out)
        return out if keepdim else np.squeeze(out, dim)

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        dim = ctx.dim
        if not ctx.keepdim:
            grad_output = np.expand_dims(grad_output, dim)
        return grad_output * np.exp(a - out)


class Softmax(Function):
    """d softmax/dx · g = s ⊙ (g - Σ g⊙s)"""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        shifted = np.exp(a - a.max(axis=dim, keepdims=True))
        out = shifted / shifted.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        dim = ctx.dim
        return out * (grad_output - (grad_output * out).sum(axis=dim, keepdims=True))


class LogSoftmax(Function):
    """d log_softmax/dx · g = g - softmax(x)·Σg"""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        _, shifted, _, rest = shifted_exp(a, dim)
        out = shifted - np.log1p(rest)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        dim = ctx.dim
        return grad_output - np.exp(out) * grad_output.sum(axis=dim, keepdims=True)


sum = function_form("sum")
mean = function_form("mean")
prod = function_form("prod")


def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None,
        out: Any = None) -> Any:
    """The largest value; `max(x, dim)` gives (values, indices); `max(a, b)` the elementwise maximum.

    >>> thw.max(thw.tensor([[1.0, 5.0], [7.0, 2.0]]), 1).values.tolist()
    [5.0, 7.0]
    """
    return write_out(_tensor(input).max(other if other is not None else dim, keepdim), out)


def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None,
        out: Any = None) -> Any:
    """The smallest value; `min(x, dim)` gives (values, indices); `min(a, b)` the elementwise minimum.

    >>> thw.min(thw.tensor([3.0, 1.0]), thw.tensor([2.0, 2.0])).tolist()
    [2.0, 1.0]
    """
    return write_out(_tensor(input).min(other if other is not None else dim, keepdim), out)


amax = function_form("amax")
amin = function_form("amin")
aminmax = function_form("aminmax")
argmax = function_form("argmax")
argmin = function_form("argmin")
var = function_form("var")
std = function_form("std")
norm = function_form("norm")
logsumexp = function_form("logsumexp")
softmax = function_form("softmax")
log_softmax = function_form("log_softmax")
any = function_form("any")
all = function_form("all")
count_nonzero = function_form("count_nonzero")
nansum = function_form("nansum")
nanmean = function_form("nanmean")


def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: int | None = None) -> tuple:
    """(var, mean) over `dim`, with Bessel's correction by default as `var`.

    >>> thw.var_mean(thw.tensor([1.0, 2.0, 3.0]))
    (Tensor(1.), Tensor(2.))
    """
    input = _tensor(input)
    if input.dtype.kind != "f":
        raise RuntimeError("var_mean only support floating point and complex dtypes")
    return input.var(dim, unbiased, keepdim, correction=correction), input.mean(_plain_dim(dim), keepdim)


def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: int | None = None) -> tuple:
    """(std, mean) over `dim`, with Bessel's correction by default as `std`.

    >>> thw.std_mean(thw.tensor([1.0, 3.0]))[1].item()
    2.0
    """
    input = _tensor(input)
    if input.dtype.kind != "f":
        raise RuntimeError("std_mean only support floating point and complex dtypes")
    return input.std(dim, unbiased, keepdim, correction=correction), input.mean(_plain_dim(dim), keepdim)


def _plain_dim(dim: Any) -> Any:
    return None if isinstance(dim, bool) else dim  # var_mean(x, False): the old positional unbiased

