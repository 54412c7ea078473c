"""The examples reproduce the numbers their sources show."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load(name: str) -> dict:
    return runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="example")


def _exact_slides_step():
    """The slides' step computed by hand in NumPy, the reference for 1e-12."""
    slides = load("slides_backprop")
    x, w1, w2 = np.array(slides["X"]), np.array(slides["W1"]), np.array(slides["W2"])
    z1 = x @ w1
    h = np.maximum(z1, 0)
    scores = h @ w2
    o = np.exp(scores) / np.exp(scores).sum()
    delta_o2 = o - np.eye(2)[0]
    delta_o1 = (w2 @ delta_o2) * (z1 > 0)
    return w1 - 0.1 * np.outer(x, delta_o1), w2 - 0.1 * np.outer(h, delta_o2), o


@pytest.mark.parametrize("variant", ["step_with_tensors", "step_with_nn"])
def test_slides_backprop_numbers(variant):
    slides = load("slides_backprop")
    record = slides[variant]()
    np.testing.assert_allclose(record["o"], [0.61, 0.39], atol=5e-3)
    np.testing.assert_allclose(record["w1"], [[1, .5351], [.1, 1.0234], [-2.3, -.4532]], atol=1e-3)
    np.testing.assert_allclose(record["w2"], [[.7, -2.1], [.1585, -.2585]], atol=1e-3)
    w1, w2, o = _exact_slides_step()
    np.testing.assert_allclose(record["w1"], w1, atol=1e-12)
    np.testing.assert_allclose(record["w2"], w2, atol=1e-12)
    np.testing.assert_allclose(record["o"], o, atol=1e-12)


@pytest.mark.parametrize("flags", [[], ["--nn"]])
def test_slides_backprop_script_prints_the_slides_numbers(flags):
    out = subprocess.run([sys.executable, str(EXAMPLES / "slides_backprop.py"), *flags],
                         capture_output=True, text=True, check=True).stdout
    assert "0.6106 0.3894" in out and "0.1584 -0.2584" in out and "1.0234" in out
