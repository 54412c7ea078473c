"""`nn.functional` (`F`): layers, activations and losses as plain functions.

The fused ops (linear, cross-entropy, GELU, ELU, softplus, layer norm, embedding) are
`Function`s like every engine op; the rest are written with Tensor operations, so their
gradients come for free.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..autograd.function import Function
from ..ops.elementwise import where
from ..ops.reductions import shifted_exp
from ..random import generator
from ..tensor import Tensor
from .convolution import conv1d, conv2d, conv_transpose2d, fold, unfold  # noqa: F401  (re-exported)
from .pooling import (adaptive_avg_pool2d, adaptive_max_pool2d, avg_pool1d, avg_pool2d, max_pool1d,  # noqa: F401
                      max_pool2d)

# ---------------------------------------------------------------------- activations


# `inplace=True` is accepted as PyTorch code writes it; the result is computed out of place
# (the returned tensor is what such code uses).


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0).  >>> F.relu(thw.tensor([-1.0, 2.0]))  -> Tensor([0., 2.])"""
    return input.relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope·x.  >>> F.leaky_relu(x, 0.1)"""
    return input.leaky_relu(negative_slope)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x).  >>> F.sigmoid(x)"""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """>>> F.tanh(x)"""
    return input.tanh()


def _softmax_dim(ndim: int) -> int:
    # PyTorch's implicit choice when dim is None (with a deprecation warning there).
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """>>> F.softmax(logits, dim=1).sum(dim=1)   # ones"""
    return input.softmax(_softmax_dim(input.ndim) if dim is None else dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """>>> F.log_softmax(logits, dim=1)"""
    if dtype is not None:
        input = input.astype(dtype)
    return input.log_softmax(_softmax_dim(input.ndim) if dim is None else dim)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x).  >>> F.softmin(x, dim=1)"""
    return softmax(-input, dim, dtype=dtype)


class _ELU(Function):
    """d elu/dx = 1 where x > 0, else elu(x) + alpha"""

    @staticmethod
    def forward(ctx, a, alpha=1.0):
        out = np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))
        ctx.save_for_backward(a > 0, out)
        ctx.alpha = alpha
        return out

    @staticmethod
    def backward(ctx, grad_output):
        positive, out = ctx.saved_tensors
        return grad_output * np.where(positive, 1, out + ctx.alpha).astype(grad_output.dtype)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha·(eˣ - 1).  >>> F.elu(x)"""
    return _ELU.apply(input, alpha=alpha)


