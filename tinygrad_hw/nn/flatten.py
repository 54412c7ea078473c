"""`nn.Flatten` merges dimensions into one; `nn.Unflatten` splits one into several."""

from __future__ import annotations

from typing import Sequence

from ..tensor import Tensor
from .module import Module


class Flatten(Module):
    """>>> nn.Flatten()(thw.zeros(8, 16, 7, 7)).shape
    (8, 784)"""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension `dim` into `unflattened_size` (one entry may be -1).

    >>> nn.Unflatten(1, (16, 7, 7))(thw.zeros(8, 784)).shape
    (8, 16, 7, 7)
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int]):
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(f"unflattened_size must be tuple of ints, but found type {type(unflattened_size).__name__}")
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x: Tensor) -> Tensor:
        dim = self.dim % x.ndim if -x.ndim <= self.dim < x.ndim else None
        if dim is None:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-x.ndim}, {x.ndim - 1}], "
                             f"but got {self.dim})")
        known = 1
        for size in self.unflattened_size:
            known *= size if size != -1 else 1
        inferred = x.shape[dim] // known if -1 in self.unflattened_size else None
        sizes = tuple(inferred if size == -1 else size for size in self.unflattened_size)
        product = 1
        for size in sizes:
            product *= size
        if product != x.shape[dim]:
            raise RuntimeError(f"unflatten: Provided sizes {list(self.unflattened_size)} don't multiply up to the "
                               f"size of dim {self.dim} ({x.shape[dim]}) in the input tensor")
        return x.reshape(*x.shape[:dim], *sizes, *x.shape[dim + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
