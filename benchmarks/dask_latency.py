#!/usr/bin/env python3
"""Dask clusters: create-to-ready and list latency against dask-labextension.

One real Jupyter server (``python -m jupyter_server``) on a free 127.0.0.1 port, token
auth, with three server extensions side by side: ``cloudscapes``, ``dask_labextension``
(7.0.0, installed for the benchmark only into ``.bench/site`` and put on the server's
``PYTHONPATH``, never into the venv, where it would add a second Dask panel to JupyterLab)
and the benchmark-only ``looplag``. Both sides start ``distributed.LocalCluster`` clusters
inside the server process with worker processes (nannies) of 1 thread and a 1 GiB memory
limit each.

1. Create to ready, alternating the two sides (order swapped every round), after one
   untimed warm-up each:
   - Cloudscapes: ``POST /cloudscapes/dask/clusters`` with 2 workers (202 + job), then
     ``GET /cloudscapes/jobs/{id}?wait=10&since=…`` (answered as soon as the job changes,
     as the panel follows it) until the job has succeeded (it ends when
     the 2 workers have joined); the cluster in the job's result must be running with
     2 workers;
   - dask-labextension: ``PUT /dask/clusters`` (its factory configured for 2 workers; it
     answers once the cluster object is up), then ``GET /dask/clusters/{id}`` every 50 ms
     if fewer than 2 workers had joined.
   Each cluster is shut down after it was measured (``DELETE``, timed too) and the next
   create waits until its worker processes are gone.
2. List latency with ``--clusters`` clusters of 1 worker on each side (both sides at
   once): ``GET /cloudscapes/dask/clusters?no_track_activity=1`` (as the panel polls)
   against ``GET /dask/clusters``, alternating request by request, ``--requests`` each.
3. Everything is shut down; no worker process may be left, during the run or after the
   server stopped.

The figures are written as a section of ``benchmarks/RESULTS.md``. Goal: ratios
Cloudscapes / dask-labextension at most 1.0 at p50 (p95 reported beside).

Exit status: 0 once measured, whether or not the goal is met; 1 when the benchmark
itself failed (server did not start, a request failed, a process was left, ...).

Usage: python benchmarks/dask_latency.py [--rounds 15] [--clusters 5] [--requests 200] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import platform
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import benchlib
import psutil
from benchlib import (
    HERE,
    REPO,
    BenchmarkError,
    Row,
    Server,
    cpu_count,
    cpu_model,
    percentile,
    version,
)
from results_md import RESULTS, write_section

SECTION = "Dask clusters: create and list"

#: dask-labextension and what it imports that the dev environment lacks, pinned.
LABEXTENSION_REQUIREMENTS = [
    "dask-labextension==7.0.0",
    "jupyter-server-proxy==4.6.0",
    "simpervisor==1.0.0",
]
SITE = REPO / ".bench" / "site"

WORKER_GIB = 1
CREATE_WORKERS = 2
#: dask-labextension's factory (dask config ``labextension.factory.kwargs``): the same
#: clusters as Cloudscapes' local backend makes (processes, 1 thread, 1 GiB, loopback).
LABEXTENSION_FACTORY = {
    "DASK_LABEXTENSION__FACTORY__KWARGS__N_WORKERS": str(CREATE_WORKERS),
    "DASK_LABEXTENSION__FACTORY__KWARGS__THREADS_PER_WORKER": "1",
    "DASK_LABEXTENSION__FACTORY__KWARGS__PROCESSES": "True",
    "DASK_LABEXTENSION__FACTORY__KWARGS__MEMORY_LIMIT": f"{WORKER_GIB}GiB",
    "DASK_LABEXTENSION__FACTORY__KWARGS__HOST": "127.0.0.1",
    "DASK_LABEXTENSION__FACTORY__KWARGS__DASHBOARD_ADDRESS": "127.0.0.1:0",
}
OUR_OPTIONS = {"worker_threads": 1, "worker_memory": WORKER_GIB}

OURS = "/cloudscapes/dask/clusters"
THEIRS = "/dask/clusters"
JOBS = "/cloudscapes/jobs"
LOOPLAG = "/bench/looplag"
#: What each panel polls.
OUR_LIST = f"{OURS}?no_track_activity=1"
THEIR_LIST = THEIRS

#: Goal: Cloudscapes / dask-labextension at p50, for create-to-ready and for list.
GOAL_RATIO = 1.0
POLL_SECONDS = 0.05
#: How long one job request may wait for a change (as packages/core's JobTracker).
WAIT_SECONDS = 10
READY_TIMEOUT = 120.0
SETTLE_TIMEOUT = 30.0
#: How long the server's processes may take to exit after it stopped.
LEFTOVER_TIMEOUT = 10.0
LIST_WARMUP = 10
MAX_SAMPLES = 10_000

# Row names.
OUR_READY = f"`POST {OURS}` → job succeeded (2 workers)"
THEIR_READY = f"`PUT {THEIRS}` → 2 workers"
OUR_ACCEPTED = f"`POST {OURS}` answer (202)"
THEIR_ANSWER = f"`PUT {THEIRS}` answer"
OUR_JOB = "job `created` → `updated` (server clock)"
OUR_DELETE = f"`DELETE {OURS}/{{id}}`"
THEIR_DELETE = f"`DELETE {THEIRS}/{{id}}`"
OUR_LIST_ROW = f"`GET {OUR_LIST}`"
THEIR_LIST_ROW = f"`GET {THEIR_LIST}`"


#: What a failed request raises.
FAILURES = (BenchmarkError, aiohttp.ClientError, asyncio.TimeoutError)


# ---- results ------------------------------------------------------------------------


@dataclass
class Results:
    rows: dict[str, Row]
    #: loop lag max (ms) over each create-to-ready window, per side
    create_lag_ms: dict[str, list[float]] = field(default_factory=dict)
    #: full garbage collections in each create-to-ready window, per side: (count, max ms)
    create_gc: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    #: loop lag over the list phase: {"p50", "p99", "max"}
    list_lag: dict[str, float] = field(default_factory=dict)
    #: bytes of one list answer, per side
    list_bytes: dict[str, int] = field(default_factory=dict)
    #: workers present before the first timed GET of a dask-labextension create returned
    their_workers_at_answer: list[int] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)

    def add(self, name: str, ms: float) -> None:
        self.rows[name].samples_ms.append(ms)

    def add_lag(self, side: str, lag: dict[str, Any]) -> None:
        """The loop lag of one create-to-ready window (``looplag``'s answer)."""
        self.create_lag_ms.setdefault(side, []).append(float(lag["max"]))
        gc_full = (int(lag.get("gc_full", 0)), float(lag.get("gc_full_max", 0.0)))
        self.create_gc.setdefault(side, []).append(gc_full)


# ---- dask-labextension, for the benchmark only ---------------------------------------


def ensure_labextension(site: Path = SITE) -> None:
    """``pip install --target site --no-deps`` the pinned requirements, once."""
    stamp = site / ".requirements"
    wanted = "\n".join(LABEXTENSION_REQUIREMENTS) + "\n"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return
    print(f"  installing {', '.join(LABEXTENSION_REQUIREMENTS)} into {site}", flush=True)
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += ["--target", str(site), "--no-deps", *LABEXTENSION_REQUIREMENTS]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"pip could not install dask-labextension:\n{done.stderr[-2000:]}")
    stamp.write_text(wanted, encoding="utf-8")


