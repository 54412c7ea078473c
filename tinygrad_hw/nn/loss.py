"""Loss modules: each calls its `nn.functional` counterpart with the stored options."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from . import functional as F
from .module import Module


class _Loss(Module):
    function: Any = None

    def __init__(self, reduction: str = "mean"):
        super().__init__()
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        self.reduction = reduction

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return type(self).function(input, target, reduction=self.reduction)

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy on logits with class indices or probabilities.

    >>> nn.CrossEntropyLoss()(model(x), labels).backward()
    """

    function = staticmethod(F.cross_entropy)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities.  >>> nn.NLLLoss()(log_probs, labels)"""

    function = staticmethod(F.nll_loss)


class MSELoss(_Loss):
    """>>> nn.MSELoss()(prediction, target)"""

    function = staticmethod(F.mse_loss)


class L1Loss(_Loss):
    """>>> nn.L1Loss()(prediction, target)"""

    function = staticmethod(F.l1_loss)


class BCELoss(_Loss):
    """>>> nn.BCELoss()(probabilities, targets)"""

    function = staticmethod(F.binary_cross_entropy)


class BCEWithLogitsLoss(_Loss):
    """>>> nn.BCEWithLogitsLoss()(scores, targets)"""

    function = staticmethod(F.binary_cross_entropy_with_logits)


class MultiMarginLoss(_Loss):
    """The multiclass SVM hinge loss (divided by the number of classes, as PyTorch).

    >>> nn.MultiMarginLoss()(scores, labels)
    """

    def __init__(self, margin: float = 1.0, reduction: str = "mean"):
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.multi_margin_loss(input, target, margin=self.margin, reduction=self.reduction)
