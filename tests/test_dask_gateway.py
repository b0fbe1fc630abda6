"""The Dask Gateway backend against a real dask-gateway-server (local backend)."""

from __future__ import annotations

import json
import os

import pytest
from tornado.httpclient import AsyncHTTPClient

from cloudscapes.testing import free_port
from cloudscapes.testing.gateway import server_config

from .kernels import run_python
from .test_dask import create, until, workers_become

PRICES = {"worker_core_hour": 0.04, "worker_gib_hour": 0.01, "scheduler_hour": 0.05}
GIB = 2**30


def kernel_env(gateway) -> dict[str, str]:
    """A kernel's environment on a hub with this gateway (its DASK_GATEWAY__* settings)."""
    return {**os.environ, **gateway.env()}


@pytest.fixture
def gateway_extra() -> dict:
    """Per-test changes to the gateway settings (override with parametrize)."""
    return {}


@pytest.fixture
def dask_config(dask_gateway, gateway_extra):
    return {
        **server_config(dask_gateway),
        "price_table": PRICES,
        "gateway_idle_timeout": 600,
        **gateway_extra,
    }


@pytest.fixture(autouse=True)
def _no_clusters_left(dask_gateway):
    """Each test starts and ends with no gateway cluster (the gateway is shared)."""
    dask_gateway.stop_clusters()
    yield
    dask_gateway.stop_clusters()


async def test_the_gateway_comes_first_with_its_own_options_form(api):
    status, body = await api("dask/backends")
    assert status == 200
    gateway, local = body["backends"]
    assert (gateway["name"], gateway["available"], local["name"]) == ("gateway", True, "local")
    fields = {f["field"]: f for f in gateway["options"]}
    assert fields["worker_cores"] == {
        "field": "worker_cores",
        "label": "Worker cores",
        "type": "integer",
        "default": 1,
        "minimum": 1,
        "maximum": 2,
        "step": 1,
    }
    assert fields["worker_memory"]["type"] == "number"
    assert (fields["worker_memory"]["minimum"], fields["worker_memory"]["maximum"]) == (0.5, 4)
    assert gateway["idle_timeout_seconds"] == 600


async def test_gateway_cluster_create_connect_scale_adapt_shut_down(api, dask_gateway):
    cluster = await create(
        api, {"backend": "gateway", "options": {"worker_memory": 0.5}, "workers": 1}
    )
    name = cluster["id"]
    assert cluster["backend"] == "gateway" and cluster["status"] == "running"
    assert cluster["workers"] == 1 and cluster["requested_workers"] == 1
    assert cluster["worker_cores"] == 1 and cluster["cores"] == 1
    assert cluster["worker_memory"] == cluster["memory"] == GIB // 2
    assert cluster["options"]["worker_memory"] == 0.5
    # 1 worker x (1 core x 0.04 + 0.5 GiB x 0.01) + 0.05 for the scheduler
    assert cluster["cost_per_hour"] == pytest.approx(0.095)
    assert cluster["dashboard_link"] == f"{dask_gateway.address}/clusters/{name}/status"
    assert cluster["scheduler_address"] == f"{dask_gateway.proxy_address}/{name}"
    assert cluster["idle_timeout_seconds"] == 600
    assert name in dask_gateway.cluster_names()

    # The connect code authenticates as the kernel's environment says: no secret in it.
    assert dask_gateway.password not in cluster["connect_code"]
    assert f"cluster = gateway.connect({name!r})" in cluster["connect_code"]
    code = cluster["connect_code"] + "print(client.submit(lambda x: x + 1, 41).result())\n"
    out = await run_python(code, env=kernel_env(dask_gateway))
    assert out.strip().endswith("42")

    status, scaled = await api(f"dask/clusters/{name}", method="PATCH", body={"workers": 2})
    assert status == 200 and scaled["requested_workers"] == 2
    cluster = await workers_become(api, name, 2, timeout=90)
    assert cluster["cores"] == 2 and cluster["cost_per_hour"] == pytest.approx(0.14)

    status, adaptive = await api(
        f"dask/clusters/{name}", method="PATCH", body={"adapt": {"minimum": 0, "maximum": 1}}
    )
    assert status == 200 and adaptive["adapt"] == {"minimum": 0, "maximum": 1}

    status, stopped = await api(f"dask/clusters/{name}", method="DELETE")
    assert status == 200 and stopped["status"] == "stopped"
    assert name not in dask_gateway.cluster_names()

    async def gone():  # "stopping" while the gateway stops it, then gone
        status, cluster = await api(f"dask/clusters/{name}")
        assert status == 404 or cluster["status"] == "stopping"
        return status == 404

    await until(gone, timeout=30)
    status, listing = await api("dask/clusters")
    assert name not in [c["id"] for c in listing["clusters"]]


