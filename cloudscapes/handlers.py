"""The base handler every Cloudscapes route uses.

It gives each feature, without repeating it:

- authentication on every verb (subclasses decorate verbs with ``@authenticated``
  from here, and ``prepare`` refuses anonymous requests as a second line);
- JSON request bodies with a size limit, parsed into a dict or refused with a 4xx;
- errors as ``{"error": {"code", "message", "hint"}}`` with a real status, never a
  traceback (an unexpected exception is logged server-side and answered with a
  generic 500);
- the activity opt-out for polled routes (``_track_activity = False``).
"""

from __future__ import annotations

import inspect
import json
from datetime import datetime, timezone
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

if TYPE_CHECKING:
    from .app import CloudscapesApp

#: Decorator every verb of every Cloudscapes handler carries.
authenticated = web.authenticated

#: Query keys that belong to jupyter_server, not to a route: the token of a URL, the
#: XSRF value, the activity opt-out.
JUPYTER_QUERY_KEYS = frozenset({"token", "_xsrf", "no_track_activity"})


def jupyters_query_key(name: str, values: list[bytes]) -> bool:
    """Whether a query argument is Jupyter's own: one of :data:`JUPYTER_QUERY_KEYS`, or
    the cache-busting timestamp JupyterLab's ServerConnection adds to GETs
    (``&1795302503622``, a key without value)."""
    return name in JUPYTER_QUERY_KEYS or (name.isdigit() and values in ([b""], []))


#: Default limit on request bodies; features with larger bodies raise it per handler.
DEFAULT_MAX_BODY_BYTES = 64 * 1024


class CloudscapesError(Exception):
    """An error the user can act on, answered as JSON with a real status.

    ``message`` says what went wrong in plain words; ``hint`` says what to do.
    Neither may contain a secret: they are shown in the browser and logged.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        hint: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
        #: response headers that go with the error (for example ``Retry-After``)
        self.headers = headers or {}

    def to_json(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "hint": self.hint}}


def isoformat(value: datetime | None) -> str | None:
    """A time as every Cloudscapes answer carries it: UTC, ISO 8601, ``Z`` suffix."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def https_on_domains(url: str, suffixes: list[str]) -> bool:
    """Whether ``url`` is https on the default port, on one of the domains ``suffixes``
    (``.nasa.gov`` and ``nasa.gov`` alike mean nasa.gov and every host below it; never
    ``evilnasa.gov``): the check before a user's credentials are sent anywhere."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or port not in (None, 443) or not host:
        return False
    return any(on_domain(host, suffix) for suffix in suffixes)


def on_domain(host: str, suffix: str) -> bool:
    """``host`` is the domain ``suffix`` (leading dot or not) or a host below it."""
    domain = suffix.lstrip(".").lower()
    return bool(domain) and (host == domain or host.endswith("." + domain))


def bad_request(message: str, hint: str = "", code: str = "invalid_request") -> CloudscapesError:
    return CloudscapesError(400, code, message, hint)


# Messages for errors tornado or jupyter_server raise before our code runs.
_GENERIC = {
    400: ("bad_request", "The request was not understood.", "Check the request and try again."),
    403: (
        "not_authenticated",
        "You are not signed in to this Jupyter server, or the request lacks its token.",
        "Reload the page to sign in again.",
    ),
    404: ("not_found", "No such Cloudscapes route.", "Check the URL."),
    405: ("method_not_allowed", "This route does not accept that method.", ""),
    413: ("body_too_large", "The request body is too large.", ""),
}


class CloudscapesHandler(ExtensionHandlerMixin, APIHandler):
    """Base class of every Cloudscapes REST handler."""

    #: Largest accepted request body, in bytes.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    #: Methods pollers call on this route; they never count as user activity, so open
    #: tabs do not keep a hub server from being culled. (`_track_activity = False`
    #: turns tracking off for every method of a handler.)
    polled_methods: tuple[str, ...] = ()

    def update_api_activity(self) -> None:
        if self.request.method in self.polled_methods:
            return
        super().update_api_activity()

    async def prepare(self) -> None:  # type: ignore[override]  # as APIHandler.prepare
        result = super().prepare()
        if inspect.isawaitable(result):
            await result
        # jupyter_server answers unauthenticated API calls from @web.authenticated;
        # refusing here too means a verb that forgot the decorator is still closed.
        if self.request.method != "OPTIONS" and not self.current_user:
            raise web.HTTPError(403)

    def route_arguments(self) -> dict[str, list[bytes]]:
        """The query arguments meant for the route (Jupyter's own left out)."""
        return {
            name: values
            for name, values in self.request.query_arguments.items()
            if not jupyters_query_key(name, values)
        }

    @property
    def cloudscapes(self) -> CloudscapesApp:
        """The running CloudscapesApp (features reach their services through it)."""
        return cast("CloudscapesApp", self.extensionapp)

    # ---- bodies -------------------------------------------------------------

    def json_body(self, required: bool = True) -> dict[str, Any]:
        """The request body as a JSON object, or a 4xx that says what is wrong."""
        body = self.request.body or b""
        if len(body) > self.max_body_bytes:
            raise CloudscapesError(
                413,
                "body_too_large",
                f"The request body is {len(body)} bytes; this route accepts at most "
                f"{self.max_body_bytes}.",
                "Send a smaller request.",
            )
        if not body.strip():
            if required:
                raise bad_request(
                    "The request has no body.", "Send a JSON object.", code="invalid_json"
                )
            return {}
        try:
            data = json.loads(body)
        except ValueError as exc:  # bad JSON, bad UTF-8, or an integer of 4,300+ digits
            raise bad_request(
                f"The request body is not valid JSON ({exc.__class__.__name__}).",
                "Send a JSON object with Content-Type: application/json.",
                code="invalid_json",
            ) from None
        if not isinstance(data, dict):
            raise bad_request(
                "The request body must be a JSON object.",
                'Wrap the values in an object, for example {"minutes": 30}.',
                code="invalid_json",
            )
        return data

    # ---- answers ------------------------------------------------------------

    def reply(self, model: Any, status: int = 200) -> None:
        """Finish with a JSON body and a status."""
        self.set_status(status)
        self.finish(json.dumps(model))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Every error is ``{"error": {code, message, hint}}``; no traceback ever."""
        self.set_header("Content-Type", "application/json")
        self.clear_header("Content-Disposition")
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, CloudscapesError):
            body = exc.to_json()
            for name, value in exc.headers.items():
                self.set_header(name, value)
        elif isinstance(exc, web.HTTPError) and status_code < 500:
            code, message, hint = _GENERIC.get(
                status_code,
                ("http_error", HTTPStatus(status_code).phrase, ""),
            )
            body = {"error": {"code": code, "message": message, "hint": hint}}
        else:
            body = {
                "error": {
                    "code": "internal_error",
                    "message": "Cloudscapes hit an unexpected error.",
                    "hint": "Try again; if it persists, ask your hub admin to look at the "
                    "Jupyter server log.",
                }
            }
        self.finish(json.dumps(body))

    def _handle_request_exception(self, e: BaseException) -> None:
        if isinstance(e, CloudscapesError):
            # Expected, user-facing: one log line, no traceback.
            self.log.info("cloudscapes %s %s: %s", self.request.method, e.code, e.message)
            if self._finished:
                return
            self.send_error(e.status, exc_info=(type(e), e, e.__traceback__))
            return
        super()._handle_request_exception(e)
