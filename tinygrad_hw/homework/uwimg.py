"""The uwimg classifier homework's Python API (UW CSE 455/576, `uwimg.py`), on tinygrad_hw.

The homework's driver (`tryhw4.py` or `tryhw5.py`, by the year) runs with one import changed::

    from tinygrad_hw.homework.uwimg import *     # instead of: from uwimg import *

    def neural_net(inputs, outputs):
        return make_model([make_layer(inputs, 32, LRELU), make_layer(32, outputs, SOFTMAX)])

    train = load_classification_data(b"mnist.train", b"mnist/mnist.labels", 1)
    test = load_classification_data(b"mnist.test", b"mnist/mnist.labels", 1)
    m = neural_net(train.X.cols, train.y.cols)
    train_model(m, train, 128, 1000, .01, .9, .0)
    print("training accuracy:", accuracy_model(m, train))

Conventions, as the homework's C code has them: a layer is `out = f(in @ w)` with `w` of shape
(inputs, outputs) and no bias (the data gets a constant-1 column when `bias` is 1), weights
start uniform in ±sqrt(2/inputs); `delta` is the NEGATIVE gradient of the loss and the update
ADDS: `v = dw − decay·w + momentum·v; w += rate·v`, with `rate/batch` in `train_model` since
`dw` sums over the batch. In PyTorch terms that is `optim.SGD(lr=rate, momentum=momentum,
weight_decay=decay/batch)` on the batch-mean cross-entropy, which is what `train_model` runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import nn, optim, tensor, zeros
from ..autograd.grad_mode import no_grad
from ..data import ImageListDataset, TensorDataset
from ..nn import functional as F
from ..train import fit

LINEAR, LOGISTIC, RELU, LRELU, SOFTMAX = range(5)  # the homework's ACTIVATION enum, in its order
ACTIVATION_NAMES = ["LINEAR", "LOGISTIC", "RELU", "LRELU", "SOFTMAX"]

__all__ = ["LINEAR", "LOGISTIC", "RELU", "LRELU", "SOFTMAX", "Matrix", "Data", "Layer", "Model",
           "activate_matrix", "gradient_matrix", "make_layer", "make_model", "forward_layer", "backward_layer",
           "update_layer", "forward_model", "train_model", "accuracy_model", "load_classification_data"]


class Matrix(np.ndarray):
    """A float64 array with the homework's `.rows` and `.cols`."""

    @property
    def rows(self) -> int:
        return self.shape[0]

    @property
    def cols(self) -> int:
        return self.shape[1]


def _matrix(array, dtype=np.float64) -> Matrix:
    return np.asarray(array, dtype=dtype).view(Matrix)


@dataclass
class Data:
    """The homework's `data`: inputs `X` (one row per image) and one-hot labels `y`."""

    X: Matrix
    y: Matrix
    classes: list

    @property
    def labels(self) -> np.ndarray:
        return self.y.argmax(axis=1)


def _activate(z, activation: int):
    """f(z) on a Tensor; the softmax is per row."""
    if activation == LINEAR:
        return z
    if activation == LOGISTIC:
        return z.sigmoid()
    if activation == RELU:
        return z.relu()
    if activation == LRELU:
        return F.leaky_relu(z, 0.1)
    if activation == SOFTMAX:
        return z.softmax(dim=1)
    raise ValueError(f"unknown activation {activation!r}; use LINEAR, LOGISTIC, RELU, LRELU or SOFTMAX")


def activate_matrix(m, activation: int) -> Matrix:
    """The homework's activate_matrix: f applied to every element (the softmax per row).

    >>> activate_matrix([[0.0, 1.0]], LOGISTIC)
    """
    with no_grad():
        return _matrix(_activate(tensor(np.asarray(m, np.float64)), activation).numpy())


