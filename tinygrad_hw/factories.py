"""Ways to make tensors: constants, ranges and random draws, PyTorch-style."""

from __future__ import annotations

from typing import Any

import numpy as np

from .random import generator
from .tensor import Tensor, _shape_args, get_default_dtype


def _new(array: np.ndarray, requires_grad: bool) -> Tensor:
    return Tensor._make(array, False, None).requires_grad_(requires_grad)


def _float_dtype(dtype: Any) -> np.dtype:
    return get_default_dtype() if dtype is None else np.dtype(dtype)


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Make a tensor from a number, (nested) list or array (copied).

    >>> thw.tensor([[1.0, 2.0]], requires_grad=True)
    Tensor([[1., 2.]], requires_grad=True)
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """Wrap an array without copying: changes to one show in the other.

    >>> t = thw.from_numpy(np.zeros(3, np.float32))
    """
    return Tensor._make(np.asarray(array), False, None)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.zeros(2, 3).shape
    (2, 3)"""
    return _new(np.zeros(_shape_args(size), _float_dtype(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.ones(2).tolist()
    [1.0, 1.0]"""
    return _new(np.ones(_shape_args(size), _float_dtype(dtype)), requires_grad)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.empty(4).shape
    (4,)"""
    return _new(np.empty(_shape_args(size), _float_dtype(dtype)), requires_grad)


def full(size: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.full((2,), 7.0).tolist()
    [7.0, 7.0]"""
    size = (size,) if isinstance(size, int) else tuple(size)
    if dtype is None and isinstance(fill_value, (bool, int)) and not isinstance(fill_value, float):
        dtype = np.int64 if not isinstance(fill_value, bool) else np.bool_
    return _new(np.full(size, fill_value, _float_dtype(dtype)), requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Integers stay int64, as in PyTorch; any float argument gives the default dtype.

    >>> thw.arange(3).tolist(), thw.arange(0, 1, 0.5).tolist()
    ([0, 1, 2], [0.0, 0.5])
    """
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if is_int else get_default_dtype()
    return _new(np.arange(start, end, step, dtype=dtype), requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.linspace(0, 1, 3).tolist()
    [0.0, 0.5, 1.0]"""
    dtype = _float_dtype(dtype)
    if dtype.kind in "iu":  # PyTorch's integer linspace: integer ends, each walks halfway, truncated
        start, end = int(start), int(end)
        step = (end - start) / (steps - 1) if steps > 1 else 0.0
        index = np.arange(steps)
        values = np.where((index < steps // 2) | (steps == 1), start + step * index,
                          end - step * (steps - 1 - index))
        return _new(values.astype(dtype), requires_grad)
    return _new(np.linspace(start, end, steps, dtype=dtype), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.eye(2).tolist()
    [[1.0, 0.0], [0.0, 1.0]]"""
    return _new(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad)


def rand(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform on [0, 1), drawn in the requested dtype (no float64 detour).

    >>> thw.manual_seed(0); thw.rand(2, 2).shape
    (2, 2)
    """
    dtype = _float_dtype(dtype)
    return _new(generator().random(_shape_args(size), dtype=dtype), requires_grad)


def randn(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal.

    >>> thw.randn(3).shape
    (3,)
    """
    dtype = _float_dtype(dtype)
    return _new(generator().standard_normal(_shape_args(size), dtype=dtype), requires_grad)


def randint(low: int, high: int | None = None, size: Any = (), dtype: Any = np.int64) -> Tensor:
    """Integers in [low, high), as torch.randint (also `randint(high, size=...)`).

    >>> thw.randint(0, 10, (5,)).shape
    (5,)
    """
    if high is None:
        low, high = 0, low
    return _new(generator().integers(low, high, size=size, dtype=dtype), False)


def zeros_like(other: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.zeros_like(thw.ones(2)).tolist()
    [0.0, 0.0]"""
    return _new(np.zeros(np.shape(other), dtype or np.asarray(other).dtype), requires_grad)


def ones_like(other: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.ones_like(thw.zeros(2)).tolist()
    [1.0, 1.0]"""
    return _new(np.ones(np.shape(other), dtype or np.asarray(other).dtype), requires_grad)


def full_like(other: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _new(np.full(np.shape(other), fill_value, dtype or np.asarray(other).dtype), requires_grad)


def randn_like(other: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.randn_like(thw.zeros(2, 2)).shape
    (2, 2)"""
    return randn(*np.shape(other), dtype=dtype or np.asarray(other).dtype, requires_grad=requires_grad)


def rand_like(other: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return rand(*np.shape(other), dtype=dtype or np.asarray(other).dtype, requires_grad=requires_grad)
