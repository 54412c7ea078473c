"""Scans: running sums, products, extremes and log-sum-exps along one dimension."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import ReturnValues, Tensor, _normalize_dims, _torch_dtype_name
from .arithmetic import write_out
from .indexing import Gather

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "diff"]


def _reverse_cumsum(array: np.ndarray, dim: int) -> np.ndarray:
    return np.flip(np.cumsum(np.flip(array, dim), axis=dim), dim)


class Cumsum(Function):
    """d cumsum(x)_j/dx_i = 1 for i <= j, so the gradient is the reversed running sum of g"""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return np.cumsum(a, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        return _reverse_cumsum(grad_output, ctx.dim)


class Cumprod(Function):
    """d cumprod(x)_j/dx_i = Π_{k<=j, k≠i} x_k for i <= j (computed without dividing where x has zeros)"""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = np.cumprod(a, axis=dim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        dim = ctx.dim
        if np.all(a != 0):
            return _reverse_cumsum(grad_output * out, dim) / a
        # With zeros, Π_{k<=j, k≠i} x_k = (product before i) · (running product from i+1 to j).
        a, grad_output = np.moveaxis(a, dim, -1), np.moveaxis(grad_output, dim, -1)
        before = np.cumprod(np.concatenate([np.ones_like(a[..., :1]), a[..., :-1]], axis=-1), axis=-1)
        grad = np.empty_like(a)
        for i in range(a.shape[-1]):  # a loop over the scanned dimension only
            running = np.cumprod(np.concatenate([np.ones_like(a[..., :1]), a[..., i + 1:]], axis=-1), axis=-1)
            grad[..., i] = before[..., i] * (grad_output[..., i:] * running).sum(axis=-1)
        return np.moveaxis(grad, -1, dim)


class Logcumsumexp(Function):
    """d out_j/dx_i = exp(x_i - out_j) for i <= j; summed in log space, positive and negative g apart"""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = np.logaddexp.accumulate(a, axis=dim) if a.size else a.copy()
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        dim = ctx.dim
        if not a.size:
            return np.zeros_like(a)

        def reverse_logcumsumexp(values):
            return np.flip(np.logaddexp.accumulate(np.flip(values, dim), axis=dim), dim)

        with np.errstate(divide="ignore", invalid="ignore"):
            positive = reverse_logcumsumexp(np.log(np.maximum(grad_output, 0)) - out)
            negative = reverse_logcumsumexp(np.log(np.maximum(-grad_output, 0)) - out)
            return np.exp(a + positive) - np.exp(a + negative)


class Cummax(Gather):
    """running maximum: the gradient goes back to where each value came from"""


class Cummin(Gather):
    """running minimum: the gradient goes back to where each value came from"""


def pick_along_dim(input: Tensor, index: np.ndarray, dim: int, op: type = Gather,
                   keepdim: bool = True) -> Tensor:
    """`input` picked at integer array `index` along `dim`, differentiable; `op` is the
    Gather subclass that names the node as PyTorch does (SortBackward0, ...)."""
    return op.apply(input, index, dim=dim, keepdim=keepdim)


def _scan_dim(input: Tensor, dim: Any) -> int:
    if dim is None:
        raise TypeError("a scan needs its dimension: pass dim=")
    return _normalize_dims(dim, input.ndim)[0]


def _scan_source(input: Tensor, dtype: Any) -> Tensor:
    """Sums and products of bools and integers run in int64, as PyTorch's."""
    if dtype is not None:
        return input.astype(dtype)
    return input.astype(np.int64) if input.dtype.kind in "biu" else input


def _on_1d(input: Tensor, scan: Any) -> Any:
    """PyTorch scans a 0-d tensor as one element."""
    result = scan(input.reshape(1))
    return type(result)(*(r.reshape(()) for r in result)) if isinstance(result, tuple) else result.reshape(())


def _running(op: type, input: Tensor, dim: Any, dtype: Any, out: Tensor | None) -> Tensor:
    """The running sum or product `op` along `dim`, in `dtype`, written to `out` if given."""
    dim = _scan_dim(input, dim)
    source = _scan_source(input, dtype)
    result = _on_1d(source, lambda t: op.apply(t, dim=0)) if input.ndim == 0 else op.apply(source, dim=dim)
    return write_out(result, out)


