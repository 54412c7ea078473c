"""Adam and AdamW, following torch.optim's update step by step.

    m = β1·m + (1-β1)·g,   v = β2·v + (1-β2)·g²
    p = p - lr/(1-β1ᵗ) · m / (√v/√(1-β2ᵗ) + eps)
Adam adds weight_decay·p to g; AdamW instead shrinks p by (1 - lr·weight_decay) first.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from .optimizer import Optimizer


class Adam(Optimizer):
    """>>> optimizer = optim.Adam(model.parameters(), lr=1e-3)"""

    decoupled_weight_decay = False

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0):
        if lr < 0 or eps < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"invalid Adam hyper-parameters lr={lr}, betas={betas}, eps={eps}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        lr, (beta1, beta2), decay = group["lr"], group["betas"], group["weight_decay"]
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(param), exp_avg_sq=np.zeros_like(param))
        state["step"] += 1
        step = state["step"]
        if decay and self.decoupled_weight_decay:
            param *= 1 - lr * decay
        elif decay:
            grad = grad + decay * param
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg += (1 - beta1) * (grad - exp_avg)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad
        step_size = lr / (1 - beta1 ** step)
        denominator = np.sqrt(exp_avg_sq) / math.sqrt(1 - beta2 ** step) + group["eps"]
        param -= step_size * exp_avg / denominator


class AdamW(Adam):
    """Adam with decoupled weight decay (default 0.01, as PyTorch).

    >>> optimizer = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    """

    decoupled_weight_decay = True

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps, weight_decay)
