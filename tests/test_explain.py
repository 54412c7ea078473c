"""thw.autograd.explain: the slides' Δ tables for any graph, without touching .grad."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn
from tinygrad_hw.reproduce.slides import slides_graph


def test_explain_gives_the_slides_delta_tables(capsys):
    loss, params = slides_graph()
    explanation = thw.autograd.explain(loss, params=params)
    printed = capsys.readouterr().out
    assert printed.strip() == explanation.text.strip()
    np.testing.assert_allclose(explanation.node("MatMul2").grad, [-0.3894, 0.3894], atol=1e-4)  # Δo2 = o − y
    np.testing.assert_allclose(explanation.node("MatMul1").grad, [0.0, -0.1168], atol=1e-4)     # Δo1
    np.testing.assert_allclose(explanation.node("w2").grad, [[0, 0], [-0.584, 0.584]], atol=1e-3)  # Δw2
    np.testing.assert_allclose(explanation.node("ReLU1").value, [0.0, 1.5])
    assert "sends to w1" in explanation.text and "forward (in the order it was computed)" in explanation.text
    assert params["w1"].grad is None and params["w2"].grad is None  # nothing accumulated


def test_explain_matches_backward_and_leaves_existing_grads_alone():
    thw.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).double()
    x = thw.randn(5, 4, dtype=thw.float64)
    loss = F.cross_entropy(model(x), thw.tensor([0, 1, 1, 0, 1]))
    model[0].bias.grad = thw.ones(3, dtype=thw.float64)  # a gradient from before must stay as it is
    explanation = thw.autograd.explain(loss, params=dict(model.named_parameters()), echo=False)
    np.testing.assert_array_equal(model[0].bias.grad.numpy(), np.ones(3))
    assert model[2].weight.grad is None
    loss.backward()
    for name, param in model.named_parameters():
        expected = param.grad.numpy() - (1 if name == "0.bias" else 0)
        np.testing.assert_allclose(explanation.node(name).grad, expected, rtol=1e-12, atol=1e-15)


def test_an_input_used_twice_gets_the_sum_of_what_each_use_sends():
    x = thw.tensor([2.0], dtype=thw.float64, requires_grad=True)
    loss = (x * x + 3 * x).sum()
    explanation = thw.autograd.explain(loss, params={"x": x}, echo=False)
    assert explanation.node("x").grad[0] == pytest.approx(2 * 2 + 3)
    sends = [sent for node in explanation.nodes for target, sent in node.sends if target == "x"]
    assert sorted(float(s[0]) for s in sends) == [2.0, 2.0, 3.0]  # x·x sends 2 twice, 3x sends 3


def test_explain_needs_the_graph_and_a_graph():
    loss, _ = slides_graph()
    loss.backward()
    with pytest.raises(RuntimeError, match="call it before loss.backward"):
        thw.autograd.explain(loss, echo=False)
    with pytest.raises(ValueError, match="no graph behind it"):
        thw.autograd.explain(thw.tensor(1.0), echo=False)


def test_explain_picture_shows_values_and_gradients(tmp_path):
    loss, params = slides_graph()
    explanation = thw.autograd.explain(loss, params=params, picture=True, echo=False)
    source = explanation.graph.source
    assert "w1" in source and "Δ" in source and "-0.3894" in source
    if shutil.which("dot"):
        loss, params = slides_graph()
        thw.autograd.explain(loss, params=params, picture=str(tmp_path / "g.png"), echo=False)
        assert (tmp_path / "g.png").stat().st_size > 10_000
