"""A two-layer network in 20 lines: the lecture's random-data example, with backward().

N=64 inputs of size 1000, a hidden layer of 100 ReLUs, 10 outputs, squared-error loss, 500
steps of gradient descent. The lecture writes the backward pass by hand in NumPy; here
backward() does it, and `--check` runs the NumPy version next to it and compares the weights.
Both are in tinygrad_hw/reproduce/lectures.py (`train_two_layer`, `train_two_layer_by_hand`).

Run:  python examples/two_layer_net.py [--check]
"""

import argparse

import numpy as np

from tinygrad_hw.reproduce.lectures import train_two_layer, train_two_layer_by_hand

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the hand-written NumPy version")
    parser.add_argument("--steps", type=int, default=500, help="gradient steps (default 500, as the lecture)")
    args = parser.parse_args()
    w1, w2, _ = train_two_layer(args.steps, echo=print)
    if args.check:
        difference = max(np.abs(a - b).max() for a, b in zip((w1, w2), train_two_layer_by_hand(args.steps)))
        print(f"largest difference from the hand-written NumPy weights: {difference:.2e}")
