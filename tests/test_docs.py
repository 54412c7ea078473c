"""The docs run: every code block of docs/*.md and README.md, and the tutorial notebook's cells."""

from __future__ import annotations

import json
import os
import re
import runpy
from pathlib import Path

import pytest

from .conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```\n", re.S | re.M)


def blocks(path: Path) -> list[str]:
    return [match.group(1) for match in BLOCK.finditer(path.read_text())]


def run_blocks(sources: list[str], folder: Path, name: str) -> dict:
    """Run code in order in one namespace, in `folder` (pictures the docs write land there)."""
    namespace: dict = {"__name__": "__docs__"}
    previous = Path.cwd()
    os.chdir(folder)
    try:
        for number, source in enumerate(sources):
            exec(compile(source, f"{name} block {number + 1}", "exec"), namespace)
    finally:
        os.chdir(previous)
    return namespace


@pytest.mark.parametrize("page", ["custom_function.md", "homework_conventions.md", "guide.md"])
def test_code_in_the_docs_runs(page, tmp_path, capsys):
    sources = blocks(DOCS / page)
    if page == "guide.md":  # the guide's blocks are fragments about a model defined elsewhere: compile them
        for source in sources:
            compile(source, page, "exec")
        return
    assert sources
    run_blocks(sources, tmp_path, page)


@pytest.mark.parametrize("number", [0, 1])
def test_each_readme_block_runs_on_its_own(number, tmp_path):
    sources = blocks(ROOT / "README.md")
    assert len(sources) >= 2
    run_blocks([sources[number]], tmp_path, f"README block {number + 1}")


def test_the_notebook_is_the_tutorial_and_its_cells_run(tmp_path, capsys):
    maker = runpy.run_path(str(DOCS / "make_notebook.py"), run_name="docs")
    notebook_text = (DOCS / "tutorial.ipynb").read_text()
    assert notebook_text == maker["render"]((DOCS / "tutorial.md").read_text()), \
        "docs/tutorial.ipynb is stale: run python docs/make_notebook.py"
    notebook = json.loads(notebook_text)
    assert notebook["nbformat"] == 4 and all("id" in cell for cell in notebook["cells"])
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert any("explanation.graph" in source for source in code)
    mnist_cell = next(i for i, source in enumerate(code) if 'load_dataset("mnist"' in source)
    mnist = SHARED_DATA / "mnist"
    if mnist.exists():
        (tmp_path / "data").symlink_to(mnist, target_is_directory=True)
        namespace = run_blocks(code, tmp_path, "tutorial.ipynb")
        assert namespace["accuracy"] > 0.7
    else:
        namespace = run_blocks(code[:mnist_cell], tmp_path, "tutorial.ipynb")
    assert namespace["explanation"].graph is not None and (tmp_path / "digits_curves.png").exists()
    if not mnist.exists():
        pytest.skip(f"the tutorial's MNIST cell needs {mnist}")


def test_the_docs_never_point_outside_the_repository():
    for page in [*DOCS.glob("*.md"), ROOT / "README.md"]:
        text = page.read_text()
        assert "shared/API.md" not in text, page
        for target in re.findall(r"\]\(([^)]+)\)", text):
            if target.startswith(("http://", "https://", "#")):
                continue
            assert (page.parent / target.split("#")[0]).resolve().is_relative_to(ROOT), (page, target)
            assert (page.parent / target.split("#")[0]).exists(), (page, target)
    if (DOCS / "results.md").exists():
        assert "../shared" not in (DOCS / "results.md").read_text()


def test_the_api_reference_is_generated_from_the_docstrings_and_names_only_what_exists():
    maker = runpy.run_path(str(DOCS / "make_api.py"), run_name="docs")
    generated = maker["build"]()
    assert "## `tinygrad_hw.nn`" in generated and "tinygrad_hw.autograd.explain(" in generated
    import importlib

    written = (DOCS / "api.md").read_text()
    for module_name, name in re.findall(r"^#### `([\w.]+?)\.(\w+)[(`]", written, re.M):
        assert hasattr(importlib.import_module(module_name), name), \
            f"docs/api.md names {module_name}.{name}, which no longer exists: run python docs/make_api.py"
