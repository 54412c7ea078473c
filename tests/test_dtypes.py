"""Type promotion as PyTorch's: one table of op x dtype cases, each with the dtype written down
(so it means something without torch) and, with torch installed, PyTorch's own result dtype.

Each case is a function of `(m, F)`: the library (`thw` or `torch`) and its functional
namespace, so the same line runs on both.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as thw_F


def _f32(m, *shape):
    return m.ones(*shape, dtype=m.float32)


def _ints(m, dtype=None):
    return m.tensor([1, 2, 3], dtype=m.int64 if dtype is None else dtype)


def _confident(m):
    return m.tensor([[1000.0, 0.0], [0.0, -1000.0]])


# id: (case(m, F), expected dtype). A third item, when present, is the PyTorch spelling of a case
# that PyTorch refuses as written (it has no int softmax kernel; the dtype argument asks for one).
PROMOTION = {
    # a tensor with a Python number: the number never widens its tensor's category
    "f32+int": (lambda m, F: _f32(m, 3) + 2, "float32"),
    "f32+float": (lambda m, F: _f32(m, 3) + 2.5, "float32"),
    "f32+bool": (lambda m, F: _f32(m, 3) + True, "float32"),
    "f64+float": (lambda m, F: m.ones(3, dtype=m.float64) + 2.5, "float64"),
    "int64+int": (lambda m, F: _ints(m) + 2, "int64"),
    "int64+float": (lambda m, F: _ints(m) + 0.5, "float32"),
    "int64*bool": (lambda m, F: _ints(m) * True, "int64"),
    "int32+int": (lambda m, F: _ints(m, m.int32) + 7, "int32"),
    "int32*float": (lambda m, F: _ints(m, m.int32) * 2.5, "float32"),
    "uint8+int": (lambda m, F: _ints(m, m.uint8) + 1, "uint8"),
    "bool+int": (lambda m, F: m.tensor([True, False]) + 1, "int64"),
    "bool+float": (lambda m, F: m.tensor([True, False]) + 1.5, "float32"),
    "bool+bool_number": (lambda m, F: m.tensor([True, False]) + True, "bool"),
    "int_rsub_float": (lambda m, F: 1.5 - _ints(m), "float32"),
    "int_rpow_int": (lambda m, F: 2 ** _ints(m), "int64"),
    "int_rpow_float": (lambda m, F: 2.5 ** _ints(m), "float32"),
    "int_pow_float": (lambda m, F: _ints(m) ** 0.5, "float32"),
    "f32_pow_int": (lambda m, F: _f32(m, 3) ** 2, "float32"),
    # a tensor with a 0-d tensor: the 0-d one only matters when its category is higher
    "f32+0d_f64": (lambda m, F: _f32(m, 3) + m.tensor(1.5, dtype=m.float64), "float32"),
    "f32+0d_int64": (lambda m, F: _f32(m, 3) + m.tensor(2), "float32"),
    "int32+0d_int64": (lambda m, F: _ints(m, m.int32) + m.tensor(2), "int32"),
    "int8+0d_int64_big": (lambda m, F: _ints(m, m.int8) + m.tensor(300), "int8"),
    "int32+0d_f64": (lambda m, F: _ints(m, m.int32) + m.tensor(1.5, dtype=m.float64), "float64"),
    "int64*0d_f32": (lambda m, F: _ints(m) * m.tensor(1.5), "float32"),
    "0d_f32+int64": (lambda m, F: m.tensor(1.5) + _ints(m), "float32"),
    "0d_int+0d_float": (lambda m, F: m.tensor(1) + m.tensor(0.5), "float32"),
    "0d_f32+0d_f64": (lambda m, F: m.tensor(1.0) + m.tensor(0.5, dtype=m.float64), "float64"),
    "0d_int+float": (lambda m, F: m.tensor(1) + 0.5, "float32"),
    "0d_f64+float": (lambda m, F: m.tensor(3.0, dtype=m.float64) / 2, "float64"),
    # two dimensioned tensors
    "int64+f32": (lambda m, F: _ints(m) + _f32(m, 3), "float32"),
    "f32*int64": (lambda m, F: _f32(m, 3) * _ints(m), "float32"),
    "f32+f64": (lambda m, F: _f32(m, 3) + m.ones(3, dtype=m.float64), "float64"),
    "bool+int32": (lambda m, F: m.tensor([True, False, True]) + _ints(m, m.int32), "int32"),
    "bool*bool": (lambda m, F: m.tensor([True]) * m.tensor([False]), "bool"),
    "uint8+bool": (lambda m, F: _ints(m, m.uint8) + m.tensor([True, False, True]), "uint8"),
    "int32+int64": (lambda m, F: _ints(m, m.int32) + _ints(m), "int64"),
    "uint8+int8": (lambda m, F: _ints(m, m.uint8) + _ints(m, m.int8), "int16"),
    "int64-int32": (lambda m, F: _ints(m) - _ints(m, m.int32), "int64"),
    "int_pow_int32": (lambda m, F: _ints(m) ** _ints(m, m.int32), "int64"),
    "maximum_f32_int64": (lambda m, F: _f32(m, 3).maximum(_ints(m)), "float32"),
    "where_f32_int64": (lambda m, F: m.where(m.tensor([True, False, True]), _f32(m, 3), _ints(m)), "float32"),
    "where_int64_float": (lambda m, F: m.where(m.tensor([True, False, True]), _ints(m), 0.5), "float32"),
    "cat_f32_int64": (lambda m, F: m.cat([_f32(m, 3), _ints(m)]), "float32"),
    "cat_f32_f64": (lambda m, F: m.cat([_f32(m, 3), m.ones(2, dtype=m.float64)]), "float64"),
    "clamp_int_float": (lambda m, F: _ints(m).clamp(0.5), "float32"),
    "neg_int32": (lambda m, F: -_ints(m, m.int32), "int32"),
    "README_model_line": (lambda m, F: m.ones(3, 1) + 3 * _ints(m).reshape(-1, 1), "float32"),
    # division and float functions of integers: the default float dtype
    "int/2": (lambda m, F: _ints(m) / 2, "float32"),
    "int/int": (lambda m, F: _ints(m) / _ints(m), "float32"),
    "int/0d_int": (lambda m, F: _ints(m) / m.tensor(2), "float32"),
    "2/int": (lambda m, F: 2 / _ints(m), "float32"),
    "int32/int32": (lambda m, F: _ints(m, m.int32) / _ints(m, m.int32), "float32"),
    "exp_int": (lambda m, F: _ints(m).exp(), "float32"),
    "exp_0d_int": (lambda m, F: m.tensor(2).exp(), "float32"),
    "log_int": (lambda m, F: _ints(m).log(), "float32"),
    "sqrt_int32": (lambda m, F: _ints(m, m.int32).sqrt(), "float32"),
    "sigmoid_int": (lambda m, F: _ints(m).sigmoid(), "float32"),
    "tanh_bool": (lambda m, F: m.tensor([True, False]).tanh(), "float32"),
    "softmax_int": (lambda m, F: F.softmax(_ints(m), 0), "float32",
                    lambda m, F: F.softmax(_ints(m), 0, dtype=m.float32)),
    "log_softmax_int": (lambda m, F: F.log_softmax(_ints(m), 0), "float32",
                        lambda m, F: F.log_softmax(_ints(m), 0, dtype=m.float32)),
    "logsumexp_int": (lambda m, F: _ints(m).logsumexp(0), "float32"),
    # reductions
    "sum_int32": (lambda m, F: _ints(m, m.int32).sum(), "int64"),
    "sum_uint8_dim": (lambda m, F: _ints(m, m.uint8).reshape(1, 3).sum(1), "int64"),
    "sum_bool": (lambda m, F: m.tensor([True, False, True]).sum(), "int64"),
    "sum_f32": (lambda m, F: _f32(m, 2, 3).sum(0), "float32"),
    "mean_f32": (lambda m, F: _f32(m, 2, 3).mean(), "float32"),
    "mean_f64_dim": (lambda m, F: m.ones(2, 3, dtype=m.float64).mean(1), "float64"),
    "mean_int_as_f32": (lambda m, F: _ints(m).mean(dtype=m.float32), "float32"),
    "max_int32": (lambda m, F: _ints(m, m.int32).max(), "int32"),
    # fused losses and log-probabilities on confident predictions keep float32 on every path
    "cross_entropy_confident": (lambda m, F: F.cross_entropy(_confident(m), m.tensor([1, 0])), "float32"),
    "cross_entropy_none": (lambda m, F: F.cross_entropy(_confident(m), m.tensor([0, 1]), reduction="none"),
                           "float32"),
    "cross_entropy_f64": (lambda m, F: F.cross_entropy(_confident(m).double(), m.tensor([1, 0])), "float64"),
    "log_softmax_confident": (lambda m, F: F.log_softmax(_confident(m), 1), "float32"),
    "log_softmax_method": (lambda m, F: _confident(m).log_softmax(-1), "float32"),
    "softmax_confident": (lambda m, F: F.softmax(_confident(m), 1), "float32"),
    "logsumexp_confident": (lambda m, F: _confident(m).logsumexp(1), "float32"),
    "log_softmax_0d": (lambda m, F: m.tensor(1.0).log_softmax(0), "float32"),
    "logsumexp_0d": (lambda m, F: m.tensor(1.0).logsumexp(0), "float32"),
    "nll_of_log_softmax": (lambda m, F: F.nll_loss(F.log_softmax(_confident(m), 1), m.tensor([1, 1])),
                           "float32"),
    "mse_f32_int_target": (lambda m, F: F.mse_loss(_f32(m, 3), _ints(m)), "float32"),
}


def _torch_dtype_name(dtype) -> str:
    return str(dtype).removeprefix("torch.")


@pytest.mark.parametrize("name", PROMOTION)
def test_promotion_gives_the_written_dtype(name):
    out = PROMOTION[name][0](thw, thw_F)
    assert out.dtype == np.dtype(PROMOTION[name][1]), f"{name}: {out.dtype}"


@pytest.mark.parametrize("name", PROMOTION)
def test_promotion_matches_torch(name, torch):
    case = PROMOTION[name]
    torch_case = case[2] if len(case) > 2 else case[0]
    expected = _torch_dtype_name(torch_case(torch, torch.nn.functional).dtype)
    assert expected == case[1], f"the table is wrong for {name}: PyTorch gives {expected}"
    assert str(case[0](thw, thw_F).dtype) == expected


def test_the_table_is_large_enough():
    assert len(PROMOTION) >= 40


def test_confident_losses_have_finite_float32_values_and_gradients(torch):
    logits = thw.tensor([[1000.0, 0.0], [0.0, -1000.0]], requires_grad=True)
    loss = thw_F.cross_entropy(logits, thw.tensor([1, 0]))
    loss.backward()
    tlogits = torch.tensor(logits.numpy(), requires_grad=True)
    tloss = torch.nn.functional.cross_entropy(tlogits, torch.tensor([1, 0]))
    tloss.backward()
    assert loss.dtype == np.float32 and logits.grad.dtype == np.float32
    np.testing.assert_allclose(loss.item(), tloss.item(), rtol=1e-6)
    np.testing.assert_allclose(logits.grad.numpy(), tlogits.grad.numpy(), atol=1e-6)


def test_default_dtype_float64_makes_numbers_float64():
    thw.set_default_dtype(thw.float64)
    try:
        assert (thw.tensor([1, 2]) / 2).dtype == np.float64
        assert thw.tensor([1.5]).dtype == np.float64
        assert (thw.tensor(1) + 0.5).dtype == np.float64
    finally:
        thw.set_default_dtype(thw.float32)
    assert (thw.tensor(1) + 0.5).dtype == np.float32


def test_float32_training_step_stays_float32():
    x = thw.randn(4, 1)
    y = thw.arange(4)
    w = thw.zeros(1, 1, requires_grad=True)
    prediction = x @ w + 3 * y.reshape(-1, 1)
    loss = ((prediction - y.reshape(-1, 1)) ** 2).mean()
    loss.backward()
    assert prediction.dtype == loss.dtype == w.grad.dtype == np.float32
