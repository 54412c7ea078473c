"""`Module`, `Parameter` and the containers: models are ordinary Python classes.

Assigning a `Parameter` or a `Module` to an attribute registers it, so `self.fc1 =
nn.Linear(...)` makes `fc1.weight` and `fc1.bias` appear in `named_parameters()` and
`state_dict()`, exactly as in PyTorch. Buffers (`register_buffer`) are tensors that are state
but not learned (running statistics, masks); non-persistent ones stay out of the state dict.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict, namedtuple
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from ..autograd.grad_mode import no_grad
from ..tensor import Tensor, get_default_dtype


class Parameter(Tensor):
    """A tensor that a `Module` registers as learnable (requires grad by default).

    >>> w = nn.Parameter(thw.randn(3, 2))
    >>> w.requires_grad
    True
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True):
        if data is None:
            data = np.empty(0, get_default_dtype())
        array = data._data if isinstance(data, Tensor) else np.asarray(data)
        if array.dtype == np.float64 and not isinstance(data, (Tensor, np.ndarray)):
            array = array.astype(get_default_dtype())
        self._setup(array, requires_grad)  # shares memory with what it wraps, as torch.nn.Parameter

    def __repr__(self) -> str:
        return "Parameter containing:\n" + Tensor.__repr__(self)


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What `load_state_dict` returns: the keys it did not find, and the keys it did not use."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class RemovableHandle:
    """What `register_forward_hook` returns: `handle.remove()` unregisters the hook.

    >>> with layer.register_forward_hook(print_shapes): layer(x)   # removed on exit
    """

    _next_id = itertools.count()

    def __init__(self, registry: dict):
        self.registry, self.id = registry, next(RemovableHandle._next_id)

    def remove(self) -> None:
        self.registry.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def _type_name(value: Any) -> str:
    return type(value).__module__.split(".")[0] + "." + type(value).__name__ if isinstance(value, Tensor) \
        else type(value).__name__


def _check_name(name: Any, kind: str, module: "Module") -> None:
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
    if "." in name:
        raise KeyError(f'{kind} name can\'t contain "."')
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')


