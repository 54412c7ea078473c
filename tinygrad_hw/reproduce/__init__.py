"""`tinygrad-hw reproduce`: the homeworks' and lectures' experiments, with a report.

One module per reproduction: `slides` (the lecture's worked backprop example), `lectures`
(losses, gradient descent, momentum, schedules, the 20-line net, the AND neuron, logistic
regression), `uwimg` (the UW classifier homework) and `fman45` (the Lund CNN assignment). Each
gives `experiments(config)`: a list of (what it is, the homework question, function); `run`
times them with a progress bar, prints their tables once, and `report.write_report` writes
`report.md` and a self-contained `report.html`.

>>> sections = run(["lectures"], Config(out=Path("runs/reproduce"), quick=True))
>>> write_report(sections, "runs/reproduce")
"""

from __future__ import annotations

import time
from pathlib import Path

from tqdm import tqdm

from . import fman45, lectures, slides, uwimg
from .common import Config, load_dataset
from .report import Section, write_report

REPRODUCTIONS = {"slides": slides, "lectures": lectures, "uwimg": uwimg, "fman45": fman45}

__all__ = ["Config", "REPRODUCTIONS", "Section", "load_dataset", "run", "write_report"]


def run(names: list[str], config: Config, echo=print) -> list[Section]:
    """Run the named reproductions' experiments; each comes back as a timed, filled `Section`."""
    jobs = [(name, *experiment) for name in names for experiment in REPRODUCTIONS[name].experiments(config)]
    sections = []
    with tqdm(jobs, desc="reproduce", unit="experiment", disable=not config.progress) as bar:
        for name, title, question, function in bar:
            bar.set_postfix_str(f"{name}: {title}")
            section = Section(title, question, reproduction=name)
            start = time.perf_counter()
            function(config, section)
            section.seconds = time.perf_counter() - start
            sections.append(section)
            text = [f"\n== {name}: {section.heading()}  [{section.seconds:.1f} s]"]
            text += [section.text_table()] if section.headers else []
            text += section.notes
            (bar.write if config.progress else echo)("\n".join(text))
    return sections
