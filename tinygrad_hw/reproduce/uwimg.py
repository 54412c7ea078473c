"""The UW CSE 455/576 "uwimg" classifier homework (hw5 `tryhw5.py`), every experiment.

Run through the homework's own API (`tinygrad_hw.homework.uwimg`): `train_model(model, data,
batch=128, iters=1000, rate, momentum=.9, decay)` on random batches drawn with replacement, its
layers `f(in @ w)` on inputs with a constant-1 column. Digits and MNIST run 5.2 (softmax
regression and its sweeps, the 2-layer net with every hidden activation and its rate and decay,
the 3-layer decay sweep over 3000 iterations); CIFAR-10 runs 5.3 (softmax, and the 3-layer net
with a rate/decay search). The "reported" column is what the homework's students report on
MNIST (and on CIFAR-10 for 5.3).
"""

from __future__ import annotations

from .. import manual_seed
from ..homework.uwimg import (ACTIVATION_NAMES, LINEAR, LOGISTIC, LRELU, RELU, SOFTMAX, accuracy_model,
                              data_from_arrays, make_layer, make_model, train_model)
from ..plot import plot_history, plot_weights
from .common import NAMES as DATASET_NAMES
from .common import Config, labelled
from .report import Section

HEADERS = ["model", "rate", "decay", "iterations", "train acc", "test acc", "reported", "seconds"]


def _data(config: Config) -> tuple:
    key = ("uwimg", config.dataset)
    if key not in config._cache:
        train, test = config.data()
        config._cache[key] = tuple(data_from_arrays(*labelled(part), train.classes) for part in (train, test))
    return config._cache[key]


def _model(inputs: int, outputs: int, hidden: tuple, activation: int):
    sizes = [inputs, *hidden, outputs]
    return make_model([make_layer(a, b, activation if i < len(hidden) else SOFTMAX)
                       for i, (a, b) in enumerate(zip(sizes, sizes[1:]))])


def _train(config: Config, section: Section, name: str, hidden=(), activation=LRELU, rate=0.01, decay=0.0,
           iters=1000, reported="", with_test_curve=False) -> tuple:
    """Train one model as the homework does; add its row; (model, history, test accuracy)."""
    import time

    train, test = _data(config)
    manual_seed(0)
    model = _model(train.X.cols, train.y.cols, hidden, activation)
    iters = config.iterations(iters)
    start = time.perf_counter()
    history = train_model(model, train, 128, iters, rate, 0.9, decay, val=test if with_test_curve else None)
    seconds = time.perf_counter() - start
    if "stopped_early" in history:
        section.rows.append([name, f"{rate:g}", f"{decay:g}", iters, float("nan"), float("nan"), reported,
                             f"{seconds:.1f}"])
        section.notes.append(f"{name}, rate {rate:g}: the loss became NaN or infinite; training stopped")
        return model, history, float("nan")
    test_accuracy = accuracy_model(model, test)
    section.rows.append([name, f"{rate:g}", f"{decay:g}", iters, accuracy_model(model, train), test_accuracy,
                         reported, f"{seconds:.1f}"])
    return model, history, test_accuracy


def softmax_regression(config: Config, section: Section) -> None:
    section.headers = HEADERS
    model, _, _ = _train(config, section, "softmax", reported="0.903 / 0.909")
    train, _ = _data(config)
    section.pictures.append(plot_weights(model[0].w.numpy().T, config.folder("uwimg") / "softmax_weights.png",
                                         classes=train.classes,
                                         title=f"Softmax regression on {DATASET_NAMES[config.dataset]}: the "
                                               "weights of each class"))


def softmax_rates(config: Config, section: Section) -> None:
    section.headers = HEADERS
    reported = {0.1: "≈ 0.92", 10: "diverges"}
    for rate in (10, 1, 0.1, 0.01, 0.001):
        _train(config, section, "softmax", rate=rate, reported=reported.get(rate, ""))


