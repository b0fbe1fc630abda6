"""Admin configuration of the usage indicator: ``c.CloudscapesUsage.<trait>``."""

from __future__ import annotations

import os

from traitlets import Bool, Dict, Float, Integer, Unicode, default, validate
from traitlets.config import LoggingConfigurable


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


class CloudscapesUsage(LoggingConfigurable):
    """What the usage indicator shows: cost, resources, idle culling, stop."""

    price_table = Dict(
        default_value={},
        help="""Profiles and their prices, by profile slug:
        {"small": {"display_name": "Small: 2 CPU, 8 GB", "rate_per_hour": 0.10}}.
        The slug is the KubeSpawner profile slug (user_options.profile), the value of
        the environment variable named by profile_env, or default_profile.""",
    ).tag(config=True)

    currency = Unicode("USD", help="ISO 4217 currency code of the prices.").tag(config=True)

    default_profile = Unicode(
        "",
        help="Profile slug used when neither the hub nor profile_env names one.",
    ).tag(config=True)

    profile_env = Unicode(
        "CLOUDSCAPES_PROFILE",
        help="Environment variable that carries the profile slug (set it through the "
        "profile's kubespawner_override environment, for example).",
    ).tag(config=True)

    profile_from_hub = Bool(
        True,
        help="Under JupyterHub, read the profile slug from the server's "
        "user_options.profile (needs the read:servers!server scope on the server token).",
    ).tag(config=True)

    cull_timeout = Integer(
        None,
        allow_none=True,
        help="The idle culler's --timeout in seconds. Default: $CLOUDSCAPES_CULL_TIMEOUT, "
        "else ServerApp.shutdown_no_activity_timeout outside a hub, else none (the "
        "indicator then says no culler is known).",
    ).tag(config=True)

    @default("cull_timeout")
    def _default_cull_timeout(self) -> int | None:
        return _env_int("CLOUDSCAPES_CULL_TIMEOUT")

    cull_every = Integer(
        help="The idle culler's --cull-every period in seconds. "
        "Default: $CLOUDSCAPES_CULL_EVERY, else 600 (Zero to JupyterHub).",
    ).tag(config=True)

    @default("cull_every")
    def _default_cull_every(self) -> int:
        value = _env_int("CLOUDSCAPES_CULL_EVERY")
        return 600 if value is None else value

    cull_max_age = Integer(
        help="The idle culler's --max-age in seconds (0: none). "
        "Default: $CLOUDSCAPES_CULL_MAX_AGE, else 0.",
    ).tag(config=True)

    @default("cull_max_age")
    def _default_cull_max_age(self) -> int:
        return _env_int("CLOUDSCAPES_CULL_MAX_AGE") or 0

    activity_interval = Integer(
        help="How often jupyterhub-singleuser reports activity to the hub, in seconds. "
        "Default: $JUPYTERHUB_ACTIVITY_INTERVAL, else 300.",
    ).tag(config=True)

    @default("activity_interval")
    def _default_activity_interval(self) -> int:
        value = _env_int("JUPYTERHUB_ACTIVITY_INTERVAL")
        return 300 if value is None else value

    hub_last_activity_interval = Integer(
        help="The hub's c.JupyterHub.last_activity_interval in seconds: how often the hub "
        "adopts the proxy's record of traffic as activity. While it is above 0, every "
        "request through the proxy (an open tab's polls too) keeps the server alive, and "
        "the cull window counts from the last request; 0 means only the server's own "
        "activity counts. The server cannot read the hub's setting, so keep this in step. "
        "Default: $CLOUDSCAPES_LAST_ACTIVITY_INTERVAL, else 300 (JupyterHub's default).",
    ).tag(config=True)

    @default("hub_last_activity_interval")
    def _default_hub_last_activity_interval(self) -> int:
        value = _env_int("CLOUDSCAPES_LAST_ACTIVITY_INTERVAL")
        return 300 if value is None else value

    disk_path = Unicode(
        "",
        help="Path whose file system the disk bar measures. Default: the user's home.",
    ).tag(config=True)

    @default("disk_path")
    def _default_disk_path(self) -> str:
        return os.path.expanduser("~")

    memory_warning = Float(0.9, help="Fraction of the memory limit at which users are warned.").tag(
        config=True
    )
    disk_warning = Float(0.9, help="Fraction of the disk at which users are warned.").tag(
        config=True
    )

    @validate("memory_warning", "disk_warning")
    def _validate_fraction(self, proposal):  # type: ignore[no-untyped-def]
        value = proposal["value"]
        if not 0 < value <= 1:
            raise ValueError(f"{proposal['trait'].name} must be in (0, 1], not {value}")
        return value

    keepalive_max_minutes = Integer(
        240, help="Longest keep-alive a user may ask for, in minutes (0 disables keep-alive)."
    ).tag(config=True)

    keepalive_refresh_seconds = Float(
        60.0, help="How often an active keep-alive records activity, in seconds."
    ).tag(config=True)

    allow_stop = Bool(
        True, help="Offer 'Stop my server' (under a hub it also needs the hub's scope)."
    ).tag(config=True)

    sample_ttl = Float(
        1.0,
        help="Seconds a resource measurement is reused by concurrent pollers before it is "
        "taken again.",
    ).tag(config=True)

    hub_refresh_seconds = Float(
        300.0, help="How often the server's hub record (started, profile) is re-read."
    ).tag(config=True)

    hub_activity_refresh_seconds = Float(
        60.0,
        help="How often the hub's view of this server's last activity (which the idle "
        "culler uses) is re-read for the cull window, in seconds: only with a culler "
        "configured and a token with read:servers!server, else every hub_refresh_seconds.",
    ).tag(config=True)

    hub_timeout = Float(10.0, help="Timeout of each call to the hub API, in seconds.").tag(
        config=True
    )
