"""Shape and indexing ops: float64 gradchecks (no torch needed) and PyTorch's numbers, dtypes and errors."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw

from .conftest import leaf


def _index(m, values):
    return m.tensor(values)


# name: (function of (module, *inputs) that runs unchanged on thw and torch, input shapes)
SHAPE_OPS = {
    "clone": (lambda m, x: x.clone(), [(3, 4)]),
    "clone_fn": (lambda m, x: m.clone(x) * 2, [(3, 4)]),
    "contiguous": (lambda m, x: x.contiguous() * 1, [(3, 4)]),
    "view_as": (lambda m, x, y: x.view_as(y), [(3, 4), (2, 6)]),
    "reshape_as": (lambda m, x, y: x.reshape_as(y) * y, [(3, 4), (4, 3)]),
    "expand_as": (lambda m, x, y: x.expand_as(y) * y, [(3, 1), (3, 4)]),
    "broadcast_to": (lambda m, x: m.broadcast_to(x, (2, 3, 4)), [(3, 1)]),
    "broadcast_tensors": (lambda m, x, y: m.broadcast_tensors(x, y)[0] * m.broadcast_tensors(x, y)[1],
                          [(3, 1), (4,)]),
    "repeat": (lambda m, x: x.repeat(2, 1, 3), [(3, 2)]),
    "repeat_empty": (lambda m, x: x.repeat(0, 2), [(3, 2)]),
    "tile": (lambda m, x: x.tile((2,)), [(3, 2)]),
    "tile_fn": (lambda m, x: m.tile(x, (2, 2, 1)), [(3, 2)]),
    "repeat_interleave": (lambda m, x: x.repeat_interleave(2, dim=0), [(3, 2)]),
    "repeat_interleave_flat": (lambda m, x: m.repeat_interleave(x, 3), [(2, 2)]),
    "repeat_interleave_counts": (lambda m, x: x.repeat_interleave(_index(m, [1, 0, 2]), dim=-1), [(2, 3)]),
    "split": (lambda m, x: x.split(2, dim=1)[1] * 2 + x.split(2, dim=1)[0], [(2, 4)]),
    "split_sizes": (lambda m, x: m.split(x, [1, 3], dim=-1)[1], [(2, 4)]),
    "chunk": (lambda m, x: m.cat(x.chunk(3, 0)[::-1]), [(5, 2)]),
    "unbind": (lambda m, x: m.stack(x.unbind(1)[::-1]), [(2, 3)]),
    "flip": (lambda m, x: x.flip(0, -1), [(2, 3, 4)]),
    "flip_fn": (lambda m, x: m.flip(x, (1,)), [(2, 3)]),
    "fliplr": (lambda m, x: m.fliplr(x), [(2, 3)]),
    "flipud": (lambda m, x: x.flipud(), [(2, 3)]),
    "roll": (lambda m, x: m.roll(x, 2), [(2, 3)]),
    "roll_dims": (lambda m, x: x.roll((1, -1), (0, -1)), [(2, 3, 4)]),
    "tril": (lambda m, x: m.tril(x), [(3, 4)]),
    "tril_batched": (lambda m, x: x.tril(-1), [(2, 3, 3)]),
    "triu": (lambda m, x: x.triu(1), [(4, 3)]),
    "diag_vector": (lambda m, x: m.diag(x), [(3,)]),
    "diag_vector_offset": (lambda m, x: x.diag(-1), [(3,)]),
    "diag_matrix": (lambda m, x: m.diag(x, 1), [(3, 4)]),
    "diagonal": (lambda m, x: x.diagonal(), [(3, 4)]),
    "diagonal_dims": (lambda m, x: m.diagonal(x, -1, 2, 0), [(3, 2, 4)]),
    "trace": (lambda m, x: m.trace(x), [(3, 4)]),
    "outer": (lambda m, x, y: m.outer(x, y), [(3,), (4,)]),
    "narrow": (lambda m, x: x.narrow(1, 1, 2), [(2, 4)]),
    "narrow_negative_start": (lambda m, x: m.narrow(x, -1, -3, 2), [(2, 4)]),
    "select": (lambda m, x: x.select(1, -1), [(2, 3, 4)]),
    "movedim": (lambda m, x: m.movedim(x, 0, -1), [(2, 3, 4)]),
    "movedim_tuple": (lambda m, x: x.movedim((0, 1), (2, 0)), [(2, 3, 4)]),
    "moveaxis": (lambda m, x: m.moveaxis(x, -1, 0), [(2, 3, 4)]),
    "swapaxes": (lambda m, x: x.swapaxes(0, 2), [(2, 3, 4)]),
    "swapdims": (lambda m, x: m.swapdims(x, 1, -1), [(2, 3, 4)]),
    "unflatten": (lambda m, x: x.unflatten(1, (2, -1)), [(3, 4)]),
    "squeeze_dims": (lambda m, x: x.squeeze((0, 2)), [(1, 3, 1, 1)]),
    "squeeze_fn": (lambda m, x: m.squeeze(x, -1), [(3, 1)]),
    "unsqueeze_fn": (lambda m, x: m.unsqueeze(x, -1), [(3, 2)]),
    "flatten_fn": (lambda m, x: m.flatten(x, 1), [(2, 3, 4)]),
    "flatten_range": (lambda m, x: m.flatten(x, 0, 1), [(2, 3, 4)]),
    "reshape_fn": (lambda m, x: m.reshape(x, (4, -1)), [(2, 3, 2)]),
    "permute_fn": (lambda m, x: m.permute(x, (2, 0, 1)), [(2, 3, 4)]),
    "transpose_fn": (lambda m, x: m.transpose(x, 0, 1), [(2, 3)]),
    "t_fn": (lambda m, x: m.t(x), [(2, 3)]),
    "gather": (lambda m, x: x.gather(1, _index(m, [[0, 0, 2], [1, 0, 1]])), [(2, 3)]),
    "gather_smaller_index": (lambda m, x: m.gather(x, 0, _index(m, [[1], [1], [0]])), [(2, 3)]),
    "scatter": (lambda m, x, y: x.scatter(1, _index(m, [[2, 0], [1, 2]]), y), [(2, 3), (2, 2)]),
    "scatter_value": (lambda m, x: m.scatter(x, 0, _index(m, [[1, 0, 1]]), 2.5), [(2, 3)]),
    "scatter_add": (lambda m, x, y: x.scatter_add(1, _index(m, [[2, 2], [0, 2]]), y), [(2, 3), (2, 2)]),
    "scatter_add_fn": (lambda m, x, y: m.scatter_add(x, 0, _index(m, [[0, 0, 1], [0, 0, 0]]), y),
                       [(2, 3), (2, 3)]),
    "scatter_reduce_sum": (lambda m, x, y: x.scatter_reduce(1, _index(m, [[0, 0], [2, 1]]), y, "sum"),
                           [(2, 3), (2, 2)]),
    "scatter_reduce_mean": (lambda m, x, y: x.scatter_reduce(1, _index(m, [[0, 0], [2, 1]]), y, "mean"),
                            [(2, 3), (2, 2)]),
    "scatter_reduce_mean_noself": (lambda m, x, y: x.scatter_reduce(0, _index(m, [0, 0, 2]), y, "mean",
                                                                    include_self=False), [(4,), (3,)]),
    "scatter_reduce_amax": (lambda m, x, y: x.scatter_reduce(0, _index(m, [1, 1, 3]), y, "amax"), [(4,), (3,)]),
    "scatter_reduce_amin_noself": (lambda m, x, y: x.scatter_reduce(0, _index(m, [1, 1, 3]), y, "amin",
                                                                    include_self=False), [(4,), (3,)]),
    "scatter_reduce_prod": (lambda m, x, y: x.scatter_reduce(0, _index(m, [1, 1, 3]), y, "prod"), [(4,), (3,)]),
    "index_select": (lambda m, x: x.index_select(1, _index(m, [2, 0, 2])), [(2, 3)]),
    "index_select_fn": (lambda m, x: m.index_select(x, -2, _index(m, [1, 1])), [(2, 3)]),
    "index_add": (lambda m, x, y: x.index_add(0, _index(m, [1, 1, 0]), y, alpha=2), [(2, 3), (3, 3)]),
    "index_add_fn": (lambda m, x, y: m.index_add(x, 1, _index(m, [2, 0]), y), [(2, 3), (2, 2)]),
    "index_copy": (lambda m, x, y: x.index_copy(1, _index(m, [2, 0]), y), [(2, 3), (2, 2)]),
    "index_fill": (lambda m, x: x.index_fill(1, _index(m, [0, 2]), -1.5), [(2, 3)]),
    "masked_fill_fn": (lambda m, x: m.masked_fill(x, x > 0, 0.5), [(2, 3)]),
    "masked_select": (lambda m, x: x.masked_select(x > 0), [(3, 4)]),
    "masked_select_broadcast": (lambda m, x: m.masked_select(x, _index(m, [True, False, True])), [(2, 3)]),
    "masked_scatter": (lambda m, x, y: x.masked_scatter(x > 0, y), [(3, 4), (12,)]),
    "take": (lambda m, x: m.take(x, _index(m, [[0, 5], [5, -1]])), [(2, 3)]),
    "take_along_dim": (lambda m, x: m.take_along_dim(x, x.argmax(1, keepdim=True), 1), [(3, 4)]),
    "take_along_dim_flat": (lambda m, x: x.take_along_dim(_index(m, [3, 0, 3])), [(2, 3)]),
    "take_along_dim_broadcast": (lambda m, x: m.take_along_dim(x, _index(m, [[[0], [1], [3]]]), 2), [(2, 3, 4)]),
    "hstack": (lambda m, x, y: m.hstack([x, y]), [(2, 3), (2, 1)]),
    "hstack_vectors": (lambda m, x, y: m.hstack((x, y)), [(2,), (3,)]),
    "vstack": (lambda m, x, y: m.vstack([x, y]), [(3,), (2, 3)]),
    "dstack": (lambda m, x, y: m.dstack([x, y]), [(3,), (3,)]),
    "column_stack": (lambda m, x, y: m.column_stack([x, y]), [(3,), (3, 2)]),
    "concat": (lambda m, x, y: m.concat([x, y], dim=1), [(2, 3), (2, 1)]),
    "concatenate": (lambda m, x, y: m.concatenate([x, y], axis=-1), [(2, 3), (2, 1)]),
    "cat_axis": (lambda m, x, y: m.cat([x, y], axis=0), [(2, 3), (1, 3)]),
    "atleast_1d": (lambda m, x: m.atleast_1d(x), [()]),
    "atleast_2d": (lambda m, x: m.atleast_2d(x), [(3,)]),
    "atleast_3d": (lambda m, x: m.atleast_3d(x), [(2, 3)]),
    "atleast_3d_vector": (lambda m, x: m.atleast_3d(x), [(3,)]),
    "meshgrid_ij": (lambda m, x, y: m.meshgrid(x, y, indexing="ij")[0] * m.meshgrid(x, y, indexing="ij")[1],
                    [(2,), (3,)]),
    "meshgrid_xy": (lambda m, x, y: m.stack(m.meshgrid(x, y, indexing="xy")), [(2,), (3,)]),
    "index_mixed_int_array": (lambda m, x: x[0, :, [1, 2]], [(2, 3, 4)]),
    "index_arrays_split_by_slice": (lambda m, x: x[[0, 1], :, [2, 0]], [(2, 3, 4)]),
    "index_none_and_array": (lambda m, x: x[None, [1, 1], ..., None], [(2, 3)]),
    "index_bool_mask_rows": (lambda m, x: x[_index(m, [True, False, True])], [(3, 2)]),
    "index_mask_then_slice": (lambda m, x: x[_index(m, [True, True, False]), 1:], [(3, 4)]),
    "index_tensor_2d": (lambda m, x: x[_index(m, [[0, 1], [1, 1]])], [(2, 3)]),
    "index_zero_dim_tensor": (lambda m, x: x[_index(m, 1)], [(2, 3)]),
    "index_negative": (lambda m, x: x[-1, [-1, 0]], [(2, 3)]),
    "index_empty": (lambda m, x: x[_index(m, np.zeros(0, np.int64))], [(2, 3)]),
    "index_arrays_broadcast": (lambda m, x: x[_index(m, [[0], [1]]), _index(m, [0, 2, 1])], [(2, 3, 4)]),
    "index_arrays_after_slice": (lambda m, x: x[:, [0, 1], [1, 2]], [(2, 3, 4)]),
    "index_int_slice_array_int": (lambda m, x: x[1, :, [0, 2], 3], [(2, 3, 4, 5)]),
    "index_array_none_array": (lambda m, x: x[[0, 1], None, [1, 2]], [(2, 3, 4)]),
    "index_mask2d_then_slice": (lambda m, x: x[_index(m, [[True, False, True], [False, True, True]]), 1:3],
                                [(2, 3, 4)]),
    "index_empty_list": (lambda m, x: x[[]], [(2, 3)]),
    "index_repeated_mixed": (lambda m, x: x[0, [1, 1, 0]], [(2, 3)]),
    "empty_dim_flip": (lambda m, x: x.flip(0).repeat(2, 1), [(0, 3)]),
}


def _inputs(shapes):
    return [leaf(*shape, seed=10 * number) for number, shape in enumerate(shapes)]


@pytest.mark.parametrize("name", SHAPE_OPS)
def test_shape_op_gradcheck(name):
    fn, shapes = SHAPE_OPS[name]
    inputs = _inputs(shapes)
    assert thw.gradcheck(lambda *xs: fn(thw, *xs), inputs)


@pytest.mark.parametrize("name", SHAPE_OPS)
def test_shape_op_matches_torch(name, torch):
    fn, shapes = SHAPE_OPS[name]
    inputs = _inputs(shapes)
    out = fn(thw, *inputs)
    gradient = np.random.default_rng(1).normal(size=out.shape)
    out.backward(gradient)
    torch_inputs = [torch.tensor(x.numpy(), requires_grad=True) for x in inputs]
    torch_out = fn(torch, *torch_inputs)
    torch_out.backward(torch.tensor(gradient))
    assert out.shape == tuple(torch_out.shape)
    assert str(out.dtype) == str(torch_out.dtype).removeprefix("torch.")
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-12)
    for x, tx in zip(inputs, torch_inputs):
        assert (x.grad is None) == (tx.grad is None)
        if x.grad is not None:
            np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-12)


# name: (function of (module, input), input values) for ops on integer/bool tensors and without gradient
NO_GRAD_OPS = {
    "nonzero": (lambda m, x: m.nonzero(x), [[0, 3], [5, 0]]),
    "nonzero_as_tuple": (lambda m, x: m.stack(x.nonzero(as_tuple=True)), [[0, 3], [5, 0]]),
    "argwhere": (lambda m, x: m.argwhere(x), [0, 1, 1]),
    "repeat_interleave_counts_only": (lambda m, x: m.repeat_interleave(x), [2, 0, 1]),
    "outer_int_float": (lambda m, x: m.outer(x, m.tensor([0.5, 1.0])), [1, 2]),
    "trace_int": (lambda m, x: x.trace(), [[1, 2], [3, 4]]),
    "diag_bool": (lambda m, x: m.diag(x), [True, False]),
    "flip_int": (lambda m, x: x.flip(0), [1, 2, 3]),
    "tile_bool": (lambda m, x: x.tile((2,)), [True, False]),
    "gather_int": (lambda m, x: x.gather(0, m.tensor([1, 1, 0])), [4, 5]),
    "scatter_int": (lambda m, x: x.scatter(0, m.tensor([1]), 9), [4, 5]),
    "scatter_reduce_amax_int_noself": (
        lambda m, x: x.scatter_reduce(0, m.tensor([0, 0]), m.tensor([3, 7]), "amax", include_self=False), [4, 5]),
    "scatter_reduce_mean_int": (lambda m, x: x.scatter_reduce(0, m.tensor([0, 0]), m.tensor([3, 8]), "mean"),
                                [4, 5]),
    "index_add_int": (lambda m, x: x.index_add(0, m.tensor([0, 0]), m.tensor([1, 2])), [4, 5]),
    "masked_select_int": (lambda m, x: x[x > 4], [4, 5, 6]),
    "meshgrid_int": (lambda m, x: m.stack(m.meshgrid(x, x, indexing="xy")), [1, 2, 3]),
    "vstack_mixed": (lambda m, x: m.vstack([x, m.tensor([0.5, 1.5])]), [1, 2]),
}


@pytest.mark.parametrize("name", NO_GRAD_OPS)
def test_no_grad_ops_match_torch(name, torch):
    fn, values = NO_GRAD_OPS[name]
    out, torch_out = fn(thw, thw.tensor(values)), fn(torch, torch.tensor(values))
    assert str(out.dtype) == str(torch_out.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(out.numpy(), torch_out.numpy())


def test_no_grad_ops_known_values():
    x = thw.tensor([[0, 3], [5, 0]])
    assert thw.nonzero(x).tolist() == [[0, 1], [1, 0]]
    rows, cols = x.nonzero(as_tuple=True)
    assert (rows.tolist(), cols.tolist()) == ([0, 1], [1, 0])
    assert thw.repeat_interleave(thw.tensor([2, 0, 1])).tolist() == [0, 0, 2]
    assert thw.tensor([4, 5]).scatter_reduce(0, thw.tensor([0, 0]), thw.tensor([3, 8]), "mean").tolist() == [5, 5]
    assert [t.tolist() for t in thw.arange(5).chunk(3)] == [[0, 1], [2, 3], [4]]
    assert [t.shape for t in thw.arange(6).chunk(4)] == [(2,), (2,), (2,)]
    assert thw.tensor([4, 5]).scatter(0, thw.tensor([0, 0]), thw.tensor([3, 8]), reduce="add").tolist() == [15, 5]


# name: (function of module, exception type); the same call must fail in both libraries
ERRORS = {
    "gather_float_index": (lambda m: m.zeros(2, 3).gather(1, m.zeros(2, 1)), RuntimeError),
    "gather_out_of_range": (lambda m: m.zeros(2, 3).gather(1, m.tensor([[5]])), RuntimeError),
    "gather_wrong_ndim": (lambda m: m.zeros(2, 3).gather(1, m.tensor([1])), RuntimeError),
    "scatter_out_of_range": (lambda m: m.zeros(3).scatter(0, m.tensor([3]), 1.0), RuntimeError),
    "scatter_reduce_bad_mode": (lambda m: m.zeros(3).scatter_reduce(0, m.tensor([0]), m.ones(1), "median"),
                                RuntimeError),
    "index_select_out_of_range": (lambda m: m.zeros(3).index_select(0, m.tensor([3])), IndexError),
    "index_select_float": (lambda m: m.zeros(3).index_select(0, m.tensor([0.0])), RuntimeError),
    "index_add_bad_source": (lambda m: m.zeros(2, 3).index_add(0, m.tensor([0]), m.ones(2, 3)), RuntimeError),
    "masked_select_int_mask": (lambda m: m.zeros(3).masked_select(m.tensor([1, 0, 1])), RuntimeError),
    "split_bad_sizes": (lambda m: m.zeros(4).split([1, 2]), RuntimeError),
    "chunk_zero": (lambda m: m.zeros(4).chunk(0), RuntimeError),
    "flip_bad_dim": (lambda m: m.zeros(2, 3).flip(2), IndexError),
    "flip_repeated_dim": (lambda m: m.zeros(2, 3).flip(0, 0), RuntimeError),
    "roll_misaligned": (lambda m: m.zeros(2, 3).roll((1, 2), 0), RuntimeError),
    "tril_vector": (lambda m: m.tril(m.zeros(3)), RuntimeError),
    "diag_3d": (lambda m: m.diag(m.zeros(2, 2, 2)), RuntimeError),
    "diagonal_same_dims": (lambda m: m.zeros(2, 3).diagonal(0, 1, 1), RuntimeError),
    "trace_vector": (lambda m: m.zeros(3).trace(), RuntimeError),
    "outer_matrix": (lambda m: m.outer(m.zeros(2, 2), m.zeros(2)), RuntimeError),
    "narrow_too_long": (lambda m: m.zeros(4).narrow(0, 2, 3), RuntimeError),
    "narrow_bad_start": (lambda m: m.zeros(4).narrow(0, 5, 0), IndexError),
    "select_out_of_range": (lambda m: m.zeros(2, 3).select(1, 3), IndexError),
    "movedim_repeated": (lambda m: m.zeros(2, 3).movedim((0, 0), (0, 1)), RuntimeError),
    "unflatten_bad_sizes": (lambda m: m.zeros(2, 6).unflatten(1, (4, 2)), RuntimeError),
    "repeat_too_few": (lambda m: m.zeros(2, 3).repeat(2), RuntimeError),
    "repeat_negative": (lambda m: m.zeros(2).repeat(-1), RuntimeError),
    "repeat_interleave_bad_counts": (lambda m: m.zeros(3).repeat_interleave(m.tensor([1, 2])), RuntimeError),
    "take_out_of_range": (lambda m: m.zeros(2, 2).take(m.tensor([4])), IndexError),
    "take_along_dim_ndim": (lambda m: m.zeros(2, 2).take_along_dim(m.tensor([0]), 1), RuntimeError),
    "broadcast_tensors_mismatch": (lambda m: m.broadcast_tensors(m.zeros(2), m.zeros(3)), RuntimeError),
    "meshgrid_bad_indexing": (lambda m: m.meshgrid(m.zeros(2), indexing="yx"), RuntimeError),
    "meshgrid_2d": (lambda m: m.meshgrid(m.zeros(2, 2), m.zeros(2), indexing="ij"), RuntimeError),
    "index_float_tensor": (lambda m: m.zeros(3)[m.tensor([0.0])], IndexError),
    "index_out_of_range": (lambda m: m.zeros(3)[m.tensor([3])], IndexError),
    "index_too_many": (lambda m: m.zeros(3)[0, 0], IndexError),
    "unbind_0d": (lambda m: m.tensor(1.0).unbind(), IndexError),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_as_torch(name, torch):
    fn, error = ERRORS[name]
    with pytest.raises(error):
        fn(torch)
    with pytest.raises(error):
        fn(thw)


@pytest.mark.parametrize("name", ERRORS)
def test_errors(name):
    fn, error = ERRORS[name]
    with pytest.raises(error):
        fn(thw)


def test_uint8_index_is_a_mask_as_in_torch():
    x = thw.arange(6).reshape(2, 3)
    assert x[thw.tensor([1, 0], dtype=thw.uint8)].tolist() == [[0, 1, 2]]


def test_setitem_with_pytorch_index_rules(torch):
    cases = [
        (lambda t: t.__setitem__(([0, 2], slice(1, 3)), t[:2, :2] * 0 + 1), (3, 4)),
        (lambda t: t.__setitem__((0, slice(None), [1, 2]), 7.0), (2, 3, 4)),
        (lambda t: t.__setitem__(t > 0, 0.0), (3, 4)),
        (lambda t: t.__setitem__([0, 0, 2], 5.0), (3, 4)),
        (lambda t: t.__setitem__((slice(None), 1), t[:, 2] * 2), (3, 4)),
        (lambda t: t.__setitem__((0, slice(None), [1, 2]), t[1, :, [0, 3]] + 1), (2, 3, 4)),
    ]
    for setitem, shape in cases:
        values = np.random.default_rng(0).normal(size=shape)
        ours, theirs = thw.tensor(values), torch.tensor(values)
        setitem(ours)
        setitem(theirs)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_setitem_recorded_gradients_match_torch(torch):
    def program(m, x, v):
        y = x * 1
        y[0, :, [1, 2]] = v * 3
        y[y > 0.5] = 0.0
        return y

    x, v = leaf(2, 3, 4), leaf(3, 2, seed=5)
    assert thw.gradcheck(lambda a, b: program(thw, a, b), (x, v))
    out = program(thw, x, v)
    out.sum().backward()
    tx, tv = torch.tensor(x.numpy(), requires_grad=True), torch.tensor(v.numpy(), requires_grad=True)
    program(torch, tx, tv).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_allclose(v.grad.numpy(), tv.grad.numpy())


def test_setitem_mixed_index_gradcheck_without_torch():
    def program(x, v):
        y = x * 1
        y[0, :, [1, 2]] = v
        return y

    assert thw.gradcheck(program, (leaf(2, 3, 4), leaf(3, 2, seed=1)))


# in-place forms: (method call on a non-leaf, the out-of-place call it must equal)
INPLACE = {
    "scatter_": (lambda t: t.scatter_(1, thw.tensor([[0], [2]]), 9.0),
                 lambda t: t.scatter(1, thw.tensor([[0], [2]]), 9.0)),
    "scatter_add_": (lambda t: t.scatter_add_(0, thw.tensor([[1, 1, 0]]), thw.ones(1, 3, dtype=thw.float64)),
                     lambda t: t.scatter_add(0, thw.tensor([[1, 1, 0]]), thw.ones(1, 3, dtype=thw.float64))),
    "scatter_reduce_": (lambda t: t.scatter_reduce_(0, thw.tensor([[1, 1, 0]]), t.flip(0), "amax"),
                        lambda t: t.scatter_reduce(0, thw.tensor([[1, 1, 0]]), t.flip(0), "amax")),
    "index_add_": (lambda t: t.index_add_(0, thw.tensor([1, 1]), t.flip(0), alpha=2),
                   lambda t: t.index_add(0, thw.tensor([1, 1]), t.flip(0), alpha=2)),
    "index_copy_": (lambda t: t.index_copy_(1, thw.tensor([0]), t[:, 2:] * 1),
                    lambda t: t.index_copy(1, thw.tensor([0]), t[:, 2:] * 1)),
    "index_fill_": (lambda t: t.index_fill_(1, thw.tensor([0, 2]), 0.0),
                    lambda t: t.index_fill(1, thw.tensor([0, 2]), 0.0)),
    "masked_fill_": (lambda t: t.masked_fill_(t > 0, 1.0), lambda t: t.masked_fill(t > 0, 1.0)),
    "masked_scatter_": (lambda t: t.masked_scatter_(t > 0, t.flip(0) * 1),
                        lambda t: t.masked_scatter(t > 0, t.flip(0))),
    "tril_": (lambda t: t.tril_(), lambda t: t.tril()),
    "triu_": (lambda t: t.triu_(1), lambda t: t.triu(1)),
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_forms_are_recorded(name):
    inplace, outplace = INPLACE[name]
    x = leaf(2, 3)

    def through_inplace(a):
        y = a * 1
        result = inplace(y)
        assert result is y
        return y

    np.testing.assert_allclose(through_inplace(x).detach().numpy(), outplace(x * 1).detach().numpy())
    assert thw.gradcheck(through_inplace, (x,))
    with pytest.raises(RuntimeError, match="leaf"):
        inplace(x)  # a leaf that requires grad


def test_split_pieces_and_views_of_empty():
    pieces = thw.arange(5).split(2)
    assert [p.tolist() for p in pieces] == [[0, 1], [2, 3], [4]]
    assert [p.shape for p in thw.zeros(0, 3).split(2)] == [(0, 3)]  # as torch: one empty piece
    assert thw.zeros(2, 0).chunk(2, 1)[0].shape == (2, 0)
    assert thw.zeros(0).flip(0).shape == (0,)


# PyTorch's keyword aliases: axis= for dim=, input= for the tensor
KEYWORD_ALIASES = {
    "squeeze_axis": lambda m, x: m.squeeze(x, axis=1),
    "squeeze_method_axis": lambda m, x: x.squeeze(axis=1),
    "unsqueeze_axis": lambda m, x: x.unsqueeze(axis=-1),
    "stack_axis": lambda m, x: m.stack([x, x], axis=2),
    "cat_axis": lambda m, x: m.cat([x, x], axis=-1),
    "gather_axis": lambda m, x: x.gather(axis=2, index=m.zeros(2, 1, 2, dtype=m.long)),
    "index_select_axis": lambda m, x: x.index_select(axis=0, index=m.tensor([1])),
    "unbind_axis": lambda m, x: m.stack(x.unbind(axis=2)),
    "chunk_axis": lambda m, x: x.chunk(2, axis=2)[1],
    "narrow_axis": lambda m, x: x.narrow(axis=2, start=1, length=2),
    "take_along_dim_axis": lambda m, x: m.take_along_dim(x, m.zeros(1, 1, 1, dtype=m.long), axis=0),
    "repeat_interleave_axis": lambda m, x: x.repeat_interleave(2, axis=0),
    "flatten_input": lambda m, x: m.flatten(input=x, start_dim=1),
    "clone_input": lambda m, x: m.clone(input=x),
    "tril_input": lambda m, x: m.tril(input=x[0]),
    "gather_input_dim": lambda m, x: m.gather(input=x, dim=0, index=m.zeros(1, 1, 1, dtype=m.long)),
}


@pytest.mark.parametrize("name", KEYWORD_ALIASES)
def test_keyword_aliases_as_torch(name, torch):
    values = np.arange(12.0).reshape(2, 1, 6)[:, :, :3].copy()
    ours, theirs = KEYWORD_ALIASES[name](thw, thw.tensor(values)), KEYWORD_ALIASES[name](torch, torch.tensor(values))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_keyword_aliases_without_torch():
    x = thw.zeros(2, 1, 3)
    assert thw.squeeze(x, axis=1).shape == (2, 3) and thw.stack([x, x], axis=0).shape == (2, 2, 1, 3)
    with pytest.raises(TypeError, match="alias"):
        x.squeeze(dim=1, axis=1)


def test_where_with_only_a_condition_is_nonzero_as_tuple(torch):
    values = [[0, 3, 0], [5, 0, 1]]
    ours, theirs = thw.where(thw.tensor(values)), torch.where(torch.tensor(values))
    assert len(ours) == len(theirs) == 2
    for mine, reference in zip(ours, theirs):
        assert mine.dtype == np.int64 and mine.tolist() == reference.tolist()


def test_where_with_only_a_condition_without_torch():
    rows, cols = thw.where(thw.tensor([[0, 3], [5, 0]]) > 0)
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 0]


# in-place view ops: (call on a tensor, the out-of-place op it must equal)
INPLACE_VIEWS = {
    "unsqueeze_": (lambda t: t.unsqueeze_(1), lambda t: t.unsqueeze(1)),
    "squeeze_": (lambda t: t.unsqueeze_(0).squeeze_(0), lambda t: t),
    "squeeze_all": (lambda t: t.unsqueeze_(-1).squeeze_(), lambda t: t),
    "t_": (lambda t: t.t_(), lambda t: t.t()),
    "transpose_": (lambda t: t.transpose_(0, 1), lambda t: t.transpose(0, 1)),
    "swapaxes_": (lambda t: t.swapaxes_(1, 0), lambda t: t.swapaxes(1, 0)),
    "swapdims_": (lambda t: t.swapdims_(0, -1), lambda t: t.swapdims(0, -1)),
}


@pytest.mark.parametrize("name", INPLACE_VIEWS)
def test_inplace_view_ops(name):
    inplace, outplace = INPLACE_VIEWS[name]
    x = leaf(2, 3)

    def through_inplace(a):
        y = a * 2
        assert inplace(y) is y
        return y

    np.testing.assert_array_equal(through_inplace(x).detach().numpy(), outplace(x * 2).detach().numpy())
    assert thw.gradcheck(through_inplace, (x,))
    with pytest.raises(RuntimeError, match="leaf"):
        inplace(x)
    with thw.no_grad():
        assert inplace(x) is x and x.is_leaf and x.requires_grad


@pytest.mark.parametrize("name", INPLACE_VIEWS)
def test_inplace_view_ops_as_torch(name, torch):
    inplace = INPLACE_VIEWS[name][0]
    x = leaf(2, 3)
    tx = torch.tensor(x.numpy(), requires_grad=True)
    ours, theirs = inplace(x * 2), inplace(tx * 2)
    assert ours.shape == tuple(theirs.shape)
    gradient = np.random.default_rng(0).normal(size=ours.shape)
    ours.backward(gradient)
    theirs.backward(torch.tensor(gradient))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
