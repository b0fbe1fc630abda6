"""The configuration of a real local JupyterHub, as an admin of a cloud hub would write it.

:class:`HubSettings` holds what the tests vary (server token scopes, the culler's
timeouts, ``last_activity_interval``, the Cloudscapes config of the single-user servers);
:func:`hub_config` turns it into the ``c.<Class>.<trait>`` values of a
``jupyterhub_config.py`` (rendered by :func:`render`), so that ``docs/hub-install.md``'s
snippets can be checked against the very values the tests run with.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: What "Stop my server" and the usage panel's start time and profile need on the server
#: token, besides the two scopes of JupyterHub's default ``server`` role.
DEFAULT_SERVER_SCOPES = ["users:activity!user", "access:servers!server"]
CLOUDSCAPES_SERVER_SCOPES = [
    *DEFAULT_SERVER_SCOPES,
    "read:servers!server",
    "delete:servers!server",
]
#: jupyterhub-idle-culler's needs (its README), as Zero to JupyterHub grants them.
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
#: The tests' own service: starts, stops and reads servers, and makes user tokens.
TESTS_SCOPES = [
    "admin:users",
    "admin:servers",
    "list:users",
    "read:users",
    "read:users:activity",
    "read:servers",
    "tokens",
]
#: The variable every process of one hub carries, so that its cleanup finds them all.
MARKER = "CLOUDSCAPES_REALHUB"


@dataclass
class HubSettings:
    """What a test hub looks like. Defaults: two users, a culler an hour out, the
    default server token for everyone, and the hub not merging the proxy's activity."""

    users: tuple[str, ...] = ("alice", "bob")
    password: str = "cloudscapes-test-password"
    #: per user: the scopes of ``c.Spawner.server_token_scopes`` (absent or empty: the
    #: hub's default ``server`` role)
    server_token_scopes: dict[str, list[str]] = field(default_factory=dict)
    #: ``c.JupyterHub.last_activity_interval``: 0 leaves the proxy's traffic out of
    #: ``last_activity`` (only the servers' own reports count); 300 is JupyterHub's default
    last_activity_interval: int = 0
    #: jupyterhub-singleuser's ``JUPYTERHUB_ACTIVITY_INTERVAL``
    activity_interval: int = 10
    cull_timeout: int = 3600
    cull_every: int = 600
    #: ``c.CloudscapesUsage`` etc. of the single-user servers (written as JSON config)
    cloudscapes: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: more variables of the single-user servers
    environment: dict[str, str] = field(default_factory=dict)
    #: ``c.JupyterHub.base_url`` (through ``bind_url``): a hub served under a prefix
    base_url: str = "/"


#: The Cloudscapes config a hub admin ships (docs/hub-install.md): prices and profiles.
PRICES: dict[str, Any] = {
    "currency": "USD",
    "default_profile": "small",
    "price_table": {
        "small": {"display_name": "Small: 2 CPU, 8 GB", "rate_per_hour": 0.10},
        "large": {"display_name": "Large: 8 CPU, 32 GB", "rate_per_hour": 0.40},
    },
}


def culler_command(settings: HubSettings) -> list[str]:
    """The culler as Zero to JupyterHub runs it (``cull.timeout``, ``cull.every``)."""
    return [
        sys.executable,
        "-m",
        "jupyterhub_idle_culler",
        f"--timeout={settings.cull_timeout}",
        f"--cull-every={settings.cull_every}",
    ]


def server_environment(settings: HubSettings, marker: str) -> dict[str, str]:
    """What the single-user servers get besides the hub's own variables: the culler's
    and the hub's activity settings for the usage panel (``singleuser.extraEnv`` in Zero
    to JupyterHub)."""
    return {
        "JUPYTERHUB_ACTIVITY_INTERVAL": str(settings.activity_interval),
        "CLOUDSCAPES_CULL_TIMEOUT": str(settings.cull_timeout),
        "CLOUDSCAPES_CULL_EVERY": str(settings.cull_every),
        # whether the hub counts the proxy's traffic (c.JupyterHub.last_activity_interval)
        "CLOUDSCAPES_LAST_ACTIVITY_INTERVAL": str(settings.last_activity_interval),
        "CLOUDSCAPES_IN_REGION": "false",
        MARKER: marker,
        **settings.environment,
    }


