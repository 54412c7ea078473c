"""`thw.accelerator`: PyTorch's device-neutral questions; the answer is always "none".

>>> thw.accelerator.is_available(), thw.accelerator.current_accelerator()
(False, None)
"""

from __future__ import annotations


def is_available() -> bool:
    """False: tinygrad_hw has no accelerator, only the CPU."""
    return False


def current_accelerator(check_available: bool = False) -> None:
    """None: there is no accelerator."""
    return None


def device_count() -> int:
    return 0
