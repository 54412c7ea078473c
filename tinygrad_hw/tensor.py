"""`Tensor`: a NumPy array that remembers how it was made, so gradients can flow back.

Every operation on tensors is a `Function` (see `function.py` and the built-in ops in
`ops.py`); the methods here only name them. `backward()` hands the graph to `engine.py`.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Callable

import numpy as np


_DEFAULT_DTYPE = [np.dtype(np.float32)]

ReturnValues = namedtuple("ReturnValues", ["values", "indices"])  # what max(dim) returns


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype that Python floats and lists become (float32 or float64).

    >>> thw.set_default_dtype(np.float64); thw.tensor([1.5]).dtype
    dtype('float64')
    """
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"default dtype must be float32 or float64, got {dtype}")
    _DEFAULT_DTYPE[0] = dtype


def get_default_dtype() -> np.dtype:
    """The dtype that Python floats and lists become; float32 unless changed.

    >>> thw.get_default_dtype()
    dtype('float32')
    """
    return _DEFAULT_DTYPE[0]


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data._data
    if isinstance(data, np.ndarray):
        return np.array(data, dtype=dtype)  # a copy, as torch.tensor(ndarray) makes
    array = np.array(data, dtype=dtype)
    if dtype is None and array.dtype == np.float64:  # Python floats: the default dtype
        array = array.astype(_DEFAULT_DTYPE[0])
    if array.dtype == object:
        raise TypeError(f"cannot make a Tensor from {type(data).__name__} data {data!r:.80}")
    return array


