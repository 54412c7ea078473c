"""The built-in ops: each a `Function` with its forward and backward side by side.

Every backward returns gradients in the output's (broadcast) shape; `engine.sum_to_shape`
sums them back to each input's shape. Gradients are computed in the inputs' dtype: Python
numbers never upcast float32 (NumPy 2 treats them as weak scalars).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .function import Function
from .tensor import Tensor


# ---------------------------------------------------------------------- arithmetic
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
    """d(a^b)/da = b·a^(b-1), d(a^b)/db = a^b·ln a"""

    @staticmethod
    def forward(ctx, base, exponent):
        out = np.power(base, exponent)
        ctx.save_for_backward(base, exponent, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        base, exponent, out = ctx.saved_tensors
        need_base, need_exponent = ctx.needs_input_grad
        grad_base = grad_output * exponent * np.power(base, exponent - 1) if need_base else None
        grad_exponent = None
        if need_exponent:
            with np.errstate(divide="ignore", invalid="ignore"):
                log_base = np.where(base > 0, np.log(np.where(base > 0, base, 1)), 0)
            grad_exponent = grad_output * out * log_base
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
    """Matrix product with NumPy's rules (batched, and vector on either side).

    >>> (thw.ones(2, 3) @ thw.ones(3)).tolist()
    [3.0, 3.0]
    """
    shape_a, shape_b = np.shape(a), np.shape(b)
    if 0 in (len(shape_a), len(shape_b)):
        raise ValueError(f"matmul: both operands need at least 1 dimension, got {shape_a} and {shape_b}")
    inner_a = shape_a[-1]
    inner_b = shape_b[-2] if len(shape_b) > 1 else shape_b[0]
    if inner_a != inner_b:
        raise ValueError(f"matmul: shapes {shape_a} and {shape_b} cannot be multiplied "
                         f"({inner_a} != {inner_b})")
    try:
        return MatMul.apply(a, b)
    except ValueError:
        raise ValueError(f"matmul: batch dimensions of {shape_a} and {shape_b} do not broadcast") from None


class Cast(Function):
    """d cast(a)/da = 1 (the gradient is cast back to a's dtype by the engine)"""

    @staticmethod
    def forward(ctx, a, dtype):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


# ---------------------------------------------------------------------- elementwise
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
    return Where.apply(condition.astype(bool), input, other)


# ---------------------------------------------------------------------- reductions
def _expand_reduced(grad, shape, dim, keepdim):
    """Put back the reduced dimensions so `grad` broadcasts against the input."""
    if dim is not None and not keepdim:
        grad = np.expand_dims(grad, dim)
    return np.broadcast_to(grad, shape)


class Sum(Function):
    """d sum(x)/dx = 1 for every element"""

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        ctx.input_shape = a.shape
        return a.sum(axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        return _expand_reduced(grad_output, ctx.input_shape, ctx.forward_kwargs.get("dim"),
                               ctx.forward_kwargs.get("keepdim", False))


class Mean(Function):
    """d mean(x)/dx = 1/n for every element"""

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        ctx.input_shape = a.shape
        return a.mean(axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        dim = ctx.forward_kwargs.get("dim")
        count = int(np.prod(ctx.input_shape)) if dim is None else int(np.prod([ctx.input_shape[d] for d in dim]))
        grad = _expand_reduced(grad_output, ctx.input_shape, dim, ctx.forward_kwargs.get("keepdim", False))
        return grad / count


class Max(Function):
    """d max(x)/dx = 1/k at each of the k elements equal to the max, 0 elsewhere"""

    @staticmethod
    def forward(ctx, a):
        out = a.max()
        ctx.save_for_backward(a == out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (is_max,) = ctx.saved_tensors
        return is_max * (grad_output / np.count_nonzero(is_max)).astype(grad_output.dtype)


class MaxAlongDim(Function):
    """d max(x, dim)/dx = 1 at the arg-max along dim (first on ties), 0 elsewhere"""

    @staticmethod
    def forward(ctx, a, dim, keepdim=False):
        index = np.expand_dims(a.argmax(axis=dim), dim)
        ctx.save_for_backward(index)
        ctx.input_shape = a.shape
        out = np.take_along_axis(a, index, axis=dim)
        return out if keepdim else np.squeeze(out, dim)

    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        dim = ctx.forward_kwargs["dim"]
        if not ctx.forward_kwargs.get("keepdim", False):
            grad_output = np.expand_dims(grad_output, dim)
        grad = np.zeros(ctx.input_shape, dtype=grad_output.dtype)
        np.put_along_axis(grad, index, grad_output, axis=dim)
        return grad


def shifted_exp(a, dim):
    """(shift, a - shift, exp(a - shift), rest) along dim (keepdims), where shift is the max
    and Σ exp(a - shift) = 1 + rest.

    log Σ exp(a) = shift + log1p(rest) never overflows, and log softmax computed as
    (a - shift) - log1p(rest) keeps the tiny log of a probability within 1e-48 of 1
    instead of rounding it to 0: `rest` sums the terms other than the max's own 1.
    """
    shift = a.max(axis=dim, keepdims=True)
    if not np.isfinite(shift).all():  # rows of -inf (or inf): shift by 0 instead
        shift = np.where(np.isfinite(shift), shift, 0)
    shifted = a - shift
    exp = np.exp(shifted)
    rest = exp.sum(axis=dim, keepdims=True) - 1
    if (rest < 1e-3).any():  # 1 + rest has rounded rest away: sum the rest on its own
        at_max = shifted == 0
        # Every max term is exactly 1; all but one of them belong to the rest.
        rest = np.where(at_max, 0, exp).sum(axis=dim, keepdims=True) + (at_max.sum(axis=dim, keepdims=True) - 1)
    return shift, shifted, exp, rest


class LogSumExp(Function):
    """d lse(x)/dx = softmax(x)"""

    @staticmethod
    def forward(ctx, a, dim, keepdim=False):
        shift, _, _, rest = shifted_exp(a, dim)
        out = shift + np.log1p(rest)
        ctx.save_for_backward(a, out)
        return out if keepdim else np.squeeze(out, dim)

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        dim = ctx.forward_kwargs["dim"]
        if not ctx.forward_kwargs.get("keepdim", False):
            grad_output = np.expand_dims(grad_output, dim)
        return grad_output * np.exp(a - out)


class Softmax(Function):
    """d softmax/dx · g = s ⊙ (g - Σ g⊙s)"""

    @staticmethod
    def forward(ctx, a, dim):
        shifted = np.exp(a - a.max(axis=dim, keepdims=True))
        out = shifted / shifted.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        dim = ctx.forward_kwargs["dim"]
        return out * (grad_output - (grad_output * out).sum(axis=dim, keepdims=True))


class LogSoftmax(Function):
    """d log_softmax/dx · g = g - softmax(x)·Σg"""

    @staticmethod
    def forward(ctx, a, dim):
        _, shifted, _, rest = shifted_exp(a, dim)
        out = shifted - np.log1p(rest)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        dim = ctx.forward_kwargs["dim"]
        return grad_output - np.exp(out) * grad_output.sum(axis=dim, keepdims=True)


# ---------------------------------------------------------------------- shape
class Reshape(Function):
    """the gradient is reshaped back"""

    @staticmethod
    def forward(ctx, a, shape):
        ctx.input_shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape)


class Permute(Function):
    """the gradient is permuted back by the inverse permutation"""

    @staticmethod
    def forward(ctx, a, dims):
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.transpose(np.argsort(ctx.forward_kwargs["dims"]))


class Expand(Function):
    """the gradient is summed over the broadcast dimensions (by the engine)"""

    @staticmethod
    def forward(ctx, a, shape):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def _is_basic_index(index):
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, slice, type(None), type(Ellipsis))) for i in items)


