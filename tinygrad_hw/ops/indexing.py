"""Indexing: `t[index]` with basic and advanced indices; the gradient is scattered back."""

from __future__ import annotations


import numpy as np

from ..autograd.function import Function


def _is_basic_index(index):
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, slice, type(None), type(Ellipsis))) for i in items)


class Index(Function):
    """the gradient is scattered back to the picked positions, repeated ones summed"""

    @staticmethod
    def forward(ctx, a, index):
        ctx.input_shape, ctx.index = a.shape, index
        return a[index]

    @staticmethod
    def backward(ctx, grad_output):
        index = ctx.index
        grad = np.zeros(ctx.input_shape, dtype=grad_output.dtype)
        if _is_basic_index(index):
            grad[index] = grad_output  # a view: no position is picked twice
        else:
            np.add.at(grad, index, grad_output)
        return grad
