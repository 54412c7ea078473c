"""Weight initialisation with PyTorch's fan and gain rules.

Every function fills its tensor in place, is not recorded by autograd (a parameter that
requires grad can be initialised directly), and accepts a `generator` (a `thw.Generator`).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..random import numpy_generator
from ..tensor import Tensor

_UNIT_GAIN = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (as torch.nn.init.calculate_gain).

    >>> nn.init.calculate_gain("relu")
    1.4142135623730951
    >>> nn.init.calculate_gain("leaky_relu", 0.2)   # √(2 / (1 + 0.2²))
    """
    if nonlinearity in _UNIT_GAIN:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, numbers.Number) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive_field = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Tensor, values: Any) -> Tensor:
    """Write `values` into the tensor's memory (not recorded), as PyTorch's no_grad fills."""
    tensor._data[...] = values
    tensor._version[0] += 1
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """U(a, b).  >>> nn.init.uniform_(w, -0.1, 0.1)"""
    return _fill(tensor, numpy_generator(generator).uniform(a, b, tensor.shape).astype(tensor.dtype))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    """N(mean, std²).  >>> nn.init.normal_(w, std=0.01)"""
    return _fill(tensor, numpy_generator(generator).normal(mean, std, tensor.shape).astype(tensor.dtype))


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator: Any = None) -> Tensor:
    """N(mean, std²) restricted to [a, b] (bounds in absolute values, as PyTorch's).

    >>> nn.init.trunc_normal_(w, std=0.02)   # values within ±2
    """
    rng = numpy_generator(generator)
    values = rng.normal(mean, std, tensor.shape)
    outside = (values < a) | (values > b)
    for _ in range(1000):  # redraw only what fell outside; each pass keeps most of what is left
        if not outside.any():
            break
        values[outside] = rng.normal(mean, std, int(outside.sum()))
        outside = (values < a) | (values > b)
    return _fill(tensor, np.clip(values, a, b).astype(tensor.dtype))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """>>> nn.init.constant_(layer.bias, 0.1)"""
    return _fill(tensor, val)


def zeros_(tensor: Tensor) -> Tensor:
    """>>> nn.init.zeros_(layer.bias)"""
    return _fill(tensor, 0)


def ones_(tensor: Tensor) -> Tensor:
    """>>> nn.init.ones_(norm.weight)"""
    return _fill(tensor, 1)


def eye_(tensor: Tensor) -> Tensor:
    """The identity matrix (2-D only).  >>> nn.init.eye_(w)"""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(tensor, np.eye(*tensor.shape, dtype=tensor.dtype))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """The identity convolution kernel for 3-, 4- or 5-D weights (per group).

    >>> nn.init.dirac_(conv.weight)   # the convolution passes its input through
    """
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    out_channels = tensor.shape[0]
    if out_channels % groups:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = out_channels // groups
    kernel = np.zeros(tensor.shape, tensor.dtype)
    centre = tuple(size // 2 for size in tensor.shape[2:])
    for group in range(groups):
        for channel in range(min(per_group, tensor.shape[1])):
            kernel[(group * per_group + channel, channel) + centre] = 1
    return _fill(tensor, kernel)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """U(-a, a) with a = gain·√(6 / (fan_in + fan_out)).

    >>> nn.init.xavier_uniform_(layer.weight, gain=nn.init.calculate_gain("tanh"))
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).  >>> nn.init.xavier_normal_(w)"""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    return calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator: Any = None) -> Tensor:
    """U(-b, b) with b = gain·√(3 / fan) (He et al.); nn.Linear's default uses a=√5.

    >>> nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
    """
    if 0 in tensor.shape:
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator: Any = None) -> Tensor:
    """N(0, std²) with std = gain / √fan.  >>> nn.init.kaiming_normal_(conv.weight, mode="fan_out")"""
    if 0 in tensor.shape:
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """A (semi-)orthogonal matrix from the QR decomposition of a normal draw, times `gain`
    (dims after the first are flattened).

    >>> nn.init.orthogonal_(rnn.weight_hh_l0)
    """
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = numpy_generator(generator).normal(0.0, 1.0, (rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, (q * gain).reshape(tensor.shape).astype(tensor.dtype))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Any = None) -> Tensor:
    """N(0, std²) with a fraction `sparsity` of each column set to zero (2-D only).

    >>> nn.init.sparse_(w, sparsity=0.1)
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rng = numpy_generator(generator)
    rows, cols = tensor.shape
    values = rng.normal(0.0, std, (rows, cols))
    zeros = int(math.ceil(sparsity * rows))
    for column in range(cols):  # one permutation per column, as PyTorch
        values[rng.permutation(rows)[:zeros], column] = 0
    return _fill(tensor, values.astype(tensor.dtype))


def reset_parameters_like_pytorch(weight: Tensor, bias: Tensor | None) -> None:
    """PyTorch's default for Linear and Conv: kaiming_uniform_(a=√5), bias U(±1/√fan_in).

    >>> reset_parameters_like_pytorch(layer.weight, layer.bias)
    """
    kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in = weight.shape[1] * int(np.prod(weight.shape[2:]))
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        uniform_(bias, -bound, bound)


# PyTorch's deprecated names without the trailing underscore
uniform, normal, constant = uniform_, normal_, constant_
xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal = (xavier_uniform_, xavier_normal_,
                                                                 kaiming_uniform_, kaiming_normal_)
orthogonal, sparse = orthogonal_, sparse_
