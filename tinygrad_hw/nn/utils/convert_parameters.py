"""Flatten parameters into one vector and back (for second-order methods, evolution strategies)."""

from __future__ import annotations

from typing import Iterable

from ...ops.shape import cat
from ...tensor import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and joined into one 1-D tensor (differentiable, as PyTorch's).

    >>> nn.utils.parameters_to_vector(model.parameters()).shape   # (number of weights,)
    """
    if isinstance(parameters, Tensor):
        raise TypeError(f"expected an iterable of Tensors, but got {type(parameters).__name__}")
    return cat([param.reshape(-1) for param in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of `vec` into the parameters (their values are replaced).

    >>> nn.utils.vector_to_parameters(vector, model.parameters())
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    params = list(parameters)
    total = sum(param.numel() for param in params)
    if vec.ndim != 1 or vec.numel() != total:
        raise RuntimeError(f"vector_to_parameters: vec has shape {vec.shape}, but the parameters hold {total} "
                           "values")
    offset = 0
    for param in params:
        count = param.numel()
        param._data[...] = vec._data[offset:offset + count].reshape(param.shape)  # in place: keeps the layout
        param._version[0] += 1
        offset += count