@contextmanager
def dask_server(tmp: Path, token: str, clusters: int) -> Iterator[Server]:
    """The server under test: cloudscapes, dask_labextension and looplag."""
    pythonpath = [str(SITE), str(HERE), str(REPO), os.environ.get("PYTHONPATH", "")]
    env = {
        **benchlib.user_env(tmp),
        **LABEXTENSION_FACTORY,
        "PYTHONPATH": os.pathsep.join(p for p in pythonpath if p),
    }
    config_py = (
        "c = get_config()  # noqa: F821\n"
        f"c.CloudscapesDask.local_max_clusters = {max(clusters, 1)}\n"
        "c.CloudscapesDask.local_enabled = True\n"
    )
    options = [
        "--ServerApp.jpserver_extensions=cloudscapes=True",
        "--ServerApp.jpserver_extensions=dask_labextension=True",
        "--ServerApp.jpserver_extensions=looplag=True",
    ]
    with benchlib.jupyter_server(
        tmp,
        token,
        options,
        env=env,
        # no gateway, no hub, no limits or Dask settings of the host
        unset_prefixes=("EARTHDATA_", "CLOUDSCAPES_", "AWS_", "DASK_", "JUPYTERHUB_"),
        config_py=config_py,
    ) as server:
        yield server


# ---- the client ---------------------------------------------------------------------


