"""The `tinygrad-hw` command: train a classic model on a classic dataset, or fetch a dataset.

    tinygrad-hw train --dataset digits --model mlp --epochs 20
    tinygrad-hw train --dataset mnist --data-dir ~/data --model cnn --epochs 2 --out runs/cnn
    tinygrad-hw download mnist --data-dir ~/data
    tinygrad-hw reproduce all --quick                       (the homeworks on the offline Digits)
    tinygrad-hw reproduce uwimg --dataset mnist --data-dir ~/data --out runs/mnist
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
from .data import DatasetError
from .metrics import confusion_matrix
from .plot import plot_confusion_matrix, plot_history
from .reproduce.common import DATASETS, FOLDERS, load_dataset  # noqa: F401  (FOLDERS: part of the CLI's surface)
from .serialization import CheckpointError
from .train import evaluate, fit

OUTPUTS = ("model.safetensors", "curves.png", "confusion.png")
REPORT_OUTPUTS = ("report.md", "report.html")
REPRODUCTIONS = ("slides", "lectures", "uwimg", "fman45")


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


def _fraction(text: str) -> float:
    """An argparse type: a number in [0, 1)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number from 0 up to (not including) 1, got {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be a number from 0 up to (not including) 1, got {text!r}")
    return value


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
    for name in getattr(args, "outputs", OUTPUTS):
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
    steps = args.epochs * math.ceil(len(train) * (1 - args.val_split) / args.batch_size)
    history = fit(model, train, optimizer, epochs=args.epochs, batch_size=args.batch_size, val_split=args.val_split,
                  log_every=max(steps // 40, 1))
    result = evaluate(model, test)
    print(f"{args.epochs} epochs in {time.perf_counter() - start:.1f} s; test accuracy {result['accuracy']:.4f}, "
          f"test loss {result['loss']:.4f}")
    save(model.state_dict(), args.out / "model.safetensors")
    plot_history(history, args.out / "curves.png",
                 title=f"{args.model} on {args.dataset}: {args.epochs} epochs, batch {args.batch_size}, lr {args.lr:g} "
                       f"({args.val_split:.0%} of the training set held out for validation)")
    plot_confusion_matrix(confusion_matrix(test.targets, result["predictions"], len(test.classes)),
                          args.out / "confusion.png", classes=test.classes)
    print(f"wrote {args.out / 'model.safetensors'}, curves.png and confusion.png")
    return 0


def download_command(args: argparse.Namespace) -> int:
    for train in (True, False):
        dataset = DATASETS[args.dataset](args.data_dir, train=train, download=True)
        print(f"{args.dataset} {'train' if train else 'test'}: {len(dataset)} items in {dataset.root}")
    return 0


def reproduce_command(args: argparse.Namespace) -> int:
    from .reproduce import Config, run, write_report

    names = list(REPRODUCTIONS) if args.what == "all" else [args.what]
    config = Config(dataset=args.dataset, data_dir=args.data_dir, download=args.download, quick=args.quick,
                    out=args.out, progress=not args.no_progress)
    if args.dataset != "digits" and {"uwimg", "fman45"} & set(names):
        config.data()  # a missing or broken dataset is reported now, not after the lectures have run
    start = time.perf_counter()
    sections = run(names, config)
    seconds = time.perf_counter() - start
    command = "tinygrad-hw " + " ".join(args.argv)
    markdown, page = write_report(sections, args.out, command, seconds)
    print(f"\n{len(sections)} experiments in {seconds:.1f} s; wrote {markdown} and {page} (open it in a browser)")
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
    train.add_argument("--val-split", type=_fraction, default=0.1,
                       help="fraction of the training set held out for the validation curve (default 0.1)")
    train.add_argument("--out", type=_folder, default=Path("runs/latest"), help="folder for the model and pictures")
    train.set_defaults(run=train_command, parser=train)
    download = commands.add_parser("download", help="fetch a dataset's official files, checksums checked")
    download.add_argument("dataset", choices=list(DATASETS))
    download.add_argument("--data-dir", type=_folder)
    download.set_defaults(run=download_command, parser=download, download=True)
    reproduce = commands.add_parser("reproduce", help="run the homeworks' experiments and write a report",
                                    description="Run the lectures' and homeworks' experiments, print their tables and "
                                                "write report.md and a self-contained report.html.")
    reproduce.add_argument("what", nargs="?", choices=[*REPRODUCTIONS, "all"], default="all",
                           help="which reproduction (default: all)")
    reproduce.add_argument("--dataset", choices=["digits", "mnist", "cifar10"], default="digits",
                           help="digits (offline, shipped), mnist or cifar10 (default: digits)")
    reproduce.add_argument("--data-dir", type=_folder,
                           help="the data root (holding mnist/, cifar10/) or the dataset's own folder")
    reproduce.add_argument("--download", action="store_true", help="download the dataset if it is missing")
    reproduce.add_argument("--quick", action="store_true", help="a fifth of the iterations (a few minutes on Digits)")
    reproduce.add_argument("--out", type=_folder, default=Path("runs/reproduce"), help="folder for the report")
    reproduce.add_argument("--no-progress", action="store_true", help="no progress bars (for logs)")
    reproduce.set_defaults(run=reproduce_command, parser=reproduce, outputs=REPORT_OUTPUTS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
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
