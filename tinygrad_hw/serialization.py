"""`thw.save` / `thw.load` in the safetensors format: raw arrays behind a JSON header.

Loading runs no code (no pickle), and PyTorch users read the same files with
`safetensors.torch.load_file`. Layout: 8-byte little-endian header length, the JSON header
(`{name: {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}`), then the bytes.

A flat {name: array} dict (a model's state_dict) is stored as is. Anything nested (an
optimizer's state_dict) is flattened: arrays become entries named by their path, and the
rest of the structure is kept as JSON in the metadata, so `load` gives the same dict back.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .tensor import Tensor

_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
           "I8": "i1", "U8": "u1", "BOOL": "?"}
_CODES = {np.dtype(v): k for k, v in _DTYPES.items()}
_STRUCTURE_KEY = "tinygrad_hw.structure"
_MAX_HEADER = 100 * 1024 * 1024


class CheckpointError(ValueError):
    """A file that is not a valid safetensors checkpoint."""


def _as_array(value: Any) -> np.ndarray | None:
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch.Tensor
        return value.detach().cpu().numpy()
    return None


def _flatten(value: Any, path: str, arrays: dict) -> Any:
    """Replace arrays by {"__array__": name}; arrays go into `arrays`."""
    array = _as_array(value)
    if array is not None:
        arrays[path] = array
        return {"__array__": path}
    if isinstance(value, dict):
        return {"__dict__": [[_flatten(k, f"{path}.k{i}", arrays), _flatten(v, f"{path}.{k}", arrays)]
                             for i, (k, v) in enumerate(value.items())]}
    if isinstance(value, (list, tuple)):
        items = [_flatten(v, f"{path}.{i}", arrays) for i, v in enumerate(value)]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot save a {type(value).__name__} at {path or 'top level'}: only arrays, "
                    "tensors, numbers, strings, lists, tuples and dicts")


def _unflatten(value: Any, arrays: dict) -> Any:
    if isinstance(value, list):
        return [_unflatten(v, arrays) for v in value]
    if isinstance(value, dict):
        if "__array__" in value:
            return arrays[value["__array__"]]
        if "__tuple__" in value:
            return tuple(_unflatten(v, arrays) for v in value["__tuple__"])
        return {_unflatten(k, arrays): _unflatten(v, arrays) for k, v in value["__dict__"]}
    return value


def save(obj: dict, path: str | os.PathLike) -> None:
    """Write a state dict (or an optimizer's) to `path` as safetensors, atomically.

    >>> thw.save(model.state_dict(), "mlp.safetensors")
    >>> model.load_state_dict(thw.load("mlp.safetensors"))
    """
    if not isinstance(obj, dict):
        raise TypeError(f"save expects a dict (a state_dict), got {type(obj).__name__}")
    flat = {name: _as_array(value) for name, value in obj.items()} if all(isinstance(k, str) for k in obj) else {}
    metadata = {}
    if not flat or any(array is None for array in flat.values()):
        flat = {}
        metadata[_STRUCTURE_KEY] = json.dumps(_flatten(obj, "", flat))
    header, chunks, offset = {}, [], 0
    for name, array in flat.items():
        array = np.ascontiguousarray(array)
        if array.dtype not in _CODES:
            raise TypeError(f"cannot save {name!r}: dtype {array.dtype} has no safetensors code")
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _CODES[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(len(encoded).to_bytes(8, "little"))
            file.write(encoded)
            for chunk in chunks:
                file.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def load(path: str | os.PathLike) -> dict:
    """Read a file written by `save` (or by safetensors.torch.save_file): name -> array.

    >>> state = thw.load("mlp.safetensors")   # runs no code from the file
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    raw = path.read_bytes()

    def invalid(reason: str) -> CheckpointError:
        return CheckpointError(f"{path} is not a valid safetensors checkpoint: {reason}")

    if len(raw) < 8:
        raise invalid(f"the file has only {len(raw)} bytes")
    header_size = int.from_bytes(raw[:8], "little")
    if header_size > min(len(raw) - 8, _MAX_HEADER):
        raise invalid(f"header length {header_size} does not fit in a file of {len(raw)} bytes")
    try:
        header = json.loads(raw[8:8 + header_size])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise invalid(f"the header is not JSON ({error})") from None
    if not isinstance(header, dict):
        raise invalid("the header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    body = memoryview(raw)[8 + header_size:]
    arrays = {}
    for name, entry in header.items():
        try:
            dtype = np.dtype(_DTYPES[entry["dtype"]])
            shape = tuple(int(s) for s in entry["shape"])
            begin, end = (int(o) for o in entry["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise invalid(f"entry {name!r} has a malformed description {entry!r:.200}") from None
        if not 0 <= begin <= end <= len(body) or end - begin != int(np.prod(shape)) * dtype.itemsize:
            raise invalid(f"entry {name!r} ({entry['dtype']} {list(shape)}) has offsets {begin}..{end} "
                          f"that do not match its size or the {len(body)} data bytes (truncated?)")
        arrays[name] = np.frombuffer(body[begin:end], dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))
    if _STRUCTURE_KEY in metadata:
        try:
            return _unflatten(json.loads(metadata[_STRUCTURE_KEY]), arrays)
        except (KeyError, TypeError, ValueError, json.JSONDecodeError) as error:
            raise invalid(f"its structure metadata is damaged ({error})") from None
    return arrays
