"""`thw.linalg`: vector and matrix norms, and singular values (as torch.linalg).

>>> thw.linalg.norm(thw.tensor([[3.0, 4.0]]))
Tensor(5.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, _normalize_dims
from .arithmetic import write_out

__all__ = ["norm", "vector_norm", "matrix_norm", "svdvals"]


class SingularValues(Function):
    """d σ/dA · g = U diag(g) Vᵀ (for distinct singular values)"""

    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.save_for_backward(u, vh)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        u, vh = ctx.saved_tensors
        return (u * grad_output[..., None, :]) @ vh


def svdvals(A: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The singular values of (a batch of) matrices, largest first.

    >>> thw.linalg.svdvals(thw.tensor([[3.0, 0.0], [0.0, -2.0]])).tolist()
    [3.0, 2.0]
    """
    if A.ndim < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    return write_out(SingularValues.apply(A), out)


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *, dtype: Any = None,
                out: Tensor | None = None) -> Tensor:
    """The vector ord-norm over `dim` (all elements when None): 2, 1, inf, -inf, 0 or any number.

    >>> thw.linalg.vector_norm(thw.tensor([3.0, -4.0]), ord=1).item()
    7.0
    """
    return write_out(x.norm(float(ord), dim, keepdim, dtype), out)


def matrix_norm(A: Tensor, ord: Any = "fro", dim: tuple = (-2, -1), keepdim: bool = False, *, dtype: Any = None,
                out: Tensor | None = None) -> Tensor:
    """The matrix norm over the two dims `dim`: 'fro', 'nuc' (sum of singular values), 2 and -2
    (largest and smallest singular value), 1 and -1 (max and min column sum of |A|), inf and
    -inf (max and min row sum of |A|).

    >>> thw.linalg.matrix_norm(thw.tensor([[3.0, 4.0], [1.0, 2.0]]), ord=1).item()
    6.0
    """
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    A = A if dtype is None else A.astype(dtype)
    if A.dtype.kind != "f":
        raise RuntimeError(f"linalg.matrix_norm: Expected a floating point or complex tensor as input. Got {A.dtype}")
    rows, cols = _normalize_dims(dim, A.ndim)
    if rows == cols:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({rows}, {cols})")
    if ord == "fro":
        result = A.norm(2, (rows, cols), keepdim)
    elif ord in ("nuc", 2, -2):
        others = [d for d in range(A.ndim) if d not in (rows, cols)]
        values = SingularValues.apply(A.permute(*others, rows, cols))
        result = values.sum(-1) if ord == "nuc" else values.amax(-1) if ord == 2 else values.amin(-1)
        if keepdim:
            for d in sorted((rows, cols)):
                result = result.unsqueeze(d)
    elif ord in (1, -1, np.inf, -np.inf):
        summed, reduced = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = A.abs().sum(summed, keepdim=True)
        result = sums.amax(reduced, keepdim=True) if ord > 0 else sums.amin(reduced, keepdim=True)
        if not keepdim:
            result = result.squeeze((rows, cols))
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    return write_out(result, out)


def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *, dtype: Any = None,
         out: Tensor | None = None) -> Tensor:
    """A vector norm or a matrix norm, chosen as torch.linalg.norm does: with `ord` and no
    `dim`, a 1-D input gets the vector norm and a 2-D one the matrix norm; two dims mean a
    matrix norm; otherwise the vector 2-norm.

    >>> thw.linalg.norm(thw.tensor([[3.0, 4.0], [1.0, 2.0]]), "nuc").item()
    5.830...
    """
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype, out=out)
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype, out=out)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    if A.ndim == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype, out=out)
    if A.ndim != 1:
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                           f"Got {A.ndim}D.")
    return vector_norm(A, ord, None, keepdim, dtype=dtype, out=out)
