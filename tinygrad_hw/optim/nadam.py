"""NAdam (Adam with Nesterov momentum), torch.optim.NAdam's update.

    μₜ = β1·(1 - ½·0.96^(t·ψ)) with ψ = momentum_decay, Πₜ = μ₁…μₜ
    m = β1·m + (1-β1)·g,   v = β2·v + (1-β2)·g²,   d = √(v/(1-β2ᵗ)) + eps
    p = p - lr·(1-μₜ)/(1-Πₜ) · g/d - lr·μₜ₊₁/(1-Πₜ·μₜ₊₁) · m/d
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

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
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg += (1 - beta1) * (grad - exp_avg)          # m.lerp_(g, 1 - β1)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad
        denominator = exp_avg_sq / (1 - beta2 ** step)
        np.sqrt(denominator, out=denominator)
        denominator += group["eps"]
        param -= (lr * (1.0 - mu) / (1.0 - mu_product)) * (grad / denominator)
        param -= (lr * mu_next / (1.0 - mu_product * mu_next)) * (exp_avg / denominator)
