"""The Earthdata feature's registration: its configurable, service and routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..features import Feature
from .config import CloudscapesEarthdata
from .handlers import (
    AwsProfilesHandler,
    CredentialsHandler,
    DaacCredentialsHandler,
    RegionHandler,
    RenewHandler,
    SessionHandler,
)
from .service import EarthdataService

if TYPE_CHECKING:
    from ..app import CloudscapesApp


def start(app: CloudscapesApp) -> EarthdataService:
    service = EarthdataService(CloudscapesEarthdata(parent=app))
    service.start()
    return service


feature = Feature(
    name="earthdata",
    service=EarthdataService,
    start=start,
    routes=[
        ("session", SessionHandler),
        ("session/renew", RenewHandler),
        ("credentials", CredentialsHandler),
        (r"credentials/([a-z0-9][a-z0-9_-]{0,39})", DaacCredentialsHandler),
        ("aws-profiles", AwsProfilesHandler),
        ("region", RegionHandler),
    ],
    configurables=[CloudscapesEarthdata],
    stop=EarthdataService.stop,
)
