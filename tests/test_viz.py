"""Graph pictures (DOT text, real SVG/PNG rendering) and the per-node gradient check."""

from __future__ import annotations

import re
import shutil

import pytest
from PIL import Image

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn
from tinygrad_hw.autograd import check_graph
from tinygrad_hw.viz import draw_graph, render_graph

from .conftest import Square

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (CI installs it)")


def _mlp_loss():
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    loss = F.cross_entropy(model(thw.randn(5, 4)), thw.tensor([0, 1, 1, 0, 1]))
    return model, loss


def _nodes_and_edges(source):
    nodes = re.findall(r"^\s*([\w]+) \[", source, flags=re.M)
    edges = re.findall(r"^\s*(\w+) -> (\w+)", source, flags=re.M)
    return [n for n in nodes if n not in ("graph", "node", "edge", "legend")], edges


def test_two_layer_mlp_dot_counts_names_and_shapes():
    model, loss = _mlp_loss()
    source = draw_graph(loss, params=dict(model.named_parameters())).source
    nodes, edges = _nodes_and_edges(source)
    ops = [n for n in nodes if n.startswith("n")]
    leaves = [n for n in nodes if n.startswith("t")]
    assert len(ops) == 4 and len(leaves) == 6 and "output" in nodes   # 4 params, the input, the labels
    assert len(edges) == 10
    for name, shape in (("0.weight", "3×4"), ("0.bias", "3 "), ("2.weight", "2×3"), ("2.bias", "2 ")):
        assert re.search(re.escape(name) + r"</B></TD></TR><TR><TD>" + re.escape(shape), source)
    for op in ("Linear\n5×3", "ReLU\n5×3", "Linear\n5×2", "CrossEntropy\nscalar"):
        assert f"label=\"{op}\"" in source
    assert "cluster_0" in source and "0: Linear" in source and "legend" in source
    assert "data " not in source and "grad " not in source


def test_values_and_grads_only_when_asked():
    model, loss = _mlp_loss()
    params = dict(model.named_parameters())
    assert "grad " not in draw_graph(loss, params, show_grads=True).source  # no backward yet
    loss.backward()
    with_values = draw_graph(loss, params, show_values=True).source
    assert "data [" in with_values and "grad " not in with_values
    with_grads = draw_graph(loss, params, show_grads=True).source
    assert "grad [" in with_grads and "data [" not in with_grads
    big = draw_graph(loss, params, show_values=True, max_elements=2).source
    assert "mean" in big and "min" in big


def test_a_10000_node_graph_is_drawn_without_recursion():
    x = thw.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    nodes, edges = _nodes_and_edges(draw_graph(y).source)
    assert len([n for n in nodes if n.startswith("n")]) == 10_000


@needs_dot
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_render_with_the_real_dot_program(tmp_path, fmt):
    model, loss = _mlp_loss()
    loss.backward()
    path = render_graph(draw_graph(loss, dict(model.named_parameters()), show_grads=True), tmp_path / f"g.{fmt}")
    if fmt == "svg":
        assert path.read_text().lstrip().startswith(("<?xml", "<svg")) and "<svg" in path.read_text()
    else:
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size[0] > 600 and image.size[1] > 300
    assert [p.name for p in tmp_path.iterdir()] == [f"g.{fmt}"]  # no stray DOT file


def test_render_without_dot_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        render_graph(draw_graph(_mlp_loss()[1]), tmp_path / "g.svg")


class WrongSquare(Square):
    @staticmethod
    def backward(ctx, grad_output):  # the factor 2 is missing
        (x,) = ctx.saved_tensors
        return x * grad_output


@pytest.mark.parametrize("op, should_pass", [(Square, True), (WrongSquare, False)])
def test_per_node_check_finds_the_wrong_function(op, should_pass):
    model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3))
    x = thw.randn(5, 4, requires_grad=True)
    hidden = op.apply(model[1](model[0](x)))
    loss = F.cross_entropy(model[2](hidden), thw.tensor([0, 1, 2, 1, 0]))
    report = check_graph(loss)
    assert len(report.nodes) == 5
    assert report.passed is should_pass
    if not should_pass:
        assert [check.name for check in report.failed] == ["WrongSquare"]
        assert "numerical" in report.failed[0].worst and "WrongSquare" in str(report)
        source = draw_graph(loss, dict(model.named_parameters()), check=report).source
        assert source.count("backward FAILS gradcheck") == 1 and "#f4cccc" in source


def test_check_graph_samples_large_inputs():
    layer = nn.Linear(300, 200)
    loss = layer(thw.randn(50, 300)).relu().sum()
    report = check_graph(loss, max_elements=20)
    assert report.passed and all(check.checked_elements <= 60 for check in report.nodes)


def test_check_graph_checks_ops_with_several_outputs():
    x = thw.randn(4, 5, dtype=thw.float64, requires_grad=True)
    values, _ = x.max(1)
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.ReLU()).double()
    images = thw.randn(4, 2, 6, 6, dtype=thw.float64)
    for root in (values.sum(), (model(images) * thw.randn(4, 3, 4, 4, dtype=thw.float64)).sum()):
        report = check_graph(root)
        assert report.passed, str(report)
    assert "BatchNormTrain" in str(report)
