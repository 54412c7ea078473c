"""`Tensor`: a NumPy array that remembers how it was made, so gradients can flow back.

Every operation on tensors is a `Function` (see `autograd/function.py` and the built-in ops in
`ops/`); the methods here only name them. `backward()` hands the graph to `autograd/engine.py`.
dtypes follow PyTorch's promotion (`dtypes.py`); in-place methods follow PyTorch's rules.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Callable

import numpy as np

from . import dtype_info
from .aliases import axis_alias
from .device import CPU, check_device, device, is_device_like
from .dtypes import float_result_type, get_default_dtype, result_type, set_default_dtype

__all__ = ["Tensor", "get_default_dtype", "set_default_dtype"]

ReturnValues = namedtuple("ReturnValues", ["values", "indices"])  # what max(dim) returns


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data._data
    if isinstance(data, np.ndarray):
        return np.array(data, dtype=dtype)  # a copy, as torch.tensor(ndarray) makes
    if isinstance(data, (list, tuple)) and any(isinstance(item, Tensor) for item in data):
        data = [item.tolist() if isinstance(item, Tensor) else item for item in data]
    array = np.array(data, dtype=dtype)
    if dtype is None and array.dtype == np.float64 and not isinstance(data, np.floating):
        array = array.astype(get_default_dtype())  # Python floats: the default dtype
    if array.dtype == object or array.dtype.kind in "USV":
        raise TypeError(f"cannot make a Tensor from {type(data).__name__} data {data!r:.80}")
    return array


class Tensor:
    """A NumPy array with autograd.

    >>> x = thw.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    Tensor([2., 4., 6.])
    """

    __slots__ = ("_data", "grad", "requires_grad", "grad_fn", "_hooks", "name", "_version", "_output_nr",
                 "_grad_accumulator", "_view_base", "__weakref__")
    __array_ufunc__ = None  # `ndarray + Tensor` calls Tensor.__radd__ instead of looping
    __array_priority__ = 1000

    def __init__(self, data: Any = (), requires_grad: bool = False, dtype: Any = None):
        self._setup(_to_array(data, dtype), requires_grad)

    def _setup(self, array: np.ndarray, requires_grad: bool) -> None:
        self._data = array
        self.grad = None
        self.grad_fn = None
        self._hooks = None
        self.name = None
        self._version = [0]
        self._output_nr = 0
        self._grad_accumulator = None
        self._view_base = None  # the tensor whose memory this one views (see _inplace)
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
        tensor._version = [0]
        tensor._output_nr = 0
        tensor._grad_accumulator = None
        tensor._view_base = None
        return tensor

    # ----------------------------------------------------------------- attributes
    @property
    def data(self) -> "Tensor":
        """The same values as a Tensor that shares memory and does not require grad, as in
        PyTorch: `p.data += -lr * p.grad` and `p.data.zero_()` change `p` and are not
        recorded; `t.data = other` replaces the values (dtype and shape included).
        `t.numpy()` is the way to the NumPy array.

        >>> p.data += -0.1 * p.grad
        """
        return Tensor._make(self._data, False, None)

    @data.setter
    def data(self, value: Any) -> None:
        array = value._data if isinstance(value, Tensor) else np.asarray(value)
        if self.requires_grad and array.dtype.kind not in "fc":
            raise RuntimeError("data set to a tensor that requires gradients must be floating point or complex "
                               f"dtype, got {array.dtype}")
        self._data = array

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
    def device(self) -> "device":
        return CPU

    @property
    def T(self) -> "Tensor":
        return self.permute(*reversed(range(self.ndim)))

    def size(self, dim: int | None = None) -> tuple | int:
        """The shape, or one dimension of it.

        >>> thw.zeros(2, 3).size(), thw.zeros(2, 3).size(1)
        ((2, 3), 3)
        """
        return self.shape if dim is None else self.shape[_normalize_dims(dim, self.ndim)[0]]

    def numel(self) -> int:
        return self._data.size

    def dim(self) -> int:
        return self._data.ndim

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
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
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar "
                               f"(shape {self.shape})")
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous (shape {self.shape})")
        return bool(self._data.item())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 or (spec and self._data.size == 1):
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __round__(self, ndigits: int | None = None) -> Any:
        return round(self.item(), ndigits)

    def detach(self) -> "Tensor":
        """The same values, cut from the graph (shares memory and the version counter).

        >>> y = (x * 2).detach()   # y.requires_grad is False
        """
        tensor = Tensor._make(self._data, False, None)
        tensor._version = self._version
        return tensor

    def detach_(self) -> "Tensor":
        """Cut this tensor from the graph in place."""
        self.grad_fn, self.requires_grad = None, False
        return self

    def astype(self, dtype: Any) -> "Tensor":
        """A copy in another dtype; differentiable between float dtypes.

        >>> thw.tensor([1.5]).astype(thw.float64).dtype
        dtype('float64')
        """
        dtype = np.dtype(dtype)
        return self if dtype == self.dtype else ops.Cast.apply(self, dtype=dtype)

    def to(self, *args: Any, **kwargs: Any) -> "Tensor":
        """Convert as PyTorch's `.to`: `to(dtype)`, `to(device)`, `to(other)` (its dtype),
        `to(device, dtype)`, keywords `dtype=`, `device=`, `copy=`, `non_blocking=`. The CPU
        is the only device: `.to('cpu')` returns the tensor itself, `.to('cuda')` raises.

        >>> thw.arange(3).to(thw.float32).dtype, thw.ones(2).to("cpu").device
        (dtype('float32'), device(type='cpu'))
        """
        unknown = set(kwargs) - {"dtype", "device", "copy", "non_blocking", "memory_format"}
        if unknown:
            raise TypeError(f"to() got an unexpected keyword argument '{sorted(unknown)[0]}'")
        dtype, target_device = kwargs.get("dtype"), kwargs.get("device")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype, target_device = arg.dtype, arg.device
            elif is_device_like(arg) or isinstance(arg, int) and not isinstance(arg, bool):
                target_device = arg
            elif arg is not None and not isinstance(arg, bool):
                dtype = arg
        check_device(target_device)
        result = self if dtype is None else self.astype(dtype)
        return result.clone() if kwargs.get("copy") and result is self else result

    def type(self, dtype: Any = None, non_blocking: bool = False) -> "Tensor | str":
        """With no argument, the PyTorch type name ('torch.FloatTensor'); otherwise a conversion
        to `dtype` (a dtype or such a name).

        >>> thw.ones(2).type(), thw.ones(2).type(thw.int64).dtype
        ('torch.FloatTensor', dtype('int64'))
        """
        if dtype is None:
            name = _TYPE_NAMES.get(self.dtype)
            return f"torch.{name}" if name else f"torch.{self.dtype.name}"
        if isinstance(dtype, str):
            by_name = {f"torch.{name}": np.dtype(d) for d, name in _TYPE_NAMES.items()}
            if dtype not in by_name:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = by_name[dtype]
        return self.astype(dtype)

    def type_as(self, other: "Tensor") -> "Tensor":
        """This tensor in `other`'s dtype.

        >>> thw.arange(2).type_as(thw.ones(1)).dtype
        dtype('float32')
        """
        return self.astype(other.dtype)

    def float(self, memory_format: Any = None) -> "Tensor":
        return self.astype(np.float32)

    def double(self, memory_format: Any = None) -> "Tensor":
        return self.astype(np.float64)

    def long(self, memory_format: Any = None) -> "Tensor":
        return self.astype(np.int64)

    def int(self, memory_format: Any = None) -> "Tensor":
        return self.astype(np.int32)

    def short(self, memory_format: Any = None) -> "Tensor":
        return self.astype(np.int16)

    def char(self, memory_format: Any = None) -> "Tensor":
        return self.astype(np.int8)

    def byte(self, memory_format: Any = None) -> "Tensor":
        return self.astype(np.uint8)

    def bool(self, memory_format: Any = None) -> "Tensor":
        return self.astype(np.bool_)

    def half(self, memory_format: Any = None) -> "Tensor":
        """Raises: half precision is out of scope."""
        return self.astype(dtype_info.half)

    def bfloat16(self, memory_format: Any = None) -> "Tensor":
        """Raises: bfloat16 is out of scope."""
        return self.astype(dtype_info.bfloat16)

    def cpu(self, memory_format: Any = None) -> "Tensor":
        """The tensor itself: it is on the CPU already."""
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False, memory_format: Any = None) -> "Tensor":
        """Raises a RuntimeError: tinygrad_hw runs on the CPU only."""
        check_device("cuda" if device is None or isinstance(device, int) else device)
        return self

    def pin_memory(self, device: Any = None) -> "Tensor":
        """Raises a RuntimeError as PyTorch does without CUDA (pinned memory is for GPU copies)."""
        check_device("cuda")
        return self

    def is_pinned(self, device: Any = None) -> bool:
        return False

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_sparse(self) -> bool:
        return False

    def get_device(self) -> int:
        """-1, PyTorch's number for the CPU."""
        return -1

    def to_sparse(self, *args: Any, **kwargs: Any) -> "Tensor":
        """Raises: sparse tensors are out of scope."""
        raise NotImplementedError("sparse tensors are out of scope for tinygrad_hw")

    def new_tensor(self, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> "Tensor":
        """A tensor from data, in this tensor's dtype unless `dtype` is given.

        >>> thw.zeros(1, dtype=thw.float64).new_tensor([1, 2]).dtype
        dtype('float64')
        """
        check_device(device)
        return Tensor(data, requires_grad=requires_grad, dtype=self.dtype if dtype is None else dtype)

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> "Tensor":
        """Zeros of `size`, in this tensor's dtype unless `dtype` is given.

        >>> thw.arange(3).new_zeros(2).tolist()
        [0, 0]
        """
        return self._new_filled(size, 0, dtype, device, requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> "Tensor":
        return self._new_filled(size, 1, dtype, device, requires_grad)

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> "Tensor":
        return self._new_filled(size, 0, dtype, device, requires_grad)

    def new_full(self, size: Any, fill_value: Any, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> "Tensor":
        """`fill_value` everywhere, in this tensor's dtype unless `dtype` is given.

        >>> thw.ones(1).new_full((2,), 7).tolist()
        [7.0, 7.0]
        """
        return self._new_filled((size,), fill_value, dtype, device, requires_grad)

    def _new_filled(self, size: tuple, value: Any, dtype: Any, device: Any, requires_grad: bool) -> "Tensor":
        check_device(device)
        array = np.full(_shape_args(size), value, self.dtype if dtype is None else np.dtype(dtype))
        return Tensor._make(array, False, None).requires_grad_(requires_grad)

    def nelement(self) -> int:
        """The number of elements (`numel`)."""
        return self._data.size

    def element_size(self) -> int:
        """Bytes per element.

        >>> thw.ones(2).element_size()
        4
        """
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    def is_floating_point(self) -> bool:
        """>>> thw.ones(1).is_floating_point(), thw.arange(1).is_floating_point()
        (True, False)"""
        return self._data.dtype.kind == "f"

    def is_complex(self) -> bool:
        return False

    def __repr__(self) -> str:
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extras = []
        if self._data.dtype not in (get_default_dtype(), np.int64, np.bool_):
            extras.append(f"dtype={self._data.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "Tensor(" + ", ".join([body] + extras) + ")"

    # ----------------------------------------------------------------- autograd
    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Mark a leaf as needing a gradient; only float tensors can.

        >>> w = thw.zeros(3).requires_grad_()
        """
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, this one is {self.dtype}; "
                "make it with float values or dtype=thw.float32")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to "
                               "use a computed variable in a subgraph that doesn't require differentiation "
                               "use var_no_grad = var.detach().")
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
                 inputs: Any = None) -> None:
        """Compute the gradient of this tensor with respect to every leaf that requires grad.

        Gradients are added into each leaf's `.grad`. The graph's saved arrays are freed
        afterwards unless `retain_graph=True`.

        >>> loss = ((w * x).sum() - 1) ** 2
        >>> loss.backward()
        >>> w.grad            # d loss / d w
        """
        if create_graph:
            raise NotImplementedError("create_graph=True (higher-order gradients) is not supported")
        if inputs is not None:
            from .autograd import grad as autograd_grad  # the functional form, for `inputs=`
            inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
            found = autograd_grad([self], inputs, [gradient], retain_graph=retain_graph, allow_unused=True)
            for tensor, grad in zip(inputs, found):
                if grad is not None:
                    tensor._accumulate_grad(grad._data, grad._data)
            return
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn "
                               "(none of its inputs had requires_grad=True, or it was computed under no_grad())")
        grad = _root_gradient(self, gradient)
        if self.grad_fn is None:
            self._accumulate_grad(grad, grad)
            return
        engine.run_backward([(self.grad_fn, self._output_nr)], [grad], bool(retain_graph),
                            check_nan=STATE.anomaly_enabled)

    def _accumulate_grad(self, grad: np.ndarray, shared_with: np.ndarray) -> None:
        if self._hooks:
            for hook in self._hooks:
                result = hook(grad)
                if result is not None:
                    grad = result
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
        if self.grad_fn is None:
            return
        if not self.retains_grad:
            self.grad_fn._retained = (self.grad_fn._retained or []) + [(self._output_nr, self)]

    @property
    def retains_grad(self) -> bool:
        node = self.grad_fn
        return node is not None and any(tensor is self for _, tensor in node._retained or ())

    def register_hook(self, hook: Callable[["Tensor"], "Tensor | None"]) -> Any:
        """Call `hook(grad)` when this tensor's gradient is computed; it may return a new one.

        >>> x.register_hook(lambda g: g.clamp(-1, 1))
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")

        def on_array(grad: np.ndarray) -> np.ndarray | None:
            result = hook(Tensor._make(grad, False, None))
            return None if result is None else np.asarray(result._data if isinstance(result, Tensor) else result)

        if self.grad_fn is None:
            self._hooks = (self._hooks or []) + [on_array]
        else:
            node = self.grad_fn
            node._tensor_hooks = (node._tensor_hooks or []) + [(self._output_nr, on_array)]
        return _HookHandle(self, on_array)

    # ----------------------------------------------------------------- in-place updates
    def _check_inplace(self) -> None:
        if self.requires_grad and self.grad_fn is None and STATE.grad_enabled:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation; "
                "wrap the update in `with thw.no_grad():` (or change p.data)")
        base = self._view_base
        if base is not None and base.requires_grad and base.grad_fn is None and STATE.grad_enabled:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place operation; "
                "wrap the update in `with thw.no_grad():` (or change p.data)")

    def _inplace(self, compute: Callable[["Tensor"], "Tensor"], *others: Any) -> "Tensor":
        """Replace this tensor's values by `compute(self)`, as PyTorch's in-place ops do.

        Under recording, the op becomes a node and this tensor its output (its earlier self
        is kept as the node's input, on a private copy so the gradient stays right). The
        version counter moves, so a node that saved the old values raises at backward. On a
        view (`h[0].mul_(2)`), the base's values changed too: that is recorded on the base.
        """
        self._check_inplace()
        recording = STATE.grad_enabled and (
            self.requires_grad or any(isinstance(o, Tensor) and o.requires_grad for o in others))
        if recording:
            before = Tensor._make(self._data.copy(), self.requires_grad, self.grad_fn)
            before._output_nr, before._grad_accumulator = self._output_nr, self._grad_accumulator
            result = compute(before)
        else:
            result = compute(self.detach())
        _write_inplace(self, result._data)
        if recording:
            retained = self.retains_grad
            if retained:  # `.grad` of a retained tensor is that of its newest version, as in PyTorch
                self.grad_fn._retained = [(n, t) for n, t in self.grad_fn._retained if t is not self]
            self.grad_fn, self._output_nr, self.requires_grad = result.grad_fn, result._output_nr, True
            if retained:
                self.retain_grad()
            node = result.grad_fn
            if node is not None and node._saved:  # the node's output is now this tensor
                node._saved = tuple(self._data if array is result._data else array for array in node._saved)
                node._saved_versions = [(self._version, self._version[0], self._data) if counter is result._version
                                        else (counter, version, array)
                                        for counter, version, array in node._saved_versions]
            if self._view_base is not None:
                _record_on_base(self._view_base, self)
        return self

    def __iadd__(self, other):
        return self._inplace(lambda t: t + other, other)

    def __isub__(self, other):
        return self._inplace(lambda t: t - other, other)

    def __imul__(self, other):
        return self._inplace(lambda t: t * other, other)

    def __itruediv__(self, other):
        return self._inplace(lambda t: t / other, other)

    def __ipow__(self, other):
        return self._inplace(lambda t: t ** other, other)

    def add_(self, other: Any, alpha: float = 1) -> "Tensor":
        return self._inplace(lambda t: t.add(other, alpha=alpha), other)

    def sub_(self, other: Any, alpha: float = 1) -> "Tensor":
        return self._inplace(lambda t: t.sub(other, alpha=alpha), other)

    def mul_(self, other: Any) -> "Tensor":
        return self._inplace(lambda t: t * other, other)

    def div_(self, other: Any, rounding_mode: str | None = None) -> "Tensor":
        return self._inplace(lambda t: t.div(other, rounding_mode=rounding_mode), other)

    def pow_(self, exponent: Any) -> "Tensor":
        return self._inplace(lambda t: t ** exponent, exponent)

    def neg_(self) -> "Tensor":
        return self._inplace(lambda t: -t)

    def exp_(self) -> "Tensor":
        return self._inplace(lambda t: t.exp())

    def relu_(self) -> "Tensor":
        return self._inplace(lambda t: t.relu())

    def clamp_(self, min: Any = None, max: Any = None) -> "Tensor":
        return self._inplace(lambda t: t.clamp(min, max))

    clip_ = clamp_

    def clamp_min_(self, min: Any) -> "Tensor":
        return self._inplace(lambda t: t.clamp(min=min))

    def clamp_max_(self, max: Any) -> "Tensor":
        return self._inplace(lambda t: t.clamp(max=max))

    def masked_fill_(self, mask: Any, value: Any) -> "Tensor":
        return self._inplace(lambda t: t.masked_fill(mask, value), value)

    def zero_(self) -> "Tensor":
        """Set every element to 0 in place.

        >>> p.grad.zero_()
        """
        return self.fill_(0)

    def fill_(self, value: Any) -> "Tensor":
        """Set every element to `value` in place.

        >>> thw.empty(3).fill_(7)
        """
        return self._inplace(lambda t: ops.Overwrite.apply(t, value), value)

    def copy_(self, source: Any, non_blocking: bool = False) -> "Tensor":
        """Copy `source`'s values (broadcast, cast to this dtype) into this tensor in place.

        >>> w.data.copy_(thw.zeros(3))
        """
        return self._inplace(lambda t: ops.Overwrite.apply(t, source), source)

    def uniform_(self, a: float = 0.0, b: float = 1.0, generator: Any = None) -> "Tensor":
        """Fill with uniform draws in [a, b) (not recorded).

        >>> thw.empty(3).uniform_(-1, 1)
        """
        return self._fill_random(lambda rng: rng.uniform(a, b, self.shape), generator)

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> "Tensor":
        """Fill with normal draws (not recorded).

        >>> thw.empty(3).normal_(0, 0.01)
        """
        return self._fill_random(lambda rng: rng.normal(mean, std, self.shape), generator)

    def _fill_random(self, draw: Callable, generator: Any) -> "Tensor":
        from .random import numpy_generator  # random draws live with the generators
        self._check_inplace()
        values = draw(numpy_generator(generator))
        if self.requires_grad and STATE.grad_enabled:  # a recorded non-leaf: no gradient flows back
            return self._inplace(lambda t: ops.Overwrite.apply(t, values))
        self._data[...] = values
        self._version[0] += 1
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check_inplace()
        index = _index_arrays(index)
        if isinstance(value, Tensor) and value.requires_grad or STATE.grad_enabled and self.requires_grad:
            self._inplace(lambda t: ops.index_put(t, index, value), value)
            return
        ops.indexing.assign(self._data, index, value._data if isinstance(value, Tensor) else value)
        self._version[0] += 1

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
        return _binary(ops.Div, self, other, "divide", float_result=True)

    def __rtruediv__(self, other):
        return _binary(ops.Div, other, self, "divide", float_result=True)

    def __floordiv__(self, other):
        return _binary(ops.FloorDivide, self, other, "floor_divide")

    def __rfloordiv__(self, other):
        return _binary(ops.FloorDivide, other, self, "floor_divide")

    def __mod__(self, other):
        return _binary(ops.Remainder, self, other, "remainder")

    def __rmod__(self, other):
        return _binary(ops.Remainder, other, self, "remainder")

    def __pow__(self, exponent):
        return _binary(ops.Pow, self, exponent, "pow")

    def __rpow__(self, base):
        return _binary(ops.Pow, base, self, "pow")

    def __matmul__(self, other):
        return ops.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.matmul(other, self)

    def __neg__(self):
        if self.dtype == np.bool_:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported; use ~ or logical_not()")
        return ops.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    def __ifloordiv__(self, other):
        return self._inplace(lambda t: t // other, other)

    def __imod__(self, other):
        return self._inplace(lambda t: t % other, other)

    def add(self, other: Any, alpha: Any = 1) -> "Tensor":
        """self + alpha·other.

        >>> thw.tensor([1.0]).add(thw.tensor([2.0]), alpha=3)
        Tensor([7.])
        """
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other: Any, alpha: Any = 1) -> "Tensor":
        """self - alpha·other."""
        return self - (other if alpha == 1 else other * alpha)

    def mul(self, other: Any) -> "Tensor":
        return self * other

    def div(self, other: Any, rounding_mode: str | None = None) -> "Tensor":
        """self / other; `rounding_mode='trunc'` or `'floor'` rounds the quotient (no gradient).

        >>> thw.tensor([-7]).div(2, rounding_mode="trunc")
        Tensor([-3])
        """
        if rounding_mode is None:
            return self / other
        if rounding_mode not in ("trunc", "floor"):
            raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                             f"'{rounding_mode}'")
        dtype = result_type(self, other)
        if dtype.kind in "iub":
            ops.arithmetic._check_integer_divisor(self._data, getattr(other, "_data", other), f"div_{rounding_mode}")
        quotient = self / other
        rounded = np.trunc(quotient._data) if rounding_mode == "trunc" else np.floor(quotient._data)
        return Tensor._make(rounded.astype(dtype), False, None)

    true_divide = divide = __truediv__
    multiply = mul
    subtract = sub

    def floor_divide(self, other: Any) -> "Tensor":
        """self // other, rounded toward -inf (PyTorch and Python; C truncates)."""
        return self // other

    def remainder(self, other: Any) -> "Tensor":
        """self % other with the sign of `other` (Python's rule; `fmod` is C's)."""
        return self % other

    def fmod(self, other: Any) -> "Tensor":
        """The C remainder, with the sign of self."""
        return _binary(ops.Fmod, self, other, "fmod")

    def pow(self, exponent: Any) -> "Tensor":
        return self ** exponent

    def matmul(self, other: Any) -> "Tensor":
        return ops.matmul(self, other)

    def mm(self, mat2: Any) -> "Tensor":
        return ops.mm(self, mat2)

    def bmm(self, mat2: Any) -> "Tensor":
        return ops.bmm(self, mat2)

    def mv(self, vec: Any) -> "Tensor":
        return ops.mv(self, vec)

    def dot(self, other: Any) -> "Tensor":
        return ops.dot(self, other)

    def neg(self) -> "Tensor":
        return -self

    negative = neg

    def positive(self) -> "Tensor":
        return self

    def addmm(self, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> "Tensor":
        """beta·self + alpha·(mat1 @ mat2).

        >>> thw.zeros(2, 2).addmm(thw.ones(2, 3), thw.ones(3, 2), alpha=2).tolist()
        [[6.0, 6.0], [6.0, 6.0]]
        """
        product = ops.mm(mat1, mat2)
        return (self if beta == 1 else self * beta) + (product if alpha == 1 else product * alpha)

    def addcmul(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> "Tensor":
        """self + value·tensor1·tensor2 (as in Adam-style updates)."""
        product = tensor1 * tensor2
        return self + (product if value == 1 else product * value)

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> "Tensor":
        """self + value·tensor1/tensor2.

        >>> p.data.addcdiv_(exp_avg, denom, value=-lr)
        """
        quotient = tensor1 / tensor2
        return self + (quotient if value == 1 else quotient * value)

    def addmm_(self, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> "Tensor":
        return self._inplace(lambda t: t.addmm(mat1, mat2, beta=beta, alpha=alpha), mat1, mat2)

    def addcmul_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> "Tensor":
        return self._inplace(lambda t: t.addcmul(tensor1, tensor2, value=value), tensor1, tensor2)

    def addcdiv_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> "Tensor":
        return self._inplace(lambda t: t.addcdiv(tensor1, tensor2, value=value), tensor1, tensor2)

    def floor_divide_(self, other: Any) -> "Tensor":
        return self._inplace(lambda t: t // other, other)

    def remainder_(self, other: Any) -> "Tensor":
        return self._inplace(lambda t: t % other, other)

    def fmod_(self, other: Any) -> "Tensor":
        return self._inplace(lambda t: t.fmod(other), other)

    # ----------------------------------------------------------------- elementwise
    def exp(self) -> "Tensor":
        return ops.Exp.apply(_floating(self))

    def log(self) -> "Tensor":
        return ops.Log.apply(_floating(self))

    def sqrt(self) -> "Tensor":
        return ops.Sqrt.apply(_floating(self))

    def abs(self) -> "Tensor":
        return ops.Abs.apply(self._refuse_bool("abs"))

    def _refuse_bool(self, kernel: str) -> "Tensor":
        if self._data.dtype.kind == "b":
            raise NotImplementedError(f'"{kernel}_cpu" not implemented for \'Bool\'')
        return self

    absolute = abs

    def tanh(self) -> "Tensor":
        return ops.Tanh.apply(_floating(self))

    def sigmoid(self) -> "Tensor":
        return ops.Sigmoid.apply(_floating(self))

    def relu(self) -> "Tensor":
        if self._data.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        return ops.ReLU.apply(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> "Tensor":
        return ops.LeakyReLU.apply(self, negative_slope=negative_slope)

    def sin(self) -> "Tensor":
        """Sine, elementwise (integers become float32)."""
        return ops.Sin.apply(_floating(self))

    def cos(self) -> "Tensor":
        return ops.Cos.apply(_floating(self))

    def tan(self) -> "Tensor":
        return ops.Tan.apply(_floating(self))

    def asin(self) -> "Tensor":
        return ops.Asin.apply(_floating(self))

    def acos(self) -> "Tensor":
        return ops.Acos.apply(_floating(self))

    def atan(self) -> "Tensor":
        return ops.Atan.apply(_floating(self))

    def sinh(self) -> "Tensor":
        return ops.Sinh.apply(_floating(self))

    def cosh(self) -> "Tensor":
        return ops.Cosh.apply(_floating(self))

    def asinh(self) -> "Tensor":
        return ops.Asinh.apply(_floating(self))

    def acosh(self) -> "Tensor":
        return ops.Acosh.apply(_floating(self))

    def atanh(self) -> "Tensor":
        return ops.Atanh.apply(_floating(self))

    arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh

    def atan2(self, other: Any) -> "Tensor":
        """The angle of the point (other, self), in (-π, π]."""
        return self._float_binary(ops.Atan2, other, "atan2")

    arctan2 = atan2

    def exp2(self) -> "Tensor":
        return ops.Exp2.apply(_floating(self))

    def expm1(self) -> "Tensor":
        """eˣ - 1, accurate for small x."""
        return ops.Expm1.apply(_floating(self))

    def log2(self) -> "Tensor":
        return ops.Log2.apply(_floating(self))

    def log10(self) -> "Tensor":
        return ops.Log10.apply(_floating(self))

    def log1p(self) -> "Tensor":
        """ln(1 + x), accurate for small x."""
        return ops.Log1p.apply(_floating(self))

    def rsqrt(self) -> "Tensor":
        return ops.Rsqrt.apply(_floating(self))

    def reciprocal(self) -> "Tensor":
        return ops.Reciprocal.apply(_floating(self))

    def erf(self) -> "Tensor":
        return ops.Erf.apply(_floating(self))

    def sign(self) -> "Tensor":
        """-1, 0 or 1 (gradient 0)."""
        if self.dtype == np.bool_:
            return self.detach()
        return ops.Sign.apply(self)

    sgn = sign

    def floor(self) -> "Tensor":
        return self._refuse_bool("floor").detach() if self.dtype.kind in "biu" else ops.Floor.apply(self)

    def ceil(self) -> "Tensor":
        return self._refuse_bool("ceil").detach() if self.dtype.kind in "biu" else ops.Ceil.apply(self)

    def trunc(self) -> "Tensor":
        return self._refuse_bool("trunc").detach() if self.dtype.kind in "biu" else ops.Trunc.apply(self)

    fix = trunc

    def round(self, decimals: int = 0) -> "Tensor":
        """Round half to even (2.5 → 2, as PyTorch and NumPy; not Python 2's half up), to
        `decimals` places.

        >>> thw.tensor([0.5, 1.5, 2.5, 1.2345]).round().tolist()
        [0.0, 2.0, 2.0, 1.0]
        """
        if self._refuse_bool("round").dtype.kind in "biu":
            if decimals:
                raise RuntimeError("round_cpu not implemented for integer tensors with decimals != 0")
            return self.detach()
        return ops.Round.apply(self, decimals=decimals)

    def frac(self) -> "Tensor":
        """x - trunc(x): the fractional part, with x's sign."""
        if self.dtype.kind != "f":
            raise RuntimeError(f'"frac_cpu" not implemented for \'{_torch_dtype_name(self.dtype)}\'')
        return ops.Frac.apply(self)

    def square(self) -> "Tensor":
        return self ** 2

    def lerp(self, end: Any, weight: Any) -> "Tensor":
        """self + weight·(end - self).

        >>> thw.tensor([0.0]).lerp(thw.tensor([10.0]), 0.3).tolist()
        [3.0]
        """
        dtype = result_type(self, end)
        if dtype.kind != "f":
            raise RuntimeError(f'"lerp_kernel_scalar" not implemented for \'{_torch_dtype_name(dtype)}\'')
        weight = _cast_operand(weight, dtype)
        if not isinstance(weight, Tensor):
            weight = Tensor._make(np.asarray(weight, dtype), False, None)
        return _apply_broadcasting(ops.Lerp, "lerp", _cast_operand(self, dtype), _cast_operand(end, dtype), weight)

    def hypot(self, other: Any) -> "Tensor":
        """√(self² + other²), without overflow."""
        return self._float_binary(ops.Hypot, other, "hypot")

    def copysign(self, other: Any) -> "Tensor":
        """|self| with the sign of other (-0.0 counts as negative)."""
        return self._float_binary(ops.Copysign, other, "copysign")

    def xlogy(self, other: Any) -> "Tensor":
        """self · ln(other), 0 where self is 0 (even where other is 0)."""
        return self._float_binary(ops.Xlogy, other, "xlogy")

    def _float_binary(self, op: Any, other: Any, verb: str) -> "Tensor":
        """A float op of two operands; a Python number becomes a 0-d array of the result dtype,
        so that NumPy functions of it (log 2 is a float64 scalar) cannot widen float32."""
        if not isinstance(other, Tensor):
            other = Tensor._make(np.asarray(other, float_result_type(self, other)), False, None)
        return _binary(op, self, other, verb, float_result=True)

    def logit(self, eps: float | None = None) -> "Tensor":
        """ln(p / (1 - p)); with `eps`, p is first clamped to [eps, 1 - eps]."""
        return ops.Logit.apply(_floating(self), eps=eps)

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> "Tensor":
        """NaN → `nan`, ±inf → `posinf`/`neginf` (default: the dtype's largest finite values)."""
        if self.dtype.kind != "f":
            return self.detach()
        return ops.NanToNum.apply(self, nan=nan, posinf=posinf, neginf=neginf)

    def logaddexp(self, other: Any) -> "Tensor":
        """log(eˢᵉˡᶠ + eᵒᵗʰᵉʳ), without overflow: max + log1p(e^-|self - other|)."""
        other = other if isinstance(other, Tensor) else Tensor._make(np.asarray(other, float_result_type(self, other)),
                                                                     False, None)
        high = _floating(self).maximum(other)
        return high + (-(self - other).abs()).exp().log1p()

    def logaddexp2(self, other: Any) -> "Tensor":
        """log₂(2ˢᵉˡᶠ + 2ᵒᵗʰᵉʳ), without overflow."""
        ln2 = float(np.log(2))
        return (self * ln2).logaddexp(other * ln2) / ln2

    def clamp(self, min: Any = None, max: Any = None) -> "Tensor":
        """Limit values to [min, max]; the gradient passes where the input is inside.

        >>> thw.tensor([-2.0, 0.5, 3.0]).clamp(-1, 1)
        Tensor([-1. ,  0.5,  1. ])
        """
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if isinstance(min, Tensor) or isinstance(max, Tensor):  # elementwise bounds
            out = self if min is None else self.maximum(min)
            return out if max is None else out.minimum(max)
        dtype = result_type(self, *[bound for bound in (min, max) if bound is not None])
        return ops.Clamp.apply(self if dtype == self.dtype else self.astype(dtype), low=min, high=max)

    clip = clamp

    def clamp_min(self, min: Any) -> "Tensor":
        return self.clamp(min=min)

    def clamp_max(self, max: Any) -> "Tensor":
        return self.clamp(max=max)

    def maximum(self, other: Any) -> "Tensor":
        return _binary(ops.Maximum, self, other, "maximum")

    def minimum(self, other: Any) -> "Tensor":
        return _binary(ops.Minimum, self, other, "minimum")

    def masked_fill(self, mask: Any, value: Any) -> "Tensor":
        """`value` where `mask` is True, else self (the gradient flows where mask is False).

        >>> thw.zeros(3).masked_fill(thw.tensor([True, False, True]), -1.0)
        Tensor([-1.,  0., -1.])
        """
        mask = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
        if mask.dtype != np.bool_:
            raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype}")
        if isinstance(value, Tensor):
            if value.ndim:
                raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                                   f"with {value.ndim} dimension(s).")
            return ops.where(mask, value.astype(self.dtype), self)
        return ops.where(mask, Tensor._make(np.asarray(value, dtype=self.dtype), False, None), self)

    def abs_(self) -> "Tensor":
        return self._inplace(lambda t: t.abs())

    def sqrt_(self) -> "Tensor":
        return self._inplace(lambda t: t.sqrt())

    def log_(self) -> "Tensor":
        return self._inplace(lambda t: t.log())

    def sigmoid_(self) -> "Tensor":
        return self._inplace(lambda t: t.sigmoid())

    def tanh_(self) -> "Tensor":
        return self._inplace(lambda t: t.tanh())

    def sin_(self) -> "Tensor":
        return self._inplace(lambda t: t.sin())

    def cos_(self) -> "Tensor":
        return self._inplace(lambda t: t.cos())

    def reciprocal_(self) -> "Tensor":
        return self._inplace(lambda t: t.reciprocal())

    def square_(self) -> "Tensor":
        return self._inplace(lambda t: t.square())

    def sign_(self) -> "Tensor":
        return self._inplace(lambda t: t.sign())

    def floor_(self) -> "Tensor":
        return self._inplace(lambda t: t.floor())

    def ceil_(self) -> "Tensor":
        return self._inplace(lambda t: t.ceil())

    def trunc_(self) -> "Tensor":
        return self._inplace(lambda t: t.trunc())

    def round_(self, decimals: int = 0) -> "Tensor":
        return self._inplace(lambda t: t.round(decimals))

    def lerp_(self, end: Any, weight: Any) -> "Tensor":
        return self._inplace(lambda t: t.lerp(end, weight), end, weight)

    def nan_to_num_(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> "Tensor":
        return self._inplace(lambda t: t.nan_to_num(nan, posinf, neginf))

    # ----------------------------------------------------------------- comparisons and logic
    # Comparisons and logic give bool tensors and carry no gradient.
    def _compare(self, other, compare):
        other = other._data if isinstance(other, Tensor) else other
        try:
            return Tensor._make(np.asarray(compare(self._data, other)), False, None)
        except ValueError:
            raise RuntimeError(f"The size of tensor a {list(self.shape)} must match the size of tensor b "
                               f"{list(np.shape(other))} at each non-singleton dimension") from None

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

    def eq(self, other: Any) -> "Tensor":
        """self == other, elementwise, as a bool tensor.

        >>> thw.tensor([1, 2]).eq(thw.tensor([1, 3])).tolist()
        [True, False]
        """
        return self._compare(other, np.equal)

    def ne(self, other: Any) -> "Tensor":
        return self._compare(other, np.not_equal)

    def lt(self, other: Any) -> "Tensor":
        return self._compare(other, np.less)

    def le(self, other: Any) -> "Tensor":
        return self._compare(other, np.less_equal)

    def gt(self, other: Any) -> "Tensor":
        return self._compare(other, np.greater)

    def ge(self, other: Any) -> "Tensor":
        return self._compare(other, np.greater_equal)

    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    def isclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> "Tensor":
        """|self - other| <= atol + rtol·|other|, elementwise.

        >>> thw.tensor([1.0, 2.0]).isclose(thw.tensor([1.0 + 1e-7, 2.1])).tolist()
        [True, False]
        """
        if isinstance(other, Tensor) and other.dtype != self.dtype:
            raise RuntimeError(f"{_torch_dtype_name(self.dtype)} did not match {_torch_dtype_name(other.dtype)}")
        return self._compare(other, lambda a, b: np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        """True when every element is close (`isclose`), broadcasting as PyTorch.

        >>> thw.tensor([1.0, 2.0]).allclose(thw.tensor([1.0, 2.0 + 1e-9]))
        True
        """
        return bool(self.isclose(other, rtol, atol, equal_nan)._data.all())

    def equal(self, other: Any) -> bool:
        """True when both have the same shape and the same values (dtypes may differ).

        >>> thw.tensor([1, 2]).equal(thw.tensor([1.0, 2.0]))
        True
        """
        other = other._data if isinstance(other, Tensor) else np.asarray(other)
        return self.shape == other.shape and bool(np.array_equal(self._data, other))

    def isnan(self) -> "Tensor":
        return Tensor._make(np.isnan(self._data), False, None)

    def isinf(self) -> "Tensor":
        return Tensor._make(np.isinf(self._data), False, None)

    def isfinite(self) -> "Tensor":
        return Tensor._make(np.isfinite(self._data), False, None)

    def isposinf(self) -> "Tensor":
        return Tensor._make(np.isposinf(self._data), False, None)

    def isneginf(self) -> "Tensor":
        return Tensor._make(np.isneginf(self._data), False, None)

    def logical_not(self) -> "Tensor":
        """True where self is zero (any dtype)."""
        return Tensor._make(np.logical_not(self._data), False, None)

    def logical_and(self, other: Any) -> "Tensor":
        """True where both are nonzero (any dtypes).

        >>> thw.tensor([1.0, 0.0]).logical_and(thw.tensor([2, 3])).tolist()
        [True, False]
        """
        return self._compare(other, np.logical_and)

    def logical_or(self, other: Any) -> "Tensor":
        return self._compare(other, np.logical_or)

    def logical_xor(self, other: Any) -> "Tensor":
        return self._compare(other, np.logical_xor)

    def _bitwise(self, other: Any, function: Any, name: str) -> "Tensor":
        dtype = result_type(self, other)
        if dtype.kind not in "biu":
            raise NotImplementedError(f'"{name}_cpu" not implemented for \'{_torch_dtype_name(dtype)}\'')
        left, right = (getattr(_cast_operand(x, dtype), "_data", x) for x in (self, other))
        return _apply_broadcasting(lambda a, b: Tensor._make(np.asarray(function(a, b), dtype), False, None), name,
                                   left, right)

    def bitwise_and(self, other: Any) -> "Tensor":
        """Bitwise and of integers (logical and of bools), as `&`.

        >>> (thw.tensor([12]) & 10).tolist(), (thw.tensor([True, False]) & True).tolist()
        ([8], [True, False])
        """
        return self._bitwise(other, np.bitwise_and, "bitwise_and")

    def bitwise_or(self, other: Any) -> "Tensor":
        return self._bitwise(other, np.bitwise_or, "bitwise_or")

    def bitwise_xor(self, other: Any) -> "Tensor":
        return self._bitwise(other, np.bitwise_xor, "bitwise_xor")

    def bitwise_not(self) -> "Tensor":
        if self.dtype.kind not in "biu":
            raise NotImplementedError(f'"bitwise_not_cpu" not implemented for \'{_torch_dtype_name(self.dtype)}\'')
        return Tensor._make(np.invert(self._data), False, None)

    def __invert__(self) -> "Tensor":
        if self.dtype.kind not in "biu":
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        return self.bitwise_not()

    def bitwise_left_shift(self, other: Any) -> "Tensor":
        return self._bitwise(other, np.left_shift, "lshift")

    def bitwise_right_shift(self, other: Any) -> "Tensor":
        return self._bitwise(other, np.right_shift, "rshift")

    __and__, __or__, __xor__ = bitwise_and, bitwise_or, bitwise_xor
    __lshift__, __rshift__ = bitwise_left_shift, bitwise_right_shift

    def __rand__(self, other):
        return self._bitwise(other, np.bitwise_and, "bitwise_and")

    def __ror__(self, other):
        return self._bitwise(other, np.bitwise_or, "bitwise_or")

    def __rxor__(self, other):
        return self._bitwise(other, np.bitwise_xor, "bitwise_xor")

    def __iand__(self, other):
        return self._inplace(lambda t: t & other, other)

    def __ior__(self, other):
        return self._inplace(lambda t: t | other, other)

    def __ixor__(self, other):
        return self._inplace(lambda t: t ^ other, other)

    def logical_not_(self) -> "Tensor":
        return self._inplace(lambda t: t.logical_not())

    # ----------------------------------------------------------------- reductions
    def sum(self, dim: int | tuple | None = None, keepdim: bool = False, dtype: Any = None, *,
            axis: Any = None, keepdims: bool | None = None) -> "Tensor":
        """Sum over `dim` (all elements when None); bools and integers sum to int64.

        >>> thw.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0)
        Tensor([4., 6.])
        """
        if axis is not None or keepdims is not None:  # NumPy's spelling, which PyTorch accepts too
            dim, keepdim = _dim_alias(dim, axis), _keepdim_alias(keepdim, keepdims)
        source = self if dtype is None else self.astype(dtype)
        if dtype is None and self.dtype.kind in "biu":
            source = self.astype(np.int64)
        if self.ndim == 0:
            return ops.Sum.apply(source) if dim is None else source * 1
        return ops.Sum.apply(source, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def mean(self, dim: int | tuple | None = None, keepdim: bool = False, dtype: Any = None, *,
             axis: Any = None, keepdims: bool | None = None) -> "Tensor":
        """The mean over `dim` (all elements when None); floats only, as PyTorch.

        >>> thw.tensor([[1.0, 2.0], [3.0, 5.0]]).mean(1).tolist()
        [1.5, 4.0]
        """
        if axis is not None or keepdims is not None:
            dim, keepdim = _dim_alias(dim, axis), _keepdim_alias(keepdim, keepdims)
        source = self if dtype is None else self.astype(dtype)
        if source.dtype.kind != "f":
            raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating "
                               f"point or complex dtype. Got: {_torch_dtype_name(source.dtype)}")
        if self.ndim == 0:
            return ops.Mean.apply(source) if dim is None else source * 1
        if self._data.size == 0:  # NaN, as PyTorch, without NumPy's warning about an empty mean
            import warnings
            with warnings.catch_warnings(), np.errstate(invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                return ops.Mean.apply(source, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)
        return ops.Mean.apply(source, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def nansum(self, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> "Tensor":
        """`sum` treating NaN as 0."""
        return self._without_nan().sum(dim, keepdim, dtype)

    def nanmean(self, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> "Tensor":
        """The mean of the non-NaN values.

        >>> thw.tensor([1.0, float("nan"), 3.0]).nanmean().item()
        2.0
        """
        counted = self.isnan().logical_not().sum(dim, keepdim)
        return self._without_nan().sum(dim, keepdim, dtype) / counted

    def _without_nan(self) -> "Tensor":
        if self.dtype.kind != "f":
            return self
        return self.masked_fill(self.isnan(), 0.0)

    def prod(self, dim: int | None = None, keepdim: bool = False, dtype: Any = None) -> "Tensor":
        """The product over one `dim` (all elements when None); its gradient handles zeros.

        >>> thw.tensor([[1.0, 2.0], [3.0, 4.0]]).prod(1).tolist()
        [2.0, 12.0]
        """
        source = self if dtype is None else self.astype(dtype)
        if dtype is None and self.dtype.kind in "biu":
            source = self.astype(np.int64)
        if dim is None:
            return ops.Prod.apply(source)
        dim = _normalize_dims(dim, self.ndim)[0]
        return source * 1 if self.ndim == 0 else ops.Prod.apply(source, dim=dim, keepdim=keepdim)

    def _extremum(self, op: Any, along: Any, dim: Any, keepdim: bool):
        if dim is None:
            if self._data.size == 0:
                raise RuntimeError(f"{'max' if op is ops.Max else 'min'}(): Expected reduction dim to be specified "
                                   "for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
            return op.apply(self)
        if isinstance(dim, Tensor):  # thw.max(a, b) written as a.max(b)
            return self.maximum(dim) if op is ops.Max else self.minimum(dim)
        axis = _normalize_dims(dim, self.ndim)[0]
        if self.ndim == 0:
            return ReturnValues(self * 1 if self.dtype.kind == "f" else self.detach(),
                                Tensor._make(np.asarray(0), False, None))
        if self.shape[axis] == 0:
            raise IndexError(f"{'max' if op is ops.Max else 'min'}(): Expected reduction dim {axis} to have "
                             "non-zero size.")
        values, indices = along.apply(self, dim=axis, keepdim=keepdim)
        return ReturnValues(values, indices)

    def max(self, dim: Any = None, keepdim: bool = False):
        """The largest value; with `dim`, the named tuple `(values, indices)` as in PyTorch;
        with a tensor, the elementwise `maximum`. Ties: the gradient of `max()` is split
        evenly among them, that of `max(dim)` goes to the index returned.

        >>> thw.tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=1).indices
        Tensor([1, 0])
        """
        return self._extremum(ops.Max, ops.MaxAlongDim, dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False):
        """The smallest value; with `dim`, `(values, indices)` (first index on ties).

        >>> thw.tensor([3, -2, 5]).min().item()
        -2
        """
        return self._extremum(ops.Min, ops.MinAlongDim, dim, keepdim)

    def _amax(self, op: Any, name: str, dim: Any, keepdim: bool) -> "Tensor":
        dims = _normalize_dims(dim, self.ndim) if dim is not None and dim != () else None
        if self._data.size == 0:
            empty = [d for d in (dims if dims is not None else range(self.ndim)) if self.shape[d] == 0]
            if dims is None:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                                   "Specify the reduction dim with the 'dim' argument.")
            if empty:
                raise IndexError(f"{name}(): Expected reduction dim {empty[0]} to have non-zero size.")
        if self.ndim == 0:
            return self * 1 if self.dtype.kind == "f" else self.detach()
        return op.apply(self, dim=dims, keepdim=keepdim)

    def amax(self, dim: Any = (), keepdim: bool = False) -> "Tensor":
        """The largest value over `dim` (several dims at once; all when omitted); the gradient
        is split evenly among tied maxima (`max(dim)` gives it all to one index).

        >>> thw.tensor([[1.0, 5.0], [7.0, 2.0]]).amax(1).tolist()
        [5.0, 7.0]
        """
        return self._amax(ops.Amax, "amax", dim, keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> "Tensor":
        """The smallest value over `dim`, ties sharing the gradient (see `amax`)."""
        return self._amax(ops.Amin, "amin", dim, keepdim)

    def aminmax(self, *, dim: int | None = None, keepdim: bool = False) -> tuple:
        """(min, max) over `dim` (all when None), as a named tuple."""
        return _MinMax(self.amin(() if dim is None else dim, keepdim), self.amax(() if dim is None else dim, keepdim))

    def _arg_extremum(self, pick: Any, name: str, dim: int | None, keepdim: bool) -> "Tensor":
        if self._data.dtype.kind == "b":
            raise RuntimeError(f"{name}(): does not support bool input")
        if dim is None:
            if self._data.size == 0:
                raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
            index = np.asarray(pick(self._data))
            return Tensor._make(index.reshape((1,) * self.ndim) if keepdim else index, False, None)
        axis = _normalize_dims(dim, self.ndim)[0]
        if self.ndim and self.shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
        return Tensor._make(np.asarray(pick(self._data, axis=axis if self.ndim else None, keepdims=keepdim)),
                            False, None)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        """Index of the largest value (first one on ties); no gradient.

        >>> thw.tensor([1.0, 9.0, 3.0]).argmax().item()
        1
        """
        return self._arg_extremum(np.argmax, "argmax", dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        """Index of the smallest value (first one on ties); no gradient."""
        return self._arg_extremum(np.argmin, "argmin", dim, keepdim)

    def var(self, dim: int | tuple | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: int | None = None, axis: Any = None, keepdims: bool | None = None) -> "Tensor":
        """Variance with Bessel's correction by default (as torch.var; NumPy's default is 0):
        Σ(x - mean)² / (n - correction).

        >>> thw.tensor([1.0, 2.0, 3.0, 4.0]).var().item()
        1.6666666...
        """
        if axis is not None or keepdims is not None:
            dim, keepdim = _dim_alias(dim, axis), _keepdim_alias(keepdim, keepdims)
        if isinstance(dim, bool) and unbiased is None:  # var(False): the old positional unbiased
            dim, unbiased = None, dim
        if correction is None:
            correction = 1 if unbiased is None else int(unbiased)
        if self.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        source = self
        dims = _normalize_dims(dim, self.ndim) if self.ndim else None
        count = self._data.size if dims is None else int(np.prod([self.shape[d] for d in dims]))
        deviation = source - source.mean(dims, keepdim=True)
        return (deviation * deviation).sum(dims, keepdim=keepdim) / max(count - correction, 0)

    def std(self, dim: int | tuple | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: int | None = None, axis: Any = None, keepdims: bool | None = None) -> "Tensor":
        """Standard deviation, √var, with Bessel's correction by default (as torch.std).

        >>> thw.tensor([1.0, 3.0]).std().item()
        1.4142...
        """
        return self.var(dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims).sqrt()

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> "Tensor":
        """The p-norm over `dim` (all elements when None): p = 2 or 'fro' (the default),
        1, inf, -inf, 0 (count of nonzeros) or any number, always as a vector norm of the
        elements (as torch.norm); 'nuc' is the matrix nuclear norm. The gradient of the
        2-norm at 0 is 0, as in PyTorch.

        >>> thw.tensor([[3.0, 4.0]]).norm(dim=1).tolist()
        [5.0]
        """
        source = self if dtype is None else self.astype(dtype)
        if source.dtype.kind != "f":
            raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                               f"Got {_torch_dtype_name(source.dtype)}")
        if p == "nuc":
            return ops.linalg.matrix_norm(source, "nuc", (-2, -1) if dim is None else dim, keepdim)
        if p is None or p == "fro":
            p = 2
        if isinstance(p, str):
            raise RuntimeError(f"norm(): unsupported p={p!r}")
        dims = _normalize_dims(dim, self.ndim) if self.ndim and dim is not None else None
        return ops.LinalgVectorNorm.apply(source, p=float(p), dim=dims, keepdim=keepdim)

    def logsumexp(self, dim: int | tuple, keepdim: bool = False) -> "Tensor":
        """log(sum(exp(x))) over `dim`, without overflow.

        >>> thw.tensor([1e4, 1e4]).logsumexp(0).item()   # 1e4 + log 2
        10000.693...
        """
        source = _floating(self)
        if self.ndim == 0:
            return source.reshape(1).logsumexp(0, keepdim=False)
        if self._data.size == 0:  # log of an empty sum: -inf, as PyTorch
            with np.errstate(divide="ignore"):
                return source.exp().sum(dim, keepdim).log()
        return ops.LogSumExp.apply(source, dim=_normalize_dims(dim, self.ndim), keepdim=keepdim)

    def softmax(self, dim: int, dtype: Any = None) -> "Tensor":
        """exp(x) / sum(exp(x)) along `dim`, stable for large inputs.

        >>> thw.tensor([1.0, 2.0, 7.0, 3.0, 2.0]).softmax(0)   # the slides' 0.967 for 7
        """
        source = _floating(self if dtype is None else self.astype(dtype))
        if self.ndim == 0:
            return source.reshape(1).softmax(0).reshape(())
        return ops.Softmax.apply(source, dim=_normalize_dims(dim, self.ndim)[0])

    def log_softmax(self, dim: int, dtype: Any = None) -> "Tensor":
        source = _floating(self if dtype is None else self.astype(dtype))
        if self.ndim == 0:
            return source.reshape(1).log_softmax(0).reshape(())
        return ops.LogSoftmax.apply(source, dim=_normalize_dims(dim, self.ndim)[0])

    def any(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """True if any element (over `dim`) is nonzero.

        >>> thw.tensor([[0, 1], [0, 0]]).any(1).tolist()
        [True, False]
        """
        return self._logical_reduction(np.any, dim, keepdim)

    def all(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """True if every element (over `dim`) is nonzero (True for an empty tensor)."""
        return self._logical_reduction(np.all, dim, keepdim)

    def _logical_reduction(self, reduce: Any, dim: Any, keepdim: bool) -> "Tensor":
        axis = _normalize_dims(dim, self.ndim) if dim is not None and self.ndim else None
        result = np.asarray(reduce(self._data, axis=axis, keepdims=keepdim and dim is not None))
        return Tensor._make(result.astype(np.uint8) if self.dtype == np.uint8 else result, False, None)

    def count_nonzero(self, dim: Any = None) -> "Tensor":
        """How many elements (over `dim`) are nonzero, as int64."""
        axis = _normalize_dims(dim, self.ndim) if dim is not None and self.ndim else None
        return Tensor._make(np.asarray(np.count_nonzero(self._data, axis=axis), np.int64), False, None)

    def cumsum(self, dim: int, dtype: Any = None) -> "Tensor":
        """Running sum along `dim` (ints and bools in int64).

        >>> thw.tensor([1, 2, 3]).cumsum(0).tolist()
        [1, 3, 6]
        """
        return ops.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim: int, dtype: Any = None) -> "Tensor":
        return ops.cumprod(self, dim, dtype=dtype)

    def cummax(self, dim: int) -> tuple:
        return ops.cummax(self, dim)

    def cummin(self, dim: int) -> tuple:
        return ops.cummin(self, dim)

    def logcumsumexp(self, dim: int) -> "Tensor":
        return ops.logcumsumexp(self, dim)

    def diff(self, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> "Tensor":
        return ops.diff(self, n, dim, prepend, append)

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> tuple:
        """(values, indices) sorted along `dim` (stable: ties keep their order).

        >>> thw.tensor([3.0, 1.0, 2.0]).sort(descending=True).values.tolist()
        [3.0, 2.0, 1.0]
        """
        return ops.sort(self, dim, descending, stable=stable)

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> "Tensor":
        return ops.argsort(self, dim, descending, stable)

    def msort(self) -> "Tensor":
        return ops.msort(self)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> tuple:
        """The k largest (or smallest) along `dim`, as (values, indices).

        >>> thw.tensor([1.0, 3.0, 2.0]).topk(2).values.tolist()
        [3.0, 2.0]
        """
        return ops.topk(self, k, dim, largest, sorted)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> tuple:
        return ops.kthvalue(self, k, dim, keepdim)

    def median(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The lower median (of 1, 2, 3, 4 it is 2, not 2.5), as PyTorch; with `dim`, (values, indices)."""
        return ops.median(self, dim, keepdim)

    def nanmedian(self, dim: Any = None, keepdim: bool = False) -> Any:
        return ops.nanmedian(self, dim, keepdim)

    def mode(self, dim: int = -1, keepdim: bool = False) -> tuple:
        return ops.mode(self, dim, keepdim)

    def unique(self, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
               dim: int | None = None) -> Any:
        return ops.unique(self, sorted, return_inverse, return_counts, dim)

    def bincount(self, weights: Any = None, minlength: int = 0) -> "Tensor":
        return ops.bincount(self, weights, minlength)

    # ----------------------------------------------------------------- shape
    def reshape(self, *shape: Any) -> "Tensor":
        """The same values in a new shape (one dimension may be -1).

        >>> thw.arange(6).reshape(2, 3).shape
        (2, 3)
        """
        new_shape = _resolve_shape(_shape_args(shape), self._data.size)
        return self if new_shape == self.shape else ops.Reshape.apply(self, shape=new_shape)

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        """Merge dimensions start_dim..end_dim into one.

        >>> thw.zeros(2, 3, 4).flatten(1).shape
        (2, 12)
        """
        if self.ndim == 0:
            return self.reshape(1)
        start, end = _normalize_dims((start_dim, end_dim), self.ndim)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        return self.reshape(*self.shape[:start], -1, *self.shape[end + 1:])

    @axis_alias
    def unsqueeze(self, dim: int) -> "Tensor":
        dim = _normalize_dims(dim, self.ndim + 1)[0]
        return self.reshape(*self.shape[:dim], 1, *self.shape[dim:])

    @axis_alias
    def squeeze(self, dim: int | tuple | None = None) -> "Tensor":
        if dim is None:
            return self.reshape(*[s for s in self.shape if s != 1])
        if self.ndim == 0:
            _normalize_dims(dim, 0)
            return self
        dims = set(_normalize_dims(dim, self.ndim))
        return self.reshape(*[s for d, s in enumerate(self.shape) if not (d in dims and s == 1)])

    def permute(self, *dims: Any) -> "Tensor":
        dims = _normalize_dims(_shape_args(dims), self.ndim) if self.ndim else ()
        if len(dims) != self.ndim:
            raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match "
                               f"the length of the desired ordering of dimensions i.e. input.dim() = {self.ndim} "
                               f"is not equal to len(dims) = {len(dims)}")
        if len(set(dims)) != len(dims):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        return ops.Permute.apply(self, dims=dims)

    def transpose(self, dim0: int, dim1: int) -> "Tensor":
        if self.ndim == 0:
            _normalize_dims((dim0, dim1), 0)
            return self
        dim0, dim1 = _normalize_dims((dim0, dim1), self.ndim)
        dims = list(range(self.ndim))
        dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
        return self.permute(*dims)

    def t(self) -> "Tensor":
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self.transpose(0, 1) if self.ndim == 2 else self

    def expand(self, *sizes: Any) -> "Tensor":
        """Broadcast to a larger shape without copying (-1 keeps a size).

        >>> thw.ones(3, 1).expand(3, 4).shape
        (3, 4)
        """
        sizes = _shape_args(sizes)
        lead = len(sizes) - self.ndim
        if lead < 0:
            raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal "
                               f"to the number of dimensions in the tensor ({self.ndim})")
        shape = tuple(self.shape[i - lead] if s == -1 and i >= lead else int(s) for i, s in enumerate(sizes))
        if any(a != 1 and a != b for a, b in zip(self.shape, shape[lead:])):
            raise RuntimeError(f"The expanded size of the tensor ({list(shape)}) must match the existing size "
                               f"({list(self.shape)}) at each non-singleton dimension")
        return self if shape == self.shape else ops.Expand.apply(self, shape=shape)

    def contiguous(self, memory_format: Any = None) -> "Tensor":
        return self

    def is_contiguous(self, memory_format: Any = None) -> bool:
        return True

    def clone(self, *, memory_format: Any = None) -> "Tensor":
        """A copy with its own memory; the gradient flows back through it.

        >>> y = x.clone()
        """
        return ops.clone(self)

    def view_as(self, other: "Tensor") -> "Tensor":
        """`self.view(other.shape)`."""
        return self.reshape(other.shape)

    reshape_as = view_as

    def expand_as(self, other: "Tensor") -> "Tensor":
        """`self.expand(other.shape)`."""
        return self.expand(*other.shape)

    def broadcast_to(self, size: Any) -> "Tensor":
        return self.expand(*size)

    def ravel(self) -> "Tensor":
        return self.reshape(-1)

    def repeat(self, *sizes: Any) -> "Tensor":
        """Tile the tensor `sizes[d]` times along each dim (NumPy's `tile`, not its `repeat`).

        >>> thw.tensor([1, 2]).repeat(2, 2).tolist()
        [[1, 2, 1, 2], [1, 2, 1, 2]]
        """
        sizes = _shape_args(sizes)
        if len(sizes) < self.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                               "of tensor")
        return ops.shape._tile(self, sizes)

    def tile(self, *dims: Any) -> "Tensor":
        return ops.tile(self, _shape_args(dims))

    @axis_alias
    def repeat_interleave(self, repeats: Any, dim: int | None = None, *, output_size: int | None = None) -> "Tensor":
        """Repeat each element `repeats` times (NumPy's `repeat`).

        >>> thw.tensor([1, 2]).repeat_interleave(2).tolist()
        [1, 1, 2, 2]
        """
        return ops.repeat_interleave(self, repeats, dim)

    @axis_alias
    def split(self, split_size: Any, dim: int = 0) -> tuple:
        return ops.split(self, split_size, dim)

    @axis_alias
    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        return ops.chunk(self, chunks, dim)

    @axis_alias
    def unbind(self, dim: int = 0) -> tuple:
        return ops.unbind(self, dim)

    def flip(self, *dims: Any) -> "Tensor":
        return ops.flip(self, _shape_args(dims))

    def fliplr(self) -> "Tensor":
        return ops.fliplr(self)

    def flipud(self) -> "Tensor":
        return ops.flipud(self)

    def roll(self, shifts: Any, dims: Any = None) -> "Tensor":
        return ops.roll(self, shifts, dims)

    def tril(self, diagonal: int = 0) -> "Tensor":
        return ops.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> "Tensor":
        return ops.triu(self, diagonal)

    def tril_(self, diagonal: int = 0) -> "Tensor":
        return self._inplace(lambda t: ops.tril(t, diagonal))

    def triu_(self, diagonal: int = 0) -> "Tensor":
        return self._inplace(lambda t: ops.triu(t, diagonal))

    def diag(self, diagonal: int = 0) -> "Tensor":
        return ops.diag(self, diagonal)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> "Tensor":
        return ops.diagonal(self, offset, dim1, dim2)

    def trace(self) -> "Tensor":
        return ops.trace(self)

    def outer(self, vec2: "Tensor") -> "Tensor":
        return ops.outer(self, vec2)

    ger = outer

    @axis_alias
    def narrow(self, dim: int, start: Any, length: int) -> "Tensor":
        return ops.narrow(self, dim, start, length)

    @axis_alias
    def select(self, dim: int, index: int) -> "Tensor":
        return ops.select(self, dim, index)

    def movedim(self, source: Any, destination: Any) -> "Tensor":
        return ops.movedim(self, source, destination)

    moveaxis = movedim

    def swapaxes(self, axis0: int, axis1: int) -> "Tensor":
        return self.transpose(axis0, axis1)

    swapdims = swapaxes

    @axis_alias
    def unflatten(self, dim: int, sizes: Any) -> "Tensor":
        return ops.unflatten(self, dim, sizes)

    def _inplace_view(self, compute: Callable[["Tensor"], "Tensor"]) -> "Tensor":
        """Give this tensor `compute(self)`'s shape in place (unsqueeze_, t_, ...): it keeps its
        memory and, under recording, becomes the output of the recorded view op."""
        self._check_inplace()
        before = Tensor._make(self._data, self.requires_grad, self.grad_fn)  # the node's input keeps the old shape
        before._output_nr, before._grad_accumulator, before._version = self._output_nr, self._grad_accumulator, \
            self._version
        result = compute(before)
        self._data = result._data
        if result.grad_fn is not None:
            self.grad_fn, self._output_nr = result.grad_fn, result._output_nr
        return self

    @axis_alias
    def unsqueeze_(self, dim: int) -> "Tensor":
        """In-place `unsqueeze`.

        >>> thw.zeros(3).unsqueeze_(0).shape
        (1, 3)
        """
        return self._inplace_view(lambda t: t.unsqueeze(dim))

    @axis_alias
    def squeeze_(self, dim: int | tuple | None = None) -> "Tensor":
        return self._inplace_view(lambda t: t.squeeze(dim))

    def t_(self) -> "Tensor":
        return self._inplace_view(lambda t: t.t())

    def transpose_(self, dim0: int, dim1: int) -> "Tensor":
        return self._inplace_view(lambda t: t.transpose(dim0, dim1))

    def swapaxes_(self, axis0: int, axis1: int) -> "Tensor":
        return self._inplace_view(lambda t: t.transpose(axis0, axis1))

    swapdims_ = swapaxes_

    # ----------------------------------------------------------------- indexing
    def __getitem__(self, index: Any) -> "Tensor":
        return ops.index(self, _index_arrays(index))

    @axis_alias
    def gather(self, dim: int, index: "Tensor", *, sparse_grad: bool = False) -> "Tensor":
        return ops.gather(self, dim, index)

    @axis_alias
    def scatter(self, dim: int, index: "Tensor", src: Any = None, *, value: Any = None,
                reduce: str | None = None) -> "Tensor":
        return ops.scatter(self, dim, index, src, value=value, reduce=reduce)

    @axis_alias
    def scatter_(self, dim: int, index: "Tensor", src: Any = None, *, value: Any = None,
                 reduce: str | None = None) -> "Tensor":
        """In-place `scatter`.

        >>> thw.zeros(3).scatter_(0, thw.tensor([1]), 5.0)
        """
        return self._inplace(lambda t: ops.scatter(t, dim, index, src, value=value, reduce=reduce), src)

    @axis_alias
    def scatter_add(self, dim: int, index: "Tensor", src: "Tensor") -> "Tensor":
        return ops.scatter_add(self, dim, index, src)

    @axis_alias
    def scatter_add_(self, dim: int, index: "Tensor", src: "Tensor") -> "Tensor":
        return self._inplace(lambda t: ops.scatter_add(t, dim, index, src), src)

    @axis_alias
    def scatter_reduce(self, dim: int, index: "Tensor", src: "Tensor", reduce: str, *,
                       include_self: bool = True) -> "Tensor":
        return ops.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    @axis_alias
    def scatter_reduce_(self, dim: int, index: "Tensor", src: "Tensor", reduce: str, *,
                        include_self: bool = True) -> "Tensor":
        return self._inplace(lambda t: ops.scatter_reduce(t, dim, index, src, reduce, include_self=include_self),
                             src)

    @axis_alias
    def index_select(self, dim: int, index: "Tensor") -> "Tensor":
        return ops.index_select(self, dim, index)

    @axis_alias
    def index_add(self, dim: int, index: "Tensor", source: "Tensor", *, alpha: Any = 1) -> "Tensor":
        return ops.index_add(self, dim, index, source, alpha=alpha)

    @axis_alias
    def index_add_(self, dim: int, index: "Tensor", source: "Tensor", *, alpha: Any = 1) -> "Tensor":
        return self._inplace(lambda t: ops.index_add(t, dim, index, source, alpha=alpha), source)

    @axis_alias
    def index_copy(self, dim: int, index: "Tensor", source: "Tensor") -> "Tensor":
        return ops.index_copy(self, dim, index, source)

    @axis_alias
    def index_copy_(self, dim: int, index: "Tensor", source: "Tensor") -> "Tensor":
        return self._inplace(lambda t: ops.index_copy(t, dim, index, source), source)

    @axis_alias
    def index_fill(self, dim: int, index: "Tensor", value: Any) -> "Tensor":
        return ops.index_fill(self, dim, index, value)

    @axis_alias
    def index_fill_(self, dim: int, index: "Tensor", value: Any) -> "Tensor":
        return self._inplace(lambda t: ops.index_fill(t, dim, index, value), value)

    def masked_select(self, mask: "Tensor") -> "Tensor":
        return ops.masked_select(self, mask)

    def masked_scatter(self, mask: "Tensor", source: "Tensor") -> "Tensor":
        return ops.masked_scatter(self, mask, source)

    def masked_scatter_(self, mask: "Tensor", source: "Tensor") -> "Tensor":
        return self._inplace(lambda t: ops.masked_scatter(t, mask, source), source)

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        return ops.nonzero(self, as_tuple=as_tuple)

    def argwhere(self) -> "Tensor":
        return ops.argwhere(self)

    def take(self, index: "Tensor") -> "Tensor":
        return ops.take(self, index)

    @axis_alias
    def take_along_dim(self, indices: "Tensor", dim: int | None = None) -> "Tensor":
        return ops.take_along_dim(self, indices, dim)

    # ----------------------------------------------------------------- random draws
    def random_(self, from_: int = 0, to: int | None = None, *, generator: Any = None) -> "Tensor":
        """Fill with integers in [from_, to) (to = 2**mantissa bits + 1 for floats, the dtype's
        max + 1 for integers when not given), not recorded.

        >>> thw.empty(3).random_(0, 10)
        """
        if to is None:
            from_, to = (0, from_) if from_ else (0, None)
        if to is None:
            to = 2 ** (np.finfo(self.dtype).nmant + 1) + 1 if self.dtype.kind == "f" else (
                2 if self.dtype == np.bool_ else int(np.iinfo(self.dtype).max) + 1)
        if from_ >= to:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}")
        return self._fill_random(lambda rng: rng.integers(from_, to, self.shape), generator)

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> "Tensor":
        """Fill with exponential draws of rate `lambd` (not recorded).

        >>> thw.empty(3).exponential_(2.0)
        """
        if lambd <= 0:
            raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
        return self._fill_random(lambda rng: rng.exponential(1.0 / lambd, self.shape), generator)

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> "Tensor":
        """Fill with 1 with probability p (a number or a tensor of probabilities), else 0.

        >>> thw.empty(3).bernoulli_(0.5)
        """
        probabilities = p._data if isinstance(p, Tensor) else np.asarray(p)
        if ((probabilities < 0) | (probabilities > 1)).any():
            raise RuntimeError("bernoulli_ expects p to be in [0, 1]")
        return self._fill_random(lambda rng: rng.random(self.shape) < probabilities, generator)

    def bernoulli(self, p: float | None = None, *, generator: Any = None) -> "Tensor":
        from .factories import bernoulli  # the random factories build on Tensor
        return bernoulli(self, p, generator=generator)

    def multinomial(self, num_samples: int, replacement: bool = False, *, generator: Any = None) -> "Tensor":
        from .factories import multinomial  # the random factories build on Tensor
        return multinomial(self, num_samples, replacement, generator=generator)


class _HookHandle:
    """What `register_hook` returns: `.remove()` takes the hook off again."""

    def __init__(self, tensor: Tensor, hook: Callable) -> None:
        self.tensor, self.hook = tensor, hook

    def remove(self) -> None:
        tensor = self.tensor
        if tensor._hooks and self.hook in tensor._hooks:
            tensor._hooks = [h for h in tensor._hooks if h is not self.hook]
        node = tensor.grad_fn
        if node is not None and node._tensor_hooks:
            node._tensor_hooks = [(n, h) for n, h in node._tensor_hooks if h is not self.hook]


def _root_gradient(tensor: Tensor, gradient: Any) -> np.ndarray:
    if gradient is None:
        if tensor._data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; this one has shape {tensor.shape}: "
                "pass gradient= of that shape (e.g. thw.ones_like(out))")
        return np.ones(tensor._data.shape, tensor._data.dtype)
    grad = np.asarray(gradient._data if isinstance(gradient, Tensor) else gradient, dtype=tensor.dtype)
    if grad.shape != tensor.shape:
        raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {grad.shape} and output[0] has "
                           f"a shape of {tensor.shape}.")
    return grad


def _record_on_base(base: Tensor, view: Tensor) -> None:
    """An in-place op through `view` changed `base`'s values: make the base the output of a
    node that puts the view's new values into it (PyTorch's CopySlices), so gradients through
    the base see the change. A view whose memory the base no longer holds is left alone."""
    positions = _positions_in(base._data, view._data)
    if positions is None:
        return
    before = Tensor._make(base._data, base.requires_grad, base.grad_fn)
    before._output_nr, before._grad_accumulator = base._output_nr, base._grad_accumulator
    after = ops.CopySlices.apply(before, view, positions=positions)
    base.grad_fn, base._output_nr, base.requires_grad = after.grad_fn, after._output_nr, True


def _positions_in(base: np.ndarray, view: np.ndarray) -> np.ndarray | None:
    """The flat index in `base` of each element of `view`, an array over part of base's memory
    (None if some element is not in it)."""
    def addresses(array: np.ndarray) -> np.ndarray:
        steps = np.ix_(*[np.arange(size) * stride for size, stride in zip(array.shape, array.strides)])
        return sum(steps, np.full(array.shape, array.__array_interface__["data"][0], np.int64))

    base_addresses = addresses(base).reshape(-1)
    order = np.argsort(base_addresses, kind="stable")
    wanted = addresses(view)
    found = np.searchsorted(base_addresses[order], wanted).clip(0, base.size - 1)
    positions = order[found]
    return positions if np.array_equal(base_addresses[positions], wanted) else None


def _write_inplace(tensor: Tensor, values: np.ndarray) -> None:
    """Write an in-place op's result into the tensor's own memory, with PyTorch's checks."""
    if values.shape != tensor.shape:
        raise RuntimeError(f"output with shape {list(tensor.shape)} doesn't match the broadcast shape "
                           f"{list(values.shape)}")
    if not np.can_cast(values.dtype, tensor.dtype, "same_kind"):
        raise RuntimeError(f"result type {values.dtype} can't be cast to the desired output type {tensor.dtype}")
    if values is not tensor._data:
        try:
            np.copyto(tensor._data, values, casting="unsafe")
        except ValueError as error:  # a read-only broadcast view
            raise RuntimeError(f"unsupported operation: this tensor cannot be written in place ({error}); "
                               "clone() it first") from None
    tensor._version[0] += 1


def _floating(tensor: Tensor) -> Tensor:
    """Integers and bools go into float functions (exp, log, ...) as the default float dtype."""
    return tensor if tensor._data.dtype.kind == "f" else tensor.astype(get_default_dtype())


_TORCH_DTYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
                      "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
_MinMax = namedtuple("aminmax", ["min", "max"])


def _torch_dtype_name(dtype: np.dtype) -> str:
    """The name PyTorch's error messages give a dtype ('Float', 'Long', ...)."""
    return _TORCH_DTYPE_NAMES.get(np.dtype(dtype).name, str(dtype))


def _dim_alias(dim: Any, axis: Any) -> Any:
    if dim is not None and axis is not None:
        raise TypeError("got both dim= and its alias axis=")
    return axis if axis is not None else dim


def _keepdim_alias(keepdim: bool, keepdims: bool | None) -> bool:
    return bool(keepdims) if keepdims is not None else keepdim


def _apply_broadcasting(function: Any, verb: str, *operands: Any) -> Tensor:
    """`function(*operands)`, with NumPy's broadcasting error in PyTorch's words."""
    try:
        return function.apply(*operands) if hasattr(function, "apply") else function(*operands)
    except ValueError as error:
        if "broadcast" not in str(error):
            raise
        raise RuntimeError(f"{verb}: the shapes {[list(np.shape(o)) for o in operands]} do not broadcast "
                           "(trailing dimensions must be equal or 1)") from None


def _binary(function: Any, left: Any, right: Any, verb: str, float_result: bool = False) -> Tensor:
    if not _same_float_dtype(left, right):  # the common case needs no promotion
        dtype = float_result_type(left, right) if float_result else result_type(left, right)
        left, right = _cast_operand(left, dtype), _cast_operand(right, dtype)
    try:
        return function.apply(left, right)
    except ValueError as error:
        if "broadcast" not in str(error):
            raise
        raise RuntimeError(f"{verb}: the size of tensor a {list(np.shape(left))} must match the size of tensor b "
                           f"{list(np.shape(right))} at each non-singleton dimension (trailing dimensions must "
                           "be equal or 1)") from None


def _same_float_dtype(left: Any, right: Any) -> bool:
    """Float tensors of one dtype, or a float tensor and a Python number: nothing to promote."""
    if isinstance(left, Tensor):
        kind = left._data.dtype.kind
        if isinstance(right, Tensor):
            return kind == "f" and left._data.dtype == right._data.dtype
        return kind == "f" and type(right) in (float, int)
    return isinstance(right, Tensor) and right._data.dtype.kind == "f" and type(left) in (float, int)


def _cast_operand(operand: Any, dtype: np.dtype) -> Any:
    """A tensor in the op's dtype; Python numbers stay (NumPy treats them as weak scalars)."""
    if isinstance(operand, Tensor):
        return operand if operand._data.dtype == dtype else operand.astype(dtype)
    if isinstance(operand, np.ndarray):
        return Tensor._make(operand.astype(dtype, copy=False), False, None)
    if isinstance(operand, (bool, int, float)) and not isinstance(operand, np.generic):
        if dtype.kind in "iu" and isinstance(operand, int) and not np.can_cast(np.min_scalar_type(operand), dtype):
            return np.asarray(operand).astype(dtype)  # out of range for a small int type: wrap as PyTorch
        return operand
    return np.asarray(operand, dtype=dtype)


def _shape_args(shape: tuple) -> tuple:
    """Accept both `f(2, 3)` and `f((2, 3))`."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _resolve_shape(shape: tuple, size: int) -> tuple:
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if any(s < -1 for s in shape):
        raise RuntimeError(f"invalid shape dimension {min(shape)}")
    if -1 in shape:
        known = int(np.prod([s for s in shape if s != -1]))
        if known == 0 or size % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
        shape = tuple(size // known if s == -1 else s for s in shape)
    if int(np.prod(shape)) != size:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
    return shape


def _normalize_dims(dim: Any, ndim: int) -> tuple | None:
    """Dims as non-negative ints, with PyTorch's IndexError for out-of-range ones (a 0-d
    tensor accepts dims -1 and 0)."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    span = max(ndim, 1)
    for d in dims:
        if not -span <= d < span:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-span}, {span - 1}], "
                             f"but got {d})")
    return tuple(int(d) % span for d in dims)


def _index_arrays(index: Any) -> Any:
    """Replace Tensors inside an index by their arrays (lists of Tensors too)."""
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, tuple):
        return tuple(_index_arrays(i) for i in index)
    if isinstance(index, list) and any(isinstance(i, Tensor) for i in index):
        return [i._data if isinstance(i, Tensor) else i for i in index]
    return index


_TYPE_NAMES = {np.dtype(np.float32): "FloatTensor", np.dtype(np.float64): "DoubleTensor",
               np.dtype(np.int64): "LongTensor", np.dtype(np.int32): "IntTensor", np.dtype(np.int16): "ShortTensor",
               np.dtype(np.int8): "CharTensor", np.dtype(np.uint8): "ByteTensor", np.dtype(np.bool_): "BoolTensor"}

# The autograd machinery and the ops build on Tensor, so they come after it.
from . import ops  # noqa: E402
from .autograd import engine  # noqa: E402
from .autograd.grad_mode import STATE  # noqa: E402