async def test_a_cluster_created_in_a_notebook_is_listed_and_shut_down_by_the_kill_switch(
    api, dask_gateway
):
    script = (
        "from dask_gateway import Gateway\n"
        "cluster = Gateway().new_cluster(shutdown_on_close=False)\n"
        "print(cluster.name)\n"
    )
    name = (await run_python(script, env=kernel_env(dask_gateway))).strip().splitlines()[-1]

    async def listed():
        _status, listing = await api("dask/clusters")
        return [c for c in listing["clusters"] if c["id"] == name]

    (cluster,) = await until(listed, timeout=30)
    assert cluster["backend"] == "gateway"
    assert cluster["requested_workers"] is None  # not scaled through Cloudscapes
    assert cluster["status"] in ("starting", "running")

    status, result = await api("dask/clusters", method="DELETE")
    assert status == 200 and name in result["stopped"] and result["errors"] == []
    assert dask_gateway.cluster_names() == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"options": {"image": "pangeo/pangeo-notebook"}}, "Unknown option 'image'"),
        ({"options": {"worker_cores": 100}}, "worker_cores must be <= 2"),
        ({"options": {"worker_cores": "two"}}, "worker_cores must be an integer"),
        ({"options": {"worker_memory": -1}}, "worker_memory must be >= 0.5"),
        ({"options": {"worker_cores": True}}, "cannot be true or false"),
        ({"workers": -3}, "cannot be negative"),
        ({"adapt": {"minimum": 0, "maximum": 10**7}}, "more than this backend allows"),
    ],
)
async def test_bad_gateway_options_get_a_400_and_start_nothing(api, dask_gateway, body, words):
    status, err = await api("dask/clusters", method="POST", body={"backend": "gateway", **body})
    assert status == 400
    assert words in err["error"]["message"]
    assert err["error"]["hint"]
    assert dask_gateway.cluster_names() == []


async def test_gateway_dashboards_go_through_the_gateways_proxy(api, dask_gateway):
    cluster = await create(api, {"backend": "gateway", "workers": 0})
    status, body = await api(f"dask/clusters/{cluster['id']}/plots")
    assert status == 200
    stream = body["plots"][0]
    assert stream["name"] == "individual-task-stream"
    assert stream["url"] == (
        f"{dask_gateway.address}/clusters/{cluster['id']}/individual-task-stream"
    )
    page = await AsyncHTTPClient().fetch(stream["url"])
    assert b"static/js/bokeh" in page.body
    # the server's own proxy is only for local clusters
    status, err = await api(f"dask/clusters/{cluster['id']}/dashboard/status")
    assert status == 409 and err["error"]["code"] == "not_a_local_cluster"


async def test_the_usage_indicator_adds_gateway_clusters_to_the_servers_rate(api):
    cluster = await create(
        api, {"backend": "gateway", "options": {"worker_memory": 0.5}, "workers": 1}
    )
    status, usage = await api("usage")
    assert status == 200
    (extra,) = usage["cost"]["extras"]
    assert extra["source"] == "dask" and extra["count"] == 1
    assert extra["rate_per_hour"] == pytest.approx(0.095)
    assert usage["cost"]["rate_per_hour"] == 0.12
    assert usage["cost"]["total_rate_per_hour"] == pytest.approx(0.215)
    await api(f"dask/clusters/{cluster['id']}", method="DELETE")


async def test_gateway_clusters_of_this_server_stop_with_the_server(
    api, jp_serverapp, dask_gateway
):
    ours = await create(api, {"backend": "gateway", "workers": 0})
    local = await create(api, {"backend": "local", "workers": 0})
    script = "from dask_gateway import Gateway\nprint(Gateway().submit())\n"
    notebooks = (await run_python(script, env=kernel_env(dask_gateway))).strip().splitlines()[-1]
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    await app.stop_extension()
    running = dask_gateway.cluster_names("PENDING,RUNNING")
    # ours is gone; the notebook's is left to the gateway (another server may use it)
    assert ours["id"] not in running and notebooks in running
    assert local["id"] not in app.services["dask"].local.entries


async def test_an_unreachable_gateway_is_reported_and_local_clusters_still_work(api, jp_serverapp):
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    config = app.services["dask"].gateway.config
    config.gateway_address = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    config.gateway_timeout = 3
    status, body = await api("dask/backends")
    gateway = next(b for b in body["backends"] if b["name"] == "gateway")
    assert not gateway["available"] and "could not be reached" in gateway["reason"]

    local = await create(api, {"backend": "local", "workers": 0})
    status, listing = await api("dask/clusters")
    assert status == 200
    assert [c["id"] for c in listing["clusters"]] == [local["id"]]
    (error,) = listing["errors"]
    assert (
        error["backend"] == "gateway" and error["error"]["error"]["code"] == "gateway_unavailable"
    )

    status, err = await api("dask/clusters", method="POST", body={"backend": "gateway"})
    assert status == 502 and "could not be reached" in err["error"]["message"]
    status, job = await api("dask/clusters", method="DELETE")
    assert local["id"] in job["stopped"]


@pytest.mark.parametrize("gateway_extra", [{"gateway_auth_kwargs": {"pasword": "typo"}}])
async def test_a_misconfigured_gateway_leaves_the_panel_working(api):
    status, body = await api("dask/backends")
    assert status == 200
    gateway = next(b for b in body["backends"] if b["name"] == "gateway")
    assert not gateway["available"] and "not valid" in gateway["reason"]
    status, listing = await api("dask/clusters")
    assert status == 200
    (error,) = listing["errors"]
    assert error["error"]["error"]["code"] == "gateway_misconfigured"
    assert "typo" not in json.dumps(listing) + json.dumps(body)
