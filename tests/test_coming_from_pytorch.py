"""docs/coming_from_pytorch.md lists every public name, and only names that exist."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[1] / "docs" / "coming_from_pytorch.md"


def _table_names(heading: str) -> list[str]:
    """The names in the first column of the table under `## heading`."""
    section = PAGE.read_text().split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def _public_names() -> dict[str, set[str]]:
    """What `import tinygrad_hw` alone gives (a fresh interpreter: other tests import more
    submodules, which Python then adds to the package's namespace)."""
    code = ("import json, tinygrad_hw as t; print(json.dumps([[n for n in dir(t) if not n.startswith('_')], "
            "[n for n in dir(t.Tensor) if not n.startswith('_')]]))")
    root = str(PAGE.parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                            env=env).stdout
    top, methods = json.loads(output)
    return {"Top-level namespace": set(top), "Tensor methods and attributes": set(methods)}


@pytest.fixture(scope="module")
def public_names():
    return _public_names()


@pytest.mark.parametrize("heading", ["Top-level namespace", "Tensor methods and attributes"])
def test_table_matches_the_code(heading, public_names):
    listed = _table_names(heading)
    assert len(listed) == len(set(listed)), f"names listed twice under '{heading}'"
    missing = sorted(public_names[heading] - set(listed))
    gone = sorted(set(listed) - public_names[heading])
    rows = "\n".join(f"| `{name}` | — |" for name in missing)
    assert not missing, f"add these rows to '{heading}' in {PAGE.name} (with how each differs from torch):\n{rows}"
    assert not gone, f"these names in '{heading}' of {PAGE.name} no longer exist: {gone}"


def test_sections_for_the_rest_of_the_surface_exist():
    text = PAGE.read_text()
    for heading in ("What is in scope", "nn", "optim", "utils.data", "vision"):
        assert f"\n## {heading}\n" in text


def test_the_page_shows_the_import_swap():
    assert "import tinygrad_hw as torch" in PAGE.read_text()


@pytest.mark.parametrize(("heading", "module"), [("nn", "tinygrad_hw.nn"), ("optim", "tinygrad_hw.optim"),
                                                 ("utils.data", "tinygrad_hw.utils.data"),
                                                 ("vision", "tinygrad_hw.vision")])
def test_names_in_the_library_sections_exist(heading, module):
    import importlib
    import re
    section = PAGE.read_text().split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    namespaces = [importlib.import_module(module)]
    for sub in ("functional", "init", "utils", "lr_scheduler", "datasets", "transforms"):
        try:
            namespaces.append(importlib.import_module(f"{module}.{sub}"))
        except ImportError:
            pass
    namespaces += [getattr(namespaces[0], cls) for cls in ("Module", "Optimizer") if hasattr(namespaces[0], cls)]
    names = {name for name in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", section)}
    names -= {"torch", "torchvision", "cuda", "padding_mode", "sparse", "scale_grad_by_freq", "proj_size",
              "add_bias_kv", "add_zero_attn", "antialias", "inplace", "foreach", "fused", "capturable",
              "differentiable", "get_batch", "generator", "num_workers", "update", "approximate", "erf", "grad_fn",
              "MeanBackward0", "MseLossBackward0", "ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad",
              "CircularPad"}
    missing = sorted(name for name in names if not any(hasattr(namespace, name) for namespace in namespaces))
    assert not missing, f"{PAGE.name} '{heading}' names what the library lacks: {missing}"
