"""The stand-in's repositories: bare repositories made and changed with git's plumbing
(``hash-object``, ``update-index`` on a private index, ``write-tree``, ``commit-tree``,
``update-ref``), so that an instructor's update is one commit on the branch without a
working copy or a clone; and the tutorial ``make demo`` seeds.

Files are given as ``{path: text}``; ``{path: {"base64": ...}}`` for bytes (images for
the diff tests). These run git synchronously: the control API calls them in a thread.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: who the instructor's commits are by
INSTRUCTOR = ("Openscapes Instructor", "instructor@example.org")

FileContent = str | bytes | Mapping[str, str]
#: the git the stand-in runs (the one on PATH)
GIT = shutil.which("git") or "git"


def git_env() -> dict[str, str]:
    """git run for the stand-in, away from the user's own configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        LANG="C",
        LC_ALL="C",
    )
    return env


def _git(
    git_dir: Path, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None
) -> str:
    result = subprocess.run(
        [GIT, f"--git-dir={git_dir}", *args],
        input=input,
        capture_output=True,
        env={**git_env(), **(env or {})},
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"git {args[0]} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout.decode().strip()


def as_bytes(content: FileContent) -> bytes:
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode("utf-8")
    if "base64" in content:
        return base64.b64decode(content["base64"])
    raise ValueError("a file is text, or {'base64': ...}")


def check_name(name: str) -> str:
    """An owner or repository name as GitHub allows them (letters, digits, ``-_.``)."""
    if not name or name in (".", "..") or not all(c.isalnum() or c in "-_." for c in name):
        raise ValueError(f"not a repository name: {name!r}")
    if name.endswith(".git"):
        raise ValueError("give the name without .git")
    return name


def check_path(path: str) -> str:
    parts = path.split("/")
    if not path or path.startswith("/") or any(p in ("", ".", "..", ".git") for p in parts):
        raise ValueError(f"not a file path inside a repository: {path!r}")
    return path


def init_bare(git_dir: Path, branch: str = "main") -> None:
    git_dir.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [GIT, "init", "--quiet", "--bare", f"--initial-branch={branch}", str(git_dir)],
        check=True,
        env=git_env(),
        capture_output=True,
    )
    # pushes arrive through http-backend, which the stand-in only lets through after
    # checking the token: let it take them
    _git(git_dir, "config", "http.receivepack", "true")


def commit_files(
    git_dir: Path,
    files: Mapping[str, FileContent],
    delete: list[str] | tuple[str, ...] = (),
    message: str = "Update from the instructor",
    branch: str = "main",
    author: tuple[str, str] = INSTRUCTOR,
    when: float | None = None,
) -> str:
    """One commit on ``branch`` of the bare repository: ``files`` written, ``delete``
    removed, everything else as it was. Returns the new commit's id."""
    for path in [*files, *delete]:
        check_path(path)
    ref = f"refs/heads/{branch}"
    try:
        parent = _git(git_dir, "rev-parse", "--verify", "--quiet", ref)
    except RuntimeError:
        parent = ""
    with tempfile.TemporaryDirectory(prefix="standin-index-") as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if parent:
            _git(git_dir, "read-tree", parent, env=index)
        # --index-info works without a work tree: "<mode> <oid>\t<path>", mode 0 removes
        lines = [f"0 {'0' * 40}\t{path}\n" for path in delete]
        for path, content in files.items():
            oid = _git(git_dir, "hash-object", "-w", "--stdin", input=as_bytes(content))
            lines.append(f"100644 {oid}\t{path}\n")
        _git(git_dir, "update-index", "--index-info", input="".join(lines).encode(), env=index)
        tree = _git(git_dir, "write-tree", env=index)
    stamp = f"{int(when if when is not None else time.time())} +0000"
    name, email = author
    who = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": stamp,
    }
    args = ["commit-tree", tree, *(["-p", parent] if parent else [])]
    oid = _git(git_dir, *args, input=message.encode(), env=who)
    _git(git_dir, "update-ref", ref, oid, parent or "0" * 40)
    return oid


def read_file(git_dir: Path, path: str, branch: str = "main") -> str:
    return _git(git_dir, "show", f"refs/heads/{branch}:{check_path(path)}")


def head(git_dir: Path, branch: str = "main") -> str:
    return _git(git_dir, "rev-parse", f"refs/heads/{branch}")


def instructor_update(git_dir: Path, branch: str = "main") -> tuple[dict[str, str], str]:
    """The files and message of an update when an instructor asks for "an update" (the
    button, ``publish-update`` without files): a dated line added to ``README.md``."""
    try:
        readme = read_file(git_dir, "README.md", branch) + "\n"
    except RuntimeError:
        readme = ""
    count = readme.count("Update from the instructor") + 1
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    line = f"\n- Update from the instructor #{count}, {stamp}.\n"
    return {"README.md": readme.rstrip("\n") + "\n" + line}, f"Instructor update #{count}"


# ---- the tutorial of make demo ---------------------------------------------------------


def notebook(markdown: str, code: str) -> str:
    """A valid nbformat 4 notebook: one markdown and one code cell, no outputs."""
    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": markdown},
        {
            "cell_type": "code",
            "id": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": code,
        },
    ]
    document: dict[str, Any] = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


TUTORIAL_OWNER, TUTORIAL_NAME = "openscapes", "tutorial"
TUTORIAL_FILES: dict[str, str] = {
    "README.md": (
        "# Cloudscapes tutorial\n\n"
        "A small tutorial to try the git panel with: clone it, change a notebook, commit,\n"
        "then use *Update the tutorial* when the instructor publishes an update.\n"
    ),
    "01-hello.ipynb": notebook(
        "# Hello, Cloudscapes\n\nRun the cell below.", 'print("Hello from the tutorial")'
    ),
    "02-sea-ice.ipynb": notebook(
        "# Sea ice extent\n\nA few numbers to plot.",
        "extent = [4.53, 4.35, 4.28, 4.31]\nprint(min(extent), max(extent))",
    ),
    "data/readme.txt": "Small data files for the tutorial live here.\n",
}
