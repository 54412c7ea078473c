"""Ways to make tensors: from data, constants, ranges and random draws, PyTorch-style.

Every factory takes PyTorch's keywords: `dtype=`, `device=` ('cpu' only: any other device
raises a RuntimeError), `requires_grad=`, and the random ones `generator=` (a `thw.Generator`;
without it, the default generator that `thw.manual_seed` seeds). dtypes follow PyTorch: Python
floats give the default dtype (float32), integers int64, bools bool.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .aliases import out_argument
from .device import check_device
from .random import numpy_generator
from .tensor import Tensor, _shape_args, get_default_dtype

__all__ = ["arange", "as_tensor", "asarray", "bernoulli", "empty", "empty_like", "eye", "from_numpy", "full",
           "full_like", "linspace", "logspace", "multinomial", "normal", "ones", "ones_like", "poisson", "rand",
           "rand_like", "randint", "randint_like", "randn", "randn_like", "randperm", "tensor", "zeros", "zeros_like"]


def _new(array: np.ndarray, requires_grad: bool, device: Any = None) -> Tensor:
    check_device(device)
    return Tensor._make(array, False, None).requires_grad_(requires_grad)


def _check_supported(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind == "c" or array.dtype == np.float16:
        raise TypeError(f"{array.dtype} tensors are out of scope for tinygrad_hw; use float32 or float64")
    return array


def _float_dtype(dtype: Any) -> np.dtype:
    return get_default_dtype() if dtype is None else np.dtype(dtype)


def _size(size: tuple) -> tuple:
    shape = tuple(int(s) for s in _shape_args(size))
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: {list(shape)}")
    return shape


def _number(value: Any) -> Any:
    return value.item() if isinstance(value, Tensor) else value


def _is_integer(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


# ----------------------------------------------------------------- from data
def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """Make a tensor from a number, (nested) list, array or tensor (always a copy).

    >>> thw.tensor([[1.0, 2.0]], requires_grad=True)
    Tensor([[1., 2.]], requires_grad=True)
    """
    check_device(device)
    made = Tensor(data, dtype=dtype)
    _check_supported(made._data)
    return made.requires_grad_(requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like `tensor`, but an ndarray or Tensor already of that dtype is shared, not copied.

    >>> a = np.zeros(2, np.float32); thw.as_tensor(a).numpy() is a
    True
    """
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or np.dtype(dtype) == data.dtype else data.astype(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or np.dtype(dtype) == data.dtype):
        return Tensor._make(_check_supported(data), False, None)
    return tensor(data, dtype=dtype)


