"""Usage indicator: cost, memory/CPU/disk, idle culling, keep-alive and stop."""

from __future__ import annotations

from typing import Any

from ..app import Feature
from .config import CloudscapesUsage
from .handlers import KeepAliveHandler, StopHandler, UsageHandler
from .service import UsageService


def setup(app: Any) -> list[tuple[Any, ...]]:
    config = CloudscapesUsage(parent=app)
    service = UsageService(config, app.serverapp)
    service.start()
    app.services["usage"] = service
    return [
        ("usage", UsageHandler),
        ("usage/keepalive", KeepAliveHandler),
        ("usage/stop", StopHandler),
    ]


def shutdown(app: Any) -> None:
    app.services["usage"].stop()


feature = Feature(name="usage", setup=setup, configurables=[CloudscapesUsage], shutdown=shutdown)
