"""The report of a reproduction run: `report.md` and a self-contained `report.html`.

Each experiment is a `Section`: what it is ("softmax regression, learning-rate sweep"), the
homework question beside it ("uwimg 5.2.2.2"), a table whose columns may include what the
homework (or its students) reported next to what we measured, notes, pictures, and the time it
took. The HTML embeds every picture as base64 PNG, so the one file can be mailed or opened
anywhere; the Markdown links the PNG files beside it.

>>> write_report([Section("softmax regression", "uwimg 5.2.2", ["rate", "test"], [[0.1, 0.92]])], "out")
"""

from __future__ import annotations

import base64
import html
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Section:
    """One experiment of a reproduction, as the report shows it."""

    title: str                      # what it is: "softmax regression, learning-rate sweep"
    question: str = ""              # where the homework asks it: "uwimg 5.2.2.2"
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)     # lines of text (printed tables, Δ tables, remarks)
    pictures: list = field(default_factory=list)  # PNG paths
    seconds: float = 0.0
    reproduction: str = ""          # filled in by the runner: "uwimg"

    def heading(self) -> str:
        return f"{self.title} ({self.question})" if self.question else self.title

    def text_table(self) -> str:
        """The table as aligned plain text, for the terminal."""
        if not self.headers:
            return ""
        cells = [[str(h) for h in self.headers]] + [[_cell(value) for value in row] for row in self.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.headers))]
        lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in cells]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines)


def _cell(value) -> str:
    """One table cell on one line (a matrix's rows joined), floats to 4 decimals."""
    if isinstance(value, float):
        if value != value:
            return "NaN"
        return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
    return "" if value is None else " ".join(str(value).split())


def _markdown_table(section: Section) -> list[str]:
    if not section.headers:
        return []
    escape = lambda text: text.replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(escape(str(h)) for h in section.headers) + " |",
             "| " + " | ".join("---" for _ in section.headers) + " |"]
    lines += ["| " + " | ".join(escape(_cell(v)) for v in row) + " |" for row in section.rows]
    return lines + [""]


def write_markdown(sections: list[Section], path: Path, command: str, total_seconds: float) -> Path:
    lines = ["# tinygrad_hw reproductions", "",
             f"Command: `{command}`  ", f"Ran {time.strftime('%Y-%m-%d %H:%M')} on {platform.node() or 'this machine'} "
             f"({platform.machine()}, Python {platform.python_version()}) in {total_seconds:.1f} s.", "",
             "| reproduction | experiment | question | seconds |", "| --- | --- | --- | ---: |"]
    lines += [f"| {s.reproduction} | {s.title} | {s.question} | {s.seconds:.1f} |" for s in sections]
    lines.append("")
    current = None
    for section in sections:
        if section.reproduction != current:
            current = section.reproduction
            lines += [f"## {current}", ""]
        lines += [f"### {section.heading()}", "", f"_{section.seconds:.1f} s_", ""]
        lines += _markdown_table(section)
        if section.notes:
            lines += ["```text", *section.notes, "```", ""]
        for picture in section.pictures:
            relative = Path(picture).relative_to(path.parent) if Path(picture).is_relative_to(path.parent) \
                else Path(picture)
            lines += [f"![{Path(picture).stem}]({relative.as_posix()})", ""]
    path.write_text("\n".join(lines))
    return path


STYLE = """body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}pre{background:#f7f7f7;padding:.6em;
overflow-x:auto}img{max-width:100%;border:1px solid #eee;margin:.3em 0}.time{color:#777;font-size:90%}"""


def write_html(sections: list[Section], path: Path, command: str, total_seconds: float) -> Path:
    """One self-contained page: every picture embedded as a base64 PNG."""
    e = html.escape
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>tinygrad_hw reproductions</title>",
             f"<style>{STYLE}</style></head><body><h1>tinygrad_hw reproductions</h1>",
             f"<p>Command: <code>{e(command)}</code><br>Ran {e(time.strftime('%Y-%m-%d %H:%M'))} "
             f"in {total_seconds:.1f} s.</p>",
             "<table><tr><th>reproduction</th><th>experiment</th><th>question</th><th>seconds</th></tr>"]
    parts += [f"<tr><td>{e(s.reproduction)}</td><td>{e(s.title)}</td><td>{e(s.question)}</td>"
              f"<td>{s.seconds:.1f}</td></tr>" for s in sections]
    parts.append("</table>")
    current = None
    for section in sections:
        if section.reproduction != current:
            current = section.reproduction
            parts.append(f"<h2>{e(current)}</h2>")
        parts.append(f"<h3>{e(section.heading())}</h3><p class='time'>{section.seconds:.1f} s</p>")
        if section.headers:
            parts.append("<table><tr>" + "".join(f"<th>{e(str(h))}</th>" for h in section.headers) + "</tr>")
            parts += ["<tr>" + "".join(f"<td>{e(_cell(v))}</td>" for v in row) + "</tr>" for row in section.rows]
            parts.append("</table>")
        if section.notes:
            parts.append(f"<pre>{e(chr(10).join(section.notes))}</pre>")
        for picture in section.pictures:
            encoded = base64.b64encode(Path(picture).read_bytes()).decode("ascii")
            parts.append(f"<p><img alt='{e(Path(picture).stem)}' src='data:image/png;base64,{encoded}'></p>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts))
    return path


def write_report(sections: list[Section], out: str | Path, command: str = "tinygrad-hw reproduce",
                 total_seconds: float | None = None) -> tuple[Path, Path]:
    """Write `report.md` and `report.html` into `out`; returns both paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    total = sum(s.seconds for s in sections) if total_seconds is None else total_seconds
    return (write_markdown(sections, out / "report.md", command, total),
            write_html(sections, out / "report.html", command, total))
