"""Downloads of granules (HTTPS, with the Earthdata token) and S3 objects, as jobs.

``POST /cloudscapes/data/downloads`` checks everything it can before starting a job
(the request, the paths, whether the files exist, free space, Earthdata sign-in) and
answers 4xx without writing anything when one check fails. The job then:

- writes each file to a hidden temporary name in the target folder
  (``.<name>.cloudscapes-part-<random>``), fsyncs it, and renames it to its name only
  when complete. On cancel, failure or server stop the temporary file is deleted, so a
  file with the final name is always a complete one. A granule with several files
  renames each file as it completes; when a later file fails, the completed ones are
  kept (they are whole) and the job's error names the file that failed.
- refuses to replace a file that appeared meanwhile unless ``overwrite`` was asked
  (the rename is a hard link, which fails when the name exists).

Paths: the folder resolves inside the server's ``root_dir`` (``cloudscapes.paths``: no
``..``, no absolute paths, no control characters, no symlink that leads outside) and
neither it nor a file name is hidden (names that start with ``.``, which Jupyter hides
and which include shell start-up files). File names come from the last part of the S3
key or URL path only.

HTTPS: each request is one plain HTTP/1.1 exchange on a connection this module opens
(tornado's ``TCPClient`` and ``HTTP1Connection``), so that the body streams to disk
with back-pressure, a stalled transfer is cut after ``download_timeout`` (or
``s3_timeout``) seconds without data, and a cancel closes the connection at once.
Redirects are followed here (at most 5): the ``Authorization`` header (and any cookie)
goes only to the scheme, host and port the token was meant for, never to another host
(presigned S3 URLs refuse it, and they must not see it); a redirect from https to http
fails the download.
Error bodies are never read into a message or a log line: S3 echoes a rejected
``Authorization`` header in its error. A redirect to Earthdata Login's OAuth page, or a
``text/html`` answer for a file that is not a web page, fails the job (a sign-in page is
never saved under the data file's name).

S3: ``get_object`` streams in a worker thread, in ``download_chunk`` pieces; a cancel
sets an event the thread checks between pieces.
"""

from __future__ import annotations

import asyncio
import errno
import os
import secrets
import shutil
import ssl
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from tornado import httputil
from tornado.http1connection import HTTP1Connection, HTTP1ConnectionParameters
from tornado.iostream import StreamClosedError
from tornado.tcpclient import TCPClient

from .. import __version__
from ..handlers import CloudscapesError, bad_request
from ..jobs import Job, JobContext
from ..paths import existing_parent, name_problem, resolve_inside
from .s3 import check_key

#: Redirects followed per file (TEA -> EDL -> TEA -> S3 is 3).
MAX_REDIRECTS = 5
#: Temporary files are named ``.<name>`` + this + a random suffix.
PART_MARK = ".cloudscapes-part-"
#: partial files untouched this long are left-overs of a killed server
STALE_PART_SECONDS = 3600.0
#: Worker threads for S3 transfers and file writes (shared by every download).
WORKERS = 8
USER_AGENT = f"cloudscapes/{__version__}"
_REDIRECTS = (301, 302, 303, 307, 308)
#: names that may legitimately be web pages
HTML = (".html", ".htm", ".xhtml")


# ---- sizes ------------------------------------------------------------------------------


def human(size: float, unit_of: float | None = None) -> str:
    """``8.1 MB``; with ``unit_of``, in the unit that ``unit_of`` would use, no suffix."""
    ref = size if unit_of is None else unit_of
    for factor, suffix in ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if ref >= factor:
            text = f"{size / factor:.1f}"
            return text if unit_of is not None else f"{text} {suffix}"
    return f"{int(size)}" if unit_of is not None else f"{int(size)} bytes"


def progress_text(name: str, done: int, total: int | None) -> str:
    if total:
        unit = human(total).split()[-1]
        return f"{name}: {human(done, total)} of {human(total, total)} {unit}"
    return f"{name}: {human(done)}"


# ---- paths ------------------------------------------------------------------------------


