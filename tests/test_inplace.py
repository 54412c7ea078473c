"""In-place ops and `.data` with PyTorch's rules: refused on a leaf that requires grad while
recording, allowed under no_grad, recorded on a non-leaf (values and gradients as PyTorch's,
gradchecked without torch), and a version counter that makes a stale saved value raise."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import tinygrad_hw as thw

from .conftest import leaf


def _setitem(tensor, index, value):
    tensor[index] = value
    return tensor


def _mask(m):
    return m.tensor([[True, False, True], [False, False, True]])


# name: in_place(t, o, m) -> t, where o is a second (2, 3) float64 operand with values in
# [0.5, 1.5] and m the library (thw or torch); each line spells the call as PyTorch code does.
IN_PLACE = {
    "add_": lambda t, o, m: t.add_(o, alpha=2),
    "add_number": lambda t, o, m: t.add_(3),
    "sub_": lambda t, o, m: t.sub_(o),
    "mul_": lambda t, o, m: t.mul_(o),
    "mul_number": lambda t, o, m: t.mul_(-2.5),
    "div_": lambda t, o, m: t.div_(o),
    "pow_": lambda t, o, m: t.pow_(2),
    "pow_tensor": lambda t, o, m: t.add_(2).pow_(o),
    "zero_": lambda t, o, m: t.zero_(),
    "fill_": lambda t, o, m: t.fill_(2.5),
    "fill_0d_tensor": lambda t, o, m: t.fill_(o[0, 1]),
    "copy_": lambda t, o, m: t.copy_(o * 3),
    "copy_broadcast": lambda t, o, m: t.copy_(o[1]),
    "clamp_": lambda t, o, m: t.clamp_(-0.3, 0.4),
    "clamp_min_": lambda t, o, m: t.clamp_min_(0.1),
    "neg_": lambda t, o, m: t.neg_(),
    "exp_": lambda t, o, m: t.exp_(),
    "relu_": lambda t, o, m: t.relu_(),
    "masked_fill_": lambda t, o, m: t.masked_fill_(_mask(m), 0.5),
    "masked_fill_0d_tensor": lambda t, o, m: t.masked_fill_(_mask(m), o[1, 1] * 2),
    "iadd": lambda t, o, m: operator.iadd(t, o),
    "isub": lambda t, o, m: operator.isub(t, o[0]),
    "imul": lambda t, o, m: operator.imul(t, o),
    "itruediv": lambda t, o, m: operator.itruediv(t, o),
    "iadd_number": lambda t, o, m: operator.iadd(t, 1.5),
    "setitem_number": lambda t, o, m: _setitem(t, (slice(None), 1), 7.0),
    "setitem_tensor": lambda t, o, m: _setitem(t, (0, 1), o[1, 2] * 3),
    "setitem_row": lambda t, o, m: _setitem(t, 1, o[0]),
    "setitem_mask": lambda t, o, m: _setitem(t, _mask(m), 0.0),
    "setitem_pairs": lambda t, o, m: _setitem(t, ([0, 1], [2, 0]), o[0, 0]),
    "chain": lambda t, o, m: t.mul_(2).add_(o).clamp_(max=1.0).relu_(),
}


def _operands(m, requires_grad=True):
    """x, o as (2, 3) float64 leaves of the library `m` (same values for thw and torch)."""
    x_values = leaf(2, 3, low=-1, high=1).numpy()
    o_values = leaf(2, 3, low=0.5, high=1.5, seed=5).numpy()
    x = m.tensor(x_values.copy(), dtype=m.float64, requires_grad=requires_grad)
    o = m.tensor(o_values.copy(), dtype=m.float64, requires_grad=requires_grad)
    return x, o


def _on_non_leaf(in_place, x, o, m):
    h = x * 1.5 - 0.25  # a non-leaf that requires grad
    out = in_place(h, o, m)
    assert out is h
    return h


WEIGHTS = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])


@pytest.mark.parametrize("name", IN_PLACE)
def test_refused_on_a_leaf_that_requires_grad(name):
    x, o = _operands(thw)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        IN_PLACE[name](x, o, thw)
    assert x.is_leaf and x.requires_grad


@pytest.mark.parametrize("name", IN_PLACE)
def test_refused_on_a_leaf_as_torch_refuses(name, torch):
    x, o = _operands(torch)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place"):
        IN_PLACE[name](x, o, torch)


@pytest.mark.parametrize("name", IN_PLACE)
def test_allowed_under_no_grad_and_not_recorded(name):
    x, o = _operands(thw)
    before = x.numpy().copy()
    with thw.no_grad():
        out = IN_PLACE[name](x, o, thw)
    assert out is x and x.is_leaf and x.requires_grad and x.grad_fn is None
    # the same update written out of place, on plain values
    expected = IN_PLACE[name](thw.tensor(before), o.detach(), thw)
    np.testing.assert_allclose(x.numpy(), expected.numpy())


@pytest.mark.parametrize("name", IN_PLACE)
def test_under_no_grad_values_match_torch(name, torch):
    x, o = _operands(thw)
    tx, to = _operands(torch)
    with thw.no_grad():
        IN_PLACE[name](x, o, thw)
    with torch.no_grad():
        IN_PLACE[name](tx, to, torch)
    np.testing.assert_allclose(x.numpy(), tx.detach().numpy(), atol=1e-12)


@pytest.mark.parametrize("name", IN_PLACE)
def test_recorded_on_a_non_leaf_gradcheck(name):
    x, o = _operands(thw)
    assert thw.gradcheck(lambda a, b: _on_non_leaf(IN_PLACE[name], a, b, thw), (x, o))


@pytest.mark.parametrize("name", IN_PLACE)
def test_recorded_on_a_non_leaf_matches_torch(name, torch):
    x, o = _operands(thw)
    tx, to = _operands(torch)
    h = _on_non_leaf(IN_PLACE[name], x, o, thw)
    th = _on_non_leaf(IN_PLACE[name], tx, to, torch)
    (h * thw.tensor(WEIGHTS)).sum().backward()
    (th * torch.tensor(WEIGHTS)).sum().backward()
    np.testing.assert_allclose(h.numpy(), th.detach().numpy(), atol=1e-12)
    assert h.requires_grad and not h.is_leaf
    for ours, theirs in ((x, tx), (o, to)):
        if theirs.grad is None:
            assert ours.grad is None or not ours.grad.numpy().any()
        else:
            np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("name", IN_PLACE)
def test_changing_a_saved_output_makes_backward_raise_naming_the_op(name):
    x, o = _operands(thw)
    h = x.exp()  # Exp saves its output
    with thw.no_grad():
        o = o.detach()
    IN_PLACE[name](h, o, thw)
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation.*ExpBackward0"):
        h.sum().backward()


@pytest.mark.parametrize("name", ["zero_", "add_", "mul_", "setitem_number", "exp_", "fill_"])
def test_changing_a_saved_output_raises_in_torch_too(name, torch):
    tx, to = _operands(torch)
    th = tx.exp()
    IN_PLACE[name](th, to.detach(), torch)
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation"):
        th.sum().backward()


def test_the_issue_example_zero_after_exp():
    x = thw.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x.exp()
    h.zero_()
    with pytest.raises(RuntimeError) as error:
        h.sum().backward()
    assert "ExpBackward0" in str(error.value) and "modified by an inplace operation" in str(error.value)
    assert x.grad is None


@pytest.mark.parametrize("lib", ["thw", "torch"])
def test_an_in_place_op_after_one_that_saved_its_output_raises(lib, request):
    m = thw if lib == "thw" else request.getfixturevalue("torch")
    x = m.ones(3, requires_grad=True)
    h = x * 1.5
    h.relu_().clamp_(max=1.0)  # relu_ saved its output, clamp_ changed it
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation"):
        h.sum().backward()


def test_changing_a_saved_input_raises():
    x = thw.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 1
    y = h * h  # Mul saves h
    h.add_(1)
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation.*MulBackward0"):
        y.sum().backward()


def test_changing_a_leaf_after_it_was_saved_raises():
    w = thw.ones(3, requires_grad=True)
    y = (w * w).sum()
    with thw.no_grad():
        w.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_detach_shares_the_version_counter_but_data_does_not():
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    h.detach().zero_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        h.sum().backward()
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    h.data.zero_()  # .data is PyTorch's escape hatch: not tracked, the gradient uses the new values
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])


@pytest.mark.parametrize("lib", ["thw", "torch"])
def test_an_op_that_saved_nothing_is_unaffected(lib, request):
    m = thw if lib == "thw" else request.getfixturevalue("torch")
    x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 1
    y = h + 2
    h.mul_(3)
    y.backward(m.ones(3), retain_graph=True)
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(y.detach().numpy(), [3.0, 4.0, 5.0])
    np.testing.assert_array_equal(h.detach().numpy(), [3.0, 6.0, 9.0])
    h.sum().backward()  # through the recorded mul_: d(3·x)/dx
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 4.0, 4.0])


@pytest.mark.parametrize("name", ["uniform_", "normal_"])
def test_random_fills(name):
    fill = (lambda t: t.uniform_(-1, 1)) if name == "uniform_" else (lambda t: t.normal_(0, 0.1))
    x = thw.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        fill(x)
    with thw.no_grad():
        assert fill(x) is x
    assert x.is_leaf and x.grad_fn is None and len(np.unique(x.numpy())) == 6
    assert np.abs(x.numpy()).max() <= (1 if name == "uniform_" else 1.0)
    h = x * 2  # on a non-leaf the draw is recorded: no gradient flows back through it
    fill(h)
    (h * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))
    assert x.dtype == h.dtype == np.float32


def test_random_fills_on_a_non_leaf_give_zero_gradient_in_torch(torch):
    x = torch.ones(2, 3, requires_grad=True)
    h = x * 2
    h.uniform_()
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))


@pytest.mark.parametrize("lib", ["thw", "torch"])
def test_in_place_errors(lib, request):
    m = thw if lib == "thw" else request.getfixturevalue("torch")
    integers = m.arange(3)
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
        integers.add_(0.5)
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
        integers.div_(2)
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
        m.ones(3).add_(m.ones(2, 3))
    integers.add_(2)
    integers *= 3
    assert integers.tolist() == [6, 9, 12] and str(integers.dtype).endswith("int64")


def test_in_place_keeps_dtype_and_memory():
    x = thw.zeros(3)
    array = x.numpy()
    x += thw.tensor([1, 2, 3])  # int64 operand: the result is cast back to float32
    x.mul_(thw.tensor(2.0, dtype=thw.float64))
    assert x.numpy() is array and x.dtype == np.float32
    np.testing.assert_array_equal(array, [2.0, 4.0, 6.0])


# ----------------------------------------------------------------- .data


def test_data_is_a_tensor_sharing_memory_without_grad():
    p = thw.tensor([1.0, 2.0], requires_grad=True)
    data = p.data
    assert isinstance(data, thw.Tensor) and not data.requires_grad and data.grad_fn is None
    assert np.shares_memory(data.numpy(), p.numpy())
    p.data.zero_()
    np.testing.assert_array_equal(p.numpy(), [0.0, 0.0])
    assert p.requires_grad and p.is_leaf


def test_data_update_trains_a_model():
    thw.manual_seed(0)
    model = thw.nn.Sequential(thw.nn.Linear(2, 8), thw.nn.Tanh(), thw.nn.Linear(8, 1))
    x = thw.randn(32, 2)
    y = x[:, :1] * x[:, 1:]
    losses = []
    for _ in range(200):
        loss = ((model(x) - y) ** 2).mean()
        for p in model.parameters():
            p.grad = None
        loss.backward()
        for p in model.parameters():
            p.data += -0.1 * p.grad
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    assert all(p.is_leaf and p.requires_grad and p.dtype == np.float32 for p in model.parameters())


def test_data_zero_and_grad_zero():
    layer = thw.nn.Linear(3, 2)
    layer(thw.ones(4, 3)).sum().backward()
    for p in layer.parameters():
        p.data.zero_()
        p.grad.zero_()
    assert all(not p.numpy().any() and not p.grad.numpy().any() for p in layer.parameters())


def test_data_assignment_replaces_values_and_dtype():
    x = thw.ones(3, requires_grad=True)
    x.data = thw.zeros(2, dtype=thw.float64)
    assert x.shape == (2,) and x.dtype == np.float64 and x.requires_grad and x.is_leaf
    (x * x).sum().backward()
    assert x.grad.dtype == np.float64
    with pytest.raises(RuntimeError, match="must be floating point"):
        x.data = thw.arange(2)


def test_data_assignment_as_torch(torch):
    x = torch.ones(3, requires_grad=True)
    x.data = torch.zeros(2, dtype=torch.float64)
    assert x.shape == (2,) and x.dtype == torch.float64 and x.requires_grad
    with pytest.raises(RuntimeError, match="must be floating point"):
        x.data = torch.arange(2)


def test_in_place_through_a_view_of_a_non_leaf():
    x = thw.ones(2, 3, requires_grad=True)
    h = x * 1
    h[0].mul_(2)
    assert h.grad_fn.name() == "CopySlices"
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[2, 2, 2], [1, 1, 1]])  # PyTorch's values


# name: f(x, w, m) -> output, an in-place op through a view of a tensor computed from the
# leaves x (2, 3) and w (3,); each is gradchecked and compared with PyTorch.
THROUGH_VIEWS = {
    "row_mul": lambda x, w, m: _changed(x * 1, lambda h: h[0].mul_(w)),
    "column_of_transpose": lambda x, w, m: _changed(x.sin(), lambda h: h.t()[1].mul_(w[:2].sum())),
    "view_of_a_view": lambda x, w, m: _changed(x * 2, lambda h: h.reshape(-1)[1:5].reshape(2, 2)[1].add_(w[:2])),
    "setitem_on_a_view": lambda x, w, m: _changed(x + 1, lambda h: h[1].__setitem__(slice(0, 2), w[1:] * 3)),
    "base_without_grad": lambda x, w, m: _changed(m.zeros(2, 3, dtype=m.float64), lambda h: h[1].add_(w * x[0])),
    "view_used_after": lambda x, w, m: _then(x * 1, lambda h: h[:, 1].mul_(w[:2]),
                                             lambda h, v: h.sum() + (v * v).sum()),
}


def _changed(h, change):
    change(h)
    return (h * h).sum()


def _then(h, change, use):
    view = change(h)
    return use(h, view)


@pytest.mark.parametrize("name", THROUGH_VIEWS)
def test_in_place_through_views_gradchecks(name):
    f = THROUGH_VIEWS[name]
    assert thw.gradcheck(lambda x, w: f(x, w, thw), (leaf(2, 3, seed=1), leaf(3, seed=2)))


@pytest.mark.parametrize("name", THROUGH_VIEWS)
def test_in_place_through_views_matches_torch(name, torch):
    x, w = leaf(2, 3, seed=1), leaf(3, seed=2)
    tx, tw = (torch.tensor(t.detach().numpy(), requires_grad=True) for t in (x, w))
    out, expected = THROUGH_VIEWS[name](x, w, thw), THROUGH_VIEWS[name](tx, tw, torch)
    out.backward()
    expected.backward()
    np.testing.assert_allclose(out.item(), expected.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("lib", ["thw", "torch"])
def test_views_share_the_version_counter_and_a_view_of_a_leaf_is_refused(lib, request):
    m = thw if lib == "thw" else request.getfixturevalue("torch")
    x = m.ones(2, 3, dtype=m.float64, requires_grad=True)
    h = x * 1
    y = h * x  # saves h
    h[0].mul_(2)  # through a view: h's version moves too
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    with pytest.raises(RuntimeError, match="view of a leaf Variable that requires grad"):
        x[0].mul_(2)
    with m.no_grad():
        x[0].fill_(5)  # allowed, as an initialisation
    assert x.tolist() == [[5, 5, 5], [1, 1, 1]]


@pytest.mark.parametrize("lib", ["thw", "torch"])
def test_retained_grad_is_that_of_the_newest_version(lib, request):
    m = thw if lib == "thw" else request.getfixturevalue("torch")
    x = m.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    h.retain_grad()
    h.mul_(3)
    h.sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
