"""docs/coming_from_pytorch.md lists every public name, and only names that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tinygrad_hw as thw

PAGE = Path(__file__).resolve().parents[1] / "docs" / "coming_from_pytorch.md"


def _table_names(heading: str) -> list[str]:
    """The names in the first column of the table under `## heading`."""
    section = PAGE.read_text().split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def _public(namespace) -> set[str]:
    return {name for name in dir(namespace) if not name.startswith("_")}


@pytest.mark.parametrize("heading, namespace", [("Top-level namespace", thw), ("Tensor methods and attributes",
                                                                                thw.Tensor)])
def test_table_matches_the_code(heading, namespace):
    listed = _table_names(heading)
    assert len(listed) == len(set(listed)), f"names listed twice under '{heading}'"
    missing = sorted(_public(namespace) - set(listed))
    gone = sorted(set(listed) - _public(namespace))
    rows = "\n".join(f"| `{name}` | — |" for name in missing)
    assert not missing, f"add these rows to '{heading}' in {PAGE.name} (with how each differs from torch):\n{rows}"
    assert not gone, f"these names in '{heading}' of {PAGE.name} no longer exist: {gone}"


def test_sections_for_the_rest_of_the_surface_exist():
    text = PAGE.read_text()
    for heading in ("What is in scope", "nn", "optim", "utils.data", "vision"):
        assert f"\n## {heading}\n" in text


def test_the_page_shows_the_import_swap():
    assert "import tinygrad_hw as torch" in PAGE.read_text()
