"""The everyday PyTorch idioms that once failed here, each written as a student would write it."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as torch  # the import swap, as a user coming from PyTorch does it


def test_functions_of_the_namespace():
    x = torch.tensor([[-1.0, 0.5], [2.0, -3.0]])
    np.testing.assert_allclose(torch.tanh(x).numpy(), np.tanh(x.numpy()), rtol=1e-6)
    a, b = torch.tensor([1.0, 5.0]), torch.tensor([3.0, 2.0])
    assert torch.max(a, b).tolist() == [3.0, 5.0]
    assert torch.flatten(torch.zeros(2, 3, 4), 1).shape == (2, 12)


def test_tensor_methods():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    copy = x.clone()
    assert copy.tolist() == [1.0, 2.0, 3.0] and copy.grad_fn is not None
    assert x.eq(torch.tensor([1.0, 0.0, 3.0])).tolist() == [True, False, True]
    p = torch.zeros(3, 1)
    assert torch.arange(3).view_as(p).shape == (3, 1)
    counts = torch.tensor([[1.0, 3.0], [2.0, 2.0]])
    assert (counts / counts.sum(1, keepdims=True)).tolist() == [[0.25, 0.75], [0.5, 0.5]]


def test_dtypes_and_devices():
    assert torch.zeros(2, dtype=torch.long).dtype == np.int64
    assert torch.device("cpu").type == "cpu" and str(torch.device("cpu")) == "cpu"
    assert torch.cuda.is_available() is False
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    assert torch.ones(2).to(device).device == device


def test_generators_and_multinomial_repeat():
    g = torch.Generator().manual_seed(42)
    probs = torch.tensor([0.1, 0.0, 0.9])
    first = torch.multinomial(probs, num_samples=20, replacement=True, generator=g)
    g = torch.Generator().manual_seed(42)
    assert torch.multinomial(probs, num_samples=20, replacement=True, generator=g).tolist() == first.tolist()
    assert 1 not in first.tolist() and first.dtype == np.int64


def test_formatting_and_zero_dim_index():
    loss = torch.tensor(2.34567)
    assert f"{loss:.3f}" == "2.346"
    itos = ["a", "b", "c"]
    assert itos[torch.tensor(2)] == "c"
    with pytest.raises(TypeError):
        itos[torch.tensor([1, 2])]  # not one integer: no index, as in PyTorch
