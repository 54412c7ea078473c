"""Elementwise math, arithmetic function forms, comparisons and logic: float64 gradchecks (no
torch needed) and, with torch installed, PyTorch's values, gradients, dtypes and error types.

Each table line is `lambda lib, *tensors: ...` written once for both libraries (`lib` is
tinygrad_hw or torch), so the two are called the same way a user would call them.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw

from .conftest import leaf

# name: (function of (lib, x), input shape, (low, high))
UNARY = {
    "sin": (lambda lib, x: lib.sin(x), (3, 4), (-3, 3)),
    "cos": (lambda lib, x: x.cos(), (3, 4), (-3, 3)),
    "tan": (lambda lib, x: lib.tan(x), (3, 4), (-1.2, 1.2)),
    "asin": (lambda lib, x: lib.asin(x), (3, 4), (-0.9, 0.9)),
    "acos": (lambda lib, x: x.acos(), (3, 4), (-0.9, 0.9)),
    "atan": (lambda lib, x: lib.atan(x), (3, 4), (-3, 3)),
    "arcsin": (lambda lib, x: lib.arcsin(x), (3,), (-0.9, 0.9)),
    "sinh": (lambda lib, x: lib.sinh(x), (3, 4), (-2, 2)),
    "cosh": (lambda lib, x: x.cosh(), (3, 4), (-2, 2)),
    "tanh": (lambda lib, x: lib.tanh(x), (3, 4), (-2, 2)),
    "asinh": (lambda lib, x: lib.asinh(x), (3, 4), (-2, 2)),
    "acosh": (lambda lib, x: lib.acosh(x), (3, 4), (1.2, 3)),
    "atanh": (lambda lib, x: lib.atanh(x), (3, 4), (-0.9, 0.9)),
    "exp": (lambda lib, x: lib.exp(x), (3, 4), (-2, 2)),
    "exp2": (lambda lib, x: lib.exp2(x), (3, 4), (-2, 2)),
    "expm1": (lambda lib, x: x.expm1(), (3, 4), (-1e-3, 1e-3)),
    "log": (lambda lib, x: lib.log(x), (3, 4), (0.2, 3)),
    "log2": (lambda lib, x: lib.log2(x), (3, 4), (0.2, 3)),
    "log10": (lambda lib, x: x.log10(), (3, 4), (0.2, 3)),
    "log1p": (lambda lib, x: lib.log1p(x), (3, 4), (-0.5, 3)),
    "sqrt": (lambda lib, x: lib.sqrt(x), (3, 4), (0.2, 3)),
    "rsqrt": (lambda lib, x: lib.rsqrt(x), (3, 4), (0.2, 3)),
    "reciprocal": (lambda lib, x: x.reciprocal(), (3, 4), (0.5, 3)),
    "abs": (lambda lib, x: lib.abs(x), (3, 4), (-2, 2)),
    "absolute": (lambda lib, x: lib.absolute(x), (3,), (-2, 2)),
    "sign": (lambda lib, x: lib.sign(x) * x, (3, 4), (-2, 2)),
    "floor": (lambda lib, x: lib.floor(x * 3) + x, (3, 4), (-2, 2)),
    "ceil": (lambda lib, x: x.ceil() + x, (3, 4), (-2, 2)),
    "trunc": (lambda lib, x: lib.trunc(x * 3) + x, (3, 4), (-2, 2)),
    "round": (lambda lib, x: lib.round(x * 3) + x, (3, 4), (-2, 2)),
    "round_decimals": (lambda lib, x: x.round(decimals=1) + x, (3, 4), (-2, 2)),
    "frac": (lambda lib, x: lib.frac(x * 3), (3, 4), (-2, 2)),
    "erf": (lambda lib, x: lib.erf(x), (3, 4), (-2, 2)),
    "sigmoid": (lambda lib, x: lib.sigmoid(x), (3, 4), (-4, 4)),
    "relu": (lambda lib, x: lib.relu(x), (3, 4), (-2, 2)),
    "square": (lambda lib, x: lib.square(x), (3, 4), (-2, 2)),
    "logit": (lambda lib, x: lib.logit(x), (3, 4), (0.1, 0.9)),
    "logit_eps": (lambda lib, x: x.logit(eps=0.2), (3, 4), (0.05, 0.95)),
    "nan_to_num": (lambda lib, x: lib.nan_to_num(x * 2, posinf=5.0), (3, 4), (-2, 2)),
    "neg": (lambda lib, x: lib.neg(x), (3, 4), (-2, 2)),
    "negative": (lambda lib, x: x.negative(), (3,), (-2, 2)),
    "clamp": (lambda lib, x: lib.clamp(x, -0.5, 0.7), (3, 4), (-2, 2)),
    "clip": (lambda lib, x: lib.clip(x, min=-0.5), (3, 4), (-2, 2)),
    "clamp_max": (lambda lib, x: x.clamp_max(0.3), (3, 4), (-2, 2)),
    "pow_number": (lambda lib, x: lib.pow(x, 3), (3, 4), (-2, 2)),
    "pow_base": (lambda lib, x: lib.pow(2, x), (3, 4), (-2, 2)),
    "add_alpha": (lambda lib, x: lib.add(x, x * x, alpha=2), (3, 4), (-2, 2)),
    "sub_alpha": (lambda lib, x: x.sub(x * x, alpha=-3), (3, 4), (-2, 2)),
    "mul": (lambda lib, x: lib.mul(x, 3) + lib.multiply(x, x), (3, 4), (-2, 2)),
    "div": (lambda lib, x: lib.div(1, x) + lib.divide(x, 2) + lib.true_divide(x, 4), (3, 4), (0.5, 2)),
    "remainder_number": (lambda lib, x: lib.remainder(x, 0.7), (3, 4), (-2, 2)),
    "fmod_number": (lambda lib, x: lib.fmod(x, 0.7), (3, 4), (-2, 2)),
    "mod_operator": (lambda lib, x: x % -0.7 + x % (x + 0.5), (3, 4), (0.3, 2)),
}


def _unary_input(name):
    shape, (low, high) = UNARY[name][1], UNARY[name][2]
    x = leaf(*shape, low=low, high=high)
    if name in ("floor", "ceil", "trunc", "round", "frac", "remainder_number", "fmod_number", "round_decimals",
                "mod_operator"):
        # Stay away from the jumps, where a numeric derivative is meaningless.
        x.data = thw.tensor(np.round(x.numpy() * 3) / 3 + 0.11, dtype=np.float64)
    return x


@pytest.mark.parametrize("name", UNARY)
def test_unary_gradcheck(name):
    function = UNARY[name][0]
    assert thw.gradcheck(lambda t: function(thw, t), (_unary_input(name),))


@pytest.mark.parametrize("name", UNARY)
def test_unary_matches_torch(name, torch):
    function = UNARY[name][0]
    x = _unary_input(name)
    out = function(thw, x)
    gradient = np.random.default_rng(1).normal(size=out.shape)
    out.backward(thw.tensor(gradient))
    tx = torch.tensor(x.numpy(), requires_grad=True)
    torch_out = function(torch, tx)
    torch_out.backward(torch.tensor(gradient))
    assert out.dtype == np.dtype(str(torch_out.dtype).removeprefix("torch."))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)


BROADCAST_PAIRS = [((3, 4), (4,)), ((2, 3, 1), (3, 4)), ((), (2, 3))]

# name: (function of (lib, a, b), (low, high) of a, (low, high) of b)
BINARY = {
    "atan2": (lambda lib, a, b: lib.atan2(a, b), (-2, 2), (-2, 2)),
    "arctan2": (lambda lib, a, b: a.arctan2(b), (-2, 2), (0.5, 2)),
    "hypot": (lambda lib, a, b: lib.hypot(a, b), (-2, 2), (0.5, 2)),
    "copysign": (lambda lib, a, b: lib.copysign(a, b), (-2, 2), (-2, 2)),
    "xlogy": (lambda lib, a, b: lib.xlogy(a, b), (-2, 2), (0.5, 2)),
    "fmod": (lambda lib, a, b: lib.fmod(a, b), (-2, 2), (0.3, 0.4)),
    "remainder": (lambda lib, a, b: lib.remainder(a, b), (-2, 2), (-0.4, -0.3)),
    "lerp": (lambda lib, a, b: lib.lerp(a, b, 0.3), (-2, 2), (-2, 2)),
    "lerp_tensor_weight": (lambda lib, a, b: a.lerp(b * 2, b), (-2, 2), (-2, 2)),
    "maximum": (lambda lib, a, b: lib.maximum(a, b), (-2, 2), (-2, 2)),
    "minimum": (lambda lib, a, b: lib.minimum(a, b), (-2, 2), (-2, 2)),
    "max_of_two": (lambda lib, a, b: lib.max(a, b), (-2, 2), (-2, 2)),
    "min_of_two": (lambda lib, a, b: lib.min(a, b), (-2, 2), (-2, 2)),
    "pow": (lambda lib, a, b: lib.pow(a, b), (0.5, 2), (-2, 2)),
    "sub": (lambda lib, a, b: lib.sub(a, b, alpha=0.5), (-2, 2), (-2, 2)),
    "clamp_tensors": (lambda lib, a, b: lib.clamp(a, min=b), (-2, 2), (-2, 2)),
}


def _binary_inputs(name, shapes):
    (low_a, high_a), (low_b, high_b) = BINARY[name][1:]
    return leaf(*shapes[0], low=low_a, high=high_a), leaf(*shapes[1], low=low_b, high=high_b, seed=5)


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("name", BINARY)
def test_binary_gradcheck_with_broadcasting(name, shapes):
    function = BINARY[name][0]
    assert thw.gradcheck(lambda a, b: function(thw, a, b), _binary_inputs(name, shapes))


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("name", BINARY)
def test_binary_matches_torch(name, shapes, torch):
    function = BINARY[name][0]
    a, b = _binary_inputs(name, shapes)
    out = function(thw, a, b)
    out.backward(thw.ones_like(out))
    ta, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (a, b))
    torch_out = function(torch, ta, tb)
    torch_out.backward(torch.ones_like(torch_out))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_edge_values_gradients_without_torch():
    x = thw.tensor([-2.0, 0.0, 0.0, 3.0], dtype=np.float64, requires_grad=True)
    (x.abs() + x.sign() + x.floor() + x.round() + x.relu()).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [-1, 0, 0, 2])  # |x|' is 0 at 0, steps give 0
    x = thw.tensor([0.0, 0.0, 1.0], dtype=np.float64, requires_grad=True)
    y = thw.tensor([0.0, 2.0, 0.0], dtype=np.float64, requires_grad=True)
    out = thw.xlogy(x, y)
    out.sum().backward()
    np.testing.assert_array_equal(out.numpy(), [0, 0, -np.inf])
    np.testing.assert_array_equal(x.grad.numpy()[:2], [0, 0])
    np.testing.assert_array_equal(thw.tensor([0.5, 1.5, 2.5, -0.5, -2.5]).round().numpy(), [0, 2, 2, -0, -2])
    np.testing.assert_allclose(thw.tensor([1.2345, -1.2355]).round(decimals=2).numpy(), [1.23, -1.24])


# Edge inputs for a forward comparison with torch (values and dtype), one line an op.
EDGE_VALUES = [-2.5, -1.5, -0.5, 0.0, 0.5, 1.5, 2.5, np.inf, -np.inf, np.nan]
EDGE = {name: function for name, (function, _, _) in UNARY.items() if name not in ("nan_to_num",)}
EDGE["nan_to_num_defaults"] = lambda lib, x: lib.nan_to_num(x)
EDGE["nan_to_num_values"] = lambda lib, x: x.nan_to_num(nan=1.0, posinf=2.0, neginf=-2.0)
EDGE["isnan"] = lambda lib, x: lib.isnan(x)
EDGE["isinf"] = lambda lib, x: x.isinf()
EDGE["isfinite"] = lambda lib, x: lib.isfinite(x)
EDGE["isposinf"] = lambda lib, x: lib.isposinf(x)
EDGE["isneginf"] = lambda lib, x: lib.isneginf(x)
EDGE["floor_divide"] = lambda lib, x: lib.floor_divide(x, 2) + x // -2
EDGE["remainder_neg"] = lambda lib, x: lib.remainder(x, -2)
EDGE["fmod"] = lambda lib, x: lib.fmod(x, 2)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", EDGE)
def test_edge_values_match_torch(name, dtype, torch):
    values = np.array(EDGE_VALUES, dtype=dtype)
    with np.errstate(all="ignore"):
        ours = EDGE[name](thw, thw.tensor(values))
    theirs = EDGE[name](torch, torch.tensor(values))
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, equal_nan=True)


FLOAT_FUNCTIONS = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
                   "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "erf",
                   "sigmoid", "logit"]
INTEGER_KEEPING = ["abs", "neg", "sign", "floor", "ceil", "trunc", "round", "square", "relu"]


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("name", FLOAT_FUNCTIONS + INTEGER_KEEPING)
def test_integer_inputs_dtype_as_torch(name, dtype, torch):
    values = np.array([0, 1, 2], dtype=dtype)
    try:
        expected = getattr(torch, name)(torch.tensor(values))
    except (RuntimeError, TypeError, NotImplementedError) as error:  # torch refuses: so must we
        with pytest.raises(type(error)):
            with np.errstate(all="ignore"):
                getattr(thw, name)(thw.tensor(values))
        return
    with np.errstate(all="ignore"):
        ours = getattr(thw, name)(thw.tensor(values))
    assert ours.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
    np.testing.assert_allclose(ours.numpy().astype(float), expected.numpy().astype(float), rtol=1e-6)
    if name in FLOAT_FUNCTIONS:
        assert ours.dtype == np.float32


# Integer and bool arithmetic, comparisons and logic: (function of (lib, a, b)), compared with torch.
INTEGER_OPS = {
    "floordiv": lambda lib, a, b: a // b,
    "rfloordiv": lambda lib, a, b: 7 // b,
    "mod": lambda lib, a, b: a % b,
    "rmod": lambda lib, a, b: -7 % b,
    "remainder": lambda lib, a, b: lib.remainder(a, b),
    "fmod": lambda lib, a, b: lib.fmod(a, b),
    "floor_divide": lambda lib, a, b: lib.floor_divide(a, b),
    "div_floor": lambda lib, a, b: lib.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda lib, a, b: a.div(b, rounding_mode="trunc"),
    "true_divide": lambda lib, a, b: lib.true_divide(a, b),
    "and": lambda lib, a, b: a & b,
    "or": lambda lib, a, b: a | b,
    "xor": lambda lib, a, b: a ^ b,
    "rand": lambda lib, a, b: 6 & b,
    "ror": lambda lib, a, b: 6 | b,
    "rxor": lambda lib, a, b: 6 ^ b,
    "invert": lambda lib, a, b: ~a,
    "lshift": lambda lib, a, b: a << 2,
    "rshift": lambda lib, a, b: lib.bitwise_right_shift(a, 1),
    "bitwise_and": lambda lib, a, b: lib.bitwise_and(a, b),
    "bitwise_or": lambda lib, a, b: a.bitwise_or(b),
    "bitwise_xor": lambda lib, a, b: lib.bitwise_xor(a, b),
    "bitwise_not": lambda lib, a, b: lib.bitwise_not(a),
    "logical_and": lambda lib, a, b: lib.logical_and(a, b),
    "logical_or": lambda lib, a, b: a.logical_or(b),
    "logical_xor": lambda lib, a, b: lib.logical_xor(a, b),
    "logical_not": lambda lib, a, b: lib.logical_not(a),
    "eq": lambda lib, a, b: lib.eq(a, b),
    "ne": lambda lib, a, b: a.ne(b),
    "lt": lambda lib, a, b: lib.lt(a, b),
    "le": lambda lib, a, b: a.le(b),
    "gt": lambda lib, a, b: lib.gt(a, 1),
    "ge": lambda lib, a, b: a.ge(b),
    "greater": lambda lib, a, b: lib.greater(a, b),
    "greater_equal": lambda lib, a, b: lib.greater_equal(a, b),
    "less": lambda lib, a, b: a.less(b),
    "less_equal": lambda lib, a, b: lib.less_equal(a, b),
    "not_equal": lambda lib, a, b: lib.not_equal(a, b),
    "isclose": lambda lib, a, b: lib.isclose(a, b),
    "eq_operator": lambda lib, a, b: (a == b) | (a != 1) & (a < b) ^ (a >= b),
}
OPERANDS = {
    "int64": (np.array([-7, -3, 0, 3, 7, 5]), np.array([2, -2, 3, -3, 4, 5])),
    "int32_with_int64": (np.array([-7, -3, 0, 3, 7, 5], np.int32), np.array([2, -2, 3, -3, 4, 5])),
    "uint8": (np.array([7, 3, 0, 3, 200, 5], np.uint8), np.array([2, 2, 3, 3, 4, 5], np.uint8)),
    "bool": (np.array([True, False, True, False, True, True]), np.array([True, True, False, False, True, True])),
    "float": (np.array([-7.5, -3, 0, 3, 7, 5]), np.array([2, -2, 3, -3, 4.5, 5])),
    "float_with_int": (np.array([-7.5, -3, 0, 3, 7, 5], np.float32), np.array([2, -2, 3, -3, 4, 5])),
}


@pytest.mark.parametrize("operands", OPERANDS)
@pytest.mark.parametrize("name", INTEGER_OPS)
def test_integer_bool_ops_match_torch(name, operands, torch):
    a, b = OPERANDS[operands]
    function = INTEGER_OPS[name]
    try:
        expected = function(torch, torch.tensor(a), torch.tensor(b))
    except (RuntimeError, TypeError, NotImplementedError) as error:  # torch refuses: so must we, alike
        with pytest.raises(type(error)):
            with np.errstate(all="ignore"):
                function(thw, thw.tensor(a), thw.tensor(b))
        return
    with np.errstate(all="ignore"):
        ours = function(thw, thw.tensor(a), thw.tensor(b))
    assert ours.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
    np.testing.assert_allclose(ours.numpy().astype(float), expected.numpy().astype(float), rtol=1e-6)


def test_pytorch_rounding_of_division_without_torch():
    a, b = thw.tensor([-7, 7, -7, 7]), thw.tensor([2, 2, -2, -2])
    assert (a // b).tolist() == [-4, 3, 3, -4]           # floor, as Python
    assert (a % b).tolist() == [1, 1, -1, -1]            # the divisor's sign, as Python
    assert thw.fmod(a, b).tolist() == [-1, 1, -1, 1]     # the dividend's sign, as C
    assert a.div(b, rounding_mode="trunc").tolist() == [-3, 3, 3, -3]
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        a // thw.tensor([1, 0, 1, 1])
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        thw.remainder(a, 0)
    with pytest.raises(NotImplementedError, match="bitwise_and"):
        thw.tensor([1.0]) & thw.tensor([1.0])
    with pytest.raises(TypeError, match="integer and Boolean"):
        ~thw.tensor([1.0])
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="floor_divide"):
        (x // 2).sum().backward()


def test_comparisons_and_closeness_without_torch():
    a = thw.tensor([1.0, 2.0, float("nan")])
    assert thw.isclose(a, thw.tensor([1.0 + 1e-9, 2.1, float("nan")])).tolist() == [True, False, False]
    assert a.isclose(a, equal_nan=True).tolist() == [True, True, True]
    assert thw.allclose(thw.tensor([1.0, 1.0]), thw.tensor([1.0])) is True
    assert thw.equal(thw.tensor([1, 2]), thw.tensor([1.0, 2.0])) is True
    assert thw.equal(thw.tensor([1.0]), thw.tensor([1.0, 1.0])) is False
    assert thw.eq(thw.tensor([1, 2]), 2).dtype == np.bool_
    with pytest.raises(RuntimeError, match="must match the size"):
        thw.lt(thw.ones(3), thw.ones(4))


def test_function_forms_take_input_and_out_keywords():
    x = thw.tensor([0.0, 1.0])
    assert thw.exp(input=x).tolist() == [1.0, float(np.exp(np.float32(1.0)))]
    out = thw.empty(2)
    result = thw.add(x, 1, alpha=2, out=out)
    assert result is out and out.tolist() == [2.0, 3.0]
    wrong_shape = thw.zeros(5)
    thw.mul(x, 3, out=wrong_shape)   # resized, as PyTorch
    assert wrong_shape.tolist() == [0.0, 3.0]
    values, indices = thw.empty(2), thw.zeros(2, dtype=thw.int64)
    thw.max(thw.tensor([[1.0, 3.0], [4.0, 2.0]]), 1, out=(values, indices))
    assert values.tolist() == [3.0, 4.0] and indices.tolist() == [1, 0]
    with pytest.raises(RuntimeError, match="can't be cast"):
        thw.exp(x, out=thw.zeros(2, dtype=thw.int64))
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        thw.exp(thw.ones(2, requires_grad=True), out=thw.empty(2))


def test_max_and_min_have_every_form(torch):
    data = np.array([[1.0, 5.0, 5.0], [7.0, 2.0, 7.0]])
    for lib in (thw, torch):
        x = lib.tensor(data)
        results = [lib.max(x), lib.max(x, 1).values, lib.max(x, dim=0, keepdim=True).indices, lib.max(x, x * 0 + 4),
                   lib.min(x), lib.min(x, 0).indices, x.max(1)[1], lib.min(x, other=x * 0 + 3)]
        if lib is thw:
            ours = [r.numpy() for r in results]
        else:
            for mine, theirs in zip(ours, results):
                np.testing.assert_array_equal(mine, theirs.numpy())


MATRIX_PRODUCTS = {
    "mm": (lambda lib, a, b: lib.mm(a, b), (3, 4), (4, 2)),
    "mm_method": (lambda lib, a, b: a.mm(b), (3, 4), (4, 2)),
    "bmm": (lambda lib, a, b: lib.bmm(a, b), (2, 3, 4), (2, 4, 5)),
    "mv": (lambda lib, a, b: lib.mv(a, b), (3, 4), (4,)),
    "dot": (lambda lib, a, b: lib.dot(a, b), (4,), (4,)),
    "matmul": (lambda lib, a, b: lib.matmul(a, b), (2, 3, 4), (4,)),
    "einsum_matmul": (lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), (3, 4), (4, 2)),
    "einsum_implicit": (lambda lib, a, b: lib.einsum("ij,jk", a, b), (3, 4), (4, 2)),
    "einsum_batch": (lambda lib, a, b: lib.einsum("bij,bjk->bik", a, b), (2, 3, 4), (2, 4, 5)),
    "einsum_ellipsis": (lambda lib, a, b: lib.einsum("...ij,jk->...ik", a, b), (2, 3, 4), (4, 2)),
    "einsum_outer": (lambda lib, a, b: lib.einsum("i,j->ij", a, b), (3,), (4,)),
    "einsum_sum_out": (lambda lib, a, b: lib.einsum("ij,k->i", a, b), (3, 4), (2,)),
    "einsum_diagonal": (lambda lib, a, b: lib.einsum("ii,i->i", a, b), (3, 3), (3,)),
    "einsum_trace": (lambda lib, a, b: lib.einsum("ii", a) * b.sum(), (3, 3), (2,)),
    "einsum_transpose_list": (lambda lib, a, b: lib.einsum("ij,kj->ki", [a, b]), (3, 4), (2, 4)),
    "einsum_spaces": (lambda lib, a, b: lib.einsum("b i , b j -> b i j", a, b), (2, 3), (2, 4)),
}


@pytest.mark.parametrize("name", MATRIX_PRODUCTS)
def test_matrix_products_gradcheck(name):
    function, shape_a, shape_b = MATRIX_PRODUCTS[name]
    assert thw.gradcheck(lambda a, b: function(thw, a, b), (leaf(*shape_a), leaf(*shape_b, seed=3)))


@pytest.mark.parametrize("name", MATRIX_PRODUCTS)
def test_matrix_products_match_torch(name, torch):
    function, shape_a, shape_b = MATRIX_PRODUCTS[name]
    a, b = leaf(*shape_a), leaf(*shape_b, seed=3)
    out = function(thw, a, b)
    out.backward(thw.ones_like(out))
    ta, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (a, b))
    torch_out = function(torch, ta, tb)
    torch_out.backward(torch.ones_like(torch_out))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy(), atol=1e-12)


MATRIX_ERRORS = [
    (lambda lib: lib.mm(lib.ones(3), lib.ones(3, 2)), "self must be a matrix"),
    (lambda lib: lib.bmm(lib.ones(2, 3), lib.ones(3, 2)), "batch1 must be a 3D tensor"),
    (lambda lib: lib.bmm(lib.ones(2, 2, 3), lib.ones(3, 3, 2)), "Expected size for first two dimensions"),
    (lambda lib: lib.mm(lib.ones(2, 3), lib.ones(2, 2)), "cannot be multiplied"),
    (lambda lib: lib.dot(lib.ones(2), lib.ones(3)), "inconsistent tensor size"),
    (lambda lib: lib.dot(lib.ones(2, 2), lib.ones(2)), "1D tensors expected"),
    (lambda lib: lib.einsum("ij,jk->ik", lib.ones(2, 3)), "operands"),
    (lambda lib: lib.einsum("ij->i", lib.ones(2, 3, 4)), "subscripts"),
]


@pytest.mark.parametrize("index", range(len(MATRIX_ERRORS)))
def test_matrix_product_errors(index):
    make, message = MATRIX_ERRORS[index]
    with pytest.raises(RuntimeError, match=message):
        make(thw)


@pytest.mark.parametrize("index", range(len(MATRIX_ERRORS)))
def test_matrix_product_errors_are_torch_errors(index, torch):
    with pytest.raises(RuntimeError):
        MATRIX_ERRORS[index][0](torch)


def test_inplace_forms_and_operators():
    x = thw.tensor([-7, 7])
    x //= 2
    assert x.tolist() == [-4, 3]
    x %= 3
    assert x.tolist() == [2, 0]
    mask = thw.tensor([True, False])
    mask |= thw.tensor([False, True])
    assert mask.tolist() == [True, True]
    y = thw.tensor([0.25, 4.0])
    y.sqrt_().reciprocal_()
    assert y.tolist() == [2.0, 0.5]
    w = thw.tensor([1.0, 2.0], requires_grad=True)
    h = w * 1
    h.sin_()
    h.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), np.cos([1.0, 2.0]), rtol=1e-6)


def test_float32_stays_float32():
    x = thw.tensor([0.5, 1.5])
    for out in (thw.sin(x), thw.erf(x), thw.exp2(x), x.log2(), x.log10(), thw.atan2(x, 1.0), thw.hypot(x, 2),
                thw.lerp(x, x, 0.5), thw.xlogy(x, 2), thw.logit(x / 2), x.norm(), thw.einsum("i,i", x, x)):
        assert out.dtype == np.float32
