"""The `tinygrad-hw` command: train a classic model on a classic dataset, or fetch a dataset.

    tinygrad-hw train --dataset digits --model mlp --epochs 20
    tinygrad-hw train --dataset mnist --data-dir ~/data --model cnn --epochs 2 --out runs/cnn
    tinygrad-hw download mnist --data-dir ~/data
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path
from typing import Callable

from . import manual_seed, nn, optim, save
from .data import CIFAR10, MNIST, DatasetError, Digits, FashionMNIST
from .data.download import DatasetNotFoundError
from .metrics import confusion_matrix
from .plot import plot_confusion_matrix, plot_history
from .serialization import CheckpointError
from .train import evaluate, fit

DATASETS = {"mnist": MNIST, "fashion-mnist": FashionMNIST, "cifar10": CIFAR10}
# Folders inside a data root that may hold a dataset's files (besides the layouts each class knows).
FOLDERS = {"mnist": ["mnist", "MNIST"], "fashion-mnist": ["fashion-mnist", "fashion_mnist", "FashionMNIST"],
           "cifar10": ["cifar10", "cifar-10", "CIFAR10", "cifar-10-batches-bin"]}
OUTPUTS = ("model.safetensors", "curves.png", "confusion.png")


def load_dataset(name: str, data_dir: Path | None, download: bool) -> tuple:
    """(train, test); `data_dir` may be the data root (holding `mnist/`, ...) or the dataset's own folder."""
    if name == "digits":
        return Digits(train=True), Digits(train=False)
    cls = DATASETS[name]
    folders = [data_dir] if data_dir is None else [data_dir] + [data_dir / f for f in FOLDERS[name]
                                                                if (data_dir / f).is_dir()]
    not_found = None
    for folder in folders:
        try:
            return cls(folder, train=True), cls(folder, train=False)
        except DatasetNotFoundError as error:
            not_found = not_found or error
    if download:
        return cls(data_dir, train=True, download=True), cls(data_dir, train=False, download=True)
    raise not_found


def _number(kind: type, minimum: float, inclusive: bool = True) -> Callable[[str], float]:
    """An argparse type: a finite `kind` at least (or above) `minimum`, else one clear line."""
    bound = f"{'at least' if inclusive else 'greater than'} {minimum:g}"
    noun = "a whole number" if kind is int else "a number"

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {noun} {bound}, got {text!r}") from None
        if not math.isfinite(value) or value < minimum or (value == minimum and not inclusive):
            raise argparse.ArgumentTypeError(f"must be {noun} {bound}, got {text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _folder(text: str) -> Path:
    return Path(text).expanduser()


def check_folders(args: argparse.Namespace) -> None:
    """Refuse, before any work, a --data-dir or --out that cannot be used (exit 2, one line)."""
    error = args.parser.error
    data_dir = args.data_dir
    if data_dir is not None and args.dataset != "digits":
        if data_dir.exists() and not data_dir.is_dir():
            error(f"argument --data-dir: {data_dir} is not a folder")
        if not data_dir.exists() and not args.download:
            error(f"argument --data-dir: there is no folder {data_dir} (add --download to fetch the dataset "
                  "into it)")
    out = getattr(args, "out", None)
    if out is None:
        return
    if out.exists() and not out.is_dir():
        error(f"argument --out: {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as failure:
        error(f"argument --out: cannot create the folder {out} ({failure.strerror or failure})")
    if not os.access(out, os.W_OK | os.X_OK):
        error(f"argument --out: cannot write in {out}")
    for name in OUTPUTS:
        if (out / name).is_dir():
            error(f"argument --out: {out / name} is a folder, the run would write a file there")


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
    """Run the command line; 0 on success, 1 when the data or a file is bad, 2 for a bad argument.

    >>> main(["train", "--dataset", "digits", "--epochs", "3", "--out", "runs/digits"])
    """
    parser = argparse.ArgumentParser(prog="tinygrad-hw", description="Train the classic homework networks.")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train a model and report test accuracy")
    train.add_argument("--dataset", choices=["digits", *DATASETS], default="digits")
    train.add_argument("--data-dir", type=_folder,
                       help="the data root (holding mnist/, cifar10/, ...) or the dataset's own folder "
                            "(default: the cache)")
    train.add_argument("--download", action="store_true", help="download the dataset if it is missing")
    train.add_argument("--model", choices=["softmax", "mlp", "cnn"], default="mlp")
    train.add_argument("--epochs", type=_number(int, 1), default=10)
    train.add_argument("--batch-size", type=_number(int, 1), default=64)
    train.add_argument("--lr", type=_number(float, 0, inclusive=False), default=0.05)
    train.add_argument("--momentum", type=_number(float, 0), default=0.9)
    train.add_argument("--weight-decay", type=_number(float, 0), default=1e-4)
    train.add_argument("--seed", type=_number(int, 0), default=0)
    train.add_argument("--out", type=_folder, default=Path("runs/latest"), help="folder for the model and pictures")
    train.set_defaults(run=train_command, parser=train)
    download = commands.add_parser("download", help="fetch a dataset's official files, checksums checked")
    download.add_argument("dataset", choices=list(DATASETS))
    download.add_argument("--data-dir", type=_folder)
    download.set_defaults(run=download_command, parser=download, download=True)
    args = parser.parse_args(argv)
    check_folders(args)
    try:
        return args.run(args)
    except (DatasetError, CheckpointError, OSError) as error:
        print(f"tinygrad-hw: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tinygrad-hw: interrupted", file=sys.stderr)
        return 130

if __name__ == "__main__":
    sys.exit(main())
