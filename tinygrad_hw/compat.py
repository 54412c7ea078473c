"""The rest of the `torch` namespace that PyTorch programs touch: type checks, `compile`,
print options, and clear errors for what is out of scope (`jit`, `sparse`).

>>> thw.is_tensor(thw.ones(1)), thw.numel(thw.ones(2, 3))
(True, 6)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .tensor import Tensor

__all__ = ["compile", "is_complex", "is_floating_point", "is_nonzero", "is_tensor", "jit", "numel",
           "set_printoptions", "sparse"]


def is_tensor(obj: Any) -> bool:
    """True for a thw.Tensor.

    >>> thw.is_tensor([1.0])
    False
    """
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    """>>> thw.is_floating_point(thw.ones(1))
    True"""
    return input.is_floating_point()


def is_complex(input: Tensor) -> bool:
    """Always False: complex tensors are out of scope."""
    return False


def is_nonzero(input: Tensor) -> bool:
    """The truth of a one-element tensor.

    >>> thw.is_nonzero(thw.tensor([1.5]))
    True
    """
    if input.numel() != 1:
        amount = "no values" if input.numel() == 0 else "more than one value"
        raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
    return bool(input)


def numel(input: Tensor) -> int:
    """>>> thw.numel(thw.zeros(2, 3))
    6"""
    return input.numel()


_COMPILE_WARNED = [False]


def compile(model: Any = None, **options: Any) -> Any:  # noqa: A001 (PyTorch's name)
    """Return `model` unchanged (warns once): there is no compiler here, as on a CPU build that
    cannot compile. Works as a decorator too.

    >>> model = thw.compile(model)
    """
    if not _COMPILE_WARNED[0]:
        _COMPILE_WARNED[0] = True
        warnings.warn("thw.compile: tinygrad_hw has no compiler; the model runs unchanged", stacklevel=2)
    if model is None:
        return lambda function: function
    return model


def set_printoptions(precision: int | None = None, threshold: int | None = None, edgeitems: int | None = None,
                     linewidth: int | None = None, profile: str | None = None, sci_mode: bool | None = None) -> None:
    """How tensors print (NumPy's print options underneath), as torch.set_printoptions.

    >>> thw.set_printoptions(precision=2)
    """
    if profile is not None:
        presets = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, np.inf, 3, 80)}
        if profile not in presets:
            raise ValueError(f"unknown profile '{profile}'")
        precision, threshold, edgeitems, linewidth = (given if given is not None else preset for given, preset in
                                                      zip((precision, threshold, edgeitems, linewidth),
                                                          presets[profile]))
    options = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems, "linewidth": linewidth}
    np.set_printoptions(**{k: v for k, v in options.items() if v is not None},
                        suppress=None if sci_mode is None else not sci_mode)


class _OutOfScope:
    """A namespace (`thw.jit`, `thw.sparse`) whose every member raises a clear error."""

    def __init__(self, name: str, feature: str) -> None:
        self._name, self._feature = name, feature

    def __getattr__(self, member: str) -> Any:
        if member.startswith("__"):
            raise AttributeError(member)
        raise NotImplementedError(f"thw.{self._name}.{member}: {self._feature} is out of scope for tinygrad_hw")

    def __repr__(self) -> str:
        return f"<thw.{self._name}: {self._feature}, out of scope>"


jit = _OutOfScope("jit", "TorchScript (torch.jit)")
sparse = _OutOfScope("sparse", "sparse tensors")
