"""`Function`: the one mechanism behind every differentiable op, built-in or user-written.

An op is a subclass with two static methods side by side, as PyTorch documents them:

    class Cube(Function):
        @staticmethod
        def forward(ctx, x):              # NumPy arrays in, a NumPy array out
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):   # one gradient per forward input
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * grad_output

`Cube.apply(t)` runs `forward` on the arrays inside the tensors and, when a gradient is
needed, records the call as a node of the graph: the instance itself is the `ctx`, and it
becomes the output's `grad_fn`. One rule for options: `backward` reads only what `forward`
stored on `ctx` (`ctx.dim = dim`), whether the option came positionally or by keyword.
Gradients may have the broadcast shape of the output; the engine sums them back to each
input's shape, so no op has to. A forward may return a tuple: then backward receives one
gradient per output (zeros for outputs that got none, unless `ctx.set_materialize_grads(False)`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from .grad_mode import STATE


class Function:
    """Base class of every op; subclass it and call `YourOp.apply(...)`."""

    # Set by `apply` on recorded nodes; read by the engine, `viz` and `check_graph`.
    inputs: tuple = ()
    needs_input_grad: tuple = ()
    next_functions: tuple = ()
    _num_outputs = 1
    _saved: tuple | None = ()
    _saved_versions: tuple = ()
    _non_differentiable: tuple = ()
    _materialize_grads = True
    _call_kwargs: dict = {}   # kept only so that `check_graph` can replay the call
    _tensor_hooks: list | None = None
    _retained: list | None = None
    is_accumulator = False

    @staticmethod
    def forward(ctx: "Function", *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a Function subclass must define forward(ctx, ...)")

    @staticmethod
    def backward(ctx: "Function", *grad_outputs: np.ndarray) -> Any:
        raise NotImplementedError("a Function subclass must define backward(ctx, grad_output)")

    # ------------------------------------------------------------------ what forward may call
    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays for `backward`; the engine frees them after the backward pass, and an
        in-place change to a saved input or output makes that backward raise."""
        self._saved = arrays

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Outputs (arrays returned by forward) that get no gradient, e.g. argmax indices."""
        self._non_differentiable = tuple(id(output) for output in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """With False, backward receives None (not zeros) for outputs that got no gradient."""
        self._materialize_grads = bool(value)

    @property
    def saved_tensors(self) -> tuple:
        """What forward saved, after checking that no in-place op has changed it since."""
        if self._saved is None:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (at {self.name()}): its saved "
                "arrays were freed by the first backward. Specify retain_graph=True in the first "
                "backward() call if you need to backward twice.")
        for counter, version, array in self._saved_versions:
            if counter[0] != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an "
                    f"inplace operation: [{array.dtype} tensor of shape {list(array.shape)}], saved "
                    f"by {self.name()}, is at version {counter[0]}; expected version {version} "
                    "instead. Hint: use an out-of-place op (x = x + 1, not x += 1) or .clone() the "
                    "tensor before changing it.")
        return self._saved

    saved_variables = saved_tensors

    def name(self) -> str:
        """The node's name as PyTorch prints it, e.g. ``MulBackward0``.

        >>> (x * 2).grad_fn.name()
        'MulBackward0'
        """
        return type(self).__name__.lstrip("_") + "Backward0"

    # ------------------------------------------------------------------ running and recording
    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run the op on tensors (or plain values) and record it when a gradient is needed.

        >>> y = Cube.apply(thw.tensor([2.0], requires_grad=True))   # Tensor([8.])
        """
        ctx = cls.__new__(cls)
        needs = tuple([isinstance(a, Tensor) and a.requires_grad for a in args])
        ctx.needs_input_grad = needs
        arrays = [a._data if isinstance(a, Tensor) else a for a in args]
        result = cls.forward(ctx, *arrays, **kwargs)
        if type(result) is tuple:
            return _wrap_outputs(ctx, args, arrays, kwargs, result, STATE.grad_enabled and True in needs)
        out = result if type(result) is np.ndarray else np.asarray(result)
        if STATE.anomaly_check_forward:
            _check_forward(cls, (out,))
        if not (STATE.grad_enabled and True in needs):
            return _mark_view(Tensor._make(out, False, None), args)
        _record(ctx, args, kwargs)
        ctx._output_meta = ((out.shape, out.dtype),)
        if out.dtype.kind != "f" or (ctx._non_differentiable and id(out) in ctx._non_differentiable):
            return Tensor._make(out, False, None)
        tensor = _mark_view(Tensor._make(out, True, ctx), args)
        if ctx._saved:
            ctx._saved_versions = _saved_versions(ctx._saved, args, arrays, (tensor,))
        return tensor

    @property
    def output_metadata(self) -> tuple:
        """(shape, dtype) of each output, as recorded."""
        return self._output_meta

    def free(self) -> None:
        """Drop what the node saved for backward (called by the engine unless retain_graph)."""
        self._saved = None

    def register_hook(self, hook: Any) -> None:
        """`hook(grad_inputs, grad_outputs)` as PyTorch's node hooks are not supported; use
        `Tensor.register_hook`."""
        raise NotImplementedError("node hooks are not supported; use Tensor.register_hook")

    def __repr__(self) -> str:
        return f"<{self.name()} object>"