class Tensor:
    """A NumPy array with autograd.

    >>> x = thw.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    Tensor([2., 4., 6.])
    """

    __slots__ = ("_data", "grad", "requires_grad", "grad_fn", "_hooks", "name", "__weakref__")
    __array_ufunc__ = None  # `ndarray + Tensor` calls Tensor.__radd__ instead of looping

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None):
        self._setup(_to_array(data, dtype), requires_grad)

    def _setup(self, array: np.ndarray, requires_grad: bool) -> None:
        self._data = array
        self.grad = None
        self.grad_fn = None
        self._hooks = None
        self.name = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @staticmethod
    def _make(data: np.ndarray, requires_grad: bool, grad_fn: Any) -> "Tensor":
        """Wrap an array without copying or checking (the engine's fast path)."""
        tensor = object.__new__(Tensor)
        tensor._data = data
        tensor.grad = None
        tensor.requires_grad = requires_grad
        tensor.grad_fn = grad_fn
        tensor._hooks = None
        tensor.name = None
        return tensor

    # ----------------------------------------------------------------- attributes
    @property
    def data(self) -> np.ndarray:
        """The NumPy array; assigning replaces the values (dtype and shape included)."""
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def shape(self) -> tuple:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def device(self) -> str:
        return "cpu"

    @property
    def T(self) -> "Tensor":
        return self.permute(*reversed(range(self.ndim)))

    def size(self, dim: int | None = None) -> tuple | int:
        """The shape, or one dimension of it.

        >>> thw.zeros(2, 3).size(), thw.zeros(2, 3).size(1)
        ((2, 3), 3)
        """
        return self.shape if dim is None else self.shape[dim]

    def numel(self) -> int:
        return self._data.size

    def dim(self) -> int:
        return self._data.ndim

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    __hash__ = object.__hash__  # `==` is elementwise, so hash by identity as PyTorch does

    # ----------------------------------------------------------------- conversions
    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied).

        >>> thw.tensor([1.0, 2.0]).numpy()
        array([1., 2.], dtype=float32)
        """
        return self._data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number.

        >>> thw.tensor([[2.5]]).item()
        2.5
        """
        if self._data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, this one has shape {self.shape}")
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"the truth value of a tensor of shape {self.shape} is ambiguous")
        return bool(self._data.item())

    def detach(self) -> "Tensor":
        """The same values, cut from the graph (shares memory).

        >>> y = (x * 2).detach()   # y.requires_grad is False
        """
        return Tensor._make(self._data, False, None)

    def astype(self, dtype: Any) -> "Tensor":
        """A copy in another dtype; differentiable between float dtypes.

        >>> thw.tensor([1.5]).astype(np.float64).dtype
        dtype('float64')
        """
        dtype = np.dtype(dtype)
        return self if dtype == self.dtype else ops.Cast.apply(self, dtype=dtype)

    def to(self, target: Any) -> "Tensor":
        """`.to(dtype)` converts; `.to("cpu")` is accepted as PyTorch code writes it (a no-op)."""
        if isinstance(target, str) and target.split(":")[0] == "cpu":
            return self
        return self.astype(target)

    def float(self) -> "Tensor":
        return self.astype(np.float32)

    def double(self) -> "Tensor":
        return self.astype(np.float64)

    def long(self) -> "Tensor":
        return self.astype(np.int64)

    def __repr__(self) -> str:
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extras = []
        if self._data.dtype not in (_DEFAULT_DTYPE[0], np.int64, np.bool_):
            extras.append(f"dtype={self._data.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{self.grad_fn.name}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "Tensor(" + ", ".join([body] + extras) + ")"

    # ----------------------------------------------------------------- autograd
    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Mark a leaf as needing a gradient; only float tensors can.

        >>> w = thw.zeros(3).requires_grad_()
        """
        if requires_grad and self._data.dtype.kind not in "fc":
            raise TypeError(
                f"only floating-point tensors can require gradients, this one is {self.dtype}; "
                "make it with float values or dtype=np.float32")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("requires_grad can only be switched off on leaves; use detach()")
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient: Any = None, retain_graph: bool = False) -> None:
        """Compute the gradient of this tensor with respect to every leaf that requires grad.

        Gradients are added into each leaf's `.grad`. The graph's saved arrays are freed
        afterwards unless `retain_graph=True`.

        >>> loss = ((w * x).sum() - 1) ** 2
        >>> loss.backward()
        >>> w.grad            # d loss / d w
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() on a tensor that does not require grad and has no grad_fn: none of "
                "its inputs had requires_grad=True (or it was computed under no_grad())")
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError(
                    f"backward() without a gradient needs a scalar output, this one has shape "
                    f"{self.shape}; pass gradient= of that shape (e.g. thw.ones_like(out))")
            grad = np.ones_like(self._data)
        else:
            grad = np.asarray(gradient._data if isinstance(gradient, Tensor) else gradient,
                              dtype=self.dtype)
            if grad.shape != self.shape:
                raise RuntimeError(
                    f"backward(): gradient has shape {grad.shape} but the tensor has shape {self.shape}")
        if self.grad_fn is None:
            self._accumulate_grad(grad, grad)
        else:
            engine.backward(self, grad, retain_graph)

    def _accumulate_grad(self, grad: np.ndarray, shared_with: np.ndarray) -> None:
        if self._hooks:
            grad = engine._run_hooks(self._hooks, grad)
        if self.grad is None:
            # Keep the array unless it may be the incoming gradient itself (or a view of it),
            # which an op such as Add hands to several inputs at once.
            owned = grad.flags.writeable and not np.may_share_memory(grad, shared_with)
            self.grad = Tensor._make(grad if owned else grad.copy(order="K"), False, None)
        else:
            self.grad._data = self.grad._data + grad

    def retain_grad(self) -> None:
        """Keep `.grad` on a non-leaf tensor too.

        >>> h = x @ w; h.retain_grad(); h.sum().backward(); h.grad
        """
        if self.grad_fn is not None:
            self.grad_fn._retained_output = self

    def register_hook(self, hook: Callable[["Tensor"], "Tensor | None"]) -> None:
        """Call `hook(grad)` when this tensor's gradient is computed; it may return a new one.

        >>> x.register_hook(lambda g: g.clamp(-1, 1))
        """
        if self.grad_fn is None:
            self._hooks = (self._hooks or []) + [hook]
        else:
            self.grad_fn._hooks = (self.grad_fn._hooks or []) + [hook]

    # ----------------------------------------------------------------- in-place updates
    def _check_inplace(self) -> None:
        if STATE.grad_enabled and self.requires_grad and self.grad_fn is None:
            raise RuntimeError(
                "a leaf tensor that requires grad is being used in an in-place operation; "
                "wrap the update in `with thw.no_grad():`")

    def _inplace(self, op: Callable, other: Any) -> "Tensor":
        if STATE.grad_enabled and self.requires_grad:
            self._check_inplace()
            return op(self, other)  # non-leaf under recording: an ordinary new node
        other = other._data if isinstance(other, Tensor) else other
        result = op(self._data, other)
        if result.shape != self.shape:
            raise RuntimeError(f"in-place result of shape {result.shape} does not fit {self.shape}")
        np.copyto(self._data, result, casting="same_kind")
        return self

    def __iadd__(self, other):
        return self._inplace(lambda a, b: a + b, other)

    def __isub__(self, other):
        return self._inplace(lambda a, b: a - b, other)

    def __imul__(self, other):
        return self._inplace(lambda a, b: a * b, other)

    def __itruediv__(self, other):
        return self._inplace(lambda a, b: a / b, other)

    def add_(self, other: Any, alpha: float = 1.0) -> "Tensor":
        return self._inplace(lambda a, b: a + alpha * b, other)

    def sub_(self, other: Any, alpha: float = 1.0) -> "Tensor":
        return self._inplace(lambda a, b: a - alpha * b, other)

    def mul_(self, other: Any) -> "Tensor":
        return self._inplace(lambda a, b: a * b, other)

    def zero_(self) -> "Tensor":
        self._check_inplace()
        self._data[...] = 0
        return self

    def fill_(self, value: float) -> "Tensor":
        self._check_inplace()
        self._data[...] = value
        return self

    def copy_(self, source: Any) -> "Tensor":
        self._check_inplace()
        np.copyto(self._data, np.asarray(source._data if isinstance(source, Tensor) else source),
                  casting="same_kind")
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check_inplace()
        if STATE.grad_enabled and self.requires_grad:
            raise RuntimeError("item assignment on a tensor that is part of a graph is not supported")
        self._data[_index_arrays(index)] = value._data if isinstance(value, Tensor) else value

    # ----------------------------------------------------------------- arithmetic
    def __add__(self, other):
        return _binary(ops.Add, self, other, "add")

    def __radd__(self, other):
        return _binary(ops.Add, other, self, "add")

    def __sub__(self, other):
        return _binary(ops.Sub, self, other, "subtract")

    def __rsub__(self, other):
        return _binary(ops.Sub, other, self, "subtract")

    def __mul__(self, other):
        return _binary(ops.Mul, self, other, "multiply")

    def __rmul__(self, other):
        return _binary(ops.Mul, other, self, "multiply")

    def __truediv__(self, other):
        return _binary(ops.Div, self, other, "divide")

    def __rtruediv__(self, other):
        return _binary(ops.Div, other, self, "divide")

    def __pow__(self, exponent):
        return _binary(ops.Pow, self, exponent, "pow")

    def __rpow__(self, base):
        return _binary(ops.Pow, base, self, "pow")

    def __matmul__(self, other):
        return ops.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.matmul(other, self)

    def __neg__(self):
        return ops.Neg.apply(self)

    def __abs__(self):
        return ops.Abs.apply(self)

    def pow(self, exponent: Any) -> "Tensor":
        return self ** exponent

    def matmul(self, other: Any) -> "Tensor":
        return ops.matmul(self, other)

    # comparisons give bool tensors and carry no gradient
    def _compare(self, other, compare):
        other = other._data if isinstance(other, Tensor) else other
        return Tensor._make(np.asarray(compare(self._data, other)), False, None)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    # ----------------------------------------------------------------- elementwise
    def exp(self) -> "Tensor":
        return ops.Exp.apply(self)

    def log(self) -> "Tensor":
        return ops.Log.apply(self)

    def sqrt(self) -> "Tensor":
        return ops.Sqrt.apply(self)

    def abs(self) -> "Tensor":
        return ops.Abs.apply(self)

    def tanh(self) -> "Tensor":
        return ops.Tanh.apply(self)

    def sigmoid(self) -> "Tensor":
        return ops.Sigmoid.apply(self)

    def relu(self) -> "Tensor":
        return ops.ReLU.apply(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> "Tensor":
        return ops.LeakyReLU.apply(self, negative_slope=negative_slope)

    def clamp(self, min: float | None = None, max: float | None = None) -> "Tensor":
        """Limit values to [min, max]; the gradient passes where the input is inside.

        >>> thw.tensor([-2.0, 0.5, 3.0]).clamp(-1, 1)
        Tensor([-1. ,  0.5,  1. ])
        """
        if min is None and max is None:
            raise ValueError("clamp needs at least one of min and max")
        return ops.Clamp.apply(self, low=min, high=max)

    clip = clamp

    def maximum(self, other: Any) -> "Tensor":
        return _binary(ops.Maximum, self, other, "maximum")

    def minimum(self, other: Any) -> "Tensor":
        return _binary(ops.Minimum, self, other, "minimum")

    # ----------------------------------------------------------------- reductions
    def sum(self, dim: int | tuple | None = None, keepdim: bool = False) -> "Tensor":
        """Sum over `dim` (all elements when None).

        >>> thw.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0)
        Tensor([4., 6.])
        """
        return ops.Sum.apply(self, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def mean(self, dim: int | tuple | None = None, keepdim: bool = False) -> "Tensor":
        return ops.Mean.apply(self, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False):
        """The largest value; with `dim`, the named tuple `(values, indices)` as in PyTorch.

        >>> thw.tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=1).indices
        Tensor([1, 0])
        """
        if dim is None:
            return ops.Max.apply(self)
        values = ops.MaxAlongDim.apply(self, dim=_normalize_dims(dim, self.ndim)[0], keepdim=keepdim)
        return ReturnValues(values, self.argmax(dim, keepdim))

    def min(self, dim: int | None = None, keepdim: bool = False):
        """The smallest value; derived from max: min(x) = -max(-x)."""
        if dim is None:
            return -(-self).max()
        values, indices = (-self).max(dim, keepdim)
        return ReturnValues(-values, indices)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        """Index of the largest value (first one on ties); no gradient.

        >>> thw.tensor([1.0, 9.0, 3.0]).argmax().item()
        1
        """
        if dim is None:
            return Tensor._make(np.asarray(self._data.argmax()), False, None)
        return Tensor._make(self._data.argmax(axis=dim, keepdims=keepdim), False, None)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        if dim is None:
            return Tensor._make(np.asarray(self._data.argmin()), False, None)
        return Tensor._make(self._data.argmin(axis=dim, keepdims=keepdim), False, None)

    def var(self, dim: int | tuple | None = None, correction: int = 1, keepdim: bool = False,
            unbiased: bool | None = None) -> "Tensor":
        """Variance with Bessel's correction by default (as torch.var).

        >>> thw.tensor([1.0, 2.0, 3.0, 4.0]).var().item()
        1.6666666...
        """
        if unbiased is not None:
            correction = int(unbiased)
        dims = _normalize_dims(dim, self.ndim)
        count = self._data.size if dims is None else int(np.prod([self.shape[d] for d in dims]))
        deviation = self - self.mean(dims, keepdim=True)
        return (deviation * deviation).sum(dims, keepdim=keepdim) / max(count - correction, 0)

    def std(self, dim: int | tuple | None = None, correction: int = 1, keepdim: bool = False) -> "Tensor":
        return self.var(dim, correction=correction, keepdim=keepdim).sqrt()

    def logsumexp(self, dim: int | tuple, keepdim: bool = False) -> "Tensor":
        """log(sum(exp(x))) over `dim`, without overflow.

        >>> thw.tensor([1e4, 1e4]).logsumexp(0).item()   # 1e4 + log 2
        10000.693...
        """
        return ops.LogSumExp.apply(self, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def softmax(self, dim: int) -> "Tensor":
        """exp(x) / sum(exp(x)) along `dim`, stable for large inputs.

        >>> thw.tensor([1.0, 2.0, 7.0, 3.0, 2.0]).softmax(0)   # the slides' 0.967 for 7
        """
        return ops.Softmax.apply(self, dim=dim)

    def log_softmax(self, dim: int) -> "Tensor":
        return ops.LogSoftmax.apply(self, dim=dim)

    # ----------------------------------------------------------------- shape
    def reshape(self, *shape: Any) -> "Tensor":
        """The same values in a new shape (one dimension may be -1).

        >>> thw.arange(6).reshape(2, 3).shape
        (2, 3)
        """
        shape = _shape_args(shape)
        try:
            new_shape = _resolve_shape(shape, self._data.size)
        except ValueError:
            raise ValueError(f"cannot reshape a tensor of shape {self.shape} "
                             f"({self._data.size} elements) into {tuple(shape)}") from None
        return self if new_shape == self.shape else ops.Reshape.apply(self, shape=new_shape)

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        """Merge dimensions start_dim..end_dim into one.

        >>> thw.zeros(2, 3, 4).flatten(1).shape
        (2, 12)
        """
        if self.ndim == 0:
            return self.reshape(1)
        start, end = start_dim % self.ndim, end_dim % self.ndim
        return self.reshape(*self.shape[:start], -1, *self.shape[end + 1:])

    def unsqueeze(self, dim: int) -> "Tensor":
        dim = dim % (self.ndim + 1)
        return self.reshape(*self.shape[:dim], 1, *self.shape[dim:])

    def squeeze(self, dim: int | None = None) -> "Tensor":
        if dim is None:
            return self.reshape(*[s for s in self.shape if s != 1])
        dim = dim % self.ndim
        if self.shape[dim] != 1:
            return self
        return self.reshape(*self.shape[:dim], *self.shape[dim + 1:])

    def permute(self, *dims: Any) -> "Tensor":
        dims = tuple(d % self.ndim for d in _shape_args(dims))
        if sorted(dims) != list(range(self.ndim)):
            raise ValueError(f"permute: {dims} is not an ordering of the {self.ndim} dims of {self.shape}")
        return ops.Permute.apply(self, dims=dims)

    def transpose(self, dim0: int, dim1: int) -> "Tensor":
        dims = list(range(self.ndim))
        dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
        return self.permute(*dims)

    def t(self) -> "Tensor":
        return self.transpose(0, 1) if self.ndim == 2 else self

    def expand(self, *sizes: Any) -> "Tensor":
        """Broadcast to a larger shape without copying (-1 keeps a size).

        >>> thw.ones(3, 1).expand(3, 4).shape
        (3, 4)
        """
        sizes = _shape_args(sizes)
        lead = len(sizes) - self.ndim
        shape = tuple(self.shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
        try:
            np.broadcast_shapes(self.shape, shape)
        except ValueError:
            raise ValueError(f"expand: shape {self.shape} cannot be expanded to {shape}") from None
        return ops.Expand.apply(self, shape=shape)

    def contiguous(self) -> "Tensor":
        return self

    def __getitem__(self, index: Any) -> "Tensor":
        return ops.Index.apply(self, index=_index_arrays(index))


def _binary(function: Any, left: Any, right: Any, verb: str) -> Tensor:
    try:
        return function.apply(left, right)
    except ValueError as error:
        if "broadcast" not in str(error):
            raise
        raise ValueError(f"{verb}: shapes {np.shape(left)} and {np.shape(right)} do not broadcast "
                         "(trailing dimensions must be equal or 1)") from None


def _shape_args(shape: tuple) -> tuple:
    """Accept both `f(2, 3)` and `f((2, 3))`."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _resolve_shape(shape: tuple, size: int) -> tuple:
    if shape.count(-1) > 1:
        raise ValueError("only one dimension can be -1")
    if -1 in shape:
        known = int(np.prod([s for s in shape if s != -1]))
        if known == 0 or size % known:
            raise ValueError("does not divide")
        shape = tuple(size // known if s == -1 else s for s in shape)
    if int(np.prod(shape)) != size:
        raise ValueError("size mismatch")
    return tuple(int(s) for s in shape)


def _normalize_dims(dim: Any, ndim: int) -> tuple | None:
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    for d in dims:
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise IndexError(f"dim {d} is out of range for a tensor with {ndim} dimensions")
    return tuple(d % max(ndim, 1) for d in dims)


def _index_arrays(index: Any) -> Any:
    """Replace Tensors inside an index by their arrays."""
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, tuple):
        return tuple(i._data if isinstance(i, Tensor) else i for i in index)
    return index


# The autograd machinery and the ops build on Tensor, so they come after it.
from . import ops  # noqa: E402
from .autograd import engine  # noqa: E402
from .autograd.grad_mode import STATE  # noqa: E402
