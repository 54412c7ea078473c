"""The lecture's "Neural Network Easy Example", one step of backprop, by the engine.

x = [3, 2, 4] -> x @ w1 -> ReLU -> @ w2 -> softmax, ground truth class 0, cross-entropy,
one gradient step with learning rate 0.1. The slides show o = (0.61, 0.39) and the updated
w1 = [[1, .5351], [.1, 1.0234], [-2.3, -.4532]], w2 = [[.7, -2.1], [.1585, -.2585]].
The code lives in tinygrad_hw/reproduce/slides.py (`tinygrad-hw reproduce slides` writes a report).

Run:  python examples/slides_backprop.py            (the Tensor API alone)
      python examples/slides_backprop.py --nn       (nn.Linear, nn.ReLU and optim.SGD)
"""

from __future__ import annotations

import argparse

from tinygrad_hw.reproduce.slides import LEARNING_RATE, TARGET, W1, W2, X, show, step_with_nn, step_with_tensors

__all__ = ["LEARNING_RATE", "TARGET", "W1", "W2", "X", "show", "step_with_nn", "step_with_tensors"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nn", action="store_true", help="use nn.Linear, nn.ReLU and optim.SGD")
    args = parser.parse_args()
    print(show(step_with_nn() if args.nn else step_with_tensors()))


if __name__ == "__main__":
    main()
