"""thw.save / thw.load: safetensors that the reference package and PyTorch read and write; bad files are named."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy

import tinygrad_hw as thw
from tinygrad_hw import nn
from tinygrad_hw.serialization import CheckpointError

# Every dtype that both NumPy and the safetensors format have.
DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint64, np.uint32,
          np.uint16, np.uint8, np.bool_, np.complex64]


def _mlp():
    return nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))


def _every_dtype():
    rng = np.random.default_rng(0)
    state = {}
    for dtype in DTYPES:
        info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
        if info is not None:  # the extremes too: U64's top bit, I8's minimum
            values = np.array([info.min, info.max, 0, 1, 2, 3], dtype)
        else:
            values = (rng.normal(size=6) * 100).astype(dtype)
        state[np.dtype(dtype).name] = values.reshape(2, 3)
    return state


def _assert_same(loaded, state):
    assert set(loaded) == set(state)
    for name in state:
        assert loaded[name].dtype == state[name].dtype, name
        assert loaded[name].shape == state[name].shape, name
        np.testing.assert_array_equal(loaded[name], state[name])


def test_round_trip_keeps_names_order_dtypes_and_values(tmp_path):
    state = {"z": np.arange(6, dtype=np.float32).reshape(3, 2).T,  # not contiguous
             "a": np.array([1, 2], ">i8"),  # big-endian input
             "scalar": np.array(True), "empty": np.zeros((0, 3)), "t": thw.tensor([1.0, 2.0]), **_every_dtype()}
    thw.save(state, tmp_path / "x.safetensors")
    loaded = thw.load(tmp_path / "x.safetensors")
    assert list(loaded) == list(state)
    state["t"] = state["t"].numpy()
    state["a"] = state["a"].astype(np.int64)
    _assert_same(loaded, state)
    assert os.listdir(tmp_path) == ["x.safetensors"]


def test_reference_numpy_files_load_exactly_and_ours_load_there(tmp_path):
    state = _every_dtype()
    safetensors.numpy.save_file(state, tmp_path / "reference.safetensors")
    _assert_same(thw.load(tmp_path / "reference.safetensors"), state)
    thw.save(state, tmp_path / "ours.safetensors")
    _assert_same(safetensors.numpy.load_file(tmp_path / "ours.safetensors"), state)


def test_reference_torch_files_load_exactly_and_ours_load_there(tmp_path, torch):
    import safetensors.torch
    state = _every_dtype()
    tensors = {name: torch.from_numpy(array.copy()) for name, array in state.items()}
    safetensors.torch.save_file(tensors, tmp_path / "torch.safetensors")
    _assert_same(thw.load(tmp_path / "torch.safetensors"), state)
    thw.save(state, tmp_path / "ours.safetensors")
    back = safetensors.torch.load_file(tmp_path / "ours.safetensors")
    assert set(back) == set(tensors)
    for name, tensor in tensors.items():
        assert back[name].dtype == tensor.dtype and torch.equal(back[name], tensor), name


def test_torch_only_dtypes_are_a_clear_error(tmp_path, torch):
    import safetensors.torch
    safetensors.torch.save_file({"w": torch.ones(2, dtype=torch.bfloat16)}, tmp_path / "bf16.safetensors")
    with pytest.raises(CheckpointError, match=r"bf16.safetensors.*'w' has dtype BF16, which NumPy cannot hold"):
        thw.load(tmp_path / "bf16.safetensors")


def test_model_saved_here_loads_in_torch(tmp_path, torch):
    import safetensors.torch
    model = _mlp()
    thw.save(model.state_dict(), tmp_path / "mlp.safetensors")
    torch_model = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
    torch_model.load_state_dict(safetensors.torch.load_file(str(tmp_path / "mlp.safetensors")))
    x = np.random.default_rng(0).normal(size=(2, 5)).astype(np.float32)
    np.testing.assert_allclose(model(thw.tensor(x)).numpy(), torch_model(torch.from_numpy(x)).detach().numpy(),
                               atol=1e-6)


def test_torch_saved_file_loads_here(tmp_path, torch):
    import safetensors.torch
    torch_model = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
    safetensors.torch.save_file(torch_model.state_dict(), str(tmp_path / "torch.safetensors"))
    model = _mlp()
    model.load_state_dict(thw.load(tmp_path / "torch.safetensors", map_location="cpu", weights_only=True))
    x = np.random.default_rng(0).normal(size=(2, 5)).astype(np.float32)
    np.testing.assert_allclose(model(thw.tensor(x)).numpy(), torch_model(torch.from_numpy(x)).detach().numpy(),
                               atol=1e-6)


def test_nested_state_round_trips(tmp_path):
    state = {"state": {0: {"step": 3, "buf": np.ones(2)}}, "param_groups": [{"lr": 0.1, "betas": (0.9, 0.99),
                                                                             "params": [0], "name": None}]}
    thw.save(state, tmp_path / "o.safetensors")
    loaded = thw.load(tmp_path / "o.safetensors")
    assert loaded["param_groups"] == state["param_groups"] and loaded["state"][0]["step"] == 3
    np.testing.assert_array_equal(loaded["state"][0]["buf"], np.ones(2))
    assert list(safetensors.numpy.load_file(tmp_path / "o.safetensors")) == ["state.0.buf"]  # readable names


@pytest.mark.parametrize("state", [
    {"a.b": np.zeros(1), "a": {"b": np.ones(1)}},
    {0: np.zeros(1), "0": np.ones(1), 1.5: np.full(1, 2.0), "1.5": np.full(1, 3.0), None: np.full(1, 4.0),
     "None": np.full(1, 5.0)},
    {"x": [np.zeros(1), {"1": np.ones(1)}], "x.1": np.full(1, 2.0), "x.1#2": np.full(1, 3.0)},
    {"a": {"__metadata__": np.zeros(1)}, "a.__metadata__": np.ones(1)},
], ids=["dotted", "key-types", "hash-suffix", "nested-reserved"])
def test_keys_that_spell_the_same_path_keep_their_own_values(tmp_path, state):
    thw.save(state, tmp_path / "c.safetensors")
    loaded = thw.load(tmp_path / "c.safetensors")

    def pairs(value, path=()):  # (path with key types, value) for every leaf
        if isinstance(value, dict):
            return [p for key, item in value.items() for p in pairs(item, (*path, (type(key), key)))]
        if isinstance(value, list):
            return [p for i, item in enumerate(value) for p in pairs(item, (*path, i))]
        return [(path, value.tolist())]

    assert pairs(loaded) == pairs(state)


def test_reserved_name_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(ValueError, match="'__metadata__'.*reserves"):
        thw.save({"__metadata__": np.zeros(1), "w": np.ones(1)}, tmp_path / "r.safetensors")
    assert os.listdir(tmp_path) == []


def _header(entries, body=b""):
    encoded = json.dumps(entries).encode() if not isinstance(entries, bytes) else entries
    return len(encoded).to_bytes(8, "little") + encoded + body


def _u8(begin, end, shape=None):
    return {"dtype": "U8", "shape": [end - begin] if shape is None else shape, "data_offsets": [begin, end]}


def _structure(text):
    return _header({"__metadata__": {"tinygrad_hw.structure": text}, "w": _u8(0, 2)}, bytes(2))


@pytest.mark.parametrize("content", [
    b"",
    b"\xff" * 8 + b"{}",
    (7).to_bytes(8, "little") + b"not json",
    _header([]),
    _header(b"[" * 100_000),
    _header({"a": _u8(0, 4), "b": _u8(2, 6)}, bytes(6)),  # overlapping
    _header({"a": _u8(0, 4), "b": _u8(6, 8)}, bytes(8)),  # a hole
    _header({"a": _u8(0, 4)}, bytes(9)),  # trailing bytes
    _header({"a": _u8(0, 4)}, bytes(3)),  # truncated
    _header(b'{"a":' + json.dumps(_u8(0, 4)).encode() + b',"a":' + json.dumps(_u8(4, 8)).encode() + b"}",
            bytes(8)),  # the same name twice
    _header({"a": _u8(0, 4, [4.7])}, bytes(4)),
    _header({"a": _u8(0, 4, ["4"])}, bytes(4)),
    _header({"a": _u8(0, 1, [True])}, bytes(1)),
    _header({"a": {"dtype": "X9", "shape": [1], "data_offsets": [0, 1]}}, bytes(1)),
    _header({"__metadata__": {"k": 1}}),
    _structure("not json"),
    _structure('{"__array__": "missing"}'),
    _structure('{"__dict__": [[{"__array__": "w"}, 1]]}'),
    _structure('{"__set__": []}'),
    _structure('{"__dict__": 5}'),
    _structure("[" * 100_000 + "]" * 100_000),
    _structure('{"__array__": "w", "__tuple__": []}'),
    _structure("[1, 2]"),
], ids=["empty", "huge-header-length", "not-json", "json-list", "deep-nesting", "overlapping", "hole",
        "trailing-bytes", "truncated", "duplicate-name", "float-shape", "string-shape", "bool-shape", "unknown-dtype",
        "non-string-metadata", "structure-not-json", "structure-missing-tensor", "structure-unhashable-key",
        "structure-unknown-tag", "structure-not-a-list", "structure-deep", "structure-two-tags", "structure-not-dict"])
def test_malformed_files_are_a_checkpoint_error_naming_the_file(tmp_path, content):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(CheckpointError) as info:
        thw.load(path)
    assert str(path) in str(info.value)


def test_the_header_is_checked_before_the_body_is_read(tmp_path):
    path = tmp_path / "big.safetensors"
    path.write_bytes(_header(b"not json"))
    os.truncate(path, 512 << 20)  # sparse: 512 MiB that take no disk
    tracemalloc.start()
    try:
        with pytest.raises(CheckpointError):
            thw.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20


def test_truncated_or_missing_file_is_named(tmp_path):
    thw.save({"w": np.ones((10, 10), np.float32)}, tmp_path / "w.safetensors")
    raw = (tmp_path / "w.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(raw[:-40])
    with pytest.raises(CheckpointError, match="cut.safetensors"):
        thw.load(tmp_path / "cut.safetensors")
    with pytest.raises(FileNotFoundError, match="missing.safetensors"):
        thw.load(tmp_path / "missing.safetensors")


def test_unsavable_values_are_refused_before_writing(tmp_path):
    for bad, match in (({"w": np.array(["a"], dtype=object)}, "dtype object"), ({"w": {1, 2}}, "set"),
                       ({"w": {(1, 2): 3}}, "key"), ([np.ones(1)], "dict")):
        with pytest.raises(TypeError, match=match):
            thw.save(bad, tmp_path / "w.safetensors")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("unnamed_temporary", [True, False])
def test_a_failed_replace_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, unnamed_temporary):
    if not unnamed_temporary:
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    path = tmp_path / "w.safetensors"
    thw.save({"w": np.zeros(3)}, path)
    assert thw.load(path)["w"].tolist() == [0, 0, 0]

    def failing_replace(source, destination):
        assert Path(source).exists()  # the complete temporary is there at this point...
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        thw.save({"w": np.ones(3)}, path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["w.safetensors"]  # ...and gone after the failure
    assert thw.load(path)["w"].tolist() == [0, 0, 0]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_file_mode_follows_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        thw.save({"w": np.zeros(1)}, tmp_path / "w.safetensors")
        thw.save({"w": np.ones(1)}, tmp_path / "w.safetensors")  # replacing, too
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "w.safetensors").st_mode) == 0o666 & ~umask


def _supports_unnamed_temporaries(folder):
    try:
        os.close(os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600))
    except (AttributeError, OSError):
        return False
    return os.path.isdir("/proc/self/fd")


def test_a_crash_while_writing_leaves_only_the_old_file(tmp_path):
    if not _supports_unnamed_temporaries(tmp_path):
        pytest.skip("this platform cannot create unnamed temporary files")
    path = tmp_path / "w.safetensors"
    thw.save({"w": np.zeros(3)}, path)
    crash = ("import os, sys, numpy as np, tinygrad_hw as thw\n"
             "os.fsync = lambda fd: os._exit(3)  # the process dies with the data written, before the rename\n"
             "thw.save({'w': np.ones(3)}, sys.argv[1])\n")
    result = subprocess.run([sys.executable, "-c", crash, str(path)], cwd=Path(__file__).parents[1], timeout=60)
    assert result.returncode == 3
    assert os.listdir(tmp_path) == ["w.safetensors"]
    assert thw.load(path)["w"].tolist() == [0, 0, 0]
