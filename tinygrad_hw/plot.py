"""Pictures the homeworks ask for, saved as PNG: curves, confusion matrix, filters, mistakes.

Uses matplotlib with the Agg backend (no display needed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _save(figure, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)
    return path


def plot_history(history: dict, path: str | Path, title: str = "Training") -> Path:
    """Loss and accuracy curves side by side, training and validation where present.

    `history` maps 'step' (or 'epoch'), 'loss', 'accuracy', 'val_loss', 'val_accuracy' to lists.

    >>> plot_history(fit(model, loader, optimizer, epochs=5).history, "curves.png")
    """
    x_key = "epoch" if history.get("epoch") else "step"
    xs = history.get(x_key) or list(range(1, len(history.get("loss", [])) + 1))
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(10, 4))
    for axis, key, label in ((loss_axis, "loss", "loss"), (accuracy_axis, "accuracy", "accuracy")):
        if history.get(key):
            axis.plot(xs[:len(history[key])], history[key], marker="o", ms=3, label="training")
        if history.get("val_" + key):
            axis.plot(xs[:len(history["val_" + key])], history["val_" + key], marker="s", ms=3, label="validation")
        axis.set_xlabel(x_key)
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
        axis.legend()
    loss_axis.set_title(f"{title}: loss")
    accuracy_axis.set_title(f"{title}: accuracy")
    accuracy_axis.set_ylim(0, 1.02)
    return _save(figure, path)


def plot_confusion_matrix(confusion: np.ndarray, path: str | Path, classes: Sequence[str] | None = None,
                          title: str = "Confusion matrix") -> Path:
    """A heat map of counts[true, predicted], each cell labelled, rows normalised for colour.

    >>> plot_confusion_matrix(confusion_matrix(y, predicted), "confusion.png", classes=test.classes)
    """
    confusion = np.asarray(confusion)
    n = len(confusion)
    classes = list(classes) if classes is not None else [str(i) for i in range(n)]
    rates = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
    figure, axis = plt.subplots(figsize=(1.0 + 0.6 * n, 0.8 + 0.6 * n))
    image = axis.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    for (row, column), count in np.ndenumerate(confusion):
        axis.text(column, row, str(count), ha="center", va="center", fontsize=8,
                  color="white" if rates[row, column] > 0.5 else "black")
    axis.set_xticks(range(n), classes, rotation=45, ha="right")
    axis.set_yticks(range(n), classes)
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    axis.set_title(f"{title} (accuracy {np.trace(confusion) / max(confusion.sum(), 1):.1%})")
    figure.colorbar(image, ax=axis, fraction=0.046, label="fraction of the true class")
    return _save(figure, path)


def _grid(count: int) -> tuple[int, int]:
    columns = int(np.ceil(np.sqrt(count)))
    return int(np.ceil(count / columns)), columns


def _as_image(array: np.ndarray) -> tuple[np.ndarray, str | None]:
    """CHW or HW -> something imshow shows (HW grey, or HWC colour scaled to [0, 1])."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 3 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 3:
        array = array.transpose(1, 2, 0)
        low, high = array.min(), array.max()
        return (array - low) / (high - low if high > low else 1), None
    return array, "gray"


def plot_filters(weight: Any, path: str | Path, title: str = "First-layer filters") -> Path:
    """A grid of conv filters (out, in, kh, kw) (colour when in=3) or of Linear rows reshaped
    to square images (the uwimg homework's weight pictures), each scaled to its own range.

    >>> plot_filters(model[0].weight, "filters.png")
    """
    weight = np.asarray(weight, dtype=np.float64)
    if weight.ndim == 2:
        side = int(round(np.sqrt(weight.shape[1])))
        channels = 1 if side * side == weight.shape[1] else 3
        side = int(round(np.sqrt(weight.shape[1] / channels)))
        weight = weight.reshape(len(weight), channels, side, side)
    rows, columns = _grid(len(weight))
    figure, axes = plt.subplots(rows, columns, figsize=(1.3 * columns, 1.3 * rows + 0.4), squeeze=False)
    for axis in axes.flat:
        axis.axis("off")
    for axis, kernel in zip(axes.flat, weight):
        image, cmap = _as_image(kernel if kernel.shape[0] == 3 else kernel[:1])
        axis.imshow(image, cmap=cmap, interpolation="nearest")
    figure.suptitle(f"{title} ({weight.shape[0]} of {weight.shape[1]}x{weight.shape[2]}x{weight.shape[3]})")
    return _save(figure, path)


def plot_misclassified(images: Any, targets: Any, predictions: Any, path: str | Path,
                       classes: Sequence[str] | None = None, limit: int = 25,
                       title: str = "Misclassified") -> Path:
    """A grid of the first `limit` wrongly classified images, titled true -> predicted.

    >>> plot_misclassified(test.data_as_inputs, test.targets, predicted, "mistakes.png", test.classes)
    """
    images, targets = np.asarray(images), np.asarray(targets)
    predicted = np.asarray(predictions)
    predicted = predicted.argmax(axis=1) if predicted.ndim == 2 else predicted
    wrong = np.flatnonzero(predicted != targets)[:limit]
    name = (lambda i: classes[i]) if classes is not None else str
    rows, columns = _grid(max(len(wrong), 1))
    figure, axes = plt.subplots(rows, columns, figsize=(1.7 * columns, 1.9 * rows + 0.4), squeeze=False)
    for axis in axes.flat:
        axis.axis("off")
    for axis, index in zip(axes.flat, wrong):
        image, cmap = _as_image(images[index])
        axis.imshow(image, cmap=cmap, interpolation="nearest")
        axis.set_title(f"{name(targets[index])} → {name(predicted[index])}", fontsize=8, color="firebrick")
    if not len(wrong):
        axes.flat[0].text(0.5, 0.5, "no mistakes", ha="center", va="center")
    figure.suptitle(f"{title}: {int((predicted != targets).sum())} of {len(targets)} (true → predicted)")
    return _save(figure, path)
