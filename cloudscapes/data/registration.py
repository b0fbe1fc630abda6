"""The data browser's registration: its configurable, service and routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..earthdata.service import EarthdataService
from ..features import ID, Feature
from .config import CloudscapesData
from .handlers import (
    CodeHandler,
    CollectionHandler,
    CollectionsHandler,
    ConfigHandler,
    DownloadsHandler,
    GranuleHandler,
    GranulesHandler,
    ObjectHandler,
    ObjectsHandler,
    SourcesHandler,
)
from .service import DataService

if TYPE_CHECKING:
    from ..app import CloudscapesApp


def start(app: CloudscapesApp) -> DataService:
    # Without Earthdata the browser still searches CMR and reads public buckets; the
    # DAAC buckets and the token for protected downloads need a signed-in user.
    earthdata = app.optional_service(EarthdataService)
    return DataService(CloudscapesData(parent=app), app, earthdata)


def stop(service: DataService) -> None:
    service.downloads.close()


feature = Feature(
    name="data",
    service=DataService,
    start=start,
    routes=[
        ("config", ConfigHandler),
        ("collections", CollectionsHandler),
        (f"collections/{ID}", CollectionHandler),
        (f"collections/{ID}/granules", GranulesHandler),
        (f"granules/{ID}", GranuleHandler),
        ("s3/sources", SourcesHandler),
        ("s3/objects", ObjectsHandler),
        ("s3/object", ObjectHandler),
        ("code", CodeHandler),
        ("downloads", DownloadsHandler),
    ],
    configurables=[CloudscapesData],
    uses=("earthdata",),
    stop=stop,
)
