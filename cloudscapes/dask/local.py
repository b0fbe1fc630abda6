"""The local backend: ``distributed.LocalCluster`` clusters inside this Jupyter server.

Schedulers run on the server's event loop (like dask-labextension's clusters); workers
are separate processes (nannies), each sized from the server's CPU and memory limits.
Every cluster is closed when the server stops, and a cluster whose scheduler stopped
by itself (idle timeout) is closed so that none of its worker processes is left.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import logging
import math
import secrets
import sys
from dataclasses import dataclass
from typing import Any

from jupyter_server.utils import url_path_join
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from ..contract import printable
from ..handlers import CloudscapesError, bad_request
from ..usage.metrics import cpu_limit, memory_limit
from .base import FIRST_PLOTS, GIB, ClusterRecord, no_such_cluster, not_running, option_field
from .config import CloudscapesDask

#: How long closing one cluster may take before its processes are left to die.
CLOSE_TIMEOUT = 20.0
#: Why there is no local backend.
LOCAL_OFF = "Your hub admin turned local clusters off."
#: Smallest worker the form offers, GiB.
MIN_WORKER_GIB = 0.25


@dataclass
class Sizing:
    """What this server can give local clusters."""

    cpus: float
    memory_budget: int  # bytes all workers of one cluster may be given together
    default_threads: int
    default_memory_gib: float


#: What the first LocalCluster imports (about a second): imported in a thread.
IMPORTS = ("distributed", "distributed.dashboard.scheduler", "distributed.http.scheduler.info")


async def import_distributed() -> None:
    """Import ``distributed`` and its dashboard in a thread, not on the server's loop."""
    missing = [name for name in IMPORTS if name not in sys.modules]
    if missing:
        await asyncio.get_running_loop().run_in_executor(None, _import_all, missing)


