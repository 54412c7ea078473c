"""Metrics against sums worked out by hand (and against each other)."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_hw.metrics import accuracy, confusion_matrix, precision_recall


def test_accuracy_from_labels_or_scores():
    assert accuracy([1, 2, 3, 4], [1, 2, 0, 4]) == 0.75
    assert accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1])) == 0.5
    with pytest.raises(ValueError, match="3 predictions for 2 targets"):
        accuracy([1, 2, 3], [1, 2])


def test_confusion_matrix_precision_recall():
    targets = np.array([0, 0, 1, 1, 1, 2])
    predicted = np.array([0, 1, 1, 1, 2, 2])
    confusion = confusion_matrix(targets, predicted, num_classes=4)
    assert confusion.tolist() == [[1, 1, 0, 0], [0, 2, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0]]
    precision, recall = precision_recall(confusion)
    np.testing.assert_allclose(precision, [1, 2 / 3, 1 / 2, 0])
    np.testing.assert_allclose(recall, [1 / 2, 2 / 3, 1, 0])
    rng = np.random.default_rng(0)
    t, p = rng.integers(0, 10, 1000), rng.integers(0, 10, 1000)
    assert np.trace(confusion_matrix(t, p)) / 1000 == accuracy(p, t)


@pytest.mark.parametrize("targets, predictions, num_classes, message", [
    ([0, 1, 3], [0, 1, 1], 3, r"targets hold 1 label\(s\) outside \[0, 3\), e.g. 3"),
    ([0, 1, 2], [0, -1, 1], 3, r"predictions hold 1 label\(s\) outside \[0, 3\), e.g. -1"),
    ([0, -1], [0, 0], None, r"targets .* outside \[0, 1\), e.g. -1"),
    ([0, 1], [0, 1, 1], 2, "predictions of shape"),
    ([0, 1], [0, 1], 0, "num_classes must be a positive integer"),
    ([0.0, 1.5], [0, 1], 2, "fractional"),
    ([0, 1], [0, np.nan], 2, "fractional or non-finite"),
    (["a", "b"], [0, 1], 2, "integer class indices"),
])
def test_confusion_matrix_refuses_labels_it_cannot_place(targets, predictions, num_classes, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(targets, predictions, num_classes)


def test_confusion_matrix_from_scores_and_float_labels():
    scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])
    assert confusion_matrix(np.array([0.0, 1.0, 1.0]), scores, 2).tolist() == [[1, 0], [1, 1]]
