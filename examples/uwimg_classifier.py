"""The UW CSE 455/576 "uwimg" homework 5 classifier experiments, with tinygrad_hw.

The homework (`tryhw5.py`) trains, with `train_model(model, data, batch=128, iters=1000,
rate=.01, momentum=.9, decay=0)` on random batches drawn with replacement:
  5.2.2    a softmax regression model, then learning rates 10^1..10^-3 and decays 10^0..10^-5;
  5.2.3    a 2-layer net (inputs -> 32 -> outputs) with logistic, ReLU and leaky ReLU;
  5.2.3.4  a 3-layer net (inputs -> 64 -> 32 -> outputs), 3000 iterations, decays 10^-4..10^0;
  5.3      the same 3-layer net on CIFAR-10.
The homework's layers have no bias but a constant-1 input column, which is exactly a bias; its
weights start uniform in ±sqrt(2/inputs). Its update rule is PyTorch's SGD with
weight_decay = decay / batch (see tinygrad_hw/optim/sgd.py), and its loss the batch-mean
cross-entropy on the softmax layer's scores.

Run:  python examples/uwimg_classifier.py                          (offline: the 8x8 Digits)
      python examples/uwimg_classifier.py --dataset mnist --data-dir ../shared/data/mnist
      python examples/uwimg_classifier.py --dataset cifar10 --data-dir ../shared/data/cifar10
      python examples/uwimg_classifier.py --train-list mnist.train --test-list mnist.test --labels mnist/mnist.labels
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import tinygrad_hw as thw
from tinygrad_hw import nn, optim
from tinygrad_hw.data import CIFAR10, MNIST, Digits, ImageListDataset
from tinygrad_hw.data.transforms import Flatten
from tinygrad_hw.metrics import confusion_matrix
from tinygrad_hw.plot import plot_confusion_matrix, plot_filters, plot_history, plot_misclassified
from tinygrad_hw.train import evaluate, fit

ACTIVATIONS = {"logistic": nn.Sigmoid, "relu": nn.ReLU, "lrelu": lambda: nn.LeakyReLU(0.1)}


def uwimg_layer(inputs: int, outputs: int) -> nn.Linear:
    """make_layer: weights (and the bias column) uniform in ±sqrt(2/inputs)."""
    layer = nn.Linear(inputs, outputs)
    bound = math.sqrt(2 / (inputs + 1))  # + 1: the constant-1 column the homework appends
    nn.init.uniform_(layer.weight, -bound, bound)
    nn.init.uniform_(layer.bias, -bound, bound)
    return layer


def make_model(inputs: int, outputs: int, hidden: tuple = (), activation: str = "lrelu") -> nn.Sequential:
    """softmax_model (hidden=()) or neural_net (hidden=(32,) or (64, 32)); the softmax is in the loss."""
    layers, width = [], inputs
    for size in hidden:
        layers += [uwimg_layer(width, size), ACTIVATIONS[activation]()]
        width = size
    return nn.Sequential(*layers, uwimg_layer(width, outputs))


def train_model(model, data, batch: int, iters: int, rate: float, momentum: float, decay: float) -> dict:
    """The homework's train_model, the PyTorch way."""
    optimizer = optim.SGD(model.parameters(), lr=rate, momentum=momentum, weight_decay=decay / batch)
    return fit(model, data, optimizer, iterations=iters, batch_size=batch, progress=False)


def load(args) -> tuple:
    flatten = Flatten()
    if args.train_list:
        train = ImageListDataset(args.train_list, args.labels, transform=flatten)
        return train, ImageListDataset(args.test_list, args.labels, transform=flatten)
    if args.dataset == "digits":
        return Digits(train=True, transform=flatten), Digits(train=False, transform=flatten)
    cls = {"mnist": MNIST, "cifar10": CIFAR10}[args.dataset]
    return (cls(args.data_dir, train=True, download=args.download, transform=flatten),
            cls(args.data_dir, train=False, download=args.download, transform=flatten))


