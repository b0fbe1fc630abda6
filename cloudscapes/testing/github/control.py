"""The test hooks, under ``/_standin/`` (loopback callers only; JSON in, JSON out):
what a test does to GitHub that no client of GitHub can (approve a code as a user, let it
expire, make the App slow or without device flow, create repositories and publish an
instructor's commit, see and revoke tokens). :mod:`cloudscapes.testing.fixtures.git`
calls them; ``GET /_standin`` is a small page with the instructor's "Publish an
instructor update" button for ``make demo``.

=====================================  ================================================
``POST /_standin/reset``               forget everything (``{interval}`` optional)
``POST /_standin/repos``               ``{owner, name, files, private, description,
                                       installed, branch}`` → 201 ``{clone_url, oid}``
``POST /_standin/publish``             ``{owner, name, files, delete, message}`` or
                                       ``{repo: "owner/name"}`` (form too: the button)
``POST /_standin/approve`` / ``deny``  ``{user_code, login}``
``POST /_standin/expire``              ``{user_code}``: the code's time is up
``POST /_standin/settings``            ``{slow_down: N, device_flow_disabled, interval,
                                       expires_in, token_expires_in}``
``GET /_standin/codes`` / ``tokens``   what was issued
``POST /_standin/tokens``              ``{login}``: a token without the device flow
``POST /_standin/revoke``              ``{token}`` (access token)
``POST /_standin/expire-token``        ``{token}``
``POST /_standin/password``            ``{repo, password}`` for ``/basic/<repo>.git``
=====================================  ================================================
"""

from __future__ import annotations

import asyncio
import json
import shutil
from html import escape
from typing import Any, NoReturn
from urllib.parse import quote

from .oauth import GitHubHandler, page
from .repos import (
    check_name,
    commit_files,
    init_bare,
    instructor_update,
)
from .state import BASIC_OWNER, DEFAULT_LOGIN

LOOPBACK = ("127.0.0.1", "::1")


class ControlHandler(GitHubHandler):
    service = "control"

    def prepare(self) -> None:
        if self.request.remote_ip not in LOOPBACK:
            self.answer(403, {"error": "the control API answers loopback callers only"})
        # not recorded: tests read the requests clients made, not their own set-up

    def body(self) -> dict[str, Any]:
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            try:
                data = json.loads(self.request.body or b"{}")
            except ValueError:
                self.refuse("the body is not JSON")
            if not isinstance(data, dict):
                self.refuse("the body is not a JSON object")
            return data
        return dict(self.params())

    def refuse(self, message: str, status: int = 400) -> NoReturn:
        self.answer(status, {"error": message})

    def field(self, data: dict[str, Any], name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value:
            self.refuse(f"{name} is required")
        return value

    def owner_name(self, data: dict[str, Any]) -> tuple[str, str]:
        if "repo" in data and "owner" not in data:
            owner, _, name = str(data["repo"]).partition("/")
        else:
            owner, name = self.field(data, "owner"), self.field(data, "name")
        try:
            return check_name(owner), check_name(name)
        except ValueError as error:
            self.refuse(str(error))


class ResetHandler(ControlHandler):
    async def post(self) -> None:
        data = self.body()
        interval = data.get("interval")
        self.state.reset(int(interval) if interval is not None else None)
        root = self.state.root

        def remove() -> None:
            for child in root.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)

        await asyncio.to_thread(remove)
        self.answer(200, {"reset": True})


class ReposHandler(ControlHandler):
    async def post(self) -> None:
        data = self.body()
        owner, name = self.owner_name(data)
        files = data.get("files") or {}
        if not isinstance(files, dict):
            self.refuse("files is {path: text}")
        if f"{owner}/{name}" in self.state.repos:
            self.refuse(f"{owner}/{name} exists", 409)
        branch = str(data.get("branch") or "main")
        git_dir = self.state.repo_dir(owner, name)
        message = str(data.get("message") or "Initial commit")
        try:
            oid = await asyncio.to_thread(self.make, git_dir, files, branch, message)
        except (ValueError, RuntimeError) as error:
            shutil.rmtree(git_dir, ignore_errors=True)
            self.refuse(str(error))
        self.state.add_repo(
            owner,
            name,
            private=bool(data.get("private", False)),
            description=str(data.get("description") or ""),
            default_branch=branch,
            installed=bool(data.get("installed", True)),
        )
        self.answer(
            201,
            {
                "full_name": f"{owner}/{name}",
                "clone_url": f"{self.state.base_url}/{owner}/{name}.git",
                "oid": oid,
            },
        )

    @staticmethod
    def make(git_dir: Any, files: dict[str, Any], branch: str, message: str) -> str | None:
        init_bare(git_dir, branch)
        if not files:
            return None
        return commit_files(git_dir, files, message=message, branch=branch)


class PublishHandler(ControlHandler):
    async def post(self) -> None:
        data = self.body()
        owner, name = self.owner_name(data)
        repo = self.state.repos.get(f"{owner}/{name}")
        if repo is None:
            self.refuse(f"no repository {owner}/{name}", 404)
        files = data.get("files") or {}
        delete = data.get("delete") or []
        if not isinstance(files, dict) or not isinstance(delete, list):
            self.refuse("files is {path: text} and delete [path]")
        git_dir = self.state.repo_dir(owner, name)
        branch = str(data.get("branch") or repo.default_branch)
        message = str(data.get("message") or "")

        def publish() -> str:
            nonlocal files, message
            if not files and not delete:
                files, default = instructor_update(git_dir, branch)
                message = message or default
            return commit_files(
                git_dir, files, delete, message or "Update from the instructor", branch
            )

        try:
            oid = await asyncio.to_thread(publish)
        except (ValueError, RuntimeError) as error:
            self.refuse(str(error))
        after = data.get("next")
        if isinstance(after, str) and after.startswith("/") and not after.startswith("//"):
            notice = f"Published {message or 'an update'} to {owner}/{name} ({oid[:7]})."
            self.redirect(f"{after}?notice={quote(notice)}", status=303)
            return
        self.answer(200, {"oid": oid, "files": sorted(files), "deleted": sorted(delete)})