def softmax_decays(config: Config, section: Section) -> None:
    section.headers = HEADERS
    for decay in (1, 0.1, 0.01, 0.001, 0.0001, 0.00001):
        _train(config, section, "softmax", rate=0.1, decay=decay)


def two_layer_activations(config: Config, section: Section) -> None:
    section.headers = HEADERS
    for activation in (LINEAR, LOGISTIC, RELU, LRELU, SOFTMAX):
        reported = "≥ 0.95" if activation in (RELU, LRELU) else ""
        _train(config, section, f"2-layer, hidden {ACTIVATION_NAMES[activation]}", hidden=(32,), activation=activation,
               rate=0.1, reported=reported)


def two_layer_rates(config: Config, section: Section) -> None:
    section.headers = HEADERS
    for rate in (1, 0.1, 0.01, 0.001):
        _train(config, section, "2-layer LRELU", hidden=(32,), rate=rate)


def two_layer_decays(config: Config, section: Section) -> None:
    section.headers = HEADERS
    for decay in (0.1, 0.01, 0.001, 0.0001):
        _train(config, section, "2-layer LRELU", hidden=(32,), rate=0.1, decay=decay)


def three_layer_decays(config: Config, section: Section) -> None:
    section.headers = HEADERS
    best = None
    rate = 0.01 if config.dataset == "cifar10" else 0.1
    for decay in (0.0001, 0.001, 0.01, 0.1, 1):
        model, history, accuracy = _train(config, section, "3-layer LRELU (64, 32)", hidden=(64, 32), rate=rate,
                                          decay=decay, iters=3000, reported="0.97", with_test_curve=True)
        if best is None or accuracy > best[2]:
            best = (decay, history, accuracy)
    decay, history, _ = best
    title = f"uwimg 3-layer net on {DATASET_NAMES[config.dataset]}, rate {rate:g}, decay {decay:g}"
    section.pictures.append(plot_history(history, config.folder("uwimg") / "3layer_curves.png", val_label="test",
                                         title=title))


def cifar_softmax(config: Config, section: Section) -> None:
    section.headers = HEADERS
    _train(config, section, "softmax", rate=0.01, reported="0.35–0.40")


def cifar_search(config: Config, section: Section) -> None:
    section.headers = HEADERS
    best = None
    for rate in (0.1, 0.01, 0.001):
        for decay in (0.0, 0.001, 0.01):
            model, history, accuracy = _train(config, section, "3-layer LRELU (64, 32)", hidden=(64, 32), rate=rate,
                                              decay=decay, iters=3000, reported="0.40–0.47", with_test_curve=True)
            if accuracy == accuracy and (best is None or accuracy > best[3]):
                best = (rate, decay, history, accuracy)
    rate, decay, history, _ = best
    section.pictures.append(plot_history(history, config.folder("uwimg") / "cifar_3layer_curves.png",
                                         val_label="test",
                                         title=f"uwimg 3-layer net on CIFAR-10, rate {rate:g}, decay {decay:g}"))


def experiments(config: Config) -> list:
    """(title, homework question, function) for the run's dataset."""
    if config.dataset == "cifar10":
        return [("softmax regression on CIFAR-10", "uwimg 5.3", cifar_softmax),
                ("3-layer net on CIFAR-10, rate/decay search", "uwimg 5.3.1–5.3.2", cifar_search)]
    return [("softmax regression", "uwimg 5.2.2.1", softmax_regression),
            ("softmax regression, learning-rate sweep", "uwimg 5.2.2.2", softmax_rates),
            ("softmax regression, weight-decay sweep", "uwimg 5.2.2.3", softmax_decays),
            ("2-layer net, hidden activations", "uwimg 5.2.3.1–5.2.3.2", two_layer_activations),
            ("2-layer net, learning-rate sweep", "uwimg 5.2.3.3", two_layer_rates),
            ("2-layer net, weight-decay sweep", "uwimg 5.2.3.3", two_layer_decays),
            (f"3-layer net, weight-decay sweep, {config.iterations(3000)} iterations", "uwimg 5.2.3.4",
             three_layer_decays)]
