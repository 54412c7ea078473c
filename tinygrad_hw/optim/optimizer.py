"""`Optimizer`: parameter groups, state, and the loop that calls each optimizer's update.

A new optimizer is a short subclass: give its defaults and write `update` for one parameter.

    class SignSGD(Optimizer):
        def __init__(self, params, lr=0.01):
            super().__init__(params, dict(lr=lr))

        def update(self, param, grad, group, state):
            param -= group["lr"] * np.sign(grad)     # param and grad are NumPy arrays

`step()` calls `update` for every parameter that has a gradient, with its group's
hyper-parameters and its own `state` dict (kept in `optimizer.state`, saved by `state_dict`).
`update` changes `param` in place and must not change `grad` (it is the parameter's `.grad`).
A group with `maximize=True` hands `update` the negated gradient, so every optimizer can climb.

The rest is torch.optim.Optimizer's contract: `params` is an iterable of tensors, of
`(name, tensor)` pairs, or of dicts (parameter groups with their own options);
`state_dict()` numbers the parameters 0, 1, ... in group order and `load_state_dict` maps them
back by that order.
"""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from typing import Any, Callable, Iterable

import numpy as np

from ..autograd.grad_mode import enable_grad
from ..tensor import Tensor


class Optimizer:
    """Base class; see the module docstring for how to write one.

    >>> optimizer = optim.SGD([{"params": model.fc1.parameters()},
    ...                        {"params": model.fc2.parameters(), "lr": 1e-3}], lr=1e-2)
    """

    def __init__(self, params: Iterable, defaults: dict):
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or "
                            f"dicts, but got {_typename(params)}")
        self.defaults = defaults
        self.param_groups: list[dict] = []
        self.state: defaultdict = defaultdict(dict)
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add parameters with their own hyper-parameters (the others from the defaults).

        >>> optimizer.add_param_group({"params": model.head.parameters(), "lr": 1e-3})
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the "
                            "ordering of tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        names = [param[0] for param in params if isinstance(param, tuple)]
        params = [param[1] if isinstance(param, tuple) else param for param in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {_typename(param)}")
            if not (param.is_leaf or getattr(param, "retains_grad", False)):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        if len({id(param) for param in params}) != len(params):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this "
                          "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                          "information", stacklevel=3)
        seen = {id(param) for group in self.param_groups for param in group["params"]}
        for group in self.param_groups:
            if ("param_names" in param_group) != ("param_names" in group):
                with_names = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {with_names} to the optimizer")
        if any(id(param) in seen for param in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients (before the next backward, which would add to them)."""
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none:
                    param.grad = None
                elif param.grad is not None:
                    param.grad._data[...] = 0

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return `closure()`'s loss if given.

        >>> optimizer.zero_grad(); loss.backward(); optimizer.step()
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        state = self.state
        for group in self.param_groups:
            for key, value in group.items():  # a NumPy float64 lr would turn float32 arithmetic float64
                if isinstance(value, np.floating):
                    group[key] = float(value)
            maximize = group.get("maximize", False)
            for param in group["params"]:
                if param.grad is not None:
                    grad = param.grad._data
                    self.update(param._data, -grad if maximize else grad, group, state[param])
        return loss

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        """Change `param` in place from `grad`; subclasses define it."""
        raise NotImplementedError

    # ------------------------------------------------------------------ saving
    def state_dict(self) -> dict:
        """{'state': {param index: {name: value}}, 'param_groups': [...]}, PyTorch's layout.

        Arrays in the state come out as Tensors holding a copy, so the dict is a snapshot.

        >>> thw.save(optimizer.state_dict(), "optimizer.safetensors")
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            for param in group["params"]:
                index.setdefault(id(param), len(index))
            packed = {key: copy.deepcopy(value) for key, value in group.items() if key != "params"}
            packed["params"] = [index[id(param)] for param in group["params"]]
            groups.append(packed)
        state = {index[id(param)]: {name: _snapshot(value) for name, value in values.items()}
                 for param, values in self.state.items() if id(param) in index and values}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyper-parameters and per-parameter state saved by `state_dict` (ours or PyTorch's).

        Nothing changes unless the whole dict fits: same groups, same sizes, state arrays of
        each parameter's shape.

        >>> optimizer.load_state_dict(thw.load("optimizer.safetensors"))
        """
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(saved["params"]) != len(own["params"]) for saved, own in zip(saved_groups, self.param_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        params = {int(saved_id): param for saved, own in zip(saved_groups, self.param_groups)
                  for saved_id, param in zip(saved["params"], own["params"])}
        state: defaultdict = defaultdict(dict)
        for key, saved in state_dict["state"].items():
            if int(key) not in params:
                raise ValueError(f"loaded optimizer state names parameter {key}, which no parameter group lists")
            param = params[int(key)]
            state[param] = {name: _restore(value, param, f"optimizer state {name!r} of parameter {key}")
                            for name, value in saved.items()}
        groups = []
        for saved, own in zip(saved_groups, self.param_groups):
            group = {key: _plain(value) for key, value in saved.items() if key != "params"}
            if "betas" in group:
                group["betas"] = tuple(group["betas"])
            group["params"] = own["params"]
            if "param_names" in own and "param_names" not in group:
                group["param_names"] = own["param_names"]
            for name, default in self.defaults.items():  # options older checkpoints lack
                group.setdefault(name, default)
            groups.append(group)
        self.state, self.param_groups = state, groups

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {value}" for key, value in sorted(group.items()) if key != "params"]
        return "\n".join(lines + [")"])


def apply_weight_decay(param: np.ndarray, grad: np.ndarray, group: dict) -> np.ndarray:
    """The gradient after weight decay: grad + wd·p (L2), or, when the group says
    `decoupled_weight_decay`, p shrunk in place by (1 - lr·wd) and grad unchanged (AdamW).

    Returns a new array when it adds (never changes `grad`, which is the parameter's `.grad`).
    """
    decay = group["weight_decay"]
    if not decay:
        return grad
    if group.get("decoupled_weight_decay"):
        param *= 1 - group["lr"] * decay
        return grad
    decayed = np.multiply(param, decay)
    decayed += grad
    return decayed


_INVALID = {"lr": "Invalid learning rate: {}", "eps": "Invalid epsilon value: {}",
            "rho": "Invalid rho value: {}", "initial_accumulator_value": "Invalid initial_accumulator_value value: {}"}


def check_hyperparameters(**values: Any) -> None:
    """Refuse what torch.optim refuses, with its messages, in the order given.

    Every value must be >= 0; `rho` also <= 1; each of `betas` in [0, 1).
    >>> check_hyperparameters(lr=-1)   # ValueError: Invalid learning rate: -1
    """
    for name, value in values.items():
        if name == "betas":
            for i, beta in enumerate(value):
                if not 0.0 <= beta < 1.0:
                    raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        elif not 0.0 <= value or (name == "rho" and not value <= 1.0):
            raise ValueError(_INVALID.get(name, f"Invalid {name} value: {{}}").format(value))


def _typename(value: Any) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def _snapshot(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return Tensor._make(value.copy(), False, None)
    return copy.deepcopy(value)


def _as_ndarray(value: Any) -> np.ndarray | None:
    """The array inside a Tensor, an ndarray, or a torch tensor; None for anything else."""
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch.Tensor
        return value.detach().cpu().numpy()
    return None


def _restore(value: Any, param: Tensor, what: str) -> Any:
    """A saved state value as `update` keeps it: arrays of the parameter's shape and dtype, numbers."""
    array = _as_ndarray(value)
    if array is None:
        return copy.deepcopy(value)
    if array.ndim == 0:
        return array.item()
    if array.shape != param._data.shape:
        raise ValueError(f"{what} has shape {tuple(array.shape)}, but the parameter has shape {param._data.shape}")
    if array.dtype.kind == "f" and param._data.dtype.kind == "f":
        return np.array(array, dtype=param._data.dtype)
    return np.array(array)


def _plain(value: Any) -> Any:
    """A group option as a plain Python value (0-d arrays or tensors become numbers)."""
    array = _as_ndarray(value)
    if array is not None and array.ndim == 0:
        return array.item()
    return copy.deepcopy(value)
