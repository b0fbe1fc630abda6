"""What both backends share: the cluster record, option fields, errors, code, cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..contract import printable
from ..handlers import CloudscapesError, bad_request, isoformat

GIB = 2**30

#: Dashboard plots shown first, in this order; the others follow by title.
FIRST_PLOTS = ["individual-task-stream", "individual-progress", "individual-workers-memory"]

#: Most workers any request may ask for, whatever the backend says (a typo such as
#: 1e9 gets a 400, not an attempt).
HARD_MAX_WORKERS = 1000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(eq=False)
class ClusterRecord:
    """One cluster as the routes report it (both backends fill it in)."""

    id: str
    name: str
    backend: str
    status: str = "starting"
    workers: int | None = 0
    requested_workers: int | None = None
    adapt: dict[str, int] | None = None
    worker_cores: float | None = None
    worker_memory: int | None = None
    dashboard_link: str | None = None
    scheduler_address: str | None = None
    idle_timeout_seconds: int | None = None
    cost_per_hour: float | None = None
    created: datetime | None = field(default_factory=utcnow)
    options: dict[str, Any] = field(default_factory=dict)
    connect_code: str = ""
    error: dict[str, Any] | None = None
    #: totals measured from the scheduler, when known (else workers x worker size)
    cores: float | None = None
    memory: int | None = None

    def mark_stopped(self) -> ClusterRecord:
        """It has shut down: no workers, no dashboard."""
        self.status = "stopped"
        self.workers = 0
        self.cores = self.memory = 0
        self.dashboard_link = None
        return self

    def model(self, currency: str) -> dict[str, Any]:
        cores, memory = self.cores, self.memory
        if cores is None and self.workers is not None and self.worker_cores is not None:
            cores = self.workers * self.worker_cores
        if memory is None and self.workers is not None and self.worker_memory is not None:
            memory = self.workers * self.worker_memory
        return {
            "id": self.id,
            "name": self.name,
            "backend": self.backend,
            "status": self.status,
            "workers": self.workers,
            "requested_workers": self.requested_workers,
            "adapt": dict(self.adapt) if self.adapt else None,
            "cores": cores,
            "memory": memory,
            "worker_cores": self.worker_cores,
            "worker_memory": self.worker_memory,
            "dashboard_link": self.dashboard_link,
            "scheduler_address": self.scheduler_address,
            "idle_timeout_seconds": self.idle_timeout_seconds,
            "cost_per_hour": self.cost_per_hour,
            "currency": currency,
            "created": isoformat(self.created),
            "options": self.options,
            "connect_code": self.connect_code,
            "error": self.error,
        }


# ---- requests ---------------------------------------------------------------------


# Request bodies reach these checked against schema/dask.yaml (whole numbers, not
# negative, the fields present); what is left depends on the backend.


def worker_count(number: int, name: str, maximum: int | None) -> int:
    """A worker count from a request, at most what the backend allows, else a 400."""
    limit = min(maximum, HARD_MAX_WORKERS) if maximum is not None else HARD_MAX_WORKERS
    if number > limit:
        raise bad_request(
            f"{name} is {printable(number)}, more than this backend allows ({limit}).",
            f"Ask for at most {limit} workers.",
            code="too_many_workers",
        )
    return number


def scale_request(body: dict[str, Any], maximum: int | None) -> int | dict[str, int]:
    """``{"workers": n}`` -> n, or ``{"adapt": {"minimum", "maximum"}}`` -> that dict
    (the schema lets exactly one of them through)."""
    if "workers" in body:
        return worker_count(body["workers"], "workers", maximum)
    return adapt_request(body["adapt"], maximum)


def adapt_request(value: dict[str, int], maximum: int | None) -> dict[str, int]:
    low = worker_count(value["minimum"], "adapt.minimum", maximum)
    high = worker_count(value["maximum"], "adapt.maximum", maximum)
    if low > high:
        raise bad_request(
            f"adapt.minimum ({printable(low)}) is more than adapt.maximum ({printable(high)}).",
            "Make the minimum at most the maximum.",
            code="invalid_workers",
        )
    return {"minimum": low, "maximum": high}


# ---- options forms ------------------------------------------------------------------


def option_field(
    name: str,
    label: str,
    kind: str,
    default: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    step: float | None = None,
    choices: list[str] | None = None,
    unit: str = "",
    description: str = "",
) -> dict[str, Any]:
    model: dict[str, Any] = {"field": name, "label": label, "type": kind, "default": default}
    if kind in ("integer", "number"):
        model.update(minimum=minimum, maximum=maximum, step=step)
    if choices is not None:
        model["choices"] = list(choices)
    if unit:
        model["unit"] = unit
    if description:
        model["description"] = description
    return model


# ---- errors ------------------------------------------------------------------------


def no_such_cluster(cluster_id: str) -> CloudscapesError:
    return CloudscapesError(
        404,
        "no_such_cluster",
        f"There is no cluster '{printable(cluster_id)}'.",
        "It may have been shut down; refresh the cluster list.",
    )


def not_running(record: ClusterRecord) -> CloudscapesError:
    return CloudscapesError(
        409,
        "cluster_not_running",
        f"Cluster {record.name} is {record.status}, not running.",
        "Wait until it has started, or create a new cluster.",
    )


# ---- cost ---------------------------------------------------------------------------


def worker_rate(prices: dict[str, float], cores: float | None, memory: int | None) -> float | None:
    """Price of one worker per hour from the admin's table, or None if unpriced."""
    if not prices or cores is None or memory is None:
        return None
    return prices.get("worker_core_hour", 0.0) * cores + prices.get("worker_gib_hour", 0.0) * (
        memory / GIB
    )


def running_rate(records: list[ClusterRecord]) -> tuple[int, float | None]:
    """How many of ``records`` are starting or running, and what they cost together per
    hour (None when any of them has no price)."""
    rates = [r.cost_per_hour for r in records if r.status in ("starting", "running")]
    prices = [rate for rate in rates if rate is not None]
    return len(rates), round(sum(prices), 4) if len(prices) == len(rates) else None


def cluster_rate(
    prices: dict[str, float], workers: int | None, cores: float | None, memory: int | None
) -> float | None:
    rate = worker_rate(prices, cores, memory)
    if rate is None or workers is None:
        return None
    return round(workers * rate + prices.get("scheduler_hour", 0.0), 4)
