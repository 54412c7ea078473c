"""Indexing: `t[index]`, `t[index] = value` and whole overwrites; the gradient is scattered back.

Indices follow PyTorch's rules where they differ from NumPy's: integers select first (they
are basic indexing), so `t[0, :, [1, 2]]` on shape (2, 5, 6) is (5, 2), not NumPy's (2, 5).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..aliases import axis_alias, out_argument
from ..autograd.function import Function
from ..tensor import Tensor, _normalize_dims

_BASIC = (int, np.integer, slice, type(None), type(Ellipsis))

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["argwhere", "gather", "index_add", "index_copy", "index_fill", "index_select", "masked_fill",
           "masked_scatter", "masked_select", "nonzero", "scatter", "scatter_add", "scatter_reduce", "take",
           "take_along_dim"]


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


def _put(array: np.ndarray, index: Any, rest: Any, value: Any) -> None:
    if rest is None:
        array[index] = value
    else:  # array[index] is a view (index is basic), so writing into it writes into array
        array[index][rest] = value


class IndexPut(Function):
    """out = a with out[index][rest] = value;  d/da = g with 0 there,  d/dvalue = g[index][rest]"""

    @staticmethod
    def forward(ctx, a, value, index, rest=None):
        ctx.index, ctx.rest = index, rest
        out = a.copy()
        _put(out, index, rest, value)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        grad_a = grad_value = None
        if ctx.needs_input_grad[0]:
            grad_a = grad_output.copy()
            _put(grad_a, ctx.index, ctx.rest, 0)
        if ctx.needs_input_grad[1]:
            grad_value = grad_output[ctx.index] if ctx.rest is None else grad_output[ctx.index][ctx.rest]
        return grad_a, grad_value, None


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
            item = np.asarray(item) if item else np.zeros(0, np.int64)
        if isinstance(item, np.ndarray):
            if item.dtype == np.uint8:  # PyTorch reads a uint8 index as a mask (deprecated there)
                item = item.astype(bool)
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
    """A copy of `tensor` with `value` written at `index` (what `t[index] = value` records),
    with PyTorch's order for integers mixed with index arrays.

    >>> index_put(thw.zeros(3), 1, 5.0).tolist()
    [0.0, 5.0, 0.0]
    """
    index, rest = _assignment_steps(index)
    if isinstance(value, Tensor) and value.dtype != tensor.dtype:
        value = value.astype(tensor.dtype)
    return IndexPut.apply(tensor, value, index=index, rest=rest)


def _assignment_steps(index: Any) -> tuple:
    index = _normalize_index(index)
    split = _split_integers_first(index) if isinstance(index, tuple) else None
    return (index, None) if split is None else split


def assign(array: np.ndarray, index: Any, value: Any) -> None:
    """`array[index] = value` in place with PyTorch's indexing rules (unrecorded `t[index] = v`).

    >>> assign(np.zeros((2, 5, 6)), (0, slice(None), [1, 2]), np.ones((5, 2)))
    """
    index, rest = _assignment_steps(index)
    _put(array, index, rest, value)


# ----------------------------------------------------------------- gather, scatter and index_* along a dim
def _along(index: np.ndarray, dim: int) -> tuple:
    """The full index tuple picking a[..., index[i, j, k], ...] at dim `dim` for every position
    of `index` (what gather reads and scatter writes)."""
    grid = []
    for axis, size in enumerate(index.shape):
        if axis == dim:
            grid.append(index)
        else:
            shape = [1] * index.ndim
            shape[axis] = size
            grid.append(np.arange(size).reshape(shape))
    return tuple(grid)


def _check_along(name: str, input_shape: tuple, index: np.ndarray, dim: int, source_shape: tuple | None = None,
                 kinds: str = "i") -> None:
    if index.dtype.kind not in kinds:
        raise RuntimeError(f"{name}(): Expected dtype int64 for index")
    if index.ndim != max(len(input_shape), 1) and index.size:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for axis, size in enumerate(index.shape):
        if axis != dim and size > input_shape[axis]:
            raise RuntimeError(f"Size does not match at dimension {axis} expected index {list(index.shape)} to be "
                               f"smaller than self {list(input_shape)} apart from dimension {dim}")
        if source_shape is not None and size > source_shape[axis]:
            raise RuntimeError(f"Size does not match at dimension {axis} expected index {list(index.shape)} to be "
                               f"smaller than src {list(source_shape)}")
    if index.size and (index.min() < 0 or index.max() >= input_shape[dim]):
        bad = index.min() if index.min() < 0 else index.max()
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {input_shape[dim]}")


def _head(source: np.ndarray, shape: tuple) -> np.ndarray:
    """The leading `shape` block of `source` (scatter uses src only where index has entries)."""
    return source[tuple(slice(0, n) for n in shape)]


def _pad_to(block: np.ndarray, shape: tuple) -> np.ndarray:
    if block.shape == shape:
        return block
    padded = np.zeros(shape, block.dtype)
    padded[tuple(slice(0, n) for n in block.shape)] = block
    return padded


class Gather(Function):
    """out[i][j] = a[i][index[i][j]] (dim 1);  d/da = g added back at the picked places

    With keepdim=False (one index along dim) the picked dim is dropped. Sort, topk, cummax and
    the other ops that pick values subclass it, for their node names (SortBackward0, ...).
    """

    @staticmethod
    def forward(ctx, a, index, dim, keepdim=True):
        ctx.input_shape, ctx.positions, ctx.dim, ctx.keepdim = a.shape, _along(index, dim), dim, keepdim
        out = a[ctx.positions]
        return out if keepdim else np.squeeze(out, dim)

    @staticmethod
    def backward(ctx, grad_output):
        if not ctx.keepdim:
            grad_output = np.expand_dims(grad_output, ctx.dim)
        grad = np.zeros(ctx.input_shape, grad_output.dtype)
        np.add.at(grad, ctx.positions, grad_output)  # add.at: an index may repeat (cummax)
        return grad, None


class CopySlices(Function):
    """base with the elements a view of it covers replaced by `source`, the view's new values
    (an in-place op through the view; the base's memory already holds the result);
    d/dbase = g with those elements 0,  d/dsource = g at them"""

    @staticmethod
    def forward(ctx, base, source, positions):
        ctx.positions = positions
        return base

    def name(self) -> str:
        return "CopySlices"  # as PyTorch names it

    @staticmethod
    def backward(ctx, grad_output):
        grad = np.array(grad_output, order="C")  # a copy, in base's logical order
        flat = grad.reshape(-1)
        grad_source = flat[ctx.positions]
        flat[ctx.positions] = 0
        return grad, grad_source


class Scatter(Function):
    """out = a with out[i][index[i][j]] = src[i][j];  d/da = g with 0 there, d/dsrc = g gathered"""

    @staticmethod
    def forward(ctx, a, source, index, dim):
        ctx.positions, ctx.source_shape = _along(index, dim), np.shape(source)
        out = a.copy()
        out[ctx.positions] = _head(source, index.shape) if np.ndim(source) else source
        return out

    @staticmethod
    def backward(ctx, grad_output):
        grad_a = grad_output.copy()
        grad_a[ctx.positions] = 0
        grad_source = _pad_to(grad_output[ctx.positions], ctx.source_shape) if ctx.source_shape else None
        return grad_a, grad_source, None


class ScatterReduce(Function):
    """out[i][index[i][j]] = reduce(a there (if include_self), src[i][j] ...);
    sum: d/dsrc = g gathered; mean: g/count gathered; amax/amin: g shared among the ties;
    prod: g * out / src gathered"""

    @staticmethod
    def forward(ctx, a, source, index, dim, reduce, include_self):
        positions = _along(index, dim)
        ctx.positions, ctx.source_shape, ctx.reduce, ctx.include_self = positions, source.shape, reduce, include_self
        source = _head(source, index.shape)
        touched = np.zeros(a.shape, bool)
        touched[positions] = True
        start = {"sum": 0, "mean": 0, "prod": 1, "amax": -np.inf, "amin": np.inf}[reduce]
        out = a.copy()
        if not include_self:
            out[touched] = start if a.dtype.kind == "f" or np.isfinite(start) else (
                np.iinfo(a.dtype).min if reduce == "amax" else np.iinfo(a.dtype).max)
        ufunc = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}[reduce]
        ufunc.at(out, positions, source)
        count = np.full(a.shape, 1 if include_self else 0)
        np.add.at(count, positions, 1)
        if reduce == "mean":
            divided = out / np.maximum(count, 1)
            out = divided.astype(a.dtype) if a.dtype.kind == "f" else np.floor(divided).astype(a.dtype)
        ctx.save_for_backward(a, source, out)
        ctx.count, ctx.touched = count, touched
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, source, out = ctx.saved_tensors
        positions, touched, count = ctx.positions, ctx.touched, ctx.count
        keep_self = ctx.include_self
        if ctx.reduce == "sum":
            grad_a, grad_source = grad_output.copy(), grad_output[positions]
        elif ctx.reduce == "mean":
            share = grad_output / np.maximum(count, 1)
            grad_a, grad_source = np.where(touched, share, grad_output), share[positions]
        elif ctx.reduce == "prod":
            if (source == 0).any() or keep_self and (a[touched] == 0).any():
                raise RuntimeError("scatter_reduce(reduce='prod') backward with zeros among the reduced values "
                                   "is not supported")
            grad_a = np.where(touched, grad_output * out / np.where(a == 0, 1, a), grad_output)
            grad_source = (grad_output * out)[positions] / source
        else:  # amax, amin: the gradient is shared evenly among every value equal to the result
            self_ties = (a == out) & touched if keep_self else np.zeros(a.shape, bool)
            source_ties = source == out[positions]
            ties = self_ties.astype(np.int64)
            np.add.at(ties, positions, source_ties)
            share = grad_output / np.maximum(ties, 1)
            grad_a = np.where(touched, np.where(self_ties, share, 0), grad_output)
            grad_source = np.where(source_ties, share[positions], 0)
        if not keep_self and ctx.reduce != "prod":
            grad_a = np.where(touched, 0, grad_a)
        elif not keep_self:
            grad_a = np.where(touched, 0, grad_output)
        return grad_a, _pad_to(grad_source, ctx.source_shape), None


class IndexAdd(Function):
    """out = a with alpha*src[k] added at a[..., index[k], ...];  d/da = g, d/dsrc = alpha * g picked"""

    @staticmethod
    def forward(ctx, a, source, index, dim, alpha):
        ctx.positions, ctx.alpha = (slice(None),) * dim + (index,), alpha
        out = a.copy()
        np.add.at(out, ctx.positions, source * alpha if alpha != 1 else source)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        picked = grad_output[ctx.positions]
        return grad_output, picked * ctx.alpha if ctx.alpha != 1 else picked, None


def _array(value: Any) -> np.ndarray:
    return value._data if isinstance(value, Tensor) else np.asarray(value)


def _dim_of(input: Tensor, dim: Any) -> int:
    return _normalize_dims(dim, input.ndim)[0]


def _source_tensor(source: Any, dtype: np.dtype) -> Any:
    """A src tensor cast to the input's dtype, or a Python number as it is."""
    if isinstance(source, Tensor):
        return source if source.dtype == dtype else source.astype(dtype)
    return Tensor._make(np.asarray(source, dtype), False, None) if isinstance(source, (list, np.ndarray)) else source


@out_argument
@axis_alias
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """out[i][j] = input[i][index[i][j]] for dim=1 (index has input's number of dims).

    >>> thw.gather(thw.tensor([[1, 2], [3, 4]]), 1, thw.tensor([[0, 0], [1, 0]])).tolist()
    [[1, 1], [4, 3]]
    """
    dim, positions = _dim_of(input, dim), _array(index)
    _check_along("gather", input.shape or (1,), positions, dim)
    if input.ndim == 0:
        return Gather.apply(input.reshape(1), index=positions.reshape(-1), dim=0).reshape(positions.shape)
    return Gather.apply(input, index=positions, dim=dim)


@axis_alias
def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """A copy of input with input[i][index[i][j]] = src[i][j] (dim=1); `src` may be a number
    (or `value=`). With repeated indices the last write wins (PyTorch leaves it undefined).

    >>> thw.zeros(2, 3).scatter(1, thw.tensor([[2], [0]]), 1.0).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    source = value if src is None else src
    if source is None:
        raise TypeError("scatter() missing required argument 'src' (or 'value')")
    if reduce is not None:
        modes = {"add": "sum", "multiply": "prod"}
        if reduce not in modes:
            raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")
        if not isinstance(source, Tensor):
            source = Tensor._make(np.full(np.shape(_array(index)), source, input.dtype), False, None)
        return scatter_reduce(input, dim, index, source, modes[reduce])
    dim, positions = _dim_of(input, dim), _array(index)
    source = _source_tensor(source, input.dtype)
    _check_along("scatter", input.shape, positions, dim, source.shape if isinstance(source, Tensor) else None)
    return Scatter.apply(input, source, index=positions, dim=dim)


@axis_alias
def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of input with src[i][j] added at input[i][index[i][j]] (dim=1); repeats add up.

    >>> thw.zeros(3).scatter_add(0, thw.tensor([0, 0, 2]), thw.ones(3)).tolist()
    [2.0, 0.0, 1.0]
    """
    return scatter_reduce(input, dim, index, src, "sum")


@axis_alias
def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """Reduce src's values into input at index along dim: reduce is 'sum', 'prod', 'mean',
    'amax' or 'amin'; `include_self=False` leaves input's own values out where written.

    >>> thw.zeros(2).scatter_reduce(0, thw.tensor([0, 0]), thw.tensor([1.0, 3.0]), "amax").tolist()
    [3.0, 0.0]
    """
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    dim, positions = _dim_of(input, dim), _array(index)
    source = _source_tensor(src, input.dtype)
    if not isinstance(source, Tensor):
        raise TypeError("scatter_reduce(): argument 'src' must be Tensor")
    _check_along("scatter_reduce" if reduce != "sum" else "scatter_add", input.shape, positions, dim, source.shape)
    return ScatterReduce.apply(input, source, index=positions, dim=dim, reduce=reduce,
                               include_self=bool(include_self))


def _index_vector(name: str, input: Tensor, dim: int, index: Any) -> np.ndarray:
    positions = _array(index)
    if positions.dtype.kind not in "iu":
        raise RuntimeError(f"{name}(): Expected dtype int32 or int64 for index")
    if positions.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    positions = positions.reshape(-1)
    size = input.shape[dim] if input.ndim else 1
    if positions.size and (positions.min() < -size or positions.max() >= size):
        raise IndexError(f"index out of range in self (index {positions.max()} for dimension {dim} of size {size})")
    return positions % max(size, 1)


@out_argument
@axis_alias
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices at `index` (a vector) along `dim`.

    >>> thw.index_select(thw.eye(3), 0, thw.tensor([2, 0])).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    dim = _dim_of(input, dim)
    positions = _index_vector("index_select", input, dim, index)
    if input.ndim == 0:
        return input.reshape(1)[positions].reshape(())
    return Index.apply(input, index=(slice(None),) * dim + (positions,))


@axis_alias
def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
    """A copy of input with alpha * source's slices added at `index` along `dim` (repeats add up).

    >>> thw.zeros(3).index_add(0, thw.tensor([0, 0]), thw.ones(2)).tolist()
    [2.0, 0.0, 0.0]
    """
    dim = _dim_of(input, dim)
    positions = _index_vector("index_add", input, dim, index)
    source = _source_tensor(source, input.dtype)
    expected = input.shape[:dim] + (len(positions),) + input.shape[dim + 1:]
    if source.shape != expected and not (input.ndim == 0 and source.numel() == len(positions)):
        raise RuntimeError(f"index_add_(): Source/destination tensor must have same slice shapes. Destination "
                           f"slice shape: {list(input.shape)} at dimension {dim} and source slice shape: "
                           f"{list(source.shape)} at dimension {dim}.")
    return IndexAdd.apply(input, source, index=positions, dim=dim, alpha=alpha)


@axis_alias
def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of input with source's slices written at `index` along `dim`.

    >>> thw.zeros(3).index_copy(0, thw.tensor([2]), thw.ones(1)).tolist()
    [0.0, 0.0, 1.0]
    """
    dim = _dim_of(input, dim)
    positions = _index_vector("index_copy", input, dim, index)
    return index_put(input, (slice(None),) * dim + (positions,), source)


@axis_alias
def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """A copy of input with `value` written in the slices at `index` along `dim`.

    >>> thw.zeros(2, 2).index_fill(1, thw.tensor([0]), 5.0).tolist()
    [[5.0, 0.0], [5.0, 0.0]]
    """
    dim = _dim_of(input, dim)
    positions = _index_vector("index_fill", input, dim, index)
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")
    return index_put(input, (slice(None),) * dim + (positions,), value)


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """`value` where mask is True, else input.

    >>> thw.masked_fill(thw.zeros(2), thw.tensor([True, False]), 1.0).tolist()
    [1.0, 0.0]
    """
    return input.masked_fill(mask, value)


def _bool_mask(name: str, mask: Any) -> np.ndarray:
    mask = _array(mask)
    if mask.dtype != np.bool_:
        raise RuntimeError(f"{name}: expected BoolTensor for mask")
    return mask


@out_argument
def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The values where mask (broadcast with input) is True, as a 1-D tensor.

    >>> thw.masked_select(thw.arange(4), thw.tensor([True, False, True, False])).tolist()
    [0, 2]
    """
    mask = _bool_mask("masked_select", mask)
    shape = np.broadcast_shapes(input.shape, mask.shape)
    return index(input.expand(*shape), np.broadcast_to(mask, shape))


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of input with source's first values written, in order, where mask is True.

    >>> thw.zeros(3).masked_scatter(thw.tensor([True, False, True]), thw.tensor([7.0, 8.0, 9.0])).tolist()
    [7.0, 0.0, 8.0]
    """
    mask = np.broadcast_to(_bool_mask("masked_scatter_", mask), input.shape)
    count = int(mask.sum())
    if source.numel() < count:
        raise RuntimeError("masked_scatter: expected source to have at least as many elements as ones in mask")
    return index_put(input, mask, source.flatten()[:count])


@out_argument
def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one index tensor per dim
    with `as_tuple=True` (what `thw.where(condition)` gives).

    >>> thw.nonzero(thw.tensor([0, 3, 5])).tolist()
    [[1], [2]]
    """
    array = _array(input)
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64), False, None) for i in np.nonzero(np.atleast_1d(array)))
    return Tensor._make(np.argwhere(array).astype(np.int64), False, None)


