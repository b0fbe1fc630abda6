"""The usage service: one snapshot of cost, resources and idle culling, shared by pollers."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from tornado.httputil import HTTPServerRequest
from tornado.ioloop import PeriodicCallback
from tornado.web import OutputTransform

from ..handlers import CloudscapesError, isoformat
from .config import CloudscapesUsage
from .hub import STOP_SCOPE, HubClient, HubRecord
from .metrics import ProcessTreeSampler, cpu_limit, disk_usage, memory_limit

#: The key a keep-alive writes in ``settings["last_activity_times"]``.
KEEPALIVE_KEY = "cloudscapes_keepalive"
#: How long limits (env/cgroup) are reused before they are read again, in seconds.
LIMITS_TTL = 60.0
#: Seconds between the stop's answer leaving this server and the stop itself (the
#: hub's DELETE, or the standalone shutdown): the proxy passes the answer on to the
#: browser before the hub interrupts this process.
STOP_DELAY = 0.25
#: Seconds after which a stop the hub accepted but that has not ended is taken as
#: failed (the page follows a stop for 120 s): a new click asks the hub again.
STALE_STOP = 180.0


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UsageService:
    """Everything ``GET /cloudscapes/usage`` reports, measured once per ``sample_ttl``."""

    def __init__(self, config: CloudscapesUsage, serverapp: Any) -> None:
        self.config = config
        self.serverapp = serverapp
        self.web_app = serverapp.web_app
        self.log = config.log
        self.hub = HubClient.from_env(timeout=config.hub_timeout)
        self.hub_record = HubRecord()
        self._sampler = ProcessTreeSampler()
        self._resources: dict[str, Any] | None = None
        self._resources_at = 0.0
        self._inflight: asyncio.Future[dict[str, Any]] | None = None
        self._limits_at = -LIMITS_TTL
        self._mem_limit = memory_limit()
        self._cpu_limit = cpu_limit()
        self.keepalive_until: datetime | None = None
        self._keepalive_timer: PeriodicCallback | None = None
        self._hub_timer: PeriodicCallback | None = None
        #: When the last request of any kind (polls too) reached this server: what the
        #: hub's proxy counts as activity (see :meth:`activity`). Set under a hub only.
        self.last_request: datetime | None = None
        #: What became of "Stop my server" (``GET /cloudscapes/usage/stop``): the hub is
        #: asked only after the browser has its answer, so the outcome is kept here.
        self.stop_state: dict[str, Any] = {"status": "running", "error": None}
        self._stop_asked = 0.0  # time.monotonic() of the last stop asked of the hub
        self._stop_task: asyncio.Future[None] | None = None
        #: Other features' running costs (Dask Gateway clusters): coroutine functions
        #: returning ``{"source", "label", "count", "rate_per_hour"}``.
        self.extra_rates: list[Callable[[], Awaitable[dict[str, Any]]]] = []

    # ---- lifecycle ------------------------------------------------------------

    def start(self) -> None:
        if self.proxy_interval() is not None:
            # Every request reaching this server came through the hub's proxy, which
            # counts it as activity when the hub adopts proxy traffic: note its time
            # (tornado makes one transform per request, before the handler runs).
            self.web_app.add_transform(self._request_seen)
        if self.hub is not None:
            self._first_hub_fetch = asyncio.ensure_future(self.refresh_hub())
            self._hub_timer = PeriodicCallback(
                self.refresh_hub, self.config.hub_refresh_seconds * 1000
            )
            self._hub_timer.start()

    def _hub_period(self, record: HubRecord) -> float:
        """Seconds between two reads of the hub record: more often only where it
        moves the cull window, with a culler configured and a token that reads this
        server's last activity (on a hub of 1,000 servers, every 60 s is ~17 calls a
        second to the hub; most tokens do not read it anyway)."""
        period = self.config.hub_refresh_seconds
        if self.config.cull_timeout and record.last_activity is not None:
            period = min(period, self.config.hub_activity_refresh_seconds)
        return period

    def _request_seen(self, request: HTTPServerRequest) -> OutputTransform:
        self.last_request = utcnow()
        return OutputTransform(request)

    def stop(self) -> None:
        for timer in (self._hub_timer, self._keepalive_timer):
            if timer is not None:
                timer.stop()

    async def refresh_hub(self) -> None:
        if self.hub is None:
            return
        record = await self.hub.fetch_record()
        if not record.fetched:
            self.log.warning(
                "Cloudscapes could not read this server's hub record: %s", record.error
            )
        self.hub_record = record
        period_ms = self._hub_period(record) * 1000
        timer = self._hub_timer
        if timer is not None and timer.is_running() and timer.callback_time != period_ms:
            # the next read is already scheduled at the old period: schedule anew
            timer.stop()
            timer.callback_time = period_ms
            timer.start()

    # ---- resources ------------------------------------------------------------

    def _measure(self) -> dict[str, Any]:
        """Blocking part (psutil, statfs, cgroup files): runs in an executor."""
        now = time.monotonic()
        if now - self._limits_at > LIMITS_TTL:
            self._mem_limit = memory_limit()
            self._cpu_limit = cpu_limit()
            self._limits_at = now
        rss, cpu = self._sampler.sample()
        path = self.config.disk_path
        try:
            disk_used, disk_total = disk_usage(path)
        except OSError:
            disk_used, disk_total = 0, 0
        return {
            "memory": {
                "used": rss,
                "limit": int(self._mem_limit.value),
                "source": self._mem_limit.source,
            },
            "cpu": {
                "percent": round(cpu, 1),
                "limit": round(self._cpu_limit.value, 2),
                "source": self._cpu_limit.source,
            },
            "disk": {"path": path, "used": disk_used, "total": disk_total},
        }

    async def resources(self) -> dict[str, Any]:
        """A measurement at most ``sample_ttl`` old; concurrent callers share one."""
        if (
            self._resources is not None
            and time.monotonic() - self._resources_at < self.config.sample_ttl
        ):
            return self._resources
        if self._inflight is None:
            loop = asyncio.get_running_loop()
            self._inflight = asyncio.ensure_future(loop.run_in_executor(None, self._measure))
            try:
                self._resources = await self._inflight
                self._resources_at = time.monotonic()
            finally:
                self._inflight = None
            return self._resources
        return await asyncio.shield(self._inflight)

    # ---- profile and cost -------------------------------------------------------

    def profile(self) -> dict[str, Any]:
        slug, source = None, "none"
        if self.config.profile_from_hub and self.hub_record.profile:
            slug, source = self.hub_record.profile, "hub"
        elif self.config.profile_env and os.environ.get(self.config.profile_env):
            slug, source = os.environ[self.config.profile_env], "env"
        elif self.config.default_profile:
            slug, source = self.config.default_profile, "config"
        entry = self.config.price_table.get(slug, {}) if slug else {}
        return {
            "name": slug,
            "display_name": entry.get("display_name") or slug,
            "source": source,
            "priced": "rate_per_hour" in entry,
        }

    def started(self) -> tuple[datetime, str]:
        if self.hub_record.started is not None:
            return self.hub_record.started, "hub"
        return self.web_app.settings["started"], "server"

    async def extras(self) -> list[dict[str, Any]]:
        """What other features report running at a cost; a failing one is left out."""
        results = await asyncio.gather(*(f() for f in self.extra_rates), return_exceptions=True)
        extras = []
        for result in results:
            if isinstance(result, BaseException):
                self.log.debug("Cloudscapes: a cost source failed: %r", result)
            elif result["count"]:
                extras.append(result)
        return extras

    def cost(
        self, profile: dict[str, Any], now: datetime, extras: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        started, source = self.started()
        entry = self.config.price_table.get(profile["name"] or "", {})
        rate = entry.get("rate_per_hour")
        accrued = None
        if rate is not None:
            rate = float(rate)
            accrued = round(rate * max(0.0, (now - started).total_seconds()) / 3600.0, 4)
        extras = extras or []
        total = None
        if rate is not None:
            known = [e["rate_per_hour"] for e in extras if e["rate_per_hour"] is not None]
            total = round(rate + sum(known), 4)
        return {
            "currency": self.config.currency,
            "rate_per_hour": rate,
            "accrued": accrued,
            "since": isoformat(started),
            "since_source": source,
            "extras": extras,
            "total_rate_per_hour": total,
        }

    # ---- activity and culling ---------------------------------------------------

    def cull_settings(self) -> tuple[int | None, int, int]:
        """(timeout, period, reporting lag) of whatever will stop this server when idle."""
        if self.config.cull_timeout:
            lag = int(self.config.activity_interval * 1.1) if self.hub is not None else 0
            return self.config.cull_timeout, self.config.cull_every, lag
        if self.hub is None and getattr(self.serverapp, "shutdown_no_activity_timeout", 0) > 0:
            # jupyter_server's own idle shutdown checks every 60 s.
            return self.serverapp.shutdown_no_activity_timeout, 60, 0
        return None, 0, 0

    def proxy_interval(self) -> int | None:
        """The hub's ``last_activity_interval`` when it counts proxy traffic, else None."""
        interval = self.config.hub_last_activity_interval
        return interval if self.hub is not None and interval > 0 else None

    def activity_sources(self) -> list[tuple[str, datetime, int]]:
        """(source, time, reporting lag in seconds) of every activity the culler sees.

        - ``server``: this server's own activity, which jupyterhub-singleuser reports
          every ``activity_interval`` (the lag);
        - ``hub``: the hub's last record of it, read with the server's token;
        - ``proxy``: the last request through the hub's proxy, when the hub adopts the
          proxy's traffic (``last_activity_interval`` > 0): then an open tab that
          polls keeps the server alive.
        """
        _, _, lag = self.cull_settings()
        sources = [("server", self.web_app.last_activity(), lag)]
        if self.hub is not None and self.hub_record.last_activity is not None:
            sources.append(("hub", self.hub_record.last_activity, 0))
        if self.proxy_interval() is not None and self.last_request is not None:
            sources.append(("proxy", self.last_request, 0))
        return sources

    def activity(self, now: datetime) -> dict[str, Any]:
        last = self.web_app.last_activity()
        timeout, period, _ = self.cull_settings()
        window = None
        if timeout:
            # The culler acts on the hub's view of the last activity: the newest of what
            # it was told, at most each source's reporting lag behind; it acts on its
            # next check after the timeout has passed.
            sources = self.activity_sources()
            source, basis, _ = max(sources, key=lambda s: s[1])
            opens = max(t - timedelta(seconds=d) for _, t, d in sources)
            window = {
                "earliest": isoformat(opens + timedelta(seconds=timeout)),
                "latest": isoformat(basis + timedelta(seconds=timeout + period)),
                "counted_from": isoformat(basis),
                "source": source,
            }
        max_age_at = None
        if self.config.cull_max_age:
            started, _ = self.started()
            max_age_at = isoformat(started + timedelta(seconds=self.config.cull_max_age))
        until = (
            self.keepalive_until if self.keepalive_until and self.keepalive_until > now else None
        )
        return {
            "last_activity": isoformat(last),
            "idle_seconds": max(0.0, round((now - last).total_seconds(), 1)),
            "cull_timeout_seconds": timeout,
            "cull_window": window,
            "hub_last_activity": isoformat(
                self.hub_record.last_activity if self.hub is not None else None
            ),
            "proxy_activity_interval": self.proxy_interval(),
            "max_age_at": max_age_at,
            "keepalive_until": isoformat(until),
            "keepalive_max_minutes": self.config.keepalive_max_minutes,
        }

    def hub_model(self) -> dict[str, Any]:
        if self.hub is None:
            return {
                "present": False,
                "can_stop": self.config.allow_stop,
                "home_url": None,
                "stop_scope": None,
            }
        allowed = self.hub_record.allows("delete:servers", self.hub.user, self.hub.server_name)
        return {
            "present": True,
            # Unknown scopes (the hub record could not be read): let the user try; the
            # hub's 403 then explains what is missing.
            "can_stop": self.config.allow_stop and allowed is not False,
            "home_url": self.hub.home_url,
            "stop_scope": STOP_SCOPE,
        }

    async def snapshot(self) -> dict[str, Any]:
        resources = await self.resources()
        now = utcnow()
        profile = self.profile()
        return {
            "time": isoformat(now),
            **resources,
            "profile": profile,
            "cost": self.cost(profile, now, await self.extras()),
            "activity": self.activity(now),
            "hub": self.hub_model(),
            "thresholds": {
                "memory": self.config.memory_warning,
                "disk": self.config.disk_warning,
            },
        }

    # ---- keep-alive ---------------------------------------------------------------

    def _touch(self) -> None:
        now = utcnow()
        if self.keepalive_until is None or now >= self.keepalive_until:
            self.end_keepalive()
            return
        self.web_app.settings["last_activity_times"][KEEPALIVE_KEY] = now

    def keepalive(self, minutes: int) -> datetime:
        self.keepalive_until = utcnow() + timedelta(minutes=minutes)
        self.web_app.settings["last_activity_times"][KEEPALIVE_KEY] = utcnow()
        if self._keepalive_timer is None:
            self._keepalive_timer = PeriodicCallback(
                self._touch, self.config.keepalive_refresh_seconds * 1000
            )
            self._keepalive_timer.start()
        return self.keepalive_until

    def end_keepalive(self) -> None:
        self.keepalive_until = None
        if self._keepalive_timer is not None:
            self._keepalive_timer.stop()
            self._keepalive_timer = None

    # ---- stop -----------------------------------------------------------------------

    async def accept_stop(self) -> tuple[int, dict[str, Any]]:
        """Check what can be checked, and the answer to give before stopping.

        Under a hub the stop cannot be answered after the fact: the hub removes this
        server's proxy route and interrupts it before its DELETE returns, so the browser
        would get the proxy's 503. So the token's scopes are read first (a 403 naming
        the scope), the browser gets 202 "stopping", and :meth:`stop_after_answer`
        asks the hub once the answer has left. Outside a hub: 200 "shutting_down".
        """
        if self.hub is None:
            self.stop_state = {"status": "shutting_down", "error": None}
            return 200, {"status": "shutting_down", "redirect": None}
        if self._stop_is_stale():
            self.stop_state = {"status": "running", "error": None}
        if self.stop_state["status"] not in ("stopping", "stopped"):
            await self.hub.check_stop_allowed()
        return 202, {"status": "stopping", "redirect": self.hub.home_url}

    def _stop_is_stale(self) -> bool:
        """A stop the hub accepted (202, or the DELETE's connection dropped) long ago,
        while this server still runs: the hub's slow stop failed."""
        return (
            self.stop_state["status"] in ("stopping", "stopped")
            and time.monotonic() - self._stop_asked > STALE_STOP
        )

    def stop_after_answer(self) -> None:
        """Stop, a moment after the answer of :meth:`accept_stop` has been sent."""
        loop = asyncio.get_running_loop()
        if self.hub is None:
            # like `jupyter server stop`: kernels and the server shut down cleanly
            loop.call_later(STOP_DELAY, self.serverapp.stop)
            return
        if self.stop_state["status"] in ("stopping", "stopped"):
            return  # asked already; the hub answers a repeated DELETE 202 anyway
        self.stop_state = {"status": "stopping", "error": None}
        self._stop_asked = time.monotonic()
        loop.call_later(
            STOP_DELAY, lambda: setattr(self, "_stop_task", asyncio.ensure_future(self._ask_hub()))
        )

    async def _ask_hub(self) -> None:
        assert self.hub is not None
        try:
            status = await self.hub.stop_server()
        except CloudscapesError as exc:
            self.log.warning("Cloudscapes: the hub did not stop this server: %s", exc.message)
            self.stop_state = {"status": "failed", "error": exc.to_json()["error"]}
            return
        self.stop_state = {"status": status, "error": None}
