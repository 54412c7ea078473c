"""Every public module imports first, on its own, in a fresh interpreter (no import-order cycles)."""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tinygrad_hw

ROOT = Path(tinygrad_hw.__file__).resolve().parents[1]


def _public_modules() -> list[str]:
    names = ["tinygrad_hw"]
    for module in pkgutil.walk_packages(tinygrad_hw.__path__, "tinygrad_hw."):
        if not any(part.startswith("_") for part in module.name.split(".")):
            names.append(module.name)
    return sorted(names)


def test_the_walk_finds_the_engine_and_the_layers():
    modules = _public_modules()
    for expected in ("tinygrad_hw.tensor", "tinygrad_hw.autograd.function", "tinygrad_hw.autograd.engine",
                     "tinygrad_hw.ops.reductions", "tinygrad_hw.nn.functional", "tinygrad_hw.optim"):
        assert expected in modules
    assert len(modules) > 30


def _import_alone(name: str) -> str | None:
    """None, or the last line of the error of `import name` in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    if result.returncode == 0:
        return None
    return result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"


def test_every_public_module_imports_first_in_a_fresh_interpreter():
    modules = _public_modules()
    with ThreadPoolExecutor(max_workers=4) as pool:  # one interpreter per module, a few at a time
        errors = dict(zip(modules, pool.map(_import_alone, modules)))
    assert not {name: error for name, error in errors.items() if error}, errors


def test_the_engine_walk_imports_nothing_of_the_package():
    tree = ast.parse((ROOT / "tinygrad_hw" / "autograd" / "engine.py").read_text())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
                 if alias.name.startswith("tinygrad_hw")]
    assert imported == []
