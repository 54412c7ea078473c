"""Switches that change how the engine records and checks the graph.

`no_grad` / `enable_grad` turn recording off and on (as context managers or decorators);
`detect_anomaly` makes the backward pass stop at the first op that produces NaN.
"""

from __future__ import annotations

import contextlib


class _State:
    """The engine's global switches, read by `Function.apply` and `backward`."""

    grad_enabled = True
    anomaly_enabled = False
    anomaly_check_forward = False


STATE = _State()


def is_grad_enabled() -> bool:
    """Whether new operations are recorded for backward.

    >>> thw.is_grad_enabled()
    True
    """
    return STATE.grad_enabled


class set_grad_enabled(contextlib.ContextDecorator):
    """Turn graph recording on or off; a context manager and a decorator.

    >>> with thw.set_grad_enabled(False):
    ...     y = x * 2          # y.requires_grad is False
    """

    def __init__(self, mode: bool):
        self.mode = bool(mode)
        self.previous = STATE.grad_enabled
        STATE.grad_enabled = self.mode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        STATE.grad_enabled = self.previous
        return False


class no_grad(contextlib.ContextDecorator):
    """Do not record operations (evaluation, parameter updates).

    >>> with thw.no_grad():
    ...     p -= 0.1 * p.grad
    >>> @thw.no_grad()
    ... def evaluate(model, x): ...
    """

    mode = False

    def __enter__(self):
        self.previous = STATE.grad_enabled
        STATE.grad_enabled = self.mode
        return self

    def __exit__(self, *exc):
        STATE.grad_enabled = self.previous
        return False


class enable_grad(no_grad):
    """Record operations again inside a `no_grad` block.

    >>> with thw.no_grad():
    ...     with thw.enable_grad():
    ...         y = x * 2      # recorded
    """

    mode = True


class detect_anomaly(contextlib.ContextDecorator):
    """Raise at the first op whose backward (and, with `check_nan`, forward) gives NaN.

    The error names the op, e.g. ``Function 'LogBackward' returned nan values in its 0th
    output``, so the cause is found without bisecting the model.

    >>> with thw.autograd.detect_anomaly():
    ...     loss.backward()
    """

    def __init__(self, check_nan: bool = True):
        self.check_forward = check_nan

    def __enter__(self):
        self.previous = (STATE.anomaly_enabled, STATE.anomaly_check_forward)
        STATE.anomaly_enabled = True
        STATE.anomaly_check_forward = self.check_forward
        return self

    def __exit__(self, *exc):
        STATE.anomaly_enabled, STATE.anomaly_check_forward = self.previous
        return False
