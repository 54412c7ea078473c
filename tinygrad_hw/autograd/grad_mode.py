"""Switches that change how the engine records and checks the graph, one set per thread.

`no_grad` / `enable_grad` / `set_grad_enabled` / `inference_mode` turn recording off and on;
`detect_anomaly` makes the backward pass stop at the first op that produces NaN. As in
PyTorch, each thread has its own switches (a `no_grad` block in a data-loading thread does
not stop the training thread recording), and each is both a context manager and a decorator
that switches the mode inside every call of the decorated function and restores it after.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable


class _State(threading.local):
    """The engine's switches for the current thread (class attributes are each thread's start)."""

    grad_enabled = True
    inference_mode = False
    anomaly_enabled = False
    anomaly_check_forward = False


STATE = _State()


def is_grad_enabled() -> bool:
    """Whether new operations are recorded for backward (in this thread).

    >>> thw.is_grad_enabled()
    True
    """
    return STATE.grad_enabled


def is_inference_mode_enabled() -> bool:
    """Whether this thread is inside `inference_mode()`.

    >>> thw.is_inference_mode_enabled()
    False
    """
    return STATE.inference_mode


class _ModeSwitch:
    """A context manager that is also a decorator: each call of a decorated function runs
    inside a fresh copy of the switch, so recursion and threads restore the right mode."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        switch = super().__new__(cls)
        if len(args) == 1 and not kwargs and callable(args[0]):  # `@thw.no_grad` without (), as PyTorch
            switch.__init__()
            return switch(args[0])
        return switch

    def _enter(self) -> Any:
        raise NotImplementedError

    def _exit(self, previous: Any) -> None:
        raise NotImplementedError

    def clone(self) -> "_ModeSwitch":
        return type(self)()

    def __enter__(self) -> "_ModeSwitch":
        self._previous = self._enter()
        return self

    def __exit__(self, *exc: Any) -> bool:
        self._exit(self._previous)
        return False

    def __call__(self, function: Callable) -> Callable:
        @functools.wraps(function)
        def switched(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return function(*args, **kwargs)
        return switched


class _GradSwitch(_ModeSwitch):
    mode = True

    def _enter(self) -> bool:
        previous = STATE.grad_enabled
        STATE.grad_enabled = self.mode
        return previous

    def _exit(self, previous: bool) -> None:
        STATE.grad_enabled = previous


class no_grad(_GradSwitch):
    """Do not record operations (evaluation, parameter updates).

    >>> with thw.no_grad():
    ...     p -= 0.1 * p.grad
    >>> @thw.no_grad()
    ... def evaluate(model, x): ...
    """

    mode = False


class enable_grad(_GradSwitch):
    """Record operations again inside a `no_grad` block.

    >>> with thw.no_grad():
    ...     with thw.enable_grad():
    ...         y = x * 2      # recorded
    """

    mode = True


class set_grad_enabled(_GradSwitch):
    """Turn recording on or off: at once when called (as PyTorch), or for a `with` block, or
    inside each call of a decorated function.

    >>> with thw.set_grad_enabled(False):
    ...     y = x * 2          # y.requires_grad is False
    >>> @thw.set_grad_enabled(False)
    ... def evaluate(model, x): ...
    """

    _before_creation: bool | None = None  # the mode this switch changed when it was made

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._before_creation = STATE.grad_enabled
        STATE.grad_enabled = self.mode

    def clone(self) -> "set_grad_enabled":
        copy = object.__new__(set_grad_enabled)
        copy.mode = self.mode
        return copy

    def _enter(self) -> bool:
        # `with set_grad_enabled(False):` already switched when made: restore what was before that
        previous, self._before_creation = self._before_creation, None
        if previous is None:  # a call of a decorated function, or a switch used a second time
            previous = STATE.grad_enabled
        STATE.grad_enabled = self.mode
        return previous

    def __call__(self, function: Callable) -> Callable:
        if self._before_creation is not None:  # as a decorator, act inside calls only
            STATE.grad_enabled, self._before_creation = self._before_creation, None
        return super().__call__(function)


class inference_mode(_ModeSwitch):
    """Like `no_grad`, for inference (this library has no separate inference tensors).

    >>> with thw.inference_mode():
    ...     predictions = model(x)
    """

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)

    def clone(self) -> "inference_mode":
        return inference_mode(self.mode)

    def _enter(self) -> tuple:
        previous = (STATE.grad_enabled, STATE.inference_mode)
        if self.mode:
            STATE.grad_enabled, STATE.inference_mode = False, True
        return previous

    def _exit(self, previous: tuple) -> None:
        STATE.grad_enabled, STATE.inference_mode = previous


class detect_anomaly(_ModeSwitch):
    """Raise at the first op whose backward (and, with `check_nan`, forward) gives NaN.

    The error names the op, e.g. ``Function 'LogBackward' returned nan values in its 0th
    output``, so the cause is found without bisecting the model.

    >>> with thw.autograd.detect_anomaly():
    ...     loss.backward()
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def clone(self) -> "detect_anomaly":
        return detect_anomaly(self.check_nan)

    def _enter(self) -> tuple:
        previous = (STATE.anomaly_enabled, STATE.anomaly_check_forward)
        STATE.anomaly_enabled, STATE.anomaly_check_forward = True, self.check_nan
        return previous

    def _exit(self, previous: tuple) -> None:
        STATE.anomaly_enabled, STATE.anomaly_check_forward = previous


def set_detect_anomaly(mode: bool) -> None:
    """Turn the anomaly detector on or off for this thread.

    >>> thw.autograd.set_detect_anomaly(True)
    """
    STATE.anomaly_enabled = STATE.anomaly_check_forward = bool(mode)
