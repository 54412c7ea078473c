"""`nn.functional` (`F`): layers, activations and losses as plain functions.

The fused ops (linear, cross-entropy, ELU, softplus) are `Function`s like every engine op;
the rest are written with Tensor operations, so their gradients come for free.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..ops.reductions import shifted_exp
from ..random import generator
from ..tensor import Tensor
from .convolution import conv1d, conv2d, conv_transpose2d, fold, unfold  # noqa: F401  (re-exported)
from .normalization import batch_norm  # noqa: F401
from .pooling import (adaptive_avg_pool2d, adaptive_max_pool2d, avg_pool1d, avg_pool2d, max_pool1d,  # noqa: F401
                      max_pool2d)

# ---------------------------------------------------------------------- activations


def relu(input: Tensor) -> Tensor:
    """max(x, 0).  >>> F.relu(thw.tensor([-1.0, 2.0]))  -> Tensor([0., 2.])"""
    return input.relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x where x > 0, else negative_slope·x.  >>> F.leaky_relu(x, 0.1)"""
    return input.leaky_relu(negative_slope)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x).  >>> F.sigmoid(x)"""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """>>> F.tanh(x)"""
    return input.tanh()


def softmax(input: Tensor, dim: int) -> Tensor:
    """>>> F.softmax(logits, dim=1).sum(dim=1)   # ones"""
    return input.softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:
    """>>> F.log_softmax(logits, dim=1)"""
    return input.log_softmax(dim)


class _ELU(Function):
    """d elu/dx = 1 where x > 0, else elu(x) + alpha"""

    @staticmethod
    def forward(ctx, a, alpha=1.0):
        out = np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))
        ctx.save_for_backward(a > 0, out)
        ctx.alpha = alpha
        return out

    @staticmethod
    def backward(ctx, grad_output):
        positive, out = ctx.saved_tensors
        return grad_output * np.where(positive, 1, out + ctx.alpha).astype(grad_output.dtype)


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """x where x > 0, else alpha·(eˣ - 1).  >>> F.elu(x)"""
    return _ELU.apply(input, alpha=alpha)


class _Softplus(Function):
    """d softplus/dx = sigmoid(beta·x) (linear above the threshold, as PyTorch)"""

    @staticmethod
    def forward(ctx, a, beta=1.0, threshold=20.0):
        scaled = a * beta
        linear = scaled > threshold
        ctx.save_for_backward(scaled, linear)
        return np.where(linear, a, np.logaddexp(0, scaled) / beta)

    @staticmethod
    def backward(ctx, grad_output):
        scaled, linear = ctx.saved_tensors
        slope = np.exp(-np.logaddexp(0, -scaled))  # sigmoid without overflow
        return grad_output * np.where(linear, 1, slope).astype(grad_output.dtype)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta·x)) / beta.  >>> F.softplus(x)"""
    return _Softplus.apply(input, beta=beta, threshold=threshold)


# ---------------------------------------------------------------------- layers
class _Linear(Function):
    """y = x Wᵀ + b;  dx = g W,  dW = gᵀ x,  db = Σ g  (matmul and bias in one node)"""

    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight)
        out = x @ weight.T
        if bias is not None:
            out += bias
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        need_x, need_weight, *need_bias = ctx.needs_input_grad
        grad_x = grad_output @ weight if need_x else None
        rows = grad_output.reshape(-1, grad_output.shape[-1])
        # (xᵀg)ᵀ rather than gᵀx: the same numbers, laid out like nn.Linear's column-major weight.
        grad_weight = (x.reshape(-1, x.shape[-1]).T @ rows).T if need_weight else None
        grad_bias = rows.sum(axis=0) if need_bias and need_bias[0] else None
        return grad_x, grad_weight, grad_bias


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weightᵀ + bias, with weight of shape (out_features, in_features).

    >>> F.linear(thw.ones(5, 3), thw.ones(2, 3)).shape
    (5, 2)
    """
    if input.shape[-1:] != weight.shape[1:]:
        raise ValueError(f"linear: input has {input.shape[-1] if input.ndim else 0} features "
                         f"(shape {input.shape}) but the weight expects {weight.shape[1]} "
                         f"(in_features={weight.shape[1]}, weight shape {weight.shape})")
    if bias is None:
        return _Linear.apply(input, weight)
    return _Linear.apply(input, weight, bias)


