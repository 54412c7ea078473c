"""`thw.cuda`: there is no GPU here. The questions PyTorch code asks get CPU answers; using
CUDA raises a clear RuntimeError (see `device.py`).

>>> thw.cuda.is_available(), thw.cuda.device_count()
(False, 0)
"""

from __future__ import annotations

from typing import Any

from .device import check_device


def is_available() -> bool:
    """False: tinygrad_hw runs on the CPU."""
    return False


def device_count() -> int:
    """0: no CUDA devices."""
    return 0


def is_initialized() -> bool:
    return False


def manual_seed(seed: int) -> None:
    """Accepted and ignored, as PyTorch does without a GPU (seed the CPU with thw.manual_seed)."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored, as PyTorch does without a GPU."""


def empty_cache() -> None:
    """Nothing to free."""


def current_device() -> int:
    """Raises: there is no CUDA device."""
    check_device("cuda")
    return 0


def synchronize(device: Any = None) -> None:
    """Raises: there is no CUDA device."""
    check_device("cuda")


def set_device(device: Any) -> None:
    """Raises for any CUDA device."""
    check_device(device if not isinstance(device, int) else "cuda")
