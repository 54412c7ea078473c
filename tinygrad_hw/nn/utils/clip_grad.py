"""Gradient clipping: rescale all gradients by their total norm, or clamp each value."""

from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from ...tensor import Tensor


def _tensors(parameters: Any) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def get_total_norm(tensors: Any, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """The norm of all `tensors` taken together, as if concatenated.  >>> nn.utils.get_total_norm(grads)"""
    arrays = [t._data for t in _tensors(tensors)]
    norm_type = float(norm_type)
    if not arrays:
        return Tensor._make(np.array(0.0, np.float32), False, None)
    dtype = np.result_type(*arrays)
    if norm_type == math.inf:
        total = max(float(np.abs(a).max()) if a.size else 0.0 for a in arrays)
    elif norm_type == -math.inf:
        total = min(float(np.abs(a).min()) if a.size else math.inf for a in arrays)
    else:
        norms = np.array([np.linalg.norm(a.reshape(-1).astype(np.float64), ord=norm_type) for a in arrays])
        total = float(np.linalg.norm(norms, ord=norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
                           "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                           "norm anyway, set `error_if_nonfinite=False`")
    return Tensor._make(np.array(total, dtype), False, None)


def clip_grad_norm_(parameters: Any, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach: bool | None = None) -> Tensor:
    """Scale all gradients together so their total norm is at most `max_norm`; returns the
    total norm before clipping (a 0-d tensor).

    >>> loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0); optimizer.step()
    """
    grads = [p.grad for p in _tensors(parameters) if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    if not grads:
        return total
    coefficient = min(float(max_norm) / (float(total._data) + 1e-6), 1.0)
    if coefficient < 1.0 or math.isnan(coefficient):
        for grad in grads:  # in place, as PyTorch's mul_ (keeps the optimizer's references)
            grad._data *= grad._data.dtype.type(coefficient)
            grad._version[0] += 1
    return total


def clip_grad_norm(parameters: Any, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """Deprecated name of `clip_grad_norm_`."""
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient value to [-clip_value, clip_value] in place.

    >>> nn.utils.clip_grad_value_(model.parameters(), 0.5)
    """
    clip_value = float(clip_value)
    for param in _tensors(parameters):
        if param.grad is not None:
            np.clip(param.grad._data, -clip_value, clip_value, out=param.grad._data)
            param.grad._version[0] += 1
