"""Elementwise math and activations: exp, log, sqrt, abs, tanh, sigmoid, relu, clamp, maximum, where."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.function import Function
from ..dtypes import result_type
from ..tensor import Tensor
from .arithmetic import function_form

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["where", "logaddexp", "logaddexp2", "exp", "log", "sqrt", "abs", "absolute", "tanh", "sigmoid", "relu",
           "sin", "cos", "tan", "asin", "acos", "atan", "arcsin", "arccos", "arctan", "sinh", "cosh",
           "asinh", "acosh", "atanh", "arcsinh", "arccosh", "arctanh", "atan2", "arctan2", "exp2", "expm1",
           "log2", "log10", "log1p", "rsqrt", "reciprocal", "erf", "sign", "sgn", "floor", "ceil", "trunc",
           "fix", "round", "frac", "square", "lerp", "hypot", "copysign", "xlogy", "logit", "nan_to_num",
           "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum"]


class Exp(Function):
    """d eˣ/dx = eˣ"""

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out


class Log(Function):
    """d ln x/dx = 1/x"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / a


class Sqrt(Function):
    """d √x/dx = 1/(2√x)"""

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output / (2 * out)


class Abs(Function):
    """d|x|/dx = sign(x) (0 at 0, as PyTorch)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * np.sign(a)


class Sin(Function):
    """d sin x/dx = cos x"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * np.cos(a)


