"""Gradient descent on a 2-D function, with the gradient from backward().

f(x, y) = x² + 10·y² (a narrow valley): with a learning rate small enough for the steep
direction, plain gradient descent crawls along the flat one; momentum builds up speed along
the valley floor. Both start at (-4, 1.5) and take 40 steps; the picture shows the contours
and the two paths.

Run:  python examples/gradient_descent_2d.py [--out out/gradient_descent_2d.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_hw as thw
from tinygrad_hw import optim


def f(point: thw.Tensor) -> thw.Tensor:
    return point[0] ** 2 + 10 * point[1] ** 2


def descend(momentum: float, lr: float = 0.02, steps: int = 40, start=(-4.0, 1.5)) -> np.ndarray:
    """The path of SGD on f from `start`; the gradient comes from backward()."""
    point = thw.tensor(start, dtype=np.float64, requires_grad=True)
    optimizer = optim.SGD([point], lr=lr, momentum=momentum)
    path = [point.numpy().copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        f(point).backward()
        optimizer.step()
        path.append(point.numpy().copy())
    return np.array(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/gradient_descent_2d.png"))
    args = parser.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = {"gradient descent (lr 0.02)": descend(0.0), "momentum 0.9 (lr 0.02)": descend(0.9)}
    xs, ys = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-2, 2, 200))
    figure, axis = plt.subplots(figsize=(9, 4.5))
    axis.contour(xs, ys, xs ** 2 + 10 * ys ** 2, levels=np.geomspace(0.05, 60, 14), cmap="Greys", linewidths=0.8)
    for (label, path), colour in zip(paths.items(), ("tab:red", "tab:blue")):
        axis.plot(path[:, 0], path[:, 1], "o-", ms=3, lw=1.2, color=colour, label=label)
        value = path[-1, 0] ** 2 + 10 * path[-1, 1] ** 2
        print(f"{label}: after {len(path) - 1} steps at ({path[-1, 0]:.4f}, {path[-1, 1]:.4f}), f = {value:.2e}")
    axis.plot(0, 0, "k*", ms=12, label="minimum")
    axis.set_title("f(x, y) = x² + 10y²: 40 steps of gradient descent, without and with momentum")
    axis.set_xlabel("x")
    axis.set_ylabel("y")
    axis.set_aspect("equal")
    axis.legend(loc="upper right", fontsize=8)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.out, dpi=120, bbox_inches="tight")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
