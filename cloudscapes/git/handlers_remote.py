"""Routes of the git feature that talk to other machines (``schema/git-remote.yaml``):
remotes, clone, fetch, pull, push, "update the tutorial", GitHub sign-in and the
credentials dialog.

Long operations answer 202 with a job (:func:`cloudscapes.jobs.reply_accepted`); what
can be refused is refused before the job starts (a bad URL, a target that exists, a
detached HEAD), so the dialog shows it at once. ``GET github`` is polled while the
sign-in card is open and never counts as activity.
"""

from __future__ import annotations

from ..handlers import authenticated
from ..jobs import reply_accepted
from . import clone, credentials, remote, sync, update
from .github import github
from .handlers import GitBase


class RemotesHandler(GitBase):
    @authenticated
    async def get(self) -> None:
        service = self.git_service
        repo = await service.repo(self.query_path())
        self.reply({"remotes": await remote.list_remotes(service, repo)})

    @authenticated
    async def post(self) -> None:
        service, body = self.git_service, self.json_body()
        repo = await service.repo(body["path"])
        remotes = await remote.add_remote(service, repo, body["name"], body["url"])
        self.reply({"remotes": remotes})


class RemoveRemoteHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        service, body = self.git_service, self.json_body()
        repo = await service.repo(body["path"])
        self.reply({"remotes": await remote.remove_remote(service, repo, body["name"])})


class CloneHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        service = self.git_service
        job = clone.start(service, self.json_body())
        reply_accepted(self, service.jobs, job)


class FetchHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        service, body = self.git_service, self.json_body()
        repo = await service.repo(body["path"])
        job = await sync.start_fetch(service, repo, body.get("remote"))
        reply_accepted(self, service.jobs, job)


class PullHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        service, body = self.git_service, self.json_body()
        repo = await service.repo(body["path"])
        job = await sync.start_pull(service, repo)
        reply_accepted(self, service.jobs, job)


class PushHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        service, body = self.git_service, self.json_body()
        repo = await service.repo(body["path"])
        job = await sync.start_push(
            service, repo, body.get("remote"), body.get("branch"), body.get("set_upstream")
        )
        reply_accepted(self, service.jobs, job)


class UpdateHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        service, body = self.git_service, self.json_body()
        repo = await service.repo(body["path"])
        job = await update.start_update(service, repo)
        reply_accepted(self, service.jobs, job)


class GitHubHandler(GitBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        gh = github(self.git_service)
        await gh.refresh()
        self.reply(gh.model())

    @authenticated
    async def delete(self) -> None:
        self.reply(await github(self.git_service).sign_out())


class GitHubDeviceHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        self.reply(await github(self.git_service).start_device())


class GitHubReposHandler(GitBase):
    @authenticated
    async def get(self) -> None:
        self.reply({"repositories": await github(self.git_service).repos()})


class CredentialsHandler(GitBase):
    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        self.reply(
            await credentials.save(
                self.git_service,
                body["url"],
                body["username"],
                body["password"],
                body.get("remember", "cache"),
            )
        )


ROUTES: list = [
    ("remotes", RemotesHandler),
    ("remotes/remove", RemoveRemoteHandler),
    ("clone", CloneHandler),
    ("fetch", FetchHandler),
    ("pull", PullHandler),
    ("push", PushHandler),
    ("update", UpdateHandler),
    ("github", GitHubHandler),
    ("github/device", GitHubDeviceHandler),
    ("github/repos", GitHubReposHandler),
    ("credentials", CredentialsHandler),
]
