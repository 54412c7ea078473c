"""Arithmetic: + - * / ** @, negation and dtype casts, forward and backward side by side."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autograd.function import Function
from ..dtypes import result_type
from ..tensor import Tensor, _binary

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
           "remainder", "fmod", "neg", "negative", "pow", "matmul", "mm", "bmm", "mv", "dot", "einsum", "addmm",
           "addcmul", "addcdiv"]


class Add(Function):
    """d(a+b)/da = 1, d(a+b)/db = 1"""

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, grad_output


class Sub(Function):
    """d(a-b)/da = 1, d(a-b)/db = -1"""

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, -grad_output if ctx.needs_input_grad[1] else None


class Neg(Function):
    """d(-a)/da = -1"""

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


class Mul(Function):
    """d(ab)/da = b, d(ab)/db = a"""

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad  # keep only what backward reads, as PyTorch
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad_output * b if need_a else None), (grad_output * a if need_b else None)


class Div(Function):
    """d(a/b)/da = 1/b, d(a/b)/db = -a/b²"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return a / b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_output / b if need_a else None
        grad_b = -grad_output * a / (b * b) if need_b else None
        return grad_a, grad_b


class Pow(Function):
    """d(a^b)/da = b·a^(b-1) (0 where b = 0), d(a^b)/db = a^b·ln a (0 where a = 0 and b >= 0), as PyTorch"""

    @staticmethod
    def forward(ctx, base, exponent):
        out = np.power(base, exponent)
        ctx.save_for_backward(base, exponent, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        base, exponent, out = ctx.saved_tensors
        need_base, need_exponent = ctx.needs_input_grad
        grad_base = grad_exponent = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if need_base:
                grad_base = np.where(exponent == 0, 0, grad_output * exponent * np.power(base, exponent - 1))
            if need_exponent:
                grad_exponent = np.where((base == 0) & (exponent >= 0), 0, grad_output * out * np.log(base))
        return grad_base, grad_exponent


class FloorDivide(Function):
    """floor(a/b) has no derivative in PyTorch either: backward raises"""

    @staticmethod
    def forward(ctx, a, b):
        _check_integer_divisor(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.floor_divide(a, b)

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("the derivative for 'floor_divide' is not implemented.")


class Remainder(Function):
    """a mod b with the sign of b (Python's %): d/da = 1, d/db = -floor(a/b)"""

    modulo, rounding, op_name = staticmethod(np.remainder), staticmethod(np.floor), "remainder"

    @staticmethod
    def forward(ctx, a, b):
        _check_integer_divisor(a, b, ctx.op_name)
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return ctx.modulo(a, b)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        return grad_output, (-grad_output * ctx.rounding(a / b) if ctx.needs_input_grad[1] else None)


class Fmod(Remainder):
    """a mod b with the sign of a (C's fmod): d/da = 1, d/db = -trunc(a/b)"""

    modulo, rounding, op_name = staticmethod(np.fmod), staticmethod(np.trunc), "fmod"


def _check_integer_divisor(a, b, kernel: str = "div_floor") -> None:
    """PyTorch's errors for integer division: by zero, and of bools."""
    kind_a, kind_b = np.asarray(a).dtype.kind, np.asarray(b).dtype.kind
    if kind_a == "b" and kind_b == "b":
        raise NotImplementedError(f'"{kernel}_cpu" not implemented for \'Bool\'')
    if kind_a in "iub" and kind_b in "iub" and np.any(np.asarray(b) == 0):
        raise RuntimeError("ZeroDivisionError")


class MatMul(Function):
    """d(a@b)/da = g@bᵀ, d(a@b)/db = aᵀ@g (1-D operands promoted as in NumPy)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        grad = grad_output
        if b.ndim == 1:
            grad = np.expand_dims(grad, -1)
        if a.ndim == 1:
            grad = np.expand_dims(grad, -2)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = grad @ np.swapaxes(b2, -1, -2)
            grad_a = grad_a.reshape(grad_a.shape[:-2] + (-1,)) if a.ndim == 1 else grad_a
        if ctx.needs_input_grad[1]:
            if grad.ndim == 2 and a2.ndim == 2:
                grad_b = a2.T @ grad
            else:
                grad_b = np.swapaxes(a2, -1, -2) @ grad
            grad_b = grad_b[..., 0] if b.ndim == 1 else grad_b
        return grad_a, grad_b


def matmul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """Matrix product with PyTorch's rules (batched, and vector on either side).

    >>> (thw.ones(2, 3) @ thw.ones(3)).tolist()
    [3.0, 3.0]
    """
    a, b = input, other
    shape_a, shape_b = np.shape(a), np.shape(b)
    if 0 in (len(shape_a), len(shape_b)):
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {len(shape_a)}D "
                           f"and {len(shape_b)}D")
    inner_a = shape_a[-1]
    inner_b = shape_b[-2] if len(shape_b) > 1 else shape_b[0]
    if inner_a != inner_b:
        rows = int(np.prod(shape_a[:-1])) if len(shape_a) > 1 else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{inner_a} and "
                           f"{inner_b}x{shape_b[-1] if len(shape_b) > 1 else 1}) (shapes {list(shape_a)} "
                           f"and {list(shape_b)})")
    dtype = result_type(a, b)
    if isinstance(a, Tensor) and a.dtype != dtype:
        a = a.astype(dtype)
    if isinstance(b, Tensor) and b.dtype != dtype:
        b = b.astype(dtype)
    try:
        return MatMul.apply(a, b) if out is None else write_out(MatMul.apply(a, b), out)
    except ValueError:
        raise RuntimeError(f"matmul: batch dimensions of {list(shape_a)} and {list(shape_b)} "
                           "do not broadcast") from None


def mm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Product of two matrices (2-D only; `matmul` broadcasts).

    >>> thw.mm(thw.ones(2, 3), thw.ones(3, 4)).shape
    (2, 4)
    """
    if np.ndim(input) != 2 or np.ndim(mat2) != 2:
        raise RuntimeError("self must be a matrix" if np.ndim(input) != 2 else "mat2 must be a matrix")
    return write_out(matmul(input, mat2), out)


def bmm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Batched product of (b, n, m) and (b, m, p) tensors, no broadcasting.

    >>> thw.bmm(thw.ones(5, 2, 3), thw.ones(5, 3, 4)).shape
    (5, 2, 4)
    """
    if np.ndim(input) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if np.ndim(mat2) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    batch, _, inner = np.shape(input)
    if np.shape(mat2)[:2] != (batch, inner):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {inner}] "
                           f"but got: {list(np.shape(mat2)[:2])}.")
    return write_out(matmul(input, mat2), out)


def mv(input: Tensor, vec: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix times vector.

    >>> thw.mv(thw.ones(2, 3), thw.ones(3)).tolist()
    [3.0, 3.0]
    """
    if np.ndim(input) != 2 or np.ndim(vec) != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {np.ndim(input)}, {np.ndim(vec)}")
    return write_out(matmul(input, vec), out)


def dot(input: Tensor, tensor: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Inner product of two 1-D tensors of the same length.

    >>> thw.dot(thw.tensor([1.0, 2.0]), thw.tensor([3.0, 4.0])).item()
    11.0
    """
    if np.ndim(input) != 1 or np.ndim(tensor) != 1:
        raise RuntimeError(f"1D tensors expected, but got {np.ndim(input)}D and {np.ndim(tensor)}D tensors")
    if np.shape(input) != np.shape(tensor):
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{np.shape(input)[0]}] and src "
                           f"[{np.shape(tensor)[0]}] to have the same number of elements, but got "
                           f"{np.shape(input)[0]} and {np.shape(tensor)[0]} elements respectively")
    return write_out(matmul(input, tensor), out)


class Einsum(Function):
    """d einsum(..., x_k, ...)/dx_k · g = einsum of g with the other operands, onto x_k's subscripts"""

    @staticmethod
    def forward(ctx, *operands, inputs, output):
        ctx.inputs_subscripts, ctx.output_subscripts = inputs, output
        ctx.save_for_backward(*operands)
        return np.einsum(",".join(inputs) + "->" + output, *operands)

    @staticmethod
    def backward(ctx, grad_output):
        operands = ctx.saved_tensors
        subscripts, output = ctx.inputs_subscripts, ctx.output_subscripts
        sizes = {letter: size for operand, letters in zip(operands, subscripts)
                 for letter, size in zip(letters, operand.shape)}
        grads = []
        for k, (operand, letters) in enumerate(zip(operands, subscripts)):
            if not ctx.needs_input_grad[k]:
                grads.append(None)
                continue
            others = [(o, s) for i, (o, s) in enumerate(zip(operands, subscripts)) if i != k]
            known = set(output).union(*[s for _, s in others])
            unique = "".join(dict.fromkeys(letters))
            reachable = "".join(letter for letter in unique if letter in known)
            equation = ",".join([output] + [s for _, s in others]) + "->" + reachable
            grad = np.einsum(equation, grad_output, *[o for o, _ in others])
            # Letters only this operand has were summed away: the gradient is constant along them.
            grad = np.expand_dims(grad, [unique.index(letter) for letter in unique if letter not in known])
            grad = np.broadcast_to(grad, [sizes[letter] for letter in unique])
            if len(unique) < len(letters):  # a repeated letter takes a diagonal: zero off it
                full = np.zeros(operand.shape, grad.dtype)
                np.einsum(letters + "->" + unique, full)[...] = grad
                grad = full
            grads.append(grad)
        return tuple(grads)


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sum of products written in Einstein notation (operands may also come as one list).

    >>> thw.einsum("ij,jk->ik", thw.ones(2, 3), thw.ones(3, 4)).shape
    (2, 4)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    operands = tuple(o if isinstance(o, Tensor) else Tensor._make(np.asarray(o), False, None) for o in operands)
    equation = equation.replace(" ", "")
    operands = _broadcast_ellipses(equation, operands)
    inputs, output = _parse_einsum(equation, [o.ndim for o in operands])
    dtype = result_type(*operands)
    operands = [o if o.dtype == dtype else o.astype(dtype) for o in operands]
    try:
        return Einsum.apply(*operands, inputs=inputs, output=output)
    except ValueError as error:
        raise RuntimeError(f"einsum(): {error}") from None


def _broadcast_ellipses(equation: str, operands: tuple) -> tuple:
    """Expand the dims each '...' stands for to their common broadcast shape, so that every
    letter has one size (NumPy broadcasts '...' but not the letters it is spelt out as)."""
    subscripts = equation.partition("->")[0].split(",")
    if len(subscripts) != len(operands) or not any("..." in s for s in subscripts):
        return operands
    spans = []
    for letters, operand in zip(subscripts, operands):
        if "..." in letters:
            start = len(letters.partition("...")[0])
            rank = operand.ndim - len(letters.replace("...", ""))
            spans.append((start, max(rank, 0)))
        else:
            spans.append(None)
    try:
        common = np.broadcast_shapes(*[o.shape[start:start + rank] for o, span in zip(operands, spans) if span
                                       for start, rank in [span]])
    except ValueError:
        raise RuntimeError("einsum(): operands do not broadcast with remapped shapes (original->remapped): "
                           f"{[list(o.shape) for o in operands]}") from None
    expanded = []
    for operand, span in zip(operands, spans):
        if span is not None and operand.shape[span[0]:span[0] + span[1]] != common:
            start, rank = span
            shape = operand.shape
            aligned = shape[:start] + (1,) * (len(common) - rank) + shape[start:]
            operand = operand.reshape(*aligned).expand(*(shape[:start] + common + shape[start + rank:]))
        expanded.append(operand)
    return tuple(expanded)


def _parse_einsum(equation: str, ndims: list) -> tuple:
    """Explicit subscripts for every operand and the output, with '...' spelt out in
    capital letters (equations use lower-case ones)."""
    left, arrow, output = equation.partition("->")
    inputs = left.split(",")
    if len(inputs) != len(ndims):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(ndims) > len(inputs) else
                           "einsum(): fewer operands were provided than specified in the equation")
    spare = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    ellipsis_rank = 0
    for letters, ndim in zip(inputs, ndims):
        named = len(letters.replace("...", ""))
        if "..." in letters:
            ellipsis_rank = max(ellipsis_rank, ndim - named)
        elif named != ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) does not match the "
                               f"number of dimensions ({ndim}) for operand {inputs.index(letters)} and no "
                               "ellipsis was given")
    expanded = []
    for letters, ndim in zip(inputs, ndims):
        rank = ndim - len(letters.replace("...", ""))
        expanded.append(letters.replace("...", spare[ellipsis_rank - rank:ellipsis_rank]))
    if not arrow:  # implicit output: the ellipsis, then the letters seen once, sorted
        counts = {}
        for letter in "".join(inputs).replace(".", ""):
            counts[letter] = counts.get(letter, 0) + 1
        output = "..." * bool(ellipsis_rank) + "".join(sorted(k for k, v in counts.items() if v == 1))
    output = output.replace("...", spare[:ellipsis_rank])
    if not all(letter.isalpha() for letter in "".join(expanded) + output):
        raise RuntimeError(f"einsum(): invalid subscript in equation {equation!r}")
    return expanded, output


