"""`thw.save` / `thw.load` in the safetensors format, read and written by the `safetensors` package.

Loading runs no code (no pickle), and PyTorch users read the same files with
`safetensors.torch.load_file`. The file format itself is the reference package's business
(its NumPy API); this module adds what a training program needs on top:

- nested state (an optimizer's state_dict: numbers, lists, tuples, dicts with integer keys) is
  kept as JSON in the header's metadata, each array replaced by the name of its tensor entry.
  Tensor names are the dotted paths (`state.0.momentum_buffer`), made unique when two paths
  spell the same (`{"a.b": x, "a": {"b": y}}`), so every array comes back to its own place;
- every malformed file raises `CheckpointError` naming the file;
- writing is atomic: the bytes go to a temporary file that is synced and then renamed over
  the destination, so a crash leaves either the old checkpoint or the new one; the file's
  permissions follow the user's umask, like any file the user creates.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import numpy as np
import safetensors
import safetensors.numpy

from .tensor import Tensor

_STRUCTURE_KEY = "tinygrad_hw.structure"
_RESERVED = "__metadata__"  # the safetensors header's own entry; no tensor may carry this name
# The safetensors codes that have a NumPy dtype (BF16 and the F8 codes have none).
_NUMPY_CODES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32,
                "I16": np.int16, "I8": np.int8, "U64": np.uint64, "U32": np.uint32, "U16": np.uint16,
                "U8": np.uint8, "BOOL": np.bool_, "C64": np.complex64}
_SAVABLE = {np.dtype(dtype) for dtype in _NUMPY_CODES.values()}


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


def _flatten(obj: dict) -> tuple[dict[str, np.ndarray], Any]:
    """(tensor entries, JSON structure): arrays become {"__array__": name} with unique names.

    Dicts become {"__dict__": [[key, value], ...]} (keys keep their type: 0 and "0" differ),
    tuples {"__tuple__": [...]}, lists stay lists, numbers and strings stay as they are.
    """
    arrays: dict[str, np.ndarray] = {}

    def unique_name(path: str) -> str:
        name, count = path, 1
        while name in arrays or name == _RESERVED:
            count += 1
            name = f"{path}#{count}"
        return name

    def encode(value: Any, path: str) -> Any:
        array = _as_array(value)
        if array is not None:
            array = np.asarray(array, dtype=array.dtype.newbyteorder("="), order="C")
            if array.dtype not in _SAVABLE:
                raise TypeError(f"cannot save {path!r}: dtype {array.dtype} has no safetensors code "
                                f"(savable: {', '.join(sorted(str(d) for d in _SAVABLE))})")
            name = unique_name(path)
            arrays[name] = array
            return {"__array__": name}
        if isinstance(value, dict):
            items = []
            for key, item in value.items():
                if not (key is None or isinstance(key, (str, int, float))):
                    raise TypeError(f"cannot save the key {key!r} at {path or 'top level'}: dict keys must be "
                                    "strings, numbers, booleans or None")
                items.append([key, encode(item, f"{path}.{key}" if path else str(key))])
            return {"__dict__": items}
        if isinstance(value, (list, tuple)):
            items = [encode(item, f"{path}.{i}" if path else str(i)) for i, item in enumerate(value)]
            return {"__tuple__": items} if isinstance(value, tuple) else items
        if isinstance(value, (np.integer, np.floating, np.bool_)):
            return value.item()
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise TypeError(f"cannot save a {type(value).__name__} at {path or 'top level'}: only arrays, "
                        "tensors, numbers, strings, lists, tuples and dicts")

    if _RESERVED in obj:
        raise ValueError(f"cannot save the key {_RESERVED!r}: safetensors reserves that name for its header")
    return arrays, encode(obj, "")


def _unflatten(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(value, list):
        return [_unflatten(item, arrays) for item in value]
    if isinstance(value, dict):
        (tag, content), = value.items()  # exactly one tag, else ValueError
        if tag == "__array__":
            return arrays[content]
        if tag == "__tuple__":
            return tuple(_unflatten(item, arrays) for item in content)
        if tag == "__dict__":
            return {key: _unflatten(item, arrays) for key, item in content}
        raise ValueError(f"unknown tag {tag!r}")
    return value


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a synced temporary file and one rename.

    On Linux the temporary is an unnamed file (O_TMPFILE) that only gets a name once complete,
    so even a killed process leaves nothing behind; elsewhere it is a uniquely named hidden file,
    removed on every failure. Created with mode 0o666, so the umask decides as for any file.
    """
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    if not (hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")):
        _write_named(temporary, path, data)
        return
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            handle = os.open(".", os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666, dir_fd=folder)
        except OSError:  # a file system without O_TMPFILE
            _write_named(temporary, path, data)
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
                # linkat(AT_SYMLINK_FOLLOW) through /proc gives the complete file its (temporary) name
                os.link(f"/proc/self/fd/{file.fileno()}", temporary.name, src_dir_fd=folder, dst_dir_fd=folder,
                        follow_symlinks=True)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        os.fsync(folder)  # the rename itself survives a power cut
    finally:
        os.close(folder)


def _write_named(temporary: Path, path: Path, data: bytes) -> None:
    try:
        handle = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def save(obj: dict, path: str | os.PathLike) -> None:
    """Write a state dict (a model's or an optimizer's) to `path` as safetensors, atomically.

    >>> thw.save(model.state_dict(), "mlp.safetensors")
    >>> model.load_state_dict(thw.load("mlp.safetensors"))
    """
    if not isinstance(obj, dict):
        raise TypeError(f"save expects a dict (a state_dict), got {type(obj).__name__}")
    arrays, structure = _flatten(obj)
    data = safetensors.numpy.save(arrays, metadata={_STRUCTURE_KEY: json.dumps(structure)})
    _write_atomically(Path(path), data)


def load(path: str | os.PathLike, map_location: Any = None, *, weights_only: Any = None) -> dict:
    """Read a file written by `save` or by safetensors (NumPy or PyTorch flavour).

    Gives back what `save` was given (arrays for tensors); a file from elsewhere gives
    {name: array}. `map_location` and `weights_only` are accepted for PyTorch programs and
    ignored (everything loads to the CPU, and a safetensors file holds nothing but weights).

    >>> state = thw.load("mlp.safetensors")   # runs no code from the file
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")

    def invalid(reason: str) -> CheckpointError:
        return CheckpointError(f"{path} is not a valid safetensors checkpoint: {reason}")

    try:
        with safetensors.safe_open(path, framework="np") as file:
            metadata = file.metadata() or {}
            names = list(file.keys())
            for name in names:
                code = file.get_slice(name).get_dtype()
                if code not in _NUMPY_CODES:
                    raise invalid(f"tensor {name!r} has dtype {code}, which NumPy cannot hold")
            arrays = {name: file.get_tensor(name) for name in names}
    except safetensors.SafetensorError as error:
        raise invalid(str(error)) from None
    if _STRUCTURE_KEY not in metadata:
        return arrays
    try:
        structure = _unflatten(json.loads(metadata[_STRUCTURE_KEY]), arrays)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
        raise invalid(f"its {_STRUCTURE_KEY} metadata is damaged ({type(error).__name__}: {error})") from None
    if not isinstance(structure, dict):
        raise invalid(f"its {_STRUCTURE_KEY} metadata does not describe a dict")
    return structure
