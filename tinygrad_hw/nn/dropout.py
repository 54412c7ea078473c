"""`nn.Dropout`: inverted dropout in training, identity in eval."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module


class Dropout(Module):
    """Inverted dropout: zero with probability p and scale by 1/(1-p) in training; identity in eval.

    >>> layer = nn.Dropout(0.5); layer.eval(); layer(x) is x
    True
    """

    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"
