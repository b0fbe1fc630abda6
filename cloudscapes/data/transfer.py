"""The HTTP transport of downloads: one plain HTTP/1.1 exchange per request.

Each request is one exchange on a connection this module opens (tornado's ``TCPClient``
and ``HTTP1Connection``), so that the body streams to disk with back-pressure, a stalled
transfer is cut after ``download_timeout`` (or ``s3_timeout``) seconds without data, and
a cancel closes the connection at once. Redirects are not followed here: the caller
(``cloudscapes.data.downloads``) decides where the token may go.

Error bodies are never read into a message or a log line: S3 echoes a rejected
``Authorization`` header in its error.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from urllib.parse import urlsplit

from tornado import httputil
from tornado.http1connection import HTTP1Connection, HTTP1ConnectionParameters
from tornado.iostream import StreamClosedError
from tornado.tcpclient import TCPClient

from .. import __version__

USER_AGENT = f"cloudscapes/{__version__}"


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a link with a port that is not a number
        raise TransferError("unsupported link") from None
    return scheme, (parts.hostname or "").lower(), port or (443 if scheme == "https" else 80)


class _Exchange(httputil.HTTPMessageDelegate):
    """One response: its status and headers; a 2xx body goes to ``sink``; any other
    body is dropped unread (it may echo our request headers)."""

    def __init__(self, sink: Callable[[bytes], Awaitable[None] | None] | None) -> None:
        self.sink = sink
        self.code = 0
        self.headers = httputil.HTTPHeaders()
        self.complete = False
        self.last = time.monotonic()
        self.received = 0
        self.on_headers: Callable[[_Exchange], Awaitable[None]] | None = None
        self.url = ""

    def headers_received(
        self,
        start_line: httputil.RequestStartLine | httputil.ResponseStartLine,
        headers: httputil.HTTPHeaders,
    ) -> Awaitable[None] | None:
        assert isinstance(start_line, httputil.ResponseStartLine)
        self.code = start_line.code
        self.headers = headers
        self.last = time.monotonic()
        if self.on_headers is not None and 200 <= self.code < 300:
            # may raise HTTPInputError to refuse the body (tornado closes quietly)
            return self.on_headers(self)
        return None

    def data_received(self, chunk: bytes) -> Awaitable[None] | None:
        self.last = time.monotonic()
        if self.sink is None or not 200 <= self.code < 300:
            return None
        self.received += len(chunk)
        return self._deliver(self.sink, chunk)

    async def _deliver(self, sink: Callable[[bytes], Awaitable[None] | None], chunk: bytes) -> None:
        pending = sink(chunk)
        if pending is not None:
            await pending
        self.last = time.monotonic()  # a slow disk is not a stalled transfer

    def finish(self) -> None:
        self.complete = True

    def on_connection_close(self) -> None:
        pass


class _SignInPage(Exception):
    """A redirect to Earthdata Login's OAuth page: the host wanted a token."""

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.host = host


class TransferError(Exception):
    """The connection failed or stalled (no HTTP status to report)."""

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


async def http_exchange(
    method: str,
    url: str,
    headers: dict[str, str],
    timeout: float,
    chunk_size: int,
    sink: Callable[[bytes], Awaitable[None] | None] | None = None,
    on_headers: Callable[[_Exchange], Awaitable[None]] | None = None,
) -> _Exchange:
    """One request; the 2xx body streams to ``sink`` with back-pressure. Raises
    :class:`TransferError` when the connection fails, or when nothing arrives for
    ``timeout`` seconds (connecting, waiting for headers, or between body chunks)."""
    parts = urlsplit(url)
    scheme, host, port = origin(url)
    if scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise TransferError("unsupported link")
    ssl_options = ssl.create_default_context() if scheme == "https" else None
    try:
        stream = await TCPClient().connect(
            host,
            port,
            ssl_options=ssl_options,
            timeout=timeout,
            max_buffer_size=max(4 * chunk_size, 1 << 20),
        )
    except TimeoutError:
        raise TransferError("connecting timed out", timed_out=True) from None
    except (OSError, StreamClosedError, ssl.SSLError) as exc:
        raise TransferError(f"could not connect ({exc.__class__.__name__})") from None
    exchange = _Exchange(sink)
    exchange.url = url
    exchange.on_headers = on_headers
    timed_out = False
    read: asyncio.Future | None = None
    try:
        connection = HTTP1Connection(
            stream,
            True,
            HTTP1ConnectionParameters(
                no_keep_alive=True,
                chunk_size=chunk_size,
                max_header_size=64 * 1024,
                max_body_size=1 << 62,
                decompress=False,
            ),
        )
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = httputil.HTTPHeaders(
            {
                "Host": parts.netloc,
                "User-Agent": USER_AGENT,
                "Accept-Encoding": "identity",
                "Connection": "close",
                **headers,
            }
        )
        connection.write_headers(
            httputil.RequestStartLine(method, target, "HTTP/1.1"), request_headers
        )
        connection.finish()
        read = asyncio.ensure_future(connection.read_response(exchange))
        while not read.done():
            done, _ = await asyncio.wait([read], timeout=min(1.0, timeout / 4))
            if not done and time.monotonic() - exchange.last > timeout:
                timed_out = True
                stream.close()
                break
        if read.done() and not read.cancelled():
            with suppress(StreamClosedError, httputil.HTTPInputError, OSError):
                read.result()
    finally:
        stream.close()
        if read is not None and not read.done():
            # the reader ends once the stream is closed (after an in-flight write)
            read.add_done_callback(lambda f: f.cancelled() or f.exception())
    if timed_out:
        raise TransferError(f"no data for {timeout:.0f} seconds", timed_out=True)
    if not exchange.code:
        raise TransferError("the connection closed before an answer")
    if exchange.code < 300 and method != "HEAD" and not exchange.complete:
        raise TransferError("the connection closed before the end of the file")
    return exchange