class DecideHandler(ControlHandler):
    def initialize(self, state: Any, service: str = "", approve: bool = True) -> None:
        super().initialize(state, service)
        self.approve = approve

    def post(self) -> None:
        data = self.body()
        user_code = self.field(data, "user_code")
        try:
            login = str(data.get("login") or DEFAULT_LOGIN)
            code = self.state.decide(user_code, self.approve, login)
        except KeyError:
            self.refuse(f"no pending code {user_code}", 404)
        self.answer(200, code.as_json())


class ExpireHandler(ControlHandler):
    def post(self) -> None:
        user_code = self.field(self.body(), "user_code")
        try:
            self.answer(200, self.state.expire_code(user_code).as_json())
        except KeyError:
            self.refuse(f"no code {user_code}", 404)


class SettingsHandler(ControlHandler):
    def post(self) -> None:
        data = self.body()
        state = self.state
        if "slow_down" in data:
            state.forced_slow_down = int(data["slow_down"])
        if "device_flow_disabled" in data:
            state.apps[state.client_id].device_flow = not data["device_flow_disabled"]
        for key, attr in (
            ("interval", "interval"),
            ("expires_in", "device_expires_in"),
            ("token_expires_in", "token_expires_in"),
        ):
            if key in data:
                setattr(state, attr, int(data[key]))
        self.answer(
            200,
            {
                "slow_down": state.forced_slow_down,
                "device_flow_disabled": not state.apps[state.client_id].device_flow,
                "interval": state.interval,
                "expires_in": state.device_expires_in,
                "token_expires_in": state.token_expires_in,
            },
        )


class CodesHandler(ControlHandler):
    def get(self) -> None:
        self.answer(200, {"codes": [code.as_json() for code in self.state.codes.values()]})


class TokensHandler(ControlHandler):
    def get(self) -> None:
        self.answer(200, {"tokens": [token.as_json() for token in self.state.tokens.values()]})

    def post(self) -> None:
        login = str(self.body().get("login") or DEFAULT_LOGIN)
        self.answer(201, self.state.issue_token(login).as_json())


class TokenActionHandler(ControlHandler):
    def initialize(self, state: Any, service: str = "", action: str = "revoke") -> None:
        super().initialize(state, service)
        self.action = action

    def post(self) -> None:
        token = self.field(self.body(), "token")
        if token not in self.state.tokens:
            self.refuse("no such token", 404)
        if self.action == "revoke":
            self.state.revoke(token)
        else:
            self.state.expire_token(token)
        self.answer(200, self.state.tokens[token].as_json())


class PasswordHandler(ControlHandler):
    async def post(self) -> None:
        data = self.body()
        name = self.field(data, "repo")
        password = self.field(data, "password")
        try:
            check_name(name)
        except ValueError as error:
            self.refuse(str(error))
        self.state.passwords[name] = password
        url = f"{self.state.base_url}/{BASIC_OWNER}/{name}.git"
        self.answer(200, {"clone_url": url})


class ControlPage(ControlHandler):
    def get(self) -> None:
        state = self.state
        notice = self.get_query_argument("notice", "")
        rows = "".join(
            "<li><form method='post' action='/_standin/publish'>"
            f"<strong>{escape(repo.full_name)}</strong> "
            f"<code>{escape(state.base_url)}/{escape(repo.full_name)}.git</code> "
            f"<input type='hidden' name='repo' value='{escape(repo.full_name)}'>"
            "<input type='hidden' name='next' value='/_standin'>"
            "<button type='submit'>Publish an instructor update</button></form></li>"
            for repo in state.repos.values()
        )
        live = sum(1 for t in state.tokens.values() if state.live_token(t.access_token))
        body = (
            (f"<p role='status'>{escape(notice)}</p>" if notice else "")
            + f"<p>Repositories (clone from {escape(state.base_url)}/&lt;owner&gt;/"
            "&lt;name&gt;.git):</p>"
            + f"<ul>{rows or '<li>none yet</li>'}</ul>"
            + f"<p>{live} live token(s). Sign-in page: "
            + f"<a href='/login/device'>{escape(state.base_url)}/login/device</a></p>"
        )
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page("GitHub stand-in", body))


ROUTES = [
    (r"/_standin/?", ControlPage),
    (r"/_standin/reset", ResetHandler),
    (r"/_standin/repos", ReposHandler),
    (r"/_standin/publish", PublishHandler),
    (r"/_standin/codes", CodesHandler),
    (r"/_standin/tokens", TokensHandler),
    (r"/_standin/settings", SettingsHandler),
    (r"/_standin/expire", ExpireHandler),
    (r"/_standin/password", PasswordHandler),
]
EXTRA_ROUTES: list[tuple[str, type[ControlHandler], dict[str, Any]]] = [
    (r"/_standin/approve", DecideHandler, {"approve": True}),
    (r"/_standin/deny", DecideHandler, {"approve": False}),
    (r"/_standin/revoke", TokenActionHandler, {"action": "revoke"}),
    (r"/_standin/expire-token", TokenActionHandler, {"action": "expire"}),
]
