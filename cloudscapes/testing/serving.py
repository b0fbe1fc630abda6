"""What every HTTP stand-in shares: a base handler that records requests and answers in
the upstream's own shapes, the loopback listener, a group of servers started and stopped
together, and the ``python -m`` launcher that runs a group until a signal.

The stand-ins (EDL, DAAC, IMDS, the data and presign hosts, CMR, the hub API; later the
GitHub device flow and token API) are written against this module, not against each
other's handlers: CMR and the hub import nothing of the Earthdata stand-ins to serve
(only the DAAC and data hosts share the thin-egress-app's checks, being the same app).
``docs/standins.md`` says which upstream behaviour each of them follows.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, NoReturn, Protocol
from urllib.parse import urlencode

from tornado import web
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPHeaders
from tornado.netutil import bind_sockets

JSON_TYPE = "application/json; charset=utf-8"
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass
class RecordedRequest:
    #: the stand-in that received it ("edl", "daac", "imds", "cmr", "data", "presign", ...)
    service: str
    method: str
    #: path with query string
    path: str
    #: every header as received (case-insensitive lookups)
    headers: HTTPHeaders
    time: float
    body: bytes = b""


class Recording(Protocol):
    """A stand-in's state: whatever it keeps, plus the requests it received."""

    requests: list[RecordedRequest]


def _copy_headers(headers: HTTPHeaders) -> HTTPHeaders:
    copy = HTTPHeaders()
    for name, value in headers.get_all():
        copy.add(name, value)
    return copy


class StandInHandler(web.RequestHandler):
    """A route of a stand-in: gets the shared state, records every request in
    ``state.requests`` (when the state keeps a list) and answers with the helpers below,
    which end the request (``raise web.Finish``) so that a refusal reads as a return.

    Subclasses set :attr:`service` (the name requests are recorded under) and
    :attr:`json_type` (the upstream's exact JSON ``Content-Type``, which clients and
    tests compare byte for byte)."""

    service = ""
    json_type = JSON_TYPE

    def initialize(self, state: Any, service: str = "") -> None:
        self.state = state
        self.service = service or self.service

    def check_xsrf_cookie(self) -> None:  # APIs called by programs, not forms
        return None

    def prepare(self) -> None:
        requests = getattr(self.state, "requests", None)
        if requests is not None:
            requests.append(
                RecordedRequest(
                    service=self.service,
                    method=self.request.method or "",
                    path=self.request.uri or "",
                    headers=_copy_headers(self.request.headers),
                    time=time.time(),
                    body=self.request.body or b"",
                )
            )

    def authorization(self) -> tuple[str, str]:
        """The ``Authorization`` header as (scheme in lower case, the rest stripped);
        ``("", "")`` without one."""
        scheme, _, credentials = self.request.headers.get("Authorization", "").partition(" ")
        return scheme.lower(), credentials.strip()

    def answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> NoReturn:
        """A JSON answer in :attr:`json_type`."""
        self.set_status(status)
        self.set_header("Content-Type", self.json_type)
        for name, value in (headers or {}).items():
            self.set_header(name, value)
        raise web.Finish(json.dumps(body))

    def form(self, status: int, fields: dict[str, str]) -> NoReturn:
        """A form-encoded answer (what OAuth endpoints send without ``Accept: json``)."""
        self.set_status(status)
        self.set_header("Content-Type", FORM_TYPE)
        raise web.Finish(urlencode(fields))

    def html(self, status: int, title: str, text: str) -> NoReturn:
        """A small HTML page (what upstreams answer browsers, or where they refuse)."""
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        raise web.Finish(
            f"<!doctype html><html><head><title>{escape(title)}</title></head>"
            f"<body><h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>"
        )

    def text(self, status: int, body: str = "", headers: dict[str, str] | None = None) -> NoReturn:
        """A ``text/plain`` answer."""
        self.set_status(status)
        self.set_header("Content-Type", "text/plain")
        for name, value in (headers or {}).items():
            self.set_header(name, value)
        raise web.Finish(body)


class RecordedNotFound(StandInHandler):
    """Every path no route matches: recorded, then tornado's 404."""

    def prepare(self) -> None:
        super().prepare()
        raise web.HTTPError(404)


