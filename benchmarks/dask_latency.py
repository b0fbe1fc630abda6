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

The figures are written as a section of ``benchmarks/RESULTS.md`` (by ``dask_report.py``).
Goal: ratios Cloudscapes / dask-labextension at most 1.0 at p50 (p95 reported beside).

Exit status: 0 once measured, whether or not the goal is met; 1 when the benchmark
itself failed (server did not start, a request failed, a process was left, ...).

Usage: python benchmarks/dask_latency.py [--rounds 15] [--clusters 5] [--requests 200] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import benchlib
import psutil
from benchlib import HERE, REPO, BenchmarkError, Row, Server, finish, load_average
from dask_report import (
    CREATE_WORKERS,
    LIST_WARMUP,
    OUR_ACCEPTED,
    OUR_DELETE,
    OUR_JOB,
    OUR_LIST,
    OUR_LIST_ROW,
    OUR_READY,
    OURS,
    THEIR_ANSWER,
    THEIR_DELETE,
    THEIR_LIST,
    THEIR_LIST_ROW,
    THEIR_READY,
    THEIRS,
    WAIT_SECONDS,
    WORKER_GIB,
    Results,
    failures,
    section,
)
from results_md import RESULTS

SECTION = "Dask clusters: create and list"

#: dask-labextension and what it imports that the dev environment lacks, pinned.
LABEXTENSION_REQUIREMENTS = [
    "dask-labextension==7.0.0",
    "jupyter-server-proxy==4.6.0",
    "simpervisor==1.0.0",
]
SITE = REPO / ".bench" / "site"

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

JOBS = "/cloudscapes/jobs"
LOOPLAG = "/bench/looplag"

POLL_SECONDS = 0.05
READY_TIMEOUT = 120.0
SETTLE_TIMEOUT = 30.0
#: How long the server's processes may take to exit after it stopped.
LEFTOVER_TIMEOUT = 10.0
MAX_SAMPLES = 10_000


#: What a failed request raises.
FAILURES = (BenchmarkError, aiohttp.ClientError, asyncio.TimeoutError)


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
    async def cycle(
        create: Callable[[], Awaitable[tuple[Any, ...]]],
        delete: Callable[[Client, str], Awaitable[float]],
    ) -> tuple[tuple[Any, ...], dict[str, Any], float]:
        """One create and delete, the same for both sides: what ``create`` measured
        (after the cluster id), the loop lag over the create, and the delete's ms."""
        await client.lag()
        cluster_id, *created = await create()
        lag = await client.lag()
        deleted = await delete(client, cluster_id)
        await settle(server, 0)
        return tuple(created), lag, deleted

    async def ours(measure: bool) -> None:
        (accepted, ready, job_ms), lag, deleted = await cycle(
            lambda: ours_create(client, CREATE_WORKERS), ours_delete
        )
        if measure:
            results.add(OUR_ACCEPTED, accepted)
            results.add(OUR_READY, ready)
            results.add(OUR_JOB, job_ms)
            results.add(OUR_DELETE, deleted)
            results.add_lag("ours", lag)

    async def theirs(measure: bool) -> None:
        (answered, ready, at_answer), lag, deleted = await cycle(
            lambda: theirs_create(client), theirs_delete
        )
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
    return finish(
        SECTION,
        args.out,
        run(args.rounds, args.clusters, args.requests),
        lambda results: section(
            results, args.rounds, args.clusters, args.requests, (started, load_average())
        ),
        lambda results: failures(results, args.rounds, args.requests),
    )


if __name__ == "__main__":
    sys.exit(main())
