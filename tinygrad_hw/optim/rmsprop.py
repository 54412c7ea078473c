"""RMSprop, torch.optim.RMSprop's update.

    v = α·v + (1-α)·g²;   centered: ḡ = α·ḡ + (1-α)·g, v' = v - ḡ²  (else v' = v)
    momentum: b = μ·b + g/(√v' + eps), p = p - lr·b;   else p = p - lr·g/(√v' + eps)
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, apply_weight_decay, check_hyperparameters


class RMSprop(Optimizer):
    """>>> optimizer = optim.RMSprop(model.parameters(), lr=1e-2, alpha=0.99, momentum=0.9)"""

    def __init__(self, params: Iterable, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False):
        check_hyperparameters(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                                      weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        if not state:
            state.update(step=0.0, square_avg=np.zeros_like(param))
            if group["momentum"] > 0:
                state["momentum_buffer"] = np.zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(param)
        state["step"] += 1
        grad = apply_weight_decay(param, grad, group)
        alpha, square_avg = group["alpha"], state["square_avg"]
        scratch = np.multiply(grad, grad)
        scratch *= 1 - alpha
        square_avg *= alpha
        square_avg += scratch
        if group["centered"]:
            grad_avg = state["grad_avg"]
            np.subtract(grad, grad_avg, out=scratch)
            scratch *= 1 - alpha
            grad_avg += scratch                             # ḡ.lerp_(g, 1 - α)
            average = np.multiply(grad_avg, grad_avg)
            np.subtract(square_avg, average, out=average)
            np.sqrt(average, out=average)
        else:
            average = np.sqrt(square_avg)
        average += group["eps"]
        np.divide(grad, average, out=scratch)
        if group["momentum"] > 0:
            buffer = state["momentum_buffer"]
            buffer *= group["momentum"]
            buffer += scratch
            np.multiply(buffer, group["lr"], out=scratch)
        else:
            scratch *= group["lr"]
        param -= scratch