Routes = Iterable[tuple[str, type[web.RequestHandler]]]


def make_app(
    state: Any,
    service: str,
    routes: Routes,
    *,
    not_found: type[web.RequestHandler] | None = RecordedNotFound,
) -> web.Application:
    """The routes of one stand-in, each handler initialised with ``state``; unmatched
    paths go to ``not_found`` (None: tornado's own 404, unrecorded).

    No access log: the stand-ins stand for other people's servers, whose logs (with
    tokens in query strings) are not ours; tests search our logs for secrets."""
    extra: dict[str, Any] = {}
    if not_found is not None:
        extra = {
            "default_handler_class": not_found,
            "default_handler_args": {"state": state, "service": service},
        }
    return web.Application(
        [(path, handler, {"state": state}) for path, handler in routes],
        log_function=lambda handler: None,
        **extra,
    )


def listen(
    app: web.Application, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """Serve ``app`` on ``address:port`` (0: a free port) in the current IOLoop; returns
    the server and the port it got."""
    server = HTTPServer(app)
    sockets = bind_sockets(port, address)
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]


#: ``start(state, port) -> (server, port)``, one per stand-in of a group
Starter = Callable[[Any, int], tuple[HTTPServer, int]]


class StandInGroup:
    """Several stand-ins sharing one state, started together on loopback in the current
    IOLoop (create the group on the thread and loop that is to serve them) and stopped
    together; if one cannot start, those already listening stop again."""

    def __init__(self, state: Any, starters: Iterable[tuple[Starter, int]]) -> None:
        self.state = state
        self.servers: list[HTTPServer] = []
        try:
            for start, port in starters:
                self.servers.append(start(state, port)[0])
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop listening (call on the serving loop's thread)."""
        for server in self.servers:
            server.stop()

    async def aclose(self) -> None:
        """Stop listening and close open connections."""
        self.stop()
        for server in self.servers:
            await server.close_all_connections()


# ---- running a group in a process of its own ---------------------------------------


def write_info(path: Path, info: dict[str, Any]) -> None:
    """Write ``info`` as JSON atomically (readers poll for the file and must never see
    half of it), readable by this user only: it may hold passwords."""
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(info, indent=2) + "\n")
    os.replace(partial, path)


def serve_until_signalled(
    start: Callable[[], Awaitable[tuple[StandInGroup, dict[str, Any]]]],
    info_file: Path,
    ready: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Run ``start()`` on a new event loop, write the info it returns to ``info_file``
    once everything listens, serve until SIGTERM or SIGINT, then close the group and
    remove the file. ``ready(info)`` runs after the file is written."""

    async def run() -> None:
        group, info = await start()
        done = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, done.set)
        try:
            write_info(info_file, info)
            if ready is not None:
                ready(info)
            await done.wait()
        finally:
            await group.aclose()

    try:
        asyncio.run(run())
    finally:
        info_file.unlink(missing_ok=True)


def spawn_module(
    module: str, info_file: Path, args: Iterable[str] = (), timeout: float = 60.0
) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    """``python -m <module> --info-file <info_file> *args`` (a module that ends in
    :func:`serve_until_signalled`); returns the process and its info once the file
    exists. Raises RuntimeError, killing the process, if it exits or times out first."""
    info_file = Path(info_file)
    info_file.unlink(missing_ok=True)
    process = subprocess.Popen([sys.executable, "-m", module, "--info-file", str(info_file), *args])
    deadline = time.monotonic() + timeout
    while not info_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the stand-ins of {module} did not start")
        time.sleep(0.1)
    return process, json.loads(info_file.read_text())


# ---- a loop in a thread -----------------------------------------------------------------


class LoopThread:
    """An asyncio loop serving in a background thread, for callers that block (tests
    with urllib, boto3 or s3fs clients; benchmarks): stand-ins started through
    :meth:`call` serve on it."""

    def __init__(self, name: str = "standins", timeout: float = 30) -> None:
        self.timeout = timeout
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self.thread.start()

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` on the loop's thread (awaited if it is a coroutine function)."""

        async def run() -> Any:
            result = fn(*args)
            return await result if asyncio.iscoroutine(result) else result

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=self.timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()
