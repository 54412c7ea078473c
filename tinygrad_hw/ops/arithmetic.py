"""Arithmetic: + - * / ** @, negation and dtype casts, forward and backward side by side."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..dtypes import result_type
from ..tensor import Tensor

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["matmul"]


class Add(Function):
    """d(a+b)/da = 1, d(a+b)/db = 1"""

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, grad_output


class Sub(Function):
    """d(a-b)/da = 1, d(a-b)/db = -1"""

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, -grad_output if ctx.needs_input_grad[1] else None


class Neg(Function):
    """d(-a)/da = -1"""

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


class Mul(Function):
    """d(ab)/da = b, d(ab)/db = a"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad_output * b if need_a else None), (grad_output * a if need_b else None)


class Div(Function):
    """d(a/b)/da = 1/b, d(a/b)/db = -a/b²"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a / b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_output / b if need_a else None
        grad_b = -grad_output * a / (b * b) if need_b else None
        return grad_a, grad_b


class Pow(Function):
    """d(a^b)/da = b·a^(b-1) (0 where b = 0), d(a^b)/db = a^b·ln a (0 where a = 0 and b >= 0), as PyTorch"""

    @staticmethod
    def forward(ctx, base, exponent):
        out = np.power(base, exponent)
        ctx.save_for_backward(base, exponent, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        base, exponent, out = ctx.saved_tensors
        need_base, need_exponent = ctx.needs_input_grad
        grad_base = grad_exponent = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if need_base:
                grad_base = np.where(exponent == 0, 0, grad_output * exponent * np.power(base, exponent - 1))
            if need_exponent:
                grad_exponent = np.where((base == 0) & (exponent >= 0), 0, grad_output * out * np.log(base))
        return grad_base, grad_exponent


class MatMul(Function):
    """d(a@b)/da = g@bᵀ, d(a@b)/db = aᵀ@g (1-D operands promoted as in NumPy)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        grad = grad_output
        if b.ndim == 1:
            grad = np.expand_dims(grad, -1)
        if a.ndim == 1:
            grad = np.expand_dims(grad, -2)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = grad @ np.swapaxes(b2, -1, -2)
            grad_a = grad_a.reshape(grad_a.shape[:-2] + (-1,)) if a.ndim == 1 else grad_a
        if ctx.needs_input_grad[1]:
            if grad.ndim == 2 and a2.ndim == 2:
                grad_b = a2.T @ grad
            else:
                grad_b = np.swapaxes(a2, -1, -2) @ grad
            grad_b = grad_b[..., 0] if b.ndim == 1 else grad_b
        return grad_a, grad_b


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product with PyTorch's rules (batched, and vector on either side).

    >>> (thw.ones(2, 3) @ thw.ones(3)).tolist()
    [3.0, 3.0]
    """
    shape_a, shape_b = np.shape(a), np.shape(b)
    if 0 in (len(shape_a), len(shape_b)):
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {len(shape_a)}D "
                           f"and {len(shape_b)}D")
    inner_a = shape_a[-1]
    inner_b = shape_b[-2] if len(shape_b) > 1 else shape_b[0]
    if inner_a != inner_b:
        rows = int(np.prod(shape_a[:-1])) if len(shape_a) > 1 else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{inner_a} and "
                           f"{inner_b}x{shape_b[-1] if len(shape_b) > 1 else 1}) (shapes {list(shape_a)} "
                           f"and {list(shape_b)})")
    dtype = result_type(a, b)
    if isinstance(a, Tensor) and a.dtype != dtype:
        a = a.astype(dtype)
    if isinstance(b, Tensor) and b.dtype != dtype:
        b = b.astype(dtype)
    try:
        return MatMul.apply(a, b)
    except ValueError:
        raise RuntimeError(f"matmul: batch dimensions of {list(shape_a)} and {list(shape_b)} "
                           "do not broadcast") from None


class Cast(Function):
    """d cast(a)/da = 1 (the gradient is cast back to a's dtype by the engine)"""

    @staticmethod
    def forward(ctx, a, dtype):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output
