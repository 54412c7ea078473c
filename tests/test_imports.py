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


def _run_alone(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def _import_alone(name: str) -> str | None:
    """None, or the last line of the error of `import name` in a fresh interpreter."""
    result = _run_alone(f"import {name}")
    if result.returncode == 0:
        return None
    return result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"


# Modules the import cycle broke when imported first; each gets its own interpreter below.
FIRST_IMPORTS = ["tinygrad_hw.autograd.function", "tinygrad_hw.autograd.engine", "tinygrad_hw.ops.shape",
                 "tinygrad_hw.tensor", "tinygrad_hw.dtypes", "tinygrad_hw.nn.functional"]


def test_every_public_module_imports_first_in_a_fresh_interpreter():
    """`import tinygrad_hw.x` always runs the package's `__init__` first, so importing first any
    module that `import tinygrad_hw` loads ends in the same state as importing the package: one
    interpreter checks all of those at once; every other public module (cli, plot, ...) and the
    FIRST_IMPORTS get an interpreter each."""
    result = _run_alone("import sys, tinygrad_hw; print(*(m for m in sys.modules if m.startswith('tinygrad_hw')))")
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    modules = _public_modules()
    alone = sorted({name for name in modules if name not in loaded} | set(FIRST_IMPORTS))
    assert len(loaded & set(modules)) > 30
    with ThreadPoolExecutor(max_workers=2) as pool:
        errors = dict(zip(alone, pool.map(_import_alone, alone)))
    assert not {name: error for name, error in errors.items() if error}, errors


def test_the_engine_walk_imports_nothing_of_the_package():
    tree = ast.parse((ROOT / "tinygrad_hw" / "autograd" / "engine.py").read_text())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
                 if alias.name.startswith("tinygrad_hw")]
    assert imported == []
