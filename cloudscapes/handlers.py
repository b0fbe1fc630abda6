"""The base handler every Cloudscapes route uses.

It gives each feature, without repeating it:

- authentication on every verb (subclasses decorate verbs with ``@authenticated``
  from here, and ``prepare`` refuses anonymous requests as a second line), and a
  refusal that says so when a signed-in browser's request lacks its XSRF token;
- request bodies checked before any verb runs: a size limit, JSON, and the
  operation's ``requestBody`` schema in ``schema/`` (:mod:`cloudscapes.contract`);
  verbs read the result with :meth:`CloudscapesHandler.json_body`;
- query and path values taken as sent (tornado strips whitespace and control
  characters from query values), with control characters refused;
- errors as ``{"error": {"code", "message", "hint"}}`` with a real status, never a
  traceback (an unexpected exception is logged server-side and answered with a
  generic 500);
- the activity opt-out for polled routes (``_track_activity = False``);
- a JSON 404 for every path below ``/cloudscapes/`` that no route matches
  (:class:`NotFoundHandler`, registered last).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable
from datetime import datetime, timezone
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import SplitResult, urlsplit

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from .contract import (
    CONTROL_CHARACTERS,
    InvalidBody,
    Operation,
    contract,
    field_name,
    printable,
    unencodable,
)

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

#: Methods whose body is always checked: against the operation's requestBody, or, when
#: it documents none, as an empty body or ``{}``. Other methods' bodies are checked only
#: when their operation documents one (else ignored, as browsers send none).
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


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


def parse_time(text: str) -> datetime:
    """A time in ISO 8601 as Cloudscapes answers and the services it calls write it.
    ``datetime.fromisoformat`` takes a ``Z`` suffix only from Python 3.11, so it is
    turned into ``+00:00`` first. Raises ValueError (as ``fromisoformat`` does)."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


