"""`tinygrad_hw.utils`: PyTorch's `torch.utils` namespace (so far `utils.data`)."""

from . import data

__all__ = ["data"]
