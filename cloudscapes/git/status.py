"""A repository's changes as the panel lists them: :func:`status`.

One git process (``git --no-optional-locks status --porcelain=v2 -z --branch
--show-stash --untracked-files=normal``): NUL-separated records, so names with spaces,
newlines, quotes, ``$(...)``, HTML or a leading ``-`` come back exactly as on disk, and
``--no-optional-locks`` keeps a polled status from taking ``index.lock`` from under
the user's terminal git. ``normal`` already lists a wholly untracked folder (and a
nested repository) as one ``folder/`` row; past ``untracked_cap`` rows the untracked
files are grouped further by their top folder, so a forgotten data folder does not
flood the panel. Sizes are read only for the page answered.

The work tree state (merging, rebasing...) comes from the files git leaves in its
folder, not from another process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..contract import printable
from ..handlers import bad_request
from .runner import Repo

if TYPE_CHECKING:
    from .service import GitService

__all__ = ["GROUPS", "Entry", "Parsed", "counts", "parse", "read", "status"]

#: The groups in the order an ungrouped page lists them.
GROUPS = ("conflicted", "staged", "changed", "untracked")

_STATUS = {
    "M": "modified",
    "T": "typechange",
    "A": "added",
    "D": "deleted",
    "R": "renamed",
    "C": "copied",
}


@dataclass
class Entry:
    file: str
    group: str
    status: str
    orig_file: str | None = None
    folder: bool = False
    submodule: bool = False

    def model(self, top: str) -> dict[str, Any]:
        return {
            "file": self.file,
            "orig_file": self.orig_file,
            "group": self.group,
            "status": self.status,
            "folder": self.folder,
            "submodule": self.submodule,
            "size": None if self.folder or self.submodule else _size(top, self.file),
        }


@dataclass
class Parsed:
    """What ``git status --porcelain=v2 -z --branch --show-stash`` said."""

    oid: str | None = None
    head: str | None = None
    detached: bool = False
    upstream: str | None = None
    ahead: int = 0
    behind: int = 0
    stash_count: int = 0
    entries: list[Entry] = field(default_factory=list)

    def group(self, name: str) -> list[Entry]:
        return [e for e in self.entries if e.group == name]


def _size(top: str, name: str) -> int | None:
    try:
        st = os.lstat(os.path.join(top, name))
    except OSError:
        return None
    return st.st_size


def _header(parsed: Parsed, text: str) -> None:
    key, _, value = text[2:].partition(" ")
    if key == "branch.oid":
        parsed.oid = None if value == "(initial)" else value
    elif key == "branch.head":
        parsed.detached = value == "(detached)"
        parsed.head = None if parsed.detached else value
    elif key == "branch.upstream":
        parsed.upstream = value
    elif key == "branch.ab":
        ahead, _, behind = value.partition(" ")
        parsed.ahead, parsed.behind = abs(int(ahead or 0)), abs(int(behind or 0))
    elif key == "stash":
        parsed.stash_count = int(value or 0)


def _changed(parsed: Parsed, xy: str, sub: str, name: str, orig: str | None) -> None:
    submodule = sub.startswith("S")
    x, y = xy[0], xy[1]
    if x != ".":
        parsed.entries.append(
            Entry(name, "staged", _STATUS.get(x, "modified"), orig, submodule=submodule)
        )
    if y != ".":
        # a rename is staged; the work tree change applies to the new name
        parsed.entries.append(
            Entry(name, "changed", _STATUS.get(y, "modified"), None, submodule=submodule)
        )


def parse(output: str) -> Parsed:
    """Read porcelain v2 ``-z`` output (see ``git status --help``)."""
    parsed = Parsed()
    records = output.split("\0")
    i = 0
    while i < len(records):
        record = records[i]
        i += 1
        if not record:
            continue
        kind = record[0]
        if kind == "#":
            _header(parsed, record)
        elif kind == "1":
            # 1 XY sub mH mI mW hH hI path
            fields = record.split(" ", 8)
            if len(fields) == 9:
                _changed(parsed, fields[1], fields[2], fields[8], None)
        elif kind == "2":
            # 2 XY sub mH mI mW hH hI Xscore path NUL origPath
            fields = record.split(" ", 9)
            orig = records[i] if i < len(records) else None
            i += 1
            if len(fields) == 10:
                _changed(parsed, fields[1], fields[2], fields[9], orig)
        elif kind == "u":
            # u XY sub m1 m2 m3 mW h1 h2 h3 path
            fields = record.split(" ", 10)
            if len(fields) == 11:
                parsed.entries.append(
                    Entry(
                        fields[10], "conflicted", "conflicted", submodule=fields[2].startswith("S")
                    )
                )
        elif kind == "?":
            name = record[2:]
            parsed.entries.append(Entry(name, "untracked", "untracked", folder=name.endswith("/")))
    return parsed


def collapse(entries: list[Entry], cap: int) -> tuple[list[Entry], bool]:
    """Untracked rows grouped by their top folder when there are more than ``cap``
    (files at the top of the repository stay rows of their own)."""
    if len(entries) <= cap:
        return entries, False
    rows: list[Entry] = []
    seen: set[str] = set()
    for entry in entries:
        top, sep, _ = entry.file.partition("/")
        if not sep:
            rows.append(entry)
            continue
        folder = top + "/"
        if folder not in seen:
            seen.add(folder)
            rows.append(Entry(folder, "untracked", "untracked", folder=True))
    return rows, True


def state(repo: Repo) -> str | None:
    """merging, rebasing, cherry_picking, reverting, from git's marker files."""
    git_dir = repo.git_dir
    if (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
        return "rebasing"
    if (git_dir / "MERGE_HEAD").exists():
        return "merging"
    if (git_dir / "CHERRY_PICK_HEAD").exists():
        return "cherry_picking"
    if (git_dir / "REVERT_HEAD").exists():
        return "reverting"
    return None


async def read(service: GitService, repo: Repo) -> Parsed:
    """Run the one ``git status`` and parse it."""
    result = await service.git.run(
        [
            "status",
            "--porcelain=v2",
            "-z",
            "--branch",
            "--show-stash",
            "--untracked-files=normal",
        ],
        repo=repo,
        read_only=True,
        doing="status",
        capture_bytes=64_000_000,
    )
    service.git.check(result, "status")
    return parse(result.stdout)


def counts(parsed: Parsed, untracked: int | None = None) -> dict[str, int]:
    by = {g: 0 for g in GROUPS}
    for entry in parsed.entries:
        by[entry.group] += 1
    if untracked is not None:
        by["untracked"] = untracked
    return {
        "staged": by["staged"],
        "changed": by["changed"],
        "untracked": by["untracked"],
        "conflicted": by["conflicted"],
    }


async def summary(service: GitService, repo: Repo) -> dict[str, Any]:
    """``{counts}``, the answer of the routes that change the index or the work tree."""
    parsed = await read(service, repo)
    untracked, _ = collapse(parsed.group("untracked"), service.config.untracked_cap)
    return {"counts": counts(parsed, len(untracked))}


async def status(
    service: GitService,
    repo: Repo,
    group: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> dict[str, Any]:
    """The model of ``GET status`` (see ``schema/git.yaml``)."""
    if group is not None and group not in GROUPS:
        raise bad_request(
            f"Unknown group '{printable(group, 40)}'.",
            f"Use one of {', '.join(GROUPS)}, or leave it out.",
            code="invalid_parameter",
        )
    page = service.config.status_page_size
    limit = page if limit is None else min(limit, page)
    if limit < 1:
        raise bad_request(
            "limit must be at least 1.",
            "Leave limit out for a full page, or send limit=1 or more.",
            code="invalid_parameter",
        )
    parsed = await read(service, repo)
    untracked, collapsed = collapse(parsed.group("untracked"), service.config.untracked_cap)
    rows = {g: parsed.group(g) for g in GROUPS}
    rows["untracked"] = untracked
    ordered = rows[group] if group else [e for g in GROUPS for e in rows[g]]
    chosen = ordered[offset : offset + limit]
    top = str(repo.top)
    end = offset + len(chosen)
    return {
        "path": repo.rel,
        "branch": {
            "head": parsed.head,
            "oid": parsed.oid,
            "upstream": parsed.upstream,
            "ahead": parsed.ahead,
            "behind": parsed.behind,
            "detached": parsed.detached,
        },
        "state": state(repo),
        "stash_count": parsed.stash_count,
        "counts": counts(parsed, len(untracked)),
        "files": [e.model(top) for e in chosen],
        "offset": offset,
        "next_offset": end if end < len(ordered) else None,
        "untracked_collapsed": collapsed,
    }
