"""One file as it is in a revision, in the index or on disk: :func:`describe` and
:func:`read`, for the diff and content routes.

A *ref* is ``HEAD``, ``INDEX``, ``WORKTREE`` or a revision (``main``, ``v1.0``, an
object id). One ``git cat-file --batch-check`` process tells, for every side a route
needs, whether the revision exists (``rev^{commit}``) and which blob the file is there
(``rev:path``, ``:path`` for the index) with its size, so too-large files are known
before anything is read. An unborn ``HEAD`` (a repository without commits) is an
empty tree, not an error.

Blobs are read with ``git unpack-file`` into a private temporary folder: git writes
the exact bytes (the runner decodes stdout as text, which would break images), and
nothing is held in a pipe. The work tree's file is read from disk; a symbolic link is
its target's name, as git stores it.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..contract import printable
from ..handlers import bad_request
from . import safety
from .runner import GitError

if TYPE_CHECKING:
    from .runner import Repo
    from .service import GitService

__all__ = ["SPECIAL", "Blob", "check_ref", "describe", "read"]

#: The refs that are no revision.
SPECIAL = ("HEAD", "INDEX", "WORKTREE")


@dataclass
class Blob:
    """One side of a diff: ``ref`` and ``path``; ``exists`` and ``size`` (bytes);
    ``oid`` (a blob in git's object store) or ``disk`` (a work tree file)."""

    ref: str
    path: str
    exists: bool
    size: int | None = None
    oid: str | None = None
    disk: Path | None = None
    link: bool = False
    #: ``HEAD`` of a repository without commits
    unborn: bool = False


def check_ref(value: object, what: str = "revision") -> str:
    """``value`` as a ref: one of :data:`SPECIAL`, or a revision without ``:`` (a
    ``rev:path`` expression would name another file than ``file``)."""
    if value in SPECIAL:
        return str(value)
    rev = safety.revision(value, what)
    if ":" in rev:
        raise bad_request(
            f"The {what} '{printable(rev)}' has a ':'.",
            "Send a branch, a tag or a commit id; the file goes in 'file'.",
            code="invalid_revision",
        )
    return rev


def unknown_revision(rev: str) -> GitError:
    return GitError(
        404,
        "not_found",
        f"There is no commit, branch or tag named '{printable(rev, 200)}' in this repository.",
        "Pick a commit from the History tab or a branch from the branch menu.",
    )


async def describe(service: GitService, repo: Repo, sides: list[tuple[str, str]]) -> list[Blob]:
    """A :class:`Blob` for each ``(ref, path)``; 404 ``not_found`` for a revision the
    repository does not have. One git process for all of them (none for work tree
    files only)."""
    queries: list[str] = []
    for ref, path in sides:
        if ref == "INDEX":
            queries.append(f":{path}")
        elif ref != "WORKTREE":
            queries += [f"{ref}^{{commit}}", f"{ref}:{path}"]
    answers: list[list[str]] = []
    if queries:
        result = await service.git.ok(
            ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
            repo=repo,
            read_only=True,
            input="".join(q + "\n" for q in queries),
            doing="cat-file",
        )
        answers = [line.rsplit(" ", 2) for line in result.stdout.splitlines()]
    blobs = []
    for ref, path in sides:
        if ref == "WORKTREE":
            blobs.append(on_disk(repo, path))
            continue
        if ref != "INDEX":
            commit = answers.pop(0) if answers else []
            if len(commit) != 3 or commit[1] != "commit":
                if ref != "HEAD":
                    raise unknown_revision(ref)
                # an unborn HEAD: the file is in no commit yet
                answers.pop(0) if answers else None
                blobs.append(Blob(ref, path, False, unborn=True))
                continue
        answer = answers.pop(0) if answers else []
        if len(answer) == 3 and answer[1] == "blob":
            blobs.append(Blob(ref, path, True, int(answer[2]), oid=answer[0]))
        elif len(answer) == 3 and answer[1] == "commit":  # a submodule's commit
            blobs.append(Blob(ref, path, True, 0, oid=None))
        else:
            blobs.append(Blob(ref, path, False))
    return blobs


def on_disk(repo: Repo, path: str) -> Blob:
    disk = repo.top / path
    try:
        info = os.lstat(disk)
    except OSError:
        return Blob("WORKTREE", path, False)
    if os.path.islink(disk):
        size = len(os.fsencode(os.readlink(disk)))
        return Blob("WORKTREE", path, True, size, disk=disk, link=True)
    if not os.path.isfile(disk):  # a folder (a submodule), a socket...
        return Blob("WORKTREE", path, True, 0)
    return Blob("WORKTREE", path, True, info.st_size, disk=disk)


async def read(service: GitService, repo: Repo, blob: Blob) -> bytes | None:
    """The bytes of ``blob`` (``None`` when it does not exist; ``b""`` for a folder
    or a submodule)."""
    if not blob.exists:
        return None
    if blob.disk is not None:
        if blob.link:
            return os.fsencode(os.readlink(blob.disk))
        try:  # up to tens of MB: off the event loop
            return await asyncio.to_thread(blob.disk.read_bytes)
        except OSError:
            return None
    if blob.oid is None:
        return b""
    with tempfile.TemporaryDirectory(prefix="cloudscapes-git-") as tmp:
        # --work-tree: unpack-file writes in the work tree's top, which for a
        # repository with core.worktree (a submodule's) would be that work tree
        result = await service.git.ok(
            ["--git-dir", str(repo.git_dir), "--work-tree", tmp, "unpack-file", blob.oid],
            cwd=Path(tmp),
            read_only=True,
            doing="unpack-file",
        )
        name = result.stdout.strip()
        if not name.startswith(".merge_file_") or "/" in name:
            return None
        return await asyncio.to_thread((Path(tmp) / name).read_bytes)
