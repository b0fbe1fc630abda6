"""The Dask feature's registration: its configurable, service and routes."""

from __future__ import annotations

from typing import Any

from ..app import Feature
from .config import CloudscapesDask
from .handlers import (
    BackendsHandler,
    ClusterHandler,
    ClustersHandler,
    DashboardHandler,
    DashboardSocketHandler,
    PlotsHandler,
)
from .service import DaskService

_ID = r"([^/]{1,200})"


def setup(app: Any) -> list[tuple[Any, ...]]:
    service = DaskService(CloudscapesDask(parent=app), app)
    app.services["dask"] = service
    usage = app.services.get("usage")
    if usage is not None:
        usage.extra_rates.append(service.usage_extra)
    service.start()
    return [
        ("dask/backends", BackendsHandler),
        ("dask/clusters", ClustersHandler),
        (f"dask/clusters/{_ID}", ClusterHandler),
        (f"dask/clusters/{_ID}/plots", PlotsHandler),
        # Bokeh's websockets end in /ws; they go to the socket proxy, the rest to HTTP.
        (f"dask/clusters/{_ID}/dashboard/((?:.*/)?ws)", DashboardSocketHandler),
        (f"dask/clusters/{_ID}/dashboard/(.*)", DashboardHandler),
    ]


async def shutdown(app: Any) -> None:
    await app.services["dask"].shutdown()


feature = Feature(name="dask", setup=setup, configurables=[CloudscapesDask], shutdown=shutdown)
