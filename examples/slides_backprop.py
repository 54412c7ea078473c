"""The lecture's "Neural Network Easy Example", one step of backprop, by the engine.

x = [3, 2, 4] -> x @ w1 -> ReLU -> @ w2 -> softmax, ground truth class 0, cross-entropy,
one gradient step with learning rate 0.1. The slides show o = (0.61, 0.39) and the updated
w1 = [[1, .5351], [.1, 1.0234], [-2.3, -.4532]], w2 = [[.7, -2.1], [.1585, -.2585]].

Run:  python examples/slides_backprop.py            (the Tensor API alone)
      python examples/slides_backprop.py --nn       (nn.Linear, nn.ReLU and optim.SGD)
"""

from __future__ import annotations

import argparse

import numpy as np

import tinygrad_hw as thw

X = [3.0, 2.0, 4.0]
W1 = [[1.0, 0.5], [0.1, 1.0], [-2.3, -0.5]]
W2 = [[0.7, -2.1], [0.1, -0.2]]
TARGET = 0
LEARNING_RATE = 0.1


def step_with_tensors(dtype=np.float64) -> dict:
    """One forward/backward/update step written with Tensor operations only."""
    x = thw.tensor(X, dtype=dtype)
    w1 = thw.tensor(W1, dtype=dtype, requires_grad=True)
    w2 = thw.tensor(W2, dtype=dtype, requires_grad=True)
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
    with thw.no_grad():
        w1 -= LEARNING_RATE * w1.grad
        w2 -= LEARNING_RATE * w2.grad
    record.update(w1=w1.numpy(), w2=w2.numpy())
    return record


def step_with_nn(dtype=np.float64) -> dict:
    """The same step with nn.Linear(bias=False), nn.ReLU, cross-entropy and optim.SGD."""
    from tinygrad_hw import nn, optim

    layer1, layer2 = nn.Linear(3, 2, bias=False), nn.Linear(2, 2, bias=False)
    model = nn.Sequential(layer1, nn.ReLU(), layer2).to(dtype)
    with thw.no_grad():  # nn.Linear stores (out, in): the slides' matrices transposed
        layer1.weight.copy_(np.array(W1).T)
        layer2.weight.copy_(np.array(W2).T)
    optimizer = optim.SGD(model.parameters(), lr=LEARNING_RATE)
    x = thw.tensor([X], dtype=dtype)
    z1 = layer1(x)
    z1.retain_grad()
    h = model[1](z1)
    scores = layer2(h)
    scores.retain_grad()
    loss = nn.functional.cross_entropy(scores, thw.tensor([TARGET]))
    optimizer.zero_grad()
    loss.backward()
    record = {"h": h.numpy()[0].copy(), "o": scores.softmax(dim=1).numpy()[0].copy(),
              "loss": loss.item(), "delta_o2": scores.grad.numpy()[0].copy(),
              "delta_w2": layer2.weight.grad.numpy().T.copy(), "delta_o1": z1.grad.numpy()[0].copy(),
              "delta_w1": layer1.weight.grad.numpy().T.copy()}
    optimizer.step()
    record.update(w1=layer1.weight.numpy().T, w2=layer2.weight.numpy().T)
    return record


def show(record: dict) -> None:
    def fmt(array):
        return np.array2string(np.asarray(array), precision=4, suppress_small=True, floatmode="fixed")

    print("forward")
    print(f"  h  = relu(x @ w1)        = {fmt(record['h'])}")
    print(f"  o  = softmax(h @ w2)     = {fmt(record['o'])}   (o1, o2 on the slides: 0.61, 0.39)")
    print(f"  loss = -log o1           = {record['loss']:.4f}")
    print("backward")
    print(f"  Δo2 = o - y              = {fmt(record['delta_o2'])}")
    print(f"  Δw2 = hᵀ Δo2             =\n{fmt(record['delta_w2'])}")
    print(f"  Δo1 = (Δo2 w2ᵀ) ⊙ [h>0]  = {fmt(record['delta_o1'])}")
    print(f"  Δw1 = xᵀ Δo1             =\n{fmt(record['delta_w1'])}")
    print(f"update with learning rate {LEARNING_RATE}")
    print(f"  w1 =\n{fmt(record['w1'])}")
    print(f"  w2 =\n{fmt(record['w2'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nn", action="store_true", help="use nn.Linear, nn.ReLU and optim.SGD")
    args = parser.parse_args()
    show(step_with_nn() if args.nn else step_with_tensors())


if __name__ == "__main__":
    main()
