"""One tornado app for the whole stand-in (github.com and its API share one origin
here: ``github_url`` is the app, ``github_api_url`` its ``/api/v3``), its start on a
loopback port, and the settings that point a Jupyter server at it."""

from __future__ import annotations

from typing import Any

from tornado import web
from tornado.httpserver import HTTPServer

from ..serving import RecordedNotFound, StandInGroup, listen
from . import api, control, githttp, oauth
from .state import GitHubState


def make_app(state: GitHubState) -> web.Application:
    routes: list[Any] = [
        (r"/login/device/code", oauth.DeviceCodeHandler, {"state": state}),
        (r"/login/oauth/access_token", oauth.AccessTokenHandler, {"state": state}),
        (r"/login/device", oauth.DevicePageHandler, {"state": state}),
        *((path, handler, {"state": state}) for path, handler in api.ROUTES),
        *((path, handler, {"state": state}) for path, handler in control.ROUTES),
        *((path, handler, {"state": state, **kw}) for path, handler, kw in control.EXTRA_ROUTES),
        *((path, handler, {"state": state}) for path, handler in githttp.ROUTES),
    ]
    # No access log (tokens are in bodies, but keep the stand-ins' rule); big pushes fit.
    return web.Application(
        routes,
        log_function=lambda handler: None,
        default_handler_class=RecordedNotFound,
        default_handler_args={"state": state, "service": "github"},
    )


def start_github(state: GitHubState, port: int = 0) -> tuple[HTTPServer, int]:
    """Serve the stand-in on ``127.0.0.1:port`` (0: a free one) in the current IOLoop."""
    server, port = listen(make_app(state), port)
    state.url = f"http://127.0.0.1:{port}"
    return server, port


class GitHubStandIn(StandInGroup):
    """The stand-in, listening; create it on the thread and loop that is to serve it."""

    state: GitHubState

    def __init__(self, state: GitHubState, port: int = 0) -> None:
        super().__init__(state, [(start_github, port)])

    @property
    def url(self) -> str:
        return self.state.base_url


def server_config(url: str, client_id: str) -> dict[str, Any]:
    """``c.CloudscapesGit`` for a server wired to the stand-in at ``url``: its device
    flow and API, and plain ``http`` allowed (the stand-in is on loopback)."""
    return {
        "github_url": url,
        "github_api_url": f"{url}/api/v3",
        "github_client_id": client_id,
        "allowed_schemes": ["https", "ssh", "http"],
    }
