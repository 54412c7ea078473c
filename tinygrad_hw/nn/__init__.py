"""`tinygrad_hw.nn`: modules, layers, activations and losses with PyTorch's names.

>>> from tinygrad_hw import nn
>>> model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
"""

from . import functional, init, utils
from .activation import (CELU, ELU, GELU, GLU, SELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU,
                         LogSigmoid, LogSoftmax, Mish, PReLU, ReLU, ReLU6, Sigmoid, SiLU, Softmax, Softmin,
                         Softplus, Softshrink, Softsign, Tanh, Tanhshrink, Threshold)
from .attention import MultiheadAttention
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import Dropout, Dropout1d, Dropout2d, Dropout3d
from .flatten import Flatten, Unflatten
from .linear import Identity, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, CrossEntropyLoss, HingeEmbeddingLoss,
                   HuberLoss, KLDivLoss, L1Loss, MarginRankingLoss, MSELoss, MultiMarginLoss, NLLLoss,
                   SmoothL1Loss, SoftMarginLoss, TripletMarginLoss)
from .module import (Module, ModuleDict, ModuleList, Parameter, ParameterDict, ParameterList,
                     Sequential)
from .normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, LayerNorm
from .resize import (CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d,
                     ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d,
                     ReplicationPad3d, Upsample, UpsamplingBilinear2d, UpsamplingNearest2d, ZeroPad1d,
                     ZeroPad2d, ZeroPad3d)
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from .sparse import Embedding

# convolution and pooling
from .convolution import Conv1d, Conv2d, ConvTranspose2d, Fold, Unfold  # noqa: I001
from .pooling import AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
