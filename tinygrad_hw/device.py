"""Devices: `thw.device('cpu')`, and clear errors for the devices this library does not have.

tinygrad_hw runs on the CPU (NumPy). PyTorch code that asks for a device keeps working when
it asks for the CPU or checks first (`'cuda' if thw.cuda.is_available() else 'cpu'`); asking
for CUDA or MPS outright raises a RuntimeError that says so.
"""

from __future__ import annotations

from typing import Any

_KNOWN_TYPES = ("cpu", "cuda", "mps", "xpu", "meta", "hip", "mtia", "xla")


class device:
    """A device as PyTorch names it: `device('cpu')`, `device('cuda', 0)`, `device('cuda:1')`.

    Any known device type can be named (as in PyTorch), but only the CPU can hold tensors.

    >>> thw.device("cpu"), str(thw.tensor(1.0).device)
    (device(type='cpu'), 'cpu')
    """

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002 (PyTorch's name)
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        elif isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type  # torch.device(0) means cuda:0
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type.__class__.__name__})")
        name, _, number = type.partition(":")
        if name not in _KNOWN_TYPES or (number and not number.isdigit()) or (number and index is not None):
            raise RuntimeError(f"Expected one of cpu, cuda, mps, xpu, meta device type at start of device string: "
                               f"{type}")
        if number:
            index = int(number)
        if index is not None and int(index) < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        object.__setattr__(self, "type", name)
        object.__setattr__(self, "index", None if index is None else int(index))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a device is immutable")

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __enter__(self) -> "device":
        check_device(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


CPU = device("cpu")


def check_device(where: Any) -> device:
    """The CPU device for `where` ('cpu', device('cpu'), None); a clear RuntimeError for any other.

    >>> check_device("cpu")
    device(type='cpu')
    """
    if where is None:
        return CPU
    if hasattr(where, "device") and not isinstance(where, (str, int, device)):
        where = where.device  # a Tensor
    target = where if isinstance(where, device) else device(where)
    if target.type != "cpu":
        raise RuntimeError(f"tinygrad_hw runs on the CPU only; device '{target}' is not available here. Use "
                           "device='cpu' (or `'cuda' if thw.cuda.is_available() else 'cpu'`).")
    return CPU


def is_device_like(value: Any) -> bool:
    """True for what `Tensor.to(...)` reads as a device: a device, or a string naming one."""
    if isinstance(value, device):
        return True
    return isinstance(value, str) and value.partition(":")[0] in _KNOWN_TYPES
