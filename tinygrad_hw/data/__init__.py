"""`tinygrad_hw.data`: datasets in their official formats, loaders, transforms, downloads.

>>> from tinygrad_hw.data import DataLoader, Digits
>>> for images, labels in DataLoader(Digits(train=True), batch_size=64, shuffle=True): ...
"""

from . import transforms
from .cifar import CIFAR10, read_cifar_batch
from .dataset import (ArrayDataset, DataLoader, Dataset, RandomSampler, SequentialSampler, Subset,
                      TensorDataset, random_split)
from .digits import Digits
from .download import DatasetError, DatasetNotFoundError, cache_dir, download, extract_tar
from .image_list import ImageListDataset
from .mnist import MNIST, FashionMNIST, read_idx

__all__ = ["CIFAR10", "ArrayDataset", "DataLoader", "Dataset", "DatasetError", "DatasetNotFoundError", "Digits",
           "FashionMNIST", "ImageListDataset", "MNIST", "RandomSampler", "SequentialSampler", "Subset", "TensorDataset",
           "cache_dir", "download", "extract_tar", "random_split", "read_cifar_batch", "read_idx", "transforms"]
