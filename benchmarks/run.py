"""Benchmark suite: one training step of each homework model, tinygrad_hw against the same
network hand-written in NumPy and against PyTorch eager (when installed), in one process,
interleaved in rounds (A B C A B C ...) so that machine drift cancels out.

Writes benchmarks/RESULTS.md. Run with `make bench` (about 5 minutes on 2 cores).

    python benchmarks/run.py [--data-dir ../shared/data] [--rounds 7] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from configs import CONFIGS, DECAY, LR, MLPS, MOMENTUM, batch_for  # noqa: E402
from steps import cnn, make_step, mlp  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None

HERE = Path(__file__).resolve().parent


def implementations():
    return ["tinygrad_hw", "numpy"] + (["torch"] if torch is not None else [])


def time_config(name, rounds, target_seconds=0.25):
    kind, args, batch, shape = CONFIGS[name]
    x, labels = batch_for(shape, batch)
    steps = {impl: make_step(impl, kind, args, x, labels) for impl in implementations()}
    repeats = {}
    for impl, step in steps.items():  # warm-up, and how many steps fill one timing slot
        for _ in range(3):
            step()
        start = time.perf_counter()
        step()
        repeats[impl] = max(1, int(target_seconds / max(time.perf_counter() - start, 1e-6)))
    times = {impl: [] for impl in steps}
    for _ in range(rounds):
        for impl, step in steps.items():
            start = time.perf_counter()
            for _ in range(repeats[impl]):
                step()
            times[impl].append((time.perf_counter() - start) / repeats[impl])
    result = {impl: {"median": statistics.median(t), "min": min(t), "times": t} for impl, t in times.items()}
    return result


def paired_ratio(result, impl, reference):
    """Median over rounds of the ratio of two implementations timed back to back in that round:
    drift of the machine between rounds cancels out of each ratio."""
    return statistics.median(a / b for a, b in zip(result[impl]["times"], result[reference]["times"]))


def ratio_cell(result, reference):
    """'paired median ratio (ratio of the minimum times)' of tinygrad_hw to `reference`."""
    if reference not in result:
        return "-"
    of_mins = result["tinygrad_hw"]["min"] / result[reference]["min"]
    return f"{paired_ratio(result, 'tinygrad_hw', reference):.2f}x ({of_mins:.2f}x)"


def peak_memory(name, impl, steps=20):
    """Peak RSS of a fresh process that imports only `impl`, builds the model, trains `steps` steps."""
    out = subprocess.run([sys.executable, str(HERE / "memory.py"), name, impl, str(steps)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory_over_steps(total=10_000):
    """RSS at steps 100 .. total while tinygrad_hw trains (see memory.py, run in its own process)."""
    out = subprocess.run([sys.executable, str(HERE / "memory.py"), "over-steps", str(total)],
                         capture_output=True, text=True, check=True)
    return {int(k): v for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def mnist_arrays(data_dir):
    """The 60,000 MNIST training images (N, 1, 28, 28) float32 in [0, 1] and labels, or random
    data of that shape when the files are absent."""
    mnist = Path(data_dir or "") / "mnist"
    if data_dir and mnist.is_dir():
        from tinygrad_hw.data import MNIST

        train = MNIST(mnist)
        return (train.data.reshape(-1, 1, 28, 28).astype(np.float32) / 255, train.targets), "real MNIST"
    return batch_for((1, 28, 28), 60000), "random data of MNIST's shape"


def pytorch_examples_net(nn, F):
    """pytorch/examples mnist/main.py's network: two 3x3 convs, max-pool, dropout, two linears."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(1, 32, 3, 1), nn.Conv2d(32, 64, 3, 1)
            self.dropout1, self.dropout2 = nn.Dropout(0.25), nn.Dropout(0.5)
            self.fc1, self.fc2 = nn.Linear(9216, 128), nn.Linear(128, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
            x = F.relu(self.fc1(self.dropout1(x).flatten(1)))
            return F.log_softmax(self.fc2(self.dropout2(x)), dim=1)
    return Net()


def epoch_time(model_name, impl, arrays, batch_size=128):
    """Seconds for one epoch over `arrays` (shuffled, SGD with momentum), the batches cut from
    the same NumPy arrays for every implementation."""
    if impl == "tinygrad_hw":
        import tinygrad_hw as lib
        import tinygrad_hw.nn.functional as lib_F
        from tinygrad_hw import nn as lib_nn, optim as lib_optim
    else:
        lib, lib_F, lib_nn, lib_optim = torch, torch.nn.functional, torch.nn, torch.optim
    lib.manual_seed(0)
    if model_name == "MLP 784-32-10":
        model, loss_fn = lib_nn.Sequential(lib_nn.Flatten(), mlp(lib_nn, MLPS["mlp2"])), lib_F.cross_entropy
    elif model_name == "FMAN45 CNN":
        model, loss_fn = cnn(lib_nn), lib_F.cross_entropy
    else:
        model, loss_fn = pytorch_examples_net(lib_nn, lib_F), lib_F.nll_loss
    optimizer = lib_optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=DECAY)
    images, labels = arrays
    order = np.random.default_rng(0).permutation(len(images))
    start = time.perf_counter()
    for first in range(0, len(order), batch_size):
        index = order[first:first + batch_size]
        loss = loss_fn(model(lib.from_numpy(images[index])), lib.from_numpy(labels[index]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    loss.item()
    return time.perf_counter() - start


def machine():
    blas = "unknown"
    try:
        config = np.show_config(mode="dicts")
        info = config["Build Dependencies"]["blas"]
        blas = f"{info.get('name')} {info.get('version', '')}".strip()
    except Exception:  # older NumPy: no dict mode
        pass
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
            "blas": blas, "torch": torch.__version__ if torch is not None else "not installed",
            "torch threads": torch.get_num_threads() if torch is not None else "-"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="folder holding mnist/ (for the epoch times)")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no epochs, no memory runs")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--pytorch-examples-epoch", action="store_true",
                        help="also time an epoch of pytorch/examples' MNIST network (several minutes)")
    args = parser.parse_args()
    if torch is not None:
        torch.set_num_threads(os.cpu_count())
    rounds = 3 if args.quick else args.rounds
    info = machine()
    lines = ["# Benchmark results", "",
             f"Generated by `make bench` ({time.strftime('%Y-%m-%d')}). One training step = forward, "
             "cross-entropy, backward, SGD (lr 0.01, momentum 0.9, weight decay 1e-4), float32, "
             f"random MNIST- or CIFAR-shaped data. {rounds} interleaved rounds per model after warm-up; "
             "times are per step. Each ratio is the median over rounds of the two times measured "
             "back to back in that round, and in brackets the ratio of the minimum times (the "
             "steadier figure when other work shares the machine). The NumPy baseline "
             "(`benchmarks/handwritten_numpy.py`) is the fastest hand-written version we know: "
             "channels-last, chunked im2col, buffers and updates in place.", "",
             "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), "",
             "| model | tinygrad_hw median (min) | NumPy by hand median (min) | PyTorch median (min) "
             "| tinygrad_hw / NumPy | tinygrad_hw / PyTorch |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in CONFIGS:
        result = time_config(name, rounds)
        ours, floor = result["tinygrad_hw"], result["numpy"]
        theirs = result.get("torch")

        def cell(r):
            return f"{1e3 * r['median']:.2f} ms ({1e3 * r['min']:.2f})" if r else "-"
        row = (f"| {name} | {cell(ours)} | {cell(floor)} | {cell(theirs)} | {ratio_cell(result, 'numpy')} | "
               f"{ratio_cell(result, 'torch')} |")
        print(row, flush=True)
        lines.append(row)
    if not args.quick:
        lines += ["", "## Peak memory (RSS of a fresh process importing only that library, 20 steps)", "",
                  "Peak RSS, and in brackets its growth over the RSS after the imports (the network's "
                  "working memory).", "",
                  "| model | tinygrad_hw | NumPy by hand | PyTorch | tinygrad_hw / NumPy (peak) "
                  "| tinygrad_hw / NumPy (growth) |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for name in ("MLP 784-32-10", "wide MLP 784-512-256-10", "FMAN45 CNN, batch 128"):
            memory = {impl: peak_memory(name, impl) for impl in implementations()}
            growth = {impl: m["peak_mb"] - m["after_imports_mb"] for impl, m in memory.items()}
            cells = [f"{memory[i]['peak_mb']:.0f} MB (+{growth[i]:.0f})" if i in memory else "-"
                     for i in ("tinygrad_hw", "numpy", "torch")]
            peak_ratio = memory['tinygrad_hw']['peak_mb'] / memory['numpy']['peak_mb']
            row = (f"| {name} | " + " | ".join(cells) + f" | {peak_ratio:.2f}x"
                   f" | {growth['tinygrad_hw'] / max(growth['numpy'], 1):.2f}x |")
            print(row, flush=True)
            lines.append(row)
        samples = memory_over_steps()
        lines += ["", "## Memory over 10,000 steps (tinygrad_hw, MLP 784-32-10, DataLoader, SGD momentum)", "",
                  "| step | " + " | ".join(str(s) for s in samples) + " |",
                  "| --- |" + " ---: |" * len(samples),
                  "| RSS | " + " | ".join(f"{v:.1f} MB" for v in samples.values()) + " |"]
        print(lines[-1], flush=True)
        arrays, source = mnist_arrays(args.data_dir)
        lines += ["", f"## One MNIST epoch (60,000 images, {source}, batch 128, SGD momentum)", "",
                  "The same shuffled batches, cut from the same NumPy arrays, for each library.", "",
                  "| model | tinygrad_hw | PyTorch | tinygrad_hw / PyTorch |", "| --- | ---: | ---: | ---: |"]
        epochs = ["MLP 784-32-10", "FMAN45 CNN"]
        if args.pytorch_examples_epoch:
            epochs.append("pytorch/examples MNIST net")
        for model_name in epochs:
            ours = epoch_time(model_name, "tinygrad_hw", arrays)
            theirs = epoch_time(model_name, "torch", arrays) if torch is not None else None
            lines.append(f"| {model_name} | {ours:.1f} s | " + (f"{theirs:.1f} s | {ours / theirs:.2f}x |"
                                                                if theirs else "- | - |"))
            print(lines[-1], flush=True)
    load = os.getloadavg()[1]
    if load > (os.cpu_count() or 1):  # say so: other work inflated the times and blurred the ratios
        lines.insert(3, f"**Load average {load:.1f} on {os.cpu_count()} cores during this run**: other work "
                        "shared the machine, so the times are inflated and the ratios unreliable; rerun "
                        "`make bench` on a quiet machine before quoting them.\n")
    args.output.write_text("\n".join(lines) + "\n")
    print("wrote", args.output)


if __name__ == "__main__":
    main()
