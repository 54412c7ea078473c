"""The engine: gradient accumulation, graph freeing, deep graphs, modes, hooks and errors."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw.autograd import Function

from .conftest import leaf
from .test_function import Cube


def test_node_used_several_times_gets_the_sum():
    a = thw.tensor(3.0, requires_grad=True)
    b = a * a + a
    b.backward()
    assert a.grad.item() == 2 * 3 + 1


def test_grad_accumulates_across_backward_calls_and_only_on_leaves():
    a = thw.tensor([1.0, 2.0], requires_grad=True)
    hidden = a * 3
    hidden.sum().backward()
    (a * a).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [3 + 2, 3 + 4])
    assert hidden.grad is None and not hidden.is_leaf and a.is_leaf


def test_retain_grad_keeps_non_leaf_gradients():
    a = thw.tensor([1.0, 2.0], requires_grad=True)
    hidden = a * 3
    hidden.retain_grad()
    (hidden * hidden).sum().backward()
    np.testing.assert_allclose(hidden.grad.numpy(), [6, 12])


def test_grads_of_two_inputs_do_not_share_memory():
    a, b = thw.ones(2, requires_grad=True), thw.ones(2, requires_grad=True)
    (a + b).sum().backward()
    a.grad.numpy()[0] = 100
    assert b.grad.numpy()[0] == 1


def test_deep_chain_of_100000_ops_has_no_recursion_limit():
    x = thw.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0


def test_second_backward_through_freed_graph_says_retain_graph():
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [4, 8])


def test_backward_frees_saved_arrays():
    x = thw.randn(100, 100, requires_grad=True)
    y = x.exp()
    y.sum().backward()
    assert y.grad_fn._saved is None


def test_non_scalar_backward_needs_a_gradient():
    x = thw.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"scalar output.*\(3,\)"):
        (x * 2).backward()
    (x * 2).backward(thw.ones(3))
    with pytest.raises(RuntimeError, match=r"grad_output\[0\] has a shape of \(2,\)"):
        (x * 2).backward(thw.ones(2))


def test_backward_on_tensor_without_grad_is_clear():
    with pytest.raises(RuntimeError, match="does not require grad"):
        thw.ones(3).sum().backward()


def test_integer_tensors_cannot_require_grad():
    with pytest.raises(RuntimeError, match="floating point dtype.*int64"):
        thw.tensor([1, 2, 3], requires_grad=True)
    assert thw.tensor([1, 2]).dtype == np.int64


def test_dtypes():
    assert thw.tensor([1.5]).dtype == np.float32
    assert thw.tensor(np.array([1.5])).dtype == np.float64
    assert thw.tensor(np.array([1.5], np.float32)).dtype == np.float32
    assert thw.randn(2).dtype == np.float32
    thw.set_default_dtype(np.float64)
    try:
        assert thw.tensor([1.5]).dtype == np.float64 and thw.zeros(2).dtype == np.float64
    finally:
        thw.set_default_dtype(np.float32)
    assert (thw.ones(2, dtype=np.float64) * thw.ones(2)).dtype == np.float64
    x = thw.tensor([1.0], requires_grad=True)
    (x.double() * 3).sum().backward()
    assert x.grad.dtype == np.float32
    assert x.to("cpu") is x and x.to(np.float64).dtype == np.float64


def test_no_grad_and_enable_grad_as_context_and_decorator():
    x = thw.ones(2, requires_grad=True)
    with thw.no_grad():
        assert not (x * 2).requires_grad and not thw.is_grad_enabled()
        with thw.enable_grad():
            assert (x * 2).requires_grad
    assert thw.is_grad_enabled()

    @thw.no_grad()
    def doubled(t):
        return t * 2

    assert not doubled(x).requires_grad
    assert (x * 2).requires_grad


def test_in_place_update_of_a_leaf_under_no_grad():
    w = thw.ones(2, requires_grad=True)
    (w * 3).sum().backward()
    with pytest.raises(RuntimeError, match="in-place"):
        w -= 0.1 * w.grad
    with thw.no_grad():
        w -= 0.1 * w.grad
    np.testing.assert_allclose(w.numpy(), [0.7, 0.7])
    assert w.requires_grad and w.is_leaf


def test_detect_anomaly_names_the_op():
    x = thw.tensor([0.0, 1.0], requires_grad=True)
    y = (x.sqrt() * 0).sum()  # d sqrt(x)/dx at 0 is inf; inf * 0 = nan
    with thw.autograd.detect_anomaly(), np.errstate(all="ignore"):
        with pytest.raises(RuntimeError, match="SqrtBackward"):
            y.backward()
    with thw.autograd.detect_anomaly(), np.errstate(all="ignore"):
        with pytest.raises(RuntimeError, match="'Log'.*forward"):
            thw.tensor([-1.0]).log()


def test_detach_cuts_the_graph():
    x = thw.ones(2, requires_grad=True)
    y = (x * 2).detach()
    assert not y.requires_grad and y.grad_fn is None


def test_hooks_can_change_gradients():
    x = thw.ones(3, requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.numpy().copy()))
    y = x * 2
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [20, 20, 20])
    np.testing.assert_allclose(seen[0], [20, 20, 20])


class ScaledAdd(Function):
    """A custom op with a non-tensor argument and broadcasting."""

    @staticmethod
    def forward(ctx, a, b, scale):
        ctx.scale = scale
        return a + scale * b

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, ctx.scale * grad_output, None


def test_custom_function_same_mechanism():
    x = leaf(3, 2)
    y = Cube.apply(x)
    assert y.grad_fn.name() == "CubeBackward0"
    assert thw.gradcheck(Cube.apply, (x,))
    b = leaf(2, seed=4)
    assert thw.gradcheck(lambda p, q: ScaledAdd.apply(p, q, 2.5), (x, b))


def test_custom_function_with_too_few_gradients_is_clear():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    a, b = thw.ones(2, requires_grad=True), thw.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="BadBackward0 returned an incorrect number of gradients"):
        Bad.apply(a, b).sum().backward()


def test_repr_and_conversions():
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "Tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "Tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert np.asarray(x).dtype == np.float32 and x.tolist() == [1.0, 2.0]
    assert thw.tensor([[3.5]]).item() == 3.5
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        x.item()
    assert x.size() == (2,) and x.numel() == 2 and x.ndim == 1 and x.T.shape == (2,)


def test_factories_and_seed():
    thw.manual_seed(3)
    a = (thw.randn(2, 3), thw.rand(2), thw.randint(0, 5, (4,)))
    thw.manual_seed(3)
    b = (thw.randn(2, 3), thw.rand(2), thw.randint(0, 5, (4,)))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
    assert thw.zeros(2, 3).shape == thw.ones((2, 3)).shape == (2, 3)
    assert thw.full((2,), 3.0).tolist() == [3.0, 3.0]
    assert thw.arange(3).dtype == np.int64 and thw.arange(0.0, 1.0, 0.25).dtype == np.float32
    assert thw.linspace(0, 1, 5).tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert thw.eye(3).numpy().trace() == 3
    assert thw.zeros_like(thw.ones(2, 2)).shape == (2, 2) and thw.randn_like(thw.ones(4)).shape == (4,)
    assert thw.ones_like(thw.zeros(3)).tolist() == [1, 1, 1]