def write_out(result: Tensor, out: Tensor | None) -> Tensor:
    """`result`, or written into `out` as PyTorch's `out=` does (resized if its shape differs).

    >>> thw.add(a, b, out=c)   # c now holds a + b
    """
    if out is None:
        return result
    if isinstance(result, tuple):  # (values, indices) into a pair of tensors
        written = [write_out(r, o) for r, o in zip(result, out)]
        return type(result)(*written) if hasattr(result, "_fields") else tuple(written)
    if not isinstance(out, Tensor):
        raise TypeError(f"out must be a Tensor, not {type(out).__name__}")
    from ..autograd.grad_mode import STATE
    if STATE.grad_enabled and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{result.grad_fn.name() if result.grad_fn else 'this function'}: functions with "
                           "out=... arguments don't support automatic differentiation, but one of the "
                           "arguments requires grad.")
    if not np.can_cast(result.dtype, out.dtype, "same_kind"):
        raise RuntimeError(f"result type {result.dtype} can't be cast to the desired output type {out.dtype}")
    if out.shape == result.shape:
        np.copyto(out._data, result._data, casting="unsafe")
    else:
        out._data = result._data.astype(out.dtype)
    out._version[0] += 1
    return out


def _tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor._make(np.asarray(value), False, None)


def function_form(name: str, method_name: str | None = None) -> Callable[..., Any]:
    """The top-level function `thw.<name>(input, ...)` of the method `Tensor.<name>`, with
    PyTorch's `input=` and `out=` keywords: `thw.exp(x)` is `x.exp()`.

    >>> exp = function_form("exp")
    """
    method = getattr(Tensor, method_name or name)

    def function(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
        if "input" in kwargs:
            args = (kwargs.pop("input"),) + args
        if not args:
            raise TypeError(f"{name}() missing required argument 'input' (pos 1)")
        return write_out(method(_tensor(args[0]), *args[1:], **kwargs), out)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"`thw.{name}(input, ...)` is `input.{method_name or name}(...)`.\n\n" + (method.__doc__ or "")
    return function


def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """input + alpha·other.

    >>> thw.add(thw.tensor([1.0]), thw.tensor([2.0]), alpha=3)
    Tensor([7.])
    """
    return write_out(_tensor(input).add(other, alpha=alpha), out)


def sub(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """input - alpha·other.

    >>> thw.sub(thw.tensor([5.0]), 2).tolist()
    [3.0]
    """
    return write_out(_tensor(input).sub(other, alpha=alpha), out)


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """input · other, broadcast.

    >>> thw.mul(thw.tensor([2.0]), 3).tolist()
    [6.0]
    """
    return write_out(_tensor(input) * other, out)


def div(input: Any, other: Any, *, rounding_mode: str | None = None, out: Tensor | None = None) -> Tensor:
    """input / other (true division; `rounding_mode` 'trunc' or 'floor' rounds it).

    >>> thw.div(thw.tensor([-7]), 2, rounding_mode="floor").tolist()
    [-4]
    """
    return write_out(_tensor(input).div(other, rounding_mode=rounding_mode), out)


def true_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """input / other, always a float result.

    >>> thw.true_divide(thw.tensor([3]), 2).tolist()
    [1.5]
    """
    return write_out(_tensor(input) / other, out)


def floor_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """input // other, rounded toward -inf as Python (and PyTorch) do; not differentiable.

    >>> thw.floor_divide(thw.tensor([-7, 7]), 2).tolist()
    [-4, 3]
    """
    return write_out(_tensor(input) // other, out)


def remainder(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """input % other with the sign of `other` (Python's rule, not C's; see `fmod`).

    >>> thw.remainder(thw.tensor([-7, 7]), 3).tolist()
    [2, 1]
    """
    return write_out(_binary(Remainder, input, other, "remainder"), out)


def fmod(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """The C remainder: the sign of `input` (`remainder` takes the sign of `other`).

    >>> thw.fmod(thw.tensor([-7, 7]), 3).tolist()
    [-1, 1]
    """
    return write_out(_binary(Fmod, input, other, "fmod"), out)


def neg(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """-input.

    >>> thw.neg(thw.tensor([1.0])).tolist()
    [-1.0]
    """
    return write_out(-input, out)


def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:
    """input ** exponent (either may be a number).

    >>> thw.pow(thw.tensor([2.0]), 3).tolist(), thw.pow(2, thw.tensor([3.0])).tolist()
    ([8.0], [8.0])
    """
    return write_out(_binary(Pow, input, exponent, "pow"), out)


subtract, multiply, divide, negative = sub, mul, div, neg
addmm = function_form("addmm")
addcmul = function_form("addcmul")
addcdiv = function_form("addcdiv")


class Cast(Function):
    """d cast(a)/da = 1 (the gradient is cast back to a's dtype by the engine)"""

    @staticmethod
    def forward(ctx, a, dtype):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output
