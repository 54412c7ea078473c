"""`thw.autograd.grad` and `thw.autograd.backward`: gradients of outputs with respect to any
tensors, as PyTorch's functional autograd API gives them."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..tensor import Tensor, _root_gradient
from . import engine
from .function import _edge
from .grad_mode import STATE


def _as_list(value: Any) -> list:
    return [value] if isinstance(value, (Tensor, np.ndarray)) or value is None else list(value)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None, is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple:
    """d outputs / d inputs (weighted by `grad_outputs`) for any tensors, leaves or not; no
    `.grad` is touched.

    >>> x = thw.tensor([1.0, 2.0], requires_grad=True)
    >>> thw.autograd.grad((x * x).sum(), x)
    (Tensor([2., 4.]),)
    """
    if create_graph or is_grads_batched:
        raise NotImplementedError("create_graph and is_grads_batched (higher-order gradients) are not supported")
    outputs, inputs = _as_list(outputs), _as_list(inputs)
    grad_outputs = [None] * len(outputs) if grad_outputs is None else _as_list(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"grad requires one gradient per output: got {len(grad_outputs)} for {len(outputs)} outputs")
    for position, tensor in enumerate(inputs):
        if not tensor.requires_grad:
            raise RuntimeError(f"One of the differentiated Tensors (input {position}) does not require grad")
    roots, root_grads = [], []
    for position, (output, gradient) in enumerate(zip(outputs, grad_outputs)):
        if not output.requires_grad:
            raise RuntimeError(f"element {position} of tensors does not require grad and does not have a grad_fn")
        roots.append(_edge(output))
        root_grads.append(_root_gradient(output, gradient))
    found = engine.run_backward(roots, root_grads, bool(retain_graph), capture=[_edge(t) for t in inputs],
                                check_nan=STATE.anomaly_enabled)
    result = []
    for position, (tensor, array) in enumerate(zip(inputs, found)):
        if array is None:
            if not (allow_unused or materialize_grads):
                raise RuntimeError(f"One of the differentiated Tensors (input {position}) appears to not have "
                                   "been used in the graph. Set allow_unused=True if this is the desired behavior.")
            result.append(Tensor._make(tensor._data * 0, False, None) if materialize_grads else None)
        else:
            result.append(Tensor._make(array, False, None))
    return tuple(result)


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Sequence[Tensor] | None = None) -> None:
    """Backward from several outputs at once, adding into the leaves' `.grad`.

    >>> thw.autograd.backward([loss_a, loss_b])
    """
    tensors = _as_list(tensors)
    grad_tensors = [None] * len(tensors) if grad_tensors is None else _as_list(grad_tensors)
    if inputs is not None:
        for tensor, gradient in zip(tensors, grad_tensors):
            tensor.backward(gradient, retain_graph=True if retain_graph is None else retain_graph, inputs=inputs)
        return
    roots, root_grads = [], []
    for tensor, gradient in zip(tensors, grad_tensors):
        if not tensor.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        roots.append(_edge(tensor))
        root_grads.append(_root_gradient(tensor, gradient))
    engine.run_backward(roots, root_grads, bool(retain_graph), check_nan=STATE.anomaly_enabled)
