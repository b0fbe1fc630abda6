"""The data browser's registration: its configurable, service and routes."""

from __future__ import annotations

from typing import Any

from ..app import Feature
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

_ID = r"([^/]{1,200})"


def setup(app: Any) -> list[tuple[Any, ...]]:
    app.services["data"] = DataService(CloudscapesData(parent=app), app)
    return [
        ("data/config", ConfigHandler),
        ("data/collections", CollectionsHandler),
        (f"data/collections/{_ID}", CollectionHandler),
        (f"data/collections/{_ID}/granules", GranulesHandler),
        (f"data/granules/{_ID}", GranuleHandler),
        ("data/s3/sources", SourcesHandler),
        ("data/s3/objects", ObjectsHandler),
        ("data/s3/object", ObjectHandler),
        ("data/code", CodeHandler),
        ("data/downloads", DownloadsHandler),
    ]


def shutdown(app: Any) -> None:
    app.services["data"].downloads.close()


feature = Feature(name="data", setup=setup, configurables=[CloudscapesData], shutdown=shutdown)
