"""Routes of the Dask feature (``schema/dask.yaml``), and the proxy of local dashboards.

The proxy never counts as user activity: an open dashboard must not keep an idle
server from being culled. It answers a gone cluster with 404 at once, without trying
to reach a dashboard that is no longer there. Its answers are shown in iframes of the
lab page, so they let this origin frame them whatever the server's policy says
(jupyterhub-singleuser says ``frame-ancestors 'none'`` on every answer).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClosedError, WebSocketHandler, websocket_connect

from ..handlers import CloudscapesError, CloudscapesHandler, authenticated, jupyters_query_key
from ..jobs import reply_accepted
from .service import DaskService

if TYPE_CHECKING:
    from ..app import CloudscapesApp

#: Response headers passed from a dashboard to the browser.
PASSED_HEADERS = ("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Expires")


@functools.lru_cache(maxsize=16)  # the server's policy hardly ever changes
def framable_policy(policy: str) -> str:
    """``policy`` with a ``frame-ancestors`` that lets the lab page (this origin) frame
    the answer, every other directive kept (a hub's ``report-uri``, an admin's sources).

    The hub's ``'none'`` (or no ``frame-ancestors``) becomes ``'self'``: a dashboard
    pane is an iframe of the lab page. An admin's list of sources gains ``'self'`` and
    keeps the rest, since every ancestor is checked: a lab page embedded in an allowed
    portal must still frame its dashboards.
    """
    ancestors = "frame-ancestors 'self'"
    kept = []
    for directive in filter(None, (d.strip() for d in policy.split(";"))):
        name, _, sources = directive.partition(" ")
        if name.lower() != "frame-ancestors":
            kept.append(directive)
            continue
        listed = [s for s in sources.split() if s.lower() != "'none'"]
        if any(s.lower() == "'self'" for s in listed):
            ancestors = directive
        elif listed:
            ancestors = f"frame-ancestors 'self' {' '.join(listed)}"
    return "; ".join([ancestors, *kept])


class FramableDashboard:
    """The policy of every dashboard answer (pages, scripts, redirects, errors, the
    socket's page): a page's policy, not the API's ``default-src 'none'`` (which would
    stop the dashboard's scripts), that the lab page may frame."""

    @property
    def content_security_policy(self) -> str:
        return framable_policy(JupyterHandler.content_security_policy.fget(self))  # type: ignore[attr-defined]


class DaskBase(CloudscapesHandler):
    @property
    def dask(self) -> DaskService:
        return self.cloudscapes.service(DaskService)


class BackendsHandler(DaskBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        self.reply({"backends": await self.dask.backends()})


class ClustersHandler(DaskBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        self.reply(await self.dask.list())

    @authenticated
    async def post(self) -> None:
        job, record = await self.dask.create(self.json_body())
        reply_accepted(self, self.cloudscapes.jobs, job, cluster=self.dask.model(record))

    @authenticated
    async def delete(self) -> None:
        self.reply(await self.dask.stop_all())


class ClusterHandler(DaskBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self, cluster_id: str) -> None:
        self.reply(self.dask.model(await self.dask.find(cluster_id)))

    @authenticated
    async def patch(self, cluster_id: str) -> None:
        body = self.json_body()
        self.reply(self.dask.model(await self.dask.scale(cluster_id, body)))

    @authenticated
    async def delete(self, cluster_id: str) -> None:
        self.reply(self.dask.model(await self.dask.stop(cluster_id)))


class PlotsHandler(DaskBase):
    @authenticated
    async def get(self, cluster_id: str) -> None:
        self.reply({"plots": await self.dask.plots(cluster_id)})


def _local_port(dask: DaskService, cluster_id: str) -> int:
    if cluster_id not in dask.local.entries and not cluster_id.startswith("local-"):
        raise CloudscapesError(
            409,
            "not_a_local_cluster",
            "Gateway clusters' dashboards are reached through the gateway.",
            "Use the cluster's dashboard link.",
        )
    return dask.local.dashboard_port(cluster_id)


def _upstream_url(port: int, path: str, arguments: dict[str, list[bytes]], scheme: str) -> str:
    query = [
        (key, value.decode("utf-8", "replace"))
        for key, values in arguments.items()
        if not jupyters_query_key(key, values)
        for value in values
    ]
    url = f"{scheme}://127.0.0.1:{port}/{path}"
    return f"{url}?{urlencode(query)}" if query else url


class DashboardHandler(FramableDashboard, DaskBase):
    """``GET .../dashboard/<path>``: a local cluster's dashboard, passed through."""

    #: dashboards poll; never activity
    _track_activity = False

    @authenticated
    async def get(self, cluster_id: str, path: str) -> None:
        port = _local_port(self.dask, cluster_id)
        url = _upstream_url(port, path, self.request.arguments, "http")
        try:
            response = await AsyncHTTPClient().fetch(
                url, request_timeout=30, follow_redirects=False, raise_error=False
            )
        except (OSError, HTTPClientError) as exc:  # refused, closed mid-answer, timed out
            raise CloudscapesError(
                502,
                "dashboard_unreachable",
                f"The cluster's dashboard did not answer ({exc.__class__.__name__}).",
                "The cluster may be shutting down; refresh the cluster list.",
            ) from None
        if response.code == 599 or (response.code >= 500 and response.body is None):
            raise CloudscapesError(
                502,
                "dashboard_unreachable",
                "The cluster's dashboard did not answer.",
                "The cluster may be shutting down; refresh the cluster list.",
            )
        self.set_status(response.code)
        for name in PASSED_HEADERS:
            if name in response.headers:
                self.set_header(name, response.headers[name])
        location = response.headers.get("Location")
        if location:
            if location.startswith("/"):
                location = self.dask.local.dashboard_url(cluster_id, location.lstrip("/"))
            self.set_header("Location", location)
        if response.code not in (204, 304):
            self.write(response.body or b"")
        # APIHandler would label every answer JSON; the dashboard's own type stands.
        await self.finish(
            set_content_type=response.headers.get("Content-Type", "application/octet-stream")
        )


class DashboardSocketHandler(
    FramableDashboard, WebSocketMixin, WebSocketHandler, ExtensionHandlerMixin, JupyterHandler
):
    """A local dashboard's websocket (Bokeh's ``…/ws``), frames passed both ways.

    Like every Cloudscapes route it requires login; unlike kernel websockets nothing
    here touches activity, so a dashboard left open does not keep the server alive.
    """

    upstream: Any = None

    @property
    def dask(self) -> DaskService:
        return cast("CloudscapesApp", self.extensionapp).service(DaskService)

    @ws_authenticated
    async def get(self, cluster_id: str, path: str) -> None:
        try:
            port = _local_port(self.dask, cluster_id)
        except CloudscapesError as exc:
            raise web.HTTPError(exc.status, exc.message) from None
        self.upstream_url = _upstream_url(port, path, self.request.arguments, "ws")
        self.protocols = [
            p.strip()
            for p in self.request.headers.get("Sec-WebSocket-Protocol", "").split(",")
            if p.strip()
        ]
        await super().get(cluster_id, path)

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        return subprotocols[0] if subprotocols else None

    async def open(self, cluster_id: str, path: str) -> None:
        super().open()
        request = HTTPRequest(self.upstream_url, connect_timeout=10, request_timeout=30)
        try:
            self.upstream = await websocket_connect(
                request,
                subprotocols=self.protocols or None,
                on_message_callback=self._from_upstream,
            )
        except (OSError, HTTPClientError):
            self.close(1011, "The dashboard did not answer.")
            return
        if self.ws_connection is None:  # the browser left while we connected
            self._close_upstream()

    def _from_upstream(self, message: str | bytes | None) -> None:
        if message is None:  # the dashboard closed (the cluster stopped)
            if self.ws_connection is not None:
                self.close(1001, "The dashboard closed.")
            return
        try:
            self.write_message(message, binary=isinstance(message, bytes))
        except WebSocketClosedError:
            self._close_upstream()

    async def on_message(self, message: str | bytes) -> None:
        if self.upstream is None:
            return
        try:
            await self.upstream.write_message(message, binary=isinstance(message, bytes))
        except WebSocketClosedError:
            self.close(1001, "The dashboard closed.")

    def on_close(self) -> None:
        self._close_upstream()

    def _close_upstream(self) -> None:
        if self.upstream is not None:
            upstream, self.upstream = self.upstream, None
            upstream.close()