class Client(benchlib.Client):
    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, int]:
        """(status, JSON or None, body bytes); raises on 4xx/5xx with the answer. A job
        request may wait ``WAIT_SECONDS`` for a change, and a loaded machine adds to that:
        the client waits longer than the server may."""
        timeout = aiohttp.ClientTimeout(total=WAIT_SECONDS + benchlib.REQUEST_TIMEOUT)
        async with self._session.request(method, path, json=body, timeout=timeout) as response:
            raw = await response.read()
            if response.status >= 300:
                raise BenchmarkError(
                    f"{method} {path}: HTTP {response.status}: {raw[:500].decode(errors='replace')}"
                )
            data = await response.json(content_type=None) if raw.strip() else None
            return response.status, data, len(raw)

    async def lag(self) -> dict[str, Any]:
        return await self.json("GET", f"{LOOPLAG}?reset=1")


def descendants(server: Server) -> list[psutil.Process]:
    try:
        return psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def server_workers(server: Server) -> list[psutil.Process]:
    """Dask worker processes (nannies' spawned children) under the server."""
    found = []
    for proc in descendants(server):
        try:
            if "spawn_main" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            pass
    return found


async def settle(server: Server, expected: int) -> None:
    """Until exactly ``expected`` worker processes run under the server."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        count = len(server_workers(server))
        if count == expected:
            return
        if time.monotonic() > deadline:
            raise BenchmarkError(f"{count} worker processes under the server, {expected} expected")
        await asyncio.sleep(0.1)


# ---- one side each ------------------------------------------------------------------


async def ours_create(client: Client, workers: int) -> tuple[str, float, float, float]:
    """(cluster id, ms to the 202, ms to ready, job duration ms on the server's clock)."""
    body = {"backend": "local", "workers": workers, "options": OUR_OPTIONS}
    started = time.perf_counter()
    status, answer, _ = await client.call("POST", OURS, body)
    accepted = (time.perf_counter() - started) * 1000
    if status != 202:
        raise BenchmarkError(f"POST {OURS}: HTTP {status} (202 expected): {answer!r}")
    job_id, cluster_id = answer["job"]["id"], answer["cluster"]["id"]
    deadline = time.monotonic() + READY_TIMEOUT
    job = answer["job"]
    while True:
        # as the panel follows a job: the server answers when the job has changed
        since = urllib.parse.quote(job["updated"])
        _, job, _ = await client.call(
            "GET", f"{JOBS}/{job_id}?no_track_activity=1&wait={WAIT_SECONDS:g}&since={since}"
        )
        if job["status"] == "succeeded":
            ready = (time.perf_counter() - started) * 1000
            break
        if job["status"] in ("failed", "cancelled"):
            raise BenchmarkError(f"the start job of {cluster_id} ended {job['status']}: {job!r}")
        if time.monotonic() > deadline:
            raise BenchmarkError(f"{cluster_id} not ready in {READY_TIMEOUT:g} s: {job!r}")
    cluster = (job.get("result") or {}).get("cluster") or {}
    if cluster.get("status") != "running" or cluster.get("workers") != workers:
        raise BenchmarkError(f"{cluster_id}: job succeeded with the cluster {cluster!r}")
    created = datetime.fromisoformat(job["created"].replace("Z", "+00:00"))
    updated = datetime.fromisoformat(job["updated"].replace("Z", "+00:00"))
    return cluster_id, accepted, ready, (updated - created).total_seconds() * 1000


async def ours_delete(client: Client, cluster_id: str) -> float:
    started = time.perf_counter()
    _, model, _ = await client.call("DELETE", f"{OURS}/{cluster_id}")
    if model["status"] != "stopped":
        raise BenchmarkError(f"DELETE {OURS}/{cluster_id}: {model!r}")
    return (time.perf_counter() - started) * 1000


async def theirs_wait(client: Client, cluster_id: str, workers: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        sent = time.perf_counter()
        _, model, _ = await client.call("GET", f"{THEIRS}/{cluster_id}")
        if model["workers"] == workers:
            return
        if time.monotonic() > deadline:
            raise BenchmarkError(f"{cluster_id}: {model['workers']} workers, {workers} expected")
        await asyncio.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - sent)))


