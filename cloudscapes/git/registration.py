"""The git feature's registration: its configurable, service and routes (the local
work of ``handlers``, the history of ``handlers_history``, the remotes of
``handlers_remote``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..features import Feature
from .config import CloudscapesGit
from .handlers import ROUTES as LOCAL_ROUTES
from .handlers_history import ROUTES as HISTORY_ROUTES
from .handlers_remote import ROUTES as REMOTE_ROUTES
from .service import GitService

if TYPE_CHECKING:
    from ..app import CloudscapesApp


def start(app: CloudscapesApp) -> GitService:
    return GitService(CloudscapesGit(parent=app), app)


feature = Feature(
    name="git",
    service=GitService,
    start=start,
    routes=[*LOCAL_ROUTES, *HISTORY_ROUTES, *REMOTE_ROUTES],
    configurables=[CloudscapesGit],
    stop=GitService.stop,
)
