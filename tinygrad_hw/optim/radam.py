"""RAdam (rectified Adam), torch.optim.RAdam's update.

    m = β1·m + (1-β1)·g,   v = β2·v + (1-β2)·g²,   m̂ = m/(1-β1ᵗ)
    ρ∞ = 2/(1-β2) - 1,   ρₜ = ρ∞ - 2t·β2ᵗ/(1-β2ᵗ)
    ρₜ > 5: p = p - lr·m̂·√(1-β2ᵗ)/(√v + eps)·r,  r = √((ρₜ-4)(ρₜ-2)ρ∞ / ((ρ∞-4)(ρ∞-2)ρₜ))
    else:   p = p - lr·m̂   (the variance estimate is not yet trustworthy: plain momentum)
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from .adam import update_moments
from .optimizer import Optimizer, apply_weight_decay, check_hyperparameters


class RAdam(Optimizer):
    """>>> optimizer = optim.RAdam(model.parameters(), lr=1e-3)"""

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False):
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize,
                                      foreach=foreach, capturable=capturable,
                                      decoupled_weight_decay=decoupled_weight_decay, differentiable=differentiable))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        if not state:
            state.update(step=0.0, exp_avg=np.zeros_like(param), exp_avg_sq=np.zeros_like(param))
        state["step"] = step = state["step"] + 1
        grad = apply_weight_decay(param, grad, group)
        lr, (beta1, beta2) = group["lr"], group["betas"]
        scratch = update_moments(grad, state, beta1, beta2)
        bias_correction2 = 1 - beta2 ** step
        rho_inf = 2 / (1 - beta2) - 1
        rho = rho_inf - 2 * step * beta2 ** step / bias_correction2
        update = np.divide(state["exp_avg"], 1 - beta1 ** step, out=scratch)   # m̂
        update *= lr
        if rho > 5.0:
            rectification = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            denominator = np.sqrt(state["exp_avg_sq"])
            denominator += group["eps"]
            np.divide(bias_correction2 ** 0.5, denominator, out=denominator)
            update *= denominator
            update *= rectification
        param -= update
