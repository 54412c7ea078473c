"""Values, gradients and errors where the engine once differed from PyTorch (issue 10's list,
found by another project's op tests). Each test checks the hand-written expected value, and
PyTorch's own when torch is installed."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw

from .conftest import leaf


def _libraries() -> list:
    """thw always; torch too when it is installed."""
    try:
        import torch
    except ImportError:
        return [thw]
    return [thw, torch]


def _grad(tensor) -> np.ndarray:
    return tensor.grad.numpy()


def test_pow_zero_exponent_has_zero_gradient_at_zero():
    for m in _libraries():
        x = m.tensor([0.0, 1.0, -2.0], requires_grad=True)
        (x ** 0).sum().backward()
        np.testing.assert_array_equal(_grad(x), [0.0, 0.0, 0.0])
        x = m.tensor([0.0, 1.0, -2.0], requires_grad=True)
        exponent = m.tensor([0.0, 0.0, 0.0], requires_grad=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            (x ** exponent).sum().backward()
        np.testing.assert_array_equal(_grad(x), [0.0, 0.0, 0.0])
        np.testing.assert_array_equal(_grad(exponent), [0.0, 0.0, np.nan])  # ln(-2)


def test_negative_base_gives_nan_exponent_gradient():
    for m in _libraries():
        x = m.tensor([0.5, 2.0, 0.0, -1.0], requires_grad=True)
        with np.errstate(invalid="ignore"):
            y = (-2.0) ** x
            y.sum().backward()
        np.testing.assert_array_equal(y.detach().numpy(), [np.nan, 4.0, 1.0, -0.5])
        assert np.isnan(_grad(x)).all()


def test_zero_base_gradient_is_minus_inf_for_negative_exponents():
    for m in _libraries():
        x = m.tensor([-1.0, -0.5, 0.0, 1.0], requires_grad=True)
        base = m.tensor([0.0, 0.0, 0.0, 0.0], requires_grad=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = 0.0 ** x
            y.sum().backward()
        np.testing.assert_array_equal(y.detach().numpy(), [np.inf, np.inf, 1.0, 0.0])
        np.testing.assert_array_equal(_grad(x), [-np.inf, -np.inf, 0.0, 0.0])
        x.grad = None
        with np.errstate(divide="ignore", invalid="ignore"):
            (base ** x).sum().backward()
        np.testing.assert_array_equal(_grad(x), [-np.inf, -np.inf, 0.0, 0.0])
        np.testing.assert_array_equal(_grad(base), [-np.inf, -np.inf, 0.0, 1.0])


def test_integer_then_index_array_separated_by_a_slice():
    values = leaf(2, 5, 6).numpy()
    weights = np.arange(10.0).reshape(5, 2)
    expected_grad = np.zeros((2, 5, 6))
    expected_grad[0, :, 1:3] = weights
    for m in _libraries():
        t = m.tensor(values.copy(), requires_grad=True)
        out = t[0, :, [1, 2]]
        assert tuple(out.shape) == (5, 2)
        np.testing.assert_array_equal(out.detach().numpy(), values[0][:, [1, 2]])
        (out * m.tensor(weights)).sum().backward()
        np.testing.assert_array_equal(_grad(t), expected_grad)


def test_integer_then_index_array_gradcheck():
    t = leaf(2, 5, 6)
    assert thw.gradcheck(lambda x: x[0, :, [1, 2, 1]], (t,))
    assert thw.gradcheck(lambda x: x[:, 1, [0, 3]], (t,))


@pytest.mark.parametrize("call", ["unsqueeze(77)", "stack(dim=77)", "squeeze(5)", "unsqueeze(-4)", "sum(2)",
                                  "softmax(3)", "transpose(0, 9)"])
def test_dimension_out_of_range_raises_index_error(call):
    for m in _libraries():
        t = m.zeros(2, 3)
        with pytest.raises(IndexError, match="[Dd]imension out of range"):
            if call.startswith("stack"):
                m.stack([t, t], dim=77)
            else:
                eval(f"t.{call}")


def test_int32_min_of_the_smallest_int32():
    for m in _libraries():
        t = m.tensor([0, -2**31], dtype=m.int32)
        assert t.min().item() == -2**31 and str(t.min().dtype).endswith("int32")
        assert t.min(dim=0).values.item() == -2**31 and t.min(dim=0).indices.item() == 1
        assert m.tensor([5, -2**63]).min().item() == -2**63
        assert m.tensor([2**31 - 1, 0], dtype=m.int32).max().item() == 2**31 - 1


def test_min_and_max_of_a_bool_tensor():
    for m in _libraries():
        t = m.tensor([True, False, True])
        assert t.min().item() is False and t.max().item() is True
        assert str(t.min().dtype).endswith("bool") and str(t.max().dtype).endswith("bool")
        assert t.max(dim=0).values.item() is True and t.max(dim=0).indices.item() == 0
        assert t.min(dim=0).indices.item() == 1


def test_integer_linspace_truncates():
    expected = [5, 4, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, -1, -1, -2, -2, -3, -3, -4, -5]
    for m in _libraries():
        assert m.linspace(5, -5, 20, dtype=m.int32).tolist() == expected
        assert m.linspace(0, 10, 7, dtype=m.int64).tolist() == [0, 1, 3, 5, 6, 8, 10]
        assert m.linspace(-7.5, 7.5, 11, dtype=m.int16).tolist() == [-7, -5, -4, -2, -1, 0, 1, 2, 4, 5, 7]
        assert m.linspace(3.7, 9, 1, dtype=m.int64).tolist() == [3]
        assert str(m.linspace(5, -5, 20, dtype=m.int32).dtype).endswith("int32")


def test_zero_dim_reductions_and_squeeze_over_dim_zero():
    for m in _libraries():
        x = m.tensor(2.0, requires_grad=True)
        for out in (x.sum(0), x.sum(-1), x.logsumexp(0), x.squeeze(0), x.squeeze(-1), x.mean(0), x.softmax(0),
                    x.log_softmax(0)):
            assert tuple(out.shape) == ()
        (x.sum(0) * 3 + x.logsumexp(0) + x.squeeze(0) + x.log_softmax(0)).backward()
        assert x.grad.item() == 5.0
        assert x.logsumexp(0).item() == 2.0 and x.log_softmax(0).item() == 0.0


def test_zero_dim_reductions_gradcheck():
    x = thw.tensor(0.7, dtype=thw.float64, requires_grad=True)
    assert thw.gradcheck(lambda t: t.sum(0) * t.logsumexp(0) + t.squeeze(0) ** 2, (x,))


@pytest.mark.parametrize("case", ["matmul", "reshape_two_minus_one", "permute_repeated", "permute_too_few",
                                  "reshape_size", "expand"])
def test_shape_errors_are_runtime_errors(case):
    calls = {
        "matmul": lambda m: m.ones(2, 3) @ m.ones(2, 3),
        "reshape_two_minus_one": lambda m: m.ones(4).reshape(-1, -1),
        "permute_repeated": lambda m: m.ones(2, 3).permute(0, 0),
        "permute_too_few": lambda m: m.ones(2, 3, 4).permute(0, 1),
        "reshape_size": lambda m: m.ones(6).reshape(4, 2),
        "expand": lambda m: m.ones(3).expand(2, 4),
    }
    for m in _libraries():
        with pytest.raises(RuntimeError) as error:
            calls[case](m)
        assert type(error.value) is RuntimeError  # not a ValueError dressed up
