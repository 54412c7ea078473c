"""`tinygrad_hw.nn`: modules, layers, activations and losses with PyTorch's names.

>>> from tinygrad_hw import nn
>>> model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
"""

from . import functional, init
from .activation import ELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh
from .dropout import Dropout
from .flatten import Flatten
from .linear import Identity, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, MultiMarginLoss,
                   NLLLoss)
from .module import (Module, ModuleDict, ModuleList, Parameter, ParameterDict, ParameterList,
                     Sequential)
from .normalization import BatchNorm1d, BatchNorm2d

# convolution and pooling
from .convolution import Conv2d  # noqa: I001
from .pooling import AvgPool2d, MaxPool2d

__all__ = ["AvgPool2d", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "BatchNorm2d", "Conv2d",
           "CrossEntropyLoss", "Dropout", "ELU", "Flatten", "Identity", "L1Loss", "LeakyReLU", "Linear",
           "LogSoftmax", "MSELoss", "MaxPool2d", "Module", "ModuleDict", "ModuleList", "MultiMarginLoss",
           "NLLLoss", "Parameter", "ParameterDict", "ParameterList", "ReLU", "Sequential", "Sigmoid",
           "Softmax", "Softplus", "Tanh", "functional", "init"]