def asarray(obj: Any, *, dtype: Any = None, device: Any = None, copy: bool | None = None,
            requires_grad: bool = False) -> Tensor:
    """`as_tensor` with `copy=` (True: always copy; False: never, or raise).

    >>> thw.asarray([1, 2]).dtype
    dtype('int64')
    """
    if copy:
        return tensor(obj, dtype=dtype, device=device, requires_grad=requires_grad)
    result = as_tensor(obj, dtype=dtype, device=device)
    shared = isinstance(obj, (Tensor, np.ndarray)) and np.shares_memory(result._data, np.asarray(obj))
    if copy is False and not shared:
        raise ValueError("asarray(copy=False): the data cannot be used without a copy")
    return result.requires_grad_(requires_grad) if requires_grad else result


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """Wrap an array without copying: changes to one show in the other.

    >>> t = thw.from_numpy(np.zeros(3, np.float32))
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if ndarray.dtype.kind not in "biuf" or ndarray.dtype.kind == "u" and ndarray.dtype != np.uint8:
        _check_supported(ndarray)
        if ndarray.dtype.kind not in "biuf":
            raise TypeError(f"can't convert np.ndarray of type {ndarray.dtype}. The only supported types are: "
                            "float64, float32, int64, int32, int16, int8, uint8, and bool.")
    return Tensor._make(_check_supported(ndarray), False, None)


# ----------------------------------------------------------------- constants
@out_argument
def zeros(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """>>> thw.zeros(2, 3).shape
    (2, 3)"""
    return _new(np.zeros(_size(size), _float_dtype(dtype)), requires_grad, device)


@out_argument
def ones(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """>>> thw.ones(2).tolist()
    [1.0, 1.0]"""
    return _new(np.ones(_size(size), _float_dtype(dtype)), requires_grad, device)


@out_argument
def empty(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False, memory_format: Any = None) -> Tensor:
    """Uninitialised values (here: zeros, so runs stay repeatable).

    >>> thw.empty(4).shape
    (4,)
    """
    return _new(np.zeros(_size(size), _float_dtype(dtype)), requires_grad, device)


def _fill_dtype(fill_value: Any, dtype: Any) -> np.dtype:
    if dtype is not None:
        return np.dtype(dtype)
    if isinstance(fill_value, (bool, np.bool_)):
        return np.dtype(np.bool_)
    if _is_integer(fill_value):
        return np.dtype(np.int64)
    if isinstance(fill_value, complex):
        raise TypeError("complex numbers are out of scope for tinygrad_hw")
    return get_default_dtype()


@out_argument
def full(size: Any, fill_value: Any, *, dtype: Any = None, layout: Any = None,
         device: Any = None, requires_grad: bool = False) -> Tensor:
    """`fill_value` everywhere; an int fill gives int64, a bool fill bool, a float the default dtype.

    >>> thw.full((2,), 7).dtype, thw.full((2,), 7.0).dtype
    (dtype('int64'), dtype('float32'))
    """
    fill_value = _number(fill_value)
    return _new(np.full(_size((size,)), fill_value, _fill_dtype(fill_value, dtype)), requires_grad, device)


@out_argument
def eye(n: int, m: int | None = None, *, dtype: Any = None, layout: Any = None,
        device: Any = None, requires_grad: bool = False) -> Tensor:
    """>>> thw.eye(2).tolist()
    [[1.0, 0.0], [0.0, 1.0]]"""
    if n < 0 or m is not None and m < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {min(n, m if m is not None else n)}")
    return _new(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad, device)


# ----------------------------------------------------------------- ranges
@out_argument
def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """start, start + step, ... below end. All-integer arguments give int64, as in PyTorch;
    any float argument gives the default dtype.

    >>> thw.arange(3).tolist(), thw.arange(0, 1, 0.5).tolist()
    ([0, 1, 2], [0.0, 0.5])
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        dtype = np.int64 if all(_is_integer(v) for v in (start, end, step)) else get_default_dtype()
    dtype = np.dtype(dtype)
    if dtype.kind in "iub":  # PyTorch casts the arguments to the integer type first
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise RuntimeError("step must be nonzero")
    length = max(math.ceil((end - start) / step), 0)
    if dtype.kind in "iub":
        values = np.arange(start, end, step, dtype=np.int64).astype(dtype)
    else:  # in double precision, then cast (PyTorch computes the points the same way)
        values = (start + np.arange(length, dtype=np.float64) * step).astype(dtype)
    return _new(values, requires_grad, device)


