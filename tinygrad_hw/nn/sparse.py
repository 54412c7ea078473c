"""`nn.Embedding` and `F.embedding`: a lookup table of learned vectors, one per index."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..autograd.grad_mode import no_grad
from ..random import generator
from ..tensor import Tensor, get_default_dtype
from .module import Module, Parameter


class _Embedding(Function):
    """out[...] = weight[index[...]];  dweight[i] = Σ of g where index == i (none at padding_idx)"""

    @staticmethod
    def forward(ctx, weight, indices, padding_idx=None):
        ctx.save_for_backward(indices)
        ctx.num_embeddings, ctx.padding_idx = weight.shape[0], padding_idx
        return weight[indices]

    @staticmethod
    def backward(ctx, grad_output):
        (indices,) = ctx.saved_tensors
        flat = indices.reshape(-1)
        rows = grad_output.reshape(len(flat), -1)
        grad_weight = np.zeros((ctx.num_embeddings, rows.shape[1]), grad_output.dtype)
        np.add.at(grad_weight, flat, rows)
        if ctx.padding_idx is not None:
            grad_weight[ctx.padding_idx] = 0
        return grad_weight, None


def _indices(input: Any) -> np.ndarray:
    indices = input._data if isinstance(input, Tensor) else np.asarray(input)
    if indices.dtype.kind not in "iu":
        kind = {"f": "Float", "b": "Bool"}.get(indices.dtype.kind, str(indices.dtype))
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {kind} tensor instead (while checking arguments for embedding)")
    return indices


def _padding_index(padding_idx: int | None, num_embeddings: int) -> int | None:
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx % num_embeddings


def _renorm(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Rescale (in place, not recorded) the looked-up rows whose norm exceeds max_norm."""
    rows = np.unique(indices)
    values = weight._data[rows]
    norms = np.linalg.norm(values.astype(np.float64), ord=norm_type, axis=1)
    scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(weight.dtype)
    with no_grad():
        weight._data[rows] = values * scale[:, None]
        weight._version[0] += 1


def embedding(input: Any, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of `weight` picked by the integer `input` (any shape); the gradient scatters back.

    >>> F.embedding(thw.tensor([[0, 2]]), thw.randn(5, 3)).shape
    (1, 2, 3)
    """
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse gradients are not supported")
    indices = _indices(input)
    if weight.ndim != 2:
        raise RuntimeError(f"'weight' must be 2-D, got {weight.ndim}-D")
    if indices.size and (indices.min() < 0 or indices.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm(weight, indices, max_norm, norm_type)
    return _Embedding.apply(weight, indices, padding_idx=_padding_index(padding_idx, weight.shape[0]))


class Embedding(Module):
    """A table of `num_embeddings` learned vectors of size `embedding_dim`, initialised N(0, 1)
    (the `padding_idx` row zero, and it gets no gradient).

    >>> table = nn.Embedding(27, 10)
    >>> table(thw.tensor([[1, 2, 3]])).shape
    (1, 3, 10)
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Tensor | None = None, _freeze: bool = False,
                 device: Any = None, dtype: Any = None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _padding_index(padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            values = generator().standard_normal((num_embeddings, embedding_dim)).astype(dtype or get_default_dtype())
            if self.padding_idx is not None:
                values[self.padding_idx] = 0
            self.weight = Parameter(values, requires_grad=not _freeze)
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def forward(self, input: Any) -> Tensor:
        return embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                         self.scale_grad_by_freq, self.sparse)

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> "Embedding":
        """An Embedding holding `embeddings` (2-D); frozen unless `freeze=False`.

        >>> nn.Embedding.from_pretrained(thw.tensor([[1.0, 2.0], [3.0, 4.0]]))(thw.tensor([1]))
        """
        if embeddings.ndim != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=embeddings, _freeze=freeze)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        for name, default in (("padding_idx", None), ("max_norm", None), ("norm_type", 2.0),
                              ("scale_grad_by_freq", False), ("sparse", False)):
            if getattr(self, name) != default:
                text += f", {name}={getattr(self, name)}"
        return text