class _Softplus(Function):
    """d softplus/dx = sigmoid(beta·x) (linear above the threshold, as PyTorch)"""

    @staticmethod
    def forward(ctx, a, beta=1.0, threshold=20.0):
        scaled = a * beta
        linear = scaled > threshold
        ctx.save_for_backward(scaled, linear)
        return np.where(linear, a, np.logaddexp(0, scaled) / beta)

    @staticmethod
    def backward(ctx, grad_output):
        scaled, linear = ctx.saved_tensors
        slope = np.exp(-np.logaddexp(0, -scaled))  # sigmoid without overflow
        return grad_output * np.where(linear, 1, slope).astype(grad_output.dtype)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta·x)) / beta.  >>> F.softplus(x)"""
    return _Softplus.apply(input, beta=beta, threshold=threshold)


_erf = np.frompyfunc(math.erf, 1, 1)  # NumPy has no erf; math.erf is exact in float64


def _erf_array(values: np.ndarray) -> np.ndarray:
    return _erf(values).astype(values.dtype)


class _GELU(Function):
    """gelu(x) = x·Φ(x);  d/dx = Φ(x) + x·φ(x)  (tanh form: its own derivative)"""

    @staticmethod
    def forward(ctx, a, approximate="none"):
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        if approximate == "tanh":
            return 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a ** 3)))
        return 0.5 * a * (1 + _erf_array(a * (1 / math.sqrt(2))))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            k = math.sqrt(2 / math.pi)
            t = np.tanh(k * (a + 0.044715 * a ** 3))
            return grad_output * (0.5 * (1 + t) + 0.5 * a * (1 - t * t) * k * (1 + 3 * 0.044715 * a * a))
        cdf = 0.5 * (1 + _erf_array(a * (1 / math.sqrt(2))))
        pdf = np.exp(-0.5 * a * a) * (1 / math.sqrt(2 * math.pi))
        return grad_output * (cdf + a * pdf)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x·Φ(x) (Φ the normal CDF), or its tanh approximation.  >>> F.gelu(x, approximate="tanh")"""
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")
    return _GELU.apply(input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·sigmoid(x) (swish).  >>> F.silu(x)"""
    return input * input.sigmoid()


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·tanh(softplus(x)).  >>> F.mish(x)"""
    return input * softplus(input).tanh()


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val].  >>> F.hardtanh(x)"""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return input.clamp(min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6).  >>> F.relu6(x)"""
    return input.clamp(0.0, 6.0)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else a·x with a learned slope per channel (dim 1) or one shared.

    >>> F.prelu(x, thw.tensor([0.25]))
    """
    if weight.numel() != 1 and (input.ndim < 2 or weight.numel() != input.shape[1]):
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{weight.numel()} and channel size = {input.shape[1] if input.ndim > 1 else 1}.")
    slope = weight.reshape(-1) if weight.numel() == 1 else weight.reshape(-1, *([1] * (input.ndim - 2)))
    return where(input._data > 0, input, input * slope)


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale·elu(x, alpha) with the self-normalizing constants.  >>> F.selu(x)"""
    return elu(input, _SELU_ALPHA) * _SELU_SCALE


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha·(e^(x/alpha) - 1)).  >>> F.celu(x, 2.0)"""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return elu(input * (1.0 / alpha)) * alpha if alpha != 1 else elu(input)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|).  >>> F.softsign(x)"""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x).  >>> F.tanhshrink(x)"""
    return input - input.tanh()


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), stable.  >>> F.logsigmoid(x)"""
    return -_Softplus.apply(-input, beta=1.0, threshold=float("inf"))


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6.  >>> F.hardsigmoid(x)"""
    return (input + 3).clamp(0.0, 6.0) * (1 / 6)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·relu6(x + 3) / 6.  >>> F.hardswish(x)"""
    return input * hardsigmoid(input)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else value.  >>> F.threshold(x, 0.1, 20.0)"""
    return where(input._data > threshold, input, value)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0.  >>> F.hardshrink(x)"""
    return where(np.abs(input._data) > lambd, input, 0.0)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd·sign(x) where |x| > lambd, else 0.  >>> F.softshrink(x)"""
    shifted = where(input._data > 0, input - lambd, input + lambd)
    return where(np.abs(input._data) > lambd, shifted, 0.0)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a·sigmoid(b) for the two halves of `dim`.  >>> F.glu(thw.randn(4, 6)).shape   # (4, 3)"""
    size = input.shape[dim]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim % input.ndim} is size {size}")
    index = [slice(None)] * input.ndim
    index[dim % input.ndim] = slice(0, size // 2)
    first = input[tuple(index)]
    index[dim % input.ndim] = slice(size // 2, None)
    return first * input[tuple(index)].sigmoid()


# ---------------------------------------------------------------------- layers
class _Linear(Function):
    """y = x Wᵀ + b;  dx = g W,  dW = gᵀ x,  db = Σ g  (matmul and bias in one node)"""

    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight)
        out = x @ weight.T
        if bias is not None:
            out += bias
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        need_x, need_weight, *need_bias = ctx.needs_input_grad
        grad_x = grad_output @ weight if need_x else None
        rows = grad_output.reshape(-1, grad_output.shape[-1])
        # (xᵀg)ᵀ rather than gᵀx: the same numbers, laid out like nn.Linear's column-major weight.
        grad_weight = (x.reshape(-1, x.shape[-1]).T @ rows).T if need_weight else None
        grad_bias = rows.sum(axis=0) if need_bias and need_bias[0] else None
        return grad_x, grad_weight, grad_bias


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weightᵀ + bias, with weight of shape (out_features, in_features).

    >>> F.linear(thw.ones(5, 3), thw.ones(2, 3)).shape
    (5, 2)
    """
    if input.shape[-1:] != weight.shape[1:]:
        raise ValueError(f"linear: input has {input.shape[-1] if input.ndim else 0} features "
                         f"(shape {input.shape}) but the weight expects {weight.shape[1]} "
                         f"(in_features={weight.shape[1]}, weight shape {weight.shape})")
    if bias is None:
        return _Linear.apply(input, weight)
    return _Linear.apply(input, weight, bias)


class _Dropout(Function):
    """y = x·m with m = keep/(1-p) drawn once (a mask shared by broadcasting for channel dropout);  dx = g·m"""

    @staticmethod
    def forward(ctx, a, p=0.5, mask_shape=None):
        keep = generator().random(mask_shape or a.shape, dtype=np.float32) >= p
        scaled_mask = np.multiply(keep, a.dtype.type(1.0 / (1 - p)), dtype=a.dtype)
        ctx.save_for_backward(scaled_mask)
        return a * scaled_mask

    @staticmethod
    def backward(ctx, grad_output):
        (scaled_mask,) = ctx.saved_tensors
        return grad_output * scaled_mask


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (inverted dropout).

    >>> F.dropout(x, 0.5, training=model.training)
    """
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    return _Dropout.apply(input, p=p)


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Integer labels -> int64 one-hot rows, as torch.nn.functional.one_hot.

    >>> F.one_hot(thw.tensor([0, 2]), 3).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    labels = _class_indices(tensor, "one_hot")
    if num_classes < 0:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    _check_range(labels, num_classes)
    return Tensor._make(np.eye(num_classes, dtype=np.int64)[labels], False, None)


def _channel_dropout(input: Tensor, p: float, training: bool, spatial: int, name: str) -> Tensor:
    """Zero whole channels: one draw per (sample, channel), shared by the last `spatial` dims."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if input.ndim not in (spatial + 1, spatial + 2):
        raise RuntimeError(f"{name}: Expected {spatial + 1}D or {spatial + 2}D input, but received a "
                           f"{input.ndim}D input")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    return _Dropout.apply(input, p=p, mask_shape=input.shape[:input.ndim - spatial] + (1,) * spatial)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L).  >>> F.dropout1d(x, 0.2, training=True)"""
    return _channel_dropout(input, p, training, 1, "dropout1d")


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W).  >>> F.dropout2d(x, 0.25, training=True)"""
    return _channel_dropout(input, p, training, 2, "dropout2d")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W).  >>> F.dropout3d(x, training=True)"""
    return _channel_dropout(input, p, training, 3, "dropout3d")


