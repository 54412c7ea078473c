"""A two-layer network in 20 lines: the lecture's random-data example, with backward().

N=64 inputs of size 1000, a hidden layer of 100 ReLUs, 10 outputs, squared-error loss, 500
steps of gradient descent. The lecture writes the backward pass by hand in NumPy; here
backward() does it, and `--check` runs the NumPy version next to it and compares the weights.

Run:  python examples/two_layer_net.py [--check]
"""

import argparse

import numpy as np

import tinygrad_hw as thw


def train(steps=500, lr=1e-4, seed=0):
    rng = np.random.default_rng(seed)
    x, y = thw.tensor(rng.normal(size=(64, 1000))), thw.tensor(rng.normal(size=(64, 10)))
    w1 = thw.tensor(rng.normal(size=(1000, 100)) * 0.01, requires_grad=True)
    w2 = thw.tensor(rng.normal(size=(100, 10)) * 0.1, requires_grad=True)
    for step in range(steps):
        loss = ((x @ w1).relu() @ w2 - y).pow(2).sum()
        w1.grad = w2.grad = None
        loss.backward()
        with thw.no_grad():
            w1 -= lr * w1.grad
            w2 -= lr * w2.grad
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step:3d}  loss {loss.item():.4f}")
    return w1.numpy(), w2.numpy()


def train_by_hand(steps=500, lr=1e-4, seed=0):
    """The lecture's NumPy version: the same numbers with the chain rule written out."""
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(64, 1000)), rng.normal(size=(64, 10))
    w1, w2 = rng.normal(size=(1000, 100)) * 0.01, rng.normal(size=(100, 10)) * 0.1
    for _ in range(steps):
        h = np.maximum(x @ w1, 0)
        grad_pred = 2 * (h @ w2 - y)
        grad_w2 = h.T @ grad_pred
        grad_w1 = x.T @ ((grad_pred @ w2.T) * (h > 0))
        w1, w2 = w1 - lr * grad_w1, w2 - lr * grad_w2
    return w1, w2


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the hand-written NumPy version")
    args = parser.parse_args()
    weights = train()
    if args.check:
        difference = max(np.abs(a - b).max() for a, b in zip(weights, train_by_hand()))
        print(f"largest difference from the hand-written NumPy weights: {difference:.2e}")
