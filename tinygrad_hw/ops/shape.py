"""Shape and movement: reshape, permute, expand, cat and stack; the gradient is moved back."""

from __future__ import annotations


import numpy as np

from ..autograd.function import Function
from ..dtypes import result_type
from ..tensor import Tensor, _normalize_dims

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["cat", "stack"]


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


def cat(tensors: list, dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension (dtypes promoted as PyTorch does).

    >>> thw.cat([thw.zeros(2, 3), thw.ones(1, 3)]).shape
    (3, 3)
    """
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
