"""NAdam (Adam with Nesterov momentum), torch.optim.NAdam's update.

    μₜ = β1·(1 - ½·0.96^(t·ψ)) with ψ = momentum_decay, Πₜ = μ₁…μₜ
    m = β1·m + (1-β1)·g,   v = β2·v + (1-β2)·g²,   d = √(v/(1-β2ᵗ)) + eps
    p = p - lr·(1-μₜ)/(1-Πₜ) · g/d - lr·μₜ₊₁/(1-Πₜ·μₜ₊₁) · m/d
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .adam import update_moments
from .optimizer import Optimizer, apply_weight_decay, check_hyperparameters


class NAdam(Optimizer):
    """>>> optimizer = optim.NAdam(model.parameters(), lr=2e-3)"""

    def __init__(self, params: Iterable, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False):
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay, momentum_decay=momentum_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        if not state:
            state.update(step=0.0, mu_product=1.0, exp_avg=np.zeros_like(param), exp_avg_sq=np.zeros_like(param))
        state["step"] = step = state["step"] + 1
        grad = apply_weight_decay(param, grad, group)
        lr, (beta1, beta2), momentum_decay = group["lr"], group["betas"], group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        state["mu_product"] = mu_product = state["mu_product"] * mu
        scratch = update_moments(grad, state, beta1, beta2)
        denominator = state["exp_avg_sq"] / (1 - beta2 ** step)
        np.sqrt(denominator, out=denominator)
        denominator += group["eps"]
        np.divide(grad, denominator, out=scratch)
        scratch *= lr * (1.0 - mu) / (1.0 - mu_product)
        param -= scratch
        np.divide(state["exp_avg"], denominator, out=scratch)
        scratch *= lr * mu_next / (1.0 - mu_product * mu_next)
        param -= scratch
