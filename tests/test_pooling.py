"""Pooling: gradchecks without torch, PyTorch's numbers and indices, ties, adaptive pools."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn

from .conftest import leaf

MAX_POOL_CASES = [  # (input shape, kernel, stride, padding, dilation, ceil_mode)
    ((2, 3, 8, 8), 2, None, 0, 1, False),             # the 2x2/2 fast path
    ((2, 3, 9, 7), 2, None, 0, 1, False),             # fast path, odd sizes dropped
    ((1, 2, 7, 9), 3, 2, 1, 1, False),
    ((2, 1, 6, 5), (2, 3), (1, 2), (1, 1), 1, False),  # non-square
    ((1, 1, 5, 5), 2, 1, 0, 1, False),                 # overlapping windows
    ((2, 3, 9, 8), 3, 2, 1, 2, False),                 # dilation
    ((2, 3, 9, 8), 3, 2, 1, 1, True),                  # ceil_mode
    ((2, 3, 9, 9), 2, None, 0, 1, True),               # ceil_mode, 2x2
]
AVG_POOL_CASES = [  # (input shape, kernel, stride, padding, ceil_mode, count_include_pad)
    ((2, 3, 8, 8), 2, None, 0, False, True),
    ((1, 2, 7, 9), 3, 2, 1, False, True),
    ((1, 2, 7, 9), 3, 2, 1, False, False),
    ((2, 1, 6, 5), (2, 3), (1, 2), (1, 1), False, False),
    ((2, 3, 9, 8), 3, 2, 1, True, True),
    ((2, 3, 11, 9), 3, 3, 1, True, False),
]
ADAPTIVE_SIZES = [1, (2, 3), (3, 3), (4, 5), 7, (None, 2)]


def _max_pool(case, **options):
    _, kernel, stride, padding, dilation, ceil_mode = case
    return lambda x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode, **options)


def _avg_pool(case):
    _, kernel, stride, padding, ceil_mode, count_include_pad = case
    return lambda x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad)


def _compare_with_torch(ours, theirs, x, torch):
    out = ours(x)
    out, indices = out if isinstance(out, tuple) else (out, None)
    gradient = np.random.default_rng(5).normal(size=out.shape)
    out.backward(gradient)
    tx = torch.tensor(x.numpy(), requires_grad=True)
    torch_out = theirs(tx)
    torch_out, torch_indices = torch_out if isinstance(torch_out, tuple) else (torch_out, None)
    torch_out.backward(torch.tensor(gradient))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-12)
    if indices is not None:
        assert indices.dtype == np.int64
        np.testing.assert_array_equal(indices.numpy(), torch_indices.numpy())


@pytest.mark.parametrize("case", MAX_POOL_CASES, ids=str)
def test_max_pool2d_gradcheck(case):
    assert thw.gradcheck(_max_pool(case), (leaf(*case[0], seed=3),))


@pytest.mark.parametrize("case", AVG_POOL_CASES, ids=str)
def test_avg_pool2d_gradcheck(case):
    assert thw.gradcheck(_avg_pool(case), (leaf(*case[0], seed=3),))


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("case", MAX_POOL_CASES, ids=str)
def test_max_pool2d_matches_torch_with_indices(case, ties, torch):
    x = leaf(*case[0])
    if ties:  # many equal maxima: the gradient and the index go to the first in scan order
        x = thw.tensor(np.maximum(np.round(x.numpy() * 2), 0), requires_grad=True)
    _, kernel, stride, padding, dilation, ceil_mode = case
    _compare_with_torch(_max_pool(case, return_indices=True), lambda t: torch.nn.functional.max_pool2d(
        t, kernel, stride, padding, dilation, ceil_mode, return_indices=True), x, torch)


@pytest.mark.parametrize("case", AVG_POOL_CASES, ids=str)
def test_avg_pool2d_matches_torch(case, torch):
    _, kernel, stride, padding, ceil_mode, count_include_pad = case
    _compare_with_torch(_avg_pool(case), lambda t: torch.nn.functional.avg_pool2d(
        t, kernel, stride, padding, ceil_mode, count_include_pad), leaf(*case[0]), torch)


def test_max_pool_ties_go_to_the_first_element_in_scan_order():
    x = thw.tensor(np.array([[[[1.0, 1.0, 0.0, 2.0, 5.0, 5.0],
                               [1.0, 1.0, 1.0, 2.0, 5.0, 4.0]]]]), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], [[1, 0, 0, 1, 1, 0], [0, 0, 0, 0, 0, 0]])
    x.grad = None
    F.max_pool2d(x, (2, 3), stride=(1, 3)).sum().backward()  # the general path
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], [[1, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0]])


def test_pool_1d_gradcheck_and_matches_torch(torch):
    x = leaf(2, 3, 11)
    assert thw.gradcheck(lambda t: F.max_pool1d(t, 3, 2, 1, 2, True), (x,))
    assert thw.gradcheck(lambda t: F.avg_pool1d(t, 3, 2, 1, True, False), (x,))
    _compare_with_torch(lambda t: F.max_pool1d(t, 3, 2, 1, 1, True, True),
                        lambda t: torch.nn.functional.max_pool1d(t, 3, 2, 1, 1, True, True), x, torch)
    x.grad = None
    _compare_with_torch(lambda t: nn.AvgPool1d(3, 2, 1, True, False)(t),
                        lambda t: torch.nn.AvgPool1d(3, 2, 1, True, False)(t), x, torch)


@pytest.mark.parametrize("size", ADAPTIVE_SIZES, ids=str)
def test_adaptive_pools_gradcheck(size):
    x = leaf(2, 2, 7, 6)
    assert thw.gradcheck(lambda t: F.adaptive_avg_pool2d(t, size), (x,))
    assert thw.gradcheck(lambda t: F.adaptive_max_pool2d(t, size), (x,))


@pytest.mark.parametrize("size", ADAPTIVE_SIZES, ids=str)
def test_adaptive_pools_match_torch(size, torch):
    _compare_with_torch(nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size), leaf(2, 3, 7, 9), torch)
    x = thw.tensor(np.maximum(np.round(leaf(2, 3, 7, 9).numpy() * 2), 0), requires_grad=True)  # ties
    _compare_with_torch(nn.AdaptiveMaxPool2d(size, return_indices=True),
                        torch.nn.AdaptiveMaxPool2d(size, return_indices=True), x, torch)


def test_pools_take_unbatched_input_and_keep_float32():
    x = thw.randn(3, 8, 8)
    assert F.max_pool2d(x, 2).shape == (3, 4, 4) and F.max_pool2d(x, 2).dtype == np.float32
    assert F.avg_pool2d(x, 2).dtype == np.float32 and F.adaptive_avg_pool2d(x, 1).shape == (3, 1, 1)
    out, indices = F.max_pool2d(x, 2, return_indices=True)
    assert indices.shape == (3, 4, 4)
    np.testing.assert_array_equal(np.take_along_axis(x.numpy().reshape(3, -1), indices.numpy().reshape(3, -1), 1),
                                  out.numpy().reshape(3, -1))


def test_pool_errors_and_repr(torch):
    with pytest.raises(RuntimeError, match="at most half"):
        F.max_pool2d(thw.randn(1, 1, 8, 8), 2, padding=2)
    with pytest.raises(RuntimeError, match="too small"):
        F.max_pool2d(thw.randn(1, 1, 2, 2), 3)
    with pytest.raises(RuntimeError, match="3-D or 4-D"):
        F.avg_pool2d(thw.randn(8, 8), 2)
    assert repr(nn.MaxPool2d(2)) == repr(torch.nn.MaxPool2d(2))
    assert repr(nn.AvgPool2d(3, 2, 1)) == repr(torch.nn.AvgPool2d(3, 2, 1))
