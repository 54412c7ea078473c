"""Write docs/tutorial.ipynb from docs/tutorial.md: prose as Markdown cells, ```python blocks as code cells.

Run:  python docs/make_notebook.py        (tests/test_docs.py checks the two stay the same)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

BLOCK = re.compile(r"^```python\n(.*?)^```\n", re.S | re.M)


def cells(markdown: str) -> list[dict]:
    """Alternating Markdown and code cells, in the page's order."""
    result, position = [], 0
    for match in BLOCK.finditer(markdown):
        prose = markdown[position:match.start()].strip()
        if prose:
            result.append({"cell_type": "markdown", "metadata": {}, "source": prose.splitlines(keepends=True)})
        result.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                       "source": match.group(1).rstrip("\n").splitlines(keepends=True)})
        position = match.end()
    rest = markdown[position:].strip()
    if rest:
        result.append({"cell_type": "markdown", "metadata": {}, "source": rest.splitlines(keepends=True)})
    return result


def notebook(markdown: str) -> dict:
    return {"cells": cells(markdown),
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def render(markdown: str) -> str:
    book = notebook(markdown)
    for number, cell in enumerate(book["cells"]):
        cell["id"] = f"cell-{number}"
    return json.dumps(book, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    folder = Path(__file__).parent
    (folder / "tutorial.ipynb").write_text(render((folder / "tutorial.md").read_text()))
    print("wrote", folder / "tutorial.ipynb")