def check_name(name: str, what: str) -> str:
    """A file name from a key or URL: one plain, visible path segment."""
    if name_problem(name):
        raise bad_request(
            f"The {what} does not end in a usable file name ({name!r}).",
            "Download a single object or granule file; folders are not downloaded.",
            code="invalid_file_name",
        )
    if name.startswith("."):
        raise bad_request(
            f"The {what} names a hidden file ({name!r}); Cloudscapes does not write hidden files.",
            "Copy it with code instead (Insert code), and rename it.",
            code="invalid_file_name",
        )
    return name


def name_from_key(key: str) -> str:
    if key.endswith("/"):
        raise bad_request(
            f"{key!r} is a folder, not an object.",
            "Open the folder and download the objects in it.",
            code="invalid_file_name",
        )
    segments = key.split("/")
    if any(s in (".", "..") for s in segments):
        raise bad_request(
            f"The key {key!r} has '.' or '..' parts, which would name another file.",
            "Download objects whose keys are plain paths.",
            code="invalid_file_name",
        )
    return check_name(segments[-1], "S3 key")


def name_from_url(url: str) -> str:
    path = urlsplit(url).path
    return check_name(unquote(path.rsplit("/", 1)[-1]), "download link")


_DIRECTORY_HINT = "Name a folder inside your Jupyter root, for example 'downloads'."


def directory_path(root: Path, relative: str) -> Path:
    """Where ``relative`` is below ``root`` (:func:`~cloudscapes.paths.resolve_inside`,
    hidden folders refused), or a 400 when it is not a folder there. Creates nothing."""
    real = resolve_inside(
        root,
        relative,
        what="folder",
        code="invalid_directory",
        hint=_DIRECTORY_HINT,
        allow_hidden=False,
    )
    if os.path.lexists(real) and not os.path.isdir(real):
        raise bad_request(
            f"{relative!r} is a file, not a folder.", _DIRECTORY_HINT, code="invalid_directory"
        )
    return real


def make_directory(root: Path, directory: Path, relative: str) -> Path:
    """Create ``directory`` (from :func:`directory_path`) and check it again."""
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise CloudscapesError(
            409,
            "directory_not_writable",
            f"Cannot create the folder {relative!r} ({exc.strerror or exc}).",
            "Pick another folder.",
        ) from None
    real = directory_path(root, relative)  # a link created meanwhile is caught here
    if not os.path.isdir(real):
        raise bad_request(
            f"{relative!r} is not a folder.", _DIRECTORY_HINT, code="invalid_directory"
        )
    return real


# ---- temporary files --------------------------------------------------------------------


class PartFile:
    """A file being downloaded, under a hidden temporary name next to its target.

    ``write`` and ``commit`` run in worker threads; ``discard`` may run on the event
    loop: it unlinks the name at once (so no partial file is ever left, whatever happens
    next) and closes the descriptor once no write is in flight.
    """

    def __init__(self, directory: Path, name: str) -> None:
        self.directory = directory
        self.path = directory / f".{name}{PART_MARK}{secrets.token_hex(6)}"
        self._lock = threading.Lock()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_NOFOLLOW", 0)
        self._fd: int | None = os.open(self.path, flags, 0o666)
        self.size = 0
        #: True once it has its final name (then there is nothing to discard).
        self.committed = False

    def write(self, data: bytes) -> None:
        with self._lock:
            if self._fd is None:  # discarded meanwhile: drop the rest
                return
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            self.size += len(data)

    def _close(self) -> None:
        with self._lock:
            if self._fd is not None:
                fd, self._fd = self._fd, None
                os.close(fd)

    def commit(self, target: Path, overwrite: bool) -> None:
        """fsync, then give it its name: replacing an existing file only with
        ``overwrite`` (otherwise a hard link, which fails when the name exists)."""
        with self._lock:
            if self._fd is None:
                raise FileNotFoundError(errno.ENOENT, "discarded", str(self.path))
            os.fsync(self._fd)
        self._close()
        if overwrite:
            os.replace(self.path, target)
        else:
            try:
                os.link(self.path, target, follow_symlinks=False)
            except FileExistsError:
                raise
            except OSError:
                # file systems without hard links: check, then rename (a small race)
                if os.path.lexists(target):
                    raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
                os.replace(self.path, target)
            else:
                with suppress(FileNotFoundError):
                    os.unlink(self.path)
        self.committed = True
        with suppress(OSError):
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def discard(self) -> None:
        """Remove the temporary name now; close the descriptor when no write is running
        (in a thread, so the event loop never waits for a slow disk). The unlink is one
        metadata call done at once on purpose: a cancelled job must not leave the partial
        file behind even when it is cancelled again during its cleanup."""
        with suppress(FileNotFoundError):
            os.unlink(self.path)
        threading.Thread(target=self._close, name="cloudscapes-part-close", daemon=True).start()


