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
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import handwritten_numpy  # noqa: E402
import models  # noqa: E402

import tinygrad_hw as thw  # noqa: E402
import tinygrad_hw.nn.functional as F  # noqa: E402
from tinygrad_hw import nn, optim  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None

HERE = Path(__file__).resolve().parent
LR, MOMENTUM, DECAY = 0.01, 0.9, 1e-4

# name -> (kind, model arguments, batch size, input shape without the batch)
CONFIGS = {
    "softmax 784-10": ("mlp", models.MLPS["softmax"], 128, (784,)),
    "MLP 784-32-10": ("mlp", models.MLPS["mlp2"], 128, (784,)),
    "MLP 784-64-32-10": ("mlp", models.MLPS["mlp3"], 128, (784,)),
    "wide MLP 784-512-256-10": ("mlp", models.MLPS["wide"], 128, (784,)),
    "FMAN45 CNN, batch 16": ("cnn", (1, 28), 16, (1, 28, 28)),
    "FMAN45 CNN, batch 128": ("cnn", (1, 28), 128, (1, 28, 28)),
    "CIFAR CNN 3x32x32, batch 128": ("cnn", (3, 32), 128, (3, 32, 32)),
}


def batch_for(shape, batch, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((batch, *shape), dtype=np.float32), rng.integers(0, 10, batch)


def make_step(impl, kind, args, x, labels):
    """A zero-argument function doing one training step (forward, loss, backward, update)."""
    if impl == "numpy":
        model = handwritten_numpy.MLP(args) if kind == "mlp" else handwritten_numpy.CNN(*args)
        if kind == "mlp":
            x = x.reshape(len(x), -1)
        return lambda: model.step(x, labels)
    if impl == "tinygrad_hw":
        thw.manual_seed(0)
        model = models.mlp(nn, args) if kind == "mlp" else models.cnn(nn, *args)
        optimizer = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=DECAY)
        inputs, targets = thw.from_numpy(x), thw.from_numpy(labels)

        def step():
            loss = F.cross_entropy(model(inputs), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return step
    torch.manual_seed(0)
    model = models.mlp(torch.nn, args) if kind == "mlp" else models.cnn(torch.nn, *args)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=DECAY)
    inputs, targets = torch.from_numpy(x), torch.from_numpy(labels)

    def step():
        loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return step


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
    return {impl: {"median": statistics.median(t), "min": min(t)} for impl, t in times.items()}


def peak_memory(name, impl, steps=20):
    """Peak RSS of a fresh process that builds the model and trains `steps` steps."""
    code = (f"import run, resource; run.memory_child({name!r}, {impl!r}, {steps})")
    out = subprocess.run([sys.executable, "-c", code], cwd=HERE, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory_child(name, impl, steps):
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kind, args, batch, shape = CONFIGS[name]
    x, labels = batch_for(shape, batch)
    step = make_step(impl, kind, args, x, labels)
    for _ in range(steps):
        step()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_mb": peak / 1024, "after_imports_mb": baseline / 1024}))


def current_rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def memory_over_steps(total=10_000):
    """RSS while tinygrad_hw trains the 2-layer MLP through a DataLoader for `total` steps."""
    from tinygrad_hw.data import DataLoader, TensorDataset

    x, labels = batch_for((784,), 4096)
    loader = DataLoader(TensorDataset(x, labels), batch_size=128, shuffle=True, drop_last=True)
    model = models.mlp(nn, models.MLPS["mlp2"])
    optimizer = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=DECAY)
    samples, step = {}, 0
    while step < total:
        for inputs, targets in loader:
            loss = F.cross_entropy(model(inputs), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if step in (100, 1000, 5000, total):
                samples[step] = current_rss_mb()
            if step == total:
                break
    return samples


def epoch_time(kind, data_dir):
    """One full epoch of MNIST (60,000 images, batch 128, shuffled) with tinygrad_hw."""
    from tinygrad_hw.data import MNIST, DataLoader, TensorDataset

    mnist = Path(data_dir or "") / "mnist"
    if data_dir and mnist.is_dir():
        dataset, source = MNIST(mnist), "real MNIST"
    else:
        x, labels = batch_for((1, 28, 28), 60000)
        dataset, source = TensorDataset(x, labels), "random data of MNIST's shape"
    thw.manual_seed(0)
    model = models.mlp(nn, models.MLPS["mlp2"]) if kind == "mlp" else models.cnn(nn)
    if kind == "mlp":
        model = nn.Sequential(nn.Flatten(), model)
    optimizer = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=DECAY)
    start = time.perf_counter()
    for inputs, targets in DataLoader(dataset, batch_size=128, shuffle=True):
        loss = F.cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start, source


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
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no epochs, no memory runs")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    if torch is not None:
        torch.set_num_threads(os.cpu_count())
    rounds = 3 if args.quick else args.rounds
    info = machine()
    lines = ["# Benchmark results", "",
             f"Generated by `make bench` ({time.strftime('%Y-%m-%d')}). One training step = forward, "
             "cross-entropy, backward, SGD (lr 0.01, momentum 0.9, weight decay 1e-4), float32, "
             f"random MNIST-shaped data. {rounds} interleaved rounds per model after warm-up; "
             "times are per step.", "",
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
        row = (f"| {name} | {cell(ours)} | {cell(floor)} | {cell(theirs)} | "
               f"{ours['median'] / floor['median']:.2f}x | "
               f"{ours['median'] / theirs['median']:.2f}x |" if theirs else "- |")
        print(row, flush=True)
        lines.append(row)
    if not args.quick:
        lines += ["", "## Peak memory (RSS of a fresh process, 20 steps)", "",
                  "| model | tinygrad_hw | NumPy by hand | PyTorch | tinygrad_hw / NumPy |", "| --- | ---: | ---: | ---: | ---: |"]
        for name in ("MLP 784-32-10", "wide MLP 784-512-256-10", "FMAN45 CNN, batch 128"):
            memory = {impl: peak_memory(name, impl) for impl in implementations()}
            row = (f"| {name} | {memory['tinygrad_hw']['peak_mb']:.0f} MB | {memory['numpy']['peak_mb']:.0f} MB | "
                   + (f"{memory['torch']['peak_mb']:.0f} MB" if "torch" in memory else "-")
                   + f" | {memory['tinygrad_hw']['peak_mb'] / memory['numpy']['peak_mb']:.2f}x |")
            print(row, flush=True)
            lines.append(row)
        samples = memory_over_steps()
        lines += ["", "## Memory over 10,000 steps (tinygrad_hw, MLP 784-32-10, DataLoader, SGD momentum)", "",
                  "| step | " + " | ".join(str(s) for s in samples) + " |",
                  "| --- |" + " ---: |" * len(samples),
                  "| RSS | " + " | ".join(f"{v:.1f} MB" for v in samples.values()) + " |"]
        print(lines[-1], flush=True)
        lines += ["", "## One MNIST epoch (60,000 images, batch 128, tinygrad_hw)", ""]
        for kind, label in (("mlp", "MLP 784-32-10"), ("cnn", "FMAN45 CNN")):
            seconds, source = epoch_time(kind, args.data_dir)
            lines.append(f"- {label}: {seconds:.1f} s ({source})")
            print(lines[-1], flush=True)
    args.output.write_text("\n".join(lines) + "\n")
    print("wrote", args.output)


if __name__ == "__main__":
    main()
