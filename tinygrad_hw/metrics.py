"""Classification metrics in NumPy: accuracy, confusion matrix, precision and recall."""

from __future__ import annotations

from typing import Any

import numpy as np


def _labels(values: Any) -> np.ndarray:
    array = np.asarray(values)
    return array.argmax(axis=1) if array.ndim == 2 else _integer_labels(array, "predictions")


def _integer_labels(values: Any, name: str) -> np.ndarray:
    """Class indices as int64; a fractional value (2.5) is an error, not silently truncated."""
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":  # strings and objects are not class indices
        raise ValueError(f"{name} must be integer class indices, got dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.array_equal(array, np.round(array)):
        raise ValueError(f"{name} must be integer class indices, got fractional or non-finite values")
    return array.astype(np.int64)


def accuracy(predictions: Any, targets: Any) -> float:
    """Fraction of correct predictions (class indices, or scores of shape (N, C)).

    >>> accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1]))
    0.5
    """
    predicted, targets = _labels(predictions), np.asarray(targets)
    if predicted.shape != targets.shape:
        raise ValueError(f"accuracy: {predicted.shape[0]} predictions for {targets.shape[0]} targets")
    return float((predicted == targets).mean()) if targets.size else 0.0


def confusion_matrix(targets: Any, predictions: Any, num_classes: int | None = None) -> np.ndarray:
    """counts[true, predicted], built with one bincount; labels must lie in [0, num_classes).

    >>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
    [[1, 0], [1, 1]]
    """
    targets, predicted = _integer_labels(targets, "targets"), _labels(predictions)
    if predicted.shape != targets.shape:
        raise ValueError(f"confusion_matrix: predictions of shape {predicted.shape} for targets of shape "
                         f"{targets.shape}")
    if num_classes is None:
        num_classes = int(max(targets.max(initial=-1), predicted.max(initial=-1))) + 1
    elif isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"confusion_matrix: num_classes must be a positive integer, got {num_classes!r}")
    for name, labels in (("targets", targets), ("predictions", predicted)):
        outside = labels[(labels < 0) | (labels >= num_classes)]
        if outside.size:
            raise ValueError(f"confusion_matrix: {name} hold {outside.size} label(s) outside [0, {num_classes}), "
                             f"e.g. {outside[0]}")
    counts = np.bincount(targets.ravel() * num_classes + predicted.ravel(), minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


def precision_recall(confusion: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-class precision (column-wise) and recall (row-wise); 0 where a class never occurs.

    >>> precision_recall(np.array([[1, 0], [1, 1]]))
    (array([0.5, 1. ]), array([1. , 0.5]))
    """
    confusion = np.asarray(confusion, dtype=np.float64)
    correct = np.diag(confusion)
    predicted, actual = confusion.sum(axis=0), confusion.sum(axis=1)
    precision = np.divide(correct, predicted, out=np.zeros_like(correct), where=predicted > 0)
    recall = np.divide(correct, actual, out=np.zeros_like(correct), where=actual > 0)
    return precision, recall