# ---- HTTP -------------------------------------------------------------------------------


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


# ---- planning ---------------------------------------------------------------------------


@dataclass
class Item:
    """One file to download."""

    name: str
    target: Path
    size: int | None
    url: str | None = None
    key: str | None = None


@dataclass
class Plan:
    title: str
    directory: Path
    items: list[Item]
    overwrite: bool
    token: str | None = field(default=None, repr=False)
    s3: Any = field(default=None, repr=False)  # an S3Target

    @property
    def total(self) -> int | None:
        sizes = [i.size for i in self.items]
        return None if any(s is None for s in sizes) else sum(s for s in sizes if s)


class Downloads:
    """Starts downloads for the data service (``service.downloads``)."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.config = service.config
        self.log = service.log
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="cloudscapes-download")
        #: bytes the running downloads were planned to write (counted as taken)
        self._reserved = 0
        self._pool.submit(self.sweep)

    @property
    def timeout(self) -> float:
        return float(getattr(self.config, "download_timeout", 0) or self.config.s3_timeout)

    def sweep(self, older_than: float = STALE_PART_SECONDS) -> list[str]:
        """Delete partial files a killed server left in the default download folder.

        A running download writes its partial file all the time, so only files untouched
        for ``older_than`` seconds go (another server sharing the home may be downloading
        into the same folder). Runs in a worker thread at start-up; returns what it removed.
        """
        folder = self.service.root_dir / self.config.download_dir
        removed: list[str] = []
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return removed
        deadline = time.time() - older_than
        for entry in entries:
            if not (entry.name.startswith(".") and PART_MARK in entry.name):
                continue
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < deadline:
                    os.unlink(entry.path)
                    removed.append(entry.name)
            except OSError:
                continue
        if removed:
            self.log.info("Cloudscapes removed %d stale partial download(s)", len(removed))
        return removed

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, os.path.realpath(self.service.root_dir))).as_posix()

    def folder_label(self, directory: Path) -> str:
        relative = self.relative(directory)
        return "your Jupyter root folder" if relative == "." else relative

    # ---- the request --------------------------------------------------------------------

    async def start(self, body: dict[str, Any]) -> Job:
        """Check the request, the paths, the space and the sign-in; start the job."""
        plan = await self.plan(body)
        work = self._granule_work(plan) if plan.s3 is None else self._object_work(plan)
        needed = sum(i.size or 0 for i in plan.items)
        # bytes that downloads already running will still write count against free space
        self._reserved += needed

        async def reserved(ctx: Any) -> Any:
            try:
                return await work(ctx)
            finally:
                self._reserved -= needed

        return self.service.jobs.start("download", plan.title, reserved, total=plan.total)

    async def plan(self, body: dict[str, Any]) -> Plan:
        """``body`` is a ``DownloadRequest`` (schema/data.yaml); the schema cannot say
        that exactly one of a granule and an object is sent."""
        if ("granule" in body) == ("object" in body):
            raise bad_request(
                "Send either a granule or an object to download.",
                'For example {"granule": "G1234-NSIDC_CPRD"} or '
                '{"object": {"source": "default", "bucket": "b", "key": "k.nc"}}.',
            )
        overwrite = body.get("overwrite", False)
        directory_text = body.get("directory", self.config.download_dir)
        # validate the request itself before any network call
        if "object" in body:
            ref = body["object"]
            source, bucket, key = ref["source"], ref.get("bucket") or None, check_key(ref["key"])
            name = name_from_key(key)
        else:
            granule_id = body["granule"]
            if not granule_id.strip():
                raise bad_request("'granule' must be a granule concept id.")
        loop = asyncio.get_running_loop()
        root = self.service.root_dir
        directory = await loop.run_in_executor(self._pool, directory_path, root, directory_text)
        if "object" in body:
            target = await self.service.s3_target(source, bucket)
            size = await self._head_object(target, key)
            plan = Plan(
                title=f"Download {name}",
                directory=directory,
                items=[Item(name, directory / name, size, key=key)],
                overwrite=overwrite,
                s3=target,
            )
        else:
            plan = await self._granule_plan(granule_id.strip(), directory, overwrite)
        await loop.run_in_executor(self._pool, self._check_targets, plan)
        await self._check_space(plan)
        plan.directory = await loop.run_in_executor(
            self._pool, make_directory, root, directory, directory_text
        )
        for item in plan.items:
            item.target = plan.directory / item.name
        return plan

    async def _head_object(self, target: Any, key: str) -> int:
        loop = asyncio.get_running_loop()
        try:
            answer = await loop.run_in_executor(
                self._pool, lambda: target.client.head_object(Bucket=target.bucket, Key=key)
            )
        except Exception as exc:
            raise self.service.s3_error(exc) from None
        return int(answer.get("ContentLength") or 0)

    async def _granule_plan(self, concept_id: str, directory: Path, overwrite: bool) -> Plan:
        granule = await self.service.granule(concept_id)
        urls = list(dict.fromkeys(granule.get("https_urls") or []))
        if not urls:
            raise CloudscapesError(
                404,
                "no_https_links",
                f"The granule {granule.get('title') or concept_id} has no HTTPS download links.",
                "Open it from S3 with Insert code instead.",
            )
        token = self.service.earthdata_token()
        if token is None and any(self.service.token_allowed(u) for u in urls):
            raise CloudscapesError(
                409,
                "earthdata_not_signed_in",
                "Downloading this granule needs your Earthdata login.",
                "Sign in in the Earthdata panel, then download again.",
            )
        sizes = {f.get("name"): f.get("size_bytes") for f in granule.get("files") or []}
        items: list[Item] = []
        for url in urls:
            name = name_from_url(url)
            if any(i.name == name for i in items):
                raise bad_request(
                    f"Two links of this granule are named {name!r}.",
                    "Download them with code instead (Insert code).",
                    code="invalid_file_name",
                )
            size = sizes.get(name)
            if size is None and len(urls) == 1:
                size = granule.get("size_bytes")
            items.append(
                Item(name, directory / name, int(size) if size is not None else None, url=url)
            )
        for item in items:
            if item.size is None:
                item.size = await self._head_size(item.url or "", token)
        title = granule.get("title") or concept_id
        return Plan(
            title=f"Download {items[0].name if len(items) == 1 else title}",
            directory=directory,
            items=items,
            overwrite=overwrite,
            token=token,
        )

    def _check_targets(self, plan: Plan) -> None:
        for item in plan.items:
            if os.path.isdir(item.target) and not os.path.islink(item.target):
                raise CloudscapesError(
                    409,
                    "file_exists",
                    f"{self.relative(item.target)} is a folder.",
                    "Pick another download folder.",
                )
            if os.path.lexists(item.target) and not plan.overwrite:
                raise CloudscapesError(
                    409,
                    "file_exists",
                    f"{self.relative(item.target)} already exists.",
                    "Download again with 'Replace existing files' (overwrite), or pick "
                    "another folder.",
                )

    async def _check_space(self, plan: Plan) -> None:
        needed = sum(i.size or 0 for i in plan.items)
        loop = asyncio.get_running_loop()
        where = await loop.run_in_executor(self._pool, existing_parent, plan.directory)
        free = (await loop.run_in_executor(self._pool, shutil.disk_usage, where)).free
        free = max(0, free - self._reserved)
        if needed + self.config.free_space_margin > free:
            raise self._space_error(plan.directory, needed, free)

    def _space_error(self, directory: Path, needed: int, free: int) -> CloudscapesError:
        margin = self.config.free_space_margin
        return CloudscapesError(
            409,
            "insufficient_space",
            f"Not enough free space in {self.folder_label(directory)}: the download needs "
            f"{human(needed)} and {human(margin)} must stay free, but only {human(free)} "
            "is free.",
            "Delete files you no longer need, pick a folder on a larger disk, or open the "
            "data in place with Insert code instead of downloading it.",
        )

    # ---- HTTPS --------------------------------------------------------------------------

    async def _head_size(self, url: str, token: str | None) -> int | None:
        """Content-Length from a HEAD (following redirects), or None when not told."""
        try:
            exchange, _ = await self._follow("HEAD", url, token, None, None)
        except (CloudscapesError, TransferError, _SignInPage):
            return None  # the download itself reports what is wrong
        if not 200 <= exchange.code < 300:
            return None
        length = exchange.headers.get("Content-Length", "")
        return int(length) if length.isdigit() else None

    async def _follow(
        self,
        method: str,
        url: str,
        token: str | None,
        sink: Callable[[bytes], Awaitable[None] | None] | None,
        on_headers: Callable[[_Exchange], Awaitable[None]] | None,
    ) -> tuple[_Exchange, str]:
        """Request ``url`` following redirects; returns the last exchange and its URL.

        The token goes with the first request only when the service allows it for that
        URL, then only to the same scheme, host and port; cookies likewise stay with the
        origin that set them."""
        first = origin(url)
        send_token = token is not None and self.service.token_allowed(url)
        cookies: dict[tuple[str, str, int], dict[str, str]] = {}
        for _hop in range(MAX_REDIRECTS + 1):
            here = origin(url)
            headers: dict[str, str] = {}
            if send_token and here == first:
                headers["Authorization"] = f"Bearer {token}"
            jar = cookies.get(here)
            if jar:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
            exchange = await http_exchange(
                method,
                url,
                headers,
                self.timeout,
                self.config.download_chunk,
                sink=sink,
                on_headers=on_headers,
            )
            for line in exchange.headers.get_list("Set-Cookie"):
                with suppress(CookieError):
                    parsed = SimpleCookie()
                    parsed.load(line)
                    cookies.setdefault(here, {}).update({k: m.value for k, m in parsed.items()})
            if exchange.code not in _REDIRECTS:
                return exchange, url
            location = exchange.headers.get("Location")
            if not location:
                return exchange, url
            nxt = urljoin(url, location)
            if origin(nxt)[0] not in ("http", "https") or (
                here[0] == "https" and origin(nxt)[0] != "https"
            ):
                raise CloudscapesError(
                    502,
                    "download_redirect",
                    f"{here[1]} redirected the download to an insecure or unsupported link.",
                    "Report it to the data center.",
                )
            if "/oauth/authorize" in urlsplit(nxt).path:
                # Earthdata Login's sign-in page, not the file (the host wanted a token)
                raise _SignInPage(here[1])
            if origin(nxt) != here:
                # another host: the token and the cookies stay behind, for good
                send_token = False
            url = nxt
        raise CloudscapesError(
            502,
            "download_redirect",
            f"{first[1]} redirected the download more than {MAX_REDIRECTS} times.",
            "Try again later; if it persists, report it to the data center.",
        )

    def _refused(self, item: Item, code: int, host: str, token_sent: bool) -> CloudscapesError:
        if code in (401, 403):
            if token_sent:
                hint = (
                    "Sign in again in the Earthdata panel (your token may have expired). "
                    "Some collections also need you to accept their EULA or authorize "
                    "the data center's application at urs.earthdata.nasa.gov."
                )
            else:
                hint = "This host needs credentials Cloudscapes does not send to it."
            return CloudscapesError(
                403,
                "download_refused",
                f"{host} refused the download of {item.name} (HTTP {code}).",
                hint,
            )
        if code == 404:
            return CloudscapesError(
                404,
                "download_not_found",
                f"{host} has no file {item.name} (HTTP 404).",
                "The granule may have been reprocessed; search for it again.",
            )
        return CloudscapesError(
            502,
            "download_failed",
            f"{host} answered HTTP {code} for {item.name}.",
            "Try again later.",
        )

    async def _fetch_url(self, ctx: JobContext, plan: Plan, item: Item, before: int) -> int:
        """Download one link into a temporary file and rename it; returns its size."""
        loop = asyncio.get_running_loop()
        try:
            part = await loop.run_in_executor(self._pool, PartFile, plan.directory, item.name)
        except OSError as exc:
            raise self._disk_error(item, exc) from None
        # what went wrong inside tornado's reader, which only sees HTTPInputError
        trouble: dict[str, Any] = {}
        total = {"size": item.size}

        async def on_headers(exchange: _Exchange) -> None:
            kind = exchange.headers.get("Content-Type", "").lower()
            if kind.startswith("text/html") and not item.name.lower().endswith(HTML):
                # a sign-in or error page answered with 200: never save it as the file
                trouble["error"] = self._sign_in_error(item, origin(exchange.url)[1])
                raise httputil.HTTPInputError("a web page instead of the file")
            length = exchange.headers.get("Content-Length", "")
            if not length.isdigit():
                return
            size = int(length)
            total["size"] = size
            if item.size is None or size > item.size:  # more than planned: check again
                usage = await loop.run_in_executor(self._pool, shutil.disk_usage, plan.directory)
                if size + self.config.free_space_margin > usage.free:
                    trouble["error"] = self._space_error(plan.directory, size, usage.free)
                    raise httputil.HTTPInputError("not enough space")
            if item.size != size:  # the host knows better than the catalogue
                item.size = size
                ctx.progress(before, plan.total)

        async def sink(chunk: bytes) -> None:
            try:
                await loop.run_in_executor(self._pool, part.write, chunk)
            except OSError as exc:
                trouble["error"] = self._disk_error(item, exc)
                raise httputil.HTTPInputError("write failed") from None
            ctx.progress(
                before + part.size, message=progress_text(item.name, part.size, total["size"])
            )

        try:
            ctx.progress(before, message=progress_text(item.name, 0, item.size))
            try:
                exchange, final_url = await self._follow(
                    "GET", item.url or "", plan.token, sink, on_headers
                )
            except _SignInPage as exc:
                raise self._sign_in_error(item, exc.host) from None
            except TransferError as exc:
                if "error" in trouble:
                    raise trouble["error"] from None
                host = origin(item.url or "")[1]
                if exc.timed_out:
                    raise CloudscapesError(
                        504,
                        "download_timeout",
                        f"The download of {item.name} from {host} stalled: {exc.reason}.",
                        "Try again; the data host may be busy.",
                    ) from None
                raise CloudscapesError(
                    502,
                    "download_interrupted",
                    f"The download of {item.name} from {host} was interrupted: {exc.reason}.",
                    "Try again.",
                ) from None
            if not 200 <= exchange.code < 300:
                token_sent = plan.token is not None and self.service.token_allowed(item.url)
                raise self._refused(item, exchange.code, origin(final_url)[1], token_sent)
            try:
                await loop.run_in_executor(self._pool, part.commit, item.target, plan.overwrite)
            except FileExistsError:
                raise self._appeared(item) from None
            except OSError as exc:
                raise self._disk_error(item, exc) from None
            return part.size
        finally:
            if not part.committed:
                part.discard()

    def _sign_in_error(self, item: Item, host: str) -> CloudscapesError:
        return CloudscapesError(
            403,
            "download_refused",
            f"{host} answered a sign-in page instead of {item.name}.",
            "Sign in to Earthdata in the Earthdata panel. If you are signed in, this host "
            "does not receive your token: ask your hub admin to add it to "
            "c.CloudscapesData.token_hosts.",
        )

    def _appeared(self, item: Item) -> CloudscapesError:
        return CloudscapesError(
            409,
            "file_exists",
            f"{self.relative(item.target)} appeared while downloading; it was kept.",
            "Download again with overwrite to replace it.",
        )

    def _disk_error(self, item: Item, exc: OSError) -> CloudscapesError:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return CloudscapesError(
                409,
                "insufficient_space",
                f"The disk filled up while writing {item.name}.",
                "Delete files you no longer need and download again.",
            )
        return CloudscapesError(
            409,
            "write_failed",
            f"Could not write {self.relative(item.target)} ({exc.strerror or exc}).",
            "Check that the folder is writable, or pick another one.",
        )

    def _granule_work(self, plan: Plan) -> Callable[[JobContext], Awaitable[dict[str, Any]]]:
        async def work(ctx: JobContext) -> dict[str, Any]:
            done = 0
            paths: list[str] = []
            for index, item in enumerate(plan.items):
                try:
                    size = await self._fetch_url(ctx, plan, item, done)
                except CloudscapesError as exc:
                    ctx.log(f"Failed: {item.name}: {exc.message}")
                    if paths:  # completed files stay: they are whole
                        exc.message += (
                            f" The {len(paths)} file(s) downloaded before it were kept: "
                            f"{', '.join(paths)}."
                        )
                    raise
                done += size
                paths.append(self.relative(item.target))
                ctx.log(f"Saved {paths[-1]} ({human(size)})")
                if index + 1 < len(plan.items):
                    ctx.progress(done, plan.total, f"{item.name} done")
            return {"paths": paths, "bytes": done}

        return work

    # ---- S3 -----------------------------------------------------------------------------

    def _object_work(self, plan: Plan) -> Callable[[JobContext], Awaitable[dict[str, Any]]]:
        (item,) = plan.items
        target = plan.s3

        async def work(ctx: JobContext) -> dict[str, Any]:
            loop = asyncio.get_running_loop()
            stop = threading.Event()
            # cancel and commit exclude each other: a cancelled job never leaves the file
            decide = threading.Lock()
            try:
                part = await loop.run_in_executor(self._pool, PartFile, plan.directory, item.name)
            except OSError as exc:
                raise self._disk_error(item, exc) from None
            done = {"bytes": 0}

            def report() -> None:
                size = done["bytes"]
                ctx.progress(size, message=progress_text(item.name, size, item.size))

            def pull() -> None:
                answer = target.client.get_object(Bucket=target.bucket, Key=item.key)
                body = answer["Body"]
                try:
                    while not stop.is_set():
                        chunk = body.read(self.config.download_chunk)
                        if not chunk:
                            break
                        try:
                            part.write(chunk)
                        except OSError as exc:
                            raise _DiskError(exc) from None
                        done["bytes"] += len(chunk)
                        loop.call_soon_threadsafe(report)
                finally:
                    body.close()
                with decide:
                    if stop.is_set():
                        return
                    try:
                        part.commit(item.target, plan.overwrite)
                    except OSError as exc:
                        raise _DiskError(exc) from None

            ctx.progress(0, item.size, progress_text(item.name, 0, item.size))
            future = self._pool.submit(pull)
            try:
                await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                with decide:  # held at most for the rename of a finished file
                    stop.set()
                if part.committed and not plan.overwrite:
                    # finished just as it was cancelled: cancelled means no file
                    with suppress(OSError):
                        os.unlink(item.target)
                part.discard()  # the name goes now; the thread stops after its chunk
                raise
            except _DiskError as exc:
                error = (
                    self._appeared(item)
                    if isinstance(exc.error, FileExistsError)
                    else self._disk_error(item, exc.error)
                )
                ctx.log(f"Failed: {item.name}: {error.message}")
                raise error from None
            except Exception as exc:
                error = self.service.s3_error(exc)
                ctx.log(f"Failed: {item.name}: {error.message}")
                raise error from None
            finally:
                if not part.committed:
                    part.discard()
            path = self.relative(item.target)
            ctx.log(f"Saved {path} ({human(done['bytes'])})")
            return {"paths": [path], "bytes": done["bytes"]}

        return work


class _DiskError(Exception):
    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error
