"""The single-user server's view of its JupyterHub: its record, and stopping itself.

Everything comes from the variables the hub sets on the servers it spawns
(``JUPYTERHUB_API_URL``, ``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_USER``,
``JUPYTERHUB_SERVER_NAME``, ``JUPYTERHUB_BASE_URL``). The token is sent to the hub
API only, never logged and never returned to the browser.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from jupyter_server.utils import url_path_join
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.simple_httpclient import HTTPStreamClosedError

from ..handlers import CloudscapesError, parse_time

#: The scope a server token needs to stop its own server.
STOP_SCOPE = "delete:servers!server"
#: The scope a server token needs to read its own start time and profile.
READ_SCOPE = "read:servers!server"


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


@dataclass
class HubRecord:
    """What the hub told us about this server (all optional: scopes may hide it)."""

    started: datetime | None = None
    profile: str | None = None
    scopes: list[str] | None = None
    #: The hub's view of this server's last activity, what its idle culler compares
    #: with ``--timeout``: ``servers[name].last_activity`` with ``read:servers``, else
    #: the user's ``last_activity`` (the default server token may read that one).
    last_activity: datetime | None = None
    fetched: bool = False
    error: str | None = None

    def allows(self, action: str, user: str, server_name: str) -> bool | None:
        """Whether the token's scopes grant ``action`` on this server (None: unknown).

        The hub expands ``!server`` to ``!server=<user>/<name>``; a ``!group=`` filter
        cannot be judged here, so it counts as allowed and the hub decides.
        """
        if self.scopes is None:
            return None
        for scope in self.scopes:
            base, _, filt = scope.partition("!")
            if base != action:
                continue
            if filt in ("", f"user={user}", f"server={user}/{server_name}"):
                return True
            if filt.startswith("group="):
                return True
        return False


@dataclass
class HubClient:
    api_url: str
    token: str = field(repr=False)
    user: str
    server_name: str = ""
    base_url: str = "/"
    timeout: float = 10.0

    @classmethod
    def from_env(cls, timeout: float = 10.0) -> HubClient | None:
        env = os.environ
        api_url = env.get("JUPYTERHUB_API_URL", "")
        user = env.get("JUPYTERHUB_USER", "")
        if not api_url or not user:
            return None
        return cls(
            api_url=api_url,
            token=env.get("JUPYTERHUB_API_TOKEN", ""),
            user=user,
            server_name=env.get("JUPYTERHUB_SERVER_NAME", ""),
            base_url=env.get("JUPYTERHUB_BASE_URL", "/") or "/",
            timeout=timeout,
        )

    @property
    def home_url(self) -> str:
        return url_path_join(self.base_url, "hub/home")

    @property
    def server_path(self) -> str:
        user = quote(self.user, safe="")
        if self.server_name:
            return f"users/{user}/servers/{quote(self.server_name, safe='')}"
        return f"users/{user}/server"

    def _request(self, method: str, path: str) -> HTTPRequest:
        return HTTPRequest(
            url_path_join(self.api_url, path),
            method=method,
            headers={"Authorization": f"token {self.token}", "Accept": "application/json"},
            connect_timeout=self.timeout,
            request_timeout=self.timeout,
            follow_redirects=False,
            allow_nonstandard_methods=True,
        )

    async def _get_user(self) -> dict[str, Any]:
        """``GET /user``: the token owner's model; raises :class:`CloudscapesError`."""
        try:
            response = await AsyncHTTPClient().fetch(
                self._request("GET", "user"), raise_error=False
            )
        except (HTTPClientError, OSError) as exc:
            raise self._unreachable(exc) from None
        if response.code != 200:
            raise CloudscapesError(
                502,
                "hub_error",
                f"The hub answered {response.code} when asked about this server.",
                f"Try again, or stop the server from the hub's control panel: {self.home_url}",
            )
        try:
            model = json.loads(response.body or b"{}")
        except ValueError:
            model = None
        if not isinstance(model, dict):
            raise CloudscapesError(
                502,
                "hub_error",
                "The hub answered something other than a user model.",
                f"Check the hub at {self.home_url}",
            )
        return model

    def _record(self, model: dict[str, Any]) -> HubRecord:
        scopes = model.get("scopes")
        server = (model.get("servers") or {}).get(self.server_name) or {}
        options = server.get("user_options") or {}
        profile = options.get("profile") if isinstance(options, dict) else None
        return HubRecord(
            started=_parse_time(server.get("started")),
            profile=profile if isinstance(profile, str) and profile else None,
            scopes=list(scopes) if isinstance(scopes, list) else None,
            # The culler compares the server's last_activity. The user's also moves
            # with the hub's own pages and the user's other servers, so counting from
            # it would predict the cull too late: without read:servers there is none.
            last_activity=_parse_time(server.get("last_activity")),
            fetched=True,
        )

    async def fetch_record(self) -> HubRecord:
        """GET /user: the token's scopes, and this server's start, profile and activity."""
        try:
            return self._record(await self._get_user())
        except CloudscapesError as exc:
            return HubRecord(fetched=False, error=exc.message)

    def _unreachable(self, exc: Exception) -> CloudscapesError:
        """The error a user sees when the hub did not answer a call."""
        if isinstance(exc, HTTPClientError):  # 599: tornado's timeout
            return CloudscapesError(
                504,
                "hub_timeout",
                f"The hub did not answer within {self.timeout:g} seconds.",
                f"Try again, or stop the server from the hub's control panel: {self.home_url}",
            )
        return CloudscapesError(
            502,
            "hub_unreachable",
            f"The hub could not be reached ({exc.__class__.__name__}).",
            f"Stop the server from the hub's control panel: {self.home_url}",
        )

    def forbidden(self) -> CloudscapesError:
        """The 403 of a token without the stop scope: what to grant, and where."""
        return CloudscapesError(
            403,
            "hub_forbidden",
            "The hub refused to stop this server: the server's token lacks the scope "
            f"{STOP_SCOPE}.",
            f"Stop it from the hub's control panel ({self.home_url}). Hub admins can "
            f"allow this button by adding '{STOP_SCOPE}' to "
            "c.Spawner.server_token_scopes.",
        )

    async def check_stop_allowed(self) -> None:
        """Read the token's scopes now and raise the 403 when they cannot stop this
        server, before anything is answered: once the hub is asked, it stops the server
        (and this handler with it) before it answers, so its 403 would never come back
        in time to be shown. Unknown scopes (an old hub) let the hub decide."""
        record = self._record(await self._get_user())
        if record.allows("delete:servers", self.user, self.server_name) is False:
            raise self.forbidden()

    async def stop_server(self) -> str:
        """Ask the hub to stop this server: ``"stopped"`` (204) or ``"stopping"`` (202,
        or the connection dropped: a real hub interrupts this server before it answers).
        Raises :class:`CloudscapesError` for the hub's refusals and failures."""
        try:
            response = await AsyncHTTPClient().fetch(
                self._request("DELETE", self.server_path), raise_error=False
            )
        except HTTPStreamClosedError:
            return "stopping"
        except (HTTPClientError, OSError) as exc:
            raise self._unreachable(exc) from None
        if response.code == 204:
            return "stopped"
        if response.code == 202:
            return "stopping"
        if response.code == 403:
            raise self.forbidden()
        if response.code == 404:
            raise CloudscapesError(
                404,
                "hub_server_not_found",
                "The hub does not know this server any more.",
                f"Open the hub's control panel: {self.home_url}",
            )
        raise CloudscapesError(
            502,
            "hub_error",
            f"The hub answered {response.code} when asked to stop this server.",
            f"Try again, or stop the server from the hub's control panel: {self.home_url}",
        )
