"""tinygrad_hw: a small, readable autograd framework on NumPy for learning neural networks.

>>> import tinygrad_hw as thw
>>> x = thw.tensor([1.0, 2.0], requires_grad=True)
>>> (x * x).sum().backward(); x.grad
Tensor([2., 4.])
"""

import numpy as _np

# The engine first: ops.py (imported at the end of tensor.py) needs Tensor and Function.
from .tensor import Tensor, get_default_dtype, set_default_dtype
from . import autograd, data, metrics, nn, optim  # noqa: E402
from .factories import (arange, empty, eye, from_numpy, full, full_like, linspace, ones,
                        ones_like, rand, rand_like, randint, randn, randn_like, tensor, zeros,
                        zeros_like)
from .autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.gradcheck import gradcheck
from .ops import cat, matmul, stack, where
from .random import manual_seed
from .serialization import load, save

float32 = _np.float32
float64 = _np.float64
int64 = _np.int64

__version__ = "0.1.0"
