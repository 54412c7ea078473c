"""Old PyTorch spellings that tutorials still use: `Variable` and the typed tensor constructors.

`torch.autograd.Variable(t, requires_grad=True)` is just the tensor since PyTorch 0.4, and
`torch.FloatTensor([1, 2])` / `torch.FloatTensor(2, 3)` make a float32 tensor from data or an
uninitialised one of a size. They are kept so the 60-minute blitz runs unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor


def Variable(data: Any, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # noqa: N802
    """The tensor itself (a Variable is a Tensor since PyTorch 0.4).

    >>> x = thw.autograd.Variable(thw.ones(2, 2), requires_grad=True)
    """
    tensor = data if isinstance(data, Tensor) else Tensor(data)
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


def _typed_constructor(dtype: Any, name: str) -> type:
    def make(cls, *args: Any) -> Tensor:
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            return Tensor(args[0], dtype=dtype)  # from data
        return Tensor._make(np.empty(tuple(int(a) for a in args), dtype), False, None)  # a size

    doc = f"`thw.{name}(data)` or `thw.{name}(*size)`: a {np.dtype(dtype)} tensor (PyTorch's legacy constructor)."
    return type(name, (), {"__new__": make, "__doc__": doc})


FloatTensor = _typed_constructor(np.float32, "FloatTensor")
DoubleTensor = _typed_constructor(np.float64, "DoubleTensor")
LongTensor = _typed_constructor(np.int64, "LongTensor")
IntTensor = _typed_constructor(np.int32, "IntTensor")
ByteTensor = _typed_constructor(np.uint8, "ByteTensor")
BoolTensor = _typed_constructor(np.bool_, "BoolTensor")
