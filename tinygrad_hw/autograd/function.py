"""`Function`: the one mechanism behind every differentiable op, built-in or user-written.

An op is a subclass with two static methods side by side:

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
becomes the output's `grad_fn`. Gradients may have the broadcast shape of the output; the
engine sums them back to each input's shape, so no op has to.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .grad_mode import STATE
from ..tensor import Tensor


class Function:
    """Base class of every op; subclass it and call `YourOp.apply(...)`."""

    # Set by `apply` on recorded nodes; read by the engine, `viz` and `check_graph`.
    inputs: tuple = ()
    needs_input_grad: list = []
    forward_kwargs: dict = {}
    output_shape: tuple = ()
    output_dtype: Any = None
    _saved: tuple | None = ()
    _freed = False
    _hooks: list | None = None
    _retained_output: Tensor | None = None

    @staticmethod
    def forward(ctx: "Function", *args: Any, **kwargs: Any) -> np.ndarray:
        raise NotImplementedError("a Function subclass must define forward(ctx, ...)")

    @staticmethod
    def backward(ctx: "Function", grad_output: np.ndarray) -> Any:
        raise NotImplementedError("a Function subclass must define backward(ctx, grad_output)")

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays for `backward`; the engine frees them after the backward pass."""
        self._saved = arrays

    @property
    def saved_tensors(self) -> tuple:
        if self._saved is None:
            raise RuntimeError(
                f"Trying to backward through {self.name} a second time, but its saved arrays "
                "were freed after the first backward. Pass retain_graph=True to the first "
                "backward() if you need to backward through the graph again.")
        return self._saved

    @property
    def name(self) -> str:
        """The node's name as PyTorch prints it, e.g. ``MulBackward``."""
        return type(self).__name__.lstrip("_") + "Backward"

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Tensor:
        """Run the op on tensors (or plain numbers) and record it when a gradient is needed.

        >>> y = Cube.apply(thw.tensor([2.0], requires_grad=True))   # Tensor([8.])
        """
        ctx = cls.__new__(cls)
        needs = [isinstance(a, Tensor) and a.requires_grad for a in args]
        record = STATE.grad_enabled and True in needs
        ctx.needs_input_grad = needs
        arrays = [a._data if isinstance(a, Tensor) else a for a in args]
        out = cls.forward(ctx, *arrays, **kwargs)
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        if STATE.anomaly_check_forward and out.dtype.kind == "f" and np.isnan(out).any():
            raise RuntimeError(f"Function '{cls.__name__}' returned nan values in its forward output.")
        if not record:
            return Tensor._make(out, False, None)
        ctx.inputs = args
        if kwargs:
            ctx.forward_kwargs = kwargs
        ctx.output_shape = out.shape
        ctx.output_dtype = out.dtype
        return Tensor._make(out, True, ctx)

    def free(self) -> None:
        """Drop what the node saved for backward (called by the engine unless retain_graph)."""
        self._saved = None
        self._freed = True

    def __repr__(self) -> str:
        return f"<{self.name}>"