def freeze_heap() -> None:
    """Collect once, then move every object still alive (Jupyter's, the extensions',
    ``distributed``'s: some 280,000 once ``distributed`` is in) to the permanent
    generation, once a process: when the first local cluster starts (a server where
    nobody uses Dask is left alone), and only when ``CloudscapesDask.freeze_heap`` is on.

    A ``LocalCluster`` start allocates tens of thousands of objects on the server's
    loop, so it is where Python's full (generation 2) collections tend to fall; each one
    walked that whole heap and stopped the loop for 90 ms on a quiet 2-CPU machine and
    several hundred ms on a busy one. Frozen, the objects that live as long as the
    server (modules, classes, functions, configuration) are no longer walked, and a
    full collection takes a few ms. Garbage cycles among frozen objects are never
    collected, so the ``gc.collect()`` first keeps today's garbage out; what becomes
    garbage later among them stays (little: they are mostly start-up objects).
    (A flag, not ``gc.get_freeze_count()``, says it was done: that count walks them all.)
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


_frozen = False


def _import_all(names: list[str]) -> None:
    for name in names:
        importlib.import_module(name)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer too large for a float
        return False


def connect_code(name: str, address: str) -> str:
    return (
        f"# Connect to the Dask cluster {name} (a local cluster inside this server)\n"
        "from dask.distributed import Client\n"
        "\n"
        f"client = Client({address!r})\n"
        "client\n"
    )


@dataclass(eq=False)
class LocalEntry:
    record: ClusterRecord
    threads: int
    memory: int
    cluster: Any = None  # distributed.LocalCluster once started
    closing: asyncio.Future | None = None


class LocalBackend:
    name = "local"
    title = "Local cluster (inside this server)"

    def __init__(self, config: CloudscapesDask, base_url: str, log: logging.Logger) -> None:
        self.config = config
        self.base_url = base_url
        self.log = log
        self.entries: dict[str, LocalEntry] = {}

    # ---- sizing and the options form ----------------------------------------------

    def sizing(self) -> Sizing:
        cpus = max(1.0, cpu_limit().value)
        budget = int(memory_limit().value * self.config.local_memory_fraction)
        threads = 1
        per_worker = budget / max(1, int(cpus // threads)) / GIB
        default_gib = max(MIN_WORKER_GIB, min(4.0, int(per_worker * 4) / 4))
        return Sizing(cpus, budget, threads, default_gib)

    def describe(self) -> dict[str, Any]:
        size = self.sizing()
        max_threads = max(1, int(size.cpus))
        budget_gib = max(MIN_WORKER_GIB, int(size.memory_budget / GIB * 4) / 4)
        default_memory = int(size.default_memory_gib * GIB)
        return {
            "name": self.name,
            "title": self.title,
            "available": self.config.local_enabled,
            "reason": "" if self.config.local_enabled else LOCAL_OFF,
            "options": [
                option_field(
                    "worker_threads",
                    "Threads per worker",
                    "integer",
                    size.default_threads,
                    minimum=1,
                    maximum=max_threads,
                    step=1,
                    description="Tasks one worker runs at once.",
                ),
                option_field(
                    "worker_memory",
                    "Memory per worker",
                    "number",
                    size.default_memory_gib,
                    minimum=MIN_WORKER_GIB,
                    maximum=budget_gib,
                    step=0.25,
                    unit="GiB",
                    description="A worker spills to disk, then pauses, near this limit.",
                ),
            ],
            "max_workers": self.max_workers(size.default_threads, default_memory),
            "idle_timeout_seconds": self.config.local_idle_timeout or None,
            "connect_hint": "Client(address) from dask.distributed, with the scheduler's address.",
        }

    def parse_options(self, options: dict[str, Any]) -> tuple[int, int, int]:
        """(threads, memory bytes, max workers) from a create request's options."""
        size = self.sizing()
        unknown = sorted(set(options) - {"worker_threads", "worker_memory"})
        if unknown:
            raise bad_request(
                f"Unknown option '{printable(unknown[0])}' for local clusters.",
                "Local clusters take worker_threads and worker_memory (GiB).",
                code="unknown_option",
            )
        threads = options.get("worker_threads", size.default_threads)
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise bad_request(
                f"worker_threads must be a whole number, not {printable(repr(threads))}.",
                "Send a number such as 1.",
                code="invalid_option",
            )
        if not 1 <= threads <= max(1, int(size.cpus)):
            raise bad_request(
                f"worker_threads is {printable(threads)}; this server has {size.cpus:g} CPUs.",
                f"Choose 1 to {max(1, int(size.cpus))} threads per worker.",
                code="invalid_option",
            )
        gib = options.get("worker_memory", size.default_memory_gib)
        if isinstance(gib, bool) or not isinstance(gib, (int, float)) or not _finite(gib):
            raise bad_request(
                f"worker_memory must be a number of GiB, not {printable(repr(gib))}.",
                "Send a number such as 2 (GiB).",
                code="invalid_option",
            )
        budget_gib = size.memory_budget / GIB
        if not MIN_WORKER_GIB <= gib <= budget_gib:
            raise bad_request(
                f"worker_memory is {float(gib):.4g} GiB; workers here may have "
                f"{MIN_WORKER_GIB:g} to {budget_gib:.2f} GiB.",
                "Choose a smaller worker, or ask your hub admin for a larger server.",
                code="invalid_option",
            )
        memory = int(gib * GIB)
        left = size.memory_budget - self.memory_in_use()
        if memory > left:
            raise CloudscapesError(
                409,
                "not_enough_memory",
                f"The other local clusters already have {self.memory_in_use() / GIB:.2f} of "
                f"the {budget_gib:.2f} GiB their workers may use on this server.",
                "Shut a cluster down or scale it down, or choose a smaller worker.",
            )
        return threads, memory, self.max_workers(threads, memory)

    def memory_in_use(self, besides: str | None = None) -> int:
        """Memory the workers of the local clusters (but ``besides``) may take: each
        cluster's worker size times its workers, asked-for workers or adaptive maximum."""
        total = 0
        for cluster_id, entry in self.entries.items():
            if cluster_id == besides:
                continue
            record = entry.record
            workers = max(
                record.workers or 0,
                record.requested_workers or 0,
                (record.adapt or {}).get("maximum", 0),
            )
            total += workers * entry.memory
        return total

    def max_workers(self, threads: int, memory: int, cluster_id: str | None = None) -> int:
        """Most workers of this size one cluster may have now: the server's CPUs, and
        the memory budget less what the other local clusters use."""
        size = self.sizing()
        left = max(0, size.memory_budget - self.memory_in_use(besides=cluster_id))
        by_memory = left // memory
        by_cpu = max(1, int(size.cpus // threads))
        limit = int(min(by_cpu, by_memory))
        configured = self.config.local_max_workers
        return min(limit, configured) if configured is not None else limit

    # ---- lifecycle --------------------------------------------------------------------

    def add(self, options: dict[str, Any], threads: int, memory: int) -> ClusterRecord:
        if len(self.entries) >= self.config.local_max_clusters:
            raise CloudscapesError(
                409,
                "too_many_clusters",
                f"{len(self.entries)} local clusters are running; this server allows "
                f"{self.config.local_max_clusters}.",
                "Shut one down first: local clusters share this server's CPUs and memory.",
            )
        cluster_id = f"local-{secrets.token_hex(4)}"
        record = ClusterRecord(
            id=cluster_id,
            name=cluster_id,
            backend=self.name,
            worker_cores=threads,
            worker_memory=memory,
            idle_timeout_seconds=self.config.local_idle_timeout or None,
            cost_per_hour=0.0,
            options={"worker_threads": threads, "worker_memory": memory / GIB},
        )
        self.entries[cluster_id] = LocalEntry(record, threads, memory)
        return record

    async def start(self, cluster_id: str, workers: int) -> None:
        """Start an added cluster with ``workers`` workers (they start together with
        the scheduler; adaptive clusters start with none)."""
        await import_distributed()
        if self.config.freeze_heap:
            freeze_heap()
        entry = self.entry(cluster_id)
        entry.record.requested_workers = workers
        making = asyncio.ensure_future(self._make(entry, workers))
        try:
            cluster = await asyncio.shield(making)
        except asyncio.CancelledError:
            # A half-started cluster would leave its processes: let it finish, close it.
            self.entries.pop(cluster_id, None)
            try:
                await (await making).close()
            except Exception:  # it failed to start: nothing to close
                self.log.debug("Cloudscapes: cancelled cluster %s", cluster_id, exc_info=True)
            raise
        except Exception as exc:
            self.log.exception("Cloudscapes: local Dask cluster %s failed to start", cluster_id)
            entry.record.status = "failed"
            entry.record.error = {
                "error": {
                    "code": "cluster_failed",
                    "message": f"The cluster could not start ({exc.__class__.__name__}).",
                    "hint": "Look at the Jupyter server log, or try a smaller cluster.",
                }
            }
            self.entries.pop(cluster_id, None)
            raise CloudscapesError(
                500,
                "cluster_failed",
                entry.record.error["error"]["message"],
                entry.record.error["error"]["hint"],
            ) from None
        if cluster_id not in self.entries:  # shut down while starting
            await cluster.close()
            raise asyncio.CancelledError
        entry.cluster = cluster
        record = entry.record
        record.status = "running"
        record.scheduler_address = cluster.scheduler_address
        record.dashboard_link = self.dashboard_url(cluster_id, "status")
        record.connect_code = connect_code(cluster_id, cluster.scheduler_address)

    async def _make(self, entry: LocalEntry, workers: int) -> Any:
        from distributed import LocalCluster

        kwargs: dict[str, Any] = {}
        if self.config.local_idle_timeout:
            kwargs["scheduler_kwargs"] = {"idle_timeout": self.config.local_idle_timeout}
        return await LocalCluster(
            name=entry.record.id,
            n_workers=workers,
            threads_per_worker=entry.threads,
            memory_limit=entry.memory,
            processes=True,
            host="127.0.0.1",
            dashboard_address=f"{self.config.local_dashboard_host}:0",
            asynchronous=True,
            silence_logs=logging.WARNING,
            **kwargs,
        )

    def entry(self, cluster_id: str) -> LocalEntry:
        try:
            return self.entries[cluster_id]
        except KeyError:
            raise no_such_cluster(cluster_id) from None

    def running(self, cluster_id: str) -> LocalEntry:
        entry = self.entry(cluster_id)
        self.refresh(entry)
        if entry.cluster is None or entry.record.status != "running":
            raise not_running(entry.record)
        return entry

    def refresh(self, entry: LocalEntry) -> ClusterRecord:
        """Bring the record up to date from the scheduler (in memory, no I/O)."""
        record, cluster = entry.record, entry.cluster
        if cluster is None or record.status in ("stopping", "stopped"):
            return record
        scheduler = cluster.scheduler
        if scheduler.status.name in ("closing", "closed", "failed", "closing_gracefully"):
            self._close_later(entry)
            return record.mark_stopped()
        workers = list(scheduler.workers.values())
        record.workers = len(workers)
        record.cores = sum(ws.nthreads for ws in workers)
        record.memory = sum(ws.memory_limit for ws in workers)
        return record

    def records(self) -> list[ClusterRecord]:
        records = [self.refresh(entry) for entry in list(self.entries.values())]
        return [r for r in records if r.status != "stopped"]

    async def scale(self, cluster_id: str, workers: int) -> ClusterRecord:
        entry = self.running(cluster_id)
        adaptive = getattr(entry.cluster, "_adaptive", None)
        if adaptive is not None:  # a fixed size ends adaptive scaling
            adaptive.stop()
            # a step already under way would otherwise retire workers after our scale
            for _ in range(100):
                if not getattr(adaptive, "_adapting", False):
                    break
                await asyncio.sleep(0.05)
        entry.cluster.scale(workers)
        entry.record.requested_workers = workers
        entry.record.adapt = None
        return entry.record

    def adapt(self, cluster_id: str, adapt: dict[str, int]) -> ClusterRecord:
        entry = self.running(cluster_id)
        entry.cluster.adapt(minimum=adapt["minimum"], maximum=adapt["maximum"])
        entry.record.adapt = dict(adapt)
        entry.record.requested_workers = None
        return entry.record

    async def stop(self, cluster_id: str) -> ClusterRecord:
        entry = self.entry(cluster_id)
        entry.record.status = "stopping"
        await self._close(entry)
        return entry.record

    def _close_later(self, entry: LocalEntry) -> None:
        if entry.closing is None:
            entry.closing = asyncio.ensure_future(self._close(entry))

    async def _close(self, entry: LocalEntry) -> None:
        if entry.closing is not None and asyncio.current_task() is not entry.closing:
            await asyncio.shield(entry.closing)
            return
        cluster_id = entry.record.id
        try:
            if entry.cluster is not None:
                try:
                    await asyncio.wait_for(entry.cluster.close(), CLOSE_TIMEOUT)
                except Exception:  # a close that fails still ends the cluster for us
                    self.log.warning(
                        "Cloudscapes: local Dask cluster %s did not close cleanly",
                        cluster_id,
                        exc_info=True,
                    )
        finally:
            entry.record.mark_stopped()
            self.entries.pop(cluster_id, None)

    async def close_all(self) -> list[str]:
        ids = list(self.entries)
        await asyncio.gather(*(self._close(self.entries[i]) for i in ids if i in self.entries))
        return ids

    # ---- dashboards -------------------------------------------------------------------

    def dashboard_url(self, cluster_id: str, path: str) -> str:
        return url_path_join(
            self.base_url, "cloudscapes/dask/clusters", cluster_id, "dashboard", path
        )

    def dashboard_port(self, cluster_id: str) -> int:
        """The dashboard's port, or a 404 (cluster gone: nothing is contacted)."""
        entry = self.running(cluster_id)
        server = entry.cluster.scheduler.http_server
        return int(server.port)

    async def plots(self, cluster_id: str) -> list[dict[str, str]]:
        port = self.dashboard_port(cluster_id)
        try:
            response = await AsyncHTTPClient().fetch(
                f"http://127.0.0.1:{port}/individual-plots.json", request_timeout=10
            )
            listing = json.loads(response.body)
        except (OSError, HTTPClientError, ValueError) as exc:
            raise CloudscapesError(
                502,
                "dashboard_unreachable",
                f"The cluster's dashboard did not answer ({exc.__class__.__name__}).",
                "Try again in a moment; if the cluster is stuck, shut it down.",
            ) from None
        return order_plots(
            {path.lstrip("/"): title for title, path in listing.items()},
            lambda path: self.dashboard_url(cluster_id, path),
        )


def order_plots(paths: dict[str, str], url: Any) -> list[dict[str, str]]:
    """Plots as the routes give them: task stream, progress, worker memory first."""

    def rank(name: str) -> tuple[int, str]:
        return (FIRST_PLOTS.index(name) if name in FIRST_PLOTS else len(FIRST_PLOTS), paths[name])

    return [
        {"name": name, "title": paths[name].removeprefix("Individual ").strip(), "url": url(name)}
        for name in sorted(paths, key=rank)
    ]
