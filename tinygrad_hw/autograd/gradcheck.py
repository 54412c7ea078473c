"""Check analytic gradients against numeric central differences, as torch.autograd.gradcheck.

The whole Jacobian of every output with respect to every input that requires grad is built
twice: numerically, column by column, from (f(x+eps) - f(x-eps)) / 2eps, and analytically,
row by row, by `backward` with a one-hot output gradient. They must agree to
|analytic - numeric| <= atol + rtol * |numeric|; the error names the worst element.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

from ..tensor import Tensor
from .backward import grad
from .grad_mode import no_grad


class GradcheckError(RuntimeError):
    """Raised by `gradcheck` when an analytic gradient disagrees with the numeric one."""


def _as_tuple(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _float_outputs(outputs: tuple) -> list[int]:
    return [i for i, out in enumerate(outputs) if isinstance(out, Tensor) and out.dtype.kind == "f"]


def numeric_jacobians(func: Callable, inputs: tuple, eps: float) -> tuple[dict, list]:
    """{(output, input): Jacobian (output size x input size)} by central differences, and the
    outputs' shapes."""
    with no_grad():
        outputs = _as_tuple(func(*inputs))
    jacobians = {}
    for input_index, tensor in enumerate(inputs):
        if not (isinstance(tensor, Tensor) and tensor.requires_grad):
            continue
        values = tensor._data
        for out_index in _float_outputs(outputs):
            jacobians[out_index, input_index] = np.zeros((outputs[out_index]._data.size, values.size))
        for flat in range(values.size):
            position = np.unravel_index(flat, values.shape)
            original = values[position].copy()
            with no_grad():  # copies: an output may be a view of the input being perturbed
                values[position] = original + eps
                plus = [np.array(out, dtype=np.float64) for out in _as_tuple(func(*inputs))]
                values[position] = original - eps
                minus = [np.array(out, dtype=np.float64) for out in _as_tuple(func(*inputs))]
            values[position] = original
            for out_index in _float_outputs(outputs):
                difference = plus[out_index] - minus[out_index]
                jacobians[out_index, input_index][:, flat] = difference.ravel() / (2 * eps)
    return jacobians, [np.shape(out) for out in outputs]


def analytic_jacobians(func: Callable, inputs: tuple) -> dict:
    """{(output, input): Jacobian} by one backward pass per output element, through
    `autograd.grad`, so the gradients are those of the tensors given (leaves or not) and no
    `.grad` is touched."""
    differentiable = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    outputs = _as_tuple(func(*inputs))
    jacobians = {}
    for out_index in _float_outputs(outputs):
        output = outputs[out_index]
        for i in differentiable:
            jacobians[out_index, i] = np.zeros((output._data.size, inputs[i]._data.size))
        if not output.requires_grad:
            continue
        for row in range(output._data.size):
            one_hot = np.zeros(output.shape, output.dtype)
            one_hot[np.unravel_index(row, output.shape)] = 1
            grads = grad(output, [inputs[i] for i in differentiable], one_hot, retain_graph=True, allow_unused=True)
            for i, gradient in zip(differentiable, grads):
                if gradient is not None:
                    jacobians[out_index, i][row] = gradient._data.ravel()
    return jacobians


def _describe_mismatch(out_index, in_index, analytic, numeric, output_shape, input_shape,
                       atol, rtol) -> str:
    excess = np.abs(analytic - numeric) - (atol + rtol * np.abs(numeric))
    row, column = np.unravel_index(np.argmax(excess), excess.shape)
    a, n = analytic[row, column], numeric[row, column]
    lines = [
        f"Jacobian mismatch for output {out_index} with respect to input {in_index}:",
        f"  worst element: output{_index(row, output_shape)} w.r.t. input{_index(column, input_shape)}",
        f"  numerical: {n:.8g}   analytical: {a:.8g}",
        f"  absolute error {abs(a - n):.3g} > atol + rtol*|numerical| = {atol + rtol * abs(n):.3g}"
        f"   (relative error {abs(a - n) / max(abs(n), 1e-300):.3g})",
        f"  {int((excess > 0).sum())} of {excess.size} Jacobian entries are off",
    ]
    if excess.size <= 64:
        for title, jacobian in (("numerical", numeric), ("analytical", analytic)):
            lines.append(f"  {title} Jacobian (rows: output elements, columns: input elements):")
            lines.append("    " + np.array2string(jacobian, precision=5, prefix="    "))
    return "\n".join(lines)


def _index(flat: int, shape: tuple) -> str:
    return str([int(i) for i in np.unravel_index(flat, shape)]) if shape else "[]"


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0) -> bool:
    """True when `func`'s analytic gradients match numeric ones for every differentiable input.

    >>> x = thw.randn(3, 4, dtype=np.float64, requires_grad=True)
    >>> thw.gradcheck(lambda t: (t * t).sum(dim=1), (x,))
    True
    """
    inputs = _as_tuple(inputs)
    differentiable = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    if not differentiable:
        raise ValueError("gradcheck expects at least one input tensor with requires_grad=True")
    for index, tensor in enumerate(inputs):
        if isinstance(tensor, Tensor) and tensor.requires_grad and tensor.dtype != np.float64:
            warnings.warn(f"input {index} of gradcheck is {tensor.dtype}, not float64: the check "
                          "is likely to fail from rounding alone", UserWarning, stacklevel=2)
    numeric, output_shapes = numeric_jacobians(func, inputs, eps)
    analytic = analytic_jacobians(func, inputs)
    if nondet_tol >= 0:
        again = analytic_jacobians(func, inputs)
        for key, jacobian in analytic.items():
            if np.abs(jacobian - again[key]).max(initial=0) > nondet_tol:
                return _fail(f"backward is not reentrant: two runs for output {key[0]} w.r.t. input "
                             f"{key[1]} differ by more than nondet_tol={nondet_tol}", raise_exception)
    for (out_index, in_index), jacobian in analytic.items():
        expected = numeric[out_index, in_index]
        if not np.all(np.abs(jacobian - expected) <= atol + rtol * np.abs(expected)):
            message = _describe_mismatch(out_index, in_index, jacobian, expected,
                                         output_shapes[out_index], inputs[in_index].shape, atol, rtol)
            return _fail(message, raise_exception)
    return True


def _fail(message: str, raise_exception: bool) -> bool:
    if raise_exception:
        raise GradcheckError(message)
    return False
