"""Long operations as jobs: downloads, environment builds, clones, cluster starts.

A route that starts a long operation answers ``202`` with the job
(:func:`reply_accepted`); the frontend polls ``GET /cloudscapes/jobs/{id}`` (never
counted as user activity) and cancels with ``DELETE``.

A feature starts one with :meth:`JobManager.start`, giving it ``work``, a coroutine
function that receives a :class:`JobContext`::

    async def work(ctx: JobContext) -> dict:
        ctx.progress(0, total, "Connecting")
        ctx.log("Saved downloads/x.nc")
        await process.run(["git", "clone", url], on_line=ctx.on_line)
        return {"paths": [...]}

    job = app.jobs.start("download", "Download x.nc", work, total=size)
    reply_accepted(handler, app.jobs, job)

Log: ``ctx.log(text, stream="info")`` adds lines (``stdout``, ``stderr`` or ``info``;
text with newlines is several lines) to a bounded ring per job: the last
``log_lines`` lines (5,000), each cut at ``line_chars`` characters (4,000), with a count
of the lines dropped. ``process.run(..., on_line=ctx.on_line)`` streams a command into
it.
Lines are raw text, ANSI escapes included (the browser renders or strips them).

Every change (progress, message, a log line) moves the job's ``updated``, strictly
increasing (one microsecond more when the clock has not moved), and each line carries
the ``updated`` it set as its ``time``. So ``GET /cloudscapes/jobs/{id}?since=<updated
the client saw>`` answers exactly the lines it has not seen; without ``since`` it
answers every line still in the ring, and the list ``GET /cloudscapes/jobs`` only the
counts (``lines: []``).

Lifecycle: ``pending`` (created, the task has not run yet) -> ``running`` ->
``succeeded`` (``result`` is what ``work`` returned), ``failed`` or ``cancelled``.

- A :class:`~cloudscapes.handlers.CloudscapesError` raised by ``work`` becomes the job's
  ``error`` as the user sees it (``{"error": {code, message, hint}}``); any other
  exception is logged here with its traceback and the job gets a generic ``job_failed``
  error, so no traceback or secret reaches the browser.
- :meth:`JobManager.cancel` cancels the task: ``work`` sees ``asyncio.CancelledError``
  where it awaits and must undo what it started (``try/except/finally``), then let the
  error propagate. ``cancel`` waits (a bounded time) for that cleanup, so when the
  answer says ``cancelled`` the cleanup is done.
- Finished jobs are forgotten ``keep_seconds`` after they end, or when cancelled
  (``DELETE``) once finished. :meth:`JobManager.shutdown` cancels every unfinished job
  and waits for the cleanups; the app calls it when the server stops.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from jupyter_server.utils import url_path_join

from . import process
from .handlers import CloudscapesError, CloudscapesHandler, authenticated, parse_time

#: Statuses of a job that has ended.
FINISHED = ("succeeded", "failed", "cancelled")

#: Job ids are URL-safe: ``^[A-Za-z0-9_-]+$`` (the routes and the schema say so).
ID_PATTERN = r"[A-Za-z0-9_-]+"

#: Longest ``GET /cloudscapes/jobs/{id}?wait=`` a client may ask for, seconds.
MAX_WAIT = 30.0

#: How long ``cancel`` and ``shutdown`` wait for a job's cleanup, seconds.
CLEANUP_WAIT = 30.0

#: Lines a job's log keeps (the oldest go first), and the longest line, characters.
LOG_LINES = 5000
LINE_CHARS = 4000
#: Where a log line comes from.
STREAMS = ("stdout", "stderr", "info")

Work = Callable[["JobContext"], Awaitable[Any]]
_TICK = timedelta(microseconds=1)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def job_time(value: datetime) -> str:
    """A job's times: UTC, ISO 8601 with microseconds always and a ``Z`` suffix, so
    that they have one width and sort as text as they do as times."""
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_since(text: str) -> datetime:
    """A time as :func:`job_time` writes it (what a client sends back as ``since``),
    or a 400."""
    try:
        value = parse_time(text)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise CloudscapesError(
            400,
            "invalid_since",
            "since must be the job's updated time, as the last answer gave it.",
            "For example ?since=2026-01-01T12:00:00.000001Z.",
        )
    return value


@dataclass
class LogLine:
    n: int
    time: datetime
    stream: str
    text: str

    def model(self) -> dict[str, Any]:
        return {"n": self.n, "time": job_time(self.time), "stream": self.stream, "text": self.text}


@dataclass(eq=False)
class Job:
    """One long operation. Read it through :meth:`model`; only the manager and the
    job's own :class:`JobContext` change it."""

    id: str
    kind: str
    title: str
    unit: str = "bytes"
    status: str = "pending"
    done: float = 0
    total: float | None = None
    message: str = "Waiting to start"
    error: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    created: datetime = field(default_factory=_now)
    updated: datetime = field(default_factory=_now)
    #: ``time.monotonic()`` when it ended (for forgetting it), else None.
    ended: float | None = None
    cancel_requested: bool = False
    task: asyncio.Task | None = field(default=None, repr=False)
    #: the log: the last ``log_lines`` lines, how many went before them, the next ``n``
    log_lines: int = LOG_LINES
    line_chars: int = LINE_CHARS
    lines: deque[LogLine] = field(default_factory=deque, repr=False)
    dropped: int = 0
    next_line: int = 1
    #: requests waiting for the next change (``GET …?wait=``)
    _waiters: list[asyncio.Future] = field(default_factory=list, repr=False)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def touch(self) -> None:
        now = _now()
        self.updated = now if now > self.updated else self.updated + _TICK
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def changed(self, since: datetime | None, timeout: float) -> None:
        """Return once the job differs from the state ``since`` (its ``updated`` as a
        client last saw it), it has finished, or ``timeout`` seconds have passed."""
        deadline = time.monotonic() + timeout
        while not self.finished and since is not None and self.updated <= since:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, left)
            except asyncio.TimeoutError:
                return
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def add_lines(self, text: str, stream: str) -> None:
        """Log ``text`` (one line per ``\\n``; a final newline ends the last line)."""
        if stream not in STREAMS:
            raise ValueError(f"stream must be one of {STREAMS}, not {stream!r}")
        pieces = text.split("\n")
        if len(pieces) > 1 and pieces[-1] == "":
            pieces.pop()
        self.touch()
        for piece in pieces:
            if piece.endswith("\r"):
                piece = piece[:-1]
            if len(piece) > self.line_chars:
                piece = piece[: self.line_chars - 1] + "\u2026"
            self.lines.append(LogLine(self.next_line, self.updated, stream, piece))
            self.next_line += 1
        while len(self.lines) > self.log_lines:
            self.lines.popleft()
            self.dropped += 1

    def log_model(self, since: datetime | None = None, lines: bool = True) -> dict[str, Any]:
        """``{"lines", "dropped", "next"}``: the lines logged after ``since`` (every line
        kept without it; none with ``lines=False``)."""
        chosen: list[LogLine] = []
        if lines:
            chosen = list(self.lines)
            if since is not None:
                # the newest lines are at the end: walk back to the first one after since
                start = len(chosen)
                while start > 0 and chosen[start - 1].time > since:
                    start -= 1
                chosen = chosen[start:]
        return {
            "lines": [line.model() for line in chosen],
            "dropped": self.dropped,
            "next": self.next_line,
        }

    def model(self, since: datetime | None = None, lines: bool = True) -> dict[str, Any]:
        """The job as the REST contract describes it (schema ``Job``), its log lines
        after ``since`` (all without it, none with ``lines=False``)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "progress": {"done": self.done, "total": self.total, "unit": self.unit},
            "message": self.message,
            "error": self.error,
            "result": self.result,
            "created": job_time(self.created),
            "updated": job_time(self.updated),
            "log": self.log_model(since, lines),
        }


class JobContext:
    """What ``work`` gets: progress reporting, the job's log, and the server's logger
    (``logger``, for what only admins should read)."""

    def __init__(self, job: Job, logger: logging.Logger) -> None:
        self._job = job
        self.logger = logger

    @property
    def id(self) -> str:
        return self._job.id

    @property
    def cancel_requested(self) -> bool:
        return self._job.cancel_requested

    def progress(self, done: float, total: float | None = None, message: str | None = None) -> None:
        """Report progress: ``done`` (and ``total`` when given) in the job's unit, and
        the current step in plain words when ``message`` is given."""
        job = self._job
        if job.finished:
            return
        job.done = max(0, done)
        if total is not None:
            job.total = max(0, total)
        if message is not None:
            job.message = message
        job.touch()

    def message(self, text: str) -> None:
        """Say what the job is doing now, without changing its progress."""
        if not self._job.finished:
            self._job.message = text
            self._job.touch()

    def log(self, text: str, stream: str = "info") -> None:
        """Add ``text`` to the job's log as one line per ``\\n``; ``stream`` is
        ``stdout``, ``stderr`` or ``info`` (what the job itself says). Nothing is logged
        once the job has ended."""
        if not self._job.finished:
            self._job.add_lines(text, stream)

    def on_line(self, stream: str, text: str) -> None:
        """A command's output into the log: ``process.run(argv, on_line=ctx.on_line)``
        (``on_line`` gets the stream first)."""
        self.log(text, stream)


class JobManager:
    """Every job of this server, in memory."""

    def __init__(
        self,
        log: logging.Logger,
        keep_seconds: float = 3600,
        log_lines: int = LOG_LINES,
        line_chars: int = LINE_CHARS,
    ) -> None:
        self.log = log
        self.keep_seconds = keep_seconds
        self.log_lines = log_lines
        self.line_chars = line_chars
        self._jobs: dict[str, Job] = {}

    # ---- starting -------------------------------------------------------------------

    def start(
        self,
        kind: str,
        title: str,
        work: Work,
        *,
        total: float | None = None,
        unit: str = "bytes",
    ) -> Job:
        """Run ``await work(ctx)`` as a task on the running loop; returns the job at once
        (``pending``)."""
        self._prune()
        job_id = secrets.token_urlsafe(12)
        while job_id in self._jobs:  # pragma: no cover - 96 random bits
            job_id = secrets.token_urlsafe(12)
        job = Job(
            id=job_id,
            kind=kind,
            title=title,
            unit=unit,
            total=total,
            log_lines=self.log_lines,
            line_chars=self.line_chars,
        )
        self._jobs[job.id] = job
        job.task = asyncio.get_running_loop().create_task(
            self._run(job, work), name=f"cloudscapes-job-{kind}-{job.id}"
        )
        job.task.add_done_callback(lambda _task: self._task_done(job))
        return job

    def _task_done(self, job: Job) -> None:
        # A task cancelled before its first step never runs _run at all.
        if not job.finished:
            self._end(job, "cancelled", "Cancelled")

    async def _run(self, job: Job, work: Work) -> None:
        job.status = "running"
        job.message = ""
        job.touch()
        ctx = JobContext(job, self.log)
        try:
            result = await work(ctx)
        except asyncio.CancelledError:
            self._end(job, "cancelled", "Cancelled")
            raise
        except CloudscapesError as exc:
            self.log.info("Cloudscapes job %s (%s) failed: %s", job.id, job.kind, exc.code)
            job.error = exc.to_json()
            self._end(job, "failed", exc.message)
        except Exception:
            self.log.exception("Cloudscapes job %s (%s, %r) failed", job.id, job.kind, job.title)
            if job.cancel_requested:  # its cleanup failed; it was still cancelled
                self._end(job, "cancelled", "Cancelled")
                return
            job.error = {
                "error": {
                    "code": "job_failed",
                    "message": f"{job.title} failed unexpectedly.",
                    "hint": "Try again; if it persists, ask your hub admin to look at the "
                    "Jupyter server log.",
                }
            }
            self._end(job, "failed", job.error["error"]["message"])
        else:
            if job.cancel_requested:
                # work caught the cancellation and returned: it still did not finish
                self._end(job, "cancelled", "Cancelled")
                return
            job.result = result if isinstance(result, dict) else None
            if job.total is not None and job.done < job.total:
                job.done = job.total
            self._end(job, "succeeded", "Done")

    def _end(self, job: Job, status: str, message: str) -> None:
        job.status = status
        job.message = message
        job.ended = time.monotonic()
        job.touch()

    # ---- reading --------------------------------------------------------------------

    def _prune(self) -> None:
        limit = time.monotonic() - self.keep_seconds
        for job_id in [
            j.id for j in self._jobs.values() if j.ended is not None and j.ended <= limit
        ]:
            del self._jobs[job_id]

    def get(self, job_id: str) -> Job:
        self._prune()
        job = self._jobs.get(job_id)
        if job is None:
            raise CloudscapesError(
                404,
                "no_such_job",
                "There is no such job on this server.",
                "Finished jobs are forgotten after a while, and all of them when the "
                "server restarts.",
            )
        return job

    def list(self) -> list[Job]:
        """Every job, newest first."""
        self._prune()
        return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def model(self, job: Job, since: datetime | None = None, lines: bool = True) -> dict[str, Any]:
        return job.model(since, lines)

    # ---- cancelling -----------------------------------------------------------------

    async def cancel(self, job_id: str, wait: float = CLEANUP_WAIT) -> Job:
        """Cancel a pending or running job and wait (at most ``wait`` seconds) for its
        cleanup; a finished job is forgotten. Returns the job as it is then."""
        job = self.get(job_id)
        if job.finished:
            self._jobs.pop(job.id, None)
            return job
        job.cancel_requested = True
        job.message = "Cancelling"
        job.touch()
        task = job.task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait([task], timeout=wait)
        return job

    async def shutdown(self, wait: float = CLEANUP_WAIT) -> None:
        """Cancel every unfinished job and wait for their cleanups (server stop); then
        stop the commands that requests (not jobs) still run."""
        tasks = []
        for job in self._jobs.values():
            if job.task is not None and not job.task.done():
                job.cancel_requested = True
                job.task.cancel()
                tasks.append(job.task)
        if tasks:
            self.log.info("Cloudscapes: cancelling %d unfinished job(s)", len(tasks))
            _, pending = await asyncio.wait(tasks, timeout=wait)
            if pending:
                self.log.warning(
                    "Cloudscapes: %d job(s) did not finish their cleanup in %.0f s",
                    len(pending),
                    wait,
                )
        await process.stop_all()


# ---- REST ---------------------------------------------------------------------------


def reply_accepted(
    handler: CloudscapesHandler, manager: JobManager, job: Job, **extra: Any
) -> None:
    """Answer a request that started ``job``: 202, ``Location`` of the job, ``{"job"}``
    (plus ``extra`` fields, for example the cluster being started)."""
    handler.set_header("Location", url_path_join(handler.base_url, "cloudscapes", "jobs", job.id))
    handler.reply({"job": manager.model(job), **extra}, status=202)


class JobsBase(CloudscapesHandler):
    #: the frontend polls jobs; polling never counts as user activity
    polled_methods = ("GET",)

    @property
    def jobs(self) -> JobManager:
        return self.cloudscapes.jobs


class JobsHandler(JobsBase):
    """``GET /cloudscapes/jobs``: every job, newest first."""

    @authenticated
    async def get(self) -> None:
        # the counts only: a client reads a job's lines from the job itself
        self.reply({"jobs": [self.jobs.model(job, lines=False) for job in self.jobs.list()]})


class JobHandler(JobsBase):
    """``GET /cloudscapes/jobs/{id}``: one job (with the log lines after ``since``);
    ``DELETE`` cancels (or forgets) it."""

    @authenticated
    async def get(self, job_id: str) -> None:
        job = self.jobs.get(job_id)
        since_text = self.get_argument("since", None)
        since = parse_since(since_text) if since_text is not None else None
        wait = self.get_argument("wait", None)
        if wait is not None:
            try:
                seconds = float(wait)
            except ValueError:
                seconds = -1.0
            if not 0 <= seconds <= MAX_WAIT:
                raise CloudscapesError(
                    400,
                    "invalid_wait",
                    f"wait must be a number of seconds from 0 to {MAX_WAIT:g}.",
                    "For example ?wait=10&since=<the updated time you saw>.",
                )
            await job.changed(since, seconds)
        self.reply(self.jobs.model(job, since))

    @authenticated
    async def delete(self, job_id: str) -> None:
        self.reply(self.jobs.model(await self.jobs.cancel(job_id)))


#: Routes below ``/cloudscapes``; the app registers them for every configuration.
ROUTES: list[tuple[str, type]] = [
    ("jobs", JobsHandler),
    (f"jobs/({ID_PATTERN})", JobHandler),
]
