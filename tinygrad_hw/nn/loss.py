"""Loss modules: each calls its `nn.functional` counterpart with the stored options.

Class weights (`weight`, `pos_weight`) are buffers, as in PyTorch, so they move with `.to()`.
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from . import functional as F
from .module import Module


class _Loss(Module):
    """A loss with a reduction; subclasses name their functional form and extra options."""

    function: Any = None
    options: tuple = ()

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean"):
        super().__init__()
        self.reduction = F._reduction(size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return type(self).function(input, target, reduction=self.reduction,
                                   **{name: getattr(self, name) for name in self.options})

    def extra_repr(self) -> str:
        return ""


class _WeightedLoss(_Loss):
    def __init__(self, weight: Tensor | None = None, size_average: Any = None, reduce: Any = None,
                 reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class CrossEntropyLoss(_WeightedLoss):
    """Softmax cross-entropy on logits with class indices or probabilities (class weights,
    ignore_index and label smoothing as in PyTorch).

    >>> nn.CrossEntropyLoss(label_smoothing=0.1)(model(x), labels).backward()
    """

    function = staticmethod(F.cross_entropy)
    options = ("weight", "ignore_index", "label_smoothing")

    def __init__(self, weight: Tensor | None = None, size_average: Any = None, ignore_index: int = -100,
                 reduce: Any = None, reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities.  >>> nn.NLLLoss()(log_probs, labels)"""

    function = staticmethod(F.nll_loss)
    options = ("weight", "ignore_index")

    def __init__(self, weight: Tensor | None = None, size_average: Any = None, ignore_index: int = -100,
                 reduce: Any = None, reduction: str = "mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index


class MSELoss(_Loss):
    """>>> nn.MSELoss()(prediction, target)"""

    function = staticmethod(F.mse_loss)


class L1Loss(_Loss):
    """>>> nn.L1Loss()(prediction, target)"""

    function = staticmethod(F.l1_loss)


class SmoothL1Loss(_Loss):
    """>>> nn.SmoothL1Loss(beta=0.5)(prediction, target)"""

    function = staticmethod(F.smooth_l1_loss)
    options = ("beta",)

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean", beta: float = 1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta


class HuberLoss(_Loss):
    """>>> nn.HuberLoss(delta=2.0)(prediction, target)"""

    function = staticmethod(F.huber_loss)
    options = ("delta",)

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction=reduction)
        self.delta = delta


class BCELoss(_WeightedLoss):
    """>>> nn.BCELoss()(probabilities, targets)"""

    function = staticmethod(F.binary_cross_entropy)
    options = ("weight",)


class BCEWithLogitsLoss(_Loss):
    """>>> nn.BCEWithLogitsLoss(pos_weight=thw.tensor([3.0]))(scores, targets)"""

    function = staticmethod(F.binary_cross_entropy_with_logits)
    options = ("weight", "pos_weight")

    def __init__(self, weight: Tensor | None = None, size_average: Any = None, reduce: Any = None,
                 reduction: str = "mean", pos_weight: Tensor | None = None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)


class KLDivLoss(_Loss):
    """>>> nn.KLDivLoss(reduction="batchmean")(log_probs, target_probs)"""

    function = staticmethod(F.kl_div)
    options = ("log_target",)

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                 log_target: bool = False):
        super().__init__(size_average, reduce, "mean" if reduction == "batchmean" else reduction)
        self.reduction, self.log_target = reduction, log_target


class SoftMarginLoss(_Loss):
    """>>> nn.SoftMarginLoss()(scores, y)"""

    function = staticmethod(F.soft_margin_loss)


class HingeEmbeddingLoss(_Loss):
    """>>> nn.HingeEmbeddingLoss(margin=2.0)(distances, y)"""

    function = staticmethod(F.hinge_embedding_loss)
    options = ("margin",)

    def __init__(self, margin: float = 1.0, size_average: Any = None, reduce: Any = None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin


class MultiMarginLoss(_WeightedLoss):
    """The multiclass SVM hinge loss (divided by the number of classes, as PyTorch).

    >>> nn.MultiMarginLoss()(scores, labels)
    """

    function = staticmethod(F.multi_margin_loss)
    options = ("p", "margin", "weight")

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Tensor | None = None, size_average: Any = None,
                 reduce: Any = None, reduction: str = "mean"):
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        super().__init__(weight, size_average, reduce, reduction)
        self.p, self.margin = p, margin


class _PairLoss(_Loss):
    """A loss of two inputs and a ±1 target, with a margin."""

    def __init__(self, margin: float = 0.0, size_average: Any = None, reduce: Any = None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Any) -> Tensor:
        return type(self).function(input1, input2, target, margin=self.margin, reduction=self.reduction)


class MarginRankingLoss(_PairLoss):
    """>>> nn.MarginRankingLoss(margin=0.5)(score_a, score_b, y)"""

    function = staticmethod(F.margin_ranking_loss)


class CosineEmbeddingLoss(_PairLoss):
    """>>> nn.CosineEmbeddingLoss()(a, b, y)"""

    function = staticmethod(F.cosine_embedding_loss)


class TripletMarginLoss(_Loss):
    """>>> nn.TripletMarginLoss(margin=0.2)(anchor, positive, negative)"""

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average: Any = None, reduce: Any = None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_loss(anchor, positive, negative, self.margin, self.p, self.eps, self.swap,
                                     reduction=self.reduction)
