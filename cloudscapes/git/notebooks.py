"""Cell-aware diff of two versions of a notebook: :func:`notebook_diff`.

A line diff of ``.ipynb`` JSON shows a learner braces, escaped quotes and base64
images; what changed is "this cell's code, that cell's output". So both versions are
read as JSON (no nbformat needed: the parts used are ``cells``, each cell's
``cell_type``, ``source``, ``outputs``, ``execution_count``, ``metadata``, ``id``), the
cells of one version are matched to the other's, and each pair is compared:

- cells are matched by ``id`` first (nbformat 4.5 gives every cell one; a cell that was
  moved keeps it), then, among the rest, by their place in the sequence of sources
  (``difflib.SequenceMatcher``: equal runs first), and what is left in each changed
  run is paired with its most similar cell when the sources are at least
  :data:`SIMILAR` alike; unpaired cells were added or removed;
- a pair is ``unchanged`` when nothing differs, else ``modified``, with the source's
  hunks (:func:`~cloudscapes.git.hunks.unified_hunks`) and whether the outputs
  (including the execution count) or the cell's metadata changed. Outputs are compared,
  never sent: an image output stays on the server.

A version that is not a notebook (not JSON, no ``cells`` list: a broken file, or
nbformat 3) raises :class:`NotANotebook`; the caller falls back to a text diff.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from .hunks import unified_hunks

#: Least similarity (difflib ratio of the sources) for two cells in a changed run to be
#: shown as one modified cell rather than one removed and one added.
SIMILAR = 0.5

#: Largest changed run (old cells times new cells) whose cells are compared pairwise.
MAX_PAIRINGS = 10_000

#: Characters of cell sources the pairing may compare in one diff (each comparison
#: costs about the product of two sources' lengths: 10,000 pairs of 3,000-character
#: cells took 17 s). Past it, the cells left unpaired show as removed and added.
PAIRING_BUDGET = 2_000_000


class NotANotebook(ValueError):
    """The text is not a notebook this diff can read (the caller shows a text diff)."""


def read_cells(text: str | None) -> tuple[list[dict[str, Any]], Any]:
    """``(cells, metadata)`` of a notebook's JSON text; ``None`` (the file does not
    exist on that side) is an empty notebook."""
    if text is None:
        return [], {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise NotANotebook("not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotANotebook("no cells")
    cells = []
    for cell in data["cells"]:
        if not isinstance(cell, dict):
            raise NotANotebook("a cell is not an object")
        cells.append(cell)
    return cells, data.get("metadata", {})


def cell_source(cell: dict[str, Any]) -> str:
    """A cell's source as one text (nbformat allows a string or a list of lines)."""
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def cell_id(cell: dict[str, Any]) -> str | None:
    value = cell.get("id")
    return value if isinstance(value, str) and value else None


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def outputs_of(cell: dict[str, Any]) -> str:
    """What the cell printed, comparable: outputs and execution count."""
    return _canonical([cell.get("outputs", []), cell.get("execution_count")])