async def theirs_create(client: Client) -> tuple[str, float, float, int]:
    """(cluster id, ms to the PUT's answer, ms to ready, workers in the PUT's answer)."""
    started = time.perf_counter()
    _, model, _ = await client.call("PUT", THEIRS)
    answered = (time.perf_counter() - started) * 1000
    cluster_id = model["id"]
    if model["workers"] != CREATE_WORKERS:
        await theirs_wait(client, cluster_id, CREATE_WORKERS)
    ready = (time.perf_counter() - started) * 1000
    return cluster_id, answered, ready, int(model["workers"])


async def theirs_delete(client: Client, cluster_id: str) -> float:
    started = time.perf_counter()
    status, _, _ = await client.call("DELETE", f"{THEIRS}/{cluster_id}")
    if status != 204:
        raise BenchmarkError(f"DELETE {THEIRS}/{cluster_id}: HTTP {status}")
    return (time.perf_counter() - started) * 1000


# ---- phases -------------------------------------------------------------------------


async def create_phase(client: Client, server: Server, results: Results, rounds: int) -> None:
    async def ours(measure: bool) -> None:
        await client.lag()
        cluster_id, accepted, ready, job_ms = await ours_create(client, CREATE_WORKERS)
        lag = await client.lag()
        deleted = await ours_delete(client, cluster_id)
        await settle(server, 0)
        if measure:
            results.add(OUR_ACCEPTED, accepted)
            results.add(OUR_READY, ready)
            results.add(OUR_JOB, job_ms)
            results.add(OUR_DELETE, deleted)
            results.add_lag("ours", lag)

    async def theirs(measure: bool) -> None:
        await client.lag()
        cluster_id, answered, ready, at_answer = await theirs_create(client)
        lag = await client.lag()
        deleted = await theirs_delete(client, cluster_id)
        await settle(server, 0)
        if measure:
            results.add(THEIR_ANSWER, answered)
            results.add(THEIR_READY, ready)
            results.add(THEIR_DELETE, deleted)
            results.their_workers_at_answer.append(at_answer)
            results.add_lag("theirs", lag)

    await ours(False)
    await theirs(False)
    for i in range(rounds):
        steps: list[Callable[[bool], Awaitable[None]]] = [ours, theirs]
        for step in steps if i % 2 == 0 else reversed(steps):
            await step(True)
        print(
            f"    round {i + 1}/{rounds}: ours {results.rows[OUR_READY].samples_ms[-1]:.0f} ms, "
            f"theirs {results.rows[THEIR_READY].samples_ms[-1]:.0f} ms",
            flush=True,
        )


async def list_phase(
    client: Client, server: Server, results: Results, clusters: int, requests: int
) -> tuple[list[str], list[str]]:
    ours_ids, theirs_ids = [], []
    for _ in range(clusters):
        cluster_id, *_ = await ours_create(client, 1)
        ours_ids.append(cluster_id)
        _, model, _ = await client.call("PUT", THEIRS)
        theirs_ids.append(model["id"])
        await client.call("PATCH", f"{THEIRS}/{model['id']}", {"workers": 1})
        await theirs_wait(client, model["id"], 1)
    await settle(server, 2 * clusters)
    _, ours_list, ours_bytes = await client.call("GET", OUR_LIST)
    _, theirs_list, theirs_bytes = await client.call("GET", THEIR_LIST)
    ours_workers = sorted(c["workers"] for c in ours_list["clusters"])
    theirs_workers = sorted(c["workers"] for c in theirs_list)
    if ours_workers != [1] * clusters or theirs_workers != [1] * clusters:
        raise BenchmarkError(
            f"before listing: Cloudscapes lists workers {ours_workers}, "
            f"dask-labextension {theirs_workers}; {[1] * clusters} expected on both"
        )
    results.list_bytes = {"ours": ours_bytes, "theirs": theirs_bytes}

    async def timed(path: str) -> float:
        started = time.perf_counter()
        if not await client.get_ok(path):  # reads the whole answer, parses nothing
            raise BenchmarkError(f"GET {path} failed")
        return (time.perf_counter() - started) * 1000

    for _ in range(LIST_WARMUP):
        await timed(OUR_LIST)
        await timed(THEIR_LIST)
    await client.lag()
    for i in range(requests):
        pair = [(OUR_LIST_ROW, OUR_LIST), (THEIR_LIST_ROW, THEIR_LIST)]
        for row, path in pair if i % 2 == 0 else reversed(pair):
            results.add(row, await timed(path))
    results.list_lag = await client.lag()
    return ours_ids, theirs_ids


