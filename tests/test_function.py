"""A user's `Function`, written as PyTorch documents it, works like a built-in op: options kept
on ctx, `needs_input_grad`, `mark_non_differentiable`, `set_materialize_grads`, several
outputs, positional and keyword options; and the docs' gradcheck example passes as written."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw import ops
from tinygrad_hw.autograd import Function

from .conftest import leaf


def _cube(base):
    class Cube(base):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * grad_output

    return Cube


def _scale_shift(base):
    class ScaleShift(base):
        """factor · x + shift, with factor positional and shift a keyword option"""

        @staticmethod
        def forward(ctx, x, factor, shift=0.0):
            ctx.factor = factor
            return x * factor + shift

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.factor, None, None

    return ScaleShift


Cube, ScaleShift = _cube(Function), _scale_shift(Function)


def test_the_docs_gradcheck_example_passes_and_leaves_x_grad_alone():
    x = thw.randn(3, 4, requires_grad=True)  # a float32 leaf, as in the guide
    y = Cube.apply(x)
    assert y.shape == (3, 4) and y.grad_fn is not None
    assert thw.gradcheck(Cube.apply, (x.double(),))
    assert x.grad is None
    x64 = thw.randn(3, 4, dtype=thw.float64, requires_grad=True)  # the README's spelling
    assert thw.gradcheck(Cube.apply, (x64,))
    assert x64.grad is None


def test_gradcheck_never_touches_existing_grads():
    x = thw.randn(2, 3, dtype=thw.float64, requires_grad=True)
    (x * 2).sum().backward()
    before = x.grad.numpy().copy()
    h = x * 1.5
    assert thw.gradcheck(lambda t: Cube.apply(t) + t, (h,))
    np.testing.assert_array_equal(x.grad.numpy(), before)
    assert thw.gradcheck(lambda t: Cube.apply(t), (x,))
    np.testing.assert_array_equal(x.grad.numpy(), before)


def test_gradcheck_example_in_torch_agrees(torch):
    x = torch.randn(3, 4, requires_grad=True)
    assert torch.autograd.gradcheck(_cube(torch.autograd.Function).apply, (x.double(),))
    assert x.grad is None


@pytest.mark.parametrize("call", ["positional", "keyword", "both_keyword"])
def test_options_positional_or_keyword_behave_the_same(call):
    x = leaf(2, 3)
    run = {
        "positional": lambda t: ScaleShift.apply(t, 2.5, 1.0),
        "keyword": lambda t: ScaleShift.apply(t, 2.5, shift=1.0),
        "both_keyword": lambda t: ScaleShift.apply(t, factor=2.5, shift=1.0),
    }[call]
    out = run(x)
    np.testing.assert_allclose(out.numpy(), x.numpy() * 2.5 + 1.0)
    out.backward(thw.ones_like(out))
    np.testing.assert_allclose(x.grad.numpy(), np.full((2, 3), 2.5))
    assert thw.gradcheck(run, (leaf(2, 3),))
    assert thw.autograd.check_graph(run(leaf(2, 3)).sum()).passed


def test_options_match_torch(torch):
    x = leaf(2, 3)
    out = ScaleShift.apply(x, 2.5, 1.0)
    out.backward(thw.ones_like(out))
    tx = torch.tensor(x.numpy(), requires_grad=True)
    tout = _scale_shift(torch.autograd.Function).apply(tx, 2.5, 1.0)
    tout.backward(torch.ones_like(tout))
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy())
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


class MulAdd(Function):
    """a·b + c; computes only the gradients asked for"""

    asked: list = []

    @staticmethod
    def forward(ctx, a, b, c):
        ctx.save_for_backward(a, b)
        return a * b + c

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        MulAdd.asked.append(ctx.needs_input_grad)
        need_a, need_b, need_c = ctx.needs_input_grad
        return (grad_output * b if need_a else None, grad_output * a if need_b else None,
                grad_output if need_c else None)


def test_needs_input_grad_is_a_tuple_per_input():
    MulAdd.asked.clear()
    a, b, c = leaf(3), thw.ones(3, dtype=thw.float64), leaf(3, seed=4)
    MulAdd.apply(a, b, c).sum().backward()
    assert MulAdd.asked == [(True, False, True)]
    assert b.grad is None
    np.testing.assert_array_equal(c.grad.numpy(), np.ones(3))
    assert thw.gradcheck(lambda x, z: MulAdd.apply(x, b, z), (leaf(3), leaf(3, seed=4)))


class SortWithIndices(Function):
    """(sorted values, argsort indices); d values/dx scatters back through the permutation"""

    @staticmethod
    def forward(ctx, a):
        order = np.argsort(a, axis=-1, kind="stable")
        ctx.save_for_backward(order)
        ctx.mark_non_differentiable(order)
        return np.take_along_axis(a, order, axis=-1), order

    @staticmethod
    def backward(ctx, grad_values, grad_order):
        (order,) = ctx.saved_tensors
        assert grad_order is None or not grad_order.any()
        grad = np.zeros_like(grad_values)
        np.put_along_axis(grad, order, grad_values, axis=-1)
        return grad


def test_two_outputs_and_mark_non_differentiable():
    x = thw.tensor([[3.0, 1.0, 2.0]], dtype=thw.float64, requires_grad=True)
    values, order = SortWithIndices.apply(x)
    assert values.requires_grad and values.grad_fn is not None
    assert not order.requires_grad and order.grad_fn is None and order.dtype == np.int64
    assert order.tolist() == [[1, 2, 0]]
    (values * thw.tensor([[1.0, 10.0, 100.0]], dtype=thw.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[100.0, 1.0, 10.0]])
    assert thw.gradcheck(lambda t: SortWithIndices.apply(t)[0], (leaf(2, 4),))


class SplitHalves(Function):
    """(first half, second half · 2) of the last dimension; records what backward received"""

    received: list = []

    @staticmethod
    def forward(ctx, a, materialize=True):
        ctx.set_materialize_grads(materialize)
        ctx.half = a.shape[-1] // 2
        return a[..., :ctx.half].copy(), a[..., ctx.half:] * 2

    @staticmethod
    def backward(ctx, grad_first, grad_second):
        SplitHalves.received.append((grad_first is None, grad_second is None))
        first = np.zeros(grad_first.shape if grad_first is not None else grad_second.shape)
        second = np.zeros_like(first)
        if grad_first is not None:
            first = grad_first
        if grad_second is not None:
            second = grad_second * 2
        return np.concatenate([first, second], axis=-1)


@pytest.mark.parametrize("materialize", [True, False])
def test_set_materialize_grads(materialize):
    SplitHalves.received.clear()
    x = leaf(2, 4)
    first, second = SplitHalves.apply(x, materialize)
    first.sum().backward()  # the second output gets no gradient
    assert SplitHalves.received == [(False, not materialize)]
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 1, 0, 0], [1, 1, 0, 0]])


def test_several_outputs_gradcheck_and_both_used():
    x = leaf(2, 4)
    assert thw.gradcheck(lambda t: SplitHalves.apply(t), (x,))
    first, second = SplitHalves.apply(x)
    (first * 3 + second).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[3, 3, 2, 2], [3, 3, 2, 2]])


def test_builtin_ops_with_positional_options():
    x = leaf(3, 4)
    out = ops.Sum.apply(x, (1,))
    assert out.shape == (3,)
    out.backward(thw.ones(3, dtype=thw.float64))
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((3, 4)))
    assert thw.gradcheck(lambda t: ops.Sum.apply(t, (1,)), (leaf(3, 4),))
    assert thw.gradcheck(lambda t: ops.Sum.apply(t, (0,), True), (leaf(3, 4),))
    assert thw.gradcheck(lambda t: ops.Softmax.apply(t, 1), (leaf(3, 4),))
    assert thw.gradcheck(lambda t: ops.LogSoftmax.apply(t, 0), (leaf(3, 4),))
    assert thw.gradcheck(lambda t: ops.MaxAlongDim.apply(t, 1)[0], (leaf(3, 4),))
    y = leaf(3, 4)
    ops.Softmax.apply(y, 1).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), np.zeros((3, 4)), atol=1e-12)
    assert thw.autograd.check_graph((ops.Softmax.apply(leaf(3, 4), 1) * leaf(3, 4, seed=2)).sum()).passed


def test_a_function_with_a_wrong_backward_is_caught():
    class WrongCube(Cube):
        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x ** 2 * grad_output

    with pytest.raises(thw.autograd.GradcheckError, match="Jacobian mismatch"):
        thw.gradcheck(WrongCube.apply, (leaf(2, 2),))


def test_ctx_forward_kwargs_is_gone():
    x = leaf(2)
    out = ScaleShift.apply(x, 2.0, shift=1.0)
    assert not hasattr(out.grad_fn, "forward_kwargs")
