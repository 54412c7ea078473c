"""`explain(loss)`: the slides' Δ tables for any small graph, as text and as a picture.

For each node of the graph behind `loss` it shows the forward value, then, walking backward
from the loss, the gradient that reaches the node (Δ of its output) and what its `backward`
sends to each input — the same calls the engine makes, made here without touching anyone's
`.grad`, so explaining a graph changes nothing a later `backward()` sees.

>>> x = thw.tensor([3.0, 2.0, 4.0]); w1 = thw.tensor(W1, requires_grad=True); ...
>>> thw.autograd.explain(loss, params={"x": x, "w1": w1, "w2": w2})
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .engine import sum_to_shape, topological_order


@dataclass
class ExplainedNode:
    """One row of the explanation: a node (an op or a leaf), its value and its gradients."""

    name: str
    op: str                      # the Function's name, or "leaf" / "input" / "constant"
    value: np.ndarray | None
    grad: np.ndarray | None = None                  # d loss / d this node's output (Δ on the slides)
    inputs: list = field(default_factory=list)      # names of the inputs, in order
    sends: list = field(default_factory=list)       # (input name, gradient sent to it or None)


@dataclass
class Explanation:
    """What `explain` found: `nodes` in forward order, `text`, and `graph` when a picture was asked."""

    nodes: list
    text: str
    graph: Any = None

    def __str__(self) -> str:
        return self.text

    def node(self, name: str) -> ExplainedNode:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"no node named {name!r}; nodes are {[n.name for n in self.nodes]}")


def _fmt(array: Any, width: int = 60) -> str:
    if array is None:
        return "—"
    array = np.asarray(array)
    if array.size > 24:
        return f"{'×'.join(map(str, array.shape))} array, mean {array.mean():.4g}, min {array.min():.4g}, " \
               f"max {array.max():.4g}"
    text = np.array2string(np.asarray(array, np.float64) if array.dtype.kind == "f" else array, precision=4,
                           suppress_small=True, separator=", ", max_line_width=width)
    return " ".join(text.split())


def explain(loss, params: dict | None = None, picture: bool | str = False, echo: bool = True) -> Explanation:
    """Print (and return) each node's forward value and, in backward order, the gradient that
    reaches it and what it sends to each input; `params` names leaf tensors ({"w1": w1});
    `picture=True` adds a Graphviz graph (`.graph`) with values, gradients and the gradient on
    every edge, and `picture="graph.png"` also renders it. Call it before `loss.backward()` (or
    after `backward(retain_graph=True)`): the graph's saved arrays are needed.

    >>> explanation = thw.autograd.explain(loss, params=dict(model.named_parameters()))
    >>> explanation.node("w2").grad            # the same as w2.grad after loss.backward()
    """
    from ..tensor import Tensor

    if not isinstance(loss, Tensor):
        raise TypeError(f"explain expects the Tensor at the end of a graph, got {type(loss).__name__}")
    if loss.grad_fn is None:
        raise ValueError("explain: this tensor has no graph behind it (it does not require grad)")
    names = {id(tensor): name for name, tensor in (params or {}).items()}
    order = topological_order(loss.grad_fn, leaves=True)  # outputs first, leaves included
    forward = list(reversed(order))                  # inputs first: the order things were computed
    node_name: dict = {}
    counters: dict = {}
    outputs: dict = {loss.grad_fn: loss}
    explained: dict = {}
    leaves: list = []
    seen_leaves: set = set()

    def name_of_value(value, consumer_index: int, position: int) -> str:
        if isinstance(value, Tensor):
            if id(value) in names:
                return names[id(value)]
            key = id(value)
            if key not in node_name:
                kind = "leaf" if value.requires_grad else "input"
                counters[kind] = counters.get(kind, 0) + 1
                node_name[key] = f"{kind}{counters[kind]}"
            return node_name[key]
        return f"const({_fmt(value, 30)})"

    for node in forward:
        if node.is_accumulator:
            continue
        op = type(node).__name__.lstrip("_")
        counters[op] = counters.get(op, 0) + 1
        node_name[node] = f"{op}{counters[op]}" if op not in names.values() else f"{op}#{counters[op]}"
    for node in order:  # which tensor is each node's output: its consumer holds it as an input
        if node.is_accumulator:
            continue
        for value, (parent, _) in zip(node.inputs, node.next_functions):
            if parent is not None and not parent.is_accumulator and parent not in outputs:
                outputs[parent] = value
    for index, node in enumerate(forward):
        if node.is_accumulator:
            continue
        input_names = []
        for position, (value, (parent, _)) in enumerate(zip(node.inputs, node.next_functions)):
            if parent is not None and not parent.is_accumulator:
                input_names.append(node_name[parent])
            else:
                input_names.append(name_of_value(value, index, position))
                if isinstance(value, Tensor) and id(value._data) not in seen_leaves:
                    seen_leaves.add(id(value._data))
                    leaves.append(ExplainedNode(input_names[-1], "leaf" if value.requires_grad else "input",
                                                value._data))
        output = outputs.get(node)
        explained[node] = ExplainedNode(node_name[node], type(node).__name__.lstrip("_"),
                                        None if output is None else output._data, inputs=input_names)
    leaf_by_id = {id(leaf.value): leaf for leaf in leaves}
    # The backward walk, as the engine does it, recording every edge; nothing is accumulated.
    grads: dict = {loss.grad_fn: np.ones_like(loss._data)}
    for node in order:
        grad = grads.pop(node, None)
        if grad is None or node.is_accumulator:
            if node.is_accumulator and grad is not None:
                leaf_by_id[id(node.variable._data)].grad = grad
            continue
        entry = explained[node]
        entry.grad = grad
        several = node._num_outputs != 1
        try:
            if several:
                buffer = [np.zeros(shape, dtype) for shape, dtype in node.output_metadata]
                buffer[outputs[node]._output_nr if node in outputs else 0] = grad
                input_grads = node.backward(node, *buffer)
            else:
                input_grads = node.backward(node, grad)
        except RuntimeError as error:
            if "second time" in str(error):
                raise RuntimeError("explain needs the graph's saved arrays: call it before loss.backward(), or "
                                   "after loss.backward(retain_graph=True)") from None
            raise
        input_grads = input_grads if type(input_grads) is tuple else (input_grads,)
        for position, (value, (parent, _)) in enumerate(zip(node.inputs, node.next_functions)):
            sent = input_grads[position] if position < len(input_grads) else None
            if parent is None or sent is None:
                entry.sends.append((entry.inputs[position], None))
                continue
            sent = np.asarray(sent)
            if sent.shape != value._data.shape:
                sent = sum_to_shape(sent, value._data.shape)
            sent = sent.astype(value._data.dtype, copy=False)
            entry.sends.append((entry.inputs[position], sent))
            grads[parent] = sent if parent not in grads else grads[parent] + sent
    nodes = leaves + [explained[node] for node in forward if not node.is_accumulator]
    text = _text(nodes, [explained[node] for node in order if not node.is_accumulator])
    graph = _graph(nodes) if picture else None
    if isinstance(picture, str) and graph is not None:
        from ..viz import render_graph

        render_graph(graph, picture)
    if echo:
        print(text)
    return Explanation(nodes, text, graph)


def _text(nodes: list, backward_order: list) -> str:
    lines = ["forward (in the order it was computed)"]
    for node in nodes:
        if node.op in ("leaf", "input"):
            lines.append(f"  {node.name:<12} {node.op:<18} = {_fmt(node.value)}")
        else:
            lines.append(f"  {node.name:<12} {node.op + '(' + ', '.join(node.inputs) + ')':<18} = {_fmt(node.value)}")
    lines.append("backward (from the loss; Δ = d loss / d that value)")
    for node in backward_order:
        lines.append(f"  Δ{node.name:<11} = {_fmt(node.grad)}")
        for target, sent in node.sends:
            if sent is not None:
                lines.append(f"      sends to {target:<8} {_fmt(sent)}")
    grads = [node for node in nodes if node.op == "leaf" and node.grad is not None]
    if grads:
        lines.append("gradients of the leaves (what loss.backward() puts in .grad)")
        lines += [f"  Δ{node.name:<11} = {_fmt(node.grad)}" for node in grads]
    return "\n".join(lines)


def _graph(nodes: list):
    import graphviz

    graph = graphviz.Digraph("explain", graph_attr={"rankdir": "LR", "fontname": "Helvetica", "labelloc": "t",
                                                    "label": "value: the forward pass;  red Δ: d loss / d value;  "
                                                             "on each edge: what backward sends to that input"},
                             node_attr={"fontname": "Helvetica", "fontsize": "10", "shape": "plaintext"},
                             edge_attr={"fontname": "Helvetica", "fontsize": "9", "fontcolor": "#a61c00"})
    colour = {"leaf": "#d9ead3", "input": "#cfe2f3"}
    for node in nodes:
        rows = [f'<TR><TD BGCOLOR="{colour.get(node.op, "#fce5cd")}"><B>{html.escape(node.name)}</B>'
                "</TD></TR>",
                f"<TR><TD>value {html.escape(_fmt(node.value, 40))}</TD></TR>"]
        if node.grad is not None:
            rows.append(f'<TR><TD><FONT COLOR="#a61c00">Δ {html.escape(_fmt(node.grad, 40))}</FONT></TD></TR>')
        graph.node(node.name, '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0">' + "".join(rows) + "</TABLE>>")
    for node in nodes:
        sends = dict(node.sends)
        for source in node.inputs:
            if source.startswith("const("):
                continue
            sent = sends.get(source)
            graph.edge(source, node.name, label="" if sent is None else _fmt(sent, 30), dir="forward")
    return graph
