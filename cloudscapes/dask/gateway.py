"""The Dask Gateway backend: clusters run by the hub's gateway, whoever created them.

The list comes from the gateway (``GET /api/v1/clusters/``), so clusters started from
notebooks appear too; the options form is the gateway's own. Workers, cores and memory
are read from each running cluster's scheduler through the gateway's dashboard proxy
(``/clusters/<name>/json/identity.json``). Credentials stay in this process: the
connect code says ``Gateway()`` and the kernel authenticates as the hub configured it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import time
from datetime import timezone
from typing import Any, TypeGuard

import aiohttp
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from ..contract import printable
from ..handlers import CloudscapesError, bad_request
from .base import (
    GIB,
    ClusterRecord,
    cluster_rate,
    no_such_cluster,
    not_running,
    option_field,
)
from .config import CloudscapesDask
from .local import order_plots

#: Why there is no gateway backend.
NOT_CONFIGURED = "No Dask Gateway is configured on this server."

#: gateway status names -> ours
STATUS = {
    "PENDING": "starting",
    "RUNNING": "running",
    "STOPPING": "stopping",
    "STOPPED": "stopped",
    "FAILED": "failed",
}


def unavailable(message: str, hint: str, status: int = 502) -> CloudscapesError:
    return CloudscapesError(status, "gateway_unavailable", message, hint)


class GatewayBackend:
    name = "gateway"
    title = "Dask Gateway"

    def __init__(self, config: CloudscapesDask, log: logging.Logger) -> None:
        self.config = config
        self.log = log
        self._client: Any = None
        self._listing: list[ClusterRecord] | None = None
        self._listed_at = -math.inf
        self._inflight: asyncio.Future | None = None
        #: bumped by every change; a listing begun before a change is not reused
        self._generation = 0
        #: what our routes asked of each cluster (the gateway does not report it)
        self.requested: dict[str, tuple[int | None, dict[str, int] | None]] = {}

    @property
    def configured(self) -> bool:
        return bool(self.config.gateway_address)

    # ---- the client --------------------------------------------------------------------

    def client(self) -> Any:
        if self._client is None:
            try:
                self._client = self._make_client()
            except Exception as exc:  # a wrong auth type or keyword in the admin's config
                self.log.warning("Cloudscapes: Dask Gateway client not made: %r", type(exc))
                raise CloudscapesError(
                    502,
                    "gateway_misconfigured",
                    "This server's Dask Gateway settings are not valid "
                    f"({exc.__class__.__name__}).",
                    "Tell your hub admin: check c.CloudscapesDask.gateway_auth and "
                    "gateway_auth_kwargs.",
                ) from None
        return self._client

    def _make_client(self) -> Any:
        from dask_gateway import Gateway
        from dask_gateway.auth import get_auth

        auth_type = self.config.gateway_auth or None
        if auth_type and self.config.gateway_auth_kwargs:
            cls = {"basic": "BasicAuth", "jupyterhub": "JupyterHubAuth"}.get(auth_type)
            if cls is not None:
                import dask_gateway.auth as auth_module

                auth = getattr(auth_module, cls)(**self.config.gateway_auth_kwargs)
            else:
                auth = get_auth(auth_type)
        else:
            auth = get_auth(auth_type)
        return Gateway(
            address=self.config.gateway_address,
            proxy_address=self.config.gateway_proxy_address or None,
            public_address=self.config.gateway_public_address or None,
            auth=auth,
            asynchronous=True,
        )

    async def call(self, what: str, coroutine: Any, timeout: float | None = None) -> Any:
        """Await a gateway call with a timeout (default: the admin's gateway_timeout);
        its failures as 4xx/5xx."""
        timeout = self.config.gateway_timeout if timeout is None else timeout
        try:
            return await asyncio.wait_for(coroutine, timeout)
        except asyncio.TimeoutError:
            raise CloudscapesError(
                504,
                "gateway_timeout",
                f"Dask Gateway did not answer in {timeout:g} s ({what}).",
                "Try again; if it keeps happening, tell your hub admin.",
            ) from None
        except ValueError as exc:  # the gateway's 404 and 422
            text = str(exc)
            if "not found" in text.lower() or "404" in text:
                raise CloudscapesError(404, "no_such_cluster", text, "Refresh the list.") from None
            raise bad_request(
                f"Dask Gateway refused this: {text}",
                "Check the cluster options.",
                code="gateway_refused",
            ) from None
        except aiohttp.ClientResponseError as exc:
            if exc.status in (401, 403):
                raise unavailable(
                    f"Dask Gateway refused this server's credentials ({exc.status}).",
                    "Tell your hub admin: the server's gateway authentication "
                    "(c.CloudscapesDask.gateway_auth) is not accepted.",
                ) from None
            raise unavailable(
                f"Dask Gateway answered {exc.status} ({what}).",
                "Try again; if it keeps happening, tell your hub admin.",
            ) from None
        except (aiohttp.ClientError, OSError) as exc:
            raise unavailable(
                f"Dask Gateway could not be reached ({exc.__class__.__name__}).",
                "Check that the gateway is running (tell your hub admin if it is not).",
            ) from None
        except Exception as exc:
            from dask_gateway.client import GatewayClusterError, GatewayServerError

            if isinstance(exc, GatewayClusterError):
                raise CloudscapesError(
                    409, "cluster_not_running", str(exc), "Refresh the list."
                ) from None
            if isinstance(exc, GatewayServerError):
                raise unavailable(f"Dask Gateway failed: {exc}", "Tell your hub admin.") from None
            raise

    async def close(self) -> None:
        if self._client is not None:
            try:
                await self._client.close()
            except Exception:  # closing a session that never opened
                self.log.debug("Cloudscapes: closing the gateway client failed", exc_info=True)
            self._client = None

    # ---- options -------------------------------------------------------------------------

    async def options_form(self) -> Any:
        gateway = self.client()
        return await self.call("options", gateway.cluster_options(use_local_defaults=False))

    async def describe(self) -> dict[str, Any]:
        model: dict[str, Any] = {
            "name": self.name,
            "title": self.title,
            "available": False,
            "reason": "",
            "options": [],
            "max_workers": self.config.gateway_max_workers,
            "idle_timeout_seconds": self.config.gateway_idle_timeout,
            "connect_hint": "Gateway().connect(name).get_client() from dask_gateway.",
        }
        if not self.configured:
            model["reason"] = NOT_CONFIGURED
            return model
        try:
            form = await self.options_form()
        except CloudscapesError as exc:
            model["reason"] = f"{exc.message} {exc.hint}".strip()
            return model
        model["available"] = True
        model["options"] = [f for f in (describe_field(x) for x in form._fields.values()) if f]
        return model

    async def parse_options(self, options: dict[str, Any]) -> Any:
        """The gateway's own options form filled with ``options``, each value checked by
        the form (its types, bounds, choices)."""
        form = await self.options_form()
        for key, value in options.items():
            if key not in form._fields:
                raise bad_request(
                    f"Unknown option '{printable(key)}' for Dask Gateway clusters.",
                    "Use the fields of the gateway's options form: "
                    + ", ".join(form._fields)
                    + ".",
                    code="unknown_option",
                )
            if isinstance(value, bool) and form._fields[key].__class__.__name__ != "Bool":
                raise bad_request(
                    f"{key} cannot be true or false.",
                    "Use a value the form allows.",
                    code="invalid_option",
                )
            try:
                form[key] = value
            except (TypeError, ValueError) as exc:
                raise bad_request(
                    str(exc), "Use a value the form allows.", code="invalid_option"
                ) from None
        return form

    # ---- clusters ------------------------------------------------------------------------

    async def submit(self, form: Any) -> ClusterRecord:
        """Start a cluster with a form from :meth:`parse_options`."""
        name = await self.call("create", self.client().submit(form))
        self._changed()
        record = ClusterRecord(id=name, name=name, backend=self.name, options=dict(form))
        self._fill_static(record)
        return record

    async def wait_running(self, name: str) -> ClusterRecord:
        limit = self.config.gateway_start_timeout
        try:
            report = await self.call("start", self.client()._wait_for_start(name), timeout=limit)
        except CloudscapesError as exc:
            if exc.code != "gateway_timeout":
                raise
            raise CloudscapesError(
                504,
                "cluster_start_timeout",
                f"Cluster {name} did not start within {limit:g} s.",
                "The hub may be short of machines; try again later or ask for fewer workers.",
            ) from None
        self._changed()
        return await self.record(report)

    def _changed(self) -> None:
        self._listed_at = -math.inf
        self._generation += 1

    async def records(self) -> list[ClusterRecord]:
        """The gateway's running and pending clusters, reused for list_cache_seconds."""
        if time.monotonic() - self._listed_at < self.config.list_cache_seconds:
            return list(self._listing or [])
        if self._inflight is None:
            generation = self._generation
            self._inflight = asyncio.ensure_future(self._list())
            try:
                listing = await self._inflight
            finally:
                self._inflight = None
            if generation == self._generation:  # nothing changed meanwhile: reuse it
                self._listing, self._listed_at = listing, time.monotonic()
            return list(listing)
        return list(await asyncio.shield(self._inflight))

    async def _list(self) -> list[ClusterRecord]:
        reports = await self.call("list", self.client().list_clusters())
        return list(await asyncio.gather(*(self.record(r) for r in reports)))

    async def get(self, name: str) -> ClusterRecord:
        report = await self.call("get", self.client().get_cluster(name))
        return await self.record(report)

    async def record(self, report: Any) -> ClusterRecord:
        status = STATUS.get(report.status.name, "failed")
        created = report.start_time
        if created is not None:
            created = created.astimezone(timezone.utc)
        record = ClusterRecord(
            id=report.name,
            name=report.name,
            backend=self.name,
            status=status,
            workers=None,
            options=dict(report.options or {}),
            created=created,
            scheduler_address=report.scheduler_address,
            dashboard_link=report.dashboard_link,  # the gateway's route ends in /status
        )
        self._fill_static(record)
        if status == "running":
            await self._measure(record)
        else:
            record.workers = 0 if status in ("stopped", "failed") else None
        # Starting, or its scheduler not reachable: priced as the workers asked for
        # (the scheduler already costs), rather than as nothing.
        billed = record.workers
        if billed is None and status in ("starting", "running"):
            billed = record.requested_workers or 0
        record.cost_per_hour = cluster_rate(
            self.config.price_table, billed, record.worker_cores, record.worker_memory
        )
        return record

    def _fill_static(self, record: ClusterRecord) -> None:
        options = record.options
        cores = options.get("worker_cores")
        memory = options.get("worker_memory")
        record.worker_cores = float(cores) if _number(cores) else self.config.gateway_worker_cores
        gib = float(memory) if _number(memory) else self.config.gateway_worker_memory
        record.worker_memory = int(gib * GIB)
        record.idle_timeout_seconds = self.config.gateway_idle_timeout
        record.requested_workers, record.adapt = self.requested.get(record.name, (None, None))
        record.connect_code = self.connect_code(record.name)

    async def _measure(self, record: ClusterRecord) -> None:
        """Workers, cores and memory from the scheduler (through the gateway's proxy)."""
        url = f"{self.config.gateway_address.rstrip('/')}/clusters/{record.name}/json/identity.json"
        try:
            response = await AsyncHTTPClient().fetch(
                url, request_timeout=self.config.gateway_timeout
            )
            identity = json.loads(response.body)
            workers = list(identity.get("workers", {}).values())
        except (OSError, HTTPClientError, ValueError, AttributeError):
            return  # workers stay unknown (null); the cluster is still listed
        record.workers = len(workers)
        if workers:
            record.worker_cores = float(workers[0].get("nthreads") or record.worker_cores or 0)
            record.worker_memory = int(workers[0].get("memory_limit") or record.worker_memory or 0)
        record.cores = float(sum(w.get("nthreads", 0) for w in workers))
        record.memory = int(sum(w.get("memory_limit", 0) for w in workers))

    async def scale(self, record: ClusterRecord, workers: int) -> ClusterRecord:
        """Scale a cluster as just read (:meth:`get`); the record, with the new target."""
        if record.status != "running":
            raise not_running(record)
        await self.call("scale", self.client().scale_cluster(record.name, workers))
        self.requested[record.name] = (workers, None)
        self._changed()
        record.requested_workers, record.adapt = workers, None
        return record

    async def adapt(self, record: ClusterRecord, adapt: dict[str, int]) -> ClusterRecord:
        """Make a cluster as just read adaptive; the record, with its range."""
        if record.status != "running":
            raise not_running(record)
        await self.call(
            "adapt",
            self.client().adapt_cluster(record.name, adapt["minimum"], adapt["maximum"]),
        )
        self.requested[record.name] = (None, dict(adapt))
        self._changed()
        record.requested_workers, record.adapt = None, dict(adapt)
        return record

    async def stop(self, record: ClusterRecord) -> ClusterRecord:
        """Stop a cluster as just read (:meth:`get` or the list)."""
        if record.status in ("stopped", "failed"):
            raise no_such_cluster(record.name)
        await self.call("stop", self.client().stop_cluster(record.name))
        self.requested.pop(record.name, None)
        self._changed()
        record.mark_stopped()
        record.cost_per_hour = 0.0 if self.config.price_table else None
        return record

    async def plots(self, record: ClusterRecord) -> list[dict[str, str]]:
        """The plots of a cluster as just read (:meth:`get`)."""
        if record.status != "running":
            raise not_running(record)
        name = record.name
        base = self.config.gateway_address.rstrip("/")
        try:
            response = await AsyncHTTPClient().fetch(
                f"{base}/clusters/{name}/individual-plots.json",
                request_timeout=self.config.gateway_timeout,
            )
            listing = json.loads(response.body)
        except (OSError, HTTPClientError, ValueError) as exc:
            raise unavailable(
                f"The cluster's dashboard did not answer through the gateway "
                f"({exc.__class__.__name__}).",
                "Try again in a moment.",
            ) from None
        public = (record.dashboard_link or "").removesuffix("/status")
        return order_plots(
            {path.lstrip("/"): title for title, path in listing.items()},
            lambda path: f"{public}/{path}",
        )

    def connect_code(self, name: str) -> str:
        """``Gateway()`` when kernels get the hub's DASK_GATEWAY__* settings, else the
        address (and auth type) spelled out; never a credential."""
        env_address = os.environ.get("DASK_GATEWAY__ADDRESS", "").rstrip("/")
        if env_address and env_address == self.config.gateway_address.rstrip("/"):
            gateway = "Gateway()"
        else:
            args = [repr(self.config.gateway_address)]
            if self.config.gateway_proxy_address:
                args.append(f"proxy_address={self.config.gateway_proxy_address!r}")
            if self.config.gateway_auth in ("jupyterhub", "kerberos"):
                args.append(f"auth={self.config.gateway_auth!r}")
            gateway = f"Gateway({', '.join(args)})"
        return (
            f"# Connect to the Dask Gateway cluster {name}\n"
            "from dask_gateway import Gateway\n"
            "\n"
            f"gateway = {gateway}\n"
            f"cluster = gateway.connect({name!r})\n"
            "client = cluster.get_client()\n"
            "client\n"
        )


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def describe_field(field: Any) -> dict[str, Any] | None:
    """One field of the gateway's options form as an Option model (None: not shown)."""
    kind = {
        "Integer": "integer",
        "Float": "number",
        "String": "string",
        "Bool": "boolean",
        "Select": "select",
    }.get(field.__class__.__name__)
    if kind is None:  # Mapping fields keep their defaults
        return None
    return option_field(
        field.field,
        field.label or field.field,
        kind,
        field.value,
        minimum=getattr(field, "min", None),
        maximum=getattr(field, "max", None),
        step=1 if kind == "integer" else None,
        choices=list(field.options) if kind == "select" else None,
    )