class Index(Function):
    """the gradient is scattered back to the picked positions, repeated ones summed"""

    @staticmethod
    def forward(ctx, a, index):
        ctx.input_shape = a.shape
        return a[index]

    @staticmethod
    def backward(ctx, grad_output):
        index = ctx.forward_kwargs["index"]
        grad = np.zeros(ctx.input_shape, dtype=grad_output.dtype)
        if _is_basic_index(index):
            grad[index] = grad_output  # a view: no position is picked twice
        else:
            np.add.at(grad, index, grad_output)
        return grad


class Cat(Function):
    """the gradient is split back into the pieces"""

    @staticmethod
    def forward(ctx, *arrays, dim=0):
        ctx.sizes = [array.shape[dim] for array in arrays]
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        boundaries = np.cumsum(ctx.sizes)[:-1]
        return tuple(np.split(grad_output, boundaries, axis=ctx.forward_kwargs.get("dim", 0)))


def cat(tensors: list, dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension.

    >>> thw.cat([thw.zeros(2, 3), thw.ones(1, 3)]).shape
    (3, 3)
    """
    tensors = list(tensors)
    if not tensors:
        raise ValueError("cat needs at least one tensor")
    shapes = [np.shape(t) for t in tensors]
    ndim = len(shapes[0])
    dim = dim % max(ndim, 1)
    for shape in shapes:
        if len(shape) != ndim or shape[:dim] + shape[dim + 1:] != shapes[0][:dim] + shapes[0][dim + 1:]:
            raise ValueError(f"cat: shapes {shapes} differ outside dimension {dim}")
    return Cat.apply(*tensors, dim=dim)


def stack(tensors: list, dim: int = 0) -> Tensor:
    """Join same-shaped tensors along a new dimension: cat of unsqueezed pieces.

    >>> thw.stack([thw.zeros(3), thw.ones(3)]).shape
    (2, 3)
    """
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    shapes = {t.shape for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack: all tensors need the same shape, got {sorted(shapes)}")
    return cat([t.unsqueeze(dim) for t in tensors], dim=dim % (tensors[0].ndim + 1))
