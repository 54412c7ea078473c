"""Adagrad, torch.optim.Adagrad's update.

    s = s + g²;   p = p - lr/(1 + (t-1)·lr_decay) · g/(√s + eps)
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, apply_weight_decay, check_hyperparameters


class Adagrad(Optimizer):
    """>>> optimizer = optim.Adagrad(model.parameters(), lr=1e-2)

    As PyTorch, the state (`step`, `sum` = initial_accumulator_value) exists from the start.
    """

    def __init__(self, params: Iterable, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None):
        check_hyperparameters(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                              initial_accumulator_value=initial_accumulator_value, eps=eps)
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable, fused=fused))
        for group in self.param_groups:
            for param in group["params"]:
                self._start(param._data, group, self.state[param])

    @staticmethod
    def _start(param: np.ndarray, group: dict, state: dict) -> None:
        state.update(step=0.0, sum=np.full_like(param, group["initial_accumulator_value"]))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        if not state:  # a parameter group added later
            self._start(param, group, state)
        state["step"] = step = state["step"] + 1
        grad = apply_weight_decay(param, grad, group)
        learning_rate = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        scratch = np.multiply(grad, grad)
        state["sum"] += scratch
        std = np.sqrt(state["sum"], out=scratch)
        std += group["eps"]
        np.divide(grad, std, out=std)
        std *= learning_rate
        param -= std
