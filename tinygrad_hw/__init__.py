"""tinygrad_hw: a small, readable autograd framework on NumPy for learning neural networks.

>>> import tinygrad_hw as thw
>>> x = thw.tensor([1.0, 2.0], requires_grad=True)
>>> (x * x).sum().backward(); x.grad
Tensor([2., 4.])
"""

import numpy as _np

# The engine first: Tensor, then the ops and autograd built on it (imported at the end of tensor.py).
from .tensor import Tensor
from .dtypes import get_default_dtype, set_default_dtype
from . import autograd, data, dtypes, metrics, nn, optim  # noqa: E402
from . import utils
from .autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                                 set_grad_enabled)
from .autograd.gradcheck import gradcheck
from .factories import *  # noqa: F403  (tensor, zeros, arange, rand, multinomial, ...)
from .ops import *  # noqa: F403  (the top-level functions: thw.cat, thw.where, thw.exp, ...)
from .random import Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .serialization import load, save
from .legacy import BoolTensor, ByteTensor, DoubleTensor, FloatTensor, IntTensor, LongTensor

# The torch namespace around the tensor: devices (CPU only), dtype limits, type checks, out-of-scope names.
from . import accelerator, backends, cuda  # noqa: E402
from .compat import *  # noqa: F403  (is_tensor, numel, compile, set_printoptions, jit, sparse, ...)
from .device import device
from .dtype_info import bfloat16, cdouble, cfloat, complex64, complex128, finfo, float16, half, iinfo

float32 = float = _np.float32
float64 = double = _np.float64
int64 = long = _np.int64
int32 = int = _np.int32
int16 = short = _np.int16
int8 = _np.int8
uint8 = _np.uint8
bool = _np.bool_

__version__ = "0.1.0"
