"""Benchmark-only Jupyter server extension: the server's event-loop lag.

A coroutine sleeps 10 ms again and again and records how late each wake-up is: when
a request handler blocks the event loop, the wake-ups after it are late by as much.

``GET {base_url}bench/looplag`` (authenticated) answers the lag of the samples taken
since the last reset, in ms: ``{"count", "p50", "p99", "max"}``, and the full (generation
2) garbage collections of the server since then, which stop its loop:
``"gc_full"`` (how many) and ``"gc_full_max"`` (the longest, ms). ``reset=1`` starts a
new window after answering; ``samples=1`` adds every sample (``samples_ms``), so a
client can pool several windows exactly.

Load it with ``PYTHONPATH=benchmarks`` and ``--ServerApp.jpserver_extensions=looplag=True``.
Never enable it outside a benchmark: it exists to be measured against.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import time
from collections import deque
from typing import Any

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

#: How long each sleep lasts, in seconds.
INTERVAL = 0.010
#: Samples kept at most between resets: about 17 minutes of 10 ms ticks.
MAX_SAMPLES = 100_000
SETTINGS_KEY = "looplag_monitor"


def summarize(samples_ms: list[float]) -> dict[str, float | int]:
    """Count, median, 99th percentile and maximum of lag samples in ms."""
    if not samples_ms:
        return {"count": 0, "p50": 0.0, "p99": 0.0, "max": 0.0}
    if len(samples_ms) == 1:
        p50 = p99 = samples_ms[0]
    else:
        cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
        p50, p99 = cuts[49], cuts[98]
    return {
        "count": len(samples_ms),
        "p50": round(p50, 3),
        "p99": round(p99, 3),
        "max": round(max(samples_ms), 3),
    }


class LagMonitor:
    """Sleeps ``interval`` seconds in a loop and keeps how late each wake-up is."""

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self.samples_ms: deque[float] = deque(maxlen=MAX_SAMPLES)
        self._task: asyncio.Task[None] | None = None
        #: durations (ms) of the full collections since the last reset
        self.gc_full_ms: list[float] = []
        self._gc_started = 0.0

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_full_ms.append((time.perf_counter() - self._gc_started) * 1000.0)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
            gc.callbacks.append(self._on_gc)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + self.interval
            await asyncio.sleep(self.interval)
            # asyncio may run a timer up to its clock resolution early: clamp at 0.
            self.samples_ms.append(max(0.0, (loop.time() - due) * 1000.0))

    def report(self, reset: bool = False, samples: bool = False) -> dict[str, Any]:
        taken, collections = list(self.samples_ms), list(self.gc_full_ms)
        if reset:
            self.samples_ms.clear()
            self.gc_full_ms.clear()
        answer: dict[str, Any] = summarize(taken)
        answer["gc_full"] = len(collections)
        answer["gc_full_max"] = round(max(collections, default=0.0), 3)
        if samples:
            answer["samples_ms"] = [round(value, 3) for value in taken]
        return answer


class LoopLagHandler(APIHandler):
    """``GET /bench/looplag[?reset=1][&samples=1]``."""

    @web.authenticated
    async def get(self) -> None:
        monitor: LagMonitor = self.settings[SETTINGS_KEY]
        reset = self.get_argument("reset", "0") == "1"
        samples = self.get_argument("samples", "0") == "1"
        self.finish(json.dumps(monitor.report(reset=reset, samples=samples)))


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "looplag"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    web_app = serverapp.web_app
    web_app.settings[SETTINGS_KEY] = LagMonitor()
    route = url_path_join(web_app.settings["base_url"], "bench", "looplag")
    web_app.add_handlers(".*$", [(route, LoopLagHandler)])


async def _start_jupyter_server_extension(serverapp: Any) -> None:
    # Called once the server's event loop runs: the loop being measured.
    serverapp.web_app.settings[SETTINGS_KEY].start()
