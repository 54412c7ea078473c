"""Shared test helpers: the optional PyTorch reference and the shared real-data folder."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw.autograd import Function

SHARED_DATA = Path(os.environ.get("TINYGRAD_HW_SHARED_DATA",
                                  Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture
def torch():
    """PyTorch, or a clean skip where it is not installed (CI installs it)."""
    return pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _seed():
    thw.manual_seed(0)
    yield


def shared_data(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"shared data folder {path} is absent")
    return path


def leaf(*shape, low=-1.0, high=1.0, seed=0) -> thw.Tensor:
    """A float64 leaf with uniform values, for gradchecks."""
    rng = np.random.default_rng(seed + sum(shape))
    return thw.tensor(rng.uniform(low, high, shape), dtype=np.float64, requires_grad=True)


def uwimg_matrix(name: str) -> np.ndarray:
    """One of the uwimg homework's reference matrices (int32 rows, cols, then float64 values)."""
    raw = (shared_data("uwimg-test") / f"{name}.matrix").read_bytes()
    rows, cols = np.frombuffer(raw[:8], "<i4")
    return np.frombuffer(raw[8:], "<f8").reshape(rows, cols)


class Square(Function):
    """x², a correct custom op; tests subclass it with a deliberately wrong backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_output