def match_cells(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[int, int]:
    """``{old index: new index}`` of the cells that are one cell in two versions."""
    pairs: dict[int, int] = {}
    old_ids = [cell_id(c) for c in old]
    new_ids = [cell_id(c) for c in new]
    new_by_id = {i: n for n, i in enumerate(new_ids) if i is not None}
    unique_old = {i for i in old_ids if i is not None and old_ids.count(i) == 1}
    unique_new = {i for i in new_ids if i is not None and new_ids.count(i) == 1}
    for o, ident in enumerate(old_ids):
        if ident in unique_old and ident in unique_new:
            pairs[o] = new_by_id[ident]
    taken = set(pairs.values())
    rest_old = [o for o in range(len(old)) if o not in pairs]
    rest_new = [n for n in range(len(new)) if n not in taken]
    old_src = [cell_source(old[o]) for o in rest_old]
    new_src = [cell_source(new[n]) for n in rest_new]
    matcher = difflib.SequenceMatcher(None, old_src, new_src, autojunk=False)
    budget = [PAIRING_BUDGET]
    for tag, o1, o2, n1, n2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(o2 - o1):
                pairs[rest_old[o1 + k]] = rest_new[n1 + k]
        elif tag == "replace":
            _pair_similar(rest_old[o1:o2], rest_new[n1:n2], old, new, pairs, budget)
    return pairs


def _pair_similar(
    olds: list[int],
    news: list[int],
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    pairs: dict[int, int],
    budget: list[int],
) -> None:
    """Pair, in order, each old cell of a changed run with the most similar new cell
    after the last one paired (so pairs never cross), if similar enough, while the
    ``budget`` of characters compared (:data:`PAIRING_BUDGET`, shared by the runs of
    one diff) lasts."""
    if len(olds) * len(news) > MAX_PAIRINGS:
        return  # a notebook rewritten wholesale: shown as removed and added cells
    start = 0
    for o in olds:
        source = cell_source(old[o])
        best, best_ratio = None, SIMILAR
        for k in range(start, len(news)):
            candidate = new[news[k]]
            if candidate.get("cell_type") != old[o].get("cell_type"):
                continue
            other = cell_source(candidate)
            matcher = difflib.SequenceMatcher(None, source, other)
            # the cheap upper bounds first: most candidates end there
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            budget[0] -= len(source) + len(other)
            if budget[0] < 0:
                return  # enough work: the rest shows as removed and added cells
            ratio = matcher.ratio()
            if ratio >= best_ratio and (best is None or ratio > best_ratio):
                best, best_ratio = k, ratio
        if best is not None:
            pairs[o] = news[best]
            start = best + 1


def _cell_model(
    status: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> dict[str, Any]:
    old_source = cell_source(old) if old is not None else None
    new_source = cell_source(new) if new is not None else None
    either = new if new is not None else old
    assert either is not None
    cell_type = either.get("cell_type")
    return {
        "status": status,
        "cell_type": cell_type if isinstance(cell_type, str) else "code",
        "old_source": old_source,
        "new_source": new_source,
        "hunks": unified_hunks(old_source or "", new_source or ""),
        "outputs_changed": (old is None or new is None or outputs_of(old) != outputs_of(new))
        and bool(_has_outputs(old) or _has_outputs(new)),
        "metadata_changed": old is not None
        and new is not None
        and _canonical(old.get("metadata", {})) != _canonical(new.get("metadata", {})),
    }


def _has_outputs(cell: dict[str, Any] | None) -> bool:
    return cell is not None and bool(cell.get("outputs") or cell.get("execution_count"))


def notebook_diff(old_text: str | None, new_text: str | None) -> dict[str, Any]:
    """``{cells: [...], metadata_changed}`` between two notebook texts (``None``: the
    side does not exist). Cells come in the new version's order; a removed cell comes
    right after the cell that preceded it in the old version. Raises
    :class:`NotANotebook` when a side is not one."""
    old, old_meta = read_cells(old_text)
    new, new_meta = read_cells(new_text)
    pairs = match_cells(old, new)
    # where each removed cell goes: after the new cell of the last paired old cell
    # before it (-1: at the start)
    removed_after: dict[int, list[int]] = {}
    anchor = -1
    for o in range(len(old)):
        if o in pairs:
            anchor = pairs[o]
        else:
            removed_after.setdefault(anchor, []).append(o)
    by_new = {n: o for o, n in pairs.items()}
    cells = [_cell_model("removed", old[o], None) for o in removed_after.get(-1, [])]
    for n, cell in enumerate(new):
        if n in by_new:
            before = old[by_new[n]]
            same = (
                cell_source(before) == cell_source(cell)
                and before.get("cell_type") == cell.get("cell_type")
                and outputs_of(before) == outputs_of(cell)
                and _canonical(before.get("metadata", {})) == _canonical(cell.get("metadata", {}))
            )
            cells.append(_cell_model("unchanged" if same else "modified", before, cell))
        else:
            cells.append(_cell_model("added", None, cell))
        cells.extend(_cell_model("removed", old[o], None) for o in removed_after.get(n, []))
    both = old_text is not None and new_text is not None
    return {
        "cells": cells,
        "metadata_changed": both and _canonical(old_meta) != _canonical(new_meta),
    }