@out_argument
def argwhere(input: Tensor) -> Tensor:
    """`nonzero(input)`: (n, ndim) int64 indices of the non-zero elements.

    >>> thw.argwhere(thw.tensor([[0, 1], [1, 0]])).tolist()
    [[0, 1], [1, 0]]
    """
    return nonzero(input)


@out_argument
def take(input: Tensor, index: Tensor) -> Tensor:
    """input viewed as 1-D, indexed by `index` (the result has index's shape).

    >>> thw.take(thw.tensor([[1, 2], [3, 4]]), thw.tensor([0, 3])).tolist()
    [1, 4]
    """
    positions = _array(index)
    if positions.dtype.kind not in "iu":
        raise RuntimeError("take(): Expected a long tensor for index")
    size = input.numel()
    if positions.size and (positions.min() < -size or positions.max() >= size):
        raise IndexError(f"out of range: tried to access index {positions.max()} on a tensor of {size} elements.")
    return Index.apply(input.reshape(-1), index=positions % max(size, 1))


@out_argument
@axis_alias
def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """gather with broadcasting: picks values along dim at `indices` (as argmax/argsort give them);
    with dim None, from the flattened input.

    >>> thw.take_along_dim(thw.tensor([[1, 9], [7, 2]]), thw.tensor([[1], [0]]), 1).tolist()
    [[9], [7]]
    """
    positions = _array(indices)
    if dim is None:
        return take(input, positions.reshape(-1))
    dim = _dim_of(input, dim)
    if positions.ndim != input.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           f"but got {input.ndim} dimensions for input, and {positions.ndim} dimensions for indices")
    shape_input, shape_index = list(input.shape), list(positions.shape)
    shape_input[dim] = shape_index[dim] = 1
    try:
        common = list(np.broadcast_shapes(tuple(shape_input), tuple(shape_index)))
    except ValueError:
        raise RuntimeError(f"take_along_dim(): indices of shape {list(positions.shape)} do not broadcast with "
                           f"input of shape {list(input.shape)} outside dim {dim}") from None
    source_shape = common.copy()
    source_shape[dim] = input.shape[dim]
    common[dim] = positions.shape[dim]
    positions = np.broadcast_to(positions, common)
    return gather(input.expand(*source_shape), dim, positions % max(input.shape[dim], 1))
