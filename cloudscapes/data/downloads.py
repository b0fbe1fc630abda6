"""Downloads of granules (HTTPS, with the Earthdata token) and S3 objects, as jobs.

``POST /cloudscapes/data/downloads`` checks everything it can before starting a job
(the request, the paths, whether the files exist, free space, Earthdata sign-in) and
answers 4xx without writing anything when one check fails (``cloudscapes.data.planning``).
The job then:

- writes each file to a hidden temporary name in the target folder and renames it when
  complete (``cloudscapes.data.files``). On cancel, failure or server stop the temporary
  file is deleted, so a file with the final name is always a complete one. A granule
  with several files renames each file as it completes; when a later file fails, the
  completed ones are kept (they are whole) and the job's error names the file that
  failed.
- refuses to replace a file that appeared meanwhile unless ``overwrite`` was asked.

HTTPS: each request is one exchange of ``cloudscapes.data.transfer``.
Redirects are followed here (at most 5): the ``Authorization`` header (and any cookie)
goes only to the scheme, host and port the token was meant for, never to another host
(presigned S3 URLs refuse it, and they must not see it); a redirect from https to http
fails the download. A redirect to Earthdata Login's OAuth page, or a ``text/html``
answer for a file that is not a web page, fails the job (a sign-in page is never saved
under the data file's name).

S3: ``get_object`` streams in a worker thread, in ``download_chunk`` pieces; a cancel
sets an event the thread checks between pieces.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urljoin, urlsplit

from tornado import httputil

from ..handlers import CloudscapesError
from ..jobs import Job, JobContext
from .files import PART_MARK, PartFile, human, progress_text
from .planning import DownloadPlanner, Item, Plan
from .transfer import TransferError, _Exchange, _SignInPage, http_exchange, origin

#: Redirects followed per file (TEA -> EDL -> TEA -> S3 is 3).
MAX_REDIRECTS = 5
#: partial files untouched this long are left-overs of a killed server
STALE_PART_SECONDS = 3600.0
#: Worker threads for S3 transfers and file writes (shared by every download).
WORKERS = 8
_REDIRECTS = (301, 302, 303, 307, 308)
#: names that may legitimately be web pages
HTML = (".html", ".htm", ".xhtml")


class Downloads(DownloadPlanner):
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
