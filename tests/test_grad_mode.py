"""Grad modes per thread and per call: `no_grad`, `enable_grad`, `set_grad_enabled`,
`inference_mode` and `detect_anomaly` as context managers and as decorators."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import tinygrad_hw as thw

TIMEOUT = 10  # seconds; an event never set means a broken test, not a slow machine


def _run_in_thread(target) -> tuple[threading.Thread, list]:
    errors: list = []

    def wrapped():
        try:
            target()
        except BaseException as error:  # reported to the main thread by the test
            errors.append(error)

    thread = threading.Thread(target=wrapped, daemon=True)
    thread.start()
    return thread, errors


def test_no_grad_in_another_thread_does_not_stop_this_one_recording():
    inside, done = threading.Event(), threading.Event()
    seen_in_thread = []

    def evaluate():
        with thw.no_grad():
            inside.set()
            seen_in_thread.append(thw.is_grad_enabled())
            assert done.wait(TIMEOUT)  # stay inside no_grad while the main thread trains
            seen_in_thread.append(thw.is_grad_enabled())

    thread, errors = _run_in_thread(evaluate)
    assert inside.wait(TIMEOUT)
    layer = thw.nn.Linear(3, 2)
    assert thw.is_grad_enabled()
    loss = (layer(thw.ones(4, 3)) ** 2).mean()
    assert loss.requires_grad
    loss.backward()
    done.set()
    thread.join(TIMEOUT)
    assert not errors and seen_in_thread == [False, False]
    assert all(p.grad is not None for p in layer.parameters())


def test_interleaved_no_grad_blocks_restore_every_threads_mode():
    steps = [threading.Event() for _ in range(4)]
    modes = {}

    def other():
        assert steps[0].wait(TIMEOUT)
        with thw.no_grad():  # entered after main's, left before main's
            steps[1].set()
            assert steps[2].wait(TIMEOUT)
            modes["other inside"] = thw.is_grad_enabled()
        modes["other after"] = thw.is_grad_enabled()
        steps[3].set()

    thread, errors = _run_in_thread(other)
    with thw.no_grad():
        steps[0].set()
        assert steps[1].wait(TIMEOUT)
        modes["main inside"] = thw.is_grad_enabled()
        steps[2].set()
        assert steps[3].wait(TIMEOUT)
        modes["main inside after other left"] = thw.is_grad_enabled()
    modes["main after"] = thw.is_grad_enabled()
    thread.join(TIMEOUT)
    assert not errors
    assert modes == {"other inside": False, "other after": True, "main inside": False,
                     "main inside after other left": False, "main after": True}


def test_a_new_thread_starts_with_grad_on():
    seen = []
    with thw.no_grad():
        thread, errors = _run_in_thread(lambda: seen.append(thw.is_grad_enabled()))
        thread.join(TIMEOUT)
    assert not errors and seen == [True]


def test_set_grad_enabled_decorator_acts_inside_the_call_only():
    @thw.set_grad_enabled(False)
    def evaluate(x):
        return thw.is_grad_enabled(), x * 2

    assert thw.is_grad_enabled()  # creating the decorator changed nothing
    x = thw.ones(2, requires_grad=True)
    inside, y = evaluate(x)
    assert not inside and not y.requires_grad and thw.is_grad_enabled()


def test_set_grad_enabled_call_and_block():
    thw.set_grad_enabled(False)
    try:
        assert not thw.is_grad_enabled()
    finally:
        thw.set_grad_enabled(True)
    with thw.set_grad_enabled(False):
        assert not thw.is_grad_enabled()
    assert thw.is_grad_enabled()
    with thw.no_grad():
        with thw.set_grad_enabled(True):
            assert (thw.ones(1, requires_grad=True) * 2).requires_grad
        assert not thw.is_grad_enabled()


def test_recursive_no_grad_function_restores_grad():
    @thw.no_grad()
    def depth(n):
        assert not thw.is_grad_enabled()
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(5) == 5
    assert thw.is_grad_enabled()


def test_decorators_restore_after_an_exception():
    @thw.no_grad()
    def fails():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        fails()
    assert thw.is_grad_enabled()


def test_decorators_without_parentheses_as_pytorch_allows():
    @thw.no_grad
    def evaluate():
        return thw.is_grad_enabled()

    @thw.inference_mode
    def predict():
        return thw.is_inference_mode_enabled()

    @thw.enable_grad
    def record():
        return thw.is_grad_enabled()

    assert evaluate() is False and predict() is True and thw.is_grad_enabled()
    with thw.no_grad():
        assert record() is True and not thw.is_grad_enabled()
    assert evaluate.__name__ == "evaluate"


def test_enable_grad_inside_no_grad_and_as_decorator():
    x = thw.ones(2, requires_grad=True)

    @thw.enable_grad()
    def recorded(t):
        return t * 2

    with thw.no_grad():
        assert not (x * 2).requires_grad
        with thw.enable_grad():
            assert (x * 2).requires_grad
        assert not thw.is_grad_enabled()
        assert recorded(x).requires_grad
        assert not thw.is_grad_enabled()


def test_inference_mode():
    x = thw.ones(2, requires_grad=True)
    with thw.inference_mode():
        assert thw.is_inference_mode_enabled() and not thw.is_grad_enabled()
        assert not (x * 2).requires_grad
    assert not thw.is_inference_mode_enabled() and thw.is_grad_enabled()
    with thw.inference_mode(False):
        assert (x * 2).requires_grad

    @thw.inference_mode()
    def predict(t):
        return thw.is_inference_mode_enabled(), t * 2

    inside, y = predict(x)
    assert inside and not y.requires_grad and not thw.is_inference_mode_enabled()


def test_detect_anomaly_as_context_and_decorator():
    x = thw.tensor([-1.0, 4.0], requires_grad=True)

    @thw.autograd.detect_anomaly()
    def step():
        (x.abs() + 1).log().sum().backward()

    step()
    np.testing.assert_allclose(x.grad.numpy(), [-0.5, 0.2])
    with pytest.raises(RuntimeError, match=r"SqrtBackward0' returned nan values"):
        with thw.autograd.detect_anomaly():
            _nan_in_backward()
    # outside, the NaN passes silently again, as in PyTorch
    assert np.isnan(_nan_in_backward()).all()


def _nan_in_backward() -> np.ndarray:
    z = thw.tensor([0.0], requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        (z.sqrt() * 0).sum().backward()  # 0 · 1/(2·√0) = NaN
    return z.grad.numpy()


def test_detect_anomaly_names_the_op_in_torch_too(torch):
    z = torch.tensor([0.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"SqrtBackward0' returned nan values"):
        with torch.autograd.detect_anomaly():
            (z.sqrt() * 0).sum().backward()


def test_detect_anomaly_is_per_thread():
    inside, done = threading.Event(), threading.Event()

    def watch():
        with thw.autograd.detect_anomaly():
            inside.set()
            assert done.wait(TIMEOUT)

    thread, errors = _run_in_thread(watch)
    assert inside.wait(TIMEOUT)
    assert np.isnan(_nan_in_backward()).all()  # no anomaly mode in this thread: no error
    done.set()
    thread.join(TIMEOUT)
    assert not errors
