"""`tinygrad_hw.vision`: torchvision's names for datasets, transforms and image utilities.

>>> import tinygrad_hw.vision as torchvision
>>> from tinygrad_hw.vision import datasets, transforms
>>> train = datasets.MNIST("data", train=True, download=True, transform=transforms.Compose(
...     [transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))]))
"""

from . import datasets, transforms, utils

__all__ = ["datasets", "transforms", "utils"]
