"""The Earthdata feature's registration: its configurable, service and routes."""

from __future__ import annotations

from typing import Any

from ..app import Feature
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


def setup(app: Any) -> list[tuple[Any, ...]]:
    service = EarthdataService(CloudscapesEarthdata(parent=app))
    service.start()
    app.services["earthdata"] = service
    return [
        ("earthdata/session", SessionHandler),
        ("earthdata/session/renew", RenewHandler),
        ("earthdata/credentials", CredentialsHandler),
        (r"earthdata/credentials/([a-z0-9][a-z0-9_-]{0,39})", DaacCredentialsHandler),
        ("earthdata/aws-profiles", AwsProfilesHandler),
        ("earthdata/region", RegionHandler),
    ]


def shutdown(app: Any) -> None:
    app.services["earthdata"].stop()


feature = Feature(
    name="earthdata", setup=setup, configurables=[CloudscapesEarthdata], shutdown=shutdown
)
