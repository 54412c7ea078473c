"""Sorting and selection: sort, argsort, topk, kthvalue, median, mode, unique, bincount.

Values picked from the input carry a gradient back to where they came from (subclasses of indexing's `Gather`);
indices, unique values and counts carry none. Ties follow PyTorch: a stable order keeps equal
values in their original order; NaN sorts as the largest value.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ReturnValues, Tensor, _normalize_dims
from .arithmetic import write_out
from .indexing import Gather
from .scans import pick_along_dim

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian", "mode", "unique", "bincount"]


class Sort(Gather):
    """sorted values: the gradient goes back to where each value came from"""


class Topk(Gather):
    """the k largest or smallest: the gradient goes back to where each came from"""


class Kthvalue(Gather):
    """the k-th smallest: the gradient goes back to where it came from"""


class Median(Gather):
    """the lower median: the gradient goes back to where it came from"""


class Nanmedian(Gather):
    """the lower median of the non-NaN values: the gradient goes back to where it came from"""


class Mode(Gather):
    """the most frequent value: the gradient goes to the index returned"""


def _index(array: np.ndarray) -> Tensor:
    return Tensor._make(array.astype(np.int64, copy=False), False, None)


def _sorted_order(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable argsort along dim; descending keeps equal values in their original order too."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    size = a.shape[dim]
    return size - 1 - np.flip(np.argsort(np.flip(a, dim), axis=dim, kind="stable"), dim)


def _refuse_bool(input: Tensor, kernel: str) -> None:
    if input.dtype == np.bool_:
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def _one_dim(input: Tensor, dim: Any) -> int:
    return _normalize_dims(dim, input.ndim)[0]


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False,
         out: Any = None) -> ReturnValues:
    """(values, indices) sorted along `dim`; always stable here (PyTorch's `stable=True`).

    >>> thw.sort(thw.tensor([3.0, 1.0, 2.0])).indices.tolist()
    [1, 2, 0]
    """
    dim = _one_dim(input, dim)
    if input.ndim == 0:
        return write_out(ReturnValues(input * 1 if input.dtype.kind == "f" else input.detach(), _index(np.asarray(0))),
                         out)
    order = _sorted_order(input._data, dim, descending)
    return write_out(ReturnValues(pick_along_dim(input, order, dim, Sort), _index(order)), out)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices that sort `input` along `dim`.

    >>> thw.argsort(thw.tensor([3, 1, 2]), descending=True).tolist()
    [0, 2, 1]
    """
    return sort(input, dim, descending, stable=stable).indices


def msort(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Sorted along the first dimension (the values of `sort(input, dim=0)`).

    >>> thw.msort(thw.tensor([[2, 1], [1, 3]])).tolist()
    [[1, 1], [2, 3]]
    """
    return write_out(sort(input, 0).values, out)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True, *,
         out: Any = None) -> ReturnValues:
    """The k largest (or smallest) values along `dim` and their indices, largest first.

    >>> thw.topk(thw.tensor([1.0, 3.0, 3.0, 2.0]), 2).indices.tolist()
    [1, 2]
    """
    dim = _one_dim(input, dim)
    if input.dtype == np.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    size = input.shape[dim] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"selected index k out of range (k = {k}, size along dim {dim} is {size})")
    if input.ndim == 0:
        return write_out(sort(input), out)
    order = _sorted_order(input._data, dim, descending=largest)
    first_k = tuple(slice(0, k) if d == dim else slice(None) for d in range(input.ndim))
    order = order[first_k]
    return write_out(ReturnValues(pick_along_dim(input, order, dim, Topk), _index(order)), out)


def _select(input: Tensor, position: np.ndarray, dim: int, keepdim: bool, order: np.ndarray,
            op: type) -> ReturnValues:
    """(values, indices) at sorted `position` (an array broadcastable to the reduced shape)."""
    index = np.take_along_axis(order, np.expand_dims(position, dim), axis=dim)
    values = pick_along_dim(input, index, dim, op, keepdim)
    return ReturnValues(values, _index(index if keepdim else np.squeeze(index, dim)))


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False, *, out: Any = None) -> ReturnValues:
    """The k-th smallest value along `dim` (k counts from 1) and its index.

    >>> thw.kthvalue(thw.tensor([1.0, 3.0, 3.0, 2.0]), 2).values.item()
    2.0
    """
    dim = _one_dim(input, dim)
    _refuse_bool(input, "kthvalue")
    if input.ndim == 0:
        values, indices = kthvalue(input.reshape(1), k, 0)
        return write_out(ReturnValues(values.reshape(()), indices.reshape(())), out)
    if input.shape[dim] == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {dim} to have non-zero size.")
    if not 1 <= k <= input.shape[dim]:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {dim}")
    order = _sorted_order(input._data, dim, descending=False)
    position = np.full(np.delete(input.shape, dim), k - 1)
    return write_out(_select(input, position, dim, keepdim, order, Kthvalue), out)


def median(input: Tensor, dim: Any = None, keepdim: bool = False, *, out: Any = None) -> Any:
    """The lower median (PyTorch's choice, not the mean of the two middle values); with
    `dim`, (values, indices). NaN wins, as in PyTorch.

    >>> thw.median(thw.tensor([1.0, 5.0, 2.0, 4.0])).item()
    2.0
    """
    return _median(input, dim, keepdim, out, ignore_nan=False)


def nanmedian(input: Tensor, dim: Any = None, keepdim: bool = False, *, out: Any = None) -> Any:
    """`median` ignoring NaN values (NaN only where a row is all NaN).

    >>> thw.nanmedian(thw.tensor([1.0, float("nan"), 3.0])).item()
    1.0
    """
    return _median(input, dim, keepdim, out, ignore_nan=True)


def _median(input: Tensor, dim: Any, keepdim: bool, out: Any, ignore_nan: bool) -> Any:
    _refuse_bool(input, "median_out")
    if dim is None:
        if input.numel() == 0:
            return write_out(Tensor._make(np.asarray(np.nan, input.dtype), False, None), out)
        return write_out(_median(input.reshape(-1), 0, False, None, ignore_nan).values, out)
    dim = _one_dim(input, dim)
    if input.ndim == 0:
        return ReturnValues(input * 1 if input.dtype.kind == "f" else input.detach(), _index(np.asarray(0)))
    if input.shape[dim] == 0:
        raise IndexError(f"median(): Expected reduction dim {dim} to have non-zero size.")
    a = input._data
    order = _sorted_order(a, dim, descending=False)  # NaN sorts last
    size = a.shape[dim]
    nan_count = np.isnan(a).sum(axis=dim) if a.dtype.kind == "f" else np.zeros(np.delete(a.shape, dim), int)
    if ignore_nan:
        position = np.maximum(size - nan_count - 1, 0) // 2
    else:  # any NaN: the first NaN is the median
        position = np.where(nan_count > 0, size - nan_count, (size - 1) // 2)
    return write_out(_select(input, position, dim, keepdim, order, Nanmedian if ignore_nan else Median), out)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False, *, out: Any = None) -> ReturnValues:
    """The most frequent value along `dim` (the smallest of those tied) and the index of its
    last occurrence, as PyTorch.

    >>> thw.mode(thw.tensor([1, 3, 3, 2, 2, 5])).values.item()
    2
    """
    dim = _one_dim(input, dim)
    if input.ndim == 0:
        return ReturnValues(input * 1 if input.dtype.kind == "f" else input.detach(), _index(np.asarray(0)))
    if input.shape[dim] == 0:
        raise IndexError(f"mode(): Expected reduction dim {dim} to have non-zero size.")
    a = np.moveaxis(input._data, dim, -1)
    rows = a.reshape(-1, a.shape[-1])
    ordered = np.sort(rows, axis=-1, kind="stable")
    # Runs of equal values in each sorted row: a new run starts where the value changes.
    starts = np.ones(ordered.shape, bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    run = np.cumsum(starts.ravel()).reshape(ordered.shape) - 1
    counts = np.bincount(run.ravel())[run]
    best = np.argmax(counts == counts.max(axis=-1, keepdims=True), axis=-1)  # the first: the smallest value
    value = ordered[np.arange(len(rows)), best]
    positions = np.arange(rows.shape[-1])
    last = np.where(rows == value[:, None], positions, -1).max(axis=-1)
    index = np.moveaxis(last.reshape(a.shape[:-1] + (1,)), -1, dim)
    values = pick_along_dim(input, index, dim, Mode, keepdim)
    return write_out(ReturnValues(values, _index(index if keepdim else np.squeeze(index, dim))), out)


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
           dim: int | None = None) -> Any:
    """The distinct values (sorted), and on request the inverse indices and the counts.

    >>> values, inverse, counts = thw.unique(thw.tensor([3, 1, 3, 2]), return_inverse=True, return_counts=True)
    >>> values.tolist(), inverse.tolist(), counts.tolist()
    ([1, 2, 3], [2, 0, 2, 1], [1, 1, 2])
    """
    a = input._data
    axis = None if dim is None else _one_dim(input, dim)
    if axis is not None and any(size == 0 for d, size in enumerate(a.shape) if d != axis):
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")
    values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=axis)
    inverse = inverse.reshape(a.shape) if axis is None else inverse.reshape(-1)
    result = [Tensor._make(values, False, None)]
    if return_inverse:
        result.append(_index(inverse))
    if return_counts:
        result.append(_index(counts))
    return result[0] if len(result) == 1 else tuple(result)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, 2, ... occurs in a 1-D tensor of non-negative integers
    (with `weights`, their sums).

    >>> thw.bincount(thw.tensor([0, 1, 1, 3])).tolist()
    [1, 2, 0, 1]
    """
    a = input._data
    if a.ndim != 1 or a.dtype.kind not in "iub" or (a.size and a.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is None:
        return _index(np.bincount(a, minlength=minlength))
    weights = weights._data if isinstance(weights, Tensor) else np.asarray(weights)
    if weights.shape != a.shape:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dtype = weights.dtype if weights.dtype.kind == "f" else np.float64
    return Tensor._make(np.bincount(a, weights, minlength=minlength).astype(dtype), False, None)