class Module:
    """Base class of layers and models: define `forward`, call the module.

    >>> class TwoLayer(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc1, self.fc2 = nn.Linear(784, 32), nn.Linear(32, 10)
    ...     def forward(self, x):
    ...         return self.fc2(self.fc1(x).relu())
    >>> [name for name, _ in TwoLayer().named_parameters()]
    ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
    """

    training: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected arguments "
                            "(Module.__init__ takes none)")
        for name in ("_parameters", "_buffers", "_modules", "_forward_hooks", "_forward_pre_hooks"):
            object.__setattr__(self, name, OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"call super().__init__() in {type(self).__name__}.__init__ "
                                 "before assigning parameters or sub-modules")
        if isinstance(value, Parameter):
            self._unregister(name)
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._unregister(name)
            self._modules[name] = value
        elif name in self._parameters:
            if value is not None:
                raise TypeError(f"cannot assign '{_type_name(value)}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self._parameters[name] = None
        elif name in self._modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_type_name(value)}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            self._modules[name] = None
        elif name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_type_name(value)}' as buffer '{name}' "
                                "(torch.Tensor or None expected)")
            self._buffers[name] = value
        object.__setattr__(self, name, value)

    def _unregister(self, name: str) -> None:
        for registry in (self._parameters, self._modules, self._buffers):
            registry.pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __delattr__(self, name: str) -> None:
        self._unregister(name)
        object.__delattr__(self, name)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Keep a non-learnable tensor (a running mean, a causal mask) with the module: it moves
        with `.to()`, and is in the state dict unless `persistent=False`.

        >>> self.register_buffer("tril", thw.tril(thw.ones(8, 8)))
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        _check_name(name, "buffer", self)
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_type_name(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)
        object.__setattr__(self, name, tensor)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register `param` (a Parameter, or None for an absent one such as `bias=False`).

        >>> self.register_parameter("bias", None)
        """
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        _check_name(name, "parameter", self)
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{_type_name(param)}' object to parameter '{name}' "
                            "(torch.nn.Parameter or None required)")
        self._unregister(name)
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def add_module(self, name: str, module: "Module | None") -> None:
        """Register a sub-module under `name` (what attribute assignment does).

        >>> model.add_module("head", nn.Linear(32, 10))
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        _check_name(name, "module", self)
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        self._unregister(name)
        self._modules[name] = module
        object.__setattr__(self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> "Module":
        """The sub-module at a dotted path.  >>> model.get_submodule("encoder.0")"""
        module = self
        for item in target.split(".") if target else []:
            if item not in module._modules or module._modules[item] is None:
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = module._modules[item]
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at a dotted path.  >>> model.get_parameter("fc1.weight")"""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if name not in module._parameters:
            raise AttributeError(f"{type(module).__name__} has no parameter `{name}`")
        return module._parameters[name]

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at a dotted path.  >>> model.get_buffer("bn.running_mean")"""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if name not in module._buffers:
            raise AttributeError(f"{type(module).__name__} has no buffer `{name}`")
        return module._buffers[name]

    # ------------------------------------------------------------------ calling
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self._forward_pre_hooks and not self._forward_hooks:
            return self.forward(*args, **kwargs)
        for hook, with_kwargs in list(self._forward_pre_hooks.values()):
            if with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        output = self.forward(*args, **kwargs)
        for hook, with_kwargs in list(self._forward_hooks.values()):
            result = hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
            if result is not None:
                output = result
        return output

    def _add_hook(self, registry: dict, hook: Callable, prepend: bool, with_kwargs: bool) -> RemovableHandle:
        handle = RemovableHandle(registry)
        registry[handle.id] = (hook, with_kwargs)
        if prepend:
            registry.move_to_end(handle.id, last=False)
        return handle

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """`hook(module, args)` runs before `forward`; a non-None result replaces the inputs.

        >>> handle = layer.register_forward_pre_hook(lambda m, args: print(args[0].shape))
        >>> handle.remove()
        """
        return self._add_hook(self._forward_pre_hooks, hook, prepend, with_kwargs)

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """`hook(module, args, output)` runs after `forward`; a non-None result replaces the output.

        >>> activations = {}
        >>> handle = model.fc1.register_forward_hook(lambda m, args, out: activations.update(fc1=out))
        """
        return self._add_hook(self._forward_hooks, hook, prepend, with_kwargs)

    # ------------------------------------------------------------------ traversal
    def named_modules(self, memo: set | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, "Module"]]:
        """Every module in the tree with its dotted name, this one first (as '').

        >>> [name for name, _ in nn.Sequential(nn.Linear(2, 2)).named_modules()]
        ['', '0']
        """
        stack, seen = [(prefix, self)], set() if memo is None else memo
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in seen:
                    continue
                seen.add(id(module))
            yield name, module
            children = [(f"{name}.{child_name}" if name else child_name, child)
                        for child_name, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self) -> Iterator["Module"]:
        """>>> len(list(model.modules()))"""
        return (module for _, module in self.named_modules())

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        """>>> [name for name, _ in model.named_children()]"""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator["Module"]:
        """>>> list(model.children())"""
        return (module for _, module in self.named_children())

    def _named_members(self, registry: str, prefix: str, recurse: bool, remove_duplicate: bool) -> Iterator:
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse \
            else [(prefix, self)]
        seen = set()
        for module_name, module in modules:
            for name, member in getattr(module, registry).items():
                if member is None or (remove_duplicate and id(member) in seen):
                    continue
                seen.add(id(member))
                yield (f"{module_name}.{name}" if module_name else name), member

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs, each parameter once.

        >>> [n for n, _ in nn.Sequential(nn.Linear(2, 2)).named_parameters()]
        ['0.weight', '0.bias']
        """
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """>>> optim.SGD(model.parameters(), lr=0.1)"""
        return (param for _, param in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) pairs.  >>> dict(nn.BatchNorm1d(3).named_buffers()).keys()"""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """>>> list(nn.BatchNorm1d(3).buffers())"""
        return (buffer for _, buffer in self.named_buffers(recurse=recurse))

    def apply(self, fn: Callable[["Module"], Any]) -> "Module":
        """Call `fn` on every sub-module (children first) and then on this one; returns self.

        >>> model.apply(lambda m: nn.init.zeros_(m.bias) if isinstance(m, nn.Linear) else None)
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes
    def train(self, mode: bool = True) -> "Module":
        """Training mode (dropout active, batch norm uses batch statistics)."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> "Module":
        """Evaluation mode: `train(False)`."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the parameters' gradients (None, or zeros with set_to_none=False).

        >>> model.zero_grad()
        """
        for param in self.parameters():
            if set_to_none:
                param.grad = None
            elif param.grad is not None:
                param.grad = param.grad.detach()
                param.grad._data[...] = 0

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        """Freeze (False) or unfreeze every parameter; returns self.

        >>> model.features.requires_grad_(False)
        """
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def _convert(self, dtype: np.dtype) -> "Module":
        # Parameters keep their identity (an optimizer built before keeps working), as in PyTorch.
        for tensor in [*self.parameters(), *self.buffers()]:
            if tensor.dtype.kind == "f" and tensor.dtype != dtype:
                tensor._data = tensor._data.astype(dtype)
                if tensor.grad is not None:
                    tensor.grad = Tensor._make(tensor.grad._data.astype(dtype), False, None)
        return self

    def to(self, *args: Any, **kwargs: Any) -> "Module":
        """`to(dtype)` converts floating parameters and buffers (as PyTorch, integer ones stay);
        `to("cpu")`, `to(device)` and `to(tensor)` are accepted as PyTorch code writes them.

        >>> model.to(thw.float64)
        """
        targets = [*args, kwargs.get("device"), kwargs.get("dtype")]
        unknown = set(kwargs) - {"device", "dtype", "non_blocking", "memory_format", "copy"}
        if unknown:
            raise TypeError(f"to() got an unexpected keyword argument {sorted(unknown)[0]!r}")
        dtype = None
        for target in targets:
            if target is None or isinstance(target, bool):
                continue
            if isinstance(target, Tensor):
                dtype = target.dtype
            elif isinstance(target, (str, int)) or type(target).__name__ == "device":
                _check_device(target)
            else:
                dtype = np.dtype(target)
        if dtype is not None:
            if dtype.kind != "f":
                raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype}")
            self._convert(dtype)
        return self

    def double(self) -> "Module":
        """>>> model.double()   # float64 parameters, for gradchecks"""
        return self._convert(np.dtype(np.float64))

    def float(self) -> "Module":
        """>>> model.float()"""
        return self._convert(np.dtype(np.float32))

    def half(self) -> "Module":
        """>>> model.half()   # float16 (slow on CPU, as in PyTorch)"""
        return self._convert(np.dtype(np.float16))

    def cpu(self) -> "Module":
        """Everything is on the CPU already: returns self."""
        return self

    def cuda(self, device: Any = None) -> "Module":
        _check_device("cuda")
        return self

    def type(self, dst_type: Any) -> "Module":
        return self._convert(np.dtype(dst_type))

    # ------------------------------------------------------------------ state
    def state_dict(self, *args: Any, destination: Any = None, prefix: str = "",
                   keep_vars: bool = False) -> "OrderedDict[str, Tensor]":
        """Name -> tensor for every parameter and persistent buffer, the names PyTorch uses.
        The tensors are detached and share memory with the module (as PyTorch's do), so copy
        them (`{k: v.clone() ...}` or save them) to keep a snapshot.

        >>> thw.save(model.state_dict(), "model.safetensors")
        """
        if args:  # PyTorch's old positional form state_dict(destination, prefix, keep_vars)
            destination, prefix, keep_vars = (list(args) + [destination, prefix, keep_vars][len(args):])[:3]
        state = OrderedDict() if destination is None else destination
        for module_name, module in self.named_modules(prefix=prefix.rstrip(".")):
            dotted = f"{module_name}." if module_name else ""
            members = [*module._parameters.items(),
                       *((n, b) for n, b in module._buffers.items() if n not in module._non_persistent_buffers_set)]
            for name, tensor in members:
                if tensor is not None:
                    state[dotted + name] = tensor if keep_vars else tensor.detach()
        return state

    def load_state_dict(self, state_dict: Any, strict: bool = True, assign: bool = False) -> _IncompatibleKeys:
        """Copy values in by name. Every value is checked first (shape, type); on any error
        nothing is changed and RuntimeError lists every problem, as PyTorch's message does.
        With `strict`, missing and unexpected keys are errors too; otherwise they are returned.

        >>> model.load_state_dict(thw.load("model.safetensors"))
        <All keys matched successfully>
        """
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        own = self.state_dict(keep_vars=True)
        optional = {f"{prefix}.{name}" if prefix else name for prefix, module in self.named_modules()
                    for name in module._load_missing_ok()}
        missing = [name for name in own if name not in state_dict and name not in optional]
        unexpected = [name for name in state_dict if name not in own]
        problems, values = [], {}
        for name, tensor in own.items():
            if name not in state_dict:
                continue
            value = _as_array(state_dict[name])
            if value is None or value.dtype.kind not in "biufc":
                received = type(state_dict[name]) if value is None else f"an array of {value.dtype}"
                problems.append(f'While copying the parameter named "{name}", expected torch.Tensor or '
                                f"Tensor-like object from checkpoint but received {received}")
            elif value.shape != tensor.shape:
                problems.append(f"size mismatch for {name}: copying a param with shape {_size(value.shape)} "
                                f"from checkpoint, the shape in current model is {_size(tensor.shape)}.")
            elif value.dtype.kind == "c" and tensor.dtype.kind != "c":
                problems.append(f'While copying the parameter named "{name}", a complex value cannot be '
                                f"copied into a {tensor.dtype} tensor")
            else:
                values[name] = value
        if strict:
            if missing:
                problems.insert(0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
            if unexpected:
                problems.insert(bool(missing), "Unexpected key(s) in state_dict: "
                                + ", ".join(f'"{k}"' for k in unexpected) + ". ")
        if problems:  # validated everything before touching the model: it is unchanged
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(problems))
        with no_grad():
            for name, value in values.items():
                tensor = own[name]
                if assign:
                    tensor._data = value.astype(tensor.dtype, copy=True)
                else:  # in place: keeps the memory layout, optimizer links and shared weights
                    np.copyto(tensor._data, value, casting="unsafe")
                tensor._version[0] += 1
        return _IncompatibleKeys(missing, unexpected)

    def _load_missing_ok(self) -> tuple:
        """Names of this module's entries that an older checkpoint may lack (kept as they are)."""
        return ()

    # ------------------------------------------------------------------ repr
    def extra_repr(self) -> str:
        """The module's own settings for `repr` (override it, as in PyTorch)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def _child_lines(self) -> list[str]:
        return [f"({name}): " + _indent(repr(module)) for name, module in self._modules.items()]

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = self._child_lines()
        lines = extra_lines + child_lines
        if not lines:
            return self._get_name() + "()"
        if len(extra_lines) == 1 and not child_lines:
            return f"{self._get_name()}({extra_lines[0]})"
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self) -> list:
        return sorted(set(super().__dir__()))


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def _size(shape: tuple) -> str:
    return f"torch.Size({list(shape)})"


def _check_device(device: Any) -> None:
    name = str(device) if not isinstance(device, int) else "cuda"
    if name.split(":")[0] not in ("cpu", "meta") and name != "cpu":
        raise RuntimeError(f"tinygrad_hw runs on the CPU only; there is no {name!r} device "
                           "(use 'cpu', or torch.accelerator's current device, which is the CPU here)")


def _as_array(value: Any) -> np.ndarray | None:
    """A checkpoint value as an array (Tensor, ndarray or torch.Tensor), or None if it is none."""
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "detach") and hasattr(value, "cpu") and hasattr(value, "numpy"):  # a torch.Tensor
        return value.detach().cpu().numpy()
    return None


class Sequential(Module):
    """Modules applied one after another; indexable (slices give a Sequential), iterable.

    >>> model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    >>> model[0], len(model)
    (Linear(in_features=784, out_features=32, bias=True), 3)
    >>> nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())])).fc
    Linear(in_features=2, out_features=2, bias=True)
    """

    def __init__(self, *modules: Any):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(modules):
                self.add_module(str(index), module)

    def forward(self, input: Any) -> Any:
        for module in self._modules.values():
            input = module(input)
        return input

    def _key(self, index: int) -> str:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range")
        return list(self._modules)[index % len(self)]

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._key(index)]

    def __setitem__(self, index: int, module: Module) -> None:
        setattr(self, self._key(index), module)

    def __delitem__(self, index: int | slice) -> None:
        keys = list(self._modules)[index] if isinstance(index, slice) else [self._key(index)]
        for key in keys:
            delattr(self, key)
        self._renumber()

    def _renumber(self) -> None:
        items = list(self._modules.items())
        if all(name.isdigit() for name, _ in items):
            for name, _ in items:
                object.__delattr__(self, name)
            self._modules.clear()
            for index, (_, module) in enumerate(items):
                self.add_module(str(index), module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> "Sequential":
        """>>> model.append(nn.Softmax(dim=1))"""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> "Sequential":
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> "Sequential":
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        modules = list(self._modules.values())
        if not -len(modules) <= index <= len(modules):
            raise IndexError(f"Index out of range: {index}")
        modules.insert(index if index >= 0 else index + len(modules), module)
        for name in list(self._modules):
            delattr(self, name)
        for position, item in enumerate(modules):
            self.add_module(str(position), item)
        return self

    def pop(self, index: int = -1) -> Module:
        module = self[index]
        del self[index]
        return module

    def __add__(self, other: "Sequential") -> "Sequential":
        return Sequential(*self, *other)


class ModuleList(Module):
    """A list of modules whose parameters are registered: index, slice, append, extend, insert.

    >>> layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
    >>> layers[1:], len(layers)
    """

    def __init__(self, modules: Iterable[Module] | None = None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _key(self, index: int) -> str:
        if not isinstance(index, int):
            raise TypeError(f"ModuleList indices must be integers or slices, not {type(index).__name__}")
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range")
        return str(index % len(self))

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[self._key(index)]

    def __setitem__(self, index: int, module: Module) -> None:
        setattr(self, self._key(index), module)

    def __delitem__(self, index: int | slice) -> None:
        modules = list(self._modules.values())
        del modules[index]
        self._reset(modules)

    def _reset(self, modules: list) -> None:
        for name in list(self._modules):
            delattr(self, name)
        for position, module in enumerate(modules):
            self.add_module(str(position), module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __iadd__(self, modules: Iterable[Module]) -> "ModuleList":
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> "ModuleList":
        return ModuleList([*self, *other])

    def append(self, module: Module) -> "ModuleList":
        """>>> layers.append(nn.Linear(4, 4))"""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> "ModuleList":
        if isinstance(modules, (Module, str)) or not hasattr(modules, "__iter__"):
            raise TypeError("ModuleList.extend should be called with an iterable, but got "
                            + type(modules).__name__)
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._reset(modules)

    def pop(self, index: int = -1) -> Module:
        module = self[index]
        del self[index]
        return module

    def _child_lines(self) -> list[str]:
        # PyTorch folds runs of identical children: "(0-2): 3 x Linear(...)".
        lines, items = [], [(name, repr(module)) for name, module in self._modules.items()]
        start = 0
        while start < len(items):
            end = start
            while end + 1 < len(items) and items[end + 1][1] == items[start][1]:
                end += 1
            if end == start:
                lines.append(f"({items[start][0]}): " + _indent(items[start][1]))
            else:
                lines.append(f"({items[start][0]}-{items[end][0]}): {end - start + 1} x " + _indent(items[start][1]))
            start = end + 1
        return lines


class ModuleDict(Module):
    """A dict of modules whose parameters are registered (insertion order kept).

    >>> heads = nn.ModuleDict({"digits": nn.Linear(32, 10), "parity": nn.Linear(32, 2)})
    >>> heads["digits"](features)
    """

    def __init__(self, modules: Any = None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]
        object.__delattr__(self, key)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def clear(self) -> None:
        for key in list(self._modules):
            del self[key]

    def pop(self, key: str) -> Module:
        module = self[key]
        del self[key]
        return module

    def keys(self) -> Iterable[str]:
        return self._modules.keys()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._modules.items()

    def values(self) -> Iterable[Module]:
        return self._modules.values()

    def update(self, modules: Any) -> None:
        pairs = modules.items() if hasattr(modules, "items") else modules
        for key, module in pairs:
            self[key] = module


class ParameterList(Module):
    """A list of parameters (plain tensors are wrapped in `Parameter`), registered as 0, 1, ...

    >>> weights = nn.ParameterList([nn.Parameter(thw.randn(4, 4)) for _ in range(3)])
    """

    def __init__(self, values: Iterable[Any] | None = None):
        super().__init__()
        if values is not None:
            self.extend(values)

    def _key(self, index: int) -> str:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range")
        return str(index % len(self))

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return type(self)(list(self)[index])
        return getattr(self, self._key(index))

    def __setitem__(self, index: int, value: Any) -> None:
        self._set(self._key(index), value)

    def _set(self, key: str, value: Any) -> None:
        if isinstance(value, Tensor) and not isinstance(value, Parameter):
            value = Parameter(value)
        setattr(self, key, value)

    def __len__(self) -> int:
        return len(self._parameters) + sum(1 for name in self.__dict__ if name.isdigit()
                                           and name not in self._parameters)

    def __iter__(self) -> Iterator[Any]:
        return (self[index] for index in range(len(self)))

    def __iadd__(self, values: Iterable[Any]) -> "ParameterList":
        return self.extend(values)

    def append(self, value: Any) -> "ParameterList":
        self._set(str(len(self)), value)
        return self

    def extend(self, values: Iterable[Any]) -> "ParameterList":
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return "\n".join(f"({index}): " + _parameter_summary(value) for index, value in enumerate(self))


class ParameterDict(Module):
    """A dict of parameters (plain tensors are wrapped in `Parameter`).

    >>> scales = nn.ParameterDict({"a": nn.Parameter(thw.ones(3))})
    """

    def __init__(self, parameters: Any = None):
        super().__init__()
        object.__setattr__(self, "_keys", {})
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, Tensor) and not isinstance(value, Parameter):
            value = Parameter(value)
        self._keys[key] = None
        setattr(self, key, value)

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def keys(self) -> Iterable[str]:
        return self._keys.keys()

    def items(self) -> Iterable[tuple[str, Any]]:
        return [(key, self[key]) for key in self._keys]

    def values(self) -> Iterable[Any]:
        return [self[key] for key in self._keys]

    def pop(self, key: str) -> Any:
        value = self[key]
        del self[key]
        return value

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default

    def update(self, parameters: Any) -> None:
        pairs = parameters.items() if hasattr(parameters, "items") else parameters
        for key, value in pairs:
            self[key] = value

    def extra_repr(self) -> str:
        return "\n".join(f"({key}): " + _parameter_summary(value) for key, value in self.items())


def _parameter_summary(value: Any) -> str:
    if isinstance(value, Tensor):
        kind = "Parameter containing: " if isinstance(value, Parameter) else "Tensor: "
        return f"{kind}[{value.dtype} of size {'x'.join(map(str, value.shape))}]"
    return repr(value)