async def shut_everything_down(client: Client, server: Server) -> None:
    """Every cluster of both sides, whatever state the run left."""
    _, listed, _ = await client.call("GET", OUR_LIST)
    for cluster in listed["clusters"]:
        await ours_delete(client, cluster["id"])
    _, theirs, _ = await client.call("GET", THEIR_LIST)
    for cluster in theirs:
        await theirs_delete(client, cluster["id"])
    await settle(server, 0)


async def run(rounds: int, clusters: int, requests: int) -> Results:
    names = [
        OUR_READY,
        THEIR_READY,
        OUR_ACCEPTED,
        OUR_JOB,
        THEIR_ANSWER,
        OUR_DELETE,
        THEIR_DELETE,
        OUR_LIST_ROW,
        THEIR_LIST_ROW,
    ]
    results = Results({name: Row(name) for name in names})
    ensure_labextension()
    token = secrets.token_hex(24)
    seen: dict[int, psutil.Process] = {}
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as name:
        tmp = Path(name)
        with dask_server(tmp, token, clusters) as server:
            try:
                async with Client(server, token, 4) as client:
                    await client.wait_ready(LOOPLAG, OURS, THEIRS)
                    print(f"  create to ready: {rounds} rounds, 2 sides", flush=True)
                    failure: BaseException | None = None
                    try:
                        await create_phase(client, server, results, rounds)
                        print(
                            f"  list: {clusters} clusters of 1 worker per side, "
                            f"{requests} requests each",
                            flush=True,
                        )
                        await list_phase(client, server, results, clusters, requests)
                    except FAILURES as exc:
                        failure = exc
                    seen.update((p.pid, p) for p in descendants(server))
                    try:
                        await shut_everything_down(client, server)
                    except FAILURES as exc:
                        failure = failure or exc
                    seen.update((p.pid, p) for p in descendants(server))
                    if failure is not None:
                        raise failure
            except FAILURES as exc:
                tail = server.log_tail(60)
                raise BenchmarkError(f"{exc!r}\n--- server log (end) ---\n{tail}") from None
        # The server has stopped: none of its processes may outlive it (multiprocessing's
        # resource tracker exits by itself once the server's end of its pipe is closed).
        _, alive = psutil.wait_procs(list(seen.values()), timeout=LEFTOVER_TIMEOUT)
        for proc in alive:
            try:
                if proc.status() != psutil.STATUS_ZOMBIE:
                    results.leftovers.append(f"{proc.pid} {' '.join(proc.cmdline())[:120]}")
                    proc.kill()
            except psutil.Error:
                pass
    return results


# ---- report -------------------------------------------------------------------------


def ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs else float("nan")


def table(results: Results) -> str:
    rows = [
        "| measurement | n | p50 ms | p95 ms | max ms |",
        "|---|--:|--:|--:|--:|",
    ]
    for row in results.rows.values():
        rows.append(
            f"| {row.name} | {len(row.samples_ms)} | {row.p(50):.1f} | {row.p(95):.1f} "
            f"| {row.max:.1f} |"
        )
    return "\n".join(rows)


