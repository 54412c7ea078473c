"""A plain training loop and evaluation, with a progress bar and a history for plots.

A convenience, not a cage: the loop in `fit` is the one you would write by hand.

>>> history = fit(model, Digits(train=True), optim.SGD(model.parameters(), lr=0.1), epochs=10,
...               val_data=Digits(train=False))
>>> evaluate(model, Digits(train=False))["accuracy"]
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import numpy as np
from tqdm import tqdm

from .utils.data import DataLoader, Dataset, RandomSampler, random_split
from .autograd.grad_mode import no_grad
from .nn import functional as F
from .nn.module import Module
from .optim.optimizer import Optimizer


def _loader(data: Dataset | DataLoader, batch_size: int) -> DataLoader:
    return data if isinstance(data, DataLoader) else DataLoader(data, batch_size=batch_size)


def predict(model: Module, data: Dataset | DataLoader, batch_size: int = 1000) -> np.ndarray:
    """The model's outputs for every item, in order, in eval mode without a graph.

    >>> scores = predict(model, Digits(train=False)); scores.argmax(1)
    """
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            return np.concatenate([model(inputs).numpy() for inputs, _ in _loader(data, batch_size)])
    finally:
        model.train(was_training)


def evaluate(model: Module, data: Dataset | DataLoader, loss_fn: Callable = F.cross_entropy,
             batch_size: int = 1000) -> dict:
    """Mean loss and accuracy over a dataset (eval mode, no graph); also the predictions.

    >>> evaluate(model, Digits(train=False))
    {'loss': 0.11, 'accuracy': 0.97, 'predictions': array([...])}
    """
    loader = _loader(data, batch_size)
    was_training = model.training
    model.eval()
    total_loss, correct, count, predictions = 0.0, 0, 0, []
    try:
        with no_grad():
            for inputs, targets in loader:
                outputs = model(inputs)
                total_loss += loss_fn(outputs, targets, reduction="sum").item()
                predicted = outputs.numpy().argmax(axis=1)
                correct += int((predicted == targets.numpy()).sum())
                count += len(predicted)
                predictions.append(predicted)
    finally:
        model.train(was_training)
    return {"loss": total_loss / max(count, 1), "accuracy": correct / max(count, 1),
            "predictions": np.concatenate(predictions) if predictions else np.zeros(0, np.int64)}


def fit(model: Module, train_data: Dataset | DataLoader, optimizer: Optimizer, *, epochs: int = 1,
        iterations: int | None = None, batch_size: int = 128, loss_fn: Callable = F.cross_entropy,
        val_data: Dataset | DataLoader | None = None, val_split: float = 0.0, scheduler: Any = None,
        log_every: int | None = None, progress: bool = True) -> dict:
    """Train and return the history {'step', 'epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr'}.

    By epochs (shuffled each epoch; the scheduler steps per epoch), or, with `iterations`, the
    uwimg homework's way: each step a random batch drawn with replacement (the history has
    one point every `log_every` steps; a scheduler then steps every iteration). By epochs with
    `log_every`, the history also has a point every `log_every` steps (so a one-epoch run is a
    curve, not a dot); the scheduler still steps per epoch. A NaN or
    infinite loss stops training with a warning that says when and at which learning rate;
    the history then has 'stopped_early'. `val_split` holds out that fraction of the training
    data (a random split that follows `thw.manual_seed`) as validation data.

    >>> fit(model, MNIST(root), optim.SGD(model.parameters(), lr=0.01, momentum=0.9), epochs=3)
    """
    if val_split:
        if val_data is not None or isinstance(train_data, DataLoader):
            raise ValueError("val_split needs a Dataset for train_data and no val_data")
        held_out = int(round(len(train_data) * val_split))
        train_data, val_data = random_split(train_data, [len(train_data) - held_out, held_out])
    history: dict = {"step": [], "epoch": [], "loss": [], "accuracy": [], "val_loss": [], "val_accuracy": [],
                     "lr": []}
    if iterations is not None:
        sampler = RandomSampler(train_data, replacement=True, num_samples=iterations * batch_size)
        loaders = [DataLoader(train_data, batch_size, sampler=sampler)]
        log_every = log_every or max(iterations // 20, 1)
    else:
        loader = train_data if isinstance(train_data, DataLoader) else DataLoader(train_data, batch_size, shuffle=True)
        loaders = [loader] * epochs
    point_key = "step" if iterations is not None or log_every else "epoch"
    total = sum(len(loader) for loader in loaders)
    bar = tqdm(total=total, disable=not progress, unit="step", leave=False)
    step, running_loss, running_correct, running_count = 0, 0.0, 0, 0
    model.train()
    try:
        for epoch, loader in enumerate(loaders, start=1):
            for inputs, targets in loader:
                outputs = model(inputs)
                loss = loss_fn(outputs, targets)
                value = loss.item()
                if not math.isfinite(value):
                    message = (f"loss became {value} at step {step + 1} (epoch {epoch}) with learning rate "
                               f"{optimizer.param_groups[0]['lr']}; training stopped. Try a smaller rate.")
                    warnings.warn(message, RuntimeWarning, stacklevel=2)
                    history["stopped_early"] = message
                    return history
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                step += 1
                running_loss += value * len(targets)
                running_correct += int((outputs.numpy().argmax(axis=1) == targets.numpy()).sum())
                running_count += len(targets)
                bar.update(1)
                if iterations is not None and scheduler is not None:
                    scheduler.step()
                if point_key == "step" and (step % log_every == 0 or step == total):
                    _record(history, point_key, step, model, running_loss, running_correct, running_count, val_data,
                            loss_fn, optimizer, bar)
                    running_loss, running_correct, running_count = 0.0, 0, 0
            if point_key == "epoch":
                _record(history, point_key, epoch, model, running_loss, running_correct, running_count, val_data,
                        loss_fn, optimizer, bar)
                running_loss, running_correct, running_count = 0.0, 0, 0
            if iterations is None and scheduler is not None:
                scheduler.step()  # once per epoch
    finally:
        bar.close()
    return history


def _record(history, point_key, point, model, loss_sum, correct, count, val_data, loss_fn, optimizer,
            bar) -> None:
    history[point_key].append(point)
    history["loss"].append(loss_sum / max(count, 1))
    history["accuracy"].append(correct / max(count, 1))
    history["lr"].append(optimizer.param_groups[0]["lr"])
    shown = {"loss": f"{history['loss'][-1]:.4f}", "acc": f"{history['accuracy'][-1]:.3f}"}
    if val_data is not None:
        result = evaluate(model, val_data, loss_fn)
        history["val_loss"].append(result["loss"])
        history["val_accuracy"].append(result["accuracy"])
        shown["val_acc"] = f"{result['accuracy']:.3f}"
    bar.set_postfix(shown)
