"""Per-node gradient check: find *which* op of a recorded graph has a wrong backward.

`check_graph(root)` walks the graph that `backward()` would walk and checks each op on its
own recorded inputs (float64 copies): for a random output weighting u, the analytic
gradient of Σ u·op(inputs) from the op's `backward` is compared, element by element, with
central differences. Inputs up to `max_elements` are checked in full; larger ones at a
random sample of that many elements, so a big model is checked in seconds.

Ops at a kink (ReLU exactly at 0, tied maxima) have no derivative there; such nodes may be
reported even when their backward is right.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .engine import topological_order
from .grad_mode import no_grad
from ..tensor import Tensor


@dataclass
class NodeCheck:
    """The verdict on one op node; `worst` describes its worst element when it failed."""

    node: object
    name: str
    passed: bool
    checked_elements: int
    worst: str = ""


@dataclass
class GraphCheckReport:
    """Which nodes pass and which fail; `str(report)` is a readable table."""

    nodes: list = field(default_factory=list)

    @property
    def failed(self) -> list:
        return [check for check in self.nodes if not check.passed]

    @property
    def passed(self) -> bool:
        return not self.failed

    def status(self, node) -> NodeCheck | None:
        return next((check for check in self.nodes if check.node is node), None)

    def __str__(self) -> str:
        lines = [f"{len(self.nodes)} op nodes checked, {len(self.failed)} failed"]
        for check in self.nodes:
            verdict = "ok  " if check.passed else "FAIL"
            lines.append(f"  {verdict} {check.name} ({check.checked_elements} elements)")
            if check.worst:
                lines.append("       " + check.worst)
        return "\n".join(lines)


def _float64_inputs(node) -> list:
    inputs = []
    for value, needed in zip(node.inputs, node.needs_input_grad):
        if isinstance(value, Tensor):
            data = value._data.astype(np.float64) if value.dtype.kind == "f" else value._data.copy()
            inputs.append(Tensor._make(np.array(data), needed, None))
        else:
            inputs.append(value)
    return inputs


def check_node(node, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, max_elements: int = 64,
               seed: int = 0) -> NodeCheck:
    """Check one recorded op node on float64 copies of its inputs.

    >>> check_node(loss.grad_fn).passed
    True
    """
    rng = np.random.default_rng(seed)
    inputs = _float64_inputs(node)
    kwargs = dict(node._call_kwargs)

    def run() -> tuple:
        outputs = type(node).apply(*inputs, **kwargs)
        return outputs if isinstance(outputs, tuple) else (outputs,)

    def weighted_sum(outputs: tuple):  # Σ u·op(inputs) over the differentiable outputs
        return sum((outputs[k] * weight).sum() for k, weight in weights.items())

    outputs = run()
    weights = {k: Tensor(rng.normal(size=output.shape)) for k, output in enumerate(outputs)
               if isinstance(output, Tensor) and output.requires_grad}
    weighted_sum(outputs).backward()
    worst, worst_excess, checked = "", 0.0, 0
    for position, tensor in enumerate(inputs):
        if not (isinstance(tensor, Tensor) and tensor.requires_grad):
            continue
        analytic = tensor.grad.numpy() if tensor.grad is not None else np.zeros(tensor.shape)
        count = tensor.numel()
        elements = np.arange(count) if count <= max_elements else rng.choice(count, max_elements, replace=False)
        for flat in elements:
            index = np.unravel_index(flat, tensor.shape)
            original = tensor._data[index]
            with no_grad():
                tensor._data[index] = original + eps
                plus = float(weighted_sum(run()).item())
                tensor._data[index] = original - eps
                minus = float(weighted_sum(run()).item())
            tensor._data[index] = original
            numeric, exact = (plus - minus) / (2 * eps), float(analytic[index])
            excess = abs(exact - numeric) - (atol + rtol * abs(numeric))
            checked += 1
            if excess > worst_excess:
                worst_excess = excess
                worst = (f"input {position}, element {[int(i) for i in index]}: numerical {numeric:.6g}, "
                         f"analytical {exact:.6g}, absolute error {abs(exact - numeric):.3g}")
    return NodeCheck(node, type(node).__name__.lstrip("_"), worst_excess <= 0, checked, worst)


def check_graph(root: Tensor, **options) -> GraphCheckReport:
    """Gradient-check every op node of the graph behind `root`, each on its own inputs.

    Call it before `backward()` (or after `backward(retain_graph=True)`): it only reads the
    recorded inputs. Options go to `check_node` (eps, atol, rtol, max_elements).

    >>> report = thw.autograd.check_graph(loss)
    >>> print(report)          # which node is wrong, and its worst element
    """
    if root.grad_fn is None:
        return GraphCheckReport([])
    return GraphCheckReport([check_node(node, **options) for node in topological_order(root.grad_fn)])
