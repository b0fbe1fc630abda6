"""A local stand-in for the parts of the JupyterHub REST API a single-user server uses.

It follows JupyterHub's documented behaviour:

- ``Authorization: token <t>`` (or ``Bearer <t>``); a missing or unknown token is 403.
- ``GET /hub/api/user`` returns the token owner's model with its ``scopes`` (expanded,
  as the hub returns them: ``read:servers!server=alice/``) and the user's
  ``last_activity`` (the newest of their servers'), and, only with a ``read:servers``
  scope, ``servers`` with ``started``, ``last_activity`` and ``user_options``.
- ``DELETE /hub/api/users/{user}/server`` and ``.../servers/{name}`` need
  ``delete:servers`` for that server: 204 when stopped at once, 202 while a slow
  spawner stops, 403 ``Action is not authorized with current scopes; requires any of
  [delete:servers]`` without the scope, 400 when not running, 404 for an unknown
  named server. Errors are ``{"status": code, "message": "..."}``.
- A server marked ``kill_on_stop`` is stopped as a real hub stops one: the hub calls
  :attr:`HubState.kill` (the tests' hook that takes the Jupyter server down: its
  proxy route gone, its process interrupted) and drops the DELETE's connection
  without an answer, so a handler inside that server that waits for it never gets one.

Used by the tests and by ``make demo`` (``python -m cloudscapes.testing.hub``).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from typing import Any

from tornado import web
from tornado.http1connection import HTTP1Connection
from tornado.httpserver import HTTPServer

from .serving import StandInHandler, listen, make_app


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


@dataclass
class FakeServer:
    started: datetime | None = field(default_factory=lambda: datetime.now(timezone.utc))
    user_options: dict[str, Any] = field(default_factory=dict)
    #: Seconds the "spawner" takes to stop: 0 answers 204, more answers 202.
    stop_delay: float = 0.0
    stop_pending: bool = False
    #: The hub's record of the server's last activity (default: its start).
    last_activity: datetime | None = None
    #: Stop as a real hub does: call :attr:`HubState.kill`, never answer the DELETE.
    kill_on_stop: bool = False

    @property
    def activity(self) -> datetime | None:
        return self.last_activity or self.started

    @property
    def ready(self) -> bool:
        return self.started is not None and not self.stop_pending


@dataclass
class HubState:
    #: token -> (user name, expanded scopes)
    tokens: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    #: user -> server name ("" for the default server) -> server
    servers: dict[str, dict[str, FakeServer]] = field(default_factory=dict)
    #: (user, server name) of every stop the hub accepted, in order
    stops: list[tuple[str, str]] = field(default_factory=list)
    #: What stopping a ``kill_on_stop`` server does to it (set by the test).
    kill: Callable[[], Awaitable[None] | None] | None = None
    #: user -> activity the hub saw outside any server (its own pages, the OAuth round
    #: trip of a new tab): the user's ``last_activity`` moves, no server's does
    user_activity: dict[str, datetime] = field(default_factory=dict)
    #: how many times ``GET /hub/api/user`` was answered
    user_reads: int = 0

    def add_server(
        self,
        user: str,
        name: str = "",
        *,
        token: str,
        scopes: list[str] | None = None,
        **server: Any,
    ) -> FakeServer:
        """A running server and its server token with the given short scopes.

        Short scopes as admins write them (``delete:servers!server``) are expanded to
        this server, as the hub does.
        """
        target = f"{user}/{name}"
        expanded = [s.replace("!server", f"!server={target}") for s in (scopes or [])]
        self.tokens[token] = (user, ["access:servers!server=" + target, *expanded])
        created = FakeServer(**server)
        self.servers.setdefault(user, {})[name] = created
        return created


def _scope_allows(scopes: list[str], action: str, user: str, name: str) -> bool:
    for scope in scopes:
        base, _, filt = scope.partition("!")
        if base != action:
            continue
        if not filt or filt == f"user={user}" or filt == f"server={user}/{name}":
            return True
    return False


class HubAPIHandler(StandInHandler):
    """The hub's REST API: token auth, errors as ``{"status", "message"}``."""

    state: HubState
    service = "hub"

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        message = getattr(exc, "log_message", None) or self._reason
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"status": status_code, "message": message}))

    def token_owner(self) -> tuple[str, list[str]]:
        kind, token = self.authorization()
        if kind not in ("token", "bearer") or token not in self.state.tokens:
            raise web.HTTPError(403, "Missing or invalid credentials.")
        return self.state.tokens[token]


