"""The pure halves of the diff view: git's unified diff read as lines with their
numbers (checked against real ``git diff`` output), and the cell-aware notebook diff
(cells matched by id, then by source; outputs compared, never sent)."""

from __future__ import annotations

import json
import random
import subprocess
import time
from pathlib import Path

import pytest

from cloudscapes.git.hunks import parse_hunks, split_lines, unified_hunks
from cloudscapes.git.notebooks import NotANotebook, notebook_diff


def git_diff(tmp_path: Path, old: str, new: str) -> str:
    """Real ``git diff --no-index`` output between two texts."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(old.encode())
    b.write_bytes(new.encode())
    done = subprocess.run(
        ["git", "diff", "--no-index", "--no-color", "--no-ext-diff", "-U3", "--", str(a), str(b)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    return done.stdout.decode()


def flat(hunks: list[dict]) -> list[tuple]:
    return [
        (
            h["header"].split(" @@")[0],
            [(li["kind"], li["text"], li["old"], li["new"], li["no_eol"]) for li in h["lines"]],
        )
        for h in hunks
    ]


def test_git_hunks_read_with_line_numbers(tmp_path: Path) -> None:
    old = "".join(f"line {n}\n" for n in range(1, 31))
    new = (
        old.replace("line 2\n", "line two\n")
        .replace("line 25\n", "")
        .replace("line 28\n", "line 28\n-- not a header\n+++ neither\n")
    )
    hunks = parse_hunks(git_diff(tmp_path, old, new))
    assert [h["old_start"] for h in hunks] == [1, 22]
    first = hunks[0]
    assert (first["old_lines"], first["new_start"], first["new_lines"]) == (5, 1, 5)
    assert [(li["kind"], li["text"], li["old"], li["new"]) for li in first["lines"][:3]] == [
        ("context", "line 1", 1, 1),
        ("del", "line 2", 2, None),
        ("add", "line two", None, 2),
    ]
    second = hunks[1]
    texts = [(li["kind"], li["text"]) for li in second["lines"]]
    assert ("del", "line 25") in texts
    # content that looks like a header is content
    assert ("add", "-- not a header") in texts and ("add", "+++ neither") in texts
    assert second["lines"][-1]["new"] == 31 and second["lines"][-1]["old"] == 30


def test_no_newline_at_end_and_new_file(tmp_path: Path) -> None:
    hunks = parse_hunks(git_diff(tmp_path, "a\nb", "a\nc"))
    assert flat(hunks)[0][1] == [
        ("context", "a", 1, 1, False),
        ("del", "b", 2, None, True),
        ("add", "c", None, 2, True),
    ]
    created = parse_hunks(git_diff(tmp_path, "", "x\ny\n"))
    assert created[0]["old_start"] == 0 and created[0]["old_lines"] == 0
    assert [(li["new"], li["old"]) for li in created[0]["lines"]] == [(1, None), (2, None)]


def test_two_files_in_one_output_stay_apart() -> None:
    text = (
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"
        "diff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1,0 +2 @@\n+z\n"
    )
    hunks = parse_hunks(text)
    assert len(hunks) == 2
    assert [li["text"] for li in hunks[0]["lines"]] == ["a", "b"]
    assert hunks[1]["lines"] == [
        {"kind": "add", "text": "z", "old": None, "new": 2, "no_eol": False}
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\nb", "a\nb\n"),
        ("", "one\ntwo\n"),
        ("one\r\ntwo\r\n", "one\r\n2\r\n"),
        ("".join(f"{n}\n" for n in range(40)), "".join(f"{n}\n" for n in range(40) if n % 13)),
    ],
)
def test_difflib_hunks_match_gits(tmp_path: Path, old: str, new: str) -> None:
    """The notebook diff's hunks (difflib) have the shape git's have, line for line."""
    mine, gits = unified_hunks(old, new), parse_hunks(git_diff(tmp_path, old, new))
    assert [h["lines"] for h in mine] == [h["lines"] for h in gits]
    assert [h["old_start"] for h in mine] == [h["old_start"] for h in gits]


def test_lines_split_at_newlines_only() -> None:
    assert split_lines("a\x0cb\rc\u2028d\ne") == ["a\x0cb\rc\u2028d\n", "e"]
    assert unified_hunks("same", "same") == []


# ---- notebooks -------------------------------------------------------------------------


def cell(source, cell_type="code", ident=None, outputs=None, count=None, metadata=None):
    data = {"cell_type": cell_type, "metadata": metadata or {}, "source": source}
    if ident is not None:
        data["id"] = ident
    if cell_type == "code":
        data["outputs"] = outputs or []
        data["execution_count"] = count
    return data


def nb(*cells, metadata=None) -> str:
    return json.dumps(
        {"cells": list(cells), "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 5}
    )


def test_one_changed_cell_is_one_modified_cell() -> None:
    old = nb(
        cell("# Title", "markdown", "a"),
        cell(["import numpy as np\n", "x = np.arange(10)\n"], ident="b"),
        cell("print(x)", ident="c"),
    )
    new = nb(
        cell("# Title", "markdown", "a"),
        cell(["import numpy as np\n", "x = np.arange(20)\n"], ident="b"),
        cell("print(x)", ident="c"),
    )
    diff = notebook_diff(old, new)
    assert [c["status"] for c in diff["cells"]] == ["unchanged", "modified", "unchanged"]
    changed = diff["cells"][1]
    assert changed["old_source"].endswith("arange(10)\n")
    assert changed["new_source"].endswith("arange(20)\n")
    kinds = [(li["kind"], li["text"]) for li in changed["hunks"][0]["lines"]]
    assert kinds == [
        ("context", "import numpy as np"),
        ("del", "x = np.arange(10)"),
        ("add", "x = np.arange(20)"),
    ]
    assert not changed["outputs_changed"] and not changed["metadata_changed"]
    assert diff["metadata_changed"] is False


def test_moved_cell_matched_by_id_and_outputs_flagged_not_sent() -> None:
    image = {"output_type": "display_data", "data": {"image/png": "iVBORw0K" * 1000}}
    old = nb(cell("a = 1", ident="x"), cell("plot()", ident="y", outputs=[image], count=1))
    new = nb(
        cell("plot()", ident="y", outputs=[image], count=2),
        cell("a = 1", ident="x", metadata={"tags": ["t"]}),
    )
    diff = notebook_diff(old, new)
    assert [(c["status"], c["new_source"]) for c in diff["cells"]] == [
        ("modified", "plot()"),
        ("modified", "a = 1"),
    ]
    plot, first = diff["cells"]
    assert plot["outputs_changed"] and plot["hunks"] == [] and not plot["metadata_changed"]
    assert first["metadata_changed"] and not first["outputs_changed"]
    assert "iVBORw0K" not in json.dumps(diff)


def test_cells_without_ids_matched_by_source() -> None:
    old = nb(cell("one"), cell("two = 2\nthree = 3\n"), cell("gone"), cell("four"))
    new = nb(cell("one"), cell("two = 2\nthree = 33\n"), cell("four"), cell("brand new thing()"))
    diff = notebook_diff(old, new)
    assert [(c["status"], c["old_source"], c["new_source"]) for c in diff["cells"]] == [
        ("unchanged", "one", "one"),
        ("modified", "two = 2\nthree = 3\n", "two = 2\nthree = 33\n"),
        ("removed", "gone", None),
        ("unchanged", "four", "four"),
        ("added", None, "brand new thing()"),
    ]
    assert diff["cells"][2]["hunks"][0]["lines"] == [
        {"kind": "del", "text": "gone", "old": 1, "new": None, "no_eol": True}
    ]


def test_new_notebook_and_notebook_metadata() -> None:
    diff = notebook_diff(None, nb(cell("x", "markdown")))
    assert [c["status"] for c in diff["cells"]] == ["added"]
    assert diff["metadata_changed"] is False
    changed = notebook_diff(
        nb(metadata={"kernelspec": {"name": "a"}}), nb(metadata={"kernelspec": {"name": "b"}})
    )
    assert changed == {"cells": [], "metadata_changed": True}


@pytest.mark.parametrize(
    "text", ['{"cells": [', "[]", '{"worksheets": []}', '{"cells": [1]}', "not json"]
)
def test_not_a_notebook(text: str) -> None:
    with pytest.raises(NotANotebook):
        notebook_diff(text, nb())


def test_a_notebook_rewritten_wholesale_diffs_in_bounded_time() -> None:
    # 100 code cells of 3,000 characters, every one rewritten: pairing each old cell
    # with each new one took 17 s of the server's only thread
    rng = random.Random(13)  # noqa: S311 - test data, not a secret

    def source() -> str:
        return "".join(rng.choice("abcdefgh \n") for _ in range(3000))

    old = nb(*(cell(source()) for _ in range(100)))
    new = nb(*(cell(source()) for _ in range(100)))
    started = time.monotonic()
    diff = notebook_diff(old, new)
    assert time.monotonic() - started < 5
    statuses = [c["status"] for c in diff["cells"]]
    # every cell is shown: each old one removed or modified, each new one added or modified
    assert statuses.count("removed") + statuses.count("modified") == 100
    assert statuses.count("added") + statuses.count("modified") == 100
