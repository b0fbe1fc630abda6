"""The Cloudscapes server extension.

Each feature is a subpackage of ``cloudscapes`` whose ``registration`` module holds a
``feature`` (a :class:`~cloudscapes.features.Feature`): its service, routes,
configurables and the features it requires or uses. Adding a feature is its folder and
one name in ``FEATURES``; the app works out the order (``cloudscapes/features.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from jupyter_server.extension.application import ExtensionApp
from jupyter_server.serverapp import ServerApp
from jupyter_server.utils import url_path_join
from traitlets import List, Unicode

from . import __version__
from .features import Feature, FeatureError, enabled_features
from .handlers import NotFoundHandler
from .jobs import ROUTES as JOB_ROUTES
from .jobs import JobManager

__all__ = ["FEATURES", "URL_PREFIX", "CloudscapesApp", "Feature", "load_features"]

#: Feature subpackages. Their start order comes from their ``requires``/``uses``;
#: this order only breaks ties.
FEATURES = ["usage", "earthdata", "data", "dask", "git"]

#: Every Cloudscapes route lives under ``{base_url}/cloudscapes/``.
URL_PREFIX = "cloudscapes"

#: The page config key (``PageConfig.getOption``) listing the enabled features, comma
#: separated; ``featureEnabled()`` in ``packages/core/src/features.ts`` reads it.
PAGE_CONFIG_KEY = "cloudscapesFeatures"

S = TypeVar("S")


def load_features(names: list[str] | None = None) -> list[Feature[Any]]:
    """The ``feature`` of each ``cloudscapes.<name>.registration`` (all of ``FEATURES``
    by default). Only the registration module is imported: a feature's package stays
    importable without a Jupyter server (the AWS credential process needs that)."""
    features = []
    for name in names or FEATURES:
        feature = importlib.import_module(f"cloudscapes.{name}.registration").feature
        if not isinstance(feature, Feature) or feature.name != name:
            raise FeatureError(
                f"cloudscapes.{name}.registration.feature must be a Feature named {name!r}."
            )
        features.append(feature)
    return features


class CloudscapesApp(ExtensionApp):
    """Cloudscapes: usage, Earthdata, data, environments, git and Dask for hub users."""

    name = "cloudscapes"
    load_other_extensions = True
    description = __doc__
    #: Set before any of the methods below run (ExtensionApp types it Optional).
    serverapp: ServerApp

    disabled_features = List(
        Unicode(),
        default_value=[],
        help="Feature names whose routes are not registered (for example ['usage']); "
        "features that require one of them are disabled too. Their lab extensions see "
        "it in the page config and stay out of the way.",
    ).tag(config=True)

    @property
    def classes(self) -> list[type]:  # type: ignore[override]
        extra = [cls for f in load_features() for cls in f.configurables]
        return [*ExtensionApp.classes, *extra]

    def initialize_settings(self) -> None:
        #: Long operations of every feature (created before the features start).
        self.jobs = JobManager(self.log)
        every = load_features()
        #: The enabled features, in start order.
        self.features = enabled_features(every, self.disabled_features, self.log)
        #: Which feature provides each service class (enabled or not), for the accessors.
        self._providers: dict[type, Feature[Any]] = {f.service: f for f in every}
        self._services: dict[type, Any] = {}
        self._starting: Feature[Any] | None = None

    # ---- services: how features and handlers reach each other ----------------------

    def service(self, cls: type[S]) -> S:
        """The running service of type ``cls``: a handler's own feature's, or one of a
        feature this one ``requires`` (it is always running when this one is)."""
        provider = self._provider(cls, "service", "requires")
        try:
            return self._services[cls]
        except KeyError:
            raise FeatureError(
                f"The Cloudscapes feature {provider.name!r} is not running, so its "
                f"{cls.__name__} is not available."
            ) from None

    def optional_service(self, cls: type[S]) -> S | None:
        """The running service of type ``cls``, or None when its feature is disabled:
        for a feature this one ``uses``."""
        self._provider(cls, "optional_service", "uses")
        return self._services.get(cls)

    def _provider(self, cls: type, accessor: str, declaration: str) -> Feature[Any]:
        provider = self._providers.get(cls)
        if provider is None:
            raise FeatureError(f"No Cloudscapes feature provides {cls.__name__}.")
        starting = self._starting  # set while a feature starts: check its declarations
        if starting is not None and provider is not starting:
            allowed = starting.requires if declaration == "requires" else starting.depends_on
            if provider.name not in allowed:
                raise FeatureError(
                    f"Cloudscapes feature {starting.name!r} calls app.{accessor}"
                    f"({cls.__name__}) but does not list {provider.name!r} in its "
                    f"Feature({declaration}=...)."
                )
        return provider

    @property
    def services(self) -> Mapping[str, Any]:
        """The running services by feature name, read-only (for tests and debugging;
        features use :meth:`service` and :meth:`optional_service`)."""
        return MappingProxyType({self._providers[cls].name: s for cls, s in self._services.items()})

    # ---- lifecycle -----------------------------------------------------------------

    def initialize_handlers(self) -> None:
        for feature in self.features:
            self._starting = feature
            try:
                self._services[feature.service] = feature.start(self)
            finally:
                self._starting = None
            for route in feature.routes:
                path, handler, *kwargs = route
                pattern = url_path_join("/", URL_PREFIX, feature.name, path)
                self.handlers.append((pattern, handler, *kwargs))
        # Jobs are not a feature: every feature's long operations use them.
        for path, handler in JOB_ROUTES:
            self.handlers.append((url_path_join("/", URL_PREFIX, path), handler))
        # Last: a JSON 404 for every other path below /cloudscapes (tornado's is HTML).
        self.handlers.append((f"/{URL_PREFIX}(?:/.*)?", NotFoundHandler))
        names = [f.name for f in self.features]
        page_config = self.serverapp.web_app.settings.setdefault("page_config_data", {})
        page_config[PAGE_CONFIG_KEY] = ",".join(names)
        self.log.info("Cloudscapes %s: features %s", __version__, ", ".join(names) or "none")

    async def stop_extension(self) -> None:
        # Jobs first: their cleanup (deleting partial files, stopping worker threads)
        # still has the features' services; a service that waits for its threads on
        # shutdown would otherwise wait for a whole download.
        await self.jobs.shutdown()
        # Then dependents before what they depend on.
        for feature in reversed(self.features):
            service = self._services.get(feature.service)
            if feature.stop is not None and service is not None:
                result = feature.stop(service)
                if result is not None:
                    await result
