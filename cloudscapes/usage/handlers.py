"""REST handlers of the usage indicator: ``/cloudscapes/usage[...]``."""

from __future__ import annotations

from tornado.iostream import StreamClosedError

from ..contract import printable
from ..handlers import (
    CloudscapesError,
    CloudscapesHandler,
    authenticated,
    bad_request,
    isoformat,
)
from .service import UsageService


class UsageBase(CloudscapesHandler):
    @property
    def usage(self) -> UsageService:
        return self.cloudscapes.service(UsageService)


class UsageHandler(UsageBase):
    """``GET /cloudscapes/usage``: polled by every open tab, so it is not activity."""

    _track_activity = False

    @authenticated
    async def get(self) -> None:
        self.reply(await self.usage.snapshot())


class KeepAliveHandler(UsageBase):
    """``POST`` keeps the server active for a while; ``DELETE`` ends that early.

    The requests themselves are not activity: only the keep-alive moves the server's
    last activity, through ``last_activity_times``.
    """

    _track_activity = False

    @authenticated
    async def post(self) -> None:
        body = self.json_body()
        maximum = self.usage.config.keepalive_max_minutes
        if maximum <= 0:
            raise CloudscapesError(
                403,
                "keepalive_disabled",
                "Keep-alive is turned off on this hub.",
                "Save your work; an idle server will be stopped by the hub's culler.",
            )
        minutes = body["minutes"]  # a whole number, at least 1 (schema/usage.yaml)
        if minutes > maximum:
            raise bad_request(
                f"Keep-alive can last from 1 to {maximum} minutes, not {printable(minutes)}.",
                f"Choose at most {maximum} minutes; the hub admin sets this limit.",
                code="keepalive_out_of_range",
            )
        until = self.usage.keepalive(minutes)
        self.reply({"keepalive_until": isoformat(until)})

    @authenticated
    async def delete(self) -> None:
        self.usage.end_keepalive()
        self.reply({"keepalive_until": None})


class StopHandler(UsageBase):
    """``POST /cloudscapes/usage/stop``: stop this server (through the hub when there is
    one), answering before the stop begins; ``GET``: what became of it, polled by the
    page while it follows the stop (not activity)."""

    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        self.reply(self.usage.stop_state)

    @authenticated
    async def post(self) -> None:
        if not self.usage.config.allow_stop:
            raise CloudscapesError(
                403,
                "stop_disabled",
                "Stopping the server from JupyterLab is turned off here.",
                "Use File > Hub Control Panel, or ask your hub admin.",
            )
        status, model = await self.usage.accept_stop()
        try:
            await self.reply(model, status)
        except StreamClosedError:
            pass  # the browser left; the user confirmed the stop, so it goes on
        self.usage.stop_after_answer()
