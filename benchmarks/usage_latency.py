#!/usr/bin/env python3
"""Latency of ``GET /cloudscapes/usage`` against jupyter-resource-usage's ``/api/metrics/v1``.

One real Jupyter server (``python -m jupyter_server``, which is what ``jupyter server``
runs) on a free 127.0.0.1 port, token auth, with ``cloudscapes``,
``jupyter_resource_usage`` and the benchmark-only ``looplag`` extension, and one
python3 kernel, so both endpoints measure a process tree. For each endpoint in the
order A B B A (drift then weighs on both alike): a warm-up, then ``--pollers`` clients
that each send a request, wait for the whole answer and send the next, for
``--seconds``; then the server's event-loop lag over that window. Samples are pooled
per endpoint and written as a section of ``benchmarks/RESULTS.md``.

Exit status: 0 once measured, whether or not the goal is met; 1 when the benchmark
itself failed (server did not start, more than 1% errors, ...).

Usage: python benchmarks/usage_latency.py [--seconds 20] [--pollers 20] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import secrets
import shlex
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import aiohttp
import benchlib
from benchlib import (
    STARTUP_TIMEOUT,
    BenchmarkError,
    Server,
    Summary,
    cpu_count,
    cpu_model,
    finish,
    version,
)
from results_md import RESULTS

SECTION = "Usage endpoint latency"

CLOUDSCAPES = "/cloudscapes/usage"
RESOURCE_USAGE = "/api/metrics/v1"
#: Request path of each endpoint: the usage indicator polls without counting as activity.
PATHS = {CLOUDSCAPES: "/cloudscapes/usage?no_track_activity=1", RESOURCE_USAGE: RESOURCE_USAGE}
ORDER = [CLOUDSCAPES, RESOURCE_USAGE, RESOURCE_USAGE, CLOUDSCAPES]

WARMUP_SECONDS = 3.0
#: Requests per window at most, whatever the duration.
MAX_REQUESTS = 500_000
MAX_ERROR_RATE = 0.01


# ---- statistics ---------------------------------------------------------------------


@dataclass
class Window:
    """One measured run of one endpoint."""

    latencies_ms: list[float]
    errors: int
    seconds: float
    lag_ms: list[float]


@dataclass
class EndpointResult:
    name: str
    windows: list[Window] = field(default_factory=list)

    @property
    def latency(self) -> Summary:
        return Summary.of([v for w in self.windows for v in w.latencies_ms])

    @property
    def lag(self) -> Summary:
        return Summary.of([v for w in self.windows for v in w.lag_ms])

    @property
    def errors(self) -> int:
        return sum(w.errors for w in self.windows)

    @property
    def requests(self) -> int:
        return sum(len(w.latencies_ms) + w.errors for w in self.windows)

    @property
    def rate(self) -> float:
        seconds = sum(w.seconds for w in self.windows)
        return self.requests / seconds if seconds else 0.0


# ---- the server under test ----------------------------------------------------------


@contextmanager
def jupyter_server(tmp: Path, token: str) -> Iterator[Server]:
    """The server under test (see :func:`benchlib.jupyter_server`), stopped on exit."""
    root = tmp / "root"
    options = [
        "--ServerApp.jpserver_extensions=cloudscapes=True",
        "--ServerApp.jpserver_extensions=jupyter_resource_usage=True",
        "--ServerApp.jpserver_extensions=looplag=True",
        # Same quantities as /cloudscapes/usage: memory, CPU and disk of the tree.
        "--ResourceUseDisplay.track_cpu_percent=True",
        "--ResourceUseDisplay.track_disk_usage=True",
        # Not part of /api/metrics/v1: with CPU tracking, its once-a-second Prometheus
        # callback blocks the loop 50 ms per process, which would dominate both tails.
        "--ResourceUseDisplay.enable_prometheus_metrics=False",
        f"--ResourceUseDisplay.disk_path={root}",
        f"--CloudscapesUsage.disk_path={root}",
    ]
    with benchlib.jupyter_server(tmp, token, options) as server:
        yield server


class Client(benchlib.Client):
    """The server's client, plus a kernel as JupyterLab starts one."""

    async def start_kernel(self) -> str:
        """Start a python3 kernel and wait for its ``kernel_info_reply``, as JupyterLab does."""
        kernel_id = str((await self.json("POST", "/api/kernels", {"name": "python3"}))["id"])
        try:
            await asyncio.wait_for(self._kernel_info(kernel_id), STARTUP_TIMEOUT)
        except asyncio.TimeoutError:
            raise BenchmarkError(
                f"the python3 kernel did not answer in {STARTUP_TIMEOUT:.0f} s"
            ) from None
        return kernel_id

    async def _kernel_info(self, kernel_id: str) -> None:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": "kernel_info_request",
            "session": uuid.uuid4().hex,
            "username": "benchmark",
            "date": datetime.now(timezone.utc).isoformat(),
            "version": "5.3",
        }
        request = {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": {},
            "channel": "shell",
        }
        async with self._session.ws_connect(f"/api/kernels/{kernel_id}/channels") as ws:
            await ws.send_json(request)
            async for message in ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    continue
                reply = message.json()
                if (
                    reply.get("parent_header", {}).get("msg_id") == msg_id
                    and reply.get("msg_type") == "kernel_info_reply"
                ):
                    return
        raise BenchmarkError("the kernel's websocket closed before its kernel_info_reply")

    async def check(self, path: str) -> None:
        """One request to ``path`` must succeed before it is measured."""
        await self.json("GET", path)


# ---- load ---------------------------------------------------------------------------


