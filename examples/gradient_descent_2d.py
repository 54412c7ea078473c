"""Gradient descent on a 2-D function, with the gradient from backward().

f(x, y) = x² + 10·y² (a narrow valley): with a learning rate small enough for the steep
direction, plain gradient descent crawls along the flat one; momentum builds up speed along
the valley floor. Both start at (-4, 1.5) and take 40 steps; the picture shows the contours
and the two paths. The code is in tinygrad_hw/reproduce/lectures.py, which also runs the
lecture's four learning rates on (x+2y−7)² + (2x+y−5)² (`tinygrad-hw reproduce lectures`).

Run:  python examples/gradient_descent_2d.py [--out out/gradient_descent_2d.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tinygrad_hw.reproduce.lectures import momentum_paths, plot_momentum, valley


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/gradient_descent_2d.png"))
    args = parser.parse_args()
    paths = momentum_paths()
    for label, path in paths.items():
        print(f"{label}: after {len(path) - 1} steps at ({path[-1, 0]:.4f}, {path[-1, 1]:.4f}), "
              f"f = {valley(path[-1]):.2e}")
    print("wrote", plot_momentum(paths, args.out))


if __name__ == "__main__":
    main()
