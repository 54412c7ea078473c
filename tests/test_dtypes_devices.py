"""dtypes, devices and the rest of the torch namespace: names, limits, clear errors, and the
autograd API as PyTorch users call it."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_hw as thw

DTYPE_NAMES = ["float32", "float", "float64", "double", "int64", "long", "int32", "int", "int16", "short", "int8",
               "uint8", "bool"]


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtype_names_make_tensors_of_torchs_dtype(name, torch):
    ours, theirs = thw.zeros(2, dtype=getattr(thw, name)), torch.zeros(2, dtype=getattr(torch, name))
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert ours.element_size() == theirs.element_size()


def test_dtype_names_are_numpy_dtypes():
    assert thw.float32 == np.float32 and thw.long == np.int64 and thw.bool == np.bool_
    assert thw.ones(2, dtype=thw.float).dtype == thw.float32
    assert thw.get_default_dtype() == thw.float32


@pytest.mark.parametrize("name", ["float32", "float64"])
def test_finfo_as_torch(name, torch):
    ours, theirs = thw.finfo(getattr(thw, name)), torch.finfo(getattr(torch, name))
    for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(ours, field) == getattr(theirs, field), field


@pytest.mark.parametrize("name", ["int64", "int32", "int16", "int8", "uint8"])
def test_iinfo_as_torch(name, torch):
    ours, theirs = thw.iinfo(getattr(thw, name)), torch.iinfo(getattr(torch, name))
    for field in ("bits", "max", "min", "dtype"):
        assert getattr(ours, field) == getattr(theirs, field), field


def test_finfo_iinfo_without_torch():
    assert thw.finfo(thw.float32).eps == 2.0 ** -23 and thw.finfo().dtype == "float32"
    assert thw.finfo(thw.float64).bits == 64 and thw.finfo(thw.ones(1)).max == float(np.finfo(np.float32).max)
    assert thw.iinfo(thw.uint8).max == 255 and thw.iinfo(thw.int64).min == -2 ** 63
    with pytest.raises(TypeError, match="iinfo"):
        thw.finfo(thw.int64)
    with pytest.raises(TypeError, match="finfo"):
        thw.iinfo(thw.float32)
    with pytest.raises(TypeError):
        thw.iinfo(thw.bool)


def test_out_of_scope_dtypes_are_names_with_clear_errors():
    assert repr(thw.float16) == "thw.float16" and thw.half is thw.float16
    assert thw.float16.is_floating_point and thw.complex64.is_complex
    for dtype in (thw.float16, thw.bfloat16, thw.complex64, thw.complex128):
        with pytest.raises(TypeError, match="out of scope"):
            thw.tensor([1.0], dtype=dtype)
        with pytest.raises(TypeError, match="out of scope"):
            thw.arange(3).to(dtype)


# ----------------------------------------------------------------- devices
def test_device_object_as_torch(torch):
    for args in [("cpu",), ("cuda",), ("cuda:1",), ("cuda", 0), ("mps",), ("cpu", 0)]:
        ours, theirs = thw.device(*args), torch.device(*args)
        assert (str(ours), repr(ours), ours.type, ours.index) == (str(theirs), repr(theirs), theirs.type, theirs.index)
    assert (thw.device("cpu") == thw.device("cpu")) == (torch.device("cpu") == torch.device("cpu"))
    assert (thw.device("cpu") == "cpu") == (torch.device("cpu") == "cpu")
    assert str(thw.ones(1).device) == str(torch.ones(1).device)
    with pytest.raises(RuntimeError):
        torch.device("foo")
    with pytest.raises(RuntimeError):
        thw.device("foo")


def test_device_object_without_torch():
    cpu = thw.device("cpu")
    assert str(cpu) == "cpu" and repr(cpu) == "device(type='cpu')" and cpu.type == "cpu" and cpu.index is None
    assert cpu == thw.device("cpu") and cpu != thw.device("cuda") and hash(cpu) == hash(thw.device("cpu"))
    assert thw.ones(2).device == cpu and thw.ones(2).device.type == "cpu"
    assert str(thw.device("cuda", 1)) == "cuda:1" and thw.device("cuda:2").index == 2
    with pytest.raises(RuntimeError, match="device type"):
        thw.device("gpu")
    with pytest.raises(AttributeError):
        cpu.type = "cuda"


def test_no_accelerator_anywhere():
    assert thw.cuda.is_available() is False and thw.cuda.device_count() == 0
    assert thw.backends.mps.is_available() is False and thw.backends.mps.is_built() is False
    assert thw.backends.cudnn.is_available() is False
    assert thw.accelerator.is_available() is False and thw.accelerator.current_accelerator() is None
    thw.backends.cudnn.benchmark = True  # accepted, as scripts set it
    thw.backends.cudnn.deterministic = True
    thw.cuda.manual_seed_all(0)
    thw.cuda.manual_seed(0)


def test_the_pytorch_device_idiom_runs_on_the_cpu():
    device = thw.device("cuda" if thw.cuda.is_available() else "cpu")
    model_input = thw.randn(2, 3).to(device)
    assert model_input.device == thw.device("cpu")


CUDA_USES = {
    "cuda_method": lambda: thw.ones(2).cuda(),
    "cuda_method_index": lambda: thw.ones(2).cuda(0),
    "to_cuda": lambda: thw.ones(2).to("cuda"),
    "to_cuda_index": lambda: thw.ones(2).to("cuda:0"),
    "to_cuda_device": lambda: thw.ones(2).to(thw.device("cuda")),
    "to_cuda_keyword": lambda: thw.ones(2).to(device="cuda", dtype=thw.float64),
    "to_mps": lambda: thw.ones(2).to("mps"),
    "factory_cuda": lambda: thw.zeros(2, device="cuda"),
    "tensor_cuda": lambda: thw.tensor([1.0], device=thw.device("cuda", 0)),
    "pin_memory": lambda: thw.ones(2).pin_memory(),
    "cuda_current_device": lambda: thw.cuda.current_device(),
    "cuda_synchronize": lambda: thw.cuda.synchronize(),
    "with_cuda_device": lambda: thw.device("cuda").__enter__(),
    "cuda_generator": lambda: thw.Generator(device="cuda"),
}


@pytest.mark.parametrize("name", CUDA_USES)
def test_cuda_uses_say_this_runs_on_the_cpu(name):
    with pytest.raises(RuntimeError, match="runs on the CPU"):
        CUDA_USES[name]()


def test_cpu_device_keeps_the_tensor():
    x = thw.ones(2)
    assert x.cpu() is x and x.to("cpu") is x and x.to(thw.device("cpu")) is x and not x.is_cuda
    assert x.get_device() == -1 and not x.is_pinned()
    assert thw.Generator().device == thw.device("cpu") and thw.Generator("cpu").device.type == "cpu"


# ----------------------------------------------------------------- the rest of the namespace
def test_compile_returns_the_model_and_warns_once():
    model = thw.nn.Linear(2, 1)
    thw.compat._COMPILE_WARNED[0] = False
    with pytest.warns(UserWarning, match="no compiler"):
        assert thw.compile(model) is model
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert thw.compile(model, mode="reduce-overhead") is model

        @thw.compile()
        def double(x):
            return x * 2
        assert double(thw.ones(1)).item() == 2


def test_jit_and_sparse_name_the_feature():
    with pytest.raises(NotImplementedError, match="TorchScript"):
        thw.jit.script(lambda x: x)
    with pytest.raises(NotImplementedError, match="sparse"):
        _ = thw.sparse.mm
    with pytest.raises(NotImplementedError, match="sparse"):
        thw.ones(2).to_sparse()


def test_type_checks(torch):
    for value in (thw.ones(2), thw.arange(2), [1.0], 1.0, np.ones(2)):
        theirs = torch.tensor(value.numpy()) if isinstance(value, thw.Tensor) else value
        assert thw.is_tensor(value) == torch.is_tensor(theirs)
    assert thw.is_nonzero(thw.tensor([2.0])) and not thw.is_nonzero(thw.tensor(0))
    with pytest.raises(RuntimeError):
        thw.is_nonzero(thw.ones(2))
    assert thw.is_floating_point(thw.ones(1)) and not thw.is_complex(thw.ones(1))


def test_set_printoptions_changes_repr():
    before = np.get_printoptions()
    try:
        thw.set_printoptions(precision=2)
        assert "3.14" in repr(thw.tensor([3.14159])) and "3.142" not in repr(thw.tensor([3.14159]))
        thw.set_printoptions(profile="default")
        assert "3.1416" in repr(thw.tensor([3.14159]))
    finally:
        np.set_printoptions(**before)


# ----------------------------------------------------------------- autograd API as PyTorch users call it
def test_grad_fn_names_and_next_functions_as_torch(torch):
    def program(m, x, w):
        return ((x * w).exp() + 1).sum()

    ours = program(thw, thw.ones(3, requires_grad=True), thw.ones(3) * 2)
    theirs = program(torch, torch.ones(3, requires_grad=True), torch.ones(3) * 2)
    def described(node):  # PyTorch names the leaf node with its C++ namespace
        return [(None if n is None else n.name().removeprefix("torch::autograd::"), k) for n, k in node.next_functions]

    node, torch_node = ours.grad_fn, theirs.grad_fn
    names = []
    while torch_node is not None and torch_node.next_functions:
        assert node.name() == torch_node.name()
        assert described(node) == described(torch_node)
        names.append(node.name())
        node, torch_node = node.next_functions[0][0], torch_node.next_functions[0][0]
    assert names == ["SumBackward0", "AddBackward0", "ExpBackward0", "MulBackward0"]


def test_blitz_tutorial_idiom_walks_back_to_the_leaf():
    w = thw.randn(3, 2, requires_grad=True)
    loss = ((thw.ones(4, 3) @ w - 1) ** 2).mean()
    assert loss.grad_fn.name() == "MeanBackward0"
    node = loss.grad_fn
    while node.next_functions:
        node = next(n for n, _ in node.next_functions if n is not None)
    assert node.name() == "AccumulateGrad" and node.variable is w
    assert "PowBackward0" == loss.grad_fn.next_functions[0][0].name()


def test_requires_grad_register_hook_retain_grad(torch):
    def program(m):
        x = m.tensor([1.0, -2.0, 3.0]).requires_grad_()
        assert x.requires_grad
        seen = []
        x.register_hook(lambda g: seen.append(g.tolist()))
        h = x * x
        h.retain_grad()
        h.register_hook(lambda g: g * 2)
        (h * m.tensor([1.0, 2.0, 3.0])).sum().backward()
        return x.grad.tolist(), h.grad.tolist(), seen

    assert program(thw) == program(torch)


def test_register_hook_without_torch():
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 10)
    (x * 3).sum().backward()
    assert x.grad.tolist() == [30.0, 30.0]
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        thw.ones(2).register_hook(print)
    with pytest.raises(RuntimeError, match="floating point"):
        thw.arange(2).requires_grad_()


def test_autograd_grad_as_torch(torch):
    def program(m):
        x = m.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
        w = m.tensor([2.0, -1.0], requires_grad=True)
        unused = m.tensor([1.0], requires_grad=True)
        y = (x @ w).tanh() * 3
        first = m.autograd.grad(y.sum(), [x, w], retain_graph=True)
        second = m.autograd.grad(y, x, grad_outputs=m.tensor([1.0, 0.5]), retain_graph=True)
        third = m.autograd.grad(y.sum(), [w, unused], allow_unused=True)
        return [t.tolist() for t in first], second[0].tolist(), third[0].tolist(), third[1], x.grad

    ours, theirs = program(thw), program(torch)
    for mine, reference in [(ours[0][0], theirs[0][0]), (ours[0][1], theirs[0][1]), (ours[1], theirs[1]),
                            (ours[2], theirs[2])]:
        np.testing.assert_allclose(mine, reference, rtol=1e-4, atol=1e-6)  # float32
    assert ours[3] is None and theirs[3] is None and ours[4] is None and theirs[4] is None


def test_autograd_grad_without_torch():
    x = thw.tensor([1.0, 2.0], requires_grad=True)
    (grad,) = thw.autograd.grad((x ** 3).sum(), x)
    assert grad.tolist() == [3.0, 12.0] and x.grad is None
    with pytest.raises(RuntimeError):
        thw.autograd.grad((x * 2).sum(), [x, thw.ones(1, requires_grad=True)])