def gradient_matrix(out, activation: int, delta) -> Matrix:
    """delta ⊙ f'(z), with f' written from the layer's OUTPUT as the homework does (softmax: 1,
    because the softmax and the cross-entropy are differentiated together)."""
    out, delta = np.asarray(out, np.float64), np.asarray(delta, np.float64)
    slope = {LINEAR: np.ones_like(out), LOGISTIC: out * (1 - out), RELU: (out > 0).astype(np.float64),
             LRELU: np.where(out > 0, 1.0, 0.1), SOFTMAX: np.ones_like(out)}[activation]
    return _matrix(delta * slope)


class Layer(nn.Module):
    """out = f(in @ w): the homework's layer, its weight a Parameter of shape (inputs, outputs).

    `v` (the momentum), `dw`, `input` and `output` are kept as the homework's layer struct has them.
    """

    def __init__(self, inputs: int, outputs: int, activation: int):
        super().__init__()
        if activation not in range(5):
            raise ValueError(f"unknown activation {activation!r}; use LINEAR, LOGISTIC, RELU, LRELU or SOFTMAX")
        bound = math.sqrt(2.0 / inputs)
        self.w = nn.Parameter(zeros(inputs, outputs))
        nn.init.uniform_(self.w, -bound, bound)  # from thw's generator: thw.manual_seed repeats it
        self.activation = activation
        self.v = np.zeros((inputs, outputs))
        self.dw = np.zeros((inputs, outputs))
        self.input = self.output = None

    def logits(self, x):
        return x @ self.w

    def forward(self, x):
        return _activate(self.logits(x), self.activation)

    def extra_repr(self) -> str:
        return f"{self.w.shape[0]} -> {self.w.shape[1]}, {ACTIVATION_NAMES[self.activation]}"


def make_layer(input: int, output: int, activation: int) -> Layer:
    """A layer of `output` units on `input` inputs; weights uniform in ±sqrt(2/input).

    >>> make_layer(785, 32, LRELU)
    """
    return Layer(input, output, activation)


class Model(nn.Sequential):
    """The homework's model: its layers in order; the output is the last layer's activation."""

    @property
    def layers(self) -> list:
        return list(self)

    @property
    def n(self) -> int:
        return len(self)

    def logits(self, x):
        """The last layer's input to its activation (the softmax's scores), for a stable loss."""
        for layer in list(self)[:-1]:
            x = layer(x)
        return self[-1].logits(x)


