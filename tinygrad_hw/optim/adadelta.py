"""Adadelta, torch.optim.Adadelta's update (lr=1.0 by default, as in the paper).

    v = ρ·v + (1-ρ)·g²;   Δ = √(u + eps)/√(v + eps) · g;   u = ρ·u + (1-ρ)·Δ²;   p = p - lr·Δ
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, apply_weight_decay, check_hyperparameters


class Adadelta(Optimizer):
    """>>> optimizer = optim.Adadelta(model.parameters(), lr=1.0)"""

    def __init__(self, params: Iterable, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False):
        check_hyperparameters(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                                      capturable=capturable, foreach=foreach, differentiable=differentiable))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        if not state:
            state.update(step=0.0, square_avg=np.zeros_like(param), acc_delta=np.zeros_like(param))
        state["step"] += 1
        grad = apply_weight_decay(param, grad, group)
        rho, eps = group["rho"], group["eps"]
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        scratch = np.multiply(grad, grad)
        scratch *= 1 - rho
        square_avg *= rho
        square_avg += scratch
        std = np.add(square_avg, eps, out=scratch)
        np.sqrt(std, out=std)
        delta = np.add(acc_delta, eps)
        np.sqrt(delta, out=delta)
        delta /= std
        delta *= grad
        acc_delta *= rho
        np.multiply(delta, delta, out=scratch)
        scratch *= 1 - rho
        acc_delta += scratch
        delta *= group["lr"]
        param -= delta
