"""thw.save / thw.load: safetensors that PyTorch reads and writes; bad files are named."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw import nn
from tinygrad_hw.serialization import CheckpointError


def _mlp():
    return nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))


def test_round_trip_keeps_names_dtypes_and_values(tmp_path):
    state = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([1, 2], np.int64),
             "c": np.array(True), "d": np.ones(3, np.float64)}
    thw.save(state, tmp_path / "x.safetensors")
    loaded = thw.load(tmp_path / "x.safetensors")
    assert list(loaded) == list(state)
    for name in state:
        assert loaded[name].dtype == state[name].dtype
        np.testing.assert_array_equal(loaded[name], state[name])
    assert not list(tmp_path.glob(".*part"))


def test_model_saved_here_loads_in_torch(tmp_path, torch):
    safetensors_torch = pytest.importorskip("safetensors.torch")
    model = _mlp()
    thw.save(model.state_dict(), tmp_path / "mlp.safetensors")
    torch_model = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
    torch_model.load_state_dict(safetensors_torch.load_file(str(tmp_path / "mlp.safetensors")))
    x = np.random.default_rng(0).normal(size=(2, 5)).astype(np.float32)
    np.testing.assert_allclose(model(thw.tensor(x)).numpy(), torch_model(torch.from_numpy(x)).detach().numpy(),
                               atol=1e-6)


def test_torch_saved_file_loads_here(tmp_path, torch):
    safetensors_torch = pytest.importorskip("safetensors.torch")
    torch_model = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
    safetensors_torch.save_file(torch_model.state_dict(), str(tmp_path / "torch.safetensors"))
    model = _mlp()
    model.load_state_dict(thw.load(tmp_path / "torch.safetensors"))
    x = np.random.default_rng(0).normal(size=(2, 5)).astype(np.float32)
    np.testing.assert_allclose(model(thw.tensor(x)).numpy(), torch_model(torch.from_numpy(x)).detach().numpy(),
                               atol=1e-6)


def test_nested_state_round_trips(tmp_path):
    state = {"state": {0: {"step": 3, "buf": np.ones(2)}}, "param_groups": [{"lr": 0.1, "betas": (0.9, 0.99),
                                                                             "params": [0]}]}
    thw.save(state, tmp_path / "o.safetensors")
    loaded = thw.load(tmp_path / "o.safetensors")
    assert loaded["param_groups"] == state["param_groups"] and loaded["state"][0]["step"] == 3
    np.testing.assert_array_equal(loaded["state"][0]["buf"], np.ones(2))


@pytest.mark.parametrize("content, reason", [
    (b"", "only 0 bytes"),
    (b"\xff" * 8 + b"{}", "header length"),
    ((7).to_bytes(8, "little") + b"not json", "not JSON"),
    ((2).to_bytes(8, "little") + b"[]", "not a JSON object"),
])
def test_invalid_files_are_named(tmp_path, content, reason):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match=reason) as info:
        thw.load(path)
    assert str(path) in str(info.value)


def test_truncated_file_is_named(tmp_path):
    thw.save({"w": np.ones((10, 10), np.float32)}, tmp_path / "w.safetensors")
    raw = (tmp_path / "w.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(raw[:-40])
    with pytest.raises(CheckpointError, match="truncated"):
        thw.load(tmp_path / "cut.safetensors")
    with pytest.raises(FileNotFoundError, match="missing.safetensors"):
        thw.load(tmp_path / "missing.safetensors")


def test_failed_save_leaves_no_file(tmp_path):
    with pytest.raises(TypeError, match="object"):
        thw.save({"w": np.array(["a"], dtype=object)}, tmp_path / "w.safetensors")
    assert list(tmp_path.iterdir()) == []
