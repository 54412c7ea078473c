"""Dropout layers: inverted dropout in training, identity in eval.

`Dropout` zeroes elements; `Dropout1d/2d/3d` zero whole channels (every value of one
channel of one sample together), as PyTorch's do.
"""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Inverted dropout: zero with probability p and scale by 1/(1-p) in training; identity in eval.

    >>> layer = nn.Dropout(0.5); layer.eval(); layer(x) is x
    True
    """

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training)


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) or (C, L).  >>> nn.Dropout1d(0.2)(thw.randn(4, 8, 16))"""

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout1d(x, self.p, self.training)


class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) or (C, H, W).  >>> nn.Dropout2d(0.25)(feature_maps)"""

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout2d(x, self.p, self.training)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W).  >>> nn.Dropout3d()(volumes)"""

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout3d(x, self.p, self.training)
