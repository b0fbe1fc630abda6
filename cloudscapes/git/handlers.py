"""Routes of the git feature's local work (``schema/git.yaml``): the repository, its
status, staging, discarding, committing, the user's identity and ``.gitignore``.

Every route takes ``path``, a folder inside the repository (the file browser's); the
history routes (``handlers_history``) and the remote routes (``handlers_remote``) use
:class:`GitBase` too."""

from __future__ import annotations

from typing import Any

from ..handlers import CloudscapesHandler, authenticated, bad_request
from . import changes, repos, status
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
        self.reply(await repos.describe(self.git_service, self.query_path()))


class InitHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        self.reply(await changes.init(self.git_service, self.body_path()))


class StatusHandler(GitBase):
    polled_methods = ("GET",)

    def int_argument(self, name: str, default: int | None) -> int | None:
        value = self.get_query_argument(name, None)
        if value is None or value == "":
            return default
        # isascii: str.isdigit() is also true of '²', which int() refuses
        if not value.isascii() or not value.isdigit() or len(value) > 9:
            raise bad_request(
                f"'{name}' must be a whole number.",
                f"Send {name} as digits, for example {name}=0.",
                code="invalid_parameter",
            )
        return int(value)

    @authenticated
    async def get(self) -> None:
        group = self.get_query_argument("group", None) or None
        offset = self.int_argument("offset", 0) or 0
        limit = self.int_argument("limit", None)
        service = self.git_service
        repo = await service.repo(self.query_path())
        self.reply(await status.status(service, repo, group, offset, limit))


class StageHandler(GitBase):
    unstage = False

    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        service = self.git_service
        repo = await service.repo(body["path"])
        files, everything = body.get("files"), bool(body.get("all"))
        if self.unstage:
            if "group" in body:
                raise bad_request(
                    "Unstaging takes files or all: true, not a group.",
                    "Send files: [...] or all: true.",
                    code="invalid_request",
                )
            self.reply(await changes.unstage(service, repo, files, everything))
        else:
            self.reply(await changes.stage(service, repo, files, everything, body.get("group")))


class UnstageHandler(StageHandler):
    unstage = True


class HunksHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        service = self.git_service
        repo = await service.repo(body["path"])
        self.reply(
            await changes.hunks(
                service, repo, body["file"], body["hunks"], bool(body.get("unstage"))
            )
        )


class DiscardHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        service = self.git_service
        repo = await service.repo(body["path"])
        self.reply(await changes.discard(service, repo, body["files"], body.get("confirm")))


class CommitHandler(GitBase):
    #: a message of up to 64 KiB (the schema's limit), JSON-escaped
    max_body_bytes = 512 * 1024

    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        service = self.git_service
        repo = await service.repo(body["path"])
        self.reply(
            await changes.commit(
                service,
                repo,
                body["message"],
                amend=bool(body.get("amend")),
                allow_empty=bool(body.get("allow_empty")),
            )
        )


class IdentityHandler(GitBase):
    @authenticated
    async def get(self) -> None:
        self.reply(await changes.get_identity(self.git_service))

    @authenticated
    async def put(self) -> None:
        body = self.json_body()
        self.reply(await changes.set_identity(self.git_service, body["name"], body["email"]))


class IgnoreHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        service = self.git_service
        repo = await service.repo(body["path"])
        self.reply(await changes.ignore(service, repo, body["pattern"]))


ROUTES: list = [
    ("repo", RepoHandler),
    ("init", InitHandler),
    ("status", StatusHandler),
    ("stage", StageHandler),
    ("unstage", UnstageHandler),
    ("hunks", HunksHandler),
    ("discard", DiscardHandler),
    ("commit", CommitHandler),
    ("identity", IdentityHandler),
    ("ignore", IgnoreHandler),
]
