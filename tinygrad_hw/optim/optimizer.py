"""`Optimizer`: parameter groups, state, and the loop that calls each optimizer's update.

A new optimizer is a short subclass: give its defaults and write `update` for one parameter.

    class SignSGD(Optimizer):
        def __init__(self, params, lr=0.01):
            super().__init__(params, dict(lr=lr))

        def update(self, param, grad, group, state):
            param -= group["lr"] * np.sign(grad)     # param and grad are NumPy arrays

`step()` calls `update` for every parameter that has a gradient, with its group's
hyper-parameters and its own `state` dict (kept in `optimizer.state`, saved by `state_dict`).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from ..tensor import Tensor


class Optimizer:
    """Base class; see the module docstring for how to write one."""

    def __init__(self, params: Iterable, defaults: dict):
        self.defaults = defaults
        self.param_groups: list[dict] = []
        self.state: dict = {}
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        for group in (params if isinstance(params[0], dict) else [{"params": params}]):
            self.add_param_group(group)

    def add_param_group(self, group: dict) -> None:
        """Add parameters with their own hyper-parameters (others from the defaults)."""
        group = dict(group)
        params = group["params"]
        group["params"] = [params] if isinstance(params, Tensor) else list(params)
        for param in group["params"]:
            if not isinstance(param, Tensor) or not param.requires_grad:
                raise ValueError("optimizers can only update tensors with requires_grad=True")
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients (before the next backward, which would add to them)."""
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none:
                    param.grad = None
                elif param.grad is not None:
                    param.grad._data[...] = 0

    def step(self) -> None:
        """Update every parameter that has a gradient."""
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is not None:
                    state = self.state.get(param)
                    if state is None:
                        state = self.state[param] = {}
                    self.update(param._data, param.grad._data, group, state)

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        """Change `param` in place from `grad`; subclasses define it."""
        raise NotImplementedError

    # ------------------------------------------------------------------ saving
    def _all_params(self) -> list:
        return [param for group in self.param_groups for param in group["params"]]

    def state_dict(self) -> dict:
        """{'state': {param index: {name: value}}, 'param_groups': [...]}, as PyTorch's.

        >>> thw.save(optimizer.state_dict(), "optimizer.safetensors")
        """
        index = {id(param): i for i, param in enumerate(self._all_params())}
        state = {index[id(param)]: {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
                 for param, s in self.state.items()}
        groups = [{**{k: v for k, v in g.items() if k != "params"},
                   "params": [index[id(p)] for p in g["params"]]} for g in self.param_groups]
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyper-parameters and per-parameter state saved by `state_dict`."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups) or any(
                len(g["params"]) != len(own["params"]) for g, own in zip(groups, self.param_groups)):
            raise ValueError("loaded optimizer state has a different number of parameter groups or "
                             "parameters than this optimizer")
        params = self._all_params()
        self.state = {}
        for key, saved in state_dict["state"].items():
            param = params[int(key)]
            restored = {}
            for name, value in saved.items():
                if isinstance(value, np.ndarray) or hasattr(value, "shape") and np.ndim(value) > 0:
                    value = np.array(value, dtype=param.dtype)
                    if value.shape != param.shape:
                        raise ValueError(f"optimizer state {name!r} for parameter {key} has shape "
                                         f"{value.shape}, the parameter {param.shape}")
                restored[name] = value
            self.state[param] = restored
        for own, saved in zip(self.param_groups, groups):
            own.update({k: v for k, v in saved.items() if k != "params"})

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines + [")"])
