"""Temporary git repositories and the server settings the git tests share.

``make_repo(path, files={...}, commits=N)`` makes a real repository with the real git
CLI. The fixtures give every git test a throw-away ``HOME`` (its ``~/.gitconfig``
holds a test identity; no system config is read), and ``c.CloudscapesGit`` from
``git_config``. A test module imports the fixtures it uses::

    from .gitrepos import git_config, git_home, jp_server_config  # noqa: F401

(``git_home`` is autouse: importing it is enough.)
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "IDENTITY",
    "alive",
    "git",
    "git_config",
    "git_home",
    "hanging_hook",
    "jp_server_config",
    "make_repo",
]

#: The identity of the test home's ~/.gitconfig.
IDENTITY = {"name": "Test Learner", "email": "learner@example.org"}

#: Author and committer of the commits make_repo makes (never the server's config).
_MAKER = {
    "GIT_AUTHOR_NAME": "Repo Maker",
    "GIT_AUTHOR_EMAIL": "maker@example.org",
    "GIT_COMMITTER_NAME": "Repo Maker",
    "GIT_COMMITTER_EMAIL": "maker@example.org",
}


def git(cwd: Path | str, *args: str, check: bool = True, input: str | None = None) -> str:
    """Run git in ``cwd`` for a test (as a user in a terminal would) and return stdout."""
    env = {**os.environ, **_MAKER, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
    done = subprocess.run(
        ["git", *args],  # noqa: S607 - git from PATH, as a user runs it
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        input=input,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def make_repo(
    path: Path | str,
    files: Mapping[str, str | bytes] | None = None,
    commits: int = 1,
    branch: str = "main",
) -> Path:
    """A repository at ``path`` (created) holding ``files`` (relative name -> content),
    committed in the first of ``commits`` commits (each later one appends a line to
    ``history.txt``). ``commits=0`` leaves the files untracked and HEAD unborn."""
    top = Path(path)
    top.mkdir(parents=True, exist_ok=True)
    git(top, "init", "-q", "-b", branch)
    for name, content in (files or {}).items():
        target = top / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    for number in range(commits):
        if number:
            with open(top / "history.txt", "a", encoding="utf-8") as handle:
                handle.write(f"commit {number + 1}\n")
        git(top, "add", "-A")
        git(top, "commit", "-q", "--allow-empty", "-m", f"Commit {number + 1}")
    return top


def hanging_hook(top: Path, name: str = "pre-commit") -> Path:
    """Make the hook ``name`` of ``top`` hang (a ``sleep`` in the background and one in
    the foreground) after writing the two processes' ids to the file returned: a test
    checks that exactly those processes are gone (other tests, other helpers' test
    runs on a shared machine, have ``sleep`` processes of their own)."""
    pids = top.parent / f"{top.name}-{name}.pids"
    hook = top / ".git" / "hooks" / name
    hook.write_text(
        f"#!/bin/sh\nsleep 60 &\necho $! > '{pids}'\necho $$ >> '{pids}'\nexec sleep 60\n"
    )
    hook.chmod(0o755)
    return pids


def alive(pids: Path) -> list[int]:
    """Which processes of a :func:`hanging_hook`'s file still run (zombies do not)."""
    import psutil

    if not pids.exists():
        return []
    running = []
    for pid in (int(p) for p in pids.read_text().split()):
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                running.append(pid)
        except psutil.NoSuchProcess:
            continue
    return running


@pytest.fixture
def git_config() -> dict[str, Any]:
    """Per-test ``c.CloudscapesGit`` (override with parametrize or a module fixture)."""
    return {}


@pytest.fixture(autouse=True)
def git_home(
    user_home: Path, jp_environ: None, jp_home_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The test's HOME (the project's ``user_home``, which pytest-jupyter's
    ``jp_environ`` sets as HOME) made git's: ``~/.gitconfig`` with :data:`IDENTITY`,
    no system or XDG config. Autouse in every module that imports it."""
    home = jp_home_dir  # pytest-jupyter's HOME (jp_environ), the server's too
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)
    (home / ".gitconfig").write_text(
        f"[user]\n\tname = {IDENTITY['name']}\n\temail = {IDENTITY['email']}\n"
        "[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    return home


@pytest.fixture
def jp_server_config(
    jp_server_config: dict[str, Any], git_config: dict[str, Any], git_home: Path
) -> dict[str, Any]:
    """The project's server config with ``git_config`` added to ``c.CloudscapesGit``
    (kept as the project's fixtures set it, when they do)."""
    settings = {**jp_server_config.get("CloudscapesGit", {}), **git_config}
    return {**jp_server_config, "CloudscapesGit": settings}