def run(name: str, train, test, results: list, hidden=(), activation="lrelu", iters=1000, rate=0.01,
        momentum=0.9, decay=0.0, batch=128) -> tuple:
    thw.manual_seed(0)
    inputs = train[0][0].shape[0]
    model = make_model(inputs, len(train.classes), hidden, activation)
    start = time.perf_counter()
    history = train_model(model, train, batch, iters, rate, momentum, decay)
    seconds = time.perf_counter() - start
    if "stopped_early" in history:
        row = (name, rate, decay, iters, float("nan"), float("nan"), seconds, "diverged (NaN loss)")
    else:
        row = (name, rate, decay, iters, evaluate(model, train)["accuracy"], evaluate(model, test)["accuracy"],
               seconds, "")
    results.append(row)
    print(f"  {name:<28} rate {rate:<6g} decay {decay:<7g} iters {iters:<5} train {row[4]:.4f}  "
          f"test {row[5]:.4f}  ({seconds:.1f} s) {row[7]}", flush=True)
    return model, history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["digits", "mnist", "cifar10"], default="digits")
    parser.add_argument("--data-dir", type=Path, help="folder with the official dataset files")
    parser.add_argument("--download", action="store_true", help="download the dataset if it is missing")
    parser.add_argument("--train-list", type=Path, help="the homework's image list (e.g. mnist.train)")
    parser.add_argument("--test-list", type=Path)
    parser.add_argument("--labels", type=Path, help="the homework's label names (e.g. mnist.labels)")
    parser.add_argument("--quick", action="store_true", help="only the main models, fewer iterations")
    parser.add_argument("--rate", type=float, help="learning rate of the sweeps and nets (default 0.1; 0.01 on CIFAR)")
    parser.add_argument("--out", type=Path, default=Path("out/uwimg"))
    args = parser.parse_args()
    train, test = load(args)
    print(f"{args.train_list or args.dataset}: {len(train)} training and {len(test)} test images, "
          f"{len(train.classes)} classes")
    results: list = []
    rate = args.rate or (0.01 if args.dataset == "cifar10" else 0.1)  # "fiddle with the learning rate" (5.3.2)
    scale = 0.2 if args.quick else 1.0
    iters1, iters3 = int(1000 * scale), int(3000 * scale)

    print("5.2.2 softmax regression")
    softmax, _ = run("softmax", train, test, results, iters=iters1)
    if not args.quick:
        print("5.2.2.2 learning rates")
        for sweep_rate in (10, 1, 0.1, 0.01, 0.001):
            run("softmax", train, test, results, rate=sweep_rate)
        print(f"5.2.2.3 weight decay (rate {rate})")
        for decay in (1, 0.1, 0.01, 0.001, 0.0001, 0.00001):
            run("softmax", train, test, results, rate=rate, decay=decay)
    print(f"5.2.3.1 two layers, inputs -> 32 -> outputs (rate {rate})")
    for activation in (("lrelu",) if args.quick else ("logistic", "relu", "lrelu")):
        run(f"2-layer {activation}", train, test, results, hidden=(32,), activation=activation, rate=rate,
            iters=iters1)
    print(f"5.2.3.4 three layers, inputs -> 64 -> 32 -> outputs, 3000 iterations (rate {rate})")
    best = None
    for decay in ((0.0001,) if args.quick else (0.0001, 0.001, 0.01, 0.1, 1)):
        model, history = run("3-layer lrelu", train, test, results, hidden=(64, 32), rate=rate, decay=decay,
                             iters=iters3)
        if best is None or results[-1][5] > best[2]:
            best = (model, history, results[-1][5])
    write_report(args, train, test, softmax, best, results)


def write_report(args, train, test, softmax, best, results) -> None:
    args.out.mkdir(parents=True, exist_ok=True)
    lines = ["| model | rate | decay | iters | train acc | test acc | seconds | note |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    lines += [f"| {n} | {r:g} | {d:g} | {i} | {a:.4f} | {b:.4f} | {s:.1f} | {note} |"
              for n, r, d, i, a, b, s, note in results]
    (args.out / "results.md").write_text("\n".join(lines) + "\n")
    model, history, _ = best
    result = evaluate(model, test)
    images = test.get_batch(slice(None))[0]
    side = int(round((images.shape[1] / (3 if args.dataset == "cifar10" else 1)) ** 0.5))
    shaped = images.reshape(len(images), -1, side, side)
    plots = [plot_history(history, args.out / "3layer_curves.png", title="3-layer net"),
             plot_confusion_matrix(confusion_matrix(test.targets, result["predictions"], len(test.classes)),
                                   args.out / "3layer_confusion.png", classes=test.classes),
             plot_filters(softmax[0].weight.numpy(), args.out / "softmax_weights.png", title="Softmax weights"),
             plot_misclassified(shaped, test.targets, result["predictions"], args.out / "3layer_mistakes.png",
                                classes=test.classes)]
    print("\n".join(lines))
    print("wrote", args.out / "results.md", *plots)


if __name__ == "__main__":
    main()
