"""Fixtures: a real jupyter_server with Cloudscapes, auth required, every answer checked
against the REST contract in ``schema/``."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
from tornado.httpclient import HTTPResponse

from cloudscapes.testing import earthdata as earthdata_standin
from cloudscapes.testing import free_port
from cloudscapes.testing import hub as hub_standin
from cloudscapes.testing.datasets import DEMO_PUBLIC_BUCKET

from .contract import Contract

pytest_plugins = ["pytest_jupyter.jupyter_server"]

CONTRACT = Contract()
#: (method, schema path, status) of every answer the tests saw, for coverage checks.
SEEN: set[tuple[str, str, int]] = set()

#: keys under ``many/`` in the public demo bucket (``make demo`` seeds 100,000)
MANY_KEYS = 5000

PRICES = {
    "small": {"display_name": "Small: 2 CPU, 8 GB", "rate_per_hour": 0.12},
    "large": {"display_name": "Large: 8 CPU, 32 GB", "rate_per_hour": 0.96},
}


@pytest.fixture
def usage_config() -> dict[str, Any]:
    """Per-test additions to ``c.CloudscapesUsage`` (override with parametrize)."""
    return {}


@pytest.fixture
def server_env() -> dict[str, str]:
    """Environment variables set before the server starts (override with parametrize)."""
    return {}


@pytest.fixture(scope="session")
def moto_s3():
    """One moto S3 server per test run (moto's settings are process-wide); it only
    accepts keys it issued."""
    from cloudscapes.testing.datasets import seed_demo_data
    from cloudscapes.testing.s3 import MotoS3

    with MotoS3() as s3:
        for key, body in earthdata_standin.DEMO_OBJECTS.items():
            s3.seed(earthdata_standin.DEMO_BUCKET, key, body)
        # the demo granules, the public bucket (NetCDF, GeoTIFF) and a 5,000-key prefix
        seed_demo_data(s3, many=MANY_KEYS)
        yield s3


@pytest.fixture(scope="module")
def standin_loop():
    """An event loop in a thread, serving the stand-ins of a stand-in test module."""
    from .standin_client import LoopThread

    loop = LoopThread()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def signing_key():
    """The RS256 key of a stand-in test module's EDL."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def edl_signing_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def earthdata_state(moto_s3, edl_signing_key):
    """The demo account and DAACs (nsidc with its bucket, podaac refusing for the EULA,
    ornl forbidden) in fresh EDL/DAAC/IMDS stand-ins."""
    state = earthdata_standin.demo_state()
    state.signing_key = edl_signing_key
    state.s3 = moto_s3
    return state


@pytest.fixture
def earthdata_config() -> dict[str, Any]:
    """Per-test additions to ``c.CloudscapesEarthdata`` (override with parametrize)."""
    return {}


@pytest.fixture
def data_config() -> dict[str, Any]:
    """Per-test additions to ``c.CloudscapesData`` (override with parametrize)."""
    return {}


@pytest.fixture
def dask_config() -> dict[str, Any]:
    """Per-test additions to ``c.CloudscapesDask`` (override with parametrize)."""
    return {}


@pytest.fixture(scope="session")
def dask_gateway():
    """One real dask-gateway-server (local backend) for the tests that ask for it."""
    from cloudscapes.testing.gateway import running_gateway

    with running_gateway() as gateway:
        yield gateway


@pytest.fixture
def earthdata(earthdata_state, io_loop, monkeypatch, tmp_path):
    """The stand-ins running on the server's loop, and the user's files in tmp_path."""
    standins = earthdata_standin.EarthdataStandIns(earthdata_state)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("NETRC", str(home / ".netrc"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / ".aws" / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in (
        "EARTHDATA_TOKEN",
        "EARTHDATA_USERNAME",
        "EARTHDATA_PASSWORD",
        "CLOUDSCAPES_IN_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    yield standins
    standins.stop()


@pytest.fixture
def jp_server_config(
    usage_config: dict[str, Any],
    earthdata_config: dict[str, Any],
    data_config: dict[str, Any],
    dask_config: dict[str, Any],
    server_env: dict[str, str],
    hub_env,
    earthdata,
    moto_s3,
    monkeypatch,
    tmp_path,
) -> dict[str, Any]:
    for name, value in server_env.items():
        monkeypatch.setenv(name, value)
    return {
        "ServerApp": {
            "jpserver_extensions": {"cloudscapes": True},
            "allow_unauthenticated_access": False,
        },
        "CloudscapesUsage": {
            "price_table": PRICES,
            "default_profile": "small",
            "disk_path": str(tmp_path),
            **usage_config,
        },
        # Every test server talks to the local stand-ins only, never to NASA.
        "CloudscapesEarthdata": {
            "environments": {"test": earthdata.edl_url},
            "default_environment": "test",
            "daacs": {d: earthdata.daac_url(d) for d in ("nsidc", "podaac", "ornl")},
            "imds_url": earthdata.imds_url,
            "s3_endpoint_url": moto_s3.endpoint_url,
            "state_path": str(
                tmp_path / "home" / ".local" / "share" / "cloudscapes" / "earthdata.json"
            ),
            **earthdata_config,
        },
        "CloudscapesData": {
            **earthdata_standin.data_server_config(
                {
                    "cmr_url": earthdata.cmr_url,
                    "s3_endpoint_url": moto_s3.endpoint_url,
                    "public_bucket": DEMO_PUBLIC_BUCKET,
                    "data_url": earthdata.data_url,
                }
            ),
            "scratch_bucket": "",
            "persistent_bucket": "",
            **data_config,
        },
        "CloudscapesDask": {**dask_config},
    }


@pytest.fixture(autouse=True)
def _no_hub_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start outside a hub unless they ask for one."""
    for name in (
        "JUPYTERHUB_API_URL",
        "JUPYTERHUB_API_TOKEN",
        "JUPYTERHUB_USER",
        "JUPYTERHUB_SERVER_NAME",
        "JUPYTERHUB_BASE_URL",
        "JUPYTERHUB_ACTIVITY_INTERVAL",
        "MEM_LIMIT",
        "CPU_LIMIT",
        "CLOUDSCAPES_PROFILE",
        "CLOUDSCAPES_CULL_TIMEOUT",
        "CLOUDSCAPES_CULL_EVERY",
        "CLOUDSCAPES_CULL_MAX_AGE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def hub_state() -> hub_standin.HubState:
    return hub_standin.HubState()


@pytest.fixture
def hub_env(request, hub_state, io_loop, monkeypatch):
    """Put the server under the hub API stand-in when the test is marked
    ``@pytest.mark.hub(user=..., name=..., scopes=[...], **server)``: the stand-in gets
    the server and its token, and the variables a spawner sets are set before the
    Jupyter server starts. ``@pytest.mark.hub(unreachable=True)`` points at a closed port.
    Yields the stand-in's record of this server (None without the mark)."""
    marker = request.node.get_closest_marker("hub")
    if marker is None:
        yield None
        return
    kwargs = dict(marker.kwargs)
    user, name = kwargs.pop("user", "alice"), kwargs.pop("name", "")
    token = f"server-token-{user}-{name}"
    if kwargs.pop("unreachable", False):
        port = free_port()  # nothing listens there
        server, created = None, None
    else:
        scopes = kwargs.pop("scopes", [])
        created = hub_state.add_server(user, name, token=token, scopes=scopes, **kwargs)
        server, port = hub_standin.start(hub_state)
    monkeypatch.setenv("JUPYTERHUB_API_URL", f"http://127.0.0.1:{port}/hub/api")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", token)
    monkeypatch.setenv("JUPYTERHUB_USER", user)
    monkeypatch.setenv("JUPYTERHUB_SERVER_NAME", name)
    monkeypatch.setenv("JUPYTERHUB_BASE_URL", "/")
    yield created
    if server is not None:
        server.stop()


@pytest.fixture
def api(jp_fetch) -> Callable[..., Any]:
    """``await api("usage", method=..., body=...)`` -> (status, json body).

    Never raises on 4xx/5xx; every answer, errors included, must match ``schema/``.
    """

    async def call(
        path: str, method: str = "GET", body: Any = None, raw: bytes | None = None, **kw: Any
    ) -> tuple[int, Any]:
        if raw is None and body is not None:
            raw = json.dumps(body).encode()
        if raw is None and method in ("POST", "PUT", "PATCH"):
            raw = b""
        path_only, _, query = path.partition("?")
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        response: HTTPResponse = await jp_fetch(
            "cloudscapes",
            path_only,
            method=method,
            body=raw,
            raise_error=False,
            params=params,
            **kw,
        )
        url_path = "/cloudscapes/" + path.partition("?")[0] if path else "/cloudscapes"
        op = CONTRACT.validate(method, url_path, response.code, response.body)
        SEEN.add((method.lower(), op.path, response.code))
        return response.code, json.loads(response.body)

    return call