def goal_lines(results: Results, clusters: int) -> str:
    lines = []
    for label, ours, theirs in (
        ("Create to ready", OUR_READY, THEIR_READY),
        (f"List with {clusters} clusters a side", OUR_LIST_ROW, THEIR_LIST_ROW),
    ):
        a, b = results.rows[ours], results.rows[theirs]
        r50, r95 = ratio(a.p(50), b.p(50)), ratio(a.p(95), b.p(95))
        status = "MET" if r50 <= GOAL_RATIO else "NOT MET"
        lines.append(
            f"- {label}, Cloudscapes / dask-labextension: p50 {r50:.2f} "
            f"(goal ≤ {GOAL_RATIO:g}: {status}; {a.p(50):.1f} vs {b.p(50):.1f} ms), "
            f"p95 {r95:.2f} ({a.p(95):.1f} vs {b.p(95):.1f} ms)"
        )
    return "\n".join(lines)


def lag_lines(results: Results) -> str:
    """The loop lag while clusters start, both sides, and whether ours is no worse: over
    the rounds' worst (one stall of the machine can set it) and their median."""
    sides = ("ours", "theirs")
    worst = {side: max(results.create_lag_ms.get(side, [0.0])) for side in sides}
    median = {side: percentile(results.create_lag_ms.get(side, []), 50) for side in sides}
    collections = {}
    for side in sides:
        windows = results.create_gc.get(side, [])
        count = sum(n for n, _ in windows)
        longest = max((ms for _, ms in windows), default=0.0)
        collections[side] = f"{count} (longest {longest:.0f} ms)" if count else "0"

    def verdict(values: dict[str, float]) -> str:
        return "MET" if values["ours"] <= values["theirs"] else "NOT MET"

    return (
        "- Server event-loop lag (`benchmarks/looplag.py`) while a cluster starts (from the\n"
        "  create request to ready; both sides run the scheduler in the server's loop),\n"
        f"  Cloudscapes vs dask-labextension (goal: no worse): median of each round's worst "
        f"{median['ours']:.0f} vs {median['theirs']:.0f} ms ({verdict(median)}); worst over "
        f"the rounds {worst['ours']:.0f} vs {worst['theirs']:.0f} ms ({verdict(worst)}).\n"
        "  Full (generation 2) garbage collections in those windows: Cloudscapes "
        f"{collections['ours']}, dask-labextension {collections['theirs']}."
    )


def load_line(loads: tuple[str, str]) -> str:
    """The load averages at the start and the end, and whether the machine was loaded."""
    text = f"load average {loads[0]} at the start, {loads[1]} at the end"
    try:
        busiest = max(float(load.split()[0]) for load in loads)
    except (ValueError, IndexError):
        return text
    if busiest > cpu_count() / 2:
        text += (
            " — the machine was loaded by other jobs during this run, so the figures of both "
            "sides are higher and noisier than on an idle machine; the comparison holds "
            "because the sides alternate"
        )
    return text


