"""The usage indicator's registration: its configurable, service and routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..features import Feature
from .config import CloudscapesUsage
from .handlers import KeepAliveHandler, StopHandler, UsageHandler
from .service import UsageService

if TYPE_CHECKING:
    from ..app import CloudscapesApp


def start(app: CloudscapesApp) -> UsageService:
    service = UsageService(CloudscapesUsage(parent=app), app.serverapp)
    service.start()
    return service


feature = Feature(
    name="usage",
    service=UsageService,
    start=start,
    routes=[
        ("", UsageHandler),
        ("keepalive", KeepAliveHandler),
        ("stop", StopHandler),
    ],
    configurables=[CloudscapesUsage],
    stop=UsageService.stop,
)
