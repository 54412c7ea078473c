"""Pictures of the computation graph that `backward()` walks, drawn with Graphviz.

`draw_graph(loss, params=dict(model.named_parameters()))` returns a `graphviz.Digraph`: one
box per op (its name and output shape), one record per leaf tensor (its name, shape and
dtype; values and gradients when asked), data flowing left to right, parameters of one
module grouped in a cluster. `graph.source` is the DOT text and needs nothing installed;
`render_graph` writes SVG or PNG with Graphviz's `dot` program; in Jupyter the graph shows
inline.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from .autograd.engine import topological_order
from .autograd.graph_check import GraphCheckReport, check_graph
from .tensor import Tensor

COLOURS = {"parameter": "#d9ead3", "input": "#cfe2f3", "constant": "#eeeeee", "output": "#fce5cd",
           "op": "#ffffff", "failed": "#f4cccc"}
FONT = "Helvetica"


def _format_values(array: np.ndarray, max_elements: int) -> str:
    if array.size <= max_elements:
        text = np.array2string(np.asarray(array, dtype=np.float64) if array.dtype.kind == "f" else array,
                               precision=4, suppress_small=True, separator=", ", max_line_width=48)
        return html.escape(text).replace("\n", "<br/>")
    values = np.asarray(array, dtype=np.float64)
    return f"mean {values.mean():.3g}, min {values.min():.3g}, max {values.max():.3g}"


def _shape(shape: tuple) -> str:
    return "scalar" if shape == () else "×".join(str(s) for s in shape)


def _tensor_label(title: str, tensor: Tensor, show_values: bool, show_grads: bool, max_elements: int,
                  colour: str) -> str:
    rows = [f'<TR><TD BGCOLOR="{colour}"><B>{html.escape(title)}</B></TD></TR>',
            f"<TR><TD>{_shape(tensor.shape)} {tensor.dtype}</TD></TR>"]
    if show_values:
        rows.append(f'<TR><TD ALIGN="LEFT">data {_format_values(tensor._data, max_elements)}</TD></TR>')
    if show_grads and tensor.grad is not None:
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="#a61c00">grad {_format_values(tensor.grad._data, max_elements)}'
                    "</FONT></TD></TR>")
    return '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">' + "".join(rows) + "</TABLE>>"


def _op_name(node: Any) -> str:
    return type(node).__name__.lstrip("_")


def draw_graph(root: Tensor, params: dict | None = None, show_values: bool = False, show_grads: bool = False,
               check: bool | GraphCheckReport = False, group_modules: bool = True, max_elements: int = 12,
               rankdir: str = "LR") -> graphviz.Digraph:
    """The graph behind `root` as a `graphviz.Digraph`.

    `params` names leaf tensors (`dict(model.named_parameters())`); leaves not named there are
    'input' (or 'leaf' when they require grad), Python numbers and arrays are 'constant'.
    Tensors with at most `max_elements` values show them with `show_values` (and their
    gradients with `show_grads`, after `backward()`); larger ones a summary. With `check`
    (True, or a report from `thw.autograd.check_graph`), ops whose backward is wrong are red.

    >>> graph = draw_graph(loss, params=dict(model.named_parameters()), show_grads=True)
    >>> print(graph.source)                   # DOT text, no Graphviz program needed
    >>> render_graph(graph, "mlp.svg")        # uses Graphviz's dot
    """
    names = {id(tensor): name for name, tensor in (params or {}).items()}
    report = check_graph(root) if check is True else (check or None)
    graph = graphviz.Digraph("computation_graph", graph_attr={"rankdir": rankdir, "fontname": FONT,
                                                               "nodesep": "0.25", "ranksep": "0.4"},
                             node_attr={"fontname": FONT, "fontsize": "11"}, edge_attr={"color": "#555555"})
    clusters: dict[str, list] = {}  # module name -> [(key, label, attributes)] drawn inside its box
    drawn_leaves: set = set()

    def leaf_node(value: Any, consumer: str) -> None:
        if isinstance(value, Tensor):
            key = f"t{id(value)}"
            if key not in drawn_leaves:
                drawn_leaves.add(key)
                name = names.get(id(value))
                kind = "parameter" if value.requires_grad else "input"
                label = _tensor_label(name or ("leaf" if value.requires_grad else "input"), value, show_values,
                                      show_grads, max_elements, COLOURS[kind])
                if name and group_modules and "." in name:
                    clusters.setdefault(name.rsplit(".", 1)[0], []).append((key, label, {"shape": "plaintext"}))
                else:
                    graph.node(key, label, shape="plaintext")
        else:
            key = f"c{id(value)}_{consumer}"
            text = _format_values(np.asarray(value), max_elements) if show_values or np.ndim(value) == 0 else \
                f"array {_shape(np.shape(value))}"
            graph.node(key, f"{text}", shape="box", style="rounded,filled", fillcolor=COLOURS["constant"],
                       fontsize="10")
        graph.edge(key, consumer)

    order = topological_order(root.grad_fn) if root.grad_fn is not None else []
    for node in reversed(order):  # inputs first, so the DOT reads in the order data flows
        key = f"n{id(node)}"
        status = report.status(node) if report is not None else None
        failed = status is not None and not status.passed
        label = f"{_op_name(node)}\n{_shape(node.output_metadata[0][0])}"
        if failed:
            label += "\nbackward FAILS gradcheck"
        attributes = {"shape": "box", "style": "rounded,filled", "penwidth": "2" if failed else "1",
                      "color": "#cc0000" if failed else "#666666",
                      "fillcolor": COLOURS["failed" if failed else "op"]}
        module = _module_of(node, names) if group_modules else None
        if module is not None:
            clusters.setdefault(module, []).insert(0, (key, label, attributes))
        else:
            graph.node(key, label, **attributes)
        for value, (parent, _) in zip(node.inputs, node.next_functions):
            if parent is not None and not parent.is_accumulator:  # the edge recorded with the op
                graph.edge(f"n{id(parent)}", key)
            else:
                leaf_node(value, key)
    for cluster_name, members in clusters.items():
        ops = [label.split("\n")[0] for _, label, attributes in members if attributes["shape"] == "box"]
        title = f"{cluster_name}: {ops[0]}" if ops else cluster_name
        with graph.subgraph(name=f"cluster_{cluster_name}") as cluster:
            cluster.attr(label=title, style="rounded,dashed", color="#999999", fontname=FONT)
            for key, label, attributes in members:
                cluster.node(key, label, **attributes)
    output_label = _tensor_label("output", root, show_values, show_grads, max_elements, COLOURS["output"])
    graph.node("output", output_label, shape="plaintext")
    if root.grad_fn is not None:
        graph.edge(f"n{id(root.grad_fn)}", "output")
    _legend(graph, failed_shown=report is not None)
    return graph


def _module_of(node: Any, names: dict) -> str | None:
    """The module whose parameter this op reads directly ('fc1' for fc1.weight), if any."""
    for value in node.inputs:
        name = names.get(id(value)) if isinstance(value, Tensor) else None
        if name and "." in name:
            return name.rsplit(".", 1)[0]
    return None


def _legend(graph: graphviz.Digraph, failed_shown: bool) -> None:
    entries = [("parameter", "parameter"), ("input", "input"), ("constant", "constant"), ("op", "op (output shape)"),
               ("output", "output")] + ([("failed", "wrong backward")] if failed_shown else [])
    rows = "".join(f'<TR><TD BGCOLOR="{COLOURS[key]}" WIDTH="14"></TD><TD ALIGN="LEFT">{text}</TD></TR>'
                   for key, text in entries)
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label="legend", fontname=FONT, fontsize="10", color="#bbbbbb", style="rounded")
        legend.node("legend", f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2">{rows}</TABLE>>',
                    shape="plaintext", fontsize="10")


def render_graph(graph: graphviz.Digraph, path: str | Path, format: str | None = None, dpi: int = 150) -> Path:
    """Write the picture with Graphviz's `dot`; the format comes from the suffix (svg, png, pdf).

    >>> render_graph(draw_graph(loss), "graph.png")
    """
    if shutil.which("dot") is None:
        raise RuntimeError("Graphviz's `dot` program is not installed, so the graph cannot be rendered "
                           "(the DOT text is in graph.source). Install it with `apt-get install graphviz`, "
                           "`brew install graphviz` or `conda install graphviz`.")
    path = Path(path)
    format = format or path.suffix.lstrip(".") or "svg"
    if format not in ("svg", "png", "pdf"):
        raise ValueError(f"render_graph: format must be svg, png or pdf, got {format!r}")
    graph = graph.copy()
    if format == "png":
        graph.graph_attr["dpi"] = str(dpi)
    path.parent.mkdir(parents=True, exist_ok=True)
    graph.render(outfile=str(path), format=format, cleanup=True)
    return path