@out_argument
def linspace(start: Any, end: Any, steps: int, *, dtype: Any = None, layout: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced points from start to end; an integer dtype truncates them, as PyTorch.

    >>> thw.linspace(0, 1, 3).tolist(), thw.linspace(0, 10, 4, dtype=thw.int64).tolist()
    ([0.0, 0.5, 1.0], [0, 3, 6, 10])
    """
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    dtype, start, end = _float_dtype(dtype), _number(start), _number(end)
    if dtype.kind in "iub":  # PyTorch's integer linspace walks between the truncated ends
        start, end = int(start), int(end)
    return _new(_spaced(float(start), float(end), int(steps)).astype(dtype), requires_grad, device)


def _spaced(start: float, end: float, steps: int) -> np.ndarray:
    """PyTorch's points: from start for the first half, back from end for the second (so both
    ends are exact), in double precision."""
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    positions = np.arange(steps, dtype=np.float64)
    half = steps // 2
    return np.where((positions < half) | (steps == 1), start + step * positions, end - step * (steps - 1 - positions))


@out_argument
def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: Any = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """base ** linspace(start, end, steps).

    >>> thw.logspace(0, 2, 3).tolist()
    [1.0, 10.0, 100.0]
    """
    if steps < 0:
        raise RuntimeError("logspace(): number of steps must be non-negative")
    exponents = _spaced(float(_number(start)), float(_number(end)), int(steps))
    return _new(np.power(float(base), exponents).astype(_float_dtype(dtype)), requires_grad, device)


# ----------------------------------------------------------------- shaped like another tensor
def _like(input: Any, dtype: Any) -> tuple[tuple, np.dtype]:
    array = input._data if isinstance(input, Tensor) else np.asarray(input)
    return array.shape, array.dtype if dtype is None else np.dtype(dtype)


def zeros_like(input: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """>>> thw.zeros_like(thw.ones(2)).tolist()
    [0.0, 0.0]"""
    shape, dtype = _like(input, dtype)
    return _new(np.zeros(shape, dtype), requires_grad, device)


def ones_like(input: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """>>> thw.ones_like(thw.zeros(2)).tolist()
    [1.0, 1.0]"""
    shape, dtype = _like(input, dtype)
    return _new(np.ones(shape, dtype), requires_grad, device)


def empty_like(input: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """>>> thw.empty_like(thw.arange(3)).dtype
    dtype('int64')"""
    shape, dtype = _like(input, dtype)
    return _new(np.zeros(shape, dtype), requires_grad, device)


def full_like(input: Any, fill_value: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """>>> thw.full_like(thw.zeros(2), 3).tolist()
    [3.0, 3.0]"""
    shape, dtype = _like(input, dtype)
    return _new(np.full(shape, _number(fill_value), dtype), requires_grad, device)


def rand_like(input: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None, generator: Any = None) -> Tensor:
    """>>> thw.rand_like(thw.zeros(2, 2)).shape
    (2, 2)"""
    shape, dtype = _like(input, dtype)
    return rand(shape, dtype=dtype, device=device, requires_grad=requires_grad, generator=generator)


def randn_like(input: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None, generator: Any = None) -> Tensor:
    """>>> thw.randn_like(thw.zeros(2, 2)).shape
    (2, 2)"""
    shape, dtype = _like(input, dtype)
    return randn(shape, dtype=dtype, device=device, requires_grad=requires_grad, generator=generator)


def randint_like(input: Any, low: int = 0, high: int | None = None, *, dtype: Any = None, layout: Any = None,
                 device: Any = None, requires_grad: bool = False, memory_format: Any = None,
                 generator: Any = None) -> Tensor:
    """Integers in [low, high) in input's shape and dtype (`randint_like(x, high)` too).

    >>> thw.randint_like(thw.zeros(3), 5).dtype
    dtype('float32')
    """
    shape, dtype = _like(input, dtype)
    return randint(low, high, shape, dtype=dtype, device=device, requires_grad=requires_grad, generator=generator)


# ----------------------------------------------------------------- random draws
@out_argument
def rand(*size: Any, generator: Any = None, dtype: Any = None, layout: Any = None,
         device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Uniform on [0, 1), drawn in the requested dtype (no float64 detour).

    >>> thw.rand(2, 2, generator=thw.Generator().manual_seed(0)).shape
    (2, 2)
    """
    dtype = _float_dtype(dtype)
    if dtype.kind != "f":
        raise NotImplementedError(f'"check_uniform_bounds" not implemented for \'{dtype}\'')
    return _new(numpy_generator(generator).random(_size(size), dtype=dtype), requires_grad, device)


