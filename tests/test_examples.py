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


def run_example(name: str, *args: str, cwd=None) -> str:
    return subprocess.run([sys.executable, str(EXAMPLES / f"{name}.py"), *args], capture_output=True,
                          text=True, check=True, cwd=cwd).stdout


def test_lecture_losses_prints_the_lecture_numbers():
    out = run_example("lecture_losses")
    assert "cross-entropy  2.04" in out and "SVM loss       2.90" in out
    assert "0.000918" in out and "0.551" in out and "3.38e-48" in out


def test_gradient_descent_2d_momentum_gets_closer(tmp_path):
    out = run_example("gradient_descent_2d", "--out", str(tmp_path / "gd.png"))
    plain, momentum = (float(line.rsplit("f = ", 1)[1]) for line in out.splitlines() if "f = " in line)
    assert momentum < plain / 10 and (tmp_path / "gd.png").stat().st_size > 20_000


def test_two_layer_net_matches_the_hand_written_version():
    out = run_example("two_layer_net", "--check", "--steps", "150")
    assert "largest difference from the hand-written NumPy weights: 0.00e+00" in out
    first, last = (float(out.split(f"step {n:3d}  loss ")[1].split()[0]) for n in (0, 149))
    assert last < first / 20, out


def test_uwimg_classifier_is_the_reproduce_command(tmp_path):
    out = run_example("uwimg_classifier", "--quick", "--no-progress", "--out", str(tmp_path))
    rows = [line.split() for line in out.splitlines() if line.startswith("softmax ") or line.startswith("3-layer")]
    assert float(rows[0][5]) > 0.85 and max(float(row[8]) for row in rows if row[0] == "3-layer") > 0.9
    assert (tmp_path / "report.html").exists() and (tmp_path / "uwimg" / "softmax_weights.png").exists()


@pytest.mark.parametrize("name", ["lecture_losses", "fman45_cnn", "uwimg_classifier", "slides_backprop"])
def test_examples_answer_help(name):
    assert "usage:" in run_example(name, "--help")


@pytest.mark.skipif(__import__("shutil").which("dot") is None, reason="Graphviz's dot is not installed")
def test_visualize_graph_writes_svg_and_png(tmp_path):
    out = run_example("visualize_graph", "--out", str(tmp_path))
    assert "0 failed" in out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 8
    assert "digits_mlp_after_backward.png" in names and "slides_network_before_backward.svg" in names
