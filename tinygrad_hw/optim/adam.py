"""Adam and AdamW, following torch.optim's update step by step.

    m = β1·m + (1-β1)·g,   v = β2·v + (1-β2)·g²,   (amsgrad: v̂ = max(v̂, v), used for v)
    p = p - lr/(1-β1ᵗ) · m / (√v/√(1-β2ᵗ) + eps)
Adam adds weight_decay·p to g; AdamW (or Adam with decoupled_weight_decay=True) instead
shrinks p by (1 - lr·weight_decay) first.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, apply_weight_decay, check_hyperparameters


class Adam(Optimizer):
    """>>> optimizer = optim.Adam(model.parameters(), lr=1e-3)"""

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False):
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        if not all(isinstance(beta, float) for beta in betas):
            raise ValueError("betas must be either both floats or both Tensors")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable, fused=fused,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        if not state:
            state.update(step=0.0, exp_avg=np.zeros_like(param), exp_avg_sq=np.zeros_like(param))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param)
        state["step"] = step = state["step"] + 1
        grad = apply_weight_decay(param, grad, group)
        beta1, beta2 = group["betas"]
        scratch = update_moments(grad, state, beta1, beta2)
        exp_avg, second_moment = state["exp_avg"], state["exp_avg_sq"]
        if group["amsgrad"]:
            second_moment = np.maximum(state["max_exp_avg_sq"], second_moment, out=state["max_exp_avg_sq"])
        denominator = np.sqrt(second_moment, out=scratch)
        denominator /= (1 - beta2 ** step) ** 0.5
        denominator += group["eps"]
        np.divide(exp_avg, denominator, out=scratch)
        scratch *= group["lr"] / (1 - beta1 ** step)
        param -= scratch


def update_moments(grad: np.ndarray, state: dict, beta1: float, beta2: float) -> np.ndarray:
    """m = β1·m + (1-β1)·g and v = β2·v + (1-β2)·g² in place (state's exp_avg, exp_avg_sq), as
    torch's lerp_ and addcmul_; returns a scratch array of grad's shape for the caller to reuse."""
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    scratch = np.subtract(grad, exp_avg)
    scratch *= 1 - beta1
    exp_avg += scratch
    np.multiply(grad, grad, out=scratch)
    scratch *= 1 - beta2
    exp_avg_sq *= beta2
    exp_avg_sq += scratch
    return scratch


class AdamW(Adam):
    """Adam with decoupled weight decay (default 0.01, as PyTorch).

    >>> optimizer = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    """

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
