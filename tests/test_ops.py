"""Every differentiable op: gradcheck in float64 (with broadcasting) and PyTorch's numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_hw as thw

from .conftest import leaf

BROADCAST_PAIRS = [((3, 4), (4,)), ((2, 3, 4), (3, 1)), ((1, 4), (5, 1)), ((3, 2), ()), ((), (2, 3))]

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b,
    "maximum": lambda a, b: a.maximum(b),
    "minimum": lambda a, b: a.minimum(b),
}


def _binary_inputs(name, shape_a, shape_b):
    positive = name in ("pow", "div")
    a = leaf(*shape_a, low=0.5 if positive else -1, high=2)
    b = leaf(*shape_b, low=0.5 if positive else -1, high=2, seed=7)
    return a, b


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_gradcheck_with_broadcasting(name, shapes):
    a, b = _binary_inputs(name, *shapes)
    assert thw.gradcheck(BINARY[name], (a, b))


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_match_torch(name, shapes, torch):
    a, b = _binary_inputs(name, *shapes)
    out = BINARY[name](a, b)
    out.backward(thw.ones_like(out))
    ta, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (a, b))
    torch_out = BINARY[name](ta, tb)
    torch_out.backward(torch.ones_like(torch_out))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy(), atol=1e-12)


def test_python_numbers_on_either_side_keep_float32():
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    for y in (x + 1, 1 + x, x - 1, 1 - x, 2 * x, x * 2, x / 2, 2 / x, x ** 2, 2 ** x, -x):
        assert y.dtype == np.float32
    (2 - x * 3 + 1 / x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [-4, -3.25])


# (thw function, torch function, input shape, (low, high))
UNARY = {
    "exp": (lambda t: t.exp(), lambda t: t.exp(), (3, 4), (-2, 2)),
    "log": (lambda t: t.log(), lambda t: t.log(), (3, 4), (0.2, 3)),
    "sqrt": (lambda t: t.sqrt(), lambda t: t.sqrt(), (3, 4), (0.2, 3)),
    "abs": (lambda t: t.abs(), lambda t: t.abs(), (3, 4), (-2, 2)),
    "tanh": (lambda t: t.tanh(), lambda t: t.tanh(), (3, 4), (-2, 2)),
    "sigmoid": (lambda t: t.sigmoid(), lambda t: t.sigmoid(), (3, 4), (-4, 4)),
    "relu": (lambda t: t.relu(), lambda t: t.relu(), (3, 4), (-2, 2)),
    "leaky_relu": (lambda t: t.leaky_relu(0.1), lambda t: __import__("torch").nn.functional.leaky_relu(t, 0.1),
                   (3, 4), (-2, 2)),
    "clamp": (lambda t: t.clamp(-0.5, 0.7), lambda t: t.clamp(-0.5, 0.7), (3, 4), (-2, 2)),
    "clamp_min": (lambda t: t.clamp(min=0.1), lambda t: t.clamp(min=0.1), (3, 4), (-2, 2)),
    "neg": (lambda t: -t, lambda t: -t, (3, 4), (-2, 2)),
    "pow_scalar": (lambda t: t ** 3, lambda t: t ** 3, (3, 4), (-2, 2)),
    "pow_fraction": (lambda t: t ** 0.5, lambda t: t ** 0.5, (3, 4), (0.2, 2)),
    "sum": (lambda t: t.sum(), lambda t: t.sum(), (3, 4), (-1, 1)),
    "sum_dim": (lambda t: t.sum(dim=1), lambda t: t.sum(dim=1), (2, 3, 4), (-1, 1)),
    "sum_dims_keepdim": (lambda t: t.sum(dim=(0, 2), keepdim=True), lambda t: t.sum(dim=(0, 2), keepdim=True),
                         (2, 3, 4), (-1, 1)),
    "mean": (lambda t: t.mean(), lambda t: t.mean(), (3, 4), (-1, 1)),
    "mean_dim": (lambda t: t.mean(dim=-1, keepdim=True), lambda t: t.mean(dim=-1, keepdim=True), (2, 3, 4), (-1, 1)),
    "max": (lambda t: t.max(), lambda t: t.max(), (3, 4), (-1, 1)),
    "max_dim": (lambda t: t.max(dim=1)[0], lambda t: t.max(dim=1)[0], (3, 4), (-1, 1)),
    "min": (lambda t: t.min(), lambda t: t.min(), (3, 4), (-1, 1)),
    "min_dim_keepdim": (lambda t: t.min(dim=0, keepdim=True).values,
                        lambda t: t.min(dim=0, keepdim=True).values, (3, 4), (-1, 1)),
    "var": (lambda t: t.var(), lambda t: t.var(), (3, 4), (-1, 1)),
    "var_dim": (lambda t: t.var(dim=1), lambda t: t.var(dim=1), (3, 4), (-1, 1)),
    "std_dim": (lambda t: t.std(dim=0), lambda t: t.std(dim=0), (3, 4), (-1, 1)),
    "logsumexp": (lambda t: t.logsumexp(1), lambda t: t.logsumexp(1), (3, 4), (-2, 2)),
    "softmax": (lambda t: t.softmax(1), lambda t: t.softmax(1), (3, 4), (-2, 2)),
    "softmax_dim0": (lambda t: t.softmax(0), lambda t: t.softmax(0), (2, 3, 4), (-2, 2)),
    "log_softmax": (lambda t: t.log_softmax(-1), lambda t: t.log_softmax(-1), (3, 4), (-2, 2)),
    "reshape": (lambda t: t.reshape(4, -1), lambda t: t.reshape(4, -1), (2, 3, 4), (-1, 1)),
    "view": (lambda t: t.view(6, 4) * 2, lambda t: t.view(6, 4) * 2, (2, 3, 4), (-1, 1)),
    "flatten": (lambda t: t.flatten(1), lambda t: t.flatten(1), (2, 3, 4), (-1, 1)),
    "transpose": (lambda t: t.transpose(0, 2), lambda t: t.transpose(0, 2), (2, 3, 4), (-1, 1)),
    "permute": (lambda t: t.permute(1, 2, 0), lambda t: t.permute(1, 2, 0), (2, 3, 4), (-1, 1)),
    "T": (lambda t: t.T * 1, lambda t: t.T * 1, (3, 4), (-1, 1)),
    "unsqueeze": (lambda t: t.unsqueeze(1), lambda t: t.unsqueeze(1), (3, 4), (-1, 1)),
    "squeeze": (lambda t: t.squeeze(), lambda t: t.squeeze(), (3, 1, 4), (-1, 1)),
    "expand": (lambda t: t.expand(2, 3, 4), lambda t: t.expand(2, 3, 4), (3, 1), (-1, 1)),
    "index_basic": (lambda t: t[1:, ::2], lambda t: t[1:, ::2], (3, 4), (-1, 1)),
    "index_int": (lambda t: t[1], lambda t: t[1], (3, 4), (-1, 1)),
    "index_array_repeats": (lambda t: t[[0, 2, 0, 0]], lambda t: t[[0, 2, 0, 0]], (3, 4), (-1, 1)),
    "index_pairs": (lambda t: t[[0, 1, 1], [3, 2, 2]], lambda t: t[[0, 1, 1], [3, 2, 2]], (3, 4), (-1, 1)),
    "index_mask": (lambda t: t[t > 0], lambda t: t[t > 0], (3, 4), (-1, 1)),
    "double": (lambda t: t.float().double() * 1, lambda t: t.float().double() * 1, (3,), (-1, 1)),
}


def _unary_leaf(name):
    shape, (low, high) = UNARY[name][2], UNARY[name][3]
    return leaf(*shape, low=low, high=high)


@pytest.mark.parametrize("name", UNARY)
def test_unary_ops_gradcheck(name):
    fn = UNARY[name][0]
    x = _unary_leaf(name)
    if name == "double":  # a float32 round trip cannot pass a float64 gradcheck's eps
        x.data = x.data.astype(np.float32).astype(np.float64)
        out = fn(x)
        out.backward(thw.ones_like(out))
        np.testing.assert_array_equal(x.grad.numpy(), np.ones(3))
        return
    assert thw.gradcheck(fn, (x,))


@pytest.mark.parametrize("name", UNARY)
def test_unary_ops_match_torch(name, torch):
    fn, torch_fn = UNARY[name][:2]
    x = _unary_leaf(name)
    out = fn(x)
    gradient = np.random.default_rng(1).normal(size=out.shape)
    out.backward(gradient)
    tx = torch.tensor(x.numpy(), requires_grad=True)
    torch_out = torch_fn(tx)
    torch_out.backward(torch.tensor(gradient))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-12)


MATMUL_SHAPES = [((3, 4), (4, 5)), ((4,), (4, 5)), ((3, 4), (4,)), ((4,), (4,)),
                 ((2, 3, 4), (4, 5)), ((2, 3, 4), (2, 4, 5)), ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2))]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_gradcheck(shapes):
    a, b = leaf(*shapes[0]), leaf(*shapes[1], seed=3)
    assert thw.gradcheck(lambda x, y: x @ y, (a, b))


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_matches_torch(shapes, torch):
    a, b = leaf(*shapes[0]), leaf(*shapes[1], seed=3)
    out = a @ b
    out.backward(thw.ones_like(out))
    ta, tb = torch.tensor(a.numpy(), requires_grad=True), torch.tensor(b.numpy(), requires_grad=True)
    (ta @ tb).sum().backward()
    np.testing.assert_allclose(out.numpy(), (ta @ tb).detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy(), atol=1e-12)


def test_cat_stack_where_gradcheck():
    a, b = leaf(2, 3), leaf(4, 3, seed=1)
    assert thw.gradcheck(lambda x, y: thw.cat([x, y], dim=0), (a, b))
    c = leaf(2, 3, seed=2)
    assert thw.gradcheck(lambda x, y: thw.stack([x, y], dim=1), (a, c))
    assert thw.gradcheck(lambda x, y: thw.where(x > 0, x, y), (a, c))


def test_cat_stack_where_match_torch(torch):
    a, c = leaf(2, 3), leaf(2, 3, seed=2)
    out = thw.stack([a, c], dim=-1) * thw.cat([a, c], dim=1).reshape(2, 3, 2)
    out.sum().backward()
    ta, tc = torch.tensor(a.numpy(), requires_grad=True), torch.tensor(c.numpy(), requires_grad=True)
    (torch.stack([ta, tc], dim=-1) * torch.cat([ta, tc], dim=1).reshape(2, 3, 2)).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), atol=1e-12)


def test_shape_errors_name_both_shapes():
    with pytest.raises(RuntimeError, match=r"\[3, 4\] must match the size of tensor b \[5\]"):
        thw.ones(3, 4) + thw.ones(5)
    with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(2x3 and 4x5\)"):
        thw.ones(2, 3) @ thw.ones(4, 5)
    with pytest.raises(RuntimeError, match=r"shape '\[4, 2\]' is invalid for input of size 6"):
        thw.ones(2, 3).reshape(4, 2)
    with pytest.raises(RuntimeError, match=r"expanded size.*\[2, 4\].*existing size \(\[3\]\)"):
        thw.ones(3).expand(2, 4)


def test_stable_at_large_magnitude():
    big = thw.tensor([1e4, -1e4, 0.0], requires_grad=True)
    for out in (big.sigmoid(), big.softmax(0), big.log_softmax(0), big.logsumexp(0)):
        out.sum().backward()
        assert np.isfinite(out.numpy()).all() and np.isfinite(big.grad.numpy()).all()
        big.grad = None
    np.testing.assert_allclose(big.sigmoid().numpy(), [1, 0, 0.5])
    np.testing.assert_allclose(thw.tensor([1e4, 1e4]).logsumexp(0).item(), 1e4 + np.log(2), rtol=1e-6)


def test_softmax_slides_numbers():
    out = thw.tensor([1.0, 2.0, 7.0, 3.0, 2.0]).softmax(0)
    np.testing.assert_allclose(out.numpy(), [0.002, 0.007, 0.967, 0.017, 0.007], atol=1e-3)


def test_max_ties_gradient():
    # max() shares the gradient among tied maxima; max(dim) gives it to the first; maximum() halves it
    x = thw.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], dtype=np.float64, requires_grad=True)
    (x.max() + x.max(dim=1).values.sum() + x.maximum(thw.tensor(2.0, dtype=np.float64)).sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 2.5, 1.5], [1.5, 0.5, 0.0]])


def test_max_ties_follow_torch(torch):
    x = thw.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], dtype=np.float64, requires_grad=True)
    (x.max() + x.max(dim=1).values.sum() + x.maximum(thw.tensor(2.0, dtype=np.float64)).sum()).backward()
    tx = torch.tensor(x.numpy(), requires_grad=True)
    (tx.max() + tx.max(dim=1).values.sum() + tx.maximum(torch.tensor(2.0, dtype=torch.float64)).sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


finite_floats = st.floats(-10, 10, allow_nan=False, width=64)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


@settings(max_examples=30, deadline=None)
@given(data=hnp.arrays(np.float64, shapes, elements=finite_floats),
       op=st.sampled_from(["exp", "tanh", "sigmoid", "abs", "relu", "leaky_relu", "neg", "pow_scalar"]))
def test_elementwise_ops_on_random_shapes(data, op):
    if op == "exp":
        data = np.clip(data, -5, 5)
    if op in ("abs", "relu", "leaky_relu"):  # kinks: keep samples away from 0
        data = np.where(np.abs(data) < 1e-3, 0.5, data)
    x = thw.tensor(data, requires_grad=True)
    assert UNARY[op][0](x).shape == data.shape
    assert thw.gradcheck(UNARY[op][0], (x,))


@settings(max_examples=30, deadline=None)
@given(data=hnp.arrays(np.float64, shapes, elements=finite_floats), keepdim=st.booleans(),
       op=st.sampled_from(["sum", "mean", "max", "logsumexp", "softmax", "log_softmax", "var"]))
def test_reductions_on_random_shapes(data, keepdim, op):
    x = thw.tensor(data + np.arange(data.size).reshape(data.shape) * 1e-2, requires_grad=True)  # no ties
    dim = data.ndim - 1
    functions = {
        "sum": lambda t: t.sum(dim, keepdim=keepdim), "mean": lambda t: t.mean(dim, keepdim=keepdim),
        "max": lambda t: t.max(dim, keepdim=keepdim).values, "logsumexp": lambda t: t.logsumexp(dim, keepdim),
        "softmax": lambda t: t.softmax(dim), "log_softmax": lambda t: t.log_softmax(dim),
        "var": lambda t: t.var(dim, keepdim=keepdim),
    }
    if op == "var" and data.shape[dim] < 2:
        return
    reference = {"sum": np.sum, "mean": np.mean, "max": np.max}
    if op in reference:
        np.testing.assert_allclose(functions[op](x).numpy(), reference[op](x.numpy(), axis=dim, keepdims=keepdim))
    assert thw.gradcheck(functions[op], (x,))