def cumsum(input: Tensor, dim: int, *, dtype: Any = None, out: Tensor | None = None) -> Tensor:
    """Running sum along `dim`.

    >>> thw.cumsum(thw.tensor([1, 2, 3]), 0).tolist()
    [1, 3, 6]
    """
    return _running(Cumsum, input, dim, dtype, out)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None, out: Tensor | None = None) -> Tensor:
    """Running product along `dim` (its gradient handles zeros).

    >>> thw.cumprod(thw.tensor([1.0, 2.0, 3.0]), 0).tolist()
    [1.0, 2.0, 6.0]
    """
    return _running(Cumprod, input, dim, dtype, out)


def _cumulative_extreme(input: Tensor, dim: int, accumulate: Any, op: type) -> ReturnValues:
    """(values, indices) of the running max or min; on ties the latest index, as PyTorch."""
    if input.ndim == 0:
        return _on_1d(input, lambda t: _cumulative_extreme(t, 0, accumulate, op))
    a = input._data
    if not a.size:
        return ReturnValues(input * 1, Tensor._make(np.zeros(a.shape, np.int64), False, None))
    running = accumulate(a, axis=dim)
    positions = np.arange(a.shape[dim]).reshape([-1 if d == dim else 1 for d in range(a.ndim)])
    # The running extreme changes (or is matched) exactly where a equals it; keep the latest such place.
    # A NaN is the extreme from there on, as in PyTorch.
    reached = a == running if a.dtype.kind != "f" else (a == running) | np.isnan(a)
    index = np.maximum.accumulate(np.where(reached, positions, 0), axis=dim)
    return ReturnValues(pick_along_dim(input, index, dim, op), Tensor._make(index, False, None))


def cummax(input: Tensor, dim: int, *, out: Any = None) -> ReturnValues:
    """Running maximum along `dim` and where it was found (the latest index on ties).

    >>> thw.cummax(thw.tensor([1, 3, 3, 2]), 0).indices.tolist()
    [0, 1, 2, 2]
    """
    return write_out(_cumulative_extreme(input, _scan_dim(input, dim), np.maximum.accumulate, Cummax), out)


def cummin(input: Tensor, dim: int, *, out: Any = None) -> ReturnValues:
    """Running minimum along `dim` and where it was found (the latest index on ties).

    >>> thw.cummin(thw.tensor([3, 1, 1, 2]), 0).values.tolist()
    [3, 1, 1, 1]
    """
    return write_out(_cumulative_extreme(input, _scan_dim(input, dim), np.minimum.accumulate, Cummin), out)


def logcumsumexp(input: Tensor, dim: int, *, out: Tensor | None = None) -> Tensor:
    """log(cumsum(exp(x))) along `dim`, without overflow.

    >>> thw.logcumsumexp(thw.tensor([0.0, 0.0]), 0).tolist()   # [0, log 2]
    [0.0, 0.6931...]
    """
    dim = _scan_dim(input, dim)
    source = input
    if input.dtype.kind != "f":
        raise NotImplementedError(f'"logcumsumexp_out_cpu" not implemented for \'{_torch_dtype_name(input.dtype)}\'')
    result = (_on_1d(source, lambda t: Logcumsumexp.apply(t, dim=0)) if input.ndim == 0
              else Logcumsumexp.apply(source, dim=dim))
    return write_out(result, out)


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
    """The n-th forward difference along `dim` (`prepend`/`append` are joined on first).

    >>> thw.diff(thw.tensor([1, 4, 9])).tolist()
    [3, 5]
    """
    from .shape import cat
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    dim = _normalize_dims(dim, input.ndim)[0]
    if prepend is not None or append is not None:
        pieces = [p if isinstance(p, Tensor) else Tensor._make(np.asarray(p), False, None)
                  for p in (prepend, input, append) if p is not None]
        input = cat(pieces, dim=dim)
    for _ in range(n):
        later = tuple(slice(1, None) if d == dim else slice(None) for d in range(input.ndim))
        earlier = tuple(slice(None, -1) if d == dim else slice(None) for d in range(input.ndim))
        input = input[later] ^ input[earlier] if input.dtype == np.bool_ else input[later] - input[earlier]
    return input