class AccumulateGrad:
    """The graph node of a leaf that requires grad: adds what reaches it into `.grad`.

    Made once per leaf and kept on it, so `grad_fn.next_functions` shows it as PyTorch does.
    """

    is_accumulator = True
    next_functions: tuple = ()
    inputs: tuple = ()
    needs_input_grad: tuple = ()
    _num_outputs = 1
    _tensor_hooks = None
    _retained = None

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def name(self) -> str:
        return "AccumulateGrad"

    def accumulate(self, grad: np.ndarray, shared_with: np.ndarray) -> None:
        self.variable._accumulate_grad(grad, shared_with)

    def free(self) -> None:
        pass

    def __repr__(self) -> str:
        return "<AccumulateGrad object>"


def _record(ctx: Function, args: tuple, kwargs: dict) -> None:
    """Make `ctx` a node of the graph: its inputs and the edges their gradients flow into."""
    ctx.inputs = args
    if kwargs:
        ctx._call_kwargs = kwargs
    edges = []
    for arg, need in zip(args, ctx.needs_input_grad):
        if not need:
            edges.append(_NO_EDGE)
        elif arg.grad_fn is not None:
            edges.append((arg.grad_fn, arg._output_nr))
        else:
            edges.append((arg._grad_accumulator or _accumulator(arg), 0))
    ctx.next_functions = tuple(edges)


def _mark_view(tensor: Tensor, args: tuple) -> Tensor:
    """When the output's array views the first input's memory (index, reshape, transpose...),
    the output is a view: it shares the input's version counter, and an in-place op on it is
    recorded on its base too (see `Tensor._inplace`)."""
    owner = tensor._data.base
    if owner is not None and args and isinstance(args[0], Tensor):
        first = args[0]
        if owner is (first._data if first._data.base is None else first._data.base):
            tensor._view_base = first if first._view_base is None else first._view_base
            tensor._version = first._version
    return tensor


def _wrap_outputs(ctx: Function, args: tuple, arrays: list, kwargs: dict, result: tuple, record: bool) -> tuple:
    """The tensors of a forward that returned several arrays."""
    outputs = [out if type(out) is np.ndarray else np.asarray(out) for out in result]
    if STATE.anomaly_check_forward:
        _check_forward(type(ctx), outputs)
    if not record:
        return tuple(_mark_view(Tensor._make(out, False, None), args) for out in outputs)
    _record(ctx, args, kwargs)
    ctx._num_outputs = len(outputs)
    ctx._output_meta = tuple((out.shape, out.dtype) for out in outputs)
    tensors = []
    for number, out in enumerate(outputs):
        differentiable = out.dtype.kind == "f" and id(out) not in ctx._non_differentiable
        tensor = _mark_view(Tensor._make(out, differentiable, ctx if differentiable else None), args)
        tensor._output_nr = number
        tensors.append(tensor)
    if ctx._saved:
        ctx._saved_versions = _saved_versions(ctx._saved, args, arrays, tensors)
    return tuple(tensors)


def _check_forward(cls: type, outputs: Any) -> None:
    for out in outputs:
        if out.dtype.kind == "f" and np.isnan(out).any():
            raise RuntimeError(f"Function '{cls.__name__}' returned nan values in its forward output.")


_NO_EDGE = (None, 0)


def _edge(tensor: Tensor) -> tuple:
    """(node, output number) that a gradient for `tensor` flows into."""
    if tensor.grad_fn is not None:
        return tensor.grad_fn, tensor._output_nr
    return tensor._grad_accumulator or _accumulator(tensor), 0


def _accumulator(leaf: Tensor) -> AccumulateGrad:
    leaf._grad_accumulator = AccumulateGrad(leaf)
    return leaf._grad_accumulator


def _saved_versions(saved: tuple, args: tuple, arrays: list, outputs: Any) -> list:
    """(version counter, version, array) for every saved array that is an input's or an output's
    own array, so that a later in-place change to it is caught before backward reads stale values.
    The counters are kept, not the tensors: an output's tensor kept by its own node would make a
    reference cycle that only the garbage collector frees."""
    checks = []
    for kept in saved:
        for out in outputs:
            if kept is out._data:
                checks.append((out._version, 0, kept))
                break
        else:
            for arg, array in zip(args, arrays):
                if kept is array and arg is not array:
                    checks.append((arg._version, arg._version[0], kept))
                    break
    return checks
