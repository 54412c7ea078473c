"""The lecture's "Neural Network Easy Example": one step of backprop, by the engine.

x = [3, 2, 4] -> x @ w1 -> ReLU -> @ w2 -> softmax, ground truth class 0, cross-entropy, one
gradient step with learning rate 0.1. The slides show o = (0.61, 0.39) and the updated
w1 = [[1, .5351], [.1, 1.0234], [-2.3, -.4532]], w2 = [[.7, -2.1], [.1585, -.2585]].
"""

from __future__ import annotations

import shutil

import numpy as np

from .. import nn, no_grad, optim, tensor
from ..autograd.explain import explain
from .common import Config
from .report import Section

X = [3.0, 2.0, 4.0]
W1 = [[1.0, 0.5], [0.1, 1.0], [-2.3, -0.5]]
W2 = [[0.7, -2.1], [0.1, -0.2]]
TARGET = 0
LEARNING_RATE = 0.1
SLIDES = {"o": [0.61, 0.39], "w1": [[1, .5351], [.1, 1.0234], [-2.3, -.4532]], "w2": [[.7, -2.1], [.1585, -.2585]]}


def slides_graph(dtype=np.float64) -> tuple:
    """(loss, {"x": x, "w1": w1, "w2": w2}) of the slides' network, ready for backward or explain."""
    x = tensor(X, dtype=dtype)
    w1 = tensor(W1, dtype=dtype, requires_grad=True)
    w2 = tensor(W2, dtype=dtype, requires_grad=True)
    loss = -((x @ w1).relu() @ w2).log_softmax(dim=0)[TARGET]
    return loss, {"x": x, "w1": w1, "w2": w2}


def step_with_tensors(dtype=np.float64) -> dict:
    """One forward/backward/update step written with Tensor operations only."""
    x = tensor(X, dtype=dtype)
    w1 = tensor(W1, dtype=dtype, requires_grad=True)
    w2 = tensor(W2, dtype=dtype, requires_grad=True)
    z1 = x @ w1
    z1.retain_grad()  # Δo1 on the slides: the gradient before the ReLU
    h = z1.relu()
    scores = h @ w2
    scores.retain_grad()  # Δo2 on the slides: d loss / d scores = o - y
    o = scores.softmax(dim=0)
    loss = -o[TARGET].log()
    loss.backward()
    record = {"h": h.detach().numpy().copy(), "o": o.detach().numpy().copy(), "loss": loss.item(),
              "delta_o2": scores.grad.numpy().copy(), "delta_w2": w2.grad.numpy().copy(),
              "delta_o1": z1.grad.numpy().copy(), "delta_w1": w1.grad.numpy().copy()}
    with no_grad():
        w1 -= LEARNING_RATE * w1.grad
        w2 -= LEARNING_RATE * w2.grad
    record.update(w1=w1.numpy(), w2=w2.numpy())
    return record


def step_with_nn(dtype=np.float64) -> dict:
    """The same step with nn.Linear(bias=False), nn.ReLU, cross-entropy and optim.SGD."""
    layer1, layer2 = nn.Linear(3, 2, bias=False), nn.Linear(2, 2, bias=False)
    model = nn.Sequential(layer1, nn.ReLU(), layer2).to(dtype)
    with no_grad():  # nn.Linear stores (out, in): the slides' matrices transposed
        layer1.weight.copy_(np.array(W1).T)
        layer2.weight.copy_(np.array(W2).T)
    optimizer = optim.SGD(model.parameters(), lr=LEARNING_RATE)
    x = tensor([X], dtype=dtype)
    z1 = layer1(x)
    z1.retain_grad()
    h = model[1](z1)
    scores = layer2(h)
    scores.retain_grad()
    loss = nn.functional.cross_entropy(scores, tensor([TARGET]))
    optimizer.zero_grad()
    loss.backward()
    record = {"h": h.numpy()[0].copy(), "o": scores.softmax(dim=1).numpy()[0].copy(),
              "loss": loss.item(), "delta_o2": scores.grad.numpy()[0].copy(),
              "delta_w2": layer2.weight.grad.numpy().T.copy(), "delta_o1": z1.grad.numpy()[0].copy(),
              "delta_w1": layer1.weight.grad.numpy().T.copy()}
    optimizer.step()
    record.update(w1=layer1.weight.numpy().T, w2=layer2.weight.numpy().T)
    return record


def _fmt(array) -> str:
    return np.array2string(np.asarray(array), precision=4, suppress_small=True, floatmode="fixed")


def show(record: dict) -> str:
    """The step as the slides lay it out: forward, the Δ tables, the update."""
    return "\n".join([
        "forward",
        f"  h  = relu(x @ w1)        = {_fmt(record['h'])}",
        f"  o  = softmax(h @ w2)     = {_fmt(record['o'])}   (o1, o2 on the slides: 0.61, 0.39)",
        f"  loss = -log o1           = {record['loss']:.4f}",
        "backward",
        f"  Δo2 = o - y              = {_fmt(record['delta_o2'])}",
        f"  Δw2 = hᵀ Δo2             =\n{_fmt(record['delta_w2'])}",
        f"  Δo1 = (Δo2 w2ᵀ) ⊙ [h>0]  = {_fmt(record['delta_o1'])}",
        f"  Δw1 = xᵀ Δo1             =\n{_fmt(record['delta_w1'])}",
        f"update with learning rate {LEARNING_RATE}",
        f"  w1 =\n{_fmt(record['w1'])}",
        f"  w2 =\n{_fmt(record['w2'])}"])


def worked_example(config: Config, section: Section) -> None:
    record = step_with_tensors()
    same = step_with_nn()
    section.headers = ["quantity", "slides", "tinygrad_hw (Tensor ops)", "tinygrad_hw (nn + SGD)", "max difference"]
    for key in ("o", "w1", "w2"):
        difference = max(np.abs(np.asarray(SLIDES[key]) - record[key]).max(), np.abs(same[key] - record[key]).max())
        section.rows.append([key, _fmt(SLIDES[key]), _fmt(record[key]), _fmt(same[key]), f"{difference:.1e}"])
    section.notes += show(record).splitlines()


def delta_tables(config: Config, section: Section) -> None:
    loss, params = slides_graph()
    picture = shutil.which("dot") is not None
    explanation = explain(loss, params=params, picture=picture, echo=False)
    section.notes += ["thw.autograd.explain(loss, params={'x': x, 'w1': w1, 'w2': w2}):", ""]
    section.notes += explanation.text.splitlines()
    if picture:
        from ..viz import render_graph

        section.pictures.append(render_graph(explanation.graph, config.folder("slides") / "slides_explained.png"))
    else:
        section.notes.append("(Graphviz's dot is not installed: no graph picture)")


def experiments(config: Config) -> list:
    return [("the worked 2-layer example, one step of backprop", "lecture slides, 'Neural Network Easy Example'",
             worked_example),
            ("the Δ tables of that step, by thw.autograd.explain", "slides: Δo2, Δw2, Δo1, Δw1", delta_tables)]
