"""The Cloudscapes server extension.

Each feature is a subpackage of ``cloudscapes`` with a module-level ``feature``
(a :class:`Feature`): its configurable classes and a ``setup(app)`` that creates its
services and returns its routes. Adding a feature is one line in ``FEATURES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from jupyter_server.utils import url_path_join
from traitlets import List, Unicode

from . import __version__
from .handlers import NotFoundHandler
from .jobs import ROUTES as JOB_ROUTES
from .jobs import JobManager

#: Feature subpackages, in the order their routes are registered.
FEATURES = ["usage", "earthdata", "data", "dask"]

#: Every Cloudscapes route lives under ``{base_url}/cloudscapes/``.
URL_PREFIX = "cloudscapes"


@dataclass
class Feature:
    """What a feature subpackage tells the app about itself."""

    name: str
    #: ``setup(app)`` creates the feature's services and returns
    #: ``[(path below /cloudscapes, handler class[, kwargs]), ...]``.
    setup: Callable[[CloudscapesApp], list[tuple[Any, ...]]]
    #: Configurable classes, so ``jupyter server --help-all`` and docs list them.
    configurables: list[type] = field(default_factory=list)
    #: Called when the server stops.
    shutdown: Callable[[CloudscapesApp], Any] | None = None


def load_features(names: list[str] | None = None) -> list[Feature]:
    return [importlib.import_module(f"cloudscapes.{name}").feature for name in (names or FEATURES)]


class CloudscapesApp(ExtensionApp):
    """Cloudscapes: usage, Earthdata, data, environments, git and Dask for hub users."""

    name = "cloudscapes"
    load_other_extensions = True
    description = __doc__

    disabled_features = List(
        Unicode(),
        default_value=[],
        help="Feature names whose routes are not registered (for example ['usage']). "
        "Disable the matching lab extension too: `jupyter labextension disable "
        "@cloudscapes/<feature>`.",
    ).tag(config=True)

    @property
    def classes(self) -> list[type]:  # type: ignore[override]
        extra = [cls for f in load_features() for cls in f.configurables]
        return [*ExtensionApp.classes, *extra]

    def initialize_settings(self) -> None:
        #: Long operations of every feature (created before the features' setup).
        self.jobs = JobManager(self.log)
        self.features = [f for f in load_features() if f.name not in self.disabled_features]
        #: Per-feature services, by feature name, set by each feature's setup().
        self.services: dict[str, Any] = {}

    def initialize_handlers(self) -> None:
        for feature in self.features:
            for route in feature.setup(self):
                path, handler, *kwargs = route
                pattern = url_path_join("/", URL_PREFIX, path) if path else f"/{URL_PREFIX}"
                self.handlers.append((pattern, handler, *kwargs))
        # Jobs are not a feature: every feature's long operations use them.
        for path, handler in JOB_ROUTES:
            self.handlers.append((url_path_join("/", URL_PREFIX, path), handler))
        # Last: a JSON 404 for every other path below /cloudscapes (tornado's is HTML).
        self.handlers.append((f"/{URL_PREFIX}(?:/.*)?", NotFoundHandler))
        self.log.info(
            "Cloudscapes %s: features %s", __version__, ", ".join(f.name for f in self.features)
        )

    async def stop_extension(self) -> None:
        # Jobs first: their cleanup (deleting partial files, stopping worker threads)
        # still has the features' services; a service that waits for its threads on
        # shutdown would otherwise wait for a whole download.
        await self.jobs.shutdown()
        for feature in self.features:
            if feature.shutdown is not None:
                result = feature.shutdown(self)
                if hasattr(result, "__await__"):
                    await result
