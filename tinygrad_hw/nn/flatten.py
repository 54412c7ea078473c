"""`nn.Flatten`: merge dimensions into one."""

from __future__ import annotations

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
