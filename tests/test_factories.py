"""Making tensors: factories, conversions and random draws with PyTorch's dtypes, keywords and errors."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw

# name: a function of the module (thw or torch) giving a tensor; values, shape and dtype must match torch's
FACTORIES = {
    "tensor_floats": lambda m: m.tensor([[1.5, 2.0]]),
    "tensor_ints": lambda m: m.tensor([1, 2]),
    "tensor_bools": lambda m: m.tensor([True, False]),
    "tensor_dtype": lambda m: m.tensor([1, 2], dtype=m.float64),
    "tensor_scalar": lambda m: m.tensor(3.0),
    "tensor_device_cpu": lambda m: m.tensor([1.0], device="cpu"),
    "tensor_of_tensors": lambda m: m.tensor([m.tensor(1.0), m.tensor(2.0)]),
    "as_tensor_list": lambda m: m.as_tensor([1, 2.5]),
    "as_tensor_dtype": lambda m: m.as_tensor(np.arange(3), dtype=m.float32),
    "asarray": lambda m: m.asarray([1, 2]),
    "from_numpy": lambda m: m.from_numpy(np.arange(6, dtype=np.int32).reshape(2, 3)),
    "zeros": lambda m: m.zeros(2, 3),
    "zeros_tuple": lambda m: m.zeros((2, 3), dtype=m.int64),
    "zeros_list": lambda m: m.zeros([0, 3]),
    "ones": lambda m: m.ones(3, dtype=m.bool, device="cpu"),
    "empty_shape": lambda m: m.empty(2, 3).shape and m.zeros(2, 3),  # empty's values are unspecified
    "full_float": lambda m: m.full((2,), 1.5),
    "full_int": lambda m: m.full((2, 2), 7),
    "full_bool": lambda m: m.full((2,), True),
    "full_int_size": lambda m: m.full([3], -1.0, dtype=m.float64),
    "eye": lambda m: m.eye(3),
    "eye_rect_int": lambda m: m.eye(2, 3, dtype=m.int64),
    "arange_int": lambda m: m.arange(5),
    "arange_start_step": lambda m: m.arange(2, 11, 3),
    "arange_negative_step": lambda m: m.arange(5, 0, -2),
    "arange_float": lambda m: m.arange(0.5, 3),
    "arange_float_step": lambda m: m.arange(0, 1, 0.1),
    "arange_int_dtype_float": lambda m: m.arange(0, 5, 2, dtype=m.float32),
    "arange_float_to_int": lambda m: m.arange(0.0, 5.0, 1.5, dtype=m.int64),
    "arange_0d_tensor": lambda m: m.arange(m.tensor(3)),
    "linspace": lambda m: m.linspace(0, 1, 5),
    "linspace_int": lambda m: m.linspace(0, 10, 4, dtype=m.int64),
    "linspace_negative_int": lambda m: m.linspace(-5, 5, 4, dtype=m.int32),
    "linspace_one": lambda m: m.linspace(2, 3, 1),
    "linspace_float64": lambda m: m.linspace(-1, 1, 7, dtype=m.float64),
    "logspace": lambda m: m.logspace(0, 2, 3),
    "logspace_base": lambda m: m.logspace(0, 3, 4, base=2),
    "zeros_like": lambda m: m.zeros_like(m.arange(3)),
    "zeros_like_dtype": lambda m: m.zeros_like(m.arange(3), dtype=m.float32),
    "ones_like": lambda m: m.ones_like(m.ones(2, dtype=m.float64)),
    "full_like": lambda m: m.full_like(m.arange(3), 7),
    "full_like_float_into_int": lambda m: m.full_like(m.arange(3), 2.7),
    "empty_like_shape": lambda m: m.zeros_like(m.empty_like(m.arange(3))),
    "new_tensor": lambda m: m.ones(2, dtype=m.float64).new_tensor([1, 2]),
    "new_zeros": lambda m: m.arange(3).new_zeros(2, 3),
    "new_ones": lambda m: m.ones(1).new_ones((2,), dtype=m.int64),
    "new_full": lambda m: m.ones(1).new_full((2,), 7),
    "new_empty": lambda m: m.ones(1).new_empty(3).zero_(),
    "meshgrid_ij": lambda m: m.stack(m.meshgrid(m.arange(2), m.arange(3), indexing="ij")),
    "meshgrid_xy": lambda m: m.stack(m.meshgrid(m.arange(2), m.arange(3), indexing="xy")),
}


@pytest.mark.parametrize("name", FACTORIES)
def test_factories_match_torch(name, torch):
    ours, theirs = FACTORIES[name](thw), FACTORIES[name](torch)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-15)  # PyTorch may use FMA


def test_factories_known_values_without_torch():
    assert thw.arange(5).dtype == np.int64 and thw.arange(0.5, 3).tolist() == [0.5, 1.5, 2.5]
    assert thw.arange(0.5, 3).dtype == np.float32
    assert thw.linspace(0, 10, 4, dtype=thw.int64).tolist() == [0, 3, 6, 10]
    assert thw.full((2,), 7).dtype == np.int64 and thw.full((2,), True).dtype == np.bool_
    assert thw.full((2,), 7.0).dtype == np.float32
    assert thw.logspace(0, 2, 3).tolist() == [1.0, 10.0, 100.0]
    assert thw.eye(2, 3, dtype=thw.int64).tolist() == [[1, 0, 0], [0, 1, 0]]
    assert thw.ones(1).new_full((2,), 7).dtype == np.float32
    assert thw.zeros_like(thw.arange(3)).dtype == np.int64
    assert thw.zeros(2, requires_grad=True).requires_grad


def test_from_numpy_and_as_tensor_share_memory_tensor_copies():
    array = np.zeros(3, np.float32)
    shared, also_shared, copied = thw.from_numpy(array), thw.as_tensor(array), thw.tensor(array)
    array[0] = 5
    assert shared[0].item() == 5 and also_shared[0].item() == 5 and copied[0].item() == 0
    assert thw.asarray(array).numpy() is array
    assert thw.asarray(array, copy=True).numpy() is not array
    with pytest.raises(ValueError, match="copy"):
        thw.asarray([1, 2], copy=False)
    with pytest.raises(TypeError, match="expected np.ndarray"):
        thw.from_numpy([1, 2])
    with pytest.raises(TypeError, match="out of scope"):
        thw.from_numpy(np.zeros(2, np.float16))
    with pytest.raises(TypeError, match="out of scope"):
        thw.tensor(np.zeros(2, np.complex64))


# name: (function of module, exception type): the same call fails in both libraries
ERRORS = {
    "negative_size": (lambda m: m.zeros(-1), RuntimeError),
    "arange_zero_step": (lambda m: m.arange(0, 3, 0), RuntimeError),
    "arange_wrong_sign": (lambda m: m.arange(0, 3, -1), RuntimeError),
    "linspace_negative_steps": (lambda m: m.linspace(0, 1, -1), RuntimeError),
    "requires_grad_int": (lambda m: m.zeros(2, dtype=m.int64, requires_grad=True), RuntimeError),
    "randint_empty_range": (lambda m: m.randint(3, 3, (2,)), RuntimeError),
    "rand_int_dtype": (lambda m: m.rand(2, dtype=m.int64), NotImplementedError),
    "randperm_negative": (lambda m: m.randperm(-1), RuntimeError),
    "normal_negative_std": (lambda m: m.normal(0.0, -1.0, (2,)), RuntimeError),
    "bernoulli_bad_p": (lambda m: m.bernoulli(m.full((2,), 1.5)), RuntimeError),
    "poisson_negative": (lambda m: m.poisson(m.full((2,), -1.0)), RuntimeError),
    "multinomial_negative": (lambda m: m.multinomial(m.tensor([-1.0, 1.0]), 1), RuntimeError),
    "multinomial_zero_sum": (lambda m: m.multinomial(m.zeros(3), 1), RuntimeError),
    "multinomial_too_many": (lambda m: m.multinomial(m.ones(3), 4), RuntimeError),
    "multinomial_3d": (lambda m: m.multinomial(m.ones(2, 2, 2), 1), RuntimeError),
    "type_bad_name": (lambda m: m.ones(2).type("torch.Foo"), ValueError),
    "index_from_float": (lambda m: [0, 1][m.tensor(1.0)], TypeError),
    "item_of_many": (lambda m: m.ones(2).item(), RuntimeError),
    "generator_not_a_generator": (lambda m: m.randn(2, generator=3), TypeError),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors(name):
    fn, error = ERRORS[name]
    with pytest.raises(error):
        fn(thw)


@pytest.mark.parametrize("name", ERRORS)
def test_errors_as_torch(name, torch):
    fn, error = ERRORS[name]
    with pytest.raises(error):
        fn(torch)


# ----------------------------------------------------------------- conversions
CONVERSIONS = {
    "to_dtype": lambda m, x: x.to(m.float64),
    "to_device": lambda m, x: x.to("cpu"),
    "to_device_object": lambda m, x: x.to(m.device("cpu")),
    "to_other": lambda m, x: x.to(m.arange(2)),
    "to_device_dtype": lambda m, x: x.to("cpu", m.int32),
    "to_keywords": lambda m, x: x.to(device="cpu", dtype=m.int64),
    "to_copy": lambda m, x: x.to(m.float32, copy=True),
    "type_dtype": lambda m, x: x.type(m.int16),
    "type_name": lambda m, x: x.type("torch.DoubleTensor"),
    "type_as": lambda m, x: x.type_as(m.arange(2)),
    "float": lambda m, x: x.long().float(),
    "double": lambda m, x: x.double(),
    "int": lambda m, x: x.int(),
    "long": lambda m, x: x.long(),
    "bool": lambda m, x: x.bool(),
    "byte": lambda m, x: x.abs().byte(),
    "short": lambda m, x: x.short(),
    "char": lambda m, x: x.char(),
    "cpu": lambda m, x: x.cpu(),
}


@pytest.mark.parametrize("name", CONVERSIONS)
def test_conversions_match_torch(name, torch):
    values = [[1.7, -2.2, 0.0], [3.0, 0.5, -0.5]]
    ours, theirs = CONVERSIONS[name](thw, thw.tensor(values)), CONVERSIONS[name](torch, torch.tensor(values))
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_to_returns_self_when_nothing_changes_and_copies_when_asked():
    x = thw.ones(2)
    assert x.to("cpu") is x and x.to(thw.float32) is x and x.cpu() is x
    copy = x.to(thw.float32, copy=True)
    copy[0] = 5
    assert x[0].item() == 1


def test_to_float64_is_differentiable():
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    (x.to(thw.float64) * 3).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [3.0, 3.0]


def test_type_names_as_torch(torch):
    for dtype in ("float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool"):
        ours, theirs = thw.zeros(1, dtype=getattr(thw, dtype)), torch.zeros(1, dtype=getattr(torch, dtype))
        assert ours.type() == theirs.type()


def test_type_names_without_torch():
    assert thw.ones(1).type() == "torch.FloatTensor" and thw.arange(1).type() == "torch.LongTensor"
    assert thw.ones(1).type("torch.DoubleTensor").dtype == np.float64


def test_sizes_and_kinds(torch):
    for values in ([1.0, 2.0], [1, 2, 3], [True], [[1, 2], [3, 4]]):
        ours, theirs = thw.tensor(values), torch.tensor(values)
        assert ours.nelement() == theirs.nelement() and ours.element_size() == theirs.element_size()
        assert ours.itemsize == theirs.itemsize and ours.nbytes == theirs.nbytes
        assert ours.is_floating_point() == theirs.is_floating_point() and not ours.is_complex()
        assert thw.is_floating_point(ours) == torch.is_floating_point(theirs)
        assert thw.numel(ours) == torch.numel(theirs)


def test_python_number_protocols():
    assert [10, 20, 30][thw.tensor(2)] == 30
    assert list(range(5))[thw.tensor(1):thw.tensor(3)] == [1, 2]
    assert f"{thw.tensor(2.5):.3f}" == "2.500" and f"{thw.tensor([0.25]):.1f}" == "0.2"
    assert round(thw.tensor(2.567), 1) == 2.6 and round(thw.tensor(2.5)) == 2
    assert float(thw.tensor([1.5])) == 1.5 and int(thw.tensor(3.9)) == 3
    assert thw.tensor([[2.5]]).item() == 2.5 and thw.tensor([[1, 2]]).tolist() == [[1, 2]]
    assert thw.tensor([1.0, 2.0]).numpy().dtype == np.float32
    with pytest.raises(TypeError):
        [1, 2][thw.tensor([0, 1])]


def test_unsupported_dtypes_raise_clearly():
    for name in ("float16", "half", "bfloat16", "complex64", "cfloat"):
        dtype = getattr(thw, name)
        with pytest.raises(TypeError, match="out of scope"):
            thw.zeros(2, dtype=dtype)
        with pytest.raises(TypeError, match="out of scope"):
            thw.ones(2).to(dtype)
    with pytest.raises(TypeError, match="half precision.*out of scope"):
        thw.ones(2).half()
    with pytest.raises(TypeError, match="bfloat16.*out of scope"):
        thw.ones(2).bfloat16()


# ----------------------------------------------------------------- random draws
def _generator(module, generator):
    """generator= for tinygrad_hw; the *_like factories of PyTorch take none."""
    return {"generator": generator} if module is thw else {}


# name: a function of (module, generator) drawing a tensor: dtype and shape must match torch's
RANDOM = {
    "rand": lambda m, g: m.rand(2, 3, generator=g),
    "rand_tuple_float64": lambda m, g: m.rand((2, 3), generator=g, dtype=m.float64),
    "randn": lambda m, g: m.randn(4, generator=g),
    "randint": lambda m, g: m.randint(0, 10, (3, 2), generator=g),
    "randint_high_only": lambda m, g: m.randint(5, (4,), generator=g),
    "randint_dtype": lambda m, g: m.randint(0, 5, (4,), generator=g, dtype=m.int32),
    "randperm": lambda m, g: m.randperm(6, generator=g),
    "rand_like": lambda m, g: m.rand_like(m.zeros(2, dtype=m.float64), **_generator(m, g)),
    "randn_like": lambda m, g: m.randn_like(m.zeros(3), **_generator(m, g)),
    "randint_like": lambda m, g: m.randint_like(m.zeros(3), 5, **_generator(m, g)),
    "randint_like_low_high": lambda m, g: m.randint_like(m.arange(3), 2, 9, **_generator(m, g)),
    "normal_numbers": lambda m, g: m.normal(2.0, 3.0, (2, 2), generator=g),
    "normal_tensors": lambda m, g: m.normal(m.zeros(3), m.ones(3), generator=g),
    "normal_tensor_mean": lambda m, g: m.normal(m.zeros(2, 3, dtype=m.float64), 1.0, generator=g),
    "normal_tensor_std": lambda m, g: m.normal(0.0, m.ones(4), generator=g),
    "bernoulli": lambda m, g: m.bernoulli(m.full((5,), 0.5), generator=g),
    "bernoulli_p": lambda m, g: m.bernoulli(m.zeros(5), 0.5, generator=g),
    "bernoulli_method": lambda m, g: m.full((5,), 0.5).bernoulli(generator=g),
    "poisson": lambda m, g: m.poisson(m.full((4,), 3.0), generator=g),
    "multinomial_replacement": lambda m, g: m.multinomial(m.tensor([1.0, 2.0, 0.0]), 6, True, generator=g),
    "multinomial_rows": lambda m, g: m.multinomial(m.ones(3, 5), 2, generator=g),
    "multinomial_method": lambda m, g: m.ones(4).multinomial(4, generator=g),
    "random_": lambda m, g: m.empty(5).random_(0, 10, generator=g),
    "random_to": lambda m, g: m.empty(5, dtype=m.int64).random_(10, generator=g),
    "uniform_": lambda m, g: m.empty(5).uniform_(-1, 1, generator=g),
    "normal_": lambda m, g: m.empty(5).normal_(0, 2, generator=g),
    "exponential_": lambda m, g: m.empty(5).exponential_(2.0, generator=g),
    "bernoulli_": lambda m, g: m.empty(5).bernoulli_(0.3, generator=g),
}


@pytest.mark.parametrize("name", RANDOM)
def test_random_draws_shape_and_dtype_as_torch(name, torch):
    ours = RANDOM[name](thw, thw.Generator().manual_seed(1))
    theirs = RANDOM[name](torch, torch.Generator().manual_seed(1))
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert ours.shape == tuple(theirs.shape)


@pytest.mark.parametrize("name", RANDOM)
def test_random_draws_repeat_with_the_same_seed(name):
    first = RANDOM[name](thw, thw.Generator().manual_seed(7))
    thw.manual_seed(3)
    again = RANDOM[name](thw, thw.Generator().manual_seed(7))
    np.testing.assert_array_equal(first.numpy(), again.numpy())
    thw.manual_seed(3)
    default_stream = RANDOM[name](thw, None)
    thw.manual_seed(3)
    np.testing.assert_array_equal(default_stream.numpy(), RANDOM[name](thw, None).numpy())


def test_generator_streams_are_independent_of_the_default_one():
    g = thw.Generator().manual_seed(42)
    first = thw.randn(5, generator=g)
    thw.randn(100)  # draws from the default generator must not move g
    g.manual_seed(42)
    np.testing.assert_array_equal(first.numpy(), thw.randn(5, generator=g).numpy())
    state = g.get_state()
    after = thw.rand(3, generator=g)
    g.set_state(state)
    np.testing.assert_array_equal(after.numpy(), thw.rand(3, generator=g).numpy())
    assert g.initial_seed() == 42 and isinstance(thw.Generator().seed(), int)


def test_random_draws_have_the_right_distribution():
    g = thw.Generator().manual_seed(0)
    uniform = thw.rand(20000, generator=g).numpy()
    assert 0 <= uniform.min() and uniform.max() < 1 and abs(uniform.mean() - 0.5) < 0.01
    normal = thw.normal(2.0, 3.0, (20000,), generator=g).numpy()
    assert abs(normal.mean() - 2) < 0.1 and abs(normal.std() - 3) < 0.1
    counts = np.bincount(thw.multinomial(thw.tensor([1.0, 3.0, 0.0]), 20000, True, generator=g).numpy(),
                         minlength=3)
    assert counts[2] == 0 and abs(counts[1] / counts.sum() - 0.75) < 0.02
    assert abs(thw.poisson(thw.full((20000,), 4.0), generator=g).numpy().mean() - 4) < 0.1
    assert sorted(thw.randperm(10, generator=g).tolist()) == list(range(10))
    integers = thw.randint(-3, 4, (5000,), generator=g).numpy()
    assert integers.min() == -3 and integers.max() == 3
    random_floats = thw.empty(5000).random_(generator=g).numpy()
    assert (random_floats == np.round(random_floats)).all() and random_floats.min() >= 0


def test_multinomial_without_replacement_never_repeats_and_follows_weights():
    g = thw.Generator().manual_seed(0)
    rows = thw.multinomial(thw.tensor([[1.0, 1.0, 1.0, 1.0], [0.0, 5.0, 1.0, 0.0]]), 4, generator=g)
    assert all(sorted(row) == [0, 1, 2, 3] for row in rows.tolist())
    assert sorted(rows[1, :2].tolist()) == [1, 2]  # zero-weight categories come last, as in torch
    firsts = thw.multinomial(thw.tensor([1.0, 9.0]).expand(4000, 2), 1, generator=g).numpy()
    assert abs(firsts.mean() - 0.9) < 0.03


def test_device_keyword_on_every_factory():
    calls = [lambda d: thw.tensor([1.0], device=d), lambda d: thw.zeros(2, device=d),
             lambda d: thw.ones(2, device=d), lambda d: thw.empty(2, device=d), lambda d: thw.full((2,), 1, device=d),
             lambda d: thw.eye(2, device=d), lambda d: thw.arange(3, device=d),
             lambda d: thw.linspace(0, 1, 3, device=d), lambda d: thw.logspace(0, 1, 3, device=d),
             lambda d: thw.rand(2, device=d), lambda d: thw.randn(2, device=d),
             lambda d: thw.randint(0, 3, (2,), device=d), lambda d: thw.randperm(3, device=d),
             lambda d: thw.zeros_like(thw.ones(1), device=d), lambda d: thw.ones_like(thw.ones(1), device=d),
             lambda d: thw.full_like(thw.ones(1), 2, device=d), lambda d: thw.empty_like(thw.ones(1), device=d),
             lambda d: thw.rand_like(thw.ones(1), device=d), lambda d: thw.randn_like(thw.ones(1), device=d),
             lambda d: thw.randint_like(thw.ones(1), 3, device=d), lambda d: thw.as_tensor([1.0], device=d),
             lambda d: thw.normal(0.0, 1.0, (2,), device=d), lambda d: thw.ones(1).new_zeros(2, device=d),
             lambda d: thw.ones(1).new_tensor([1.0], device=d), lambda d: thw.ones(1).new_full((1,), 2.0, device=d)]
    for call in calls:
        assert call("cpu").device == thw.device("cpu")
        assert call(thw.device("cpu")).device.type == "cpu"
        with pytest.raises(RuntimeError, match="CPU"):
            call("cuda")


# out=: (a call writing into `out`, a fresh out tensor); result, dtype and identity as torch
OUT_CALLS = {
    "zeros": (lambda m, out: m.zeros(3, out=out), lambda m: m.empty(0)),
    "zeros_into_float64": (lambda m, out: m.zeros(2, 2, out=out), lambda m: m.empty(4, dtype=m.float64)),
    "arange": (lambda m, out: m.arange(4, out=out), lambda m: m.empty(4, dtype=m.int64)),
    "full_into_int": (lambda m, out: m.full((2,), 3, out=out), lambda m: m.zeros(2, dtype=m.int64)),
    "linspace": (lambda m, out: m.linspace(0, 1, 3, out=out), lambda m: m.empty(3)),
    "cat": (lambda m, out: m.cat([m.ones(2), m.zeros(1)], out=out), lambda m: m.empty(0)),
    "stack": (lambda m, out: m.stack([m.ones(2), m.zeros(2)], out=out), lambda m: m.empty(2, 2)),
    "gather": (lambda m, out: m.gather(m.arange(3.0), 0, m.tensor([2, 0]), out=out), lambda m: m.empty(2)),
    "index_select": (lambda m, out: m.index_select(m.arange(3), 0, m.tensor([1]), out=out),
                     lambda m: m.empty(1, dtype=m.int64)),
    "masked_select": (lambda m, out: m.masked_select(m.arange(3), m.tensor([True, False, True]), out=out),
                      lambda m: m.empty(0, dtype=m.int64)),
    "randperm": (lambda m, out: m.randperm(3, out=out) * 0, lambda m: m.empty(3, dtype=m.int64)),
}


@pytest.mark.parametrize("name", OUT_CALLS)
def test_out_argument_as_torch(name, torch):
    call, make_out = OUT_CALLS[name]
    ours_out, theirs_out = make_out(thw), make_out(torch)
    ours, theirs = call(thw, ours_out), call(torch, theirs_out)
    if name != "randperm":
        assert ours is ours_out and theirs is theirs_out
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_out_argument_without_torch():
    buffer = thw.empty(0)
    assert thw.cat([thw.ones(2), thw.zeros(1)], out=buffer) is buffer and buffer.tolist() == [1.0, 1.0, 0.0]
    same_shape = thw.empty(3)
    memory = same_shape.numpy()
    thw.zeros(3, out=same_shape)
    assert same_shape.numpy() is memory and same_shape._version[0] == 1  # written in place
    with pytest.raises(RuntimeError, match="automatic differentiation"):
        thw.cat([thw.ones(2, requires_grad=True)], out=thw.empty(2))
    with pytest.raises(TypeError, match="can't be cast"):
        thw.cat([thw.ones(2)], out=thw.empty(2, dtype=thw.int64))
