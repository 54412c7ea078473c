"""nn.Module as PyTorch has it: buffers, hooks, traversal, state dicts, containers, repr."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.register_buffer("mask", thw.ones(2))
        self.register_buffer("cache", thw.zeros(2), persistent=False)
        self.scale = nn.Parameter(thw.ones(1))

    def forward(self, x):
        return self.fc(x) * self.mask * self.scale


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(2, 1))

    def forward(self, x):
        return self.head(self.block(x))


def test_buffers_parameters_and_traversal():
    net = Net()
    assert [n for n, _ in net.named_buffers()] == ["block.mask", "block.cache"]
    assert len(list(net.buffers())) == 2
    assert [n for n, _ in net.named_parameters()] == ["block.scale", "block.fc.weight", "block.fc.bias",
                                                      "head.1.weight", "head.1.bias"]
    assert [n for n, _ in net.named_modules()] == ["", "block", "block.fc", "head", "head.0", "head.1"]
    assert [n for n, _ in net.named_children()] == ["block", "head"]
    assert list(net.state_dict()) == ["block.scale", "block.mask", "block.fc.weight", "block.fc.bias",
                                      "head.1.weight", "head.1.bias"]  # no non-persistent buffer
    assert net.get_submodule("head.1") is net.head[1] and net.get_parameter("block.fc.bias") is net.block.fc.bias
    net.block.mask = thw.full((2,), 2.0)  # assigning a tensor to a buffer name keeps it a buffer
    assert net.get_buffer("block.mask")._data[0] == 2
    visited = []
    assert net.apply(lambda m: visited.append(type(m).__name__)) is net
    assert visited == ["Linear", "Block", "ReLU", "Linear", "Sequential", "Net"]


def test_registration_errors_match_pytorch():
    block = Block()
    with pytest.raises(KeyError, match="already exists"):
        block.register_buffer("fc", thw.zeros(1))
    with pytest.raises(KeyError, match="contain"):
        block.register_buffer("a.b", thw.zeros(1))
    with pytest.raises(TypeError, match="cannot assign 'int' object to buffer 'x'"):
        block.register_buffer("x", 3)
    with pytest.raises(TypeError, match="parameter 'p'"):
        block.register_parameter("p", thw.zeros(1))
    with pytest.raises(TypeError, match="as parameter 'scale'"):
        block.scale = thw.zeros(1)
    block.register_parameter("extra", None)
    assert "extra" in block._parameters and block.extra is None
    with pytest.raises(ValueError, match="boolean"):
        block.train("yes")


def test_modes_grad_and_dtype():
    net = Net()
    net.eval()
    assert not net.block.fc.training
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    net.requires_grad_(True)
    net(thw.ones(4, 3)).sum().backward()
    net.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.numpy().any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    weight = net.block.fc.weight
    assert net.to("cpu") is net and net.to(thw.float64).block.fc.weight is weight
    assert weight.dtype == np.float64 and net.block.mask.dtype == np.float64
    assert net.float().block.fc.weight.dtype == np.float32 and net.cpu() is net
    with pytest.raises(RuntimeError, match="CPU only"):
        net.cuda()
    with pytest.raises(RuntimeError, match="CPU only"):
        net.to("cuda")


def test_hooks_and_handles():
    layer, seen = nn.Linear(3, 2), []
    pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    post = layer.register_forward_hook(lambda m, args, out: seen.append(out.shape) or out + 1)
    out = layer(thw.ones(4, 3))
    np.testing.assert_allclose(out.numpy(), np.broadcast_to(layer.bias.numpy() + 1, (4, 2)), rtol=1e-6)
    assert seen == [(4, 2)]
    pre.remove()
    post.remove()
    with layer.register_forward_hook(lambda m, args, out: seen.append("ctx")):
        layer(thw.ones(1, 3))
    layer(thw.ones(1, 3))
    assert seen == [(4, 2), "ctx"]


def test_state_dict_tensors_and_atomic_load():
    net, other = Net(), Net()
    state = net.state_dict()
    assert all(isinstance(v, thw.Tensor) and not v.requires_grad for v in state.values())
    assert np.shares_memory(state["block.fc.weight"].numpy(), net.block.fc.weight.numpy())
    result = other.load_state_dict(state)
    assert repr(result) == "<All keys matched successfully>" and result.missing_keys == []
    np.testing.assert_array_equal(other.block.fc.weight.numpy(), net.block.fc.weight.numpy())
    before = {k: v.numpy().copy() for k, v in other.state_dict().items()}
    for bad in ("a string", np.array(["x", "y"]), np.zeros((5, 5)), np.zeros(3, complex)):
        broken = dict(net.state_dict())
        broken["block.fc.weight"] = thw.randn(2, 3)
        broken["head.1.bias"] = bad  # the last key is bad: nothing before it may be copied
        with pytest.raises(RuntimeError, match="head.1.bias"):
            other.load_state_dict(broken)
        for key, value in other.state_dict().items():
            np.testing.assert_array_equal(value.numpy(), before[key])
    partial = {k: v for k, v in state.items() if k != "head.1.bias"}
    partial["unused"] = thw.zeros(1)
    result = other.load_state_dict(partial, strict=False)
    assert result == (["head.1.bias"], ["unused"])
    assert result.missing_keys == ["head.1.bias"] and result.unexpected_keys == ["unused"]
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "head.1.bias"'):
        other.load_state_dict(partial)


def test_state_dict_save_load_round_trip(tmp_path):
    net, other = Net(), Net()
    thw.save(net.state_dict(), tmp_path / "net.safetensors")
    other.load_state_dict(thw.load(tmp_path / "net.safetensors"))
    np.testing.assert_array_equal(other.head[1].weight.numpy(), net.head[1].weight.numpy())


def test_state_dict_loads_into_torch(torch):
    net = Net()
    torch_net = torch.nn.Sequential(OrderedDict(block=torch.nn.Module(), head=torch.nn.Sequential(
        torch.nn.ReLU(), torch.nn.Linear(2, 1))))
    torch_net.block.fc = torch.nn.Linear(3, 2)
    torch_net.block.scale = torch.nn.Parameter(torch.ones(1))
    torch_net.block.register_buffer("mask", torch.ones(2))
    torch_net.block.register_buffer("cache", torch.ones(2), persistent=False)
    state = {k: torch.from_numpy(v.numpy().copy()) for k, v in net.state_dict().items()}
    assert list(state) == list(torch_net.state_dict())
    torch_net.load_state_dict(state)
    net.load_state_dict(torch_net.state_dict())


def test_containers():
    seq = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU()), ("out", nn.Linear(3, 1))]))
    assert isinstance(seq.fc, nn.Linear) and isinstance(seq[:2], nn.Sequential)
    assert list(seq[:2]._modules) == ["fc", "act"]
    assert seq(thw.ones(4, 2)).shape == (4, 1)
    numbered = nn.Sequential(nn.Linear(2, 2), nn.ReLU()).append(nn.Tanh())
    numbered.insert(0, nn.Identity())
    del numbered[1]
    assert [type(m).__name__ for m in numbered] == ["Identity", "ReLU", "Tanh"]
    assert list(numbered._modules) == ["0", "1", "2"]
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    layers.insert(1, nn.ReLU())
    layers.extend([nn.Tanh()])
    layers += [nn.Sigmoid()]
    assert [type(m).__name__ for m in layers[1:3]] == ["ReLU", "Linear"] and isinstance(layers[-2], nn.Tanh)
    assert len(layers) == 6 and len(list(layers.parameters())) == 6 and isinstance(layers[::2], nn.ModuleList)
    with pytest.raises(IndexError):
        layers[6]
    heads = nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.Linear(2, 3)})
    heads["c"] = nn.ReLU()
    assert list(heads) == ["a", "b", "c"] and "a" in heads and len(list(heads.parameters())) == 4
    assert [n for n, _ in heads.named_parameters()][:2] == ["a.weight", "a.bias"]
    plist = nn.ParameterList([nn.Parameter(thw.ones(2)), thw.zeros(3)])
    assert isinstance(plist[1], nn.Parameter) and plist[1].requires_grad and len(plist) == 2
    assert [n for n, _ in plist.named_parameters()] == ["0", "1"]
    pdict = nn.ParameterDict({"w": thw.ones(2)})
    pdict["b"] = nn.Parameter(thw.zeros(1))
    assert list(pdict) == ["w", "b"] and [n for n, _ in pdict.named_parameters()] == ["w", "b"]


def test_repr_matches_torch(torch):
    tnn = torch.nn
    pairs = [
        (nn.Sequential(nn.Linear(2, 3), nn.ReLU()), tnn.Sequential(tnn.Linear(2, 3), tnn.ReLU())),
        (nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU()]),
         tnn.ModuleList([tnn.Linear(2, 2) for _ in range(3)] + [tnn.ReLU()])),
        (nn.ModuleDict({"a": nn.Sequential(nn.Tanh())}), tnn.ModuleDict({"a": tnn.Sequential(tnn.Tanh())})),
    ]
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs)
