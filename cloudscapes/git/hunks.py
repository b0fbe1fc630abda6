"""Unified-diff text as the data the diff view shows: :func:`parse_hunks`.

``git diff`` prints hunks; the panel shows them line by line, with each line's number
on the old and the new side, so the browser never parses a diff and never has to
guess what a ``+`` at the start of a line means. The notebook diff builds its per-cell
hunks with :func:`unified_hunks` (difflib, no git process per cell) and reads them
back with the same parser, so text and notebook hunks have one shape.

Everything here is pure: text in, lists of dicts out (the REST model of
``schema/git-history.yaml``, ``Hunk``).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

#: ``@@ -old_start[,old_lines] +new_start[,new_lines] @@ section``
HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$")

#: What git prints after a line that has no newline at the end of the file.
NO_EOL = "\\ No newline at end of file"

#: One line with its ``\\n``, or the last line without one.
LINES = re.compile(r"[^\n]*\n|[^\n]+\Z")


def parse_hunks(text: str) -> list[dict[str, Any]]:
    """The hunks of one file's unified diff (``git diff`` output of one file, or any
    text holding ``@@`` headers): ``[{header, old_start, old_lines, new_start,
    new_lines, lines: [{kind: context|add|del, text, old, new, no_eol}]}]``.

    Lines before the first ``@@`` (``diff --git``, ``index``, ``---``/``+++``) are
    skipped. ``old``/``new`` are the line's numbers on each side (``None`` on the side
    it is not on). ``no_eol`` marks the line git flagged with "\\ No newline at end of
    file". A header without its lines, or lines past the counts the header gave, end
    the hunk: the parser never reads the next file's header as content.
    """
    hunks: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    old_left = new_left = 0
    old_no = new_no = 0
    for raw in text.split("\n"):
        match = HUNK_HEADER.match(raw)
        if match:
            old_start, old_lines, new_start, new_lines = (
                int(match.group(1)),
                int(match.group(2)) if match.group(2) is not None else 1,
                int(match.group(3)),
                int(match.group(4)) if match.group(4) is not None else 1,
            )
            current = {
                "header": raw,
                "old_start": old_start,
                "old_lines": old_lines,
                "new_start": new_start,
                "new_lines": new_lines,
                "lines": [],
            }
            hunks.append(current)
            old_left, new_left = old_lines, new_lines
            # a side of 0 lines starts "after line N": its first line is N+1 anyway
            old_no = old_start if old_lines else old_start + 1
            new_no = new_start if new_lines else new_start + 1
            continue
        if current is None:
            continue
        if raw.startswith("\\"):
            if current["lines"]:
                current["lines"][-1]["no_eol"] = True
            continue
        if old_left <= 0 and new_left <= 0:
            current = None  # past the counts: not this hunk's any more
            continue
        mark, body = raw[:1], raw[1:]
        if mark == " " or (mark == "" and old_left > 0 and new_left > 0):
            # (an empty line inside a hunk: a context line whose space was stripped)
            line = {"kind": "context", "text": body, "old": old_no, "new": new_no}
            old_no, new_no = old_no + 1, new_no + 1
            old_left, new_left = old_left - 1, new_left - 1
        elif mark == "-" and old_left > 0:
            line = {"kind": "del", "text": body, "old": old_no, "new": None}
            old_no, old_left = old_no + 1, old_left - 1
        elif mark == "+" and new_left > 0:
            line = {"kind": "add", "text": body, "old": None, "new": new_no}
            new_no, new_left = new_no + 1, new_left - 1
        else:  # not a hunk line: the hunk is over
            current = None
            continue
        line["no_eol"] = False
        current["lines"].append(line)
    return hunks


def split_lines(text: str) -> list[str]:
    """``text``'s lines with their line ends (``"a\\nb"`` → ``["a\\n", "b"]``), split
    at ``\\n`` only, as git splits them (``str.splitlines`` would also split at form
    feeds, lone CRs and Unicode line separators)."""
    return LINES.findall(text)


def unified_hunks(old: str, new: str, context: int = 3) -> list[dict[str, Any]]:
    """The hunks between two texts, as :func:`parse_hunks` gives them for git's
    output (difflib's unified diff; a last line without newline is flagged
    ``no_eol`` as git does)."""
    if old == new:
        return []
    text_lines: list[str] = []
    diff = difflib.unified_diff(split_lines(old), split_lines(new), lineterm="", n=context)
    for number, line in enumerate(diff):
        if number < 2:  # the "--- " and "+++ " lines
            continue
        if line.startswith("@@"):
            text_lines.append(line)
        elif line.endswith("\n"):  # each line keeps its own end; a CR stays in the text
            text_lines.append(line[:-1])
        else:  # the last line of a text without a newline at its end
            text_lines.extend((line, NO_EOL))
    return parse_hunks("\n".join(text_lines))
