"""The reverse-mode engine: walk the graph from the output back to the leaves.

The graph is made of `Function` nodes (see `function.py`): each knows its `inputs` and which
of them need a gradient. `backward` orders the nodes once (iteratively, so a 100,000-op chain
is fine), then calls each node's `backward` exactly once with the sum of the gradients that
reached it. Broadcasting is undone here, in `sum_to_shape`, for every op at once.
"""

from __future__ import annotations

import numpy as np

from .grad_mode import STATE


def sum_to_shape(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum a broadcast gradient back to the shape of the input it belongs to.

    >>> sum_to_shape(np.ones((2, 3, 4)), (3, 1)).tolist()   # each entry summed 2*4 times
    [[8.0], [8.0], [8.0]]
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra < 0:
        raise ValueError(f"gradient of shape {grad.shape} has fewer dims than its input {shape}")
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1)
    if any(size != 1 and grad.shape[extra + i] != size for i, size in enumerate(shape)):
        raise ValueError(f"gradient of shape {grad.shape} does not broadcast to its input {shape}")
    return grad.sum(axis=axes, keepdims=True).reshape(shape) if axes else grad.reshape(shape)


def topological_order(root) -> list:
    """Nodes reachable from `root`, root first; every node comes before the nodes that made
    its inputs, so all of its gradient has arrived by the time it is reached.

    An iterative depth-first search: a node is pushed once to expand it and once more to
    emit it after everything it depends on (then the list is reversed).
    """
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            for tensor, needed in zip(node.inputs, node.needs_input_grad):
                if needed and tensor.grad_fn is not None and tensor.grad_fn not in visited:
                    stack.append((tensor.grad_fn, False))
    order.reverse()
    return order


def backward(root, gradient: np.ndarray, retain_graph: bool) -> None:
    """Accumulate d(root)/d(leaf) * gradient into every leaf's `.grad`."""
    grads = {root.grad_fn: gradient}
    check_nan = STATE.anomaly_enabled
    for node in topological_order(root.grad_fn):
        grad_output = grads.pop(node, None)
        if grad_output is None:
            continue
        if node._freed:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (at {node.name}): its "
                "saved arrays were freed by the first backward. Specify retain_graph=True in "
                "the first backward() call if you need to backward twice.")
        if node._hooks:
            grad_output = _run_hooks(node._hooks, grad_output)
        if node._retained_output is not None:
            node._retained_output._accumulate_grad(grad_output, grad_output)
        input_grads = node.backward(node, grad_output)
        if type(input_grads) is not tuple:
            input_grads = (input_grads,)
        inputs = node.inputs
        if len(input_grads) < len(inputs):
            raise RuntimeError(
                f"{type(node).__name__}.backward returned {len(input_grads)} gradients, "
                f"but forward took {len(inputs)} inputs (return None for the others)")
        for index, needed in enumerate(node.needs_input_grad):
            grad = input_grads[index] if needed else None
            if grad is None:
                continue
            tensor = inputs[index]
            data = tensor._data
            if type(grad) is not np.ndarray:
                grad = np.asarray(grad)
            if grad.shape != data.shape:
                try:
                    grad = sum_to_shape(grad, data.shape)
                except ValueError as error:
                    raise RuntimeError(f"{type(node).__name__}.backward: {error}") from None
            if grad.dtype != data.dtype:
                grad = grad.astype(data.dtype)
            if check_nan and np.isnan(grad).any():
                raise RuntimeError(f"Function '{node.name}' returned nan values in its {index}th output.")
            parent = tensor.grad_fn
            if parent is None:
                tensor._accumulate_grad(grad, grad_output)
            else:
                previous = grads.get(parent)
                grads[parent] = grad if previous is None else previous + grad
        if not retain_graph:
            node.free()


def _run_hooks(hooks: list, grad: np.ndarray) -> np.ndarray:
    from ..tensor import Tensor  # hooks see and return Tensors, as in PyTorch

    for hook in hooks:
        result = hook(Tensor._make(grad, False, None))
        if result is not None:
            grad = result._data if isinstance(result, Tensor) else np.asarray(result)
    return grad
