"""One training step (forward, cross-entropy, backward, SGD update) per implementation.

The networks are built the same way with tinygrad_hw and with PyTorch (`mlp`, `cnn` take the
library's `nn`); the hand-written NumPy versions are in handwritten_numpy.py. Each library is
imported only when asked for.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

import handwritten_numpy
from configs import DECAY, LR, MOMENTUM


def mlp(nn, sizes):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def cnn(nn, in_channels=1, size=28, channels=16, classes=10):
    """The FMAN45 network (MNIST: 1x28x28; CIFAR: 3x32x32)."""
    return nn.Sequential(
        nn.Conv2d(in_channels, channels, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(channels, channels, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(channels * (size // 4) ** 2, classes))


def make_step(impl: str, kind: str, args: tuple, x: np.ndarray, labels: np.ndarray) -> Callable[[], None]:
    """A zero-argument function doing one training step of `impl`."""
    if impl == "numpy":
        model = handwritten_numpy.MLP(args) if kind == "mlp" else handwritten_numpy.CNN(*args)
        inputs = x.reshape(len(x), -1) if kind == "mlp" else x
        return lambda: model.step(inputs, labels)
    if impl == "tinygrad_hw":
        import tinygrad_hw as lib
        from tinygrad_hw import nn, optim
        from tinygrad_hw.nn.functional import cross_entropy
        lib.manual_seed(0)
        inputs, targets = lib.from_numpy(x), lib.from_numpy(labels)
    else:
        import torch as lib
        from torch import nn, optim
        from torch.nn.functional import cross_entropy
        lib.manual_seed(0)
        inputs, targets = lib.from_numpy(x), lib.from_numpy(labels)
    model = mlp(nn, args) if kind == "mlp" else cnn(nn, *args)
    optimizer = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=DECAY)

    def step():
        loss = cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return step