def cloudscapes_config(settings: HubSettings, closed_url: str) -> dict[str, dict[str, Any]]:
    """``jupyter_server_config.d/cloudscapes-hub.json`` of the single-user servers: the
    admin's prices, and every NASA service at a port that refuses connections."""
    config: dict[str, dict[str, Any]] = {
        "CloudscapesUsage": dict(PRICES),
        "CloudscapesEarthdata": {
            "environments": {"test": closed_url},
            "default_environment": "test",
            "daacs": {"nsidc": f"{closed_url}/nsidc/s3credentials"},
            "imds_url": closed_url,
            "s3_endpoint_url": closed_url,
        },
        "CloudscapesData": {
            "cmr_url": f"{closed_url}/search/",
            "s3_endpoint_url": closed_url,
            "scratch_bucket": "",
            "persistent_bucket": "",
        },
        "CloudscapesDask": {"gateway_address": ""},
    }
    for section, values in settings.cloudscapes.items():
        config.setdefault(section, {}).update(values)
    return config


def hub_config(
    settings: HubSettings,
    *,
    root: Path,
    ports: dict[str, int],
    proxy: str,
    proxy_token: str,
    tests_token: str,
    marker: str,
) -> dict[str, dict[str, Any]]:
    """The hub's ``c.<Class>.<trait>`` values (section -> trait -> value)."""
    singleuser = Path(sys.executable).with_name("jupyterhub-singleuser")
    args = ["--allow-root"] if _is_root() else []
    return {
        "JupyterHub": {
            "bind_url": f"http://127.0.0.1:{ports['public']}{settings.base_url}",
            "hub_bind_url": f"http://127.0.0.1:{ports['hub']}",
            "db_url": f"sqlite:///{root / 'jupyterhub.sqlite'}",
            "cookie_secret_file": str(root / "jupyterhub_cookie_secret"),
            "pid_file": str(root / "jupyterhub.pid"),
            "authenticator_class": "dummy",
            "spawner_class": "simple",
            "last_activity_interval": settings.last_activity_interval,
            "services": [
                {
                    "name": "idle-culler",
                    "command": culler_command(settings),
                    "environment": {MARKER: marker},
                },
                {"name": "cloudscapes-tests", "api_token": tests_token},
            ],
            "load_roles": [
                {"name": "idle-culler-role", "services": ["idle-culler"], "scopes": CULLER_SCOPES},
                {
                    "name": "cloudscapes-tests-role",
                    "services": ["cloudscapes-tests"],
                    "scopes": TESTS_SCOPES,
                },
            ],
        },
        "ConfigurableHTTPProxy": {
            "command": [proxy],
            "api_url": f"http://127.0.0.1:{ports['proxy_api']}",
            "auth_token": proxy_token,
            "pid_file": str(root / "proxy.pid"),
        },
        "DummyAuthenticator": {"password": settings.password},
        "Authenticator": {"allowed_users": set(settings.users)},
        "SimpleLocalProcessSpawner": {"home_dir_template": str(root / "home" / "{username}")},
        "Spawner": {
            "cmd": [str(singleuser)],
            "args": args,
            "default_url": "/lab",
            "environment": {
                **server_environment(settings, marker),
                # the admin's Cloudscapes config, as extraFiles mounts it under /etc/jupyter
                "JUPYTER_CONFIG_PATH": str(root / "etc-jupyter"),
            },
            "start_timeout": 120,
            "http_timeout": 120,
        },
    }


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def render(config: dict[str, dict[str, Any]], settings: HubSettings) -> str:
    """A ``jupyterhub_config.py`` that sets ``config``, plus the per-user server token
    scopes (a callable: ``c.Spawner.server_token_scopes`` takes one)."""
    lines = [
        "# Written by cloudscapes.testing.realhub: a throw-away local hub.",
        "c = get_config()",
    ]
    for section, traits in config.items():
        for name, value in traits.items():
            lines.append(f"c.{section}.{name} = {value!r}")
    scopes = json.dumps(settings.server_token_scopes, sort_keys=True)
    lines.append(f"_SCOPES = {scopes}")
    # An empty list: the hub's default `server` role.
    lines.append(
        "c.Spawner.server_token_scopes = lambda spawner: _SCOPES.get(spawner.user.name, [])"
    )
    return "\n".join(lines) + "\n"
