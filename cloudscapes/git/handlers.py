"""Routes of the git feature's local work (``schema/git.yaml``): the repository, its
status, staging, discarding, committing, the user's identity and ``.gitignore``.

Every route takes ``path``, a folder inside the repository (the file browser's); the
history routes (``handlers_history``) and the remote routes (``handlers_remote``) use
:class:`GitBase` too."""

from __future__ import annotations

from typing import Any

from ..handlers import CloudscapesHandler, authenticated
from . import repos
from .service import GitService

__all__ = ["ROUTES", "GitBase"]


class GitBase(CloudscapesHandler):
    @property
    def git_service(self) -> GitService:
        return self.cloudscapes.service(GitService)

    def query_path(self) -> str:
        """The ``path`` query argument (a client folder; ``""`` is the root)."""
        return self.get_query_argument("path", "")

    def body_path(self) -> Any:
        return self.json_body().get("path", "")


class RepoHandler(GitBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        service = self.git_service
        self.reply(await repos.describe(service, self.query_path()))


ROUTES: list = [
    ("repo", RepoHandler),
]
