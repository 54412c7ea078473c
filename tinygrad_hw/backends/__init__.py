"""`thw.backends`: the flags PyTorch code sets or reads; nothing here changes the CPU maths.

>>> thw.backends.mps.is_available(), thw.backends.cudnn.is_available()
(False, False)
"""

from __future__ import annotations

import types


def _false() -> bool:
    return False


mps = types.SimpleNamespace(is_available=_false, is_built=_false)
mps.__doc__ = "Apple's Metal backend: not available (tinygrad_hw runs on the CPU)."

# `thw.backends.cudnn.benchmark = True` and `.deterministic = True` are accepted and change nothing.
cudnn = types.SimpleNamespace(enabled=True, benchmark=False, deterministic=False, allow_tf32=True,
                              is_available=_false, version=lambda: None)
cuda = types.SimpleNamespace(is_built=_false, matmul=types.SimpleNamespace(allow_tf32=False))

__all__ = ["cuda", "cudnn", "mps"]
