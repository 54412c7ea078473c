"""SGD with momentum, dampening, weight decay and Nesterov: PyTorch's exact update.

    g = grad + weight_decay·p
    buf = g                                  (first step)
    buf = momentum·buf + (1 - dampening)·g   (later steps)
    g = g + momentum·buf  if nesterov  else buf
    p = p - lr·g

The homework conventions are this update in other words (tested in tests/test_optim.py):
- uwimg: v = dw - decay·w + momentum·v; w += (rate/batch)·v, with dw = xᵀ(y - p) summed over
  the batch (the negative gradient), is SGD(lr=rate, momentum=momentum,
  weight_decay=decay/batch) on the batch-mean cross-entropy: PyTorch's momentum buffer is
  -v/batch, so both produce the same weights step after step.
- lectures: Δw' = -∂L/∂w - λw + mΔw'; w += αΔw' is SGD(lr=α, momentum=m, weight_decay=λ).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent, exactly torch.optim.SGD.

    >>> optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    >>> optimizer.zero_grad(); loss.backward(); optimizer.step()
    """

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False):
        if lr < 0 or momentum < 0 or weight_decay < 0:
            raise ValueError(f"invalid SGD hyper-parameters lr={lr}, momentum={momentum}, "
                             f"weight_decay={weight_decay}: all must be >= 0")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        fresh = False  # whether `grad` is our own temporary (then it may be kept or changed)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
            fresh = True
        momentum = group["momentum"]
        if momentum:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = grad if fresh else grad.copy(order="K")
            else:
                buffer *= momentum
                buffer += grad if group["dampening"] == 0 else (1 - group["dampening"]) * grad
            grad = grad + momentum * buffer if group["nesterov"] else buffer
        param -= group["lr"] * grad
