"""The Dask service: both backends behind one set of operations, as the routes use them."""

from __future__ import annotations

import asyncio
import builtins
import time
from typing import TYPE_CHECKING, Any

from tornado.ioloop import PeriodicCallback

from ..handlers import CloudscapesError, bad_request
from ..jobs import Job, JobContext
from .base import (
    ClusterRecord,
    adapt_request,
    no_such_cluster,
    running_rate,
    scale_request,
    worker_count,
)
from .config import CloudscapesDask
from .gateway import NOT_CONFIGURED, GatewayBackend
from .local import LOCAL_OFF, LocalBackend, import_distributed

if TYPE_CHECKING:
    from ..app import CloudscapesApp
    from ..usage.service import UsageService

#: How often local clusters are checked for schedulers that stopped by themselves.
WATCH_SECONDS = 5.0
#: How long the usage indicator waits for the gateway's clusters, seconds (then it
#: reuses what it last knew).
USAGE_WAIT = 1.0


class DaskService:
    def __init__(
        self, config: CloudscapesDask, app: CloudscapesApp, usage: UsageService | None
    ) -> None:
        self.config = config
        self.app = app
        self.log = config.log
        self.local = LocalBackend(config, app.serverapp.base_url, self.log)
        self.gateway = GatewayBackend(config, self.log)
        self.currency = config.currency or (usage.config.currency if usage else "USD")
        self._watch = PeriodicCallback(self._check_local, WATCH_SECONDS * 1000)
        self._warm: asyncio.Future | None = None
        #: start jobs of clusters still starting, by cluster id
        self._starts: dict[str, str] = {}
        #: gateway clusters started from this server (shut down when it stops)
        self._created: set[str] = set()
        self._last_extra: dict[str, Any] | None = None

    def start(self) -> None:
        self._watch.start()

    def _check_local(self) -> None:
        if self._warm is None and self.config.local_enabled:
            # import distributed in the background, so that the first cluster need not
            self._warm = asyncio.ensure_future(import_distributed())
        self.local.records()  # closes clusters whose scheduler stopped (idle timeout)

    # ---- backends ------------------------------------------------------------------------

    def backend_names(self) -> list[str]:
        names = []
        if self.gateway.configured:
            names.append("gateway")
        if self.config.local_enabled:
            names.append("local")
        return names

    async def backends(self) -> list[dict[str, Any]]:
        """The gateway first when there is one (a hub's clusters belong there)."""
        local = self.local.describe()
        gateway = await self.gateway.describe()
        return [gateway, local] if gateway["available"] else [local, gateway]

    # ---- list and find ---------------------------------------------------------------------

    async def list(self) -> dict[str, Any]:
        records = self.local.records()
        errors = []
        if self.gateway.configured:
            try:
                records += await self.gateway.records()
            except CloudscapesError as exc:
                errors.append({"backend": "gateway", "error": exc.to_json()})
        records.sort(key=lambda r: r.created.timestamp() if r.created else 0, reverse=True)
        _, total = running_rate(records)
        return {
            "clusters": [self.model(r) for r in records],
            "cost_per_hour": total,
            "currency": self.currency,
            "errors": errors,
        }

    def model(self, record: ClusterRecord) -> dict[str, Any]:
        return record.model(self.currency)

    async def find(self, cluster_id: str) -> ClusterRecord:
        if cluster_id in self.local.entries:
            return self.local.refresh(self.local.entries[cluster_id])
        if self.gateway.configured and not cluster_id.startswith("local-"):
            record = await self.gateway.get(cluster_id)
            if record.status not in ("stopped", "failed"):
                return record
        raise no_such_cluster(cluster_id)

    # ---- create --------------------------------------------------------------------------

    async def create(self, body: dict[str, Any]) -> tuple[Job, ClusterRecord]:
        """``body`` is a ``CreateRequest`` (schema/dask.yaml); what it cannot say (the
        backends configured here, the options' limits, not both sizes) is checked here."""
        names = self.backend_names()
        backend = body.get("backend", names[0] if names else "local")
        if backend not in names:
            reason = NOT_CONFIGURED if backend == "gateway" else LOCAL_OFF
            raise CloudscapesError(409, "backend_unavailable", reason, "Use another backend.")
        options = body.get("options", {})
        if "workers" in body and "adapt" in body:
            raise bad_request(
                "Send workers or adapt, not both.", "A cluster is either fixed-size or adaptive."
            )
        if backend == "local":
            threads, memory, maximum = self.local.parse_options(options)
            workers, adapt = self._size(body, maximum)
            record = self.local.add(options, threads, memory)
            work = self._local_work(record.id, workers, adapt)
        else:
            form = await self.gateway.parse_options(options)
            workers, adapt = self._size(body, self.config.gateway_max_workers)
            record = await self.gateway.submit(form)
            work = self._gateway_work(record.id, workers, adapt)
        target = adapt["minimum"] if adapt else workers
        job = self.app.jobs.start(
            "dask-cluster", f"Start Dask cluster {record.name}", work, total=target, unit="workers"
        )
        self._starts[record.id] = job.id
        if backend == "gateway":
            self._created.add(record.id)
        return job, record

    @staticmethod
    def _size(body: dict[str, Any], maximum: int | None) -> tuple[int, dict | None]:
        if "adapt" in body:
            return 0, adapt_request(body["adapt"], maximum)
        return worker_count(body.get("workers", 1), "workers", maximum), None

    def _local_work(self, cluster_id: str, workers: int, adapt: dict | None) -> Any:
        local = self.local

        async def work(ctx: JobContext) -> dict[str, Any]:
            target = adapt["minimum"] if adapt else workers
            try:
                ctx.progress(0, target, "Starting the scheduler and workers")
                # The panel's waiting request answers this step in the next turn of
                # the loop; the scheduler's start, which holds the loop for ~10 ms,
                # comes in the turn after, so the two do not add up into one stall.
                await asyncio.sleep(0)
                await local.start(cluster_id, 0 if adapt else workers)
                if adapt:
                    local.adapt(cluster_id, adapt)
                await self._wait_workers(ctx, cluster_id, target)
            except BaseException:
                if cluster_id in local.entries:
                    await local.stop(cluster_id)
                raise
            finally:
                self._starts.pop(cluster_id, None)
            return {"cluster": self.model(local.refresh(local.entries[cluster_id]))}

        return work

    def _gateway_work(self, name: str, workers: int, adapt: dict | None) -> Any:
        gateway = self.gateway

        async def work(ctx: JobContext) -> dict[str, Any]:
            target = adapt["minimum"] if adapt else workers
            try:
                ctx.progress(0, target, "Waiting for the gateway to start the scheduler")
                running = await gateway.wait_running(name)
                if adapt:
                    await gateway.adapt(running, adapt)
                else:
                    await gateway.scale(running, workers)
                await self._wait_workers(ctx, name, target)
            except BaseException:
                try:
                    await gateway.call("stop", gateway.client().stop_cluster(name))
                except CloudscapesError:
                    pass
                raise
            finally:
                self._starts.pop(name, None)
            return {"cluster": self.model(await gateway.get(name))}

        return work

    async def _wait_workers(self, ctx: JobContext, cluster_id: str, target: int) -> None:
        deadline = time.monotonic() + self.config.workers_timeout
        reported = None
        while True:
            record = await self.find(cluster_id)
            joined = record.workers or 0
            if joined != reported:  # a change, not each look, answers the panel's wait
                ctx.progress(min(joined, target), target, f"{joined} of {target} workers joined")
                reported = joined
            if joined >= target:
                return
            if time.monotonic() > deadline:
                raise CloudscapesError(
                    504,
                    "workers_timeout",
                    f"Only {joined} of {target} workers joined in "
                    f"{self.config.workers_timeout:g} s.",
                    "The cluster is shut down again. Try fewer or smaller workers.",
                )
            await asyncio.sleep(0.05 if record.backend == "local" else 0.5)

    # ---- change ------------------------------------------------------------------------------

    async def scale(self, cluster_id: str, body: dict[str, Any]) -> ClusterRecord:
        record = await self.find(cluster_id)
        if record.backend == "local":
            entry = self.local.entry(cluster_id)
            maximum = self.local.max_workers(entry.threads, entry.memory, cluster_id)
            request = scale_request(body, maximum)
            if isinstance(request, dict):
                return self.local.adapt(cluster_id, request)
            return await self.local.scale(cluster_id, request)
        request = scale_request(body, self.config.gateway_max_workers)
        if isinstance(request, dict):
            return await self.gateway.adapt(record, request)
        return await self.gateway.scale(record, request)

    async def stop(self, cluster_id: str) -> ClusterRecord:
        record = await self.find(cluster_id)
        start = self._starts.pop(cluster_id, None)
        if start is not None and record.status == "starting":
            # The user shut it down while it started: its start job ends "cancelled"
            # (not failed), and the job's cleanup stops what had started.
            try:
                job = await self.app.jobs.cancel(start)
            except CloudscapesError:  # the job is already forgotten
                job = None
            if job is not None and job.status == "cancelled":
                return record.mark_stopped()
        if record.backend == "local":
            return await self.local.stop(cluster_id)
        return await self.gateway.stop(record)

    async def stop_all(self) -> dict[str, Any]:
        stopped, errors = await self.local.close_all(), []
        if self.gateway.configured:
            try:
                records = await self.gateway.records()
            except CloudscapesError as exc:
                errors.append({"id": "gateway", "error": exc.to_json()})
                records = []
            for record in records:
                try:
                    await self.gateway.stop(record)
                    stopped.append(record.id)
                except CloudscapesError as exc:
                    if exc.status != 404:
                        errors.append({"id": record.id, "error": exc.to_json()})
        return {"stopped": stopped, "errors": errors}

    async def plots(self, cluster_id: str) -> builtins.list[dict[str, str]]:
        record = await self.find(cluster_id)
        if record.backend == "local":
            return await self.local.plots(cluster_id)
        return await self.gateway.plots(record)

    # ---- cost, for the usage indicator ----------------------------------------------------------

    async def usage_extra(self) -> dict[str, Any]:
        """Running gateway clusters and their rate (local ones cost nothing extra); what
        was last known when the gateway is slow or down, so the indicator never waits."""
        try:
            return await asyncio.wait_for(asyncio.shield(self._usage_extra()), USAGE_WAIT)
        except (asyncio.TimeoutError, CloudscapesError):
            if self._last_extra is None:
                raise
            return self._last_extra

    async def _usage_extra(self) -> dict[str, Any]:
        records = await self.gateway.records() if self.gateway.configured else []
        count, rate = running_rate(records)
        self._last_extra = {
            "source": "dask",
            "label": "Dask Gateway clusters",
            "count": count,
            "rate_per_hour": rate,
        }
        return self._last_extra

    # ---- stop --------------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """The server is stopping: close every local cluster, and shut down the gateway
        clusters started from this server (``gateway_stop_with_server``)."""
        self._watch.stop()
        await self.local.close_all()
        if self.config.gateway_stop_with_server and self._created:
            for name in sorted(self._created):
                try:
                    await self.gateway.stop(await self.gateway.get(name))
                except CloudscapesError as exc:
                    if exc.status != 404:  # 404: it had already stopped
                        self.log.warning(
                            "Cloudscapes: Dask cluster %s was not shut down: %s",
                            name,
                            exc.message,
                        )
            self._created.clear()
        await self.gateway.close()