def https_on_domains(url: str, suffixes: list[str]) -> bool:
    """Whether ``url`` is https on the default port, on one of the domains ``suffixes``
    (``.nasa.gov`` and ``nasa.gov`` alike mean nasa.gov and every host below it; never
    ``evilnasa.gov``): the check before a user's credentials are sent anywhere."""
    parts = split_url(url)
    if parts is None:
        return False
    try:
        port = parts.port
    except ValueError:  # a port that is not a number
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or port not in (None, 443) or not host:
        return False
    return any(on_domain(host, suffix) for suffix in suffixes)


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or ``None`` for a URL it cannot read: ``https://[::1`` (an
    unclosed IPv6 bracket) raises ``ValueError``, which a client's URL must not turn
    into a 500."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


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

    #: The request's operation in ``schema/`` and its checked body, set by ``prepare``.
    operation: Operation | None = None
    _body: dict[str, Any] | None = None

    def update_api_activity(self) -> None:
        if self.request.method in self.polled_methods:
            return
        super().update_api_activity()

    async def prepare(self) -> None:  # type: ignore[override]  # as APIHandler.prepare
        result = super().prepare()
        if inspect.isawaitable(result):
            await result
        if self.request.method == "OPTIONS":  # CORS preflight: no user, no body
            return
        # jupyter_server answers unauthenticated API calls from @web.authenticated;
        # refusing here too means a verb that forgot the decorator is still closed.
        if not self.current_user:
            raise web.HTTPError(403)
        self.check_request()

    def check_request(self) -> None:
        """Refuse what no verb should see: control characters in the query or the
        path, and a body that is too large, not JSON, or not what the operation's
        schema accepts. Runs for every route, so no verb can forget it."""
        self._check_values()
        op = self.operation = contract().find(self.request.method or "", self.route_path())
        if op is None:
            return
        documented = "requestBody" in op.spec
        if documented or self.request.method in BODY_METHODS:
            body = self._checked_body(op)
            # json_body() is for bodies the contract documents; others must be empty
            self._body = body if documented else None

    def route_path(self) -> str:
        """The request's path below the server's base URL (``/cloudscapes/...``)."""
        path, base = self.request.path, self.base_url.rstrip("/")
        return path[len(base) :] if path.startswith(base + "/") else path

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

    # ---- query and path values ----------------------------------------------------

    # Tornado strips whitespace (and turns control characters into spaces) unless
    # told not to: `key=README.txt%0D%0A` would name README.txt. Values are taken as
    # sent; `_check_values` has refused control characters already. (`_ARG_DEFAULT`
    # is tornado's "no default: a missing argument is a 400" marker.)

    def get_argument(self, name: str, default: Any = web._ARG_DEFAULT, strip: bool = False) -> Any:
        return super().get_argument(name, default, strip=strip)

    def get_arguments(self, name: str, strip: bool = False) -> list[str]:
        return super().get_arguments(name, strip=strip)

    def get_query_argument(
        self, name: str, default: Any = web._ARG_DEFAULT, strip: bool = False
    ) -> Any:
        return super().get_query_argument(name, default, strip=strip)

    def get_query_arguments(self, name: str, strip: bool = False) -> list[str]:
        return super().get_query_arguments(name, strip=strip)

    def _check_values(self) -> None:
        for name, values in self.route_arguments().items():
            if CONTROL_CHARACTERS.search(name):
                raise bad_request(
                    "A query parameter's name contains a control character.",
                    "Remove line breaks, tabs and other control characters from the URL.",
                    code="invalid_parameter",
                )
            for value in values:
                char = CONTROL_CHARACTERS.search(self.decode_argument(value, name=name))
                if char:
                    raise bad_request(
                        f"The query parameter '{name}' contains a control character "
                        f"(U+{ord(char.group()):04X}).",
                        "Values are used exactly as sent: remove line breaks, tabs and "
                        "other control characters.",
                        code="invalid_parameter",
                    )
        for part in [*self.path_args, *self.path_kwargs.values()]:
            if isinstance(part, str) and CONTROL_CHARACTERS.search(part):
                raise bad_request(
                    "The URL's path contains a control character.",
                    "Remove line breaks, tabs and other control characters from the URL.",
                    code="invalid_parameter",
                )

    # ---- bodies -----------------------------------------------------------------

    def _checked_body(self, op: Operation) -> dict[str, Any] | None:
        body = self.request.body or b""
        if len(body) > self.max_body_bytes:
            raise CloudscapesError(
                413,
                "body_too_large",
                f"The request body is {len(body)} bytes; this route accepts at most "
                f"{self.max_body_bytes}.",
                "Send a smaller request.",
            )
        spec = contract().body(op)
        if not body.strip():
            if spec.required:
                raise bad_request(
                    "The request has no body.", "Send a JSON object.", code="invalid_json"
                )
            return {}
        try:
            data = json.loads(body)
        except RecursionError:  # [[[[… : the parser gives up before the depth check
            raise bad_request(
                "The request body nests too deeply.",
                "Send the fields the route documents; none is nested deeply.",
                code="invalid_json",
            ) from None
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
        broken = unencodable(data)
        if broken is not None:  # JSON's "\ud800": valid JSON and jsonschema, yet no text
            raise bad_request(
                f"'{field_name(broken)}' is not valid text (it holds a lone UTF-16 surrogate).",
                "Send text as UTF-8, or escape characters outside the BMP as surrogate pairs.",
                code="invalid_field",
            )
        try:
            contract().check_body(op, data)
        except InvalidBody as exc:
            raise bad_request(exc.message, exc.hint, code=exc.code) from None
        return data

    def json_body(self) -> dict[str, Any]:
        """The request body: a JSON object the operation's schema accepts (``{}`` when
        an optional body was left out). ``prepare`` checked it before the verb ran."""
        if self._body is None:
            raise RuntimeError(
                f"{type(self).__name__}.{self.request.method}: no requestBody in schema/ "
                f"for {self.route_path()}"
            )
        return self._body

    # ---- answers ------------------------------------------------------------

    def reply(self, model: Any, status: int = 200) -> Awaitable[None]:
        """Finish with a JSON body and a status; await the result to know the answer
        has left (a handler that acts after answering)."""
        self.set_status(status)
        return self.finish(json.dumps(model))

    def check_xsrf_cookie(self) -> None:
        """jupyter_server refuses a cookie-authenticated write without its XSRF token
        with a bare 403, which would read "You are not signed in": say what it is."""
        try:
            super().check_xsrf_cookie()
        except web.HTTPError as exc:
            if exc.status_code != 403 or not self.current_user:
                raise
            sent = (
                self.get_argument("_xsrf", None)
                or self.request.headers.get("X-Xsrftoken")
                or self.request.headers.get("X-Csrftoken")
            )
            if sent:
                raise CloudscapesError(
                    403,
                    "xsrf_mismatch",
                    "The request's XSRF token does not match this browser's.",
                    "Reload the page (the token changes when you sign in again).",
                ) from None
            raise CloudscapesError(
                403,
                "xsrf_missing",
                "The request lacks its XSRF token.",
                "Reload the page. Scripts that send the login cookie must also send the "
                "_xsrf cookie's value in an X-XSRFToken header, or use a token instead.",
            ) from None

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
            # (messages cut and escape what they echo; printable() once more keeps a
            # message built elsewhere from forging a log line)
            self.log.info(
                "cloudscapes %s %s: %s", self.request.method, e.code, printable(e.message, 1000)
            )
            if self._finished:
                return
            self.send_error(e.status, exc_info=(type(e), e, e.__traceback__))
            return
        super()._handle_request_exception(e)


class NotFoundHandler(CloudscapesHandler):
    """Every path below ``/cloudscapes/`` that no route matches, on every verb: a JSON
    404 in the error shape (tornado's own answer is an HTML page). Login first, as on
    every route, so the 404 tells nothing to an anonymous caller."""

    def check_request(self) -> None:
        raise CloudscapesError(
            404,
            "not_found",
            "There is no Cloudscapes route at this URL.",
            "Check the URL; the routes are listed in the REST contract (schema/).",
        )

    @authenticated
    async def get(self, *args: str) -> None:
        """Not reached: ``check_request`` answers first."""

    head = post = put = patch = delete = get