class _ConstantPad(Function):
    """out = x placed in a constant frame (negative pads crop);  dx = the matching window of g"""

    @staticmethod
    def forward(ctx, a, pads=(), value=0.0):
        out_shape = tuple(size + before + after for size, (before, after) in zip(a.shape, pads))
        out = np.full(out_shape, value, dtype=a.dtype)
        ctx.windows = [_pad_windows(size, before, after) for size, (before, after) in zip(a.shape, pads)]
        inner, outer = zip(*ctx.windows) if ctx.windows else ((), ())
        out[tuple(outer)] = a[tuple(inner)]
        ctx.input_shape = a.shape
        return out

    @staticmethod
    def backward(ctx, grad_output):
        grad = np.zeros(ctx.input_shape, grad_output.dtype)
        inner, outer = zip(*ctx.windows) if ctx.windows else ((), ())
        grad[tuple(inner)] = grad_output[tuple(outer)]
        return grad


def _pad_windows(size: int, before: int, after: int) -> tuple[slice, slice]:
    """(slice of the input kept, slice of the output it lands in) for one padded dim."""
    start, stop = max(0, -before), min(size, size + after)
    return slice(start, max(start, stop)), slice(start + before, max(start, stop) + before)


def _pad_indices(size: int, before: int, after: int, mode: str) -> np.ndarray:
    positions = np.arange(-before, size + after)
    if mode == "replicate":
        return np.clip(positions, 0, size - 1)
    if mode == "circular":
        return positions % size
    period = 2 * (size - 1)  # reflect: mirror without repeating the edge
    if period == 0:
        return np.zeros_like(positions)
    folded = positions % period
    return np.where(folded < size, folded, period - folded)


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last len(pad)//2 dims; `pad` lists (left, right) for the last dim first, then
    (top, bottom), ... Modes: 'constant' (value, negative pads crop), 'reflect', 'replicate',
    'circular'.

    >>> F.pad(thw.ones(1, 2, 2), (1, 1), value=0.0).shape
    (1, 2, 4)
    >>> F.pad(thw.arange(4.0).reshape(1, 1, 4), (2, 1), mode="reflect").tolist()
    [[[2.0, 1.0, 0.0, 1.0, 2.0, 3.0, 2.0]]]
    """
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension "
                           f"but got padding length {len(pad)} and input of dimension {input.ndim}")
    pairs = [(0, 0)] * input.ndim
    for index in range(len(pad) // 2):
        pairs[input.ndim - 1 - index] = (pad[2 * index], pad[2 * index + 1])
    if mode == "constant":
        return _ConstantPad.apply(input, pads=tuple(pairs), value=0.0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value not in (None, 0, 0.0):
        raise NotImplementedError(f"Padding mode \"{mode}\" doesn't take in value argument.")
    out = input
    for dim, (before, after) in enumerate(pairs):
        if before == after == 0:
            continue
        size = input.shape[dim]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({before}, {after}) at dimension {dim} of input {list(input.shape)}")
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "replicate" and size == 0:
            raise RuntimeError("input tensor must not be empty for replicate padding")
        out = out[(slice(None),) * dim + (_pad_indices(size, before, after, mode),)]
    return out


def _interpolation_matrix(in_size: int, out_size: int, scale: float | None, align_corners: bool) -> np.ndarray:
    """(out_size, in_size) weights of linear interpolation along one dim (PyTorch's coordinates)."""
    dst = np.arange(out_size, dtype=np.float64)
    if align_corners:
        src = dst * ((in_size - 1) / (out_size - 1)) if out_size > 1 else np.zeros(out_size)
    else:
        ratio = 1.0 / scale if scale else in_size / out_size
        src = np.maximum((dst + 0.5) * ratio - 0.5, 0.0)
    low = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    high = np.minimum(low + 1, in_size - 1)
    frac = src - low
    matrix = np.zeros((out_size, in_size))
    np.add.at(matrix, (np.arange(out_size), low), 1 - frac)
    np.add.at(matrix, (np.arange(out_size), high), frac)
    return matrix


def interpolate(input: Tensor, size: int | Sequence[int] | None = None,
                scale_factor: float | Sequence[float] | None = None,
                mode: str = "nearest", align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize the spatial dims of (N, C, L), (N, C, H, W) or (N, C, D, H, W): 'nearest',
    'nearest-exact', 'linear', 'bilinear' or 'trilinear' (with `align_corners`).

    >>> F.interpolate(thw.ones(1, 3, 4, 4), scale_factor=2).shape
    (1, 3, 8, 8)
    >>> F.interpolate(img, size=(32, 32), mode="bilinear", align_corners=False)
    """
    spatial = input.ndim - 2
    if spatial < 1:
        raise ValueError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D)")
    linear_modes = {"linear": 1, "bilinear": 2, "trilinear": 3}
    if mode not in ("nearest", "nearest-exact", *linear_modes):
        raise NotImplementedError(f"Input Error: unsupported mode {mode!r}")
    if mode in linear_modes and linear_modes[mode] != spatial:
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {linear_modes[mode] + 2}D input")
    if align_corners is not None and mode not in linear_modes:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    if (size is None) == (scale_factor is None):
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        sizes = [int(size)] * spatial if isinstance(size, (int, np.integer)) else [int(s) for s in size]
        scales = [None] * spatial
    else:
        scales = [float(scale_factor)] * spatial if isinstance(scale_factor, (int, float)) \
            else [float(f) for f in scale_factor]
        sizes = [int(np.floor(n * f)) for n, f in zip(input.shape[2:], scales)]
        if recompute_scale_factor:
            scales = [None] * spatial
    if len(sizes) != spatial:
        raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input with "
                         f"spatial dimensions of {list(input.shape[2:])} and output size of {sizes}.")
    out = input
    for offset, (in_size, out_size, scale) in enumerate(zip(input.shape[2:], sizes, scales)):
        dim = 2 + offset
        if mode in linear_modes:
            matrix = Tensor._make(_interpolation_matrix(in_size, out_size, scale, bool(align_corners))
                                  .astype(input.dtype), False, None)
            moved = out.transpose(dim, -1)
            out = (moved @ matrix.T).transpose(dim, -1)
        else:
            ratio = 1.0 / scale if scale else in_size / out_size
            shift = 0.5 if mode == "nearest-exact" else 0.0
            source = np.minimum(np.floor((np.arange(out_size) + shift) * ratio).astype(np.int64), in_size - 1)
            out = out[(slice(None),) * dim + (source,)]
    return out


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated name of `interpolate`.  >>> F.upsample(x, scale_factor=2)"""
    return interpolate(input, size, scale_factor, mode, align_corners)


def _norm(input: Tensor, p: float, dim: int, keepdim: bool) -> Tensor:
    if p == 2:
        return (input * input).sum(dim=dim, keepdim=keepdim).sqrt()
    if p == 1:
        return input.abs().sum(dim=dim, keepdim=keepdim)
    if p == float("inf"):
        return input.abs().max(dim=dim, keepdim=keepdim)[0]
    return (input.abs() ** p).sum(dim=dim, keepdim=keepdim) ** (1.0 / p)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None) -> Tensor:
    """x / max(‖x‖_p, eps) along `dim`.  >>> F.normalize(thw.tensor([[3.0, 4.0]])).tolist()   # [[0.6, 0.8]]"""
    return input / _norm(input, p, dim, True).clamp(min=eps)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Σ x1·x2 / (max(‖x1‖, eps)·max(‖x2‖, eps)) along `dim` (inputs broadcast).

    >>> F.cosine_similarity(thw.tensor([[1.0, 0.0]]), thw.tensor([[1.0, 1.0]]))   # 0.7071
    """
    shape = np.broadcast_shapes(x1.shape, x2.shape)  # norms of the broadcast inputs, as PyTorch
    x1, x2 = x1.expand(*shape), x2.expand(*shape)
    n1 = _norm(x1, 2, dim, True).clamp(min=eps)
    n2 = _norm(x2, 2, dim, True).clamp(min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim=dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """‖x1 - x2 + eps‖_p along the last dim.  >>> F.pairwise_distance(a, b)"""
    difference = x1 - x2 + eps
    if difference.ndim == 0:
        return difference.abs()
    return _norm(difference, p, -1, keepdim)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Any = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(q kᵀ·scale + mask) v over the last two dims (q: (..., L, E), k: (..., S, E)).
    A boolean mask says where attention may go (True = allowed); a float mask is added;
    `is_causal` allows each position the ones at or before it. Dropout applies when dropout_p > 0.

    >>> F.scaled_dot_product_attention(q, k, v, is_causal=True).shape   # q's shape with v's last dim
    """
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if query.shape[-1] != key.shape[-1]:
        raise RuntimeError(f"Expected query and key to have the same last dimension, got {query.shape} and {key.shape}")
    length, source = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    if enable_gqa and key.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        repeats = query.shape[-3] // key.shape[-3]
        key = _repeat_heads(key, repeats)
        value = _repeat_heads(value, repeats)
    scores = (query @ key.transpose(-2, -1)) * scale
    if is_causal:
        attn_mask = np.tril(np.ones((length, source), dtype=bool))
    if attn_mask is not None:
        mask = attn_mask._data if isinstance(attn_mask, Tensor) else np.asarray(attn_mask)
        if mask.dtype == np.bool_:
            scores = scores.masked_fill(~mask, float("-inf"))
        else:
            scores = scores + (attn_mask if isinstance(attn_mask, Tensor) else Tensor._make(mask, False, None))
    weights = scores.softmax(-1)
    if dropout_p > 0:
        weights = dropout(weights, dropout_p, True)
    return weights @ value


def _repeat_heads(tensor: Tensor, repeats: int) -> Tensor:
    shape = tensor.shape
    expanded = tensor.unsqueeze(-3).expand(*shape[:-2], repeats, *shape[-2:])
    return expanded.reshape(*shape[:-3], shape[-3] * repeats, *shape[-2:])


# ---------------------------------------------------------------------- losses
def _class_indices(target: Any, name: str) -> np.ndarray:
    labels = np.asarray(target._data if isinstance(target, Tensor) else target)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name}: class targets must be integers, got {labels.dtype} "
                        "(use .long(), or pass class probabilities of the input's shape)")
    return labels


