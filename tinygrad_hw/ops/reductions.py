"""Reductions: sum, mean, max, logsumexp, softmax and log-softmax along dimensions."""

from __future__ import annotations


import numpy as np

from ..autograd.function import Function

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = []


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


def shifted_exp(a, dim):
    """(shift, a - shift, exp(a - shift), rest) along dim (keepdims), where shift is the max
    and Σ exp(a - shift) = 1 + rest.

    log Σ exp(a) = shift + log1p(rest) never overflows, and log softmax computed as
    (a - shift) - log1p(rest) keeps the tiny log of a probability within 1e-48 of 1
    instead of rounding it to 0: `rest` sums the terms other than the max's own 1.
    """
    shift = a.max(axis=dim, keepdims=True)
    if not np.isfinite(shift).all():  # rows of -inf (or inf): shift by 0 instead
        shift = np.where(np.isfinite(shift), shift, shift.dtype.type(0))
    shifted = a - shift
    exp = np.exp(shifted)
    rest = exp.sum(axis=dim, keepdims=True) - 1
    if (rest < 1e-3).any():  # 1 + rest has rounded rest away: sum the rest on its own
        at_max = shifted == 0
        # Every max term is exactly 1; all but one of them belong to the rest.
        extra_ones = (at_max.sum(axis=dim, keepdims=True) - 1).astype(exp.dtype)
        rest = np.where(at_max, 0, exp).sum(axis=dim, keepdims=True) + extra_ones
    return shift, shifted, exp, rest


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
