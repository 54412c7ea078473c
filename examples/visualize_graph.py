"""Draw computation graphs: the slides' two-layer network and a small MLP on the digits data.

Each graph is drawn before backward() (values) and after (values and gradients), to SVG and
PNG in --out (default out/graphs). The per-node gradient check colours a wrong op red.

Run:  python examples/visualize_graph.py [--out out/graphs]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn
from tinygrad_hw.autograd import check_graph
from tinygrad_hw.data import DataLoader, Digits
from tinygrad_hw.viz import draw_graph, render_graph


def slides_network():
    """x = [3, 2, 4] -> x @ w1 -> ReLU -> @ w2 -> softmax -> cross-entropy with class 0."""
    x = thw.tensor([3.0, 2.0, 4.0])
    w1 = thw.tensor([[1.0, 0.5], [0.1, 1.0], [-2.3, -0.5]], requires_grad=True)
    w2 = thw.tensor([[0.7, -2.1], [0.1, -0.2]], requires_grad=True)
    hidden = (x @ w1).relu()
    loss = -(hidden @ w2).log_softmax(dim=0)[0]
    return loss, {"x": x, "w1": w1, "w2": w2}


def digits_mlp():
    """A 64-16-10 MLP on a batch of 8 digits, with cross-entropy."""
    thw.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10))
    images, labels = next(iter(DataLoader(Digits(), batch_size=8)))
    loss = F.cross_entropy(model(images), labels)
    return loss, dict(model.named_parameters())


def draw_before_and_after(name: str, loss: thw.Tensor, params: dict, out: Path) -> list[Path]:
    report = check_graph(loss)
    print(f"{name}: per-node gradient check\n{report}")
    written = []
    before = draw_graph(loss, params, show_values=True, check=report)
    loss.backward()
    after = draw_graph(loss, params, show_values=True, show_grads=True, check=report)
    for stage, graph in (("before_backward", before), ("after_backward", after)):
        for fmt in ("svg", "png"):
            written.append(render_graph(graph, out / f"{name}_{stage}.{fmt}"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/graphs"))
    args = parser.parse_args()
    np.set_printoptions(precision=4)
    for name, build in (("slides_network", slides_network), ("digits_mlp", digits_mlp)):
        loss, params = build()
        for path in draw_before_and_after(name, loss, params, args.out):
            print("wrote", path)


if __name__ == "__main__":
    main()
