"""The feature contract: what a feature declares, and the order the app starts them in.

A feature is a subpackage of ``cloudscapes`` whose ``registration`` module holds a
module-level ``feature`` (a :class:`Feature`). It names the features it cannot work
without (``requires``) and the ones it works better with (``uses``); the app starts
them in an order where both come first, and a feature reaches another's service with
``app.service(TheirService)`` (required) or ``app.optional_service(TheirService)``
(used: ``None`` when that feature is disabled), never through a dict and ``getattr``.

When an admin disables a feature (``c.CloudscapesApp.disabled_features``), every
feature that ``requires`` it is disabled too, with one log line saying why; a feature
that only ``uses`` it keeps running without it. An unknown name or a cycle among the
declarations is a programming error: the extension refuses to load and says which.

This module imports no Jupyter server, so the ordering is testable on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from .app import CloudscapesApp

#: A feature's service type (``UsageService``, ``DaskService``, ...).
S = TypeVar("S")

#: ``(path below /cloudscapes/<feature>, handler class[, initialize kwargs])``.
Route = tuple[Any, ...]

#: The route segment that captures one id (a cluster's, a collection's, a granule's):
#: 1 to 200 characters, no ``/``; a longer one matches no route and gets the JSON 404 of
#: every unmatched ``/cloudscapes/`` path. One pattern, so every feature's ids agree.
ID = r"([^/]{1,200})"


class FeatureError(RuntimeError):
    """The features' declarations do not fit together (unknown name, cycle, undeclared
    or missing dependency). Raised at startup, so the server log says it once."""


@dataclass(frozen=True)
class Feature(Generic[S]):
    """What a feature subpackage tells the app about itself."""

    #: The feature's name: its folder under ``cloudscapes/``, its URL segment
    #: (``/cloudscapes/<name>/...``), its ``schema/<name>.yaml`` and the name the lab
    #: page sees in ``cloudscapesFeatures``.
    name: str
    #: The class of the service ``start`` returns: the key other features and the
    #: feature's own handlers reach it by (``app.service(UsageService)``).
    service: type[S]
    #: ``start(app)`` creates (and starts) the service. The features in ``requires``,
    #: and those in ``uses`` that are enabled, have started already.
    start: Callable[[CloudscapesApp], S]
    #: Routes below ``/cloudscapes/<name>`` (``""`` is ``/cloudscapes/<name>`` itself).
    routes: Sequence[Route]
    #: Configurable classes, so ``jupyter server --help-all`` and docs list them.
    configurables: Sequence[type] = ()
    #: Features this one cannot work without: disabling one of them disables this one.
    requires: tuple[str, ...] = ()
    #: Features this one works better with; without them it degrades, it keeps running.
    uses: tuple[str, ...] = ()
    #: ``stop(service)`` when the server stops (features stop in reverse start order).
    stop: Callable[[S], Awaitable[None] | None] | None = None

    @property
    def depends_on(self) -> tuple[str, ...]:
        return (*self.requires, *self.uses)


def start_order(features: Sequence[Feature[Any]]) -> list[Feature[Any]]:
    """``features`` ordered so that each comes after what it requires and uses.

    Ties keep the given order (``FEATURES``), so the order is the same on every start.
    Raises :class:`FeatureError` for a name nobody provides, for a cycle, and for two
    features with one name or one service class (the accessors could not tell them apart).
    """
    by_name = {f.name: f for f in features}
    for key, distinct in (("name", len(by_name)), ("service", len({f.service for f in features}))):
        if distinct != len(features):
            raise FeatureError(f"Two Cloudscapes features have the same {key}.")
    for feature in features:
        for name in feature.depends_on:
            if name not in by_name:
                raise FeatureError(
                    f"Cloudscapes feature {feature.name!r} depends on {name!r}, which is "
                    f"not a Cloudscapes feature (known: {', '.join(by_name)})."
                )
    ordered: list[Feature[Any]] = []
    done: set[str] = set()
    path: list[str] = []  # the features being visited, for naming a cycle

    def visit(feature: Feature[Any]) -> None:
        if feature.name in done:
            return
        if feature.name in path:
            cycle = [*path[path.index(feature.name) :], feature.name]
            raise FeatureError(
                f"Cloudscapes features depend on each other in a cycle: {' -> '.join(cycle)}."
            )
        path.append(feature.name)
        for name in feature.depends_on:
            visit(by_name[name])
        path.pop()
        done.add(feature.name)
        ordered.append(feature)

    for feature in features:
        visit(feature)
    return ordered


def enabled_features(
    features: Sequence[Feature[Any]], disabled: Collection[str], log: logging.Logger
) -> list[Feature[Any]]:
    """The features to start, in start order: all but the ``disabled`` ones and those
    that require a disabled feature (one warning each, naming the reason)."""
    ordered = start_order(features)
    known = {f.name for f in features}
    unknown = sorted(set(disabled) - known)
    if unknown:
        log.warning(
            "Cloudscapes: c.CloudscapesApp.disabled_features names %s, which %s not a "
            "feature (known: %s); nothing is disabled for %s.",
            ", ".join(map(repr, unknown)),
            "is" if len(unknown) == 1 else "are",
            ", ".join(f.name for f in features),
            "it" if len(unknown) == 1 else "them",
        )
    off = set(disabled)
    enabled = []
    for feature in ordered:  # what a feature requires comes first, so `off` is final
        if feature.name in off:
            continue
        missing = [name for name in feature.requires if name in off]
        if missing:
            off.add(feature.name)
            log.warning(
                "Cloudscapes: feature %r is disabled because it requires %s, which %s "
                "disabled (c.CloudscapesApp.disabled_features = %s).",
                feature.name,
                " and ".join(map(repr, missing)),
                "is" if len(missing) == 1 else "are",
                sorted(disabled),
            )
            continue
        enabled.append(feature)
    return enabled