def section(
    results: Results, rounds: int, clusters: int, requests: int, loads: tuple[str, str]
) -> str:
    command = shlex.join(["python", "benchmarks/dask_latency.py", *sys.argv[1:]])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    at_answer = sorted(set(results.their_workers_at_answer))
    list_lag = results.list_lag
    return f"""\
`{command}`, {when}.

{table(results)}

{goal_lines(results, clusters)}
- What "ready" is: Cloudscapes answers the `POST` at once (202 and a job) and the client
  follows the job as the panel does, `GET /cloudscapes/jobs/{{id}}?wait={WAIT_SECONDS:g}&since=…`,
  which the server answers as soon as the job changes; the job's own duration on the
  server's clock is the row
  "{OUR_JOB}". dask-labextension's `PUT` holds the request until its `LocalCluster`
  object is up; workers present in the `PUT` answer: {at_answer} (2 means no polling
  was needed).
{lag_lines(results)}
- Loop lag over the list phase: p50 {list_lag.get("p50", 0):.1f} ms,
  p99 {list_lag.get("p99", 0):.1f} ms, max {list_lag.get("max", 0):.1f} ms.
- One list answer: Cloudscapes {results.list_bytes.get("ours", 0)} bytes (every field of
  the contract: status, requested workers, sizes, cost, connect code, ...),
  dask-labextension {results.list_bytes.get("theirs", 0)} bytes.

- Machine: {cpu_count()} CPUs, {cpu_model()}; {platform.system()} {platform.release()};
  {load_line(loads)}.
- Software: Python {platform.python_version()}, jupyter_server {version("jupyter_server")},
  distributed {version("distributed")}, dask-labextension 7.0.0 (in `.bench/site`, not in
  the venv), aiohttp {version("aiohttp")} (benchmark client).
- Parameters: one Jupyter server on 127.0.0.1 (token auth, isolated Jupyter dirs and
  HOME) with `cloudscapes`, `dask_labextension` and `looplag`; no Dask Gateway (so
  Cloudscapes lists its local backend only). Both sides make `distributed.LocalCluster`
  clusters in the server process with worker processes (nannies) of 1 thread and
  {WORKER_GIB} GiB: Cloudscapes' `POST` sends `{{"backend": "local", "workers": N,
  "options": {{"worker_threads": 1, "worker_memory": {WORKER_GIB}}}}}` (its workers start
  with the scheduler); dask-labextension's factory gets
  `n_workers={CREATE_WORKERS}, threads_per_worker=1, processes=True,
  memory_limit="{WORKER_GIB}GiB", host="127.0.0.1", dashboard_address="127.0.0.1:0"`
  through `DASK_LABEXTENSION__FACTORY__KWARGS__*` (its workers start with the cluster).
  Create: {rounds} rounds after one untimed warm-up per side, order swapped every round;
  each cluster is deleted (timed) and the next create waits until no worker process is
  left. List: {clusters} clusters per side (10 schedulers in one server on 2 CPUs would
  be heavy with more workers, so 1 worker each: Cloudscapes created with `workers: 1`,
  dask-labextension's scaled to 1 by `PATCH`), {LIST_WARMUP} untimed requests each, then
  {requests} each alternating request by request, the first of each pair swapped every
  time; one client, one request at a time, keep-alive.
- Latency: client-side, from sending the request to reading the whole answer (for
  create: to reading the answer that shows the cluster ready); the client runs on the
  same machine."""


def failures(results: Results, rounds: int, requests: int) -> list[str]:
    problems = [f"a process outlived the server: {p}" for p in results.leftovers]
    for name, count in (
        (OUR_READY, rounds),
        (THEIR_READY, rounds),
        (OUR_LIST_ROW, requests),
        (THEIR_LIST_ROW, requests),
    ):
        got = len(results.rows[name].samples_ms)
        if got != count:
            problems.append(f"{name}: {got} samples instead of {count}")
    return problems


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    # One start varies by ±40 % on a 2-CPU machine (process spawns): 15 rounds a side.
    parser.add_argument("--rounds", type=int, default=15, help="creates per side (default 15)")
    parser.add_argument("--clusters", type=int, default=5, help="clusters per side (default 5)")
    parser.add_argument("--requests", type=int, default=200, help="list GETs per side (200)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to update")
    args = parser.parse_args(argv)
    if not (1 <= args.rounds <= 100 and 1 <= args.clusters <= 10):
        parser.error("--rounds must be from 1 to 100 and --clusters from 1 to 10")
    if not 1 <= args.requests <= MAX_SAMPLES:
        parser.error(f"--requests must be from 1 to {MAX_SAMPLES}")
    if importlib.util.find_spec("dask_labextension") is not None:
        print(
            "note: dask_labextension is importable from this environment; the server "
            f"still takes {SITE} first",
            file=sys.stderr,
        )

    print(
        f"dask latency: {args.rounds} rounds, {args.clusters} clusters, "
        f"{args.requests} list requests",
        flush=True,
    )
    started = load_average()
    try:
        results = asyncio.run(run(args.rounds, args.clusters, args.requests))
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    loads = (started, load_average())
    body = section(results, args.rounds, args.clusters, args.requests, loads)
    print(f"\n## {SECTION}\n\n{body}\n")
    problems = failures(results, args.rounds, args.requests)
    if problems:
        print("benchmark failed: " + "; ".join(problems), file=sys.stderr)
        return 1
    write_section(SECTION, body, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
