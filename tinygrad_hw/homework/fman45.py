"""The Lund FMAN45 assignment 3 conventions, on tinygrad_hw.

The assignment (MATLAB) stores a batch as columns: a fully connected layer computes
`y = A x + b` with x of shape (features, batch); labels run from 1 to 10 (the digit 0 has label
10 in its MNIST files); the softmax loss is the batch mean of −log softmax(x)[label]. Its
gradient test compares each layer's backward with central differences, ε = 1e-5, at a few
random indices, and asks for a relative error of at most 1e-5.

PyTorch's (and this library's) conventions: one row per sample, `nn.Linear` computes
x Aᵀ + b, labels from 0. The functions below translate, so the assignment's test cases run as
written.

>>> fully_connected([[1.0], [2.0]], [[-1.0, 3.0], [7.0, -3.0]], [[2.0], [3.0]])   # [[7.], [4.]]
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .. import Tensor, tensor
from ..autograd.grad_mode import no_grad
from ..nn import functional as F


def fully_connected(x, A, b=None) -> Tensor:
    """y = A x + b with x (features, batch) as the assignment has it; F.linear on the transposes."""
    x, A = _tensor(x), _tensor(A)
    out = F.linear(x.T, A, None if b is None else _tensor(b).reshape(-1))
    return out.T


def softmax_loss(scores, labels: Sequence[int]) -> Tensor:
    """The batch mean of −log softmax(scores)[label], scores (classes, batch), labels 1..classes."""
    scores = _tensor(scores)
    labels = np.asarray(labels).reshape(-1)
    if labels.min() < 1 or labels.max() > scores.shape[0]:
        raise ValueError(f"FMAN45 labels run from 1 to {scores.shape[0]}, got {labels.min()}..{labels.max()}")
    return F.cross_entropy(scores.T, tensor(labels - 1))


def _tensor(value) -> Tensor:
    return value if isinstance(value, Tensor) else tensor(np.asarray(value, dtype=np.float64))


def gradient_test(function: Callable, inputs: Sequence[Tensor], eps: float = 1e-5, samples: int = 10,
                  seed: int = 0) -> float:
    """The assignment's gradient test: backward of Σ f(inputs) ⊙ G (G random) against central
    differences (f(x + ε) − f(x − ε)) / 2ε at `samples` random indices of each input; returns the
    largest relative error |analytic − numeric| / max(|analytic|, |numeric|, 1e-8).

    >>> gradient_test(lambda x, w: F.linear(x, w), [leaf(5, 4), leaf(3, 4)]) <= 1e-5
    """
    rng = np.random.default_rng(seed)
    output = function(*inputs)
    upstream = rng.normal(size=output.shape)
    for value in inputs:
        value.grad = None
    (output * tensor(upstream)).sum().backward()
    worst = 0.0
    for value in inputs:
        array = value._data
        for flat in rng.integers(0, array.size, samples):
            index = np.unravel_index(flat, array.shape)
            original = array[index]
            with no_grad():
                array[index] = original + eps
                plus = float((function(*inputs).numpy() * upstream).sum())
                array[index] = original - eps
                minus = float((function(*inputs).numpy() * upstream).sum())
            array[index] = original
            numeric = (plus - minus) / (2 * eps)
            analytic = float(value.grad._data[index])
            worst = max(worst, abs(analytic - numeric) / max(abs(analytic), abs(numeric), 1e-8))
    return worst
