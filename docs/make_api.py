"""Write docs/api.md, the API reference, from the docstrings.

Run:  python docs/make_api.py            (from the repository root)

One section per public module, one entry per public name: its signature and the first
paragraph of its docstring (the short example, if the docstring has one, is kept).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

MODULES = ["tinygrad_hw", "tinygrad_hw.autograd", "tinygrad_hw.nn", "tinygrad_hw.nn.functional", "tinygrad_hw.nn.init",
           "tinygrad_hw.optim", "tinygrad_hw.optim.lr_scheduler", "tinygrad_hw.data", "tinygrad_hw.data.transforms",
           "tinygrad_hw.train", "tinygrad_hw.metrics", "tinygrad_hw.plot", "tinygrad_hw.viz",
           "tinygrad_hw.serialization", "tinygrad_hw.homework.uwimg", "tinygrad_hw.homework.fman45",
           "tinygrad_hw.reproduce"]
SKIP_MODULES = {"tinygrad_hw": {"autograd", "nn", "optim", "data", "metrics", "random", "serialization", "dtypes",
                                "factories", "ops", "tensor"}}


def public_names(module) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name, value in vars(module).items() if not name.startswith("_")
                 and (inspect.isfunction(value) or inspect.isclass(value))
                 and getattr(value, "__module__", "") == module.__name__]
    return sorted(name for name in names if name not in SKIP_MODULES.get(module.__name__, ()))


def summary(value) -> str:
    doc = inspect.getdoc(value) or ""
    if not doc or (inspect.isclass(value) and doc == inspect.getdoc(type)):
        return "_(no docstring)_"
    paragraphs = doc.split("\n\n")
    text = paragraphs[0].replace("\n", " ")
    examples = [p for p in paragraphs[1:] if p.lstrip().startswith(">>>")]
    if examples:
        text += "\n\n```python\n" + examples[0].strip() + "\n```"
    return text


def signature(name: str, value) -> str:
    try:
        return f"{name}{inspect.signature(value)}"
    except (TypeError, ValueError):
        return name


def entry(module_name: str, name: str, value) -> str:
    if inspect.isclass(value) or callable(value):
        kind = "class" if inspect.isclass(value) else "function"
        return f"#### `{module_name}.{signature(name, value)}`\n\n*{kind}* — {summary(value)}\n"
    if inspect.ismodule(value):
        return f"#### `{module_name}.{name}`\n\n*module* — {summary(value)}\n"
    return f"#### `{module_name}.{name}`\n\n*value* `{value!r}`\n"


def build() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    parts = ["# API reference", "",
             "Generated from the docstrings by `python docs/make_api.py`; the names follow PyTorch's. ",
             ""]
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        parts += [f"## `{module_name}`", "", summary(module), ""]
        for name in public_names(module):
            parts.append(entry(module_name, name, getattr(module, name)))
    return "\n".join(parts)


if __name__ == "__main__":
    target = Path(__file__).with_name("api.md")
    target.write_text(build())
    print("wrote", target)
