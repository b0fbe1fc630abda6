"""Finding the repository of a folder, and what the panel's header shows about it.

:func:`find_repo` asks git (``rev-parse``), so worktrees, ``.git`` files (submodules)
and ``GIT_DIR``-less discovery behave as in a terminal. A repository whose top is
above the server root (the root itself is inside a repository, as when a user made
their whole home a repository) is reported, not used: its files outside the root are
not the user's to change through this server.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..paths import is_inside
from .runner import Git, Repo

if TYPE_CHECKING:
    from .service import GitService

__all__ = ["client_path", "describe", "find_repo"]


def client_path(root: Path, path: Path) -> str:
    """``path`` (inside ``root``, both resolved) as a client path: POSIX, ``""`` for
    the root."""
    rel = os.path.relpath(path, root)
    return "" if rel == "." else Path(rel).as_posix()


async def find_repo(git: Git, folder: Path) -> Repo | None:
    """The repository whose work tree holds ``folder`` (an existing folder inside the
    server root), or None when there is none (also inside a ``.git`` folder or a bare
    repository: no work tree to show). One read-only git process."""
    result = await git.run(
        ["rev-parse", "--is-inside-work-tree", "--absolute-git-dir", "--show-toplevel"],
        cwd=folder,
        read_only=True,
        doing="find the repository",
    )
    lines = result.stdout.splitlines()
    if lines and lines[0].strip() == "false":  # inside a .git folder, or a bare repository
        return None
    if not lines or lines[0].strip() != "true" or len(lines) < 3:
        if not result.ok and "not a git repository" not in result.stderr.lower():
            git.check(result, "find the repository")
        return None
    git_dir = Path(lines[1])
    top = Path(os.path.realpath(lines[2]))  # noqa: ASYNC240 - no I/O but a readlink
    root = git.root
    if is_inside(str(top), str(root)):
        return Repo(top=top, git_dir=git_dir, rel=client_path(root, top))
    return Repo(top=top, git_dir=git_dir, rel="", above_root=True)


def _head_file(repo: Repo) -> str | None:
    try:
        with open(repo.git_dir / "HEAD", encoding="utf-8", errors="replace") as handle:
            return handle.read(4096)
    except OSError:
        return None


async def current_branch(git: Git, repo: Repo) -> str | None:
    """The branch HEAD is on (also unborn, before the first commit), None when detached.
    Read from ``HEAD`` itself (no process: the panel asks on every refresh); git is
    asked only when the file is not the usual ``ref: refs/heads/<name>``."""
    text = _head_file(repo)
    if text is not None:
        line = text.strip()
        if line.startswith("ref: refs/heads/") and "\n" not in line:
            return line[len("ref: refs/heads/") :] or None
        if re.fullmatch(r"[0-9a-f]{40,64}", line):
            return None
    result = await git.run(["symbolic-ref", "-q", "--short", "HEAD"], repo=repo, read_only=True)
    return result.stdout.strip() or None if result.ok else None


async def upstream_configured(git: Git, repo: Repo, branch: str | None) -> bool:
    if branch is None:
        return False
    result = await git.run(
        ["config", "--get", f"branch.{branch}.remote"], repo=repo, read_only=True
    )
    return result.ok and bool(result.stdout.strip())


def is_home(top: Path) -> bool:
    """Whether ``top`` is the user's home folder (a repository there sees every file)."""
    try:
        return os.path.realpath(os.path.expanduser("~")) == str(top)
    except (KeyError, RuntimeError):  # no home known
        return False


async def describe(service: GitService, path: str) -> dict[str, Any]:
    """The model of ``GET repo``: whether ``path`` is in a repository and what the
    panel's header shows about it."""
    repo = await service.find(path)
    if repo is None:
        return {
            "found": False,
            "path": None,
            "above_root": False,
            "name": None,
            "is_home": False,
            "branch": None,
            "nested": [],
            "submodules": [],
            "upstream_configured": False,
        }
    git = service.git
    branch = await current_branch(git, repo)
    model: dict[str, Any] = {
        "found": True,
        "path": None if repo.above_root else repo.rel,
        "above_root": repo.above_root,
        "name": repo.top.name or "/",
        "is_home": is_home(repo.top),
        "branch": branch,
        "nested": [],
        "submodules": [],
        "upstream_configured": await upstream_configured(git, repo, branch),
    }
    if not repo.above_root:
        model["nested"] = await nested_repos(git, repo)
        # submodules are listed in .gitmodules: without it, no index to read
        if _has_gitmodules(repo):
            model["submodules"] = await submodules(git, repo)
    return model


async def nested_repos(git: Git, repo: Repo) -> list[dict[str, str]]:
    """Untracked folders holding a repository of their own (git lists such a folder as
    one untracked ``folder/`` and does not look inside): git's own walk of the work
    tree, never one of ours (a repository at $HOME holds the whole home)."""
    result = await git.run(
        ["ls-files", "-z", "--others", "--directory", "--no-empty-directory", "--exclude-standard"],
        repo=repo,
        read_only=True,
        doing="list untracked folders",
        capture_bytes=16_000_000,
    )
    if not result.ok:
        return []
    found = []
    for name in result.stdout.split("\0"):
        if name.endswith("/") and _has_git(repo.top / name):
            found.append({"path": _client(repo, name.rstrip("/"))})
    return found


async def embedded_repos(git: Git, repo: Repo, paths: list[str] | None = None) -> list[str]:
    """Repo-relative names of every untracked folder at any depth (below ``paths``, if
    given: literal repo-relative names, a short list) that is a repository of its own
    (git lists each as ``name/`` and does not enter it): what ``git add`` would add as
    a bare gitlink. Walks the untracked files as ``git add`` does."""
    result = await git.run(
        ["ls-files", "-z", "--others", "--exclude-standard", "--", *(paths or [])],
        repo=repo,
        read_only=True,
        doing="list untracked files",
        capture_bytes=64_000_000,
    )
    if not result.ok:
        return []
    return [n.rstrip("/") for n in result.stdout.split("\0") if n.endswith("/")]


async def submodules(git: Git, repo: Repo) -> list[dict[str, Any]]:
    """The repository's submodules (gitlinks of the index, mode 160000); initialized
    when their folder has its ``.git``."""
    result = await git.run(
        ["ls-files", "-z", "--stage"],
        repo=repo,
        read_only=True,
        doing="list submodules",
        capture_bytes=64_000_000,
    )
    if not result.ok:
        return []
    found = []
    seen = set()
    for record in result.stdout.split("\0"):
        info, _, name = record.partition("\t")
        if not info.startswith("160000 ") or name in seen:
            continue
        seen.add(name)
        found.append(
            {
                "path": _client(repo, name),
                "initialized": _has_git(repo.top / name),
            }
        )
    return found


def _has_gitmodules(repo: Repo) -> bool:
    return os.path.lexists(repo.top / ".gitmodules")


def _has_git(folder: Path) -> bool:
    return os.path.lexists(folder / ".git")


def _client(repo: Repo, name: str) -> str:
    """A repo-relative name as a client path (relative to the server root)."""
    return f"{repo.rel}/{name}" if repo.rel else name
