"""Keyword arguments PyTorch accepts everywhere: `axis=` for `dim=`, and `out=`."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

import numpy as np


def axis_alias(function: Callable) -> Callable:
    """Accept NumPy's `axis=` for `dim=`, as PyTorch does wherever an argument is called `dim`.

    >>> thw.stack([thw.zeros(2), thw.ones(2)], axis=1).shape
    (2, 2)
    """
    @functools.wraps(function)
    def with_axis(*args: Any, **kwargs: Any) -> Any:
        if "axis" in kwargs:
            if "dim" in kwargs:
                raise TypeError(f"{function.__name__}() got both 'dim' and its alias 'axis'")
            kwargs["dim"] = kwargs.pop("axis")
        return function(*args, **kwargs)
    return with_axis


def out_argument(function: Callable) -> Callable:
    """Accept PyTorch's `out=`: the result is written into that tensor (resized if its shape
    differs, cast to its dtype), which is returned. Not differentiable, as in PyTorch.

    >>> buffer = thw.empty(0); thw.cat([thw.ones(2), thw.zeros(1)], out=buffer) is buffer
    True
    """
    takes_dtype = "dtype" in inspect.signature(function).parameters  # factories make out's dtype

    @functools.wraps(function)
    def with_out(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is None:
            return function(*args, **kwargs)
        from .autograd.grad_mode import STATE  # the engine is built after this module
        from .tensor import Tensor
        inputs = [a for a in list(args) + list(kwargs.values()) if isinstance(a, Tensor)]
        inputs += [t for a in args if isinstance(a, (list, tuple)) for t in a if isinstance(t, Tensor)]
        if STATE.grad_enabled and any(t.requires_grad for t in inputs + [out]):
            raise RuntimeError(f"{function.__name__}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        if not isinstance(out, Tensor):
            raise TypeError(f"{function.__name__}(): argument 'out' must be Tensor, not {type(out).__name__}")
        if takes_dtype and kwargs.get("dtype") is None:
            kwargs["dtype"] = out.dtype
        result = function(*args, **kwargs)._data
        if not np.can_cast(result.dtype, out.dtype, "same_kind"):
            raise TypeError(f"{function.__name__}(): input types can't be cast to the desired output type "
                            f"{out.dtype}")
        if result.shape == out.shape:
            np.copyto(out._data, result, casting="unsafe")
        else:
            out._data = result.astype(out.dtype)
        out._version[0] += 1
        return out
    return with_out
