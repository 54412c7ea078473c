"""gradcheck: torch.autograd.gradcheck's meaning, with a message that points at the element."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw.autograd import Function, GradcheckError

from .conftest import Square, leaf


class WrongSquare(Square):
    """x² with the factor 2 forgotten in one element of the backward."""

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = 2 * x * grad_output
        grad.flat[4] = x.flat[4] * grad_output.flat[4]
        return grad


def test_passes_on_correct_gradients_and_is_exported_twice():
    assert thw.gradcheck is thw.autograd.gradcheck
    assert thw.gradcheck(lambda a, b: (a @ b).tanh(), (leaf(2, 3), leaf(3, 4, seed=1)))


def test_message_names_output_input_element_values_and_errors():
    x, scale = leaf(2, 3), leaf(2, 3, seed=9)
    with pytest.raises(GradcheckError) as info:
        thw.gradcheck(lambda a, t: t * WrongSquare.apply(a), (x, scale))
    message = str(info.value)
    assert "output 0 with respect to input 0" in message
    assert "output[1, 1] w.r.t. input[1, 1]" in message
    numeric = 2 * x.numpy()[1, 1] * scale.numpy()[1, 1]
    assert f"{numeric:.8g}" in message and "absolute error" in message and "relative error" in message
    assert "1 of 36" in message


def test_second_input_is_checked_too():
    class WrongSecond(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad_output):
            a, b = ctx.saved_tensors
            return grad_output * b, grad_output * b

    with pytest.raises(GradcheckError, match="with respect to input 1"):
        thw.gradcheck(WrongSecond.apply, (leaf(3), leaf(3, seed=2)))


def test_raise_exception_false_returns_false():
    assert thw.gradcheck(WrongSquare.apply, (leaf(5),), raise_exception=False) is False


def test_no_input_requiring_grad_is_a_value_error():
    with pytest.raises(ValueError, match="requires_grad"):
        thw.gradcheck(lambda t: t * 2, (thw.ones(3, dtype=np.float64),))


def test_float32_inputs_warn():
    with pytest.warns(UserWarning, match="float32"):
        thw.gradcheck(lambda t: t * 2, (thw.ones(3, requires_grad=True),), atol=1e-2, rtol=1e-2, eps=1e-3)


def test_tolerances_have_torch_meaning():
    class SlightlyOff(Function):
        @staticmethod
        def forward(ctx, x):
            return 3 * x

        @staticmethod
        def backward(ctx, grad_output):
            return 3.002 * grad_output  # |a - n| = 0.002 vs atol + rtol*3

    x = leaf(3)
    assert thw.gradcheck(SlightlyOff.apply, (x,), atol=1e-5, rtol=1e-3)
    assert not thw.gradcheck(SlightlyOff.apply, (x,), atol=1e-5, rtol=1e-4, raise_exception=False)


def test_inputs_and_their_grads_are_left_as_they_were():
    x = leaf(4)
    before = x.numpy().copy()
    x.grad = thw.ones(4, dtype=np.float64)
    thw.gradcheck(lambda t: t.exp(), (x,))
    np.testing.assert_array_equal(x.numpy(), before)
    np.testing.assert_array_equal(x.grad.numpy(), np.ones(4))


def test_multiple_outputs():
    assert thw.gradcheck(lambda t: (t.exp(), t.sum()), (leaf(3),))
