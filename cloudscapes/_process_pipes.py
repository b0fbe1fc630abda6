"""The output side of :func:`cloudscapes.process.run`: the pipes it owns and the bounded
capture of each stream.

Kept apart from the process-group handling because it is the part that must hold
memory flat whatever a command prints (100 MB without a newline, a progress bar that
redraws with ``\r``): lines reach ``on_line`` in pieces of at most :data:`MAX_LINE`
bytes, and each stream keeps at most its ``limit`` (the start of stdout, the end of
stderr). Private to :mod:`cloudscapes.process`, which re-exports what callers use.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import re
from collections import deque
from collections.abc import Awaitable, Callable, Sequence

#: Longest line handed to ``on_line``, in bytes; longer ones come in pieces.
MAX_LINE = 64 * 1024
#: The ends of a line: \r\n, \n, or a lone \r (a progress bar's redraw).
EOL = re.compile(rb"\r\n?|\n")
#: Bytes read from a pipe at once.
CHUNK = 64 * 1024
#: Seconds the output may stay open once the command and its group are gone (a
#: process that left the group with setsid may hold the pipe forever).
DRAIN = 2.0

LineCallback = Callable[[str, str], Awaitable[None] | None]


class Capture:
    """One stream: lines to ``on_line``, and the bounded bytes the result keeps."""

    def __init__(self, name: str, limit: int, keep_end: bool, on_line: LineCallback | None):
        self.name = name
        self.limit = max(0, limit)
        self.keep_end = keep_end
        self.on_line = on_line
        self.truncated = False
        #: bytes read so far (the drain after the end watches it move)
        self.seen = 0
        self._kept: deque[bytes] = deque()
        self._kept_size = 0
        self._partial = b""
        #: the last chunk ended in ``\r``: a ``\n`` that starts the next one is its CRLF
        self._after_cr = False

    def _keep(self, data: bytes) -> None:
        if self.keep_end:  # the last ``limit`` bytes: drop whole chunks from the front
            self._kept.append(data)
            self._kept_size += len(data)
            while self._kept and self._kept_size - len(self._kept[0]) >= self.limit:
                self._kept_size -= len(self._kept.popleft())
            if self._kept_size > self.limit:
                self.truncated = True
        else:
            room = self.limit - self._kept_size
            if len(data) > room:
                self.truncated = True
            if room > 0:
                self._kept.append(data[:room])
                self._kept_size += min(room, len(data))

    async def feed(self, data: bytes) -> None:
        self.seen += len(data)
        self._keep(data)
        if self.on_line is None:
            return
        buf = self._partial + data if self._partial else data
        start = 1 if self._after_cr and buf.startswith(b"\n") else 0
        self._after_cr = False
        while True:
            # A line ends at \n, \r\n or a lone \r: progress bars (git, uv, conda) redraw
            # with \r, and each state of the bar should reach the log as it is drawn.
            end = EOL.search(buf, start, start + MAX_LINE + 2)
            if end is not None and end.start() - start <= MAX_LINE:
                await self._emit(buf[start : end.start()])
                start = end.end()
                if start == len(buf) and end.group() == b"\r":
                    self._after_cr = True
            elif len(buf) - start >= MAX_LINE:  # a very long line: in pieces
                await self._emit(buf[start : start + MAX_LINE])
                start += MAX_LINE
            else:
                break
        self._partial = buf[start:]

    async def close(self) -> None:
        if self.on_line is not None and self._partial:
            piece, self._partial = self._partial, b""
            await self._emit(piece)

    async def _emit(self, piece: bytes) -> None:
        assert self.on_line is not None
        pending = self.on_line(self.name, piece.decode("utf-8", "replace"))
        if inspect.isawaitable(pending):
            await pending

    def text(self) -> str:
        data = b"".join(self._kept)
        if len(data) > self.limit:
            data = data[len(data) - self.limit :]
        return data.decode("utf-8", "replace")


class Pipes:
    """The command's stdin, stdout and stderr as pipes this module owns, so that the
    command's exit is seen at once even while a background process holds its output
    open (asyncio's own pipes make ``wait()`` wait for them)."""

    def __init__(self, with_input: bool) -> None:
        self.fds: list[int] = []
        self.out_r, self.out_w = self._pipe()
        self.err_r, self.err_w = self._pipe()
        self.in_r: int | None = None
        self.in_w: int | None = None
        if with_input:
            self.in_r, self.in_w = self._pipe()
        self.transports: list[asyncio.BaseTransport] = []

    def _pipe(self) -> tuple[int, int]:
        read, write = os.pipe()  # not inherited (PEP 446) except where passed
        self.fds += [read, write]
        return read, write

    def close_fd(self, fd: int | None) -> None:
        if fd is not None and fd in self.fds:
            self.fds.remove(fd)
            os.close(fd)

    def child_started(self) -> None:
        """The child has its ends: close ours, so that its exit ends the pipes."""
        for fd in (self.out_w, self.err_w, self.in_r):
            self.close_fd(fd)

    async def reader(self, fd: int) -> asyncio.StreamReader:
        loop = asyncio.get_running_loop()
        stream = asyncio.StreamReader(limit=CHUNK)
        self.fds.remove(fd)
        transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(stream), os.fdopen(fd, "rb", 0)
        )
        self.transports.append(transport)
        return stream

    async def write_input(self, data: bytes) -> None:
        """Hand ``data`` to the command's stdin, closed once written (the transport
        buffers it; a command that never reads it loses it when it is stopped)."""
        assert self.in_w is not None
        loop = asyncio.get_running_loop()
        fd, self.in_w = self.in_w, None
        self.fds.remove(fd)
        transport, _ = await loop.connect_write_pipe(asyncio.BaseProtocol, os.fdopen(fd, "wb", 0))
        self.transports.append(transport)
        transport.write(data)
        transport.close()  # after the buffer is flushed

    def close(self) -> None:
        for transport in self.transports:
            if isinstance(transport, asyncio.WriteTransport):
                if transport.get_write_buffer_size():  # input the command never read
                    transport.abort()
            else:
                transport.close()
        for fd in list(self.fds):
            self.close_fd(fd)


async def pump_stream(reader: asyncio.StreamReader, capture: Capture) -> None:
    """Feed ``capture`` from ``reader`` until the end of the stream (a task per stream,
    so that a command filling one pipe never blocks on the other)."""
    while True:
        data = await reader.read(CHUNK)
        if not data:
            break
        await capture.feed(data)
    await capture.close()


async def drain(pumps: list[asyncio.Future], captures: Sequence[Capture]) -> None:
    """Read the output to its end while it moves: once the group is gone only a process
    that left it (setsid) can hold the pipes open, and it is not waited for."""
    while pumps:
        before = sum(c.seen for c in captures)
        done, pending = await asyncio.wait(pumps, timeout=DRAIN)
        for future in done:
            future.result()
        if not pending or sum(c.seen for c in captures) == before:
            return
