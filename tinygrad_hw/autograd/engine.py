"""The reverse-mode engine: walk the graph from the outputs back to the leaves.

It works on nodes alone and imports nothing else of the package. A node (a recorded
`Function`, or the `AccumulateGrad` of a leaf) has `next_functions`: for each forward input,
the (node, output number) its gradient flows into, fixed when the op was recorded. `run_backward`
orders the nodes once (iteratively, so a 100,000-op chain is fine), then calls each node's
`backward` exactly once with the sum of the gradients that reached it. Broadcasting is undone
here, in `sum_to_shape`, for every op at once.
"""

from __future__ import annotations

import numpy as np


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


def topological_order(roots, leaves: bool = False) -> list:
    """Nodes reachable from `roots` (a node or a list of nodes), outputs first: every node
    comes before the nodes of its inputs, so all of its gradient has arrived when it is reached.
    The leaves' `AccumulateGrad` nodes are left out unless `leaves=True`.

    An iterative depth-first search: a node is pushed once to expand it and once more to
    emit it after everything it depends on (then the list is reversed).
    """
    order, visited = [], set()
    stack = [(root, False) for root in (roots if isinstance(roots, list) else [roots])]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            for parent, _ in node.next_functions:
                if parent is not None and parent not in visited and (leaves or not parent.is_accumulator):
                    stack.append((parent, False))
    order.reverse()
    return order


def _add(grads: dict, node, number: int, grad: np.ndarray) -> None:
    """Add `grad` to what has reached output `number` of `node`."""
    if node._num_outputs == 1:
        previous = grads.get(node)
        grads[node] = grad if previous is None else previous + grad
    else:
        slots = grads.setdefault(node, [None] * node._num_outputs)
        slots[number] = grad if slots[number] is None else slots[number] + grad


def run_backward(roots: list, root_grads: list, retain_graph: bool, capture: list | None = None,
                 check_nan: bool = False) -> list | None:
    """Propagate `root_grads` from the (node, output number) pairs `roots` to the leaves.

    Without `capture`, every leaf's gradient is added into its `.grad` as it arrives (a leaf
    with hooks gets its total once, at the end). With `capture`, a list of (node, output number)
    pairs, nothing is accumulated: the total gradient reaching each pair is returned instead
    (what `thw.autograd.grad` asks for).
    """
    grads: dict = {}
    for (node, number), grad in zip(roots, root_grads):
        _add(grads, node, number, grad)
    wanted = None
    if capture is not None:
        wanted = {}
        for position, (node, number) in enumerate(capture):
            wanted.setdefault(node, []).append((number, position))
        captured = [None] * len(capture)
    for node in topological_order([node for node, _ in roots if not node.is_accumulator]):
        buffer = grads.pop(node, None)
        if buffer is None:
            continue
        several = node._num_outputs != 1
        if node._tensor_hooks:
            buffer = _run_hooks(node, buffer, several)
        if node._retained:
            for number, tensor in node._retained:
                grad = buffer[number] if several else buffer
                if grad is not None:
                    tensor._accumulate_grad(grad, grad)
        if wanted is not None and node in wanted:
            for number, position in wanted[node]:
                captured[position] = buffer[number] if several else buffer
        if several:
            if node._materialize_grads:
                buffer = [np.zeros(shape, dtype) if grad is None else grad
                          for grad, (shape, dtype) in zip(buffer, node.output_metadata)]
            input_grads = node.backward(node, *buffer)
        else:
            input_grads = node.backward(node, buffer)
        if type(input_grads) is not tuple:
            input_grads = (input_grads,)
        inputs = node.inputs
        if len(input_grads) < len(inputs):
            input_grads = _pad_for_options(node, input_grads)
        for index, (parent, number) in enumerate(node.next_functions):
            if parent is None:
                continue
            grad = input_grads[index]
            if grad is None:
                continue
            data = inputs[index]._data
            if type(grad) is not np.ndarray:
                grad = np.asarray(grad)
            if grad.shape != data.shape:
                try:
                    grad = sum_to_shape(grad, data.shape)
                except ValueError as error:
                    raise RuntimeError(f"{node.name()}: {error}") from None
            if grad.dtype != data.dtype:
                grad = grad.astype(data.dtype)
            if check_nan and np.isnan(grad).any():
                raise RuntimeError(f"Function '{node.name()}' returned nan values in its {index}th output.")
            if parent.is_accumulator and wanted is None and not parent.variable._hooks:
                parent.variable._accumulate_grad(grad, grad if several else buffer)  # a leaf: straight into .grad
            elif parent._num_outputs == 1:
                previous = grads.get(parent)
                grads[parent] = grad if previous is None else previous + grad
            else:
                _add(grads, parent, number, grad)
        if not retain_graph:
            node.free()
    for node, grad in grads.items():  # what reached the leaves and was held back
        if wanted is not None:
            for _, position in wanted.get(node, ()):
                captured[position] = grad
        elif node.is_accumulator:
            node.accumulate(grad, grad)
    return captured if capture is not None else None


def _pad_for_options(node, input_grads: tuple) -> tuple:
    """A backward may leave out the gradients of trailing options (non-tensor inputs such as
    the dims of `Sum.apply(x, (1,))`); a tensor input must get one, None if it needs none."""
    missing = node.inputs[len(input_grads):]
    if any(hasattr(value, "_data") for value in missing):  # a Tensor
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients (expected "
            f"{len(node.inputs)}, got {len(input_grads)}); return None for inputs that need none")
    return input_grads + (None,) * len(missing)


def _run_hooks(node, buffer, several: bool):
    """Tensor hooks registered on a node's outputs: each maps an array to an array (or None)."""
    if several:
        buffer = list(buffer)
    for number, hook in node._tensor_hooks:
        grad = buffer[number] if several else buffer
        if grad is None:
            continue
        result = hook(grad)
        if result is not None:
            if several:
                buffer[number] = result
            else:
                buffer = result
    return buffer