class Cos(Function):
    """d cos x/dx = -sin x"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return -grad_output * np.sin(a)


class Tan(Function):
    """d tan x/dx = 1 + tan²x"""

    @staticmethod
    def forward(ctx, a):
        out = np.tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (1 + out * out)


class Asin(Function):
    """d asin x/dx = 1/√(1-x²)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arcsin(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / np.sqrt(1 - a * a)


class Acos(Function):
    """d acos x/dx = -1/√(1-x²)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arccos(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return -grad_output / np.sqrt(1 - a * a)


class Atan(Function):
    """d atan x/dx = 1/(1+x²)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arctan(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / (1 + a * a)


class Sinh(Function):
    """d sinh x/dx = cosh x"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sinh(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * np.cosh(a)


class Cosh(Function):
    """d cosh x/dx = sinh x"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cosh(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * np.sinh(a)


class Asinh(Function):
    """d asinh x/dx = 1/√(x²+1)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arcsinh(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / np.sqrt(a * a + 1)


class Acosh(Function):
    """d acosh x/dx = 1/√(x²-1)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arccosh(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / np.sqrt(a * a - 1)


class Atanh(Function):
    """d atanh x/dx = 1/(1-x²)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arctanh(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / (1 - a * a)


class Exp2(Function):
    """d 2ˣ/dx = 2ˣ·ln 2"""

    @staticmethod
    def forward(ctx, a):
        out = np.exp2(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out * out.dtype.type(np.log(2))


class Expm1(Function):
    """d (eˣ-1)/dx = eˣ"""

    @staticmethod
    def forward(ctx, a):
        out = np.expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (out + 1)


class Log2(Function):
    """d log₂x/dx = 1/(x ln 2)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log2(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / (a * a.dtype.type(np.log(2)))


class Log10(Function):
    """d log₁₀x/dx = 1/(x ln 10)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log10(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / (a * a.dtype.type(np.log(10)))


class Log1p(Function):
    """d ln(1+x)/dx = 1/(1+x)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log1p(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / (1 + a)


class Rsqrt(Function):
    """d x^(-1/2)/dx = -x^(-3/2)/2"""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore"):
            out = 1 / np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return -0.5 * grad_output * out * out * out


class Reciprocal(Function):
    """d (1/x)/dx = -1/x²"""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(divide="ignore"):
            out = 1 / a
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return -grad_output * out * out


class Erf(Function):
    """d erf x/dx = 2/√π · e^(-x²)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _erf(a).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * a.dtype.type(2 / np.sqrt(np.pi)) * np.exp(-a * a)


# NumPy has no erf; math.erf is exact, and erf is never on a hot path.
_erf = np.frompyfunc(math.erf, 1, 1)


class Stepwise(Function):
    """d floor(x)/dx = 0 (as for ceil, round, trunc and sign: PyTorch's gradient is zero)"""

    compute = staticmethod(np.floor)

    @classmethod
    def forward(cls, ctx, a, **options):
        return cls.compute(a, **options)

    @staticmethod
    def backward(ctx, grad_output):
        return np.zeros_like(grad_output)


class Floor(Stepwise):
    compute = staticmethod(np.floor)


class Ceil(Stepwise):
    compute = staticmethod(np.ceil)


class Trunc(Stepwise):
    compute = staticmethod(np.trunc)


class Round(Stepwise):
    """round half to even (as PyTorch and NumPy); gradient 0"""

    compute = staticmethod(np.round)


class Sign(Stepwise):
    compute = staticmethod(np.sign)


class Frac(Function):
    """d (x - trunc x)/dx = 1"""

    @staticmethod
    def forward(ctx, a):
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class Atan2(Function):
    """d atan2(a, b)/da = b/(a²+b²), /db = -a/(a²+b²)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        scale = grad_output / (a * a + b * b)
        return scale * b, -scale * a


class Hypot(Function):
    """d √(a²+b²)/da = a/hypot, /db = b/hypot"""

    @staticmethod
    def forward(ctx, a, b):
        out = np.hypot(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, b, out = ctx.saved_tensors
        scale = grad_output / out
        return scale * a, scale * b


class Copysign(Function):
    """d copysign(a, b)/da = sign(a)·(±1 by b's sign bit) (0 at a = 0), /db = 0"""

    @staticmethod
    def forward(ctx, a, b):
        out = np.copysign(a, b)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        same = np.where(a == 0, 0, np.sign(a) * np.sign(out)).astype(grad_output.dtype)
        return grad_output * same, np.zeros_like(grad_output)


class Lerp(Function):
    """lerp = start + w(end - start): d/dstart = 1-w, d/dend = w, d/dw = end - start"""

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.save_for_backward(start, end, weight)
        return start + weight * (end - start)

    @staticmethod
    def backward(ctx, grad_output):
        start, end, weight = ctx.saved_tensors
        return grad_output * (1 - weight), grad_output * weight, grad_output * (end - start)


class Xlogy(Function):
    """x·ln y (0 where x = 0): d/dx = ln y (0 where x = 0), d/dy = x/y"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((x == 0) & ~np.isnan(y), 0, x * np.log(y))

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_x = np.where(x == 0, 0, grad_output * np.log(y)) if ctx.needs_input_grad[0] else None
            return grad_x, grad_output * x / y


class Logit(Function):
    """d ln(x/(1-x))/dx = 1/(x(1-x)) (0 outside [eps, 1-eps] when eps clamps x)"""

    @staticmethod
    def forward(ctx, a, eps=None):
        ctx.save_for_backward(a)
        ctx.eps = eps
        clamped = a if eps is None else np.clip(a, eps, 1 - eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(clamped / (1 - clamped))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = grad_output / (a * (1 - a))
        if ctx.eps is not None:
            grad = np.where((a < ctx.eps) | (a > 1 - ctx.eps), 0, grad)
        return grad


class NanToNum(Function):
    """d/dx = 1 where x is finite, 0 where it was replaced"""

    @staticmethod
    def forward(ctx, a, nan=0.0, posinf=None, neginf=None):
        ctx.save_for_backward(np.isfinite(a))
        return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad_output):
        (finite,) = ctx.saved_tensors
        return grad_output * finite


class Tanh(Function):
    """d tanh x/dx = 1 - tanh²x"""

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (1 - out * out)


class Sigmoid(Function):
    """dσ/dx = σ(1-σ); computed from e^-|x| so that no exp overflows"""

    @staticmethod
    def forward(ctx, a):
        small = np.exp(-np.abs(a))
        out = np.where(a >= 0, 1 / (1 + small), small / (1 + small))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out * (1 - out)


class ReLU(Function):
    """d relu(x)/dx = 1 where x > 0, else 0"""

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (out > 0)


class LeakyReLU(Function):
    """d/dx = 1 where x > 0, else negative_slope"""

    @staticmethod
    def forward(ctx, a, negative_slope=0.01):
        ctx.save_for_backward(a > 0)
        ctx.negative_slope = negative_slope
        return np.where(a > 0, a, a * negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        (positive,) = ctx.saved_tensors
        return np.where(positive, grad_output, grad_output * ctx.negative_slope)


class Clamp(Function):
    """d clamp(x)/dx = 1 where low <= x <= high, else 0"""

    @staticmethod
    def forward(ctx, a, low=None, high=None):
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        ctx.save_for_backward(inside)
        return np.clip(a, low, high)

    @staticmethod
    def backward(ctx, grad_output):
        (inside,) = ctx.saved_tensors
        return grad_output * inside


class Maximum(Function):
    """d max(a,b)/da = 1 where a > b, ½ where a == b (as PyTorch)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        share_a = (a > b) + 0.5 * (a == b)
        return grad_output * share_a.astype(grad_output.dtype), grad_output * (1 - share_a).astype(grad_output.dtype)


class Minimum(Function):
    """d min(a,b)/da = 1 where a < b, ½ where a == b (as PyTorch)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        share_a = (a < b) + 0.5 * (a == b)
        return grad_output * share_a.astype(grad_output.dtype), grad_output * (1 - share_a).astype(grad_output.dtype)


class Where(Function):
    """d where(c, a, b)/da = c, /db = not c"""

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad_output):
        (condition,) = ctx.saved_tensors
        zero = np.zeros((), grad_output.dtype)
        return None, np.where(condition, grad_output, zero), np.where(condition, zero, grad_output)


def where(condition: Any, input: Any = None, other: Any = None) -> Tensor:
    """Pick from `input` where `condition` holds, else from `other`; `where(condition)` alone is
    `nonzero(condition, as_tuple=True)`.

    >>> thw.where(x > 0, x, 0.1 * x)   # a leaky ReLU
    """
    if input is None and other is None:
        from .indexing import nonzero  # the one-argument form is an index query
        return nonzero(condition, as_tuple=True)
    condition = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    dtype = result_type(input, other)
    input, other = (value.astype(dtype) if isinstance(value, Tensor) and value.dtype != dtype
                    else value if isinstance(value, Tensor) else np.asarray(value, dtype=dtype)
                    for value in (input, other))
    return Where.apply(condition.astype(bool), input, other)


# The function forms: `thw.sin(x)` is `x.sin()`, with `input=` and `out=` as in PyTorch.
exp = function_form("exp")
logaddexp = function_form("logaddexp")
logaddexp2 = function_form("logaddexp2")
log = function_form("log")
sqrt = function_form("sqrt")
abs = function_form("abs")
absolute = function_form("absolute")
tanh = function_form("tanh")
sigmoid = function_form("sigmoid")
relu = function_form("relu")
sin = function_form("sin")
cos = function_form("cos")
tan = function_form("tan")
asin = function_form("asin")
acos = function_form("acos")
atan = function_form("atan")
arcsin = function_form("arcsin")
arccos = function_form("arccos")
arctan = function_form("arctan")
sinh = function_form("sinh")
cosh = function_form("cosh")
asinh = function_form("asinh")
acosh = function_form("acosh")
atanh = function_form("atanh")
arcsinh = function_form("arcsinh")
arccosh = function_form("arccosh")
arctanh = function_form("arctanh")
atan2 = function_form("atan2")
arctan2 = function_form("arctan2")
exp2 = function_form("exp2")
expm1 = function_form("expm1")
log2 = function_form("log2")
log10 = function_form("log10")
log1p = function_form("log1p")
rsqrt = function_form("rsqrt")
reciprocal = function_form("reciprocal")
erf = function_form("erf")
sign = function_form("sign")
sgn = function_form("sgn")
floor = function_form("floor")
ceil = function_form("ceil")
trunc = function_form("trunc")
fix = function_form("fix")
round = function_form("round")
frac = function_form("frac")
square = function_form("square")
lerp = function_form("lerp")
hypot = function_form("hypot")
copysign = function_form("copysign")
xlogy = function_form("xlogy")
logit = function_form("logit")
nan_to_num = function_form("nan_to_num")
clamp = function_form("clamp")
clip = function_form("clip")
clamp_min = function_form("clamp_min")
clamp_max = function_form("clamp_max")
maximum = function_form("maximum")
minimum = function_form("minimum")
