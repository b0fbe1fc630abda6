"""Subprocesses for the features that run tools (git, uv, conda): :func:`run`.

Every command runs the same way, so that no feature gets one of these wrong:

- **argv only**, never a shell: ``run(["git", "status"])``; a ``str`` is a TypeError.
  Arguments reach the program as they are (spaces, newlines, a leading ``-``).
- **its own process group** (``start_new_session=True``). When ``run`` stops a command
  (timeout, cancellation of the task awaiting it, server stop) it sends SIGTERM to the
  whole group, waits ``grace`` seconds, then sends SIGKILL, and returns or raises only
  once no process of the group is left: grandchildren included. A command's background
  processes do not outlive it either: when the command exits, what is left of its
  group is stopped the same way.
- **a timeout** for the whole run; past it a :class:`ProcessError` ``process_timeout``
  (504) with what the command printed so far (``error.result``).
- **output streamed and bounded**: ``on_line(stream, text)`` gets each line of stdout
  and stderr as it arrives (a line longer than :data:`MAX_LINE` bytes is cut into
  pieces, so a program that never prints a newline cannot grow memory). The result
  keeps at most ``capture_bytes`` of each stream: the *start* of stdout (data a caller
  parses; ``stdout_truncated`` says when the rest was dropped) and the *end* of stderr
  (where a failing program says why).
- **an environment without secrets**: :func:`safe_env` (the server's environment minus
  the hub's, Earthdata's, AWS's and GitHub's secrets) unless the caller names a
  variable in ``keep_env`` or passes it in ``env`` on purpose. stdin is ``/dev/null``
  unless ``input`` is given, so no tool waits for a prompt.
- a missing program is a :class:`ProcessError` ``command_not_found`` (503) that names
  the program only: messages never carry the environment or the other arguments (a
  URL argument may hold a token).

A non-zero exit status is not an error here: the caller knows what it means
(``result.returncode``, ``result.ok``).

:class:`KeyedLocks` serializes operations per key (one repository, one environment)
without one global lock.

The pipes and the bounded capture of the output live in :mod:`cloudscapes._process_pipes`;
import from here.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import psutil

from ._process_pipes import (
    DRAIN,
    MAX_LINE,
    Capture,
    LineCallback,
    Pipes,
    drain,
    pump_stream,
)
from .handlers import CloudscapesError

__all__ = [
    "GRACE",
    "KILL_WAIT",
    "MAX_LINE",
    "KeyedLocks",
    "LineCallback",
    "ProcessError",
    "Result",
    "group_members",
    "is_secret",
    "program_name",
    "run",
    "safe_env",
    "stop_all",
    "stop_group",
]

log = logging.getLogger(__name__)

#: Seconds between SIGTERM and SIGKILL.
GRACE = 3.0
#: Seconds to wait for the group after SIGKILL (a process stuck in the kernel).
KILL_WAIT = 5.0
#: Seconds between two looks at a process group that is stopping.
_POLL = 0.02

#: Variables never passed to a command unless kept on purpose.
SECRET_NAMES = frozenset(
    {
        "JUPYTERHUB_API_TOKEN",
        "JPY_API_TOKEN",
        "EARTHDATA_TOKEN",
        "EARTHDATA_PASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "GITHUB_TOKEN",
        "GH_TOKEN",
    }
)
#: ... nor any variable with one of these words in its name (split on ``_``; case does
#: not matter): ``PGPASSWORD`` and ``MYSQL_PWD`` as well as ``GITLAB_PAT``.
SECRET_WORDS = frozenset(
    {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "PWD", "PAT", "PASS", "CREDENTIALS"}
)
#: ... nor any variable whose name ends like this.
SECRET_SUFFIXES = ("PASSWORD", "_API_KEY")
#: Variables that look like secrets and are not: the shell's working folder (``PWD``)
#: and every ``..._FILE`` (``AWS_WEB_IDENTITY_TOKEN_FILE``, ``AWS_SHARED_CREDENTIALS_FILE``):
#: a path to a secret, which the command, running as the same user, could read anyway,
#: and which the cloud SDKs in a command need to find the hub's credentials.
NOT_SECRETS = frozenset({"PWD"})


def is_secret(name: str) -> bool:
    """Whether the variable ``name`` holds a secret, going by its name (see above)."""
    upper = name.upper()
    if upper in NOT_SECRETS or upper.endswith("_FILE"):
        return False
    return (
        upper in SECRET_NAMES
        or upper.endswith(SECRET_SUFFIXES)
        or not SECRET_WORDS.isdisjoint(upper.split("_"))
    )


def safe_env(
    extra: Mapping[str, str | None] | None = None, keep: Iterable[str] = ()
) -> dict[str, str]:
    """The server's environment without its secrets (:func:`is_secret`), except the
    variables named in ``keep``; then ``extra`` on top (a ``None`` value removes a
    variable). What a caller puts in ``extra`` is passed as given: on purpose."""
    kept = set(keep)
    env = {k: v for k, v in os.environ.items() if k in kept or not is_secret(k)}
    for name, value in (extra or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


# ---- results and errors -----------------------------------------------------------------


@dataclass
class Result:
    """What a command did. ``stdout``/``stderr`` are decoded as UTF-8 (bad bytes
    replaced) and bounded (see the module's docstring)."""

    argv: list[str]
    returncode: int
    stdout: str
    stderr: str
    stdout_truncated: bool
    stderr_truncated: bool
    duration: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class ProcessError(CloudscapesError):
    """A command could not run to its end: ``process_timeout``, ``command_not_found``,
    ``command_not_runnable``. ``result`` holds what it printed, when it ran at all."""

    def __init__(self, *args: Any, result: Result | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.result = result


def program_name(argv: Sequence[str]) -> str:
    """The program as messages name it: its file name, without folders or arguments."""
    return os.path.basename(argv[0]) or argv[0]


def _check_argv(argv: Any) -> list[str]:
    if isinstance(argv, (str, bytes)):
        raise TypeError("run() takes an argument list, never a command string")
    items = [os.fspath(a) for a in argv]
    if not items:
        raise ValueError("run() needs a program to run")
    if not all(isinstance(a, str) for a in items):
        raise TypeError("every argument must be a str or a path")
    return items


# ---- process groups ---------------------------------------------------------------------


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of the group ``pgid``. A killed orphan stays a
    zombie when the container's PID 1 does not reap: it no longer runs, so it does not
    count."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return []
    except PermissionError:  # pragma: no cover - a group we may not signal: not ours
        return []
    members = []
    for proc in psutil.process_iter(["status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE or os.getpgid(proc.pid) != pgid:
                continue
        except (ProcessLookupError, psutil.Error):
            continue
        members.append(proc.pid)
    return members


def _signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to the group; False when the group is gone."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - only zombies left on some systems
        return False
    return True


async def _gone(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if not group_members(pgid):
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(_POLL)


async def stop_group(pgid: int, grace: float = GRACE) -> None:
    """SIGTERM to the group, SIGKILL after ``grace`` seconds; returns once no live
    process of the group is left (or, for a process stuck in the kernel, after
    :data:`KILL_WAIT` more seconds, with a warning in the server log)."""
    if not group_members(pgid):
        return
    if not _signal_group(pgid, signal.SIGTERM) or await _gone(pgid, grace):
        return
    _signal_group(pgid, signal.SIGKILL)
    if not await _gone(pgid, KILL_WAIT):
        log.warning("Cloudscapes: process group %d survived SIGKILL", pgid)


async def _finally(action: Awaitable[Any]) -> None:
    """Run ``action`` to its end even when the awaiting task is cancelled meanwhile
    (again); the cancellation is re-raised after it."""
    task = asyncio.ensure_future(action)
    cancelled = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            cancelled = True
    task.result()
    if cancelled:
        raise asyncio.CancelledError


# ---- running ----------------------------------------------------------------------------

#: Tasks awaiting :func:`run` right now, for :func:`stop_all`.
_RUNNING: set[asyncio.Task] = set()


async def run(
    argv: Sequence[str | os.PathLike[str]],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str | None] | None = None,
    timeout: float | None = None,
    on_line: LineCallback | None = None,
    capture_bytes: int = 1_000_000,
    input: bytes | str | None = None,
    keep_env: Iterable[str] = (),
    grace: float = GRACE,
) -> Result:
    """Run ``argv`` and return its :class:`Result` once it and its process group are
    gone. ``env`` is added to :func:`safe_env` (``keep=keep_env``). Cancelling the
    awaiting task stops the group before the cancellation propagates."""
    args = _check_argv(argv)
    environment = safe_env(env, keep=keep_env)
    data = input.encode() if isinstance(input, str) else input
    started = time.monotonic()
    pipes = Pipes(with_input=data is not None)
    try:
        proc = await _spawn(args, cwd, environment, pipes)
    except BaseException:
        pipes.close()
        raise
    pgid = proc.pid  # start_new_session: the leader's pid is the group's id
    out = Capture("stdout", capture_bytes, False, on_line)
    err = Capture("stderr", capture_bytes, True, on_line)
    pumps: list[asyncio.Future] = []
    task = asyncio.current_task()
    if task is not None:
        _RUNNING.add(task)

    async def supervise() -> None:
        pumps.append(asyncio.ensure_future(pump_stream(await pipes.reader(pipes.out_r), out)))
        pumps.append(asyncio.ensure_future(pump_stream(await pipes.reader(pipes.err_r), err)))
        if data is not None:
            await pipes.write_input(data)
        # the command, then its output: a background process that still holds the
        # pipes is stopped with its group rather than waited for
        await _leader_exit(proc, pumps)
        await _finally(stop_group(pgid, grace))
        await drain(pumps, (out, err))

    timed_out = False
    try:
        try:
            await asyncio.wait_for(supervise(), timeout)
        except asyncio.TimeoutError:
            timed_out = True
    except BaseException:
        await _finally(_stop(proc, pgid, grace, pumps, pipes))
        raise
    finally:
        if task is not None:
            _RUNNING.discard(task)
    await _finally(_stop(proc, pgid, grace, pumps, pipes))
    result = Result(
        argv=args,
        returncode=proc.returncode if proc.returncode is not None else -signal.SIGKILL,
        stdout=out.text(),
        stderr=err.text(),
        stdout_truncated=out.truncated,
        stderr_truncated=err.truncated,
        duration=time.monotonic() - started,
    )
    if timed_out:
        raise ProcessError(
            504,
            "process_timeout",
            f"{program_name(args)} did not finish within {timeout:g} seconds and was stopped.",
            "Try again; if it keeps happening, the operation may need more time than "
            "Cloudscapes allows.",
            result=result,
        )
    return result


async def _leader_exit(proc: asyncio.subprocess.Process, pumps: list[asyncio.Future]) -> None:
    """Wait for the command to exit; a reader's failure (``on_line`` raised) at once."""
    leader = asyncio.ensure_future(proc.wait())
    try:
        while True:
            for pump in pumps:
                if pump.done():
                    pump.result()
            if leader.done():
                return
            watched = [leader, *(p for p in pumps if not p.done())]
            await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not leader.done():
            leader.cancel()


async def _stop(
    proc: asyncio.subprocess.Process,
    pgid: int,
    grace: float,
    pumps: list[asyncio.Future],
    pipes: Pipes,
) -> None:
    """Stop the group, reap the leader, let the readers see the end of the output."""
    await stop_group(pgid, grace)
    with suppress(ProcessLookupError, asyncio.TimeoutError):
        await asyncio.wait_for(proc.wait(), KILL_WAIT)
    with suppress(Exception):  # on_line's failure is raised by run, not here
        await drain(pumps, ())
    for future in pumps:
        future.cancel()
    await asyncio.gather(*pumps, return_exceptions=True)
    pipes.close()


async def _spawn(
    args: list[str], cwd: str | os.PathLike[str] | None, env: dict[str, str], pipes: Pipes
) -> asyncio.subprocess.Process:
    name = program_name(args)
    try:
        proc = await asyncio.create_subprocess_exec(
            *args,
            cwd=cwd,
            env=env,
            stdin=pipes.in_r if pipes.in_r is not None else asyncio.subprocess.DEVNULL,
            stdout=pipes.out_w,
            stderr=pipes.err_w,
            start_new_session=True,
        )
    except (FileNotFoundError, NotADirectoryError) as exc:
        if cwd is not None and exc.filename is not None and str(exc.filename) == str(cwd):
            raise ProcessError(
                500,
                "command_not_runnable",
                f"Cannot run {name}: its working folder does not exist.",
                "Try again; if it persists, ask your hub admin to look at the server log.",
            ) from None
        raise ProcessError(
            503,
            "command_not_found",
            f"{name} is not installed on this server (not found on its PATH).",
            "Ask your hub admin to add it to the image.",
        ) from None
    except OSError as exc:  # not executable, too many processes, ...
        raise ProcessError(
            503,
            "command_not_runnable",
            f"Cannot run {name} ({exc.strerror or exc.__class__.__name__}).",
            "Ask your hub admin to check that it is installed and executable.",
        ) from None
    pipes.child_started()
    return proc


async def stop_all(wait: float = GRACE + KILL_WAIT + DRAIN + 1) -> None:
    """Cancel every task awaiting :func:`run` and wait (at most ``wait`` seconds) for
    their process groups to be stopped: the server is stopping."""
    tasks = [t for t in _RUNNING if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=wait)


# ---- locks ------------------------------------------------------------------------------


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class KeyedLocks:
    """One asyncio lock per key, for operations that must not overlap on the same
    thing (``"repo:/home/u/proj"``) while others go ahead::

        async with locks("repo:/home/u/proj"):
            ...

    A key's lock exists only while someone holds or waits for it (``len(locks)`` counts
    them), so the table does not grow with every key ever used."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def locked(self, key: str) -> bool:
        entry = self._entries.get(key)
        return entry is not None and entry.lock.locked()

    @asynccontextmanager
    async def __call__(self, key: str) -> AsyncIterator[None]:
        entry = self._entries.setdefault(key, _Entry())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0 and self._entries.get(key) is entry:
                del self._entries[key]
