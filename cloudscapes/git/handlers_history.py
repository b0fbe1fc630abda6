"""Routes of the git panel's history, diffs, branches, tags, stash and conflicts
(``schema/git-history.yaml``).

Handlers only read the request and answer: the work is in :mod:`.history`,
:mod:`.diffs`, :mod:`.branches`, :mod:`.stash` and :mod:`.conflicts`, as functions of
``(service, repo, ...)``. Each starts with :meth:`GitService.repo`, which refuses a
folder in no repository (404) or in one above the Jupyter root (400) before any other
git command runs. Bodies were checked against the schema by the base handler; the
query values are checked here. The lists a panel refreshes (branches, tags, stash)
never count as user activity.
"""

from __future__ import annotations

from typing import Any

from ..handlers import authenticated, bad_request
from . import branches, conflicts, diffs, history, stash
from .handlers import GitBase
from .runner import Repo


class HistoryBase(GitBase):
    async def query_repo(self) -> Repo:
        return await self.git_service.repo(self.query_path())

    async def body_repo(self) -> tuple[Repo, dict[str, Any]]:
        body = self.json_body()
        return await self.git_service.repo(body.get("path", "")), body

    def optional(self, name: str) -> str | None:
        """A query value, ``None`` when missing or empty."""
        value = self.get_query_argument(name, "")
        return value or None

    def required(self, name: str) -> str:
        value = self.get_query_argument(name, "")
        if not value:
            raise bad_request(
                f"The query parameter '{name}' is required.",
                f"Add {name}=... to the URL.",
                code="invalid_parameter",
            )
        return value

    def number(self, name: str, default: int, low: int, high: int) -> int:
        value = self.get_query_argument(name, "")
        if value == "":
            return default
        if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
            raise bad_request(
                f"The query parameter '{name}' must be a whole number from {low} to {high}.",
                f"For example {name}={default}.",
                code="invalid_parameter",
            )
        return int(value)


class LogHandler(HistoryBase):
    @authenticated
    async def get(self) -> None:
        repo = await self.query_repo()
        page = await history.log(
            self.git_service,
            repo,
            rev=self.optional("rev"),
            file=self.optional("file"),
            offset=self.number("offset", 0, 0, 10**9),
            limit=self.number("limit", history.DEFAULT_LIMIT, 1, history.MAX_LIMIT),
        )
        self.reply(page)


class CommitHandler(HistoryBase):
    @authenticated
    async def get(self) -> None:
        repo = await self.query_repo()
        self.reply(await history.commit(self.git_service, repo, self.required("oid")))


class DiffHandler(HistoryBase):
    @authenticated
    async def get(self) -> None:
        repo = await self.query_repo()
        self.reply(
            await diffs.diff(
                self.git_service,
                repo,
                self.required("file"),
                self.optional("from") or "INDEX",
                self.optional("to") or "WORKTREE",
                orig_file=self.optional("orig_file"),
            )
        )


class ContentHandler(HistoryBase):
    @authenticated
    async def get(self) -> None:
        repo = await self.query_repo()
        self.reply(
            await diffs.content(
                self.git_service, repo, self.required("file"), self.optional("ref") or "HEAD"
            )
        )


class BranchesHandler(HistoryBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        repo = await self.query_repo()
        self.reply(await branches.list_branches(self.git_service, repo))

    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(
            await branches.create(
                self.git_service,
                repo,
                body["name"],
                start=body.get("start"),
                switch=bool(body.get("switch")),
            )
        )


class SwitchHandler(HistoryBase):
    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(await branches.switch_to(self.git_service, repo, body["branch"]))


class RenameBranchHandler(HistoryBase):
    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(await branches.rename(self.git_service, repo, body["name"], body["new_name"]))


class DeleteBranchHandler(HistoryBase):
    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(
            await branches.delete(
                self.git_service, repo, body["name"], force=bool(body.get("force"))
            )
        )


class MergeHandler(HistoryBase):
    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(await branches.merge(self.git_service, repo, body["branch"]))


class MergeAbortHandler(HistoryBase):
    @authenticated
    async def post(self) -> None:
        repo, _ = await self.body_repo()
        self.reply(await branches.merge_abort(self.git_service, repo))


class TagsHandler(HistoryBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        repo = await self.query_repo()
        self.reply(await branches.list_tags(self.git_service, repo))

    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(
            await branches.create_tag(
                self.git_service, repo, body["name"], body.get("rev"), body.get("message")
            )
        )


class DeleteTagHandler(HistoryBase):
    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(await branches.delete_tag(self.git_service, repo, body["name"]))


class StashHandler(HistoryBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        repo = await self.query_repo()
        self.reply(await stash.list_stashes(self.git_service, repo))

    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(
            await stash.push(
                self.git_service,
                repo,
                body.get("message"),
                include_untracked=bool(body.get("include_untracked")),
            )
        )


class StashApplyHandler(HistoryBase):
    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(
            await stash.apply(self.git_service, repo, body["index"], pop=bool(body.get("pop")))
        )


class StashDropHandler(HistoryBase):
    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(await stash.drop(self.git_service, repo, body["index"]))


class ConflictHandler(HistoryBase):
    @authenticated
    async def get(self) -> None:
        repo = await self.query_repo()
        self.reply(await conflicts.conflict(self.git_service, repo, self.required("file")))


class ResolveHandler(HistoryBase):
    #: the resolved text of a file of up to 2 MB, JSON-escaped
    max_body_bytes = 8 * 1024 * 1024

    @authenticated
    async def post(self) -> None:
        repo, body = await self.body_repo()
        self.reply(
            await conflicts.resolve(
                self.git_service,
                repo,
                body["file"],
                content=body.get("content"),
                take=body.get("take"),
            )
        )


ROUTES: list = [
    ("log", LogHandler),
    ("commit/detail", CommitHandler),
    ("diff", DiffHandler),
    ("content", ContentHandler),
    ("branches", BranchesHandler),
    ("switch", SwitchHandler),
    ("branches/rename", RenameBranchHandler),
    ("branches/delete", DeleteBranchHandler),
    ("merge", MergeHandler),
    ("merge/abort", MergeAbortHandler),
    ("tags", TagsHandler),
    ("tags/delete", DeleteTagHandler),
    ("stash", StashHandler),
    ("stash/apply", StashApplyHandler),
    ("stash/drop", StashDropHandler),
    ("conflict", ConflictHandler),
    ("resolve", ResolveHandler),
]