@out_argument
def randn(*size: Any, generator: Any = None, dtype: Any = None, layout: Any = None,
          device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Standard normal draws.

    >>> thw.randn(3).shape
    (3,)
    """
    dtype = _float_dtype(dtype)
    if dtype.kind != "f":
        raise NotImplementedError(f'"normal_kernel_cpu" not implemented for \'{dtype}\'')
    return _new(numpy_generator(generator).standard_normal(_size(size), dtype=dtype), requires_grad, device)


@out_argument
def randint(low: int = 0, high: int | None = None, size: Any = None, *, generator: Any = None,
            dtype: Any = None, layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers in [low, high), as torch.randint (also `randint(high, size)`); int64 by default.

    >>> thw.randint(0, 10, (5,)).shape, thw.randint(3, (2,)).dtype
    ((5,), dtype('int64'))
    """
    if size is None:  # randint(high, size)
        if high is None:
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dtype = np.dtype(np.int64 if dtype is None else dtype)
    draws = numpy_generator(generator).integers(int(low), int(high), size=_size((size,)), dtype=np.int64)
    return _new(draws.astype(dtype), requires_grad, device)


@out_argument
def randperm(n: int, *, generator: Any = None, dtype: Any = None, layout: Any = None,
             device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A random permutation of 0..n-1 (int64).

    >>> sorted(thw.randperm(4).tolist())
    [0, 1, 2, 3]
    """
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    permutation = numpy_generator(generator).permutation(int(n))
    return _new(permutation.astype(np.int64 if dtype is None else dtype), requires_grad, device)


@out_argument
def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Any = None,
           dtype: Any = None, layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Normal draws: `normal(mean_tensor, std_tensor)` (elementwise, broadcast), `normal(mean_tensor,
    std=1.0)`, `normal(mean, std_tensor)`, or `normal(mean, std, size)` with numbers.

    >>> thw.normal(thw.zeros(3), 1.0).shape, thw.normal(2.0, 3.0, (2, 2)).shape
    ((3,), (2, 2))
    """
    rng = numpy_generator(generator)
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError("normal() with numbers for mean and std needs a size")
        if float(std) < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        dtype = _float_dtype(dtype)
        draws = rng.standard_normal(_size((size,)), dtype=dtype) * dtype.type(std) + dtype.type(mean)
        return _new(draws.astype(dtype, copy=False), requires_grad, device)
    result_dtype = np.result_type(*[t.dtype for t in tensors])
    if result_dtype.kind != "f":
        raise RuntimeError(f'"normal_kernel_cpu" not implemented for \'{result_dtype}\'')
    means = mean._data if isinstance(mean, Tensor) else np.asarray(mean, result_dtype)
    stds = std._data if isinstance(std, Tensor) else np.asarray(std, result_dtype)
    if (stds < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    shape = np.broadcast_shapes(means.shape, stds.shape)
    draws = rng.standard_normal(shape, dtype=result_dtype) * stds + means
    return _new(draws.astype(result_dtype, copy=False), requires_grad, device)


@out_argument
def bernoulli(input: Tensor, p: float | None = None, *, generator: Any = None) -> Tensor:
    """1 with probability input (or `p`), else 0, in input's dtype.

    >>> thw.bernoulli(thw.full((3,), 1.0)).tolist()
    [1.0, 1.0, 1.0]
    """
    probabilities = input._data if p is None else np.asarray(p)
    if ((probabilities < 0) | (probabilities > 1)).any():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    draws = numpy_generator(generator).random(input.shape) < probabilities
    return _new(draws.astype(input.dtype), False)


@out_argument
def poisson(input: Tensor, generator: Any = None) -> Tensor:
    """Poisson draws with rates `input`, in input's dtype.

    >>> thw.poisson(thw.zeros(2)).tolist()
    [0.0, 0.0]
    """
    if (input._data < 0).any():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return _new(numpy_generator(generator).poisson(input._data).astype(input.dtype), False)


@out_argument
def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
    """Draw category indices with probabilities proportional to the (non-negative) weights in
    each row of `input` (1-D or 2-D). Without replacement, rows are drawn by Gumbel-top-k,
    which gives the same distribution as drawing one by one (vectorized over rows).

    >>> thw.multinomial(thw.tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
    [1, 1]
    """
    weights = np.asarray(input._data, dtype=np.float64)
    if weights.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim, got {weights.ndim}")
    if input.dtype.kind != "f":
        raise RuntimeError(f'"multinomial" not implemented for \'{input.dtype}\'')
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    rows = weights.reshape(-1, weights.shape[-1])
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = rows.sum(axis=1, keepdims=True)
    if (totals <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    rng = numpy_generator(generator)
    if replacement:
        cumulative = np.cumsum(rows / totals, axis=1)
        cumulative[:, -1] = 1.0
        draws = rng.random((rows.shape[0], num_samples))
        # one searchsorted for all rows: row r's cumulative values are shifted into [r, r + 1]
        offsets = np.arange(rows.shape[0])[:, None]
        flat = np.searchsorted((cumulative + offsets).ravel(), (draws + offsets).ravel(), side="right")
        picks = np.minimum(flat.reshape(draws.shape) - offsets * rows.shape[1], rows.shape[1] - 1)
    else:
        with np.errstate(divide="ignore"):
            keys = np.log(rows) + rng.gumbel(size=rows.shape)
        picks = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    picks = picks.astype(np.int64)
    return _new(picks.reshape(num_samples) if weights.ndim == 1 else picks, False)
