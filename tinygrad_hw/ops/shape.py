"""Shape and movement: reshape, permute, expand, cat and stack; the gradient is moved back."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..aliases import axis_alias, out_argument
from ..autograd.function import Function
from ..dtypes import result_type
from ..tensor import Tensor, _normalize_dims

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "broadcast_to", "cat",
           "chunk", "clone", "column_stack", "concat", "concatenate", "diag", "diagonal", "dstack", "flatten", "flip",
           "fliplr", "flipud", "ger", "hstack", "meshgrid", "moveaxis", "movedim", "narrow", "outer", "permute",
           "repeat_interleave", "reshape", "roll", "row_stack", "select", "split", "squeeze", "stack", "swapaxes",
           "swapdims", "t", "tile", "trace", "transpose", "tril", "triu", "unbind", "unflatten", "unsqueeze",
           "vstack"]


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
        ctx.dims = dims
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.transpose(np.argsort(ctx.dims))


class Expand(Function):
    """the gradient is summed over the broadcast dimensions (by the engine)"""

    @staticmethod
    def forward(ctx, a, shape):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class Cat(Function):
    """the gradient is split back into the pieces"""

    @staticmethod
    def forward(ctx, *arrays, dim=0):
        ctx.dim = dim
        ctx.sizes = [array.shape[dim] for array in arrays]
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        boundaries = np.cumsum(ctx.sizes)[:-1]
        return tuple(np.split(grad_output, boundaries, axis=ctx.dim))


@out_argument
def cat(tensors: list, dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dimension (dtypes promoted as PyTorch does; also
    `concat`, `concatenate`, and `axis=` for `dim`).

    >>> thw.cat([thw.zeros(2, 3), thw.ones(1, 3)]).shape
    (3, 3)
    """
    dim = dim if axis is None else axis
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    shapes = [t.shape for t in tensors]
    ndim = len(shapes[0])
    if ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    dim = _normalize_dims(dim, ndim)[0]
    for position, shape in enumerate(shapes):
        if len(shape) != ndim or shape[:dim] + shape[dim + 1:] != shapes[0][:dim] + shapes[0][dim + 1:]:
            raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected sizes "
                               f"{list(shapes[0])} but got {list(shape)} for tensor number {position} in the list.")
    dtype = result_type(*tensors)
    return Cat.apply(*[t if t.dtype == dtype else t.astype(dtype) for t in tensors], dim=dim)


concat = cat


@out_argument
def concatenate(tensors: list, axis: int = 0) -> Tensor:
    """`cat` under NumPy's name (`axis`).

    >>> thw.concatenate([thw.zeros(1), thw.ones(2)]).tolist()
    [0.0, 1.0, 1.0]
    """
    return cat(tensors, axis)


@out_argument
@axis_alias
def stack(tensors: list, dim: int = 0) -> Tensor:
    """Join same-shaped tensors along a new dimension: cat of unsqueezed pieces.

    >>> thw.stack([thw.zeros(3), thw.ones(3)]).shape
    (2, 3)
    """
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for position, tensor in enumerate(tensors):
        if tensor.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                               f"entry 0 and {list(tensor.shape)} at entry {position}")
    dim = _normalize_dims(dim, tensors[0].ndim + 1)[0]
    return cat([t.unsqueeze(dim) for t in tensors], dim=dim)


class Clone(Function):
    """a copy; the gradient passes unchanged"""

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class Flip(Function):
    """the gradient is flipped back along the same dims"""

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.flip(a, dims).copy()

    @staticmethod
    def backward(ctx, grad_output):
        return np.flip(grad_output, ctx.dims)


class Roll(Function):
    """the gradient is rolled back by the opposite shifts"""

    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(a, shifts, dims)

    @staticmethod
    def backward(ctx, grad_output):
        return np.roll(grad_output, tuple(-s for s in ctx.shifts), ctx.dims)


class Tile(Function):
    """out = a repeated reps[d] times along each dim;  d/da = g summed over the copies"""

    @staticmethod
    def forward(ctx, a, reps):
        ctx.input_shape, ctx.reps = a.shape, reps
        return np.tile(a, reps)

    @staticmethod
    def backward(ctx, grad_output):
        # (r0*s0, r1*s1, ...) -> (r0, s0, r1, s1, ...), then sum the copies r0, r1, ...
        split = [n for reps, size in zip(ctx.reps, ctx.input_shape) for n in (reps, size)]
        return grad_output.reshape(split).sum(axis=tuple(range(0, len(split), 2)))


