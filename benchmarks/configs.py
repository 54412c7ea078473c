"""The benchmarked models and their data: MNIST- or CIFAR-shaped random batches, fixed seed."""

from __future__ import annotations

import numpy as np

MLPS = {"softmax": (784, 10), "mlp2": (784, 32, 10), "mlp3": (784, 64, 32, 10), "wide": (784, 512, 256, 10)}
LR, MOMENTUM, DECAY = 0.01, 0.9, 1e-4

# name -> (kind, model arguments, batch size, input shape without the batch)
CONFIGS = {
    "softmax 784-10": ("mlp", MLPS["softmax"], 128, (784,)),
    "MLP 784-32-10": ("mlp", MLPS["mlp2"], 128, (784,)),
    "MLP 784-64-32-10": ("mlp", MLPS["mlp3"], 128, (784,)),
    "wide MLP 784-512-256-10": ("mlp", MLPS["wide"], 128, (784,)),
    "FMAN45 CNN, batch 16": ("cnn", (1, 28), 16, (1, 28, 28)),
    "FMAN45 CNN, batch 128": ("cnn", (1, 28), 128, (1, 28, 28)),
    "CIFAR CNN 3x32x32, batch 16": ("cnn", (3, 32), 16, (3, 32, 32)),
    "CIFAR CNN 3x32x32, batch 128": ("cnn", (3, 32), 128, (3, 32, 32)),
}


def batch_for(shape: tuple, batch: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((batch, *shape), dtype=np.float32), rng.integers(0, 10, batch)
