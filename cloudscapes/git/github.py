"""GitHub sign-in by device flow, the token it gives, and the learner's repositories.

The flow (GitHub's docs, ``../shared/reference/git.md`` §5): ``POST
{github_url}/login/device/code`` with the GitHub App's client id gives a user code and
a verification link, which the panel shows; the *server* then polls ``POST
{github_url}/login/oauth/access_token`` in a task, every ``interval`` seconds, 5 s more
after each ``slow_down`` (or the interval GitHub sends with it), so the browser only
polls ``GET github`` and a closed tab does not end the sign-in. Every answer of the
flow has a state the panel explains (:func:`token_outcome`): pending, slow_down,
expired (start again), denied, or error (the app is misconfigured, device flow is
disabled, GitHub could not be reached), and signed_in.

The token pair is saved in ``<state_dir>/github-token.json`` (0600, atomically, with
the login from ``GET {github_api_url}/user``), read by the git credential helper
(:mod:`.credential_helper`) that sign-in installs in the user's global git config for
the GitHub host only. Nothing of it reaches the browser: answers carry the login and
the expiry. Sign-out removes the file, the helper entry and the cached copy git's
credential cache may hold.

Repositories: those the GitHub App is installed on for this user (``/user/installations``
then each installation's repositories), or ``/user/repos`` when the token is an OAuth
App's (installations answer 403 then).
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
import sys
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..contract import printable
from ..handlers import CloudscapesError
from . import credential_helper as helper
from .credential_helper import iso, load_token, remove_token, save_token, seconds, with_expiry

if TYPE_CHECKING:
    from .service import GitService

log = logging.getLogger(__name__)

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
#: Seconds for one request to GitHub.
REQUEST_TIMEOUT = 20.0
#: Polls in a row that may fail (network, 5xx) before the sign-in gives up.
POLL_FAILURES = 3
#: Seconds waited past ``interval`` between two polls (clocks are not exact).
POLL_MARGIN = 0.1
#: Poll intervals accepted from GitHub, seconds (a negative or zero one would make the
#: poller a busy loop; GitHub's is 5).
MIN_INTERVAL = 1.0
MAX_INTERVAL = 120.0
#: Seconds before the server tries again after a refresh that failed.
REFRESH_RETRY = 60.0
#: Pages of repositories read (100 each).
MAX_PAGES = 5
#: Our entries in ``credential.<url>.helper`` (a value pattern for ``git config``).
HELPER_PATTERN = r"cloudscapes\.git\.credential_helper"
#: Tries, and seconds between them, while ``~/.gitconfig`` is locked by another git.
CONFIG_TRIES = 20
CONFIG_RETRY = 0.1


def state_dir(config: Any) -> Path:
    """Where the token file lives (``CloudscapesGit.state_dir`` or its default)."""
    return Path(config.state_path())


def web_url(config: Any) -> str:
    return str(config.github_url).rstrip("/")


def host_of(config: Any) -> str:
    try:
        return urlsplit(web_url(config)).netloc or web_url(config)
    except ValueError:
        return web_url(config)


# ---- the token answer's states ------------------------------------------------------------

#: error code -> (state, message, hint) of a poll that ends the flow.
ENDING = {
    "expired_token": (
        "expired",
        "The code expired before it was entered on GitHub.",
        "Start the sign-in again for a new code.",
    ),
    "access_denied": (
        "denied",
        "The sign-in was cancelled on GitHub.",
        "Start again and choose Authorize on GitHub's page to sign in.",
    ),
    "unsupported_grant_type": (
        "error",
        "GitHub did not accept the kind of request Cloudscapes sent (unsupported_grant_type).",
        "Ask your hub admin to check the GitHub URL Cloudscapes is configured with.",
    ),
    "incorrect_client_credentials": (
        "error",
        "GitHub does not know the app Cloudscapes signs in with (incorrect client id).",
        "Ask your hub admin to check CloudscapesGit.github_client_id.",
    ),
    "incorrect_device_code": (
        "error",
        "GitHub did not recognise this sign-in's code.",
        "Start the sign-in again for a new code.",
    ),
    "device_flow_disabled": (
        "error",
        "Device sign-in is not enabled for the GitHub App Cloudscapes uses.",
        "Ask your hub admin to enable Device Flow in the GitHub App's settings.",
    ),
}


@dataclass
class Outcome:
    """What one poll of the token endpoint means."""

    state: str  # pending | slow_down | expired | denied | error | signed_in | retry
    message: str | None = None
    interval: float | None = None
    token: dict[str, Any] | None = None

    @property
    def ends(self) -> bool:
        return self.state in ("expired", "denied", "error", "signed_in")


def token_outcome(status: int, body: Any, interval: float) -> Outcome:
    """The meaning of one token poll's answer (HTTP ``status``, parsed JSON ``body`` or
    None); ``interval`` is the current one."""
    if isinstance(body, dict) and isinstance(body.get("access_token"), str) and status < 400:
        return Outcome("signed_in", token=body)
    error = body.get("error") if isinstance(body, dict) else None
    if error == "authorization_pending":
        return Outcome("pending", "Waiting for you to enter the code on GitHub.")
    if error == "slow_down":
        sent = seconds(body.get("interval"), None, MIN_INTERVAL, MAX_INTERVAL)
        new = sent if sent is not None and sent > interval else min(interval + 5, MAX_INTERVAL)
        return Outcome(
            "slow_down",
            "GitHub asked Cloudscapes to check less often; still waiting for the code.",
            interval=new,
        )
    if isinstance(error, str) and error in ENDING:
        state, message, hint = ENDING[error]
        return Outcome(state, f"{message} {hint}")
    if status >= 500 or status == 599 or body is None:
        return Outcome("retry", "GitHub did not answer; trying again.")
    code = error if isinstance(error, str) else f"HTTP {status}"
    return Outcome(
        "error", f"GitHub refused the sign-in ({printable_code(code)}). Start the sign-in again."
    )


def printable_code(code: str) -> str:
    return "".join(c for c in code[:60] if c.isalnum() or c in "_- ") or "error"


# ---- HTTP -------------------------------------------------------------------------------


async def _post_form(url: str, fields: dict[str, str]) -> tuple[int, Any]:
    """POST a form, JSON back: ``(status, body or None)``; 599 when GitHub could not be
    reached. The body may hold a token: it is never logged."""
    request = HTTPRequest(
        url,
        method="POST",
        body=urlencode(fields),
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        connect_timeout=REQUEST_TIMEOUT,
        request_timeout=REQUEST_TIMEOUT,
        follow_redirects=False,
    )
    try:
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
    except (OSError, HTTPClientError, asyncio.TimeoutError):
        return 599, None
    if response.code == 599:
        return 599, None
    try:
        return response.code, json.loads(response.body or b"")
    except ValueError:
        return response.code, None


async def _get_json(url: str, token: str) -> tuple[int, Any, Any]:
    """GET the API with the token: ``(status, body, headers)``."""
    request = HTTPRequest(
        url,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
        },
        connect_timeout=REQUEST_TIMEOUT,
        request_timeout=REQUEST_TIMEOUT,
        follow_redirects=False,
    )
    try:
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
    except (OSError, HTTPClientError, asyncio.TimeoutError):
        return 599, None, None
    try:
        body = json.loads(response.body or b"") if response.code != 599 else None
    except ValueError:
        body = None
    return response.code, body, response.headers


def _device_answer(body: Any) -> bool:
    """Whether ``body`` is a device-code answer the panel can show: short printable
    codes and an http(s) verification link (the panel makes it a link; a
    ``javascript:`` one would run in the user's page)."""
    if not isinstance(body, dict):
        return False
    code, user_code, uri = (
        body.get("device_code"),
        body.get("user_code"),
        body.get("verification_uri"),
    )
    if not (isinstance(code, str) and isinstance(user_code, str) and isinstance(uri, str)):
        return False
    if not (code and user_code and uri):
        return False
    if len(code) > 512 or len(user_code) > 64 or len(uri) > 2048:
        return False
    if printable(user_code, 64) != user_code or any(c.isspace() for c in uri):
        return False
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    return parts.scheme in ("https", "http") and bool(parts.hostname)


def _unreachable(what: str) -> CloudscapesError:
    return CloudscapesError(
        502,
        "github_unreachable",
        f"GitHub could not be reached to {what}.",
        "Check the hub's network access and try again in a moment.",
    )


# ---- the sign-in ------------------------------------------------------------------------


@dataclass
class Device:
    device_code: str = field(repr=False)
    user_code: str
    verification_uri: str
    expires_at: float
    interval: float
    state: str = "pending"
    message: str | None = "Enter the code on GitHub to sign in."
    task: asyncio.Task | None = field(default=None, repr=False)

    def model(self) -> dict[str, Any]:
        return {
            "user_code": self.user_code,
            "verification_uri": self.verification_uri,
            "expires_at": iso(self.expires_at),
            "interval": self.interval,
            "state": self.state,
            "message": self.message,
        }


class GitHub:
    """The GitHub sign-in of one server (one per :class:`GitService`: :func:`github`)."""

    def __init__(self, service: GitService) -> None:
        self.service = service
        self.config = service.config
        self.device: Device | None = None
        #: full names of the repositories the token reaches, read at sign-in
        self.repositories: list[str] | None = None
        #: the refresh running (see :meth:`refresh`) and when to try again after one failed
        self._refreshing: asyncio.Future[Any] | None = None
        self._retry_at = 0.0

    @property
    def state_dir(self) -> Path:
        return state_dir(self.config)

    @property
    def configured(self) -> bool:
        return bool(self.config.github_client_id)

    def _refuse_unconfigured(self) -> None:
        if not self.configured:
            raise CloudscapesError(
                409,
                "github_not_configured",
                "GitHub sign-in is not set up on this hub.",
                "Ask your hub admin to set CloudscapesGit.github_client_id (a GitHub App "
                "with device flow enabled).",
            )

    def token(self) -> dict[str, Any] | None:
        data = load_token(self.state_dir)
        if data is None or data.get("github_url") != web_url(self.config):
            return None
        return data

    def model(self) -> dict[str, Any]:
        data = self.token()
        now = time.time()
        signed_in = data is not None and (helper.usable(data, now) or helper.can_refresh(data, now))
        until = None
        if data is not None and signed_in:
            until = data.get("refresh_expires_at") if data.get("refresh_token") else None
            until = until or data.get("expires_at")
        return {
            "configured": self.configured,
            "host": host_of(self.config),
            "signed_in": signed_in,
            "login": data.get("login") if data is not None and signed_in else None,
            "expires_at": iso(until),
            "repositories": self.repositories if signed_in else None,
            "device": self.device.model() if self.device is not None else None,
        }

    async def refresh(self) -> None:
        """Refresh the saved token if it has less than 10 minutes left (in a thread: the
        file lock is shared with the credential helper).

        ``GET github`` is polled: one refresh at a time however many polls wait for it,
        and after one that failed (GitHub down or slow) none for :data:`REFRESH_RETRY`
        seconds, so the polls do not fill the executor's threads with refreshes that
        each wait for GitHub."""
        data = self.token()
        if data is None or not helper.needs_refresh(data, time.time()):
            return
        if self._refreshing is None or self._refreshing.done():
            if time.monotonic() < self._retry_at:
                return
            self._refreshing = asyncio.get_running_loop().run_in_executor(
                None, helper.refresh_sync, self.state_dir
            )
        after = await asyncio.shield(self._refreshing)
        if after is None or after.get("access_token") == data.get("access_token"):
            self._retry_at = time.monotonic() + REFRESH_RETRY  # it did not happen

    # ---- device flow ----

    async def start_device(self) -> dict[str, Any]:
        self._refuse_unconfigured()
        self.cancel_device()
        status, body = await _post_form(
            web_url(self.config) + "/login/device/code",
            {"client_id": self.config.github_client_id, "scope": "repo"},
        )
        if status == 599:
            raise _unreachable("start the sign-in")
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, str) and error in ENDING:
            _, message, hint = ENDING[error]
            raise CloudscapesError(409, "github_refused", message, hint)
        if status >= 400 or not _device_answer(body):
            raise CloudscapesError(
                502,
                "github_refused",
                f"GitHub did not start the sign-in (HTTP {status}).",
                "Ask your hub admin to check CloudscapesGit.github_client_id and github_url.",
            )
        device = Device(
            device_code=body["device_code"],
            user_code=body["user_code"],
            verification_uri=body["verification_uri"],
            expires_at=time.time() + (seconds(body.get("expires_in"), None, 1.0, 3600.0) or 900.0),
            interval=seconds(body.get("interval"), None, MIN_INTERVAL, MAX_INTERVAL) or 5.0,
        )
        self.cancel_device()  # another start may have begun while this one waited
        self.device = device
        device.task = asyncio.get_running_loop().create_task(
            self._poll(device), name="cloudscapes-github-device-flow"
        )
        return self.model()

    def cancel_device(self) -> None:
        if self.device is not None and self.device.task is not None:
            self.device.task.cancel()
        self.device = None

    async def _poll(self, device: Device) -> None:
        failures = 0
        try:
            while True:
                # a little past the interval: polling early is a slow_down
                await asyncio.sleep(device.interval + POLL_MARGIN)
                if time.time() >= device.expires_at:
                    device.state, device.message = "expired", " ".join(ENDING["expired_token"][1:])
                    return
                status, body = await _post_form(
                    web_url(self.config) + "/login/oauth/access_token",
                    {
                        "client_id": self.config.github_client_id,
                        "device_code": device.device_code,
                        "grant_type": DEVICE_GRANT,
                    },
                )
                outcome = token_outcome(status, body, device.interval)
                if outcome.state == "retry":
                    failures += 1
                    if failures >= POLL_FAILURES:
                        device.state = "error"
                        device.message = (
                            "GitHub could not be reached to finish the sign-in. "
                            "Start the sign-in again."
                        )
                        return
                    continue
                failures = 0
                if outcome.interval is not None:
                    device.interval = outcome.interval
                if outcome.state == "signed_in" and outcome.token is not None:
                    await self._signed_in(outcome.token, device)
                    device.state, device.message = "signed_in", None
                    return
                device.state, device.message = outcome.state, outcome.message
                if outcome.ends:
                    return
        except asyncio.CancelledError:
            raise
        except Exception:  # never let the task die silently; never log the token
            log.exception("Cloudscapes: the GitHub sign-in failed unexpectedly")
            device.state, device.message = "error", "The sign-in failed unexpectedly; start again."

    async def _signed_in(self, answer: dict[str, Any], device: Device | None = None) -> None:
        now = time.time()
        data = with_expiry(
            {
                "github_url": web_url(self.config),
                "api_url": str(self.config.github_api_url).rstrip("/"),
                "client_id": self.config.github_client_id,
                "login": None,
            },
            answer,
            now,
        )
        status, body, _ = await _get_json(data["api_url"] + "/user", data["access_token"])
        if status == 200 and isinstance(body, dict) and isinstance(body.get("login"), str):
            data["login"] = printable(body["login"], 100)
        saved = await asyncio.get_running_loop().run_in_executor(None, self._save, data, device)
        if not saved:
            return
        await self.install_helper()
        try:
            self.repositories = [r["full_name"] for r in await self.repos()]
        except CloudscapesError:
            self.repositories = None
        log.info("Cloudscapes: signed in to %s as %s", host_of(self.config), data["login"])

    def _save(self, data: dict[str, Any], device: Device | None = None) -> bool:
        """Save the token, unless the sign-in it ends is no longer the current one: a
        sign-out (or a new sign-in) came while it was on its way, and its token file
        must not come back after the sign-out removed it. Checked under the lock the
        sign-out removes the file under."""
        with helper.token_lock(self.state_dir):
            if device is not None and self.device is not device:
                return False
            save_token(self.state_dir, data)
            return True

    # ---- the helper in the global config ----

    def helper_command(self) -> str:
        return (
            f"!{shlex.quote(sys.executable)} -m cloudscapes.git.credential_helper "
            f"--state-dir {shlex.quote(str(self.state_dir))}"
        )

    def helper_key(self) -> str:
        return f"credential.{web_url(self.config)}.helper"

    async def _global_config(self, *args: str) -> Any:
        """``git config --global ...``, again while another git (a second server, a
        terminal) holds ``~/.gitconfig.lock``."""
        for _ in range(CONFIG_TRIES):
            result = await self.service.git.run(
                ["config", "--global", *args], lock=False, doing="config"
            )
            if result.ok or "could not lock config file" not in result.stderr:
                return result
            await asyncio.sleep(CONFIG_RETRY)
        return result

    async def _remove_helper(self) -> None:
        """Remove our entries for the host, whatever python or state dir they name, and
        the empty entry that silenced the others; the user's own helpers for the host
        (``gh auth git-credential``, a keychain) and every other line stay."""
        key = self.helper_key()
        await self._global_config("--unset-all", key, HELPER_PATTERN)
        await self._global_config("--fixed-value", "--unset-all", key, "")

    async def install_helper(self) -> None:
        """``credential.<github url>.helper``: an empty entry (no helper listed before
        it answers for the host), then ours; other hosts' helpers stay as the user set
        them, and the user's own helpers for the host are back after sign-out."""
        key = self.helper_key()
        await self._remove_helper()
        await self._global_config("--add", key, "")
        result = await self._global_config("--add", key, self.helper_command())
        self.service.git.check(result, "set up the GitHub credential helper")

    async def sign_out(self) -> dict[str, Any]:
        self.cancel_device()
        await asyncio.get_running_loop().run_in_executor(None, self._remove)
        await self._remove_helper()
        from .credentials import forget_host

        await forget_host(self.service, web_url(self.config))
        self.repositories = None
        return self.model()

    def _remove(self) -> None:
        with helper.token_lock(self.state_dir):
            remove_token(self.state_dir)

    # ---- repositories ----

    async def repos(self) -> list[dict[str, Any]]:
        """``[{full_name, clone_url, private, description}]`` the token reaches."""
        self._refuse_unconfigured()
        await self.refresh()
        data = self.token()
        if data is None or not helper.usable(data, time.time()):
            raise CloudscapesError(
                409,
                "github_signed_out",
                "You are not signed in to GitHub.",
                "Sign in with GitHub in the Git panel first.",
            )
        api, token = (
            str(data.get("api_url") or self.config.github_api_url).rstrip("/"),
            data["access_token"],
        )
        status, body, _ = await _get_json(f"{api}/user/installations?per_page=100", token)
        found: dict[str, dict[str, Any]] = {}
        if status == 200 and isinstance(body, dict):
            for inst in body.get("installations") or []:
                if isinstance(inst, dict) and isinstance(inst.get("id"), int):
                    url = f"{api}/user/installations/{inst['id']}/repositories?per_page=100"
                    for repo in await self._pages(url, token, "repositories", api):
                        found.setdefault(repo["full_name"], repo)
        elif status == 599:
            raise _unreachable("list your repositories")
        else:
            for repo in await self._pages(f"{api}/user/repos?per_page=100", token, None, api):
                found.setdefault(repo["full_name"], repo)
        repos = sorted(found.values(), key=lambda r: r["full_name"].lower())
        self.repositories = [r["full_name"] for r in repos]
        return repos

    async def _pages(self, url: str, token: str, key: str | None, api: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            status, body, headers = await _get_json(url, token)
            if status == 599:
                raise _unreachable("list your repositories")
            if status != 200:
                raise CloudscapesError(
                    502,
                    "github_refused",
                    f"GitHub refused to list your repositories (HTTP {status}).",
                    "Sign out and sign in again; if it persists, ask your hub admin.",
                )
            items = body.get(key) if key and isinstance(body, dict) else body
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("full_name"), str):
                    out.append(
                        {
                            "full_name": item["full_name"],
                            "clone_url": str(item.get("clone_url") or ""),
                            "private": bool(item.get("private")),
                            "description": item.get("description")
                            if isinstance(item.get("description"), str)
                            else None,
                        }
                    )
            url = _next_link(headers.get("Link", "") if headers is not None else "")
            if not url.startswith(api + "/"):  # the token goes to the API only
                break
        return out


def _next_link(header: str) -> str:
    for part in header.split(","):
        target, _, rel = part.partition(";")
        if 'rel="next"' in rel:
            return target.strip().strip("<>")
    return ""


_INSTANCES: weakref.WeakKeyDictionary[Any, GitHub] = weakref.WeakKeyDictionary()


def github(service: GitService) -> GitHub:
    """The :class:`GitHub` of ``service`` (made on first use)."""
    found = _INSTANCES.get(service)
    if found is None:
        found = _INSTANCES[service] = GitHub(service)
    return found


def stop(service: GitService) -> None:
    """Stop a sign-in's polling (the server stops): ``GitService.stop`` calls it."""
    found = _INSTANCES.get(service)
    if found is not None:
        found.cancel_device()
