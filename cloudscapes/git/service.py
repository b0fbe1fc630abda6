"""The git feature's service: the runner, the configuration and the way from a client
path to a repository (:meth:`GitService.repo`), which every route starts with.

The operations live in modules of their own as functions taking ``(service, repo,
...)``: :mod:`.status`, :mod:`.changes` here; history, diffs, branches, stash and
conflicts; remotes, clone, update and GitHub."""

from __future__ import annotations

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


class GitService:
    def __init__(self, config: CloudscapesGit, app: CloudscapesApp) -> None:
        self.config = config
        self.app = app
        self.log = config.log
        self.root: Path = server_root(app.serverapp)
        self.git = Git(config, self.root, self.log)
        self.jobs: JobManager = app.jobs

    def folder(self, path: Any) -> Path:
        """The existing folder ``path`` names (a client path), resolved; 400 for a bad
        path, 404 ``not_found`` for a folder that is not there."""
        folder = resolve_inside(self.root, path, what="folder", hint=FOLDER_HINT)
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
        the folder is in no repository."""
        return await find_repo(self.git, self.folder(path))

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
        """Nothing to stop: git commands end with the requests and jobs that run them."""
