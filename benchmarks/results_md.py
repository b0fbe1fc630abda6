"""benchmarks/RESULTS.md: one ``## `` section per benchmark, each replaced by its heading.

A benchmark calls :func:`write_section` with its heading and body; the file is then
rewritten whole: the standard header, every other benchmark's section as it was, and
this one's new section in its old place (or at the end the first time).
"""

from __future__ import annotations

import os
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

HEADER = """\
# Benchmark results

Generated: `make bench` regenerates this file by running the scripts in `benchmarks/`
(see `benchmarks/README.md`). Each benchmark rewrites only its own `## ` section, so
edits by hand are lost on the next run.
"""


def split_sections(text: str) -> list[tuple[str, str]]:
    """``(heading, section text)`` of each ``## `` section; text before the first is dropped.

    Lines inside fenced code blocks never start a section.
    """
    sections: list[tuple[str, list[str]]] = []
    in_fence = False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            sections.append((line[3:].strip(), []))
        if sections:
            sections[-1][1].append(line)
    return [(heading, "".join(lines)) for heading, lines in sections]


def render(sections: list[tuple[str, str]]) -> str:
    parts = [HEADER, *(text.strip() + "\n" for _, text in sections)]
    return "\n".join(parts)


def write_section(heading: str, body: str, path: Path = RESULTS) -> None:
    """Replace (or append) the section ``## {heading}`` and rewrite the whole file."""
    sections = split_sections(path.read_text(encoding="utf-8")) if path.exists() else []
    new = (heading, f"## {heading}\n\n{body.strip()}\n")
    if any(name == heading for name, _ in sections):
        sections = [new if name == heading else (name, text) for name, text in sections]
    else:
        sections.append(new)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(render(sections), encoding="utf-8")
    os.replace(partial, path)
