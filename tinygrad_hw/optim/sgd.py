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

from .optimizer import Optimizer, check_hyperparameters


class SGD(Optimizer):
    """Stochastic gradient descent, exactly torch.optim.SGD.

    >>> optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    >>> optimizer.zero_grad(); loss.backward(); optimizer.step()
    """

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None):
        check_hyperparameters(lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        # foreach, differentiable and fused choose among PyTorch's kernels; one NumPy update here
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def update(self, param: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        # The hot path of every benchmark: in-place NumPy, one temporary (`scratch`) at most.
        # State keeps the parameter's memory order (copy order "K"; tested in test_optim.py).
        decay, momentum = group["weight_decay"], group["momentum"]
        scratch = None  # an array of our own, free to be overwritten or kept
        if decay:
            scratch = np.multiply(param, decay)
            scratch += grad
            grad = scratch
        if momentum:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = grad.copy(order="K") if scratch is None else grad
                scratch = None
            else:
                buffer *= momentum
                dampening = group["dampening"]
                if dampening:
                    buffer += (1 - dampening) * grad
                else:
                    buffer += grad
            if group["nesterov"]:
                if scratch is None:
                    grad = grad + momentum * buffer
                else:
                    scratch += momentum * buffer
            else:
                grad = buffer
        if scratch is None:
            param -= group["lr"] * grad
        else:
            np.multiply(grad, group["lr"], out=scratch)
            param -= scratch
