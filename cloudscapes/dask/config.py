"""``c.CloudscapesDask``: which backends users get, how big local clusters may be,
where Dask Gateway is, and what clusters cost."""

from __future__ import annotations

import os

from traitlets import Bool, Dict, Float, Integer, Unicode, default, validate
from traitlets.config import LoggingConfigurable


def _gateway_setting(key: str) -> str:
    """A ``gateway.*`` value of the Dask config (which reads ``DASK_GATEWAY__*``)."""
    try:
        import dask.config

        value = dask.config.get(f"gateway.{key}", default=None)
    except Exception:  # dask missing or its config unreadable: no gateway
        value = None
    return value or os.environ.get(f"DASK_GATEWAY__{key.upper().replace('-', '_')}", "") or ""


class CloudscapesDask(LoggingConfigurable):
    """Dask clusters: the local backend (LocalCluster inside this Jupyter server) and
    Dask Gateway."""

    local_enabled = Bool(
        True,
        help="Offer LocalCluster clusters that run inside this Jupyter server (closed "
        "when the server stops).",
    ).tag(config=True)

    freeze_heap = Bool(
        True,
        help="When the first local cluster starts, collect garbage once and then freeze "
        "the server's heap (gc.freeze()): a cluster start allocates so much on the "
        "server's event loop that Python's full collections fall there, and each walked "
        "every live object (some 280,000), stalling every request for 90 ms or more. "
        "Frozen objects are never collected again (cycles among them that become garbage "
        "later stay), for every extension in the server: turn it off if that matters "
        "more than the stalls.",
    ).tag(config=True)

    local_max_clusters = Integer(
        5, help="How many local clusters may run at once (they share this server)."
    ).tag(config=True)

    local_max_workers = Integer(
        None,
        allow_none=True,
        help="Most workers of one local cluster. Default: from the server's CPU limit "
        "(CPU_LIMIT, the cgroup, or the host) divided by the threads per worker.",
    ).tag(config=True)

    local_memory_fraction = Float(
        0.8,
        help="Share of the server's memory limit (MEM_LIMIT, the cgroup, or the host) "
        "that the workers of all local clusters together may be given.",
    ).tag(config=True)

    local_idle_timeout = Integer(
        1800,
        help="Seconds after which a local cluster that has run no task shuts itself down "
        "(0: never). Connected notebooks do not count as work (Dask's idle timeout).",
    ).tag(config=True)

    local_dashboard_host = Unicode(
        "127.0.0.1",
        help="Interface local dashboards listen on (the browser reaches them through the "
        "server's proxy route, so loopback is enough).",
    ).tag(config=True)

    gateway_address = Unicode(
        help="Dask Gateway's address. Default: the Dask config gateway.address "
        "($DASK_GATEWAY__ADDRESS, as hubs set it); empty: no gateway backend.",
    ).tag(config=True)

    @default("gateway_address")
    def _default_gateway_address(self) -> str:
        return _gateway_setting("address")

    gateway_proxy_address = Unicode(
        help="Dask Gateway's scheduler proxy address. Default: gateway.proxy-address "
        "($DASK_GATEWAY__PROXY_ADDRESS), else the gateway's address.",
    ).tag(config=True)

    @default("gateway_proxy_address")
    def _default_gateway_proxy_address(self) -> str:
        return _gateway_setting("proxy-address")

    gateway_public_address = Unicode(
        help="Dask Gateway's address as the browser reaches it (dashboard links). "
        "Default: gateway.public-address ($DASK_GATEWAY__PUBLIC_ADDRESS), else the "
        "gateway's address.",
    ).tag(config=True)

    @default("gateway_public_address")
    def _default_gateway_public_address(self) -> str:
        return _gateway_setting("public-address")

    gateway_auth = Unicode(
        help="How this server authenticates to Dask Gateway: jupyterhub, basic, kerberos "
        "or an import path. Default: gateway.auth.type ($DASK_GATEWAY__AUTH__TYPE).",
    ).tag(config=True)

    @default("gateway_auth")
    def _default_gateway_auth(self) -> str:
        return _gateway_setting("auth.type")

    gateway_auth_kwargs = Dict(
        default_value={},
        help="Keyword arguments of the gateway authenticator (for basic: username and "
        "password). Never sent to the browser or written into notebooks.",
    ).tag(config=True)

    gateway_timeout = Float(10.0, help="Timeout of one Dask Gateway request, seconds.").tag(
        config=True
    )

    gateway_start_timeout = Float(
        300.0, help="How long a new gateway cluster may take to start, seconds."
    ).tag(config=True)

    gateway_stop_with_server = Bool(
        True,
        help="Shut the gateway clusters started from this server's Dask panel down when "
        "this Jupyter server stops (stopped, culled or restarted), so that none keeps "
        "costing without a server. Clusters started from notebooks are left to the "
        "gateway's idle timeout (another server of the same user may be using them).",
    ).tag(config=True)

    workers_timeout = Float(
        120.0,
        help="How long a new cluster's first workers may take to join before its start "
        "fails (and the cluster is shut down again), seconds. Raise it where gateway "
        "workers wait for new cloud machines.",
    ).tag(config=True)

    gateway_max_workers = Integer(
        None,
        allow_none=True,
        help="Most workers one gateway cluster may be scaled to (the gateway's own "
        "cluster_max_workers still applies).",
    ).tag(config=True)

    gateway_idle_timeout = Integer(
        None,
        allow_none=True,
        help="The gateway's ClusterConfig.idle_timeout in seconds, shown on cluster cards "
        "(the gateway does not report it; 2i2c hubs use 1800).",
    ).tag(config=True)

    gateway_worker_cores = Float(
        1.0,
        help="Cores of one gateway worker when the cluster's options do not say "
        "(the gateway's ClusterConfig.worker_cores).",
    ).tag(config=True)

    gateway_worker_memory = Float(
        2.0,
        help="Memory of one gateway worker in GiB when the cluster's options do not say "
        "(the gateway's ClusterConfig.worker_memory).",
    ).tag(config=True)

    price_table = Dict(
        default_value={},
        help="""What gateway clusters cost, per hour:
        {"worker_core_hour": 0.04, "worker_gib_hour": 0.005, "scheduler_hour": 0.05}.
        A cluster's cost per hour is workers x (cores x worker_core_hour + GiB x
        worker_gib_hour) + scheduler_hour. Empty: cost not shown. Local clusters cost
        nothing extra (they run inside the server, whose rate already counts).""",
    ).tag(config=True)

    @validate("price_table")
    def _check_price_table(self, proposal: dict) -> dict:
        table = proposal["value"]
        allowed = {"worker_core_hour", "worker_gib_hour", "scheduler_hour"}
        for key, value in table.items():
            if key not in allowed:
                raise ValueError(f"price_table: unknown key {key!r} (use {sorted(allowed)})")
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"price_table: {key} must be a number >= 0")
        return table

    currency = Unicode(
        "",
        help="ISO 4217 currency of price_table. Default: CloudscapesUsage.currency.",
    ).tag(config=True)

    list_cache_seconds = Float(
        1.0,
        help="How long one listing of the gateway's clusters (and their workers) is "
        "reused, seconds, so that many open tabs cost the gateway one request.",
    ).tag(config=True)