class _Logits(nn.Module):
    def __init__(self, model: Model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model.logits(x)


def make_model(layers: list) -> Model:
    """A model from a list of layers: `make_model([make_layer(785, 10, SOFTMAX)])`."""
    for before, after in zip(layers, layers[1:]):
        if before.w.shape[1] != after.w.shape[0]:
            raise ValueError(f"layer of {before.w.shape[1]} outputs feeds a layer of {after.w.shape[0]} inputs")
    return Model(*layers)


def forward_layer(layer: Layer, input) -> Matrix:
    """The homework's forward_layer: remembers `input` and `output`, returns f(input @ w)."""
    layer.input = tensor(np.asarray(input, np.float64))
    w = layer.w.detach().double().requires_grad_()
    layer._w64 = w
    layer._z = layer.input @ w
    layer._z.retain_grad()
    layer._out = _activate(layer._z, layer.activation)
    layer.output = _matrix(layer._out.detach().numpy())
    return layer.output


def backward_layer(layer: Layer, delta) -> Matrix:
    """The homework's backward_layer, by backward(): its `delta` (−∂loss/∂out) goes in as the
    output's gradient, negated; `dw` and the returned `dx` come back negated again. For SOFTMAX the
    homework passes delta straight through (softmax and cross-entropy together), so it is fed at z."""
    delta = np.asarray(delta, np.float64)
    inputs = layer.input.detach().requires_grad_()
    z = inputs @ layer._w64
    start = z if layer.activation == SOFTMAX else _activate(z, layer.activation)
    start.backward(tensor(-delta))
    layer.dw = _matrix(-layer._w64.grad.numpy())
    layer._w64.grad = None
    return _matrix(-inputs.grad.numpy())


def update_layer(layer: Layer, rate: float, momentum: float, decay: float) -> None:
    """v = dw − decay·w + momentum·v; w += rate·v — by optim.SGD, whose buffer is −v and whose
    gradient is −dw: SGD(lr=rate, momentum=momentum, weight_decay=decay)."""
    w = layer._w64 if getattr(layer, "_w64", None) is not None else layer.w.detach().double().requires_grad_()
    w.grad = tensor(-np.asarray(layer.dw, np.float64))
    optimizer = optim.SGD([w], lr=rate, momentum=momentum, weight_decay=decay)
    optimizer.state[w] = {"momentum_buffer": -np.asarray(layer.v, np.float64)}
    optimizer.step()
    layer.v = _matrix(-optimizer.state[w]["momentum_buffer"])
    with no_grad():
        layer.w.copy_(tensor(w.detach().numpy().astype(np.float32)))
    layer._w64 = w


def forward_model(model: Model, X) -> Matrix:
    """The model's outputs (class probabilities for a SOFTMAX last layer), one row per input."""
    was_training = model.training
    model.eval()
    with no_grad():
        out = model(tensor(np.asarray(X, np.float32))).numpy()
    model.train(was_training)
    return _matrix(out)


def train_model(model: Model, d: Data, batch: int, iters: int, rate: float, momentum: float, decay: float,
                val: Data | None = None, progress: bool = False) -> dict:
    """`iters` steps on random batches of `batch` rows drawn with replacement, the homework's way.

    Returns the history of `tinygrad_hw.train.fit` (loss and accuracy every iters/20 steps, and on
    `val` when given); the homework's version returns nothing.
    """
    if model[-1].activation != SOFTMAX:
        raise ValueError("the homework's loss is the cross-entropy of a SOFTMAX last layer")
    optimizer = optim.SGD(model.parameters(), lr=rate, momentum=momentum, weight_decay=decay / batch)
    as_dataset = lambda data: TensorDataset(np.asarray(data.X, np.float32), data.labels)  # noqa: E731
    return fit(_Logits(model), as_dataset(d), optimizer, iterations=iters, batch_size=batch,
               val_data=None if val is None else as_dataset(val), progress=progress)


def accuracy_model(model: Model, d: Data) -> float:
    """The fraction of rows whose largest output is the true class."""
    return float((forward_model(model, d.X).argmax(axis=1) == d.labels).mean())


def data_from_arrays(images: np.ndarray, labels: np.ndarray, classes: list, bias: int = 1) -> Data:
    """A homework `Data` from images (N, ...) in [0, 1] and integer labels; `bias` adds the 1-column.

    The rows stay float32 (the homework's are double; MNIST in double would take 380 MB).
    """
    X = np.asarray(images, np.float32).reshape(len(images), -1)
    if bias:
        X = np.concatenate([X, np.ones((len(X), 1), np.float32)], axis=1)
    return Data(_matrix(X, np.float32), _matrix(np.eye(len(classes), dtype=np.float32)[np.asarray(labels)],
                                                np.float32), list(classes))


def load_classification_data(images: str | bytes | Path, label_file: str | bytes | Path, bias: int) -> Data:
    """The homework's loader: a list of image paths (one per line) and a file of label names; an
    image's label is the label name found in its path. `bias` 1 appends the constant-1 column.

    >>> train = load_classification_data(b"mnist.train", b"mnist/mnist.labels", 1)
    """
    decode = lambda p: Path(p.decode() if isinstance(p, bytes) else p)  # noqa: E731
    dataset = ImageListDataset(decode(images), decode(label_file))
    inputs, targets = dataset.get_batch(slice(None))
    return data_from_arrays(inputs, targets, dataset.classes, bias)
