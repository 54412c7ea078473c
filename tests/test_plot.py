"""Every plot function writes a real PNG of a sensible size."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tinygrad_hw.plot import plot_confusion_matrix, plot_filters, plot_history, plot_misclassified


def _opened(path):
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def test_plot_history(tmp_path):
    history = {"epoch": [1, 2, 3], "loss": [2.0, 1.0, 0.5], "accuracy": [0.3, 0.6, 0.8],
               "val_loss": [2.1, 1.2, 0.7], "val_accuracy": [0.25, 0.55, 0.75]}
    width, height = _opened(plot_history(history, tmp_path / "h.png"))
    assert width > 800 and height > 350


def test_plot_confusion_matrix(tmp_path):
    confusion = np.random.default_rng(0).integers(0, 50, (10, 10))
    width, height = _opened(plot_confusion_matrix(confusion, tmp_path / "c.png", classes=list("abcdefghij")))
    assert width > 500 and height > 500


def test_plot_filters_conv_colour_and_linear_rows(tmp_path):
    assert min(_opened(plot_filters(np.random.default_rng(0).normal(size=(16, 1, 5, 5)), tmp_path / "f.png"))) > 300
    assert min(_opened(plot_filters(np.random.default_rng(0).normal(size=(8, 3, 5, 5)), tmp_path / "c.png"))) > 200
    assert min(_opened(plot_filters(np.random.default_rng(0).normal(size=(10, 784)), tmp_path / "l.png"))) > 200


def test_plot_misclassified(tmp_path):
    images = np.random.default_rng(0).random((30, 1, 28, 28))
    targets, predictions = np.arange(30) % 10, (np.arange(30) + (np.arange(30) % 3 == 0)) % 10
    width, height = _opened(plot_misclassified(images, targets, predictions, tmp_path / "m.png"))
    assert width > 300 and height > 300
