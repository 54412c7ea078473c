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
from .convolution import Conv1d, Conv2d, ConvTranspose2d, Fold, Unfold  # noqa: I001
from .pooling import AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
