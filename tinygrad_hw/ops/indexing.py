"""Indexing: `t[index]`, `t[index] = value` and whole overwrites; the gradient is scattered back.

Indices follow PyTorch's rules where they differ from NumPy's: integers select first (they
are basic indexing), so `t[0, :, [1, 2]]` on shape (2, 5, 6) is (5, 2), not NumPy's (2, 5).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor

_BASIC = (int, np.integer, slice, type(None), type(Ellipsis))

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = []


def _is_basic_index(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, _BASIC) for i in items)


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


class IndexPut(Function):
    """out = a with out[index] = value;  d/da = g with 0 at index,  d/dvalue = g[index]"""

    @staticmethod
    def forward(ctx, a, value, index):
        ctx.index = index
        out = a.copy()
        out[index] = value
        return out

    @staticmethod
    def backward(ctx, grad_output):
        grad_a = None
        if ctx.needs_input_grad[0]:
            grad_a = grad_output.copy()
            grad_a[ctx.index] = 0
        return grad_a, grad_output[ctx.index] if ctx.needs_input_grad[1] else None, None


class Overwrite(Function):
    """out = source broadcast to a's shape, in a's dtype (fill_, copy_);  d/da = 0, d/dsource = g"""

    @staticmethod
    def forward(ctx, a, source):
        out = np.empty_like(a)
        out[...] = source
        return out

    @staticmethod
    def backward(ctx, grad_output):
        # Zeros, not None, for `a` (as PyTorch): the ops before it still run their backward,
        # so one whose saved output was overwritten (`x.exp().zero_()`) raises as it should.
        return np.zeros_like(grad_output) if ctx.needs_input_grad[0] else None, grad_output


def _split_integers_first(index: tuple) -> tuple[tuple, tuple] | None:
    """PyTorch applies integer indices before advanced ones: (basic part, advanced part), or
    None when the index has no integer mixed with an index array."""
    advanced = [not isinstance(i, _BASIC) for i in index]
    integers = [isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in index]
    if not (any(advanced) and any(integers)):
        return None
    basic, rest = [], []
    for item, is_advanced in zip(index, advanced):
        if is_advanced:
            mask_dims = item.ndim if isinstance(item, np.ndarray) and item.dtype == np.bool_ else 1
            basic.extend([slice(None)] * mask_dims)
            rest.append(item)
        elif isinstance(item, (int, np.integer)):
            basic.append(item)
        elif item is None:
            basic.append(None)
            rest.append(slice(None))
        else:
            basic.append(item)
            rest.append(item if item is Ellipsis else slice(None))
    return tuple(basic), tuple(rest)


def _normalize_index(index: Any) -> Any:
    """Lists become arrays, 0-d integer arrays become ints, as PyTorch reads them."""
    items = index if isinstance(index, tuple) else (index,)
    normal = []
    for item in items:
        if isinstance(item, list):
            item = np.asarray(item)
        if isinstance(item, np.ndarray):
            if item.dtype.kind not in "iub":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if item.ndim == 0 and item.dtype.kind in "iu":
                item = int(item)
        normal.append(item)
    return tuple(normal) if isinstance(index, tuple) or len(normal) != 1 else normal[0]


def index(tensor: Tensor, index: Any) -> Tensor:
    """`tensor[index]` with PyTorch's rules (integers first, then index arrays and masks).

    >>> thw.zeros(2, 5, 6)[0, :, [1, 2]].shape
    (5, 2)
    """
    index = _normalize_index(index)
    if isinstance(index, tuple):
        split = _split_integers_first(index)
        if split is not None:
            return Index.apply(Index.apply(tensor, index=split[0]), index=split[1])
    try:
        return Index.apply(tensor, index=index)
    except IndexError as error:
        raise IndexError(f"{error} (indexing a tensor of shape {tensor.shape})") from None


def index_put(tensor: Tensor, index: Any, value: Any) -> Tensor:
    """A copy of `tensor` with `value` written at `index` (what `t[index] = value` records).

    >>> index_put(thw.zeros(3), 1, 5.0).tolist()
    [0.0, 5.0, 0.0]
    """
    index = _normalize_index(index)
    if isinstance(index, tuple) and _split_integers_first(index) is not None:
        raise NotImplementedError("assigning through an index that mixes integers and index arrays "
                                  "under autograd is not supported; use separate steps")
    if isinstance(value, Tensor) and value.dtype != tensor.dtype:
        value = value.astype(tensor.dtype)
    return IndexPut.apply(tensor, value, index=index)
