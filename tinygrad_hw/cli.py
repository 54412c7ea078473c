"""The `tinygrad-hw` command: train a classic model on a classic dataset, or fetch a dataset.

    tinygrad-hw train --dataset digits --model mlp --epochs 20
    tinygrad-hw train --dataset mnist --data-dir ~/data --model cnn --epochs 2 --out runs/cnn
    tinygrad-hw download mnist --data-dir ~/data
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import manual_seed, nn, optim, save
from .data import CIFAR10, MNIST, DatasetError, Digits, FashionMNIST
from .metrics import confusion_matrix
from .plot import plot_confusion_matrix, plot_history
from .train import evaluate, fit

DATASETS = {"mnist": MNIST, "fashion-mnist": FashionMNIST, "cifar10": CIFAR10}


def load_dataset(name: str, data_dir: Path | None, download: bool) -> tuple:
    if name == "digits":
        return Digits(train=True), Digits(train=False)
    cls = DATASETS[name]
    return cls(data_dir, train=True, download=download), cls(data_dir, train=False, download=download)


def build_model(kind: str, image_shape: tuple, classes: int) -> nn.Module:
    """softmax regression, a 2-hidden-layer MLP, or the FMAN45-style CNN for the image shape."""
    channels, height, width = image_shape
    features = channels * height * width
    if kind == "softmax":
        return nn.Sequential(nn.Flatten(), nn.Linear(features, classes))
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(features, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                             nn.Linear(32, classes))
    pooled = (height // 4) * (width // 4)
    return nn.Sequential(nn.Conv2d(channels, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(16 * pooled, classes))


def train_command(args: argparse.Namespace) -> int:
    manual_seed(args.seed)
    train, test = load_dataset(args.dataset, args.data_dir, args.download)
    image_shape = train[0][0].shape
    model = build_model(args.model, image_shape, len(train.classes))
    print(model)
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    start = time.perf_counter()
    history = fit(model, train, optimizer, epochs=args.epochs, batch_size=args.batch_size, val_data=test)
    result = evaluate(model, test)
    print(f"{args.epochs} epochs in {time.perf_counter() - start:.1f} s; test accuracy {result['accuracy']:.4f}, "
          f"test loss {result['loss']:.4f}")
    args.out.mkdir(parents=True, exist_ok=True)
    save(model.state_dict(), args.out / "model.safetensors")
    plot_history(history, args.out / "curves.png", title=f"{args.model} on {args.dataset}")
    plot_confusion_matrix(confusion_matrix(test.targets, result["predictions"], len(test.classes)),
                          args.out / "confusion.png", classes=test.classes)
    print(f"wrote {args.out / 'model.safetensors'}, curves.png and confusion.png")
    return 0


def download_command(args: argparse.Namespace) -> int:
    for train in (True, False):
        dataset = DATASETS[args.dataset](args.data_dir, train=train, download=True)
        print(f"{args.dataset} {'train' if train else 'test'}: {len(dataset)} items in {dataset.root}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tinygrad-hw", description="Train the classic homework networks.")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train a model and report test accuracy")
    train.add_argument("--dataset", choices=["digits", *DATASETS], default="digits")
    train.add_argument("--data-dir", type=Path, help="folder with the official files (default: the cache)")
    train.add_argument("--download", action="store_true", help="download the dataset if it is missing")
    train.add_argument("--model", choices=["softmax", "mlp", "cnn"], default="mlp")
    train.add_argument("--epochs", type=int, default=10)
    train.add_argument("--batch-size", type=int, default=64)
    train.add_argument("--lr", type=float, default=0.05)
    train.add_argument("--momentum", type=float, default=0.9)
    train.add_argument("--weight-decay", type=float, default=1e-4)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--out", type=Path, default=Path("runs/latest"))
    train.set_defaults(run=train_command)
    download = commands.add_parser("download", help="fetch a dataset's official files, checksums checked")
    download.add_argument("dataset", choices=list(DATASETS))
    download.add_argument("--data-dir", type=Path)
    download.set_defaults(run=download_command)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DatasetError as error:
        print(f"tinygrad-hw: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
