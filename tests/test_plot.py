"""Every plot function writes a real PNG of a sensible size."""

from __future__ import annotations

import numpy as np
import pytest
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


def test_plot_weights_has_class_names_and_one_colour_scale(tmp_path):
    import matplotlib.pyplot as plt

    from tinygrad_hw.plot import plot_weights

    weight = np.random.default_rng(0).normal(size=(10, 785))  # 28x28 and the uwimg bias column
    calls = []
    original = plt.Figure.colorbar
    plt.Figure.colorbar = lambda self, *a, **k: calls.append(k.get("label")) or original(self, *a, **k)
    try:
        width, height = _opened(plot_weights(weight, tmp_path / "w.png", classes=[f"num{i}" for i in range(10)]))
    finally:
        plt.Figure.colorbar = original
    assert calls == ["weight"] and width > 700 and height > 300
    assert min(_opened(plot_weights(np.ones((3, 3 * 32 * 32)), tmp_path / "c.png"))) > 200
    with pytest.raises(ValueError, match="not a square image"):
        plot_weights(np.ones((2, 7)), tmp_path / "bad.png")


def test_a_one_epoch_run_is_a_curve_with_a_held_out_validation(tmp_path):
    from tinygrad_hw import nn, optim
    from tinygrad_hw.data import Digits
    from tinygrad_hw.train import fit

    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))
    history = fit(model, Digits(), optim.SGD(model.parameters(), lr=0.1), epochs=1, batch_size=64, val_split=0.1,
                  log_every=4, progress=False)
    assert len(history["step"]) >= 5 and len(history["val_accuracy"]) == len(history["step"])
    assert history["step"][-1] == 21  # 1293 training images in batches of 64: the last point is the epoch's end
    path = plot_history(history, tmp_path / "one_epoch.png", title="softmax on Digits, 1 epoch", val_label="validation")
    assert min(_opened(path)) > 350