def _check_range(labels: np.ndarray, num_classes: int) -> None:
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        bad = labels[(labels < 0) | (labels >= num_classes)].flat[0]
        raise IndexError(f"target {bad} is out of bounds for {num_classes} classes (valid: 0..{num_classes - 1})")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _check_batch(input: Tensor, target: Any, name: str) -> None:
    target_shape = np.shape(target)
    if input.ndim >= 2 and target_shape and target_shape[0] != input.shape[0]:
        raise ValueError(f"{name}: input batch size {input.shape[0]} (shape {input.shape}) does not "
                         f"match target batch size {target_shape[0]} (shape {target_shape})")


class _CrossEntropy(Function):
    """loss = -Σ t·log softmax(x);  dloss/dx = softmax(x)·Σt - t  (fused, stable)"""

    @staticmethod
    def forward(ctx, logits, target, reduction="mean", class_dim=1):
        _, shifted, exp, rest = shifted_exp(logits, class_dim)
        log_norm = np.log1p(rest)  # log Σ exp(x - shift)
        if target.dtype.kind in "iu":  # only the picked log-probabilities are needed
            losses = np.squeeze(log_norm, class_dim) - _pick(shifted, target, class_dim)
        else:
            losses = -(target * (shifted - log_norm)).sum(axis=class_dim)
        ctx.save_for_backward(exp, rest, log_norm, shifted, target)
        ctx.count, ctx.reduction, ctx.class_dim = losses.size, reduction, class_dim
        if reduction == "mean":
            return losses.sum() / losses.size
        return losses.sum() if reduction == "sum" else losses

    @staticmethod
    def backward(ctx, grad_output):
        exp, rest, log_norm, shifted, target = ctx.saved_tensors
        reduction, class_dim = ctx.reduction, ctx.class_dim
        scale = grad_output / ctx.count if reduction == "mean" else grad_output
        if reduction == "none":
            scale = np.expand_dims(scale, class_dim)
        probs = exp / (1 + rest)
        if target.dtype.kind in "iu":
            if probs.ndim == 2 and class_dim == 1:
                probs[np.arange(len(target)), target] -= 1
            else:
                index = np.expand_dims(target, class_dim)
                np.put_along_axis(probs, index, np.take_along_axis(probs, index, axis=class_dim) - 1, axis=class_dim)
            probs *= scale
            return probs, None
        grad_logits = (probs * target.sum(axis=class_dim, keepdims=True) - target) * scale
        grad_target = -(shifted - log_norm) * scale if ctx.needs_input_grad[1] else None
        return grad_logits, grad_target


