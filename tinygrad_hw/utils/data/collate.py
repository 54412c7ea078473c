"""`default_collate` (a list of items -> one batch) and `default_convert` (arrays -> Tensors),
with PyTorch's rules: Tensors and arrays are stacked, Python ints become int64 and Python
floats float64 tensors (as in PyTorch), NumPy scalars keep their dtype, dicts, tuples and
lists are collated field by field (tuples become lists, named tuples stay), strings stay a list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...ops.shape import stack
from ...tensor import Tensor

_COLLATE_ERROR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def _tensor(array: np.ndarray) -> Tensor:
    return Tensor._make(array, False, None)


def _is_namedtuple(item: Any) -> bool:
    return isinstance(item, tuple) and hasattr(item, "_fields")


def _stack(tensors: list[Tensor]) -> Tensor:
    """`thw.stack`, without recording a graph when no tensor requires grad (the usual case for data)."""
    if any(t.requires_grad for t in tensors) or len({t.shape for t in tensors}) > 1:
        return stack(tensors)  # records the graph, or raises PyTorch's error for unequal shapes
    return _tensor(np.stack([t._data for t in tensors]))


def _same_type(like: Any, values: Any) -> Any:
    """`values` (a dict or a list) in the container type of `like` where that type can be built from it."""
    if type(like) in (dict, list):
        return values
    try:
        return type(like)(values)
    except TypeError:
        return values


def default_collate(batch: list) -> Any:
    """Merge a list of items into a batch: the DataLoader's default `collate_fn`.

    >>> default_collate([(thw.zeros(2), 1), (thw.ones(2), 0)])
    [Tensor([[0., 0.], [1., 1.]]), Tensor([1, 0])]
    """
    item = batch[0]
    if isinstance(item, Tensor):
        return _stack(batch)
    if isinstance(item, np.ndarray):
        if item.dtype.kind in "SaUO":
            raise TypeError(_COLLATE_ERROR.format(item.dtype))
        return _stack([_tensor(np.asarray(element)) for element in batch])
    if isinstance(item, np.generic) and not isinstance(item, (np.str_, np.bytes_)):
        return _tensor(np.array(batch))
    if isinstance(item, float):
        return _tensor(np.array(batch, dtype=np.float64))
    if isinstance(item, int):  # bool included (a bool tensor)
        return _tensor(np.array(batch))
    if isinstance(item, (str, bytes)):
        return batch
    if isinstance(item, Mapping):
        return _same_type(item, {key: default_collate([element[key] for element in batch]) for key in item})
    if _is_namedtuple(item):
        return type(item)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(item, Sequence):
        if any(len(element) != len(item) for element in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        fields = [default_collate(list(field)) for field in zip(*batch)]
        return fields if isinstance(item, tuple) else _same_type(item, fields)  # tuples become lists, as in PyTorch
    raise TypeError(_COLLATE_ERROR.format(type(item)))


def default_convert(data: Any) -> Any:
    """Arrays and NumPy scalars -> Tensors, inside dicts, tuples and lists (the `collate_fn`
    when `batch_size=None`, i.e. without batching).

    >>> default_convert((np.zeros(2), 1))
    [Tensor([0., 0.], dtype=float64), 1]
    """
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if data.dtype.kind in "SaUO" else _tensor(data)
    if isinstance(data, np.generic) and not isinstance(data, (np.str_, np.bytes_)):
        return _tensor(np.asarray(data))
    if isinstance(data, Mapping):
        return _same_type(data, {key: default_convert(value) for key, value in data.items()})
    if _is_namedtuple(data):
        return type(data)(*(default_convert(field) for field in data))
    if isinstance(data, tuple):
        return [default_convert(field) for field in data]  # a list, as in PyTorch
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return _same_type(data, [default_convert(field) for field in data])
    return data
