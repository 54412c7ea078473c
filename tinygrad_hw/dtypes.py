"""dtypes and PyTorch's type promotion, in one place that every op uses.

The dtype objects are NumPy's (`thw.float32 == np.float32`). Promotion follows PyTorch, not
NumPy: categories rank bool < integer < floating; a Python number or a 0-d tensor never widens
a tensor of dimension >= 1 of its own category (float32 tensor + 1.5, or + a float64 0-d
tensor, stays float32); an integer tensor meeting a float becomes the default float dtype;
a float32 tensor with an int64 tensor stays float32 (NumPy would give float64).
"""

from __future__ import annotations

from typing import Any

import numpy as np

_DEFAULT_DTYPE = [np.dtype(np.float32)]
_BOOL, _INTEGER, _FLOATING = 0, 1, 2


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype that Python floats and lists become (float32 or float64).

    >>> thw.set_default_dtype(thw.float64); thw.tensor([1.5]).dtype
    dtype('float64')
    """
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"only floating-point types are supported as the default type, got {dtype}")
    _DEFAULT_DTYPE[0] = dtype


def get_default_dtype() -> np.dtype:
    """The dtype that Python floats and lists become; float32 unless changed.

    >>> thw.get_default_dtype()
    dtype('float32')
    """
    return _DEFAULT_DTYPE[0]


def category(dtype: np.dtype) -> int:
    kind = dtype.kind
    return _FLOATING if kind in "fc" else _BOOL if kind == "b" else _INTEGER


def _promote(left: np.dtype | None, right: np.dtype) -> np.dtype:
    if left is None or left == right:
        return right
    left_category, right_category = category(left), category(right)
    if left_category != right_category:
        return left if left_category > right_category else right
    return np.promote_types(left, right)


def result_type(*operands: Any) -> np.dtype:
    """The dtype PyTorch gives an op on these operands (tensors, arrays or Python numbers).

    >>> thw.dtypes.result_type(thw.zeros(3), thw.arange(3)), thw.dtypes.result_type(thw.arange(3), 0.5)
    (dtype('float32'), dtype('float32'))
    """
    dimensioned = zero_dim = number = None
    for operand in operands:
        array = getattr(operand, "_data", operand)
        if isinstance(array, np.ndarray):
            if array.ndim:
                dimensioned = _promote(dimensioned, array.dtype)
            else:
                zero_dim = _promote(zero_dim, array.dtype)
        elif isinstance(array, np.generic):
            zero_dim = _promote(zero_dim, array.dtype)
        elif operand is not None:
            number = _promote(number, _number_dtype(operand))
    result = dimensioned
    for candidate in (zero_dim, number):
        if candidate is not None and (result is None or category(candidate) > category(result)):
            result = candidate
    return result


def _number_dtype(value: Any) -> np.dtype:
    if isinstance(value, (np.bool_, bool)):
        return np.dtype(np.bool_)
    if isinstance(value, (int, np.integer)):
        return np.dtype(np.int64)
    if isinstance(value, (float, np.floating)):
        return _DEFAULT_DTYPE[0]
    if isinstance(value, complex):
        raise TypeError("complex numbers are not supported by tinygrad_hw")
    raise TypeError(f"expected a Tensor or a number, got {type(value).__name__}")


def float_result_type(*operands: Any) -> np.dtype:
    """`result_type`, but integers and bools become the default float dtype (as `x / 2` or `exp`).

    >>> thw.dtypes.float_result_type(thw.arange(3))
    dtype('float32')
    """
    dtype = result_type(*operands)
    return dtype if dtype.kind == "f" else _DEFAULT_DTYPE[0]
