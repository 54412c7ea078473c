"""The benchmarked networks, built with tinygrad_hw and (when installed) with PyTorch."""

from __future__ import annotations

MLPS = {"softmax": (784, 10), "mlp2": (784, 32, 10), "mlp3": (784, 64, 32, 10), "wide": (784, 512, 256, 10)}


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
