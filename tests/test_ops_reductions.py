"""Reductions, scans and sorting: float64 gradchecks (no torch needed) with ties, zeros, negative
numbers and empty or 0-d inputs, and, with torch installed, PyTorch's values, gradients,
dtypes and error types.

Each table line is `lambda lib, x: ...` written once for both libraries (`lib` is
tinygrad_hw or torch).
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw


def _data(kind: str, shape: tuple) -> np.ndarray:
    rng = np.random.default_rng(sum(shape) + len(kind))
    if kind == "distinct":  # no ties: argmax, sort and median are smooth here
        values = rng.permutation(np.prod(shape, dtype=int)).reshape(shape) * 0.37 - 2
        return values + rng.uniform(-0.05, 0.05, shape)
    if kind == "pairs":  # every extreme comes exactly twice: ties split the gradient evenly
        row = np.array([1.5, -0.5, 1.5, -2.0, 0.25, -2.0])
        return np.resize(row, shape).astype(np.float64)
    if kind == "zeros":  # products with one and with two zeros
        values = rng.uniform(0.5, 2, shape) * rng.choice([-1, 1], shape)
        values.reshape(-1, shape[-1])[0, 1] = 0
        values.reshape(-1, shape[-1])[-1, :2] = 0
        return values
    return rng.uniform(-2, 2, shape)


# name: (function of (lib, x), input shape, kind of data)
DIFFERENTIABLE = {
    "sum": (lambda lib, x: lib.sum(x), (3, 4), "random"),
    "nansum": (lambda lib, x: lib.nansum(x.masked_fill(x < -1.5, float("nan")), 1), (3, 4), "distinct"),
    "nanmean": (lambda lib, x: x.nanmean(), (3, 4), "random"),
    "sum_dims_keepdim": (lambda lib, x: x.sum((0, 2), keepdim=True), (2, 3, 4), "random"),
    "sum_axis_keepdims": (lambda lib, x: x.sum(axis=1, keepdims=True), (3, 4), "random"),
    "mean": (lambda lib, x: lib.mean(x, -1), (3, 4), "random"),
    "mean_dims": (lambda lib, x: lib.mean(x, (0, 1), keepdim=True), (2, 3, 4), "random"),
    "prod": (lambda lib, x: lib.prod(x), (2, 3), "random"),
    "prod_dim": (lambda lib, x: x.prod(1), (3, 4), "random"),
    "prod_zeros": (lambda lib, x: lib.prod(x, 1, keepdim=True), (3, 4), "zeros"),
    "prod_all_zeros": (lambda lib, x: x.prod(), (2, 4), "zeros"),
    "var": (lambda lib, x: lib.var(x), (3, 4), "random"),
    "var_dim_unbiased": (lambda lib, x: x.var(1, unbiased=False), (3, 4), "random"),
    "var_correction": (lambda lib, x: lib.var(x, 0, correction=2, keepdim=True), (4, 3), "random"),
    "std": (lambda lib, x: lib.std(x, dim=(0, 1)), (2, 3, 4), "random"),
    "std_keepdims": (lambda lib, x: x.std(axis=0, keepdims=True), (3, 4), "random"),
    "std_mean": (lambda lib, x: lib.std_mean(x, 1)[0] + lib.std_mean(x, 1)[1], (3, 4), "random"),
    "var_mean": (lambda lib, x: lib.var_mean(x, 0, correction=0)[0] * lib.var_mean(x)[1], (3, 4), "random"),
    "max": (lambda lib, x: lib.max(x), (2, 3), "pairs"),
    "max_dim": (lambda lib, x: lib.max(x, 1).values, (3, 4), "distinct"),
    "min_dim_keepdim": (lambda lib, x: x.min(0, keepdim=True)[0], (3, 4), "distinct"),
    "amax_ties": (lambda lib, x: lib.amax(x, 1), (3, 6), "pairs"),
    "amin_ties": (lambda lib, x: lib.amin(x, (0, 1)), (3, 2), "pairs"),
    "amax_all": (lambda lib, x: x.amax(), (6,), "pairs"),
    "aminmax": (lambda lib, x: lib.aminmax(x, dim=1).min - lib.aminmax(x, dim=1).max, (3, 4), "distinct"),
    "norm": (lambda lib, x: lib.norm(x), (3, 4), "random"),
    "norm_fro_dims": (lambda lib, x: x.norm("fro", dim=(0, 1)), (2, 3, 4), "random"),
    "norm_1": (lambda lib, x: x.norm(1, dim=1), (3, 4), "random"),
    "norm_inf": (lambda lib, x: lib.norm(x, float("inf"), dim=1, keepdim=True), (3, 4), "distinct"),
    "norm_neg_inf": (lambda lib, x: x.norm(p=float("-inf")), (3, 4), "distinct"),
    "norm_3": (lambda lib, x: lib.norm(x, 3, 0), (3, 4), "random"),
    "norm_half": (lambda lib, x: x.norm(0.5, 1), (3, 4), "random"),
    "norm_nuc": (lambda lib, x: x.norm("nuc"), (3, 4), "random"),
    "linalg_norm": (lambda lib, x: lib.linalg.norm(x), (2, 3, 4), "random"),
    "linalg_norm_nuc": (lambda lib, x: lib.linalg.norm(x, "nuc"), (3, 4), "random"),
    "linalg_norm_inf_vector": (lambda lib, x: lib.linalg.norm(x, float("inf")), (5,), "distinct"),
    "linalg_norm_dims": (lambda lib, x: lib.linalg.norm(x, 1, dim=(2, 0), keepdim=True), (2, 3, 4), "distinct"),
    "matrix_norm_2": (lambda lib, x: lib.linalg.matrix_norm(x, 2), (2, 3, 4), "random"),
    "matrix_norm_neg2_keepdim": (lambda lib, x: lib.linalg.matrix_norm(x, -2, keepdim=True), (2, 3, 3), "random"),
    "matrix_norm_inf": (lambda lib, x: lib.linalg.matrix_norm(x, float("inf"), dim=(0, 1)), (3, 4), "distinct"),
    "matrix_norm_neg1": (lambda lib, x: lib.linalg.matrix_norm(x, -1), (3, 4), "distinct"),
    "vector_norm": (lambda lib, x: lib.linalg.vector_norm(x, 3, dim=-1), (3, 4), "random"),
    "svdvals": (lambda lib, x: lib.linalg.svdvals(x), (2, 4, 3), "random"),
    "logsumexp": (lambda lib, x: lib.logsumexp(x, (0, 1)), (2, 3, 4), "random"),
    "cumsum": (lambda lib, x: lib.cumsum(x, 1), (3, 4), "random"),
    "cumsum_neg_dim": (lambda lib, x: x.cumsum(dim=-1), (2, 3, 4), "random"),
    "cumprod": (lambda lib, x: lib.cumprod(x, 1), (3, 4), "random"),
    "cumprod_zeros": (lambda lib, x: x.cumprod(1), (3, 4), "zeros"),
    "cummax": (lambda lib, x: lib.cummax(x, 1).values, (3, 4), "distinct"),
    "cummin": (lambda lib, x: x.cummin(0)[0], (3, 4), "distinct"),
    "logcumsumexp": (lambda lib, x: lib.logcumsumexp(x, 1), (3, 4), "random"),
    "logcumsumexp_dim0": (lambda lib, x: x.logcumsumexp(0) * x, (3, 4), "random"),
    "sort": (lambda lib, x: lib.sort(x, 1).values, (3, 4), "distinct"),
    "sort_descending": (lambda lib, x: x.sort(dim=0, descending=True)[0], (3, 4), "distinct"),
    "msort": (lambda lib, x: lib.msort(x), (3, 4), "distinct"),
    "topk": (lambda lib, x: lib.topk(x, 2).values, (3, 4), "distinct"),
    "topk_smallest_dim0": (lambda lib, x: x.topk(2, dim=0, largest=False)[0], (3, 4), "distinct"),
    "kthvalue": (lambda lib, x: lib.kthvalue(x, 2, 1).values, (3, 4), "distinct"),
    "median": (lambda lib, x: lib.median(x), (3, 4), "distinct"),
    "median_dim": (lambda lib, x: x.median(1, keepdim=True).values, (3, 4), "distinct"),
    "median_odd": (lambda lib, x: lib.median(x, 0)[0], (3, 4), "distinct"),
    "nanmedian": (lambda lib, x: lib.nanmedian(x, 1).values, (3, 4), "distinct"),
    "mode": (lambda lib, x: lib.mode(x, 1).values, (3, 4), "distinct"),
    "diff": (lambda lib, x: lib.diff(x), (3, 4), "random"),
    "diff_n2_dim0": (lambda lib, x: x.diff(n=2, dim=0), (4, 3), "random"),
    "diff_prepend": (lambda lib, x: lib.diff(x, dim=1, prepend=x[:, :1], append=x), (3, 4), "random"),
}


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_reduction_gradcheck(name):
    function, shape, kind = DIFFERENTIABLE[name]
    x = thw.tensor(_data(kind, shape), requires_grad=True)
    assert thw.gradcheck(lambda t: function(thw, t), (x,))


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_reduction_matches_torch(name, torch):
    function, shape, kind = DIFFERENTIABLE[name]
    data = _data(kind, shape)
    x = thw.tensor(data, requires_grad=True)
    out = function(thw, x)
    gradient = np.random.default_rng(2).normal(size=out.shape)
    out.backward(thw.tensor(gradient))
    tx = torch.tensor(data, requires_grad=True)
    torch_out = function(torch, tx)
    torch_out.backward(torch.tensor(gradient))
    assert out.dtype == np.float64 and out.shape == tuple(torch_out.shape)
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_ties_and_zeros_without_torch():
    x = thw.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], dtype=np.float64, requires_grad=True)
    x.amax(1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])  # split evenly
    x.grad = None
    x.max(1).values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 1, 0], [1, 0, 0]])  # all to the index returned
    zeros = thw.tensor([2.0, 0.0, 3.0, 0.0], dtype=np.float64, requires_grad=True)
    zeros.prod().backward()
    np.testing.assert_array_equal(zeros.grad.numpy(), [0, 0, 0, 0])
    one_zero = thw.tensor([2.0, 0.0, 3.0], dtype=np.float64, requires_grad=True)
    one_zero.prod().backward()
    np.testing.assert_array_equal(one_zero.grad.numpy(), [0, 6, 0])
    origin = thw.zeros(3, dtype=thw.float64, requires_grad=True)
    origin.norm().backward()
    np.testing.assert_array_equal(origin.grad.numpy(), [0, 0, 0])   # 0, not NaN, at the origin
    assert thw.tensor([1.0, 2.0, 3.0, 4.0]).median().item() == 2.0  # the lower median
    with pytest.raises(RuntimeError, match="floating point"):
        thw.tensor([1, 2, 3, 4]).var()   # as PyTorch: no silent conversion of integers


# Forward-only comparisons with torch (values, indices, dtypes); name: (function, input).
INPUTS = {
    "ties": np.array([[1.0, 3.0, 3.0, 2.0], [2.0, 2.0, 0.0, 2.0], [-1.0, -1.0, -1.0, -1.0]]),
    "ints": np.array([[3, 1, 3, 2], [0, 0, 5, 5], [7, -7, 0, 7]]),
    "bools": np.array([[True, False, True], [False, False, False]]),
    "nan": np.array([[1.0, np.nan, 3.0, 0.5], [2.0, 1.0, 4.0, 3.0]]),
    "empty_rows": np.zeros((0, 3)),
    "empty_cols": np.zeros((2, 0)),
    "scalar": np.array(2.5),
    "scalar_int": np.array(-3),
}
FORWARD = {
    "sum": lambda lib, x: lib.sum(x),
    "sum_dim0": lambda lib, x: x.sum(0),
    "mean": lambda lib, x: lib.mean(x.double()),
    "mean_dim_keepdim": lambda lib, x: x.double().mean(-1, keepdim=True),
    "prod": lambda lib, x: lib.prod(x),
    "prod_dim0": lambda lib, x: x.prod(0),
    "var": lambda lib, x: lib.var(x.double(), -1),
    "std_unbiased_false": lambda lib, x: x.double().std(0, unbiased=False),
    "max": lambda lib, x: lib.max(x),
    "max_dim": lambda lib, x: lib.max(x, -1),
    "min_dim0_keepdim": lambda lib, x: x.min(0, keepdim=True),
    "amax": lambda lib, x: lib.amax(x, 0),
    "amin_all": lambda lib, x: x.amin(),
    "argmax": lambda lib, x: lib.argmax(x),
    "argmax_dim": lambda lib, x: x.argmax(-1),
    "argmin_dim_keepdim": lambda lib, x: lib.argmin(x, 0, keepdim=True),
    "argmax_keepdim_all": lambda lib, x: x.argmax(keepdim=True),
    "any": lambda lib, x: lib.any(x),
    "any_dim": lambda lib, x: x.any(-1),
    "all_dim0_keepdim": lambda lib, x: lib.all(x, 0, keepdim=True),
    "count_nonzero": lambda lib, x: lib.count_nonzero(x),
    "count_nonzero_dim": lambda lib, x: x.count_nonzero(dim=0),
    "norm": lambda lib, x: lib.norm(x.double()),
    "norm_0": lambda lib, x: x.double().norm(0),
    "logsumexp": lambda lib, x: lib.logsumexp(x.double(), 0),
    "cumsum": lambda lib, x: lib.cumsum(x, 0),
    "cumprod": lambda lib, x: x.cumprod(-1),
    "cummax": lambda lib, x: lib.cummax(x, -1),
    "cummin": lambda lib, x: x.cummin(0),
    "logcumsumexp": lambda lib, x: lib.logcumsumexp(x.double(), 0),
    "sort": lambda lib, x: lib.sort(x),
    "sort_descending_stable": lambda lib, x: x.sort(dim=0, descending=True, stable=True),
    "argsort_stable": lambda lib, x: lib.argsort(x, stable=True),
    "argsort_descending_stable": lambda lib, x: x.argsort(dim=0, descending=True, stable=True),
    # Which of tied values topk returns is unspecified in PyTorch: compare the values only.
    "topk": lambda lib, x: lib.topk(x, 2).values,
    "topk_smallest": lambda lib, x: x.topk(1, dim=0, largest=False).values,
    "kthvalue": lambda lib, x: lib.kthvalue(x, 1, 0),
    "median": lambda lib, x: lib.median(x),
    "median_dim": lambda lib, x: x.median(-1),
    "nanmedian_dim": lambda lib, x: lib.nanmedian(x, 0),
    "mode": lambda lib, x: lib.mode(x),
    "mode_dim0": lambda lib, x: x.mode(0, keepdim=True),
    "unique": lambda lib, x: lib.unique(x),
    "unique_all": lambda lib, x: lib.unique(x, return_inverse=True, return_counts=True),
    "unique_dim": lambda lib, x: x.unique(dim=0, return_inverse=True),
    "diff": lambda lib, x: lib.diff(x),
    "std_mean": lambda lib, x: lib.std_mean(x.double(), 0),
    "nansum": lambda lib, x: lib.nansum(x, 0),
    "nanmean": lambda lib, x: x.double().nanmean(-1),
    "var_integers_refused": lambda lib, x: lib.var(x),
    "std_mean_integers_refused": lambda lib, x: lib.std_mean(x),
    "logcumsumexp_integers_refused": lambda lib, x: lib.logcumsumexp(x, 0),
    "clamp_float_bounds": lambda lib, x: lib.clamp(x, 0.5, 2.5),
    "clamp_int_bounds": lambda lib, x: x.clamp(min=0),
    "var_mean_correction": lambda lib, x: lib.var_mean(x.double(), correction=0),
}


def _assert_same(ours, theirs):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for mine, expected in zip(ours, theirs):
            _assert_same(mine, expected)
        return
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch.")), (ours.dtype, theirs.dtype)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy().astype(float), theirs.numpy().astype(float), rtol=1e-10,
                               equal_nan=True)


# Known differences, each with its reason.
UNLIKE_TORCH = {
    ("mode", "nan"): "PyTorch's mode with NaN picks an order that depends on its sort; here NaN sorts last",
    ("mode_dim0", "nan"): "as above",
}


@pytest.mark.parametrize(("name", "data"), [(name, data) for name in FORWARD for data in INPUTS
                                            if (name, data) not in UNLIKE_TORCH])
def test_forward_matches_torch(name, data, torch):
    function, values = FORWARD[name], INPUTS[data]
    try:
        expected = function(torch, torch.tensor(values))
    except (RuntimeError, IndexError, TypeError, NotImplementedError) as error:  # torch refuses: so must we
        with pytest.raises(type(error)):
            function(thw, thw.tensor(values))
        return
    with np.errstate(all="ignore"):
        ours = function(thw, thw.tensor(values))
    _assert_same(ours, expected)


def test_topk_indices_point_at_the_values():
    x = thw.tensor([[1.0, 3.0, 3.0, 2.0], [2.0, 2.0, 0.0, 2.0]])
    values, indices = x.topk(2)
    np.testing.assert_array_equal(np.take_along_axis(x.numpy(), indices.numpy(), 1), values.numpy())
    assert values.tolist() == [[3.0, 3.0], [2.0, 2.0]]


def test_unique_bincount_and_errors_without_torch():
    values, inverse, counts = thw.unique(thw.tensor([3, 1, 3, 2]), return_inverse=True, return_counts=True)
    assert (values.tolist(), inverse.tolist(), counts.tolist()) == ([1, 2, 3], [2, 0, 2, 1], [1, 1, 2])
    assert thw.bincount(thw.tensor([0, 1, 1, 3]), minlength=6).tolist() == [1, 2, 0, 1, 0, 0]
    weighted = thw.bincount(thw.tensor([0, 1, 1]), weights=thw.tensor([0.5, 1.0, 2.0]))
    assert weighted.tolist() == [0.5, 3.0] and weighted.dtype == np.float32
    with pytest.raises(RuntimeError, match="non-negative"):
        thw.bincount(thw.tensor([-1, 2]))
    with pytest.raises(RuntimeError, match="out of range"):
        thw.topk(thw.ones(3), 4)
    with pytest.raises(RuntimeError, match="out of range"):
        thw.kthvalue(thw.ones(3), 0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        thw.cumsum(thw.ones(3), 1)
    with pytest.raises(RuntimeError, match="floating point"):
        thw.tensor([1, 2]).norm()
    with pytest.raises(RuntimeError, match="numel\\(\\) == 0"):
        thw.zeros(0).amax()


BINCOUNT = {
    "plain": lambda lib: lib.bincount(lib.tensor([0, 1, 1, 4])),
    "minlength": lambda lib: lib.bincount(lib.tensor([2, 2]), minlength=5),
    "weights_float32": lambda lib: lib.bincount(lib.tensor([0, 1, 1]), lib.tensor([0.5, 1.0, 2.0])),
    "weights_float64": lambda lib: lib.bincount(lib.tensor([0, 1, 1]), lib.tensor([0.5, 1.0, 2.0]).double()),
    "empty": lambda lib: lib.bincount(lib.tensor([], dtype=lib.int64)),
    "negative": lambda lib: lib.bincount(lib.tensor([-1, 1])),
    "two_dims": lambda lib: lib.bincount(lib.tensor([[1, 1]])),
}


@pytest.mark.parametrize("name", BINCOUNT)
def test_bincount_matches_torch(name, torch):
    try:
        expected = BINCOUNT[name](torch)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            BINCOUNT[name](thw)
        return
    _assert_same(BINCOUNT[name](thw), expected)


# Node names as PyTorch prints them (`grad_fn.name()`), one line an op.
NODE_NAMES = {
    "amax": lambda lib, x: x.amax(1),
    "cumsum": lambda lib, x: x.cumsum(1),
    "cumprod": lambda lib, x: lib.cumprod(x, 1),
    "logcumsumexp": lambda lib, x: x.logcumsumexp(1),
    "norm": lambda lib, x: x.norm(),
    "vector_norm": lambda lib, x: lib.linalg.vector_norm(x, 1, dim=1),
    "sort": lambda lib, x: x.sort(1)[0],
    "msort": lambda lib, x: x.msort(),
    "topk": lambda lib, x: x.topk(2)[0],
    "kthvalue": lambda lib, x: x.kthvalue(2)[0],
    "median": lambda lib, x: x.median(),
    "nanmedian": lambda lib, x: x.nanmedian(),
    "mode": lambda lib, x: x.mode(1)[0],
    "cummax": lambda lib, x: lib.cummax(x, 1)[0],
    "prod": lambda lib, x: x.prod(),
    "lerp": lambda lib, x: x.lerp(x * 2, 0.3),
    "asin": lambda lib, x: lib.asin(x / 5),
    "expm1": lambda lib, x: lib.expm1(x),
    "xlogy": lambda lib, x: lib.xlogy(x, 2.0),
}


@pytest.mark.parametrize("name", NODE_NAMES)
def test_node_names_as_torch(name, torch):
    data = _data("distinct", (3, 4))
    ours = NODE_NAMES[name](thw, thw.tensor(data, requires_grad=True)).grad_fn.name()
    theirs = NODE_NAMES[name](torch, torch.tensor(data, requires_grad=True)).grad_fn.name()
    assert ours.rstrip("0123456789") == theirs.rstrip("0123456789")  # MedianBackward0 or 1: an overload number


# Ops over empty dimensions, forward and backward (PyTorch allows these).
EMPTY = {
    "sum_dim0": (lambda lib, x: x.sum(0), (0, 3)),
    "sum_all": (lambda lib, x: lib.sum(x), (2, 0)),
    "mean_dim1": (lambda lib, x: x.mean(1), (0, 3)),
    "prod_dim0": (lambda lib, x: lib.prod(x, 0), (0, 3)),
    "amax_dim1": (lambda lib, x: x.amax(1), (0, 3)),
    "logsumexp_dim0": (lambda lib, x: lib.logsumexp(x, 0), (0, 3)),
    "norm_dim0": (lambda lib, x: x.norm(dim=0), (0, 3)),
    "cumsum": (lambda lib, x: lib.cumsum(x, 0), (0, 3)),
    "cumprod": (lambda lib, x: x.cumprod(1), (2, 0)),
    "logcumsumexp": (lambda lib, x: lib.logcumsumexp(x, 0), (0, 3)),
    "sort": (lambda lib, x: lib.sort(x, 0).values, (0, 3)),
    "cummax": (lambda lib, x: lib.cummax(x, 1).values, (2, 0)),
    "max_dim1": (lambda lib, x: x.max(1).values, (0, 3)),
    "exp": (lambda lib, x: lib.exp(x), (0, 3)),
    "matmul": (lambda lib, x: x @ x.T, (2, 0)),
    "einsum": (lambda lib, x: lib.einsum("ij,ij->i", x, x), (2, 0)),
}


@pytest.mark.parametrize("name", EMPTY)
def test_empty_dims_forward_and_backward(name):
    function, shape = EMPTY[name]
    x = thw.zeros(*shape, dtype=thw.float64, requires_grad=True)
    with np.errstate(all="ignore"):
        out = function(thw, x)
        out.backward(thw.ones_like(out))
    assert x.grad.shape == shape and out.dtype == np.float64


@pytest.mark.parametrize("name", EMPTY)
def test_empty_dims_match_torch(name, torch):
    function, shape = EMPTY[name]
    with np.errstate(all="ignore"):
        out = function(thw, thw.zeros(*shape, dtype=thw.float64))
    expected = function(torch, torch.zeros(*shape, dtype=torch.float64))
    assert out.shape == tuple(expected.shape)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_mode_with_nan_follows_our_documented_order():
    # Where PyTorch's choice depends on its sort (see UNLIKE_TORCH), ours is fixed: NaN is never
    # equal to NaN, so NaNs never pile up into a mode; among equally frequent values the smallest wins.
    values, indices = thw.tensor([[np.nan, 2.0, 2.0, np.nan, 1.0], [np.nan, np.nan, np.nan, 1.0, 3.0]]).mode(1)
    assert values[0].item() == 2.0 and int(indices[0]) in (1, 2)
    assert values[1].item() == 1.0 and int(indices[1]) == 3
