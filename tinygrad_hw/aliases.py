"""Keyword aliases PyTorch accepts for NumPy users: `axis=` wherever an argument is `dim=`."""

from __future__ import annotations

import functools
from typing import Any, Callable


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
