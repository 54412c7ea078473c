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


def _suptitle(figure, text: str) -> None:
    """A figure title that fits the figure: long titles are set smaller and broken at ': '."""
    width_in_characters = figure.get_figwidth() * 72 / 7.5
    if len(text) > width_in_characters and ": " in text:
        text = text.replace(": ", ":\n", 1)
    figure.suptitle(text, fontsize=12 if len(text) <= width_in_characters else 10)


def _save(figure, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)
    return path


def plot_history(history: dict, path: str | Path, title: str = "Training", val_label: str = "validation") -> Path:
    """Loss and accuracy curves side by side: training, and validation (or test) where present.

    `history` maps 'step' (or 'epoch'), 'loss', 'accuracy', 'val_loss', 'val_accuracy' to lists,
    as `train.fit` returns it; the x axis is the logging step when there is one (so a one-epoch
    run is a curve, not a dot). `title` says which run this is; `val_label` names the held-out
    curve ("validation", or "test" when it is the test set). The legend sits below the plots,
    never over a line. A training point is the mean over the steps since the previous point.

    >>> plot_history(fit(model, train, optimizer, epochs=5, val_split=0.1), "curves.png", title="MLP on MNIST")
    """
    x_key = "step" if history.get("step") else "epoch"
    xs = history.get(x_key) or list(range(1, len(history.get("loss", [])) + 1))
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(10, 4))
    many = len(xs) > 30
    for axis, key, label in ((loss_axis, "loss", "loss"), (accuracy_axis, "accuracy", "accuracy")):
        if history.get(key):
            axis.plot(xs[:len(history[key])], history[key], marker=None if many else "o", ms=3, color="tab:blue",
                      label="training (mean since the last point)")
        if history.get("val_" + key):
            axis.plot(xs[:len(history["val_" + key])], history["val_" + key], marker=None if many else "s", ms=3,
                      color="tab:orange", label=val_label)
        axis.set_xlabel("training step" if x_key == "step" else "epoch")
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
    if history.get("val_accuracy"):
        accuracy_axis.annotate(f"{history['val_accuracy'][-1]:.3f}", (xs[len(history["val_accuracy"]) - 1],
                               history["val_accuracy"][-1]), textcoords="offset points", xytext=(-10, -14),
                               fontsize=8, color="tab:orange")
    loss_axis.set_title("loss")
    accuracy_axis.set_title("accuracy")
    accuracies = history.get("accuracy", []) + history.get("val_accuracy", [])
    low = min(accuracies, default=0.0)
    accuracy_axis.set_ylim(0 if low < 0.6 else np.floor(low * 20) / 20 - 0.05, 1.005)
    handles, labels = loss_axis.get_legend_handles_labels()
    if handles:
        figure.legend(handles, labels, loc="lower center", ncol=len(handles), frameon=False,
                      bbox_to_anchor=(0.5, -0.02))
    figure.suptitle(title)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    return _save(figure, path)


def plot_weights(weight: Any, path: str | Path, classes: Sequence[str] | None = None,
                 title: str = "Weights of each class") -> Path:
    """One tile per class: a linear classifier's weight row reshaped to the image (CHW or square
    grey), with the class name above, one shared diverging colour scale (red +, blue −) and its bar.

    `weight` is (classes, features) as `nn.Linear.weight`; a trailing bias column is dropped when
    the features are one more than an image (the uwimg homework's constant-1 column). Colour
    images show their channels' mean.

    >>> plot_weights(model[0].weight, "weights.png", classes=train.classes)
    """
    weight = np.asarray(weight, dtype=np.float64)
    for channels in (1, 3):
        for drop in (0, 1):
            side = int(round(np.sqrt((weight.shape[1] - drop) / channels)))
            if side * side * channels == weight.shape[1] - drop:
                break
        else:
            continue
        break
    else:
        raise ValueError(f"plot_weights: {weight.shape[1]} features are not a square image (with or without a "
                         "bias column)")
    tiles = weight[:, :weight.shape[1] - drop].reshape(len(weight), channels, side, side).mean(axis=1)
    classes = list(classes) if classes is not None else [str(i) for i in range(len(weight))]
    limit = np.abs(tiles).max() or 1.0
    columns = min(len(tiles), 5)
    rows = int(np.ceil(len(tiles) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(1.8 * columns + 1.0, 1.9 * rows + 0.5), squeeze=False)
    image = None
    for axis in axes.flat:
        axis.axis("off")
    for axis, tile, name in zip(axes.flat, tiles, classes):
        image = axis.imshow(tile, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
        axis.set_title(str(name), fontsize=10)
    figure.colorbar(image, ax=list(axes.flat), fraction=0.03, pad=0.02, label="weight")
    figure.suptitle(title)
    return _save(figure, path)


def plot_confusion_matrix(confusion: np.ndarray, path: str | Path, classes: Sequence[str] | None = None,
                          title: str = "Confusion matrix", precision_recall: bool = True) -> Path:
    """A heat map of counts[true, predicted], each cell labelled, rows normalised for colour; with
    `precision_recall`, each class's recall at the end of its row and precision under its column.

    >>> plot_confusion_matrix(confusion_matrix(y, predicted), "confusion.png", classes=test.classes)
    """
    confusion = np.asarray(confusion)
    n = len(confusion)
    classes = list(classes) if classes is not None else [str(i) for i in range(n)]
    rates = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
    figure, axis = plt.subplots(figsize=(2.2 + 0.6 * n, 1.6 + 0.6 * n))
    image = axis.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    for (row, column), count in np.ndenumerate(confusion):
        axis.text(column, row, str(count), ha="center", va="center", fontsize=8,
                  color="white" if rates[row, column] > 0.5 else "black")
    axis.set_xticks(range(n), classes, rotation=45, ha="right")
    axis.set_yticks(range(n), classes)
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    if precision_recall:
        recall = np.diag(confusion) / np.maximum(confusion.sum(axis=1), 1)
        precision = np.diag(confusion) / np.maximum(confusion.sum(axis=0), 1)
        axis.text(n - 0.1, -0.75, "recall", ha="left", va="center", fontsize=8, weight="bold")
        for i in range(n):
            axis.text(n - 0.1, i, f"{recall[i]:.2f}", ha="left", va="center", fontsize=8)
            axis.text(i, -0.75, f"{precision[i]:.2f}", ha="center", va="center", fontsize=8)
        axis.text(-0.6, -0.75, "precision", ha="right", va="center", fontsize=8, weight="bold")
    figure.suptitle(f"{title} (accuracy {np.trace(confusion) / max(confusion.sum(), 1):.1%})", fontsize=11)
    figure.colorbar(image, ax=axis, fraction=0.046, pad=0.12, label="fraction of the true class")
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
    _suptitle(figure, f"{title} ({weight.shape[0]} of {weight.shape[1]}x{weight.shape[2]}x{weight.shape[3]})")
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
    _suptitle(figure, f"{title}: {int((predicted != targets).sum())} of {len(targets)} (true → predicted)")
    return _save(figure, path)