async def load(client: Client, path: str, pollers: int, seconds: float) -> Window:
    """``pollers`` closed-loop clients on ``path`` for ``seconds`` (no event-loop lag)."""
    latencies: list[float] = []
    errors = 0
    budget = MAX_REQUESTS
    deadline = time.perf_counter() + seconds

    async def poller() -> None:
        nonlocal errors, budget
        while budget > 0 and time.perf_counter() < deadline:
            budget -= 1
            started = time.perf_counter()
            ok = await client.get_ok(path)
            elapsed_ms = (time.perf_counter() - started) * 1000.0
            if ok:
                latencies.append(elapsed_ms)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(poller() for _ in range(pollers)))
    return Window(latencies, errors, time.perf_counter() - started, [])


async def measure(client: Client, path: str, pollers: int, seconds: float) -> Window:
    await load(client, path, pollers, WARMUP_SECONDS)
    await client.json("GET", "/bench/looplag?reset=1")
    window = await load(client, path, pollers, seconds)
    lag = await client.json("GET", "/bench/looplag?reset=1&samples=1")
    window.lag_ms = [float(v) for v in lag["samples_ms"]]
    return window


async def run(pollers: int, seconds: float) -> dict[str, EndpointResult]:
    results = {name: EndpointResult(name) for name in PATHS}
    token = secrets.token_hex(24)
    with (
        tempfile.TemporaryDirectory(prefix="bench-usage-") as tmp,
        jupyter_server(Path(tmp), token) as server,
    ):
        try:
            async with Client(server, token, pollers) as client:
                await client.wait_ready("/bench/looplag")
                kernel = await client.start_kernel()
                for path in PATHS.values():
                    await client.check(path)
                for name in ORDER:
                    print(f"  {name}: {WARMUP_SECONDS:.0f} s warm-up + {seconds:g} s", flush=True)
                    window = await measure(client, PATHS[name], pollers, seconds)
                    results[name].windows.append(window)
                await client.json("DELETE", f"/api/kernels/{kernel}")
        except BenchmarkError as exc:
            tail = server.log_tail()
            raise BenchmarkError(f"{exc}\n--- server log (end) ---\n{tail}") from None
    return results


# ---- report -------------------------------------------------------------------------


def table(results: dict[str, EndpointResult]) -> str:
    rows = [
        "| endpoint | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors "
        "| loop lag p50 ms | loop lag p99 ms | loop lag max ms |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, result in results.items():
        lat, lag = result.latency, result.lag
        rows.append(
            f"| `{name}` | {result.requests} | {result.rate:.0f} | {lat.p50:.1f} | {lat.p90:.1f} "
            f"| {lat.p99:.1f} | {lat.max:.1f} | {result.errors} "
            f"| {lag.p50:.1f} | {lag.p99:.1f} | {lag.max:.1f} |"
        )
    return "\n".join(rows)


def verdict(results: dict[str, EndpointResult]) -> str:
    ours, theirs = results[CLOUDSCAPES].latency.p99, results[RESOURCE_USAGE].latency.p99
    status = "MET" if ours <= theirs else "NOT MET"
    return (
        f"Goal: p99 of {CLOUDSCAPES} no worse than {RESOURCE_USAGE}: "
        f"{status} ({ours:.1f} ms vs {theirs:.1f} ms)"
    )


def section(results: dict[str, EndpointResult], pollers: int, seconds: float) -> str:
    command = shlex.join(["python", "benchmarks/usage_latency.py", *sys.argv[1:]])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    order = " ".join("A" if name == CLOUDSCAPES else "B" for name in ORDER)
    return f"""\
`{command}`, {when}.

{table(results)}

{verdict(results)}

- Machine: {cpu_count()} CPUs, {cpu_model()}; {platform.system()} {platform.release()}.
- Software: Python {platform.python_version()}, jupyter_server {version("jupyter_server")},
  jupyter-resource-usage {version("jupyter-resource-usage")},
  jupyterlab {version("jupyterlab")}, aiohttp {version("aiohttp")} (client).
- Parameters: {pollers} concurrent pollers (request, await the whole answer, next; no
  sleep) over keep-alive connections; {seconds:g} s per window after a
  {WARMUP_SECONDS:g} s warm-up; windows in the order {order} (A = `{CLOUDSCAPES}`,
  B = `{RESOURCE_USAGE}`), pooled per endpoint. One Jupyter server on 127.0.0.1 with
  token auth and one idle python3 kernel; `CloudscapesUsage` defaults; jupyter-resource-usage
  with `track_cpu_percent` and `track_disk_usage` on, so both report memory, CPU and disk,
  and its Prometheus callback off (with CPU tracking it blocks the loop ~50 ms per process
  every second, whichever endpoint is polled).
- Latency: client-side, from sending a request to reading its whole answer; the client runs
  on the same machine. Loop lag: how late a 10 ms sleep in the server's event loop wakes up
  (`benchmarks/looplag.py`), over the same windows."""


def failures(results: dict[str, EndpointResult]) -> list[str]:
    problems = []
    for name, result in results.items():
        if not result.latency.count:
            problems.append(f"{name}: no successful request")
        elif result.errors > MAX_ERROR_RATE * result.requests:
            problems.append(f"{name}: {result.errors} errors in {result.requests} requests")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="per window (default 20)")
    parser.add_argument("--pollers", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to update")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or not 1 <= args.pollers <= 1000:
        parser.error("--seconds must be > 0 and --pollers from 1 to 1000")

    print(f"usage latency: {args.pollers} pollers, {args.seconds:g} s per window", flush=True)
    return finish(
        SECTION,
        args.out,
        run(args.pollers, args.seconds),
        lambda results: section(results, args.pollers, args.seconds),
        failures,
    )


if __name__ == "__main__":
    sys.exit(main())