def _pick(values: np.ndarray, target: np.ndarray, class_dim: int) -> np.ndarray:
    """values[i, target[i]] (along class_dim in general)."""
    if values.ndim == 2 and class_dim == 1:
        return values[np.arange(len(target)), target]
    if values.ndim == 1:
        return values[target]
    return np.squeeze(np.take_along_axis(values, np.expand_dims(target, class_dim), axis=class_dim), class_dim)


def _reduction(size_average: Any, reduce: Any, reduction: str) -> str:
    """PyTorch's legacy (size_average, reduce) pair, when given, decides the reduction."""
    if size_average is None and reduce is None:
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"{reduction} is not a valid value for reduction")
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def _target_array(target: Any, name: str) -> np.ndarray:
    if isinstance(target, Tensor):
        return target._data
    if isinstance(target, np.ndarray):
        return target
    raise TypeError(f"{name}(): argument 'target' (position 2) must be Tensor, not {type(target).__name__}")


def _as_float_tensor(value: Any, like: Tensor) -> Tensor:
    if isinstance(value, Tensor):
        return value
    return Tensor._make(np.asarray(value, dtype=like.dtype), False, None)


def _weighted_nll(log_probs: Tensor, labels: np.ndarray, weight: Tensor | None, ignore_index: int,
                  reduction: str, name: str) -> Tensor:
    """-w[t]·log_probs[t] per element (class dim 1, or 0 for one sample), ignored targets give 0;
    'mean' divides by the total weight of the targets not ignored (PyTorch's rule)."""
    class_dim = 1 if log_probs.ndim > 1 else 0
    classes = log_probs.shape[class_dim]
    expected = log_probs.shape[:class_dim] + log_probs.shape[class_dim + 1:]
    if labels.shape != expected:
        if log_probs.ndim >= 2 and labels.ndim >= 1 and labels.shape[0] != log_probs.shape[0]:
            raise ValueError(f"Expected input batch_size ({log_probs.shape[0]}) to match target batch_size "
                             f"({labels.shape[0]}).")
        raise RuntimeError(f"{name}: expected target of shape {list(expected)}, got {list(labels.shape)} "
                           f"(input {list(log_probs.shape)})")
    if weight is not None and weight.shape != (classes,):
        raise RuntimeError(f"weight tensor should be defined either for all {classes} classes or no classes but "
                           f"got weight tensor of shape: {list(weight.shape)}")
    kept = labels != ignore_index
    bad = kept & ((labels < 0) | (labels >= classes))
    if bad.any():
        raise IndexError(f"Target {labels[bad].flat[0]} is out of bounds ({classes} classes: 0..{classes - 1}).")
    safe = np.where(kept, labels, 0)
    if class_dim == 0:
        rows = log_probs.unsqueeze(0)
    else:  # classes last, so each row is one prediction
        rows = log_probs.permute(0, *range(2, log_probs.ndim), 1) if log_probs.ndim > 2 else log_probs
    rows = rows.reshape(-1, classes)
    flat = safe.reshape(-1)
    picked = rows[np.arange(len(flat)), flat]
    picked = picked.reshape(*labels.shape) if labels.ndim != 1 else picked
    if weight is None and kept.all():  # the common case: a plain mean over the batch
        return _reduce(-picked, reduction)
    scale = kept.astype(log_probs.dtype)
    if weight is not None:
        class_weight = weight._data[safe] * scale
        losses = -picked * Tensor._make(class_weight.astype(log_probs.dtype), False, None)
        total = class_weight.sum()
    else:
        losses = -picked * scale
        total = scale.sum()
    if reduction == "mean":
        return losses.sum() / log_probs.dtype.type(total)
    return losses.sum() if reduction == "sum" else losses