class Triangle(Function):
    """tril/triu: d/da = g with the same triangle kept"""

    @staticmethod
    def forward(ctx, a, diagonal, upper):
        ctx.diagonal, ctx.upper = diagonal, upper
        return np.triu(a, diagonal) if upper else np.tril(a, diagonal)

    @staticmethod
    def backward(ctx, grad_output):
        return np.triu(grad_output, ctx.diagonal) if ctx.upper else np.tril(grad_output, ctx.diagonal)


def _diagonal_positions(rows: int, cols: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    length = max(0, min(rows + min(offset, 0), cols - max(offset, 0)))
    steps = np.arange(length)
    return steps + max(-offset, 0), steps + max(offset, 0)


class Diagonal(Function):
    """out = a's diagonal (dim1, dim2) as the last dim;  d/da = g written back on that diagonal"""

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        ctx.input_shape, ctx.offset, ctx.dim1, ctx.dim2 = a.shape, offset, dim1, dim2
        return np.diagonal(a, offset, dim1, dim2).copy()

    @staticmethod
    def backward(ctx, grad_output):
        moved = np.zeros(ctx.input_shape, grad_output.dtype)
        view = np.moveaxis(moved, (ctx.dim1, ctx.dim2), (-2, -1))
        rows, cols = _diagonal_positions(view.shape[-2], view.shape[-1], ctx.offset)
        view[..., rows, cols] = grad_output
        return moved


class DiagEmbed(Function):
    """out = a square matrix with vector a on diagonal k;  d/da = g's diagonal k"""

    @staticmethod
    def forward(ctx, a, diagonal):
        ctx.diagonal = diagonal
        return np.diag(a, diagonal)

    @staticmethod
    def backward(ctx, grad_output):
        return np.diag(grad_output, ctx.diagonal).copy()


def _as_tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(value)


def _dims(dims: Any) -> tuple:
    return tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy with its own memory, still on the graph (the gradient passes through).

    >>> y = x.clone(); y[0] = 5   # x unchanged
    """
    return Clone.apply(input)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions start_dim..end_dim into one.

    >>> thw.flatten(thw.zeros(2, 3, 4), 1).shape
    (2, 12)
    """
    return input.flatten(start_dim, end_dim)


def reshape(input: Tensor, shape: Any) -> Tensor:
    """>>> thw.reshape(thw.arange(6), (2, 3)).shape
    (2, 3)"""
    return input.reshape(shape)


@axis_alias
def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    """Drop dims of size 1 (all, one, or a tuple of them).

    >>> thw.squeeze(thw.zeros(1, 3, 1), (0, 2)).shape
    (3,)
    """
    return input.squeeze(dim)


@axis_alias
def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """>>> thw.unsqueeze(thw.zeros(3), 0).shape
    (1, 3)"""
    return input.unsqueeze(dim)


def permute(input: Tensor, dims: Any) -> Tensor:
    """>>> thw.permute(thw.zeros(2, 3), (1, 0)).shape
    (3, 2)"""
    return input.permute(*dims)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dims (also `swapaxes`, `swapdims`).

    >>> thw.transpose(thw.zeros(2, 3), 0, 1).shape
    (3, 2)
    """
    return input.transpose(dim0, dim1)


swapaxes = swapdims = transpose


def t(input: Tensor) -> Tensor:
    """>>> thw.t(thw.zeros(2, 3)).shape
    (3, 2)"""
    return input.t()


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """Move dims `source` to positions `destination`, the others keep their order (also `moveaxis`).

    >>> thw.movedim(thw.zeros(2, 3, 4), 0, -1).shape
    (3, 4, 2)
    """
    source, destination = _dims(source), _dims(destination)
    if len(source) != len(destination):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(source)} dims) should "
                           f"contain the same number of dims as destination ({list(destination)} dims)")
    source, destination = _normalize_dims(source, input.ndim), _normalize_dims(destination, input.ndim)
    if len(set(source)) != len(source) or len(set(destination)) != len(destination):
        raise RuntimeError("movedim: repeated dim in `source` or `destination`")
    if input.ndim == 0:
        return input
    order = [None] * input.ndim
    for from_dim, to_dim in zip(source, destination):
        order[to_dim] = from_dim
    others = iter(d for d in range(input.ndim) if d not in source)
    return input.permute(*[d if d is not None else next(others) for d in order])


moveaxis = movedim


@axis_alias
def unflatten(input: Tensor, dim: int, sizes: Any) -> Tensor:
    """Split one dim into several (one size may be -1).

    >>> thw.unflatten(thw.zeros(2, 12), 1, (3, 4)).shape
    (2, 3, 4)
    """
    dim = _normalize_dims(dim, input.ndim)[0]
    sizes = tuple(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    known = int(np.prod([s for s in sizes if s != -1]))
    if -1 not in sizes and known != input.shape[dim] or -1 in sizes and (known == 0 or input.shape[dim] % known):
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({input.shape[dim]}) in the input tensor")
    return input.reshape(*input.shape[:dim], *sizes, *input.shape[dim + 1:])


def flip(input: Tensor, dims: Any) -> Tensor:
    """Reverse the order along `dims` (a copy, as in PyTorch; NumPy's flip is a view).

    >>> thw.flip(thw.arange(3), (0,)).tolist()
    [2, 1, 0]
    """
    dims = _normalize_dims(_dims(dims), input.ndim)
    if len(set(dims)) != len(dims):
        raise RuntimeError("dims has duplicates")
    return Flip.apply(input, dims=dims if input.ndim else ())


def fliplr(input: Tensor) -> Tensor:
    """>>> thw.fliplr(thw.eye(2)).tolist()
    [[0.0, 1.0], [1.0, 0.0]]"""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input: Tensor) -> Tensor:
    """>>> thw.flipud(thw.arange(3)).tolist()
    [2, 1, 0]"""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Shift elements along dims, wrapping around; with no dims, over the flattened tensor.

    >>> thw.roll(thw.arange(4), 1).tolist()
    [3, 0, 1, 2]
    """
    if dims is None:
        if len(_dims(shifts)) != 1:
            raise RuntimeError(f"roll: shifts and dims must align. shifts: {len(_dims(shifts))}, dims:0")
        return roll(input.flatten(), shifts, 0).reshape(input.shape)
    shifts, dims = tuple(int(s) for s in _dims(shifts)), _dims(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    dims = _normalize_dims(dims, input.ndim)
    return Roll.apply(input, shifts=shifts, dims=dims) if input.ndim else input.clone()


def _tile(input: Tensor, reps: tuple) -> Tensor:
    reps = tuple(int(r) for r in reps)
    if any(r < 0 for r in reps):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(reps)}: {list(reps)}")
    source = input.reshape(*([1] * (len(reps) - input.ndim)), *input.shape)
    return Tile.apply(source, reps=reps)


def tile(input: Tensor, dims: Any) -> Tensor:
    """Repeat the whole tensor along each dim; fewer reps than dims repeat the last dims.

    >>> thw.tile(thw.tensor([1, 2]), (2,)).tolist()
    [1, 2, 1, 2]
    """
    dims = _dims(dims)
    return _tile(input, (1,) * (input.ndim - len(dims)) + tuple(dims))


@axis_alias
def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Repeat each element `repeats` times (an int or one count per element) along dim
    (over the flattened tensor when dim is None). With only a tensor of counts, the indices
    repeated by their counts, as torch.repeat_interleave(counts).

    >>> thw.repeat_interleave(thw.tensor([1, 2]), 2).tolist()
    [1, 1, 2, 2]
    """
    if repeats is None:
        counts = np.asarray(input._data)
        return Tensor._make(np.repeat(np.arange(len(counts)), counts).astype(np.int64), False, None)
    if dim is None:
        input, dim = input.flatten(), 0
    dim = _normalize_dims(dim, input.ndim)[0]
    counts = repeats._data if isinstance(repeats, Tensor) else np.asarray(repeats)
    size = input.shape[dim] if input.ndim else 1
    if counts.ndim and counts.shape[0] not in (1, size):
        raise RuntimeError("repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {counts.shape[0]} and input.size({dim}) = {size}")
    if (counts < 0).any():
        raise RuntimeError("repeats can not be negative")
    positions = np.repeat(np.arange(size), counts)
    return input.reshape(1)[positions] if input.ndim == 0 else input[(slice(None),) * dim + (positions,)]


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple:
    """Pieces of `split_size_or_sections` each (the last may be smaller), or of the listed sizes.

    >>> [p.shape for p in thw.split(thw.zeros(5, 2), 2)]
    [(2, 2), (2, 2), (1, 2)]
    """
    if tensor.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = _normalize_dims(dim, tensor.ndim)[0]
    size = tensor.shape[dim]
    if isinstance(split_size_or_sections, (int, np.integer)):
        step = int(split_size_or_sections)
        if step < 0 or step == 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        sizes = [min(step, size - start) for start in range(0, size, step)] if size else [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != size or any(s < 0 for s in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size "
                               f"at dimension {dim}), but got split_sizes={sizes}")
    starts = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    return tuple(tensor[(slice(None),) * dim + (slice(start, start + length),)]
                 for start, length in zip(starts, sizes))


@axis_alias
def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    """At most `chunks` pieces of equal size (the last may be smaller), as torch.chunk.

    >>> len(thw.chunk(thw.arange(6), 4))
    3
    """
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    size = input.shape[_normalize_dims(dim, input.ndim)[0]]
    return split(input, max(-(-size // chunks), 1) if size else 0, dim) if size else split(input, [0], dim)


@axis_alias
def unbind(input: Tensor, dim: int = 0) -> tuple:
    """The slices along `dim`, each without that dim.

    >>> [t.tolist() for t in thw.unbind(thw.eye(2))]
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = _normalize_dims(dim, input.ndim)[0]
    return tuple(input[(slice(None),) * dim + (i,)] for i in range(input.shape[dim]))


@axis_alias
def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """`length` elements from `start` along `dim` (a view in PyTorch; here sliced out).

    >>> thw.narrow(thw.arange(5), 0, 1, 2).tolist()
    [1, 2]
    """
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = _normalize_dims(dim, input.ndim)[0]
    size, start = input.shape[dim], int(start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    start %= size if size else 1
    if length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return input[(slice(None),) * dim + (slice(start, start + length),)]


@axis_alias
def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice at `index` along `dim`, without that dim (`t.select(0, i)` is `t[i]`).

    >>> thw.select(thw.eye(3), 1, 0).tolist()
    [1.0, 0.0, 0.0]
    """
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = _normalize_dims(dim, input.ndim)[0]
    size, index = input.shape[dim], int(index)
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
                         f"dimension {dim}")
    return input[(slice(None),) * dim + (index,)]


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle (on and below diagonal `diagonal`) of the last two dims; zeros elsewhere.

    >>> thw.tril(thw.ones(2, 2)).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    if input.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return Triangle.apply(input, diagonal=int(diagonal), upper=False)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims; zeros elsewhere.

    >>> thw.triu(thw.ones(2, 2), 1).tolist()
    [[0.0, 1.0], [0.0, 0.0]]
    """
    if input.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return Triangle.apply(input, diagonal=int(diagonal), upper=True)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of dims (dim1, dim2), appended as the last dim.

    >>> thw.diagonal(thw.eye(3) * 2).tolist()
    [2.0, 2.0, 2.0]
    """
    dim1, dim2 = _normalize_dims((dim1, dim2), input.ndim)
    if input.ndim < 2:
        raise RuntimeError("diagonal dimensions requires ndim larger than 1")
    if dim1 == dim2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(input, offset=int(offset), dim1=dim1, dim2=dim2)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-D tensor becomes a square matrix with it on diagonal `diagonal`; a matrix gives its diagonal.

    >>> thw.diag(thw.tensor([1.0, 2.0])).tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    if input.ndim == 1:
        return DiagEmbed.apply(input, diagonal=int(diagonal))
    if input.ndim == 2:
        return Diagonal.apply(input, offset=int(diagonal), dim1=0, dim2=1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def trace(input: Tensor) -> Tensor:
    """Sum of the main diagonal of a matrix (integers sum to int64).

    >>> thw.trace(thw.eye(3)).item()
    3.0
    """
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return diagonal(input).sum()


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """input[i] * vec2[j] (also `ger`).

    >>> thw.outer(thw.tensor([1, 2]), thw.tensor([1, 10])).tolist()
    [[1, 10], [2, 20]]
    """
    input, vec2 = _as_tensor(input), _as_tensor(vec2)
    if input.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"outer: expected 1D tensors, but got {input.ndim}D and {vec2.ndim}D tensors")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


def broadcast_shapes(*shapes: Any) -> tuple:
    """The shape that tensors of these shapes broadcast to.

    >>> thw.broadcast_shapes((3, 1), (4,))
    (3, 4)
    """
    try:
        return tuple(np.broadcast_shapes(*[(s,) if isinstance(s, int) else tuple(s) for s in shapes]))
    except ValueError:
        raise RuntimeError(f"Shape mismatch: objects cannot be broadcast to a single shape: {list(shapes)}") from None


def broadcast_to(input: Tensor, size: Any) -> Tensor:
    """`input.expand(size)`.

    >>> thw.broadcast_to(thw.ones(3), (2, 3)).shape
    (2, 3)
    """
    return input.expand(*size)


def broadcast_tensors(*tensors: Tensor) -> tuple:
    """The tensors expanded to their common broadcast shape.

    >>> [t.shape for t in thw.broadcast_tensors(thw.ones(3, 1), thw.ones(4))]
    [(3, 4), (3, 4)]
    """
    tensors = [_as_tensor(t) for t in tensors]
    shape = broadcast_shapes(*[t.shape for t in tensors])
    return tuple(t.expand(*shape) for t in tensors)


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple:
    """Coordinate grids from 1-D tensors; `indexing='ij'` (default) or `'xy'` (first two swapped).

    >>> [g.shape for g in thw.meshgrid(thw.arange(2), thw.arange(3), indexing="ij")]
    [(2, 3), (2, 3)]
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    tensors = [_as_tensor(t) for t in tensors]
    if any(t.ndim > 1 for t in tensors):
        raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list")
    sizes = [t.numel() for t in tensors]
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for position, t in enumerate(tensors):
        axis = {0: 1, 1: 0}.get(position, position) if swap else position
        shape = [1] * len(tensors)
        shape[axis] = -1
        grids.append(t.reshape(*shape).expand(*sizes))
    return tuple(grids)


def atleast_1d(*tensors: Any) -> Any:
    """>>> thw.atleast_1d(thw.tensor(1.0)).shape
    (1,)"""
    return _atleast(tensors, 1)


def atleast_2d(*tensors: Any) -> Any:
    """>>> thw.atleast_2d(thw.ones(3)).shape
    (1, 3)"""
    return _atleast(tensors, 2)


def atleast_3d(*tensors: Any) -> Any:
    """A 1-D tensor becomes (1, n, 1), a 2-D one (m, n, 1), as in PyTorch and NumPy.

    >>> thw.atleast_3d(thw.ones(2, 3)).shape
    (2, 3, 1)
    """
    return _atleast(tensors, 3)


def _atleast(tensors: tuple, ndim: int) -> Any:
    several = len(tensors) != 1 or isinstance(tensors[0], (list, tuple))
    items = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    out = [_atleast_one(_as_tensor(t), ndim) for t in items]
    return tuple(out) if several else out[0]


def _atleast_one(t: Tensor, ndim: int) -> Tensor:
    if t.ndim >= ndim:
        return t
    if t.ndim == 0:
        return t.reshape((1,) * ndim)
    if t.ndim == 1:
        return t.reshape(1, t.shape[0]) if ndim == 2 else t.reshape(1, t.shape[0], 1)
    return t.reshape(*t.shape, 1)


@out_argument
def hstack(tensors: list) -> Tensor:
    """cat along dim 1 (dim 0 for 1-D tensors).

    >>> thw.hstack([thw.ones(2), thw.ones(3)]).shape
    (5,)
    """
    tensors = atleast_1d(list(tensors))
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


@out_argument
def vstack(tensors: list) -> Tensor:
    """cat of atleast_2d pieces along dim 0 (also `row_stack`).

    >>> thw.vstack([thw.ones(2), thw.ones(2)]).shape
    (2, 2)
    """
    return cat(atleast_2d(list(tensors)), 0)


row_stack = vstack


@out_argument
def dstack(tensors: list) -> Tensor:
    """cat of atleast_3d pieces along dim 2.

    >>> thw.dstack([thw.ones(2), thw.ones(2)]).shape
    (1, 2, 2)
    """
    return cat(atleast_3d(list(tensors)), 2)


@out_argument
def column_stack(tensors: list) -> Tensor:
    """1-D tensors become columns, then cat along dim 1.

    >>> thw.column_stack([thw.ones(2), thw.ones(2, 2)]).shape
    (2, 3)
    """
    tensors = [_as_tensor(t) for t in tensors]
    return cat([t.reshape(-1, 1) if t.ndim <= 1 else t for t in tensors], 1)