class UserHandler(HubAPIHandler):
    def get(self) -> None:
        user, scopes = self.token_owner()
        self.state.user_reads += 1
        servers = self.state.servers.get(user, {})
        times = [s.activity for s in servers.values() if s.activity is not None]
        if user in self.state.user_activity:
            times.append(self.state.user_activity[user])
        model: dict[str, Any] = {
            "kind": "user",
            "name": user,
            "admin": False,
            "scopes": scopes,
            "last_activity": _iso(max(times)) if times else None,
        }
        visible = {
            name: {
                "name": name,
                "ready": server.ready,
                "pending": "stop" if server.stop_pending else None,
                "started": _iso(server.started),
                "last_activity": _iso(server.activity),
                "user_options": server.user_options,
            }
            for name, server in servers.items()
            if _scope_allows(scopes, "read:servers", user, name)
        }
        if visible:
            model["servers"] = visible
        self.finish(json.dumps(model))


class ServerHandler(HubAPIHandler):
    async def delete(self, user: str, name: str | None = None) -> None:
        _, scopes = self.token_owner()
        name = name or ""
        if not _scope_allows(scopes, "delete:servers", user, name):
            raise web.HTTPError(
                403,
                "Action is not authorized with current scopes; requires any of [delete:servers]",
            )
        server = self.state.servers.get(user, {}).get(name)
        if server is None:
            raise web.HTTPError(404, f"{user} has no server named '{name}'")
        if server.stop_pending:
            self.set_status(202)
            self.finish()
            return
        if not server.ready:
            raise web.HTTPError(400, f"{user}'s server {name} is not running")
        self.state.stops.append((user, name))
        if server.kill_on_stop:
            server.started = None
            if self.state.kill is not None:
                result = self.state.kill()
                if inspect.isawaitable(result):
                    await result
            connection = self.request.connection
            assert isinstance(connection, HTTP1Connection)
            connection.close()
            self._finished = True  # nothing is ever answered
            return
        if server.stop_delay > 0:
            server.stop_pending = True

            def finish_stop() -> None:
                server.stop_pending = False
                server.started = None

            asyncio.get_running_loop().call_later(server.stop_delay, finish_stop)
            self.set_status(202)
        else:
            server.started = None
            self.set_status(204)
        self.finish()


class HomeHandler(StandInHandler):
    """``/hub/home``: where "Stop my server" sends the browser after a stop."""

    state: HubState

    def get(self) -> None:
        rows = "".join(
            f"<li>{escape(user)}/{escape(name) or '(default)'}: "
            f"{'running' if server.ready else 'stopping' if server.stop_pending else 'stopped'}"
            "</li>"
            for user, servers in self.state.servers.items()
            for name, server in servers.items()
        )
        self.finish(
            "<!doctype html><title>Hub (Cloudscapes stand-in)</title>"
            "<h1>Hub home (Cloudscapes stand-in)</h1>"
            f"<ul>{rows}</ul><p>This stand-in records stops; it does not stop the "
            "Jupyter server of <code>make demo</code>. Press Ctrl-C in its terminal.</p>"
        )


def start(state: HubState, port: int = 0, address: str = "127.0.0.1") -> tuple[HTTPServer, int]:
    """Listen on loopback (``/hub/home`` and the API under ``/hub/api``); returns the
    server and the port it got. Unknown paths get tornado's 404, unrecorded."""
    prefix = "/hub/api"
    routes = [
        ("/hub/home", HomeHandler),
        (f"{prefix}/user", UserHandler),
        (rf"{prefix}/users/([^/]+)/server", ServerHandler),
        (rf"{prefix}/users/([^/]+)/servers/([^/]*)", ServerHandler),
    ]
    return listen(make_app(state, "hub", routes, not_found=None), port, address)


def main() -> None:  # pragma: no cover - exercised by `make demo`
    parser = argparse.ArgumentParser(description="Local JupyterHub API stand-in")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--user", default="demo")
    parser.add_argument("--token", required=True)
    parser.add_argument("--profile", default="small")
    parser.add_argument("--started-minutes-ago", type=float, default=42)
    args = parser.parse_args()
    state = HubState()
    state.add_server(
        args.user,
        token=args.token,
        scopes=["read:servers!server", "delete:servers!server"],
        started=datetime.now(timezone.utc) - timedelta(minutes=args.started_minutes_ago),
        user_options={"profile": args.profile},
        stop_delay=2.0,
    )

    async def run() -> None:
        _, port = start(state, args.port)
        print(f"hub API stand-in on http://127.0.0.1:{port}/hub/api", flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":  # pragma: no cover
    main()
