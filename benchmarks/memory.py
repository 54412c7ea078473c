"""Peak memory of one implementation in a process of its own (run by run.py).

    python benchmarks/memory.py "MLP 784-32-10" tinygrad_hw 20
    python benchmarks/memory.py over-steps 10000

Imports only what that implementation needs, so the numbers compare the working memory of the
networks, not the import of another library. Prints JSON: peak RSS, RSS after imports.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from configs import CONFIGS, batch_for  # noqa: E402


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def peak_rss_mb() -> float:
    """VmHWM: this process's own high-water mark (ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def over_steps(total: int) -> dict:
    """RSS while tinygrad_hw trains the 2-layer MLP through a DataLoader, SGD with momentum:
    it must stay flat (no growth from the graph, the optimizer or the loader)."""
    import steps as step_builders
    from configs import DECAY, LR, MLPS, MOMENTUM

    from tinygrad_hw import nn, optim
    from tinygrad_hw.data import DataLoader, TensorDataset
    from tinygrad_hw.nn.functional import cross_entropy

    x, labels = batch_for((784,), 4096)
    loader = DataLoader(TensorDataset(x, labels), batch_size=128, shuffle=True, drop_last=True)
    model = step_builders.mlp(nn, MLPS["mlp2"])
    optimizer = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=DECAY)
    samples, step = {}, 0
    while step < total:
        for inputs, targets in loader:
            loss = cross_entropy(model(inputs), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if step in (100, 1000, 5000, total):
                samples[step] = round(current_rss_mb(), 1)
            if step == total:
                break
    return samples


def main() -> None:
    if sys.argv[1] == "over-steps":
        print(json.dumps(over_steps(int(sys.argv[2]))))
        return
    name, impl, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if impl == "tinygrad_hw":
        import tinygrad_hw  # noqa: F401
    elif impl == "torch":
        import torch  # noqa: F401
    import steps as step_builders

    after_imports = peak_rss_mb()
    kind, args, batch, shape = CONFIGS[name]
    x, labels = batch_for(shape, batch)
    step = step_builders.make_step(impl, kind, args, x, labels)
    for _ in range(steps):
        step()
    print(json.dumps({"peak_mb": peak_rss_mb(), "after_imports_mb": after_imports}))


if __name__ == "__main__":
    main()
