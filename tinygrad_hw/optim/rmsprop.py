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
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - alpha) * (grad - grad_avg)        # ḡ.lerp_(g, 1 - α)
            average = square_avg - grad_avg * grad_avg
            np.sqrt(average, out=average)
        else:
            average = np.sqrt(square_avg)
        average += group["eps"]
        if group["momentum"] > 0:
            buffer = state["momentum_buffer"]
            buffer *= group["momentum"]
            buffer += grad / average
            param -= group["lr"] * buffer
        else:
            np.divide(grad, average, out=average)
            average *= group["lr"]
            param -= average