def dropout(input: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (inverted dropout).

    >>> F.dropout(x, 0.5, training=model.training)
    """
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    keep = generator().random(input.shape, dtype=np.float32) >= p
    return input * (keep * (1.0 / (1 - p))).astype(input.dtype)


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Integer labels -> int64 one-hot rows, as torch.nn.functional.one_hot.

    >>> F.one_hot(thw.tensor([0, 2]), 3).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    labels = _class_indices(tensor, "one_hot")
    if num_classes < 0:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    _check_range(labels, num_classes)
    return Tensor._make(np.eye(num_classes, dtype=np.int64)[labels], False, None)


# ---------------------------------------------------------------------- losses
def _class_indices(target: Any, name: str) -> np.ndarray:
    labels = np.asarray(target._data if isinstance(target, Tensor) else target)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name}: class targets must be integers, got {labels.dtype} "
                        "(use .long(), or pass class probabilities of the input's shape)")
    return labels


def _check_range(labels: np.ndarray, num_classes: int) -> None:
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        bad = labels[(labels < 0) | (labels >= num_classes)].flat[0]
        raise IndexError(f"target {bad} is out of bounds for {num_classes} classes (valid: 0..{num_classes - 1})")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _check_batch(input: Tensor, target: Any, name: str) -> None:
    target_shape = np.shape(target)
    if input.ndim >= 2 and target_shape and target_shape[0] != input.shape[0]:
        raise ValueError(f"{name}: input batch size {input.shape[0]} (shape {input.shape}) does not "
                         f"match target batch size {target_shape[0]} (shape {target_shape})")


class _CrossEntropy(Function):
    """loss = -Σ t·log softmax(x);  dloss/dx = softmax(x)·Σt - t  (fused, stable)"""

    @staticmethod
    def forward(ctx, logits, target, reduction="mean", class_dim=1):
        _, shifted, exp, rest = shifted_exp(logits, class_dim)
        log_norm = np.log1p(rest)  # log Σ exp(x - shift)
        if target.dtype.kind in "iu":  # only the picked log-probabilities are needed
            losses = np.squeeze(log_norm, class_dim) - _pick(shifted, target, class_dim)
        else:
            losses = -(target * (shifted - log_norm)).sum(axis=class_dim)
        ctx.save_for_backward(exp, rest, log_norm, shifted, target)
        ctx.count, ctx.reduction, ctx.class_dim = losses.size, reduction, class_dim
        if reduction == "mean":
            return losses.sum() / losses.size
        return losses.sum() if reduction == "sum" else losses

    @staticmethod
    def backward(ctx, grad_output):
        exp, rest, log_norm, shifted, target = ctx.saved_tensors
        reduction, class_dim = ctx.reduction, ctx.class_dim
        scale = grad_output / ctx.count if reduction == "mean" else grad_output
        if reduction == "none":
            scale = np.expand_dims(scale, class_dim)
        probs = exp / (1 + rest)
        if target.dtype.kind in "iu":
            if probs.ndim == 2 and class_dim == 1:
                probs[np.arange(len(target)), target] -= 1
            else:
                index = np.expand_dims(target, class_dim)
                np.put_along_axis(probs, index, np.take_along_axis(probs, index, axis=class_dim) - 1, axis=class_dim)
            probs *= scale
            return probs, None
        grad_logits = (probs * target.sum(axis=class_dim, keepdims=True) - target) * scale
        grad_target = -(shifted - log_norm) * scale if ctx.needs_input_grad[1] else None
        return grad_logits, grad_target


def _pick(values: np.ndarray, target: np.ndarray, class_dim: int) -> np.ndarray:
    """values[i, target[i]] (along class_dim in general)."""
    if values.ndim == 2 and class_dim == 1:
        return values[np.arange(len(target)), target]
    if values.ndim == 1:
        return values[target]
    return np.squeeze(np.take_along_axis(values, np.expand_dims(target, class_dim), axis=class_dim), class_dim)


def cross_entropy(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy on logits, fused and stable (finite at logits of ±1e4).

    `target` is integer class indices of shape (N,) for input (N, C) (or (N, d...) for
    (N, C, d...)), or class probabilities of the input's shape.

    >>> F.cross_entropy(thw.tensor([[3.2, 5.1, -1.7]]), thw.tensor([0])).item()   # 2.04
    """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    class_dim = 1 if input.ndim > 1 else 0
    labels = target._data if isinstance(target, Tensor) else np.asarray(target)
    if labels.dtype.kind == "f":
        if labels.shape != input.shape:
            raise TypeError(f"cross_entropy: got float targets of shape {labels.shape}; class "
                            "targets must be integers (use .long()), and class probabilities must "
                            f"have the input's shape {input.shape}")
        return _CrossEntropy.apply(input, target, reduction=reduction, class_dim=class_dim)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy: class targets must be integers, got {labels.dtype}")
    expected = input.shape[:class_dim] + input.shape[class_dim + 1:]
    if labels.shape != expected:
        _check_batch(input, labels, "cross_entropy")
        raise ValueError(f"cross_entropy: target shape {labels.shape} does not fit input "
                         f"{input.shape} (expected {expected})")
    _check_range(labels, input.shape[class_dim])
    return _CrossEntropy.apply(input, target, reduction=reduction, class_dim=class_dim)


def nll_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """-input[i, target[i]] for log-probabilities `input` (N, C).

    >>> F.nll_loss(F.log_softmax(logits, 1), labels)   # == F.cross_entropy(logits, labels)
    """
    labels = _class_indices(target, "nll_loss")
    _check_batch(input, labels, "nll_loss")
    _check_range(labels, input.shape[-1])
    if input.ndim == 1:
        return _reduce(-input[labels], reduction)
    return _reduce(-input[np.arange(input.shape[0]), labels], reduction)


def _check_same_shape(input: Tensor, target: Any, name: str) -> None:
    if input.shape != np.shape(target):
        raise ValueError(f"{name}: input shape {input.shape} and target shape {np.shape(target)} differ")


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """(input - target)².  >>> F.mse_loss(prediction, y)"""
    _check_same_shape(input, target, "mse_loss")
    difference = input - target
    return _reduce(difference * difference, reduction)


def l1_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """|input - target|.  >>> F.l1_loss(prediction, y)"""
    _check_same_shape(input, target, "l1_loss")
    return _reduce((input - target).abs(), reduction)


def binary_cross_entropy(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """-(t·log p + (1-t)·log(1-p)) for probabilities p; logs clamped at -100 as in PyTorch.

    >>> F.binary_cross_entropy(model(x).sigmoid(), y)
    """
    _check_same_shape(input, target, "binary_cross_entropy")
    values = input._data
    if values.size and (values.min() < 0 or values.max() > 1):
        raise ValueError("binary_cross_entropy: input must be probabilities in [0, 1] "
                         f"(got values from {values.min()} to {values.max()}); use "
                         "binary_cross_entropy_with_logits for raw scores")
    log_p = input.log().clamp(min=-100)
    log_not_p = (1 - input).log().clamp(min=-100)
    return _reduce(-(target * log_p + (1 - target) * log_not_p), reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """BCE on raw scores x, stable: max(x, 0) - x·t + log(1 + e^-|x|).

    >>> F.binary_cross_entropy_with_logits(scores, y)
    """
    _check_same_shape(input, target, "binary_cross_entropy_with_logits")
    return _reduce(input.relu() - input * target + softplus(-input.abs()), reduction)


def multi_margin_loss(input: Tensor, target: Any, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    """Multiclass SVM hinge: Σ_{j≠y} max(0, margin - x_y + x_j) / C (PyTorch divides by C).

    The lectures' SVM loss is this times the number of classes C.

    >>> F.multi_margin_loss(thw.tensor([[3.2, 5.1, -1.7]]), thw.tensor([0])).item() * 3   # 2.9
    """
    labels = _class_indices(target, "multi_margin_loss")
    scores = input if input.ndim == 2 else input.unsqueeze(0)
    labels = labels.reshape(-1)
    _check_batch(scores, labels, "multi_margin_loss")
    _check_range(labels, scores.shape[1])
    rows = np.arange(scores.shape[0])
    correct = scores[rows, labels].unsqueeze(1)
    others = np.ones(scores.shape, dtype=scores.dtype)
    others[rows, labels] = 0
    losses = ((scores - correct + margin).relu() * others).sum(dim=1) / scores.shape[1]
    return _reduce(losses if input.ndim == 2 else losses[0], reduction)
