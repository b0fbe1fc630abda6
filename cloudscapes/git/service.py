"""The git feature's service: the runner, the configuration and the way from a client
path to a repository (:meth:`GitService.repo`), which every route starts with.

The operations live in modules of their own as functions taking ``(service, repo,
...)``: :mod:`.status`, :mod:`.changes` here; history, diffs, branches, stash and
conflicts; remotes, clone, update and GitHub."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..handlers import CloudscapesError
from ..paths import resolve_inside, server_root
from .config import CloudscapesGit
from .repos import find_repo
from .runner import Git, GitError, Repo

if TYPE_CHECKING:
    from ..app import CloudscapesApp
    from ..jobs import JobManager

__all__ = ["GitService"]

FOLDER_HINT = "Open a folder of your Jupyter root in the file browser."

#: Seconds a folder's repository is remembered (see GitService.find).
FIND_TTL = 30.0
#: Folders remembered at most.
FIND_CACHE = 256


def _still(repo: Repo, folder: Path) -> bool:
    """Whether ``repo`` still is the repository of ``folder``: its ``.git`` is there,
    and no folder from ``folder`` up to (not including) its top has one."""
    if not os.path.lexists(repo.top / ".git") or not repo.git_dir.is_dir():
        return False
    here = folder
    while here != repo.top:
        if os.path.lexists(here / ".git"):
            return False
        if here.parent == here:
            return False
        here = here.parent
    return True


class GitService:
    def __init__(self, config: CloudscapesGit, app: CloudscapesApp) -> None:
        self.config = config
        self.app = app
        self.log = config.log
        self.root: Path = server_root(app.serverapp)
        self.git = Git(config, self.root, self.log)
        self.jobs: JobManager = app.jobs
        #: folder -> (its repository, when it was found)
        self._found: dict[str, tuple[Repo, float]] = {}

    def folder(self, path: Any) -> Path:
        """The existing folder ``path`` names (a client path), resolved; 400 for a bad
        path or a file, 404 ``not_found`` for a folder that is not there."""
        folder = resolve_inside(self.root, path, what="folder", hint=FOLDER_HINT)
        if folder.exists() and not folder.is_dir():
            raise CloudscapesError(
                400,
                "not_a_folder",
                "That path is a file, not a folder.",
                "Send the folder the file is in (the file browser's current folder).",
            )
        if not folder.is_dir():
            raise CloudscapesError(
                404,
                "not_found",
                "That folder does not exist (any more).",
                "Refresh the file browser and open an existing folder.",
            )
        return folder

    async def find(self, path: Any) -> Repo | None:
        """The repository holding the folder ``path``, above the root or not; None when
        the folder is in no repository.

        A polled status should be one git process, so the folder's repository is
        remembered (:data:`FIND_TTL` seconds) as long as its ``.git`` is there and no
        folder between it and the top has got a ``.git`` of its own (a repository made
        since, in a terminal)."""
        folder = self.folder(path)
        key = str(folder)
        now = time.monotonic()
        cached = self._found.get(key)
        if cached is not None and now - cached[1] < FIND_TTL and _still(cached[0], folder):
            return cached[0]
        repo = await find_repo(self.git, folder)
        self._found.pop(key, None)
        if repo is not None:
            self._found[key] = (repo, now)
            while len(self._found) > FIND_CACHE:
                self._found.pop(next(iter(self._found)))
        return repo

    def forget(self) -> None:
        """Forget the repositories found (after ``init``, which makes a new one)."""
        self._found.clear()

    async def repo(self, path: Any) -> Repo:
        """The repository holding the folder ``path``, for every route that works on one:
        404 ``not_a_repository`` when there is none, 400 ``repo_above_root`` when its top
        is above the server root."""
        repo = await self.find(path)
        if repo is None:
            raise GitError(
                404,
                "not_a_repository",
                "This folder is not in a git repository.",
                "Open a folder inside a repository, or create a repository here.",
            )
        if repo.above_root:
            raise GitError(
                400,
                "repo_above_root",
                "This folder belongs to a git repository whose top folder is above your "
                "Jupyter root, so Cloudscapes does not change it.",
                "Use git in a terminal for that repository, or create a repository in a "
                "folder of your own.",
            )
        return repo

    def stop(self) -> None:
        """Stop a GitHub sign-in that is still polling; git commands end with the
        requests and jobs that run them."""
        from .github import stop as stop_github  # github imports this module

        stop_github(self)
