"""Classification metrics in NumPy: accuracy, confusion matrix, precision and recall."""

from __future__ import annotations

from typing import Any

import numpy as np


def _labels(values: Any) -> np.ndarray:
    array = np.asarray(values)
    return array.argmax(axis=1) if array.ndim == 2 else array.astype(np.int64)


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
    """counts[true, predicted], built with one bincount.

    >>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
    [[1, 0], [1, 1]]
    """
    targets, predicted = np.asarray(targets).astype(np.int64), _labels(predictions)
    if num_classes is None:
        num_classes = int(max(targets.max(initial=-1), predicted.max(initial=-1))) + 1
    counts = np.bincount(targets * num_classes + predicted, minlength=num_classes * num_classes)
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
