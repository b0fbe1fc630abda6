"""The Dask feature's registration: its configurable, service and routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..features import ID, Feature
from ..usage.service import UsageService
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

if TYPE_CHECKING:
    from ..app import CloudscapesApp


def start(app: CloudscapesApp) -> DaskService:
    # With the usage indicator, running gateway clusters add to its $/hour and share
    # its currency; without it, clusters just carry their own rates.
    usage = app.optional_service(UsageService)
    service = DaskService(CloudscapesDask(parent=app), app, usage)
    if usage is not None:
        usage.extra_rates.append(service.usage_extra)
    service.start()
    return service


feature = Feature(
    name="dask",
    service=DaskService,
    start=start,
    routes=[
        ("backends", BackendsHandler),
        ("clusters", ClustersHandler),
        (f"clusters/{ID}", ClusterHandler),
        (f"clusters/{ID}/plots", PlotsHandler),
        # Bokeh's websockets end in /ws; they go to the socket proxy, the rest to HTTP.
        (f"clusters/{ID}/dashboard/((?:.*/)?ws)", DashboardSocketHandler),
        (f"clusters/{ID}/dashboard/(.*)", DashboardHandler),
    ],
    configurables=[CloudscapesDask],
    uses=("usage",),
    stop=DaskService.shutdown,
)