def nll_loss(input: Tensor, target: Any, weight: Tensor | None = None, size_average: Any = None,
             ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """-w[t]·input[t] for log-probabilities of shape (C,), (N, C) or (N, C, d1, ...).

    >>> F.nll_loss(F.log_softmax(logits, 1), labels)   # == F.cross_entropy(logits, labels)
    """
    reduction = _reduction(size_average, reduce, reduction)
    labels = _target_array(target, "nll_loss")
    if labels.dtype.kind not in "iu":
        raise RuntimeError(f"expected scalar type Long but found {_torch_kind(labels.dtype)}")
    return _weighted_nll(input, labels, weight, ignore_index, reduction, "nll_loss")


def _torch_kind(dtype: np.dtype) -> str:
    return {"f": "Float", "b": "Bool", "c": "ComplexFloat"}.get(np.dtype(dtype).kind, str(dtype))


def cross_entropy(input: Tensor, target: Any, weight: Tensor | None = None, size_average: Any = None,
                  ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy on logits, fused and stable (finite at logits of ±1e4).

    `target` is integer class indices of shape (N,) for input (N, C) (or (N, d...) for
    (N, C, d...)), or class probabilities of the input's shape. `weight` rescales classes,
    targets equal to `ignore_index` count for nothing, `label_smoothing` mixes the target with
    the uniform distribution, as in PyTorch.

    >>> F.cross_entropy(thw.tensor([[3.2, 5.1, -1.7]]), thw.tensor([0])).item()   # 2.04
    """
    reduction = _reduction(size_average, reduce, reduction)
    labels = _target_array(target, "cross_entropy_loss")
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input.ndim == 0:
        raise RuntimeError("cross_entropy: input must have at least one dimension (the classes)")
    class_dim = 1 if input.ndim > 1 else 0
    classes = input.shape[class_dim]
    if labels.dtype.kind == "f":
        if labels.shape != input.shape:
            raise RuntimeError(f"expected target dtype to be Long or Byte, but got Float (float targets are class "
                               f"probabilities and need the input's shape {list(input.shape)}, got "
                               f"{list(labels.shape)})")
        if weight is None and label_smoothing == 0:
            return _CrossEntropy.apply(input, target, reduction=reduction, class_dim=class_dim)
        probs = _as_float_tensor(target, input)
        if label_smoothing:
            probs = probs * (1 - label_smoothing) + label_smoothing / classes
        log_probs = input.log_softmax(class_dim)
        if weight is not None:
            log_probs = log_probs * weight.reshape(classes, *([1] * (input.ndim - class_dim - 1)))
        losses = -(probs * log_probs).sum(dim=class_dim)
        if reduction == "mean":
            return losses.sum() / (input.numel() // classes)
        return losses.sum() if reduction == "sum" else losses
    if labels.dtype.kind not in "iu":
        raise RuntimeError(f"expected scalar type Long but found {_torch_kind(labels.dtype)}")
    plain = weight is None and label_smoothing == 0
    expected = input.shape[:class_dim] + input.shape[class_dim + 1:]
    # One reduction checks both ends: negative labels read as unsigned are larger than any class.
    in_range = labels.size and labels.view(labels.dtype.str.replace("i", "u")).max() < classes
    if plain and labels.shape == expected and in_range:
        # the fused path (the target Tensor goes in as it came, so graph pictures show the labels)
        return _CrossEntropy.apply(input, target, reduction=reduction, class_dim=class_dim)
    log_probs = input.log_softmax(class_dim)
    loss = _weighted_nll(log_probs, labels, weight, ignore_index, reduction, "cross_entropy")
    if not label_smoothing:
        return loss
    kept = labels != ignore_index
    weighted = log_probs if weight is None else \
        log_probs * weight.reshape(classes, *([1] * (input.ndim - class_dim - 1)))
    smooth = -weighted.sum(dim=class_dim) * kept.astype(input.dtype)
    if reduction == "mean":
        total = weight._data[labels[kept]].sum() if weight is not None else kept.sum()
        smooth = smooth.sum() / input.dtype.type(total)
    elif reduction == "sum":
        smooth = smooth.sum()
    return loss * (1 - label_smoothing) + smooth * (label_smoothing / classes)


def _check_same_shape(input: Tensor, target: Any, name: str) -> None:
    if input.shape != np.shape(target):
        raise ValueError(f"{name}: input shape {input.shape} and target shape {np.shape(target)} differ")


def mse_loss(input: Tensor, target: Any, size_average: Any = None, reduce: Any = None,
             reduction: str = "mean", weight: Any = None) -> Tensor:
    """(input - target)².  >>> F.mse_loss(prediction, y)"""
    reduction = _reduction(size_average, reduce, reduction)
    _check_same_shape(input, target, "mse_loss")
    difference = input - target
    return _reduce(_apply_weight(difference * difference, weight), reduction)


def _apply_weight(losses: Tensor, weight: Any) -> Tensor:
    return losses if weight is None else losses * weight


def l1_loss(input: Tensor, target: Any, size_average: Any = None, reduce: Any = None,
            reduction: str = "mean") -> Tensor:
    """|input - target|.  >>> F.l1_loss(prediction, y)"""
    reduction = _reduction(size_average, reduce, reduction)
    _check_same_shape(input, target, "l1_loss")
    return _reduce((input - target).abs(), reduction)


def smooth_l1_loss(input: Tensor, target: Any, size_average: Any = None, reduce: Any = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5·d²/beta where |d| < beta, else |d| - 0.5·beta (d = input - target).

    >>> F.smooth_l1_loss(boxes, target_boxes, beta=0.5)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _check_same_shape(input, target, "smooth_l1_loss")
    difference = input - target
    if beta == 0:
        return _reduce(difference.abs(), reduction)
    size = difference.abs()
    return _reduce(where(size._data < beta, difference * difference * (0.5 / beta), size - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0,
               weight: Any = None) -> Tensor:
    """0.5·d² where |d| <= delta, else delta·(|d| - 0.5·delta).  >>> F.huber_loss(x, y, delta=2.0)"""
    reduction = _reduction(None, None, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _check_same_shape(input, target, "huber_loss")
    difference = input - target
    size = difference.abs()
    losses = where(size._data <= delta, difference * difference * 0.5, (size - 0.5 * delta) * delta)
    return _reduce(_apply_weight(losses, weight), reduction)


def binary_cross_entropy(input: Tensor, target: Any, weight: Tensor | None = None, size_average: Any = None,
                         reduce: Any = None, reduction: str = "mean") -> Tensor:
    """-w·(t·log p + (1-t)·log(1-p)) for probabilities p; logs clamped at -100 as in PyTorch.

    >>> F.binary_cross_entropy(model(x).sigmoid(), y)
    """
    reduction = _reduction(size_average, reduce, reduction)
    _check_same_shape(input, target, "binary_cross_entropy")
    values = input._data
    if values.size and (values.min() < 0 or values.max() > 1):
        raise RuntimeError("all elements of input should be between 0 and 1 "
                           f"(got values from {values.min()} to {values.max()}); use "
                           "binary_cross_entropy_with_logits for raw scores")
    log_p = input.log().clamp(min=-100)
    log_not_p = (1 - input).log().clamp(min=-100)
    return _reduce(_apply_weight(-(target * log_p + (1 - target) * log_not_p), weight), reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Any, weight: Tensor | None = None,
                                     size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """BCE on raw scores x, stable: (1 - t)·x + (1 + (pw - 1)·t)·log(1 + e^-x), times `weight`.

    >>> F.binary_cross_entropy_with_logits(scores, y, pos_weight=thw.tensor([3.0]))
    """
    reduction = _reduction(size_average, reduce, reduction)
    if input.shape != np.shape(target):
        raise ValueError(f"Target size ({list(np.shape(target))}) must be the same as input size "
                         f"({list(input.shape)})")
    log_sigmoid_neg = softplus(-input.abs()) + (-input).relu()  # log(1 + e^-x), stable both ways
    if pos_weight is None:
        losses = input.relu() - input * target + softplus(-input.abs())
    else:
        losses = (1 - target) * input + (1 + (pos_weight - 1) * target) * log_sigmoid_neg
    return _reduce(_apply_weight(losses, weight), reduction)


def kl_div(input: Tensor, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Pointwise t·(log t - input) for log-probabilities `input` (0 where t = 0);
    with `log_target`, e^t·(t - input). Use reduction='batchmean' for the true KL divergence.

    >>> F.kl_div(F.log_softmax(student, 1), F.softmax(teacher, 1), reduction="batchmean")
    """
    if reduction == "batchmean":
        batch = input.shape[0] if input.ndim else 1
        return kl_div(input, target, size_average, reduce, "sum", log_target) / batch
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_float_tensor(target, input)
    if log_target:
        losses = target.exp() * (target - input)
    else:
        positive = target._data > 0
        safe_log = where(positive, target, 1.0).log()
        losses = where(positive, target * (safe_log - input), (target * 0) - input * 0)
    return _reduce(losses, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Any, margin: float = 0.0,
                        size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """max(0, -y·(x1 - x2) + margin) with y = ±1.  >>> F.margin_ranking_loss(a, b, y, margin=0.5)"""
    reduction = _reduction(size_average, reduce, reduction)
    if not (input1.ndim == input2.ndim == np.ndim(target)):
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {list(input1.shape)}, input2: {list(input2.shape)}, "
                           f"target: {list(np.shape(target))} ")
    return _reduce((-target * (input1 - input2) + margin).relu(), reduction)


def hinge_embedding_loss(input: Tensor, target: Any, margin: float = 1.0, size_average: Any = None,
                         reduce: Any = None, reduction: str = "mean") -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1.  >>> F.hinge_embedding_loss(distances, y)"""
    reduction = _reduction(size_average, reduce, reduction)
    labels = target._data if isinstance(target, Tensor) else np.asarray(target)
    margin_part = where(labels != 1, (margin - input).relu(), 0.0)
    self_part = where(labels != -1, input, 0.0)
    return _reduce(margin_part + self_part, reduction)


def multi_margin_loss(input: Tensor, target: Any, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """Multiclass SVM hinge: Σ_{j≠y} w[y]·max(0, margin - x_y + x_j)^p / C (PyTorch divides by C).

    The lectures' SVM loss is this times the number of classes C.

    >>> F.multi_margin_loss(thw.tensor([[3.2, 5.1, -1.7]]), thw.tensor([0])).item() * 3   # 2.9
    """
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    labels = _class_indices(target, "multi_margin_loss")
    scores = input if input.ndim == 2 else input.unsqueeze(0)
    labels = labels.reshape(-1)
    _check_batch(scores, labels, "multi_margin_loss")
    _check_range(labels, scores.shape[1])
    rows = np.arange(scores.shape[0])
    correct = scores[rows, labels].unsqueeze(1)
    others = np.ones(scores.shape, dtype=scores.dtype)
    others[rows, labels] = 0
    hinge = (scores - correct + margin).relu()
    if p == 2:
        hinge = hinge * hinge
    if weight is not None:
        others = others * weight._data[labels][:, None].astype(scores.dtype)
    losses = (hinge * others).sum(dim=1) / scores.shape[1]
    return _reduce(losses if input.ndim == 2 else losses[0], reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Any, margin: float = 0.0,
                          size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1.

    >>> F.cosine_embedding_loss(a, b, thw.tensor([1, -1]))
    """
    reduction = _reduction(size_average, reduce, reduction)
    epsilon = 1e-12  # PyTorch's, inside the square root
    dot = (input1 * input2).sum(dim=-1)
    norms = (((input1 * input1).sum(dim=-1) + epsilon) * ((input2 * input2).sum(dim=-1) + epsilon)).sqrt()
    cosine = dot / norms
    labels = target._data if isinstance(target, Tensor) else np.asarray(target)
    positive = where(labels == 1, 1 - cosine, 0.0)
    negative = where(labels == -1, (cosine - margin).relu(), 0.0)
    return _reduce(positive + negative, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: Any = None, reduce: Any = None,
                        reduction: str = "mean") -> Tensor:
    """max(d(a, p) - d(a, n) + margin, 0) with d the pairwise p-norm distance (`swap`: use the
    smaller of d(a, n) and d(p, n)).

    >>> F.triplet_margin_loss(anchor, positive, negative, margin=0.2)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not (anchor.ndim == positive.ndim == negative.ndim):
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and negative "
                           f"{negative.ndim}D inputs")
    distance_positive = pairwise_distance(anchor, positive, p, eps)
    distance_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        distance_negative = distance_negative.minimum(pairwise_distance(positive, negative, p, eps))
    return _reduce((distance_positive - distance_negative + margin).relu(), reduction)


def soft_margin_loss(input: Tensor, target: Any, size_average: Any = None, reduce: Any = None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + e^(-y·x)).  >>> F.soft_margin_loss(scores, y)"""
    reduction = _reduction(size_average, reduce, reduction)
    return _reduce(softplus(-target * input), reduction)


# ---------------------------------------------------------------------- from the layer files
from .normalization import batch_norm, group_norm, layer_norm  # noqa: E402, F401
from .sparse import embedding  # noqa: E402, F401

# convolution and pooling
