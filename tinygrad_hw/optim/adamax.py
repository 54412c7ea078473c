"""Adamax (Adam with the infinity norm), torch.optim.Adamax's update.

    m = β1·m + (1-β1)·g;   u = max(β2·u, |g| + eps);   p = p - lr/(1-β1ᵗ) · m/u
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, apply_weight_decay, check_hyperparameters


class Adamax(Optimizer):
    """>>> optimizer = optim.Adamax(model.parameters(), lr=2e-3)"""

    def __init__(self, params: Iterable, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False):
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable, capturable=capturable))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        if not state:
            state.update(step=0.0, exp_avg=np.zeros_like(param), exp_inf=np.zeros_like(param))
        state["step"] = step = state["step"] + 1
        grad = apply_weight_decay(param, grad, group)
        beta1, beta2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        scratch = np.subtract(grad, exp_avg)
        scratch *= 1 - beta1
        exp_avg += scratch                                  # m.lerp_(g, 1 - β1)
        exp_inf *= beta2
        np.abs(grad, out=scratch)
        scratch += group["eps"]
        np.maximum(exp_inf, scratch, out=exp_inf)
        np.divide(exp_avg, exp_inf, out=scratch)
        scratch *= group["lr"] / (1 - beta1 ** step)
        param -= scratch
