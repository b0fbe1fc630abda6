"""Dask clusters on a real jupyter_server: real LocalClusters (worker processes and all)
and, with ``dask_gateway``, a real dask-gateway-server on its local backend."""

from __future__ import annotations

import asyncio
import gc
import json
import time

import psutil
import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from cloudscapes.dask import local as local_backend

from .conftest import SEEN
from .kernels import run_python

GIB = 2**30
PRICES = {"worker_core_hour": 0.04, "worker_gib_hour": 0.01, "scheduler_hour": 0.05}


def descendants() -> set[int]:
    """Processes below this one, but for multiprocessing's resource tracker (started
    with the first worker, it lives as long as this process, whatever clusters do)."""
    return {
        p.pid
        for p in psutil.Process().children(recursive=True)
        if "resource_tracker" not in " ".join(_cmdline(p))
    }


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


async def until(check, timeout: float = 60.0, every: float = 0.2):
    """Call ``await check()`` until it returns something truthy; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert time.monotonic() < deadline, "condition never became true"
        await asyncio.sleep(every)


async def finished_job(api, job_id: str, timeout: float = 120.0) -> dict:
    async def done():
        status, job = await api(f"jobs/{job_id}")
        assert status == 200
        return job if job["status"] in ("succeeded", "failed", "cancelled") else None

    return await until(done, timeout)


async def create(api, body: dict, timeout: float = 120.0) -> dict:
    """POST a cluster, wait for its job to succeed; the cluster as GET answers it."""
    status, started = await api("dask/clusters", method="POST", body=body)
    assert status == 202, started
    job = await finished_job(api, started["job"]["id"], timeout)
    assert job["status"] == "succeeded", job
    status, cluster = await api(f"dask/clusters/{started['cluster']['id']}")
    assert status == 200
    return cluster


async def workers_become(api, cluster_id: str, n: int, timeout: float = 60.0) -> dict:
    async def check():
        status, cluster = await api(f"dask/clusters/{cluster_id}")
        assert status == 200
        return cluster if cluster["workers"] == n else None

    return await until(check, timeout)


# ---- local backend ------------------------------------------------------------------


async def test_backends_offer_local_sized_from_the_server_and_no_gateway(api):
    status, body = await api("dask/backends")
    assert status == 200
    local, gateway = body["backends"]
    assert local["name"] == "local" and local["available"]
    fields = {f["field"]: f for f in local["options"]}
    assert set(fields) == {"worker_threads", "worker_memory"}
    cpus = psutil.cpu_count()
    assert fields["worker_threads"]["maximum"] == max(1, cpus)
    assert fields["worker_memory"]["maximum"] <= psutil.virtual_memory().total / GIB
    assert 1 <= local["max_workers"] <= max(1, cpus)
    assert local["idle_timeout_seconds"] == 1800
    assert gateway["name"] == "gateway" and not gateway["available"]
    assert "No Dask Gateway" in gateway["reason"]


@pytest.mark.parametrize("server_env", [{"CPU_LIMIT": "2", "MEM_LIMIT": str(4 * GIB)}])
async def test_local_limits_come_from_the_servers_cpu_and_memory_limits(api):
    status, body = await api("dask/backends")
    local = body["backends"][0]
    fields = {f["field"]: f for f in local["options"]}
    assert fields["worker_threads"]["maximum"] == 2
    # 80 % of 4 GiB for the workers of a cluster, one worker per CPU by default
    assert fields["worker_memory"]["maximum"] == 3.0
    assert fields["worker_memory"]["default"] == 1.5
    assert local["max_workers"] == 2
    status, err = await api(
        "dask/clusters", method="POST", body={"backend": "local", "options": {"worker_memory": 8}}
    )
    assert status == 400
    assert "8 GiB" in err["error"]["message"]


async def test_local_cluster_create_connect_scale_adapt_and_shut_down(api, jp_serverapp):
    before = descendants()
    status, started = await api("dask/clusters", method="POST", body={"backend": "local"})
    assert status == 202
    cluster = started["cluster"]
    assert cluster["status"] == "starting" and cluster["id"].startswith("local-")
    assert started["job"]["kind"] == "dask-cluster"
    # listed at once, while it starts
    status, listing = await api("dask/clusters")
    assert [c["id"] for c in listing["clusters"]] == [cluster["id"]]

    job = await finished_job(api, started["job"]["id"])
    assert job["status"] == "succeeded", job
    assert job["progress"] == {"done": 1, "total": 1, "unit": "workers"}
    status, cluster = await api(f"dask/clusters/{cluster['id']}")
    assert cluster["status"] == "running"
    assert cluster["workers"] == 1 and cluster["requested_workers"] == 1
    assert cluster["cores"] == cluster["worker_cores"] == 1
    assert cluster["memory"] == cluster["worker_memory"] > 0
    assert cluster["cost_per_hour"] == 0  # inside the server: its rate already counts
    assert cluster["scheduler_address"].startswith("tcp://127.0.0.1:")
    assert cluster["dashboard_link"] == (
        f"{jp_serverapp.base_url}cloudscapes/dask/clusters/{cluster['id']}/dashboard/status"
    )
    assert len(descendants() - before) >= 1  # the worker process

    # the connect code works from another process, as in a kernel
    code = cluster["connect_code"] + "print(client.submit(lambda x: x + 1, 41).result())\n"
    assert (await run_python(code)).strip().endswith("42")

    status, scaled = await api(
        f"dask/clusters/{cluster['id']}", method="PATCH", body={"workers": 2}
    )
    assert status == 200 and scaled["requested_workers"] == 2
    cluster = await workers_become(api, cluster["id"], 2)
    assert cluster["cores"] == 2 and cluster["memory"] == 2 * cluster["worker_memory"]

    status, adaptive = await api(
        f"dask/clusters/{cluster['id']}",
        method="PATCH",
        body={"adapt": {"minimum": 0, "maximum": 2}},
    )
    assert status == 200
    assert adaptive["adapt"] == {"minimum": 0, "maximum": 2}
    assert adaptive["requested_workers"] is None
    # nothing to do: adaptive scaling retires the idle workers
    await workers_become(api, cluster["id"], 0, timeout=90)

    status, stopped = await api(f"dask/clusters/{cluster['id']}", method="DELETE")
    assert status == 200 and stopped["status"] == "stopped" and stopped["dashboard_link"] is None
    status, _ = await api(f"dask/clusters/{cluster['id']}")
    assert status == 404
    status, listing = await api("dask/clusters")
    assert listing["clusters"] == []
    await until(lambda: asyncio.sleep(0, not (descendants() - before)), timeout=20)


async def test_adaptive_from_the_start_and_shut_down_all(api):
    first = await create(api, {"backend": "local", "adapt": {"minimum": 1, "maximum": 2}})
    assert first["adapt"] == {"minimum": 1, "maximum": 2} and first["workers"] >= 1
    second = await create(api, {"backend": "local", "workers": 0})
    assert second["workers"] == 0
    status, listing = await api("dask/clusters")
    assert [c["id"] for c in listing["clusters"]] == [second["id"], first["id"]]  # newest first
    assert listing["cost_per_hour"] == 0

    status, result = await api("dask/clusters", method="DELETE")
    assert status == 200
    assert sorted(result["stopped"]) == sorted([first["id"], second["id"]])
    assert result["errors"] == []
    status, listing = await api("dask/clusters")
    assert listing["clusters"] == []


async def test_cancelling_a_start_leaves_no_cluster_and_no_process(api):
    before = descendants()
    status, started = await api("dask/clusters", method="POST", body={"workers": 2})
    assert status == 202
    await asyncio.sleep(0.3)  # the scheduler and workers are on their way
    status, job = await api(f"jobs/{started['job']['id']}", method="DELETE")
    assert status == 200 and job["status"] == "cancelled"
    status, listing = await api("dask/clusters")
    assert listing["clusters"] == []
    status, _ = await api(f"dask/clusters/{started['cluster']['id']}")
    assert status == 404

    async def no_process_left():
        return not (descendants() - before)

    await until(no_process_left, timeout=30)


async def test_a_cluster_shut_down_while_starting_ends_its_job(api):
    before = descendants()
    status, started = await api("dask/clusters", method="POST", body={"workers": 1})
    cluster_id = started["cluster"]["id"]
    status, stopped = await api(f"dask/clusters/{cluster_id}", method="DELETE")
    assert status == 200 and stopped["status"] == "stopped"
    job = await finished_job(api, started["job"]["id"])
    assert job["status"] == "cancelled"  # the user stopped it: not a failure
    status, listing = await api("dask/clusters")
    assert listing["clusters"] == []

    async def no_process_left():
        return not (descendants() - before)

    await until(no_process_left, timeout=30)


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"backend": "local", "workers": -1}, 400, "cannot be negative"),
        ({"backend": "local", "workers": 10**9}, 400, "more than this backend allows"),
        ({"backend": "local", "workers": 1.5}, 400, "whole number"),
        ({"backend": "local", "workers": "2"}, 400, "whole number"),
        ({"backend": "local", "options": {"image": "x"}}, 400, "Unknown option 'image'"),
        ({"backend": "local", "options": {"worker_memory": 10**12}}, 400, "GiB"),
        ({"backend": "local", "options": {"worker_threads": 0}}, 400, "worker_threads is 0"),
        ({"backend": "local", "options": {"worker_threads": True}}, 400, "whole number"),
        ({"backend": "local", "options": "big"}, 400, "'options' must be an object"),
        (
            {"backend": "local", "workers": 1, "adapt": {"minimum": 0, "maximum": 1}},
            400,
            "not both",
        ),
        ({"backend": "local", "adapt": {"minimum": 2, "maximum": 1}}, 400, "more than"),
        ({"backend": "local", "adapt": {"minimum": 0}}, 400, "'adapt.maximum' is required"),
        ({"backend": "yarn"}, 400, "'backend' must be one of: local, gateway"),
        ({"backend": "local", "size": 3}, 400, "Unknown field 'size'"),
        ({"backend": "gateway"}, 409, "No Dask Gateway"),
    ],
)
async def test_bad_create_requests_get_a_clear_error_and_start_nothing(api, body, status, words):
    before = descendants()
    code, err = await api("dask/clusters", method="POST", body=body)
    assert code == status
    assert words in err["error"]["message"]
    assert err["error"]["hint"] or status == 409
    status, listing = await api("dask/clusters")
    assert listing["clusters"] == []
    assert descendants() <= before


async def test_bad_scale_requests_and_unknown_clusters(api):
    cluster = await create(api, {"backend": "local", "workers": 0})
    path = f"dask/clusters/{cluster['id']}"
    for body, words in [
        ({"workers": -1}, "cannot be negative"),
        ({"workers": 10**6}, "more than this backend allows"),
        ({}, "Send either 'workers' or 'adapt'"),
        ({"workers": 1, "adapt": {"minimum": 0, "maximum": 1}}, "not more than one"),
        ({"adapt": [0, 2]}, "an object with 'minimum' and 'maximum'"),
    ]:
        status, err = await api(path, method="PATCH", body=body)
        assert status == 400, body
        assert words in err["error"]["message"]
    status, err = await api(path, method="PATCH", raw=b"{nope")
    assert status == 400 and err["error"]["code"] == "invalid_json"
    status, unchanged = await api(path)
    assert unchanged["workers"] == 0 and unchanged["requested_workers"] == 0

    for method in ("GET", "DELETE"):
        status, err = await api("dask/clusters/local-00000000", method=method)
        assert status == 404 and err["error"]["code"] == "no_such_cluster"
    status, err = await api("dask/clusters/local-00000000", method="PATCH", body={"workers": 1})
    assert status == 404
    await api(path, method="DELETE")


async def test_local_dashboard_is_proxied_without_counting_as_activity(api, jp_fetch, jp_serverapp):
    cluster = await create(api, {"backend": "local", "workers": 1})
    status, body = await api(f"dask/clusters/{cluster['id']}/plots")
    assert status == 200
    names = [p["name"] for p in body["plots"]]
    assert names[:3] == [
        "individual-task-stream",
        "individual-progress",
        "individual-workers-memory",
    ]
    stream = body["plots"][0]
    assert stream["title"] == "Task Stream"
    assert stream["url"] == (
        f"{jp_serverapp.base_url}cloudscapes/dask/clusters/{cluster['id']}"
        "/dashboard/individual-task-stream"
    )

    responses = {}

    async def dashboard(path: str) -> tuple[int, bytes]:
        response = await jp_fetch(
            "cloudscapes/dask/clusters", cluster["id"], "dashboard", path, raise_error=False
        )
        SEEN.add(("get", "/cloudscapes/dask/clusters/{id}/dashboard/{path}", response.code))
        responses[path] = response
        return response.code, response.body

    settings = jp_serverapp.web_app.settings
    settings["api_last_activity"] = last = settings["api_last_activity"].replace(year=2020)
    status, page = await dashboard("individual-task-stream")
    assert status == 200
    assert b"static/js/bokeh" in page
    # a page a frame can show and run: its own type, no API "default-src 'none'"
    headers = responses["individual-task-stream"].headers
    assert headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" not in headers.get("Content-Security-Policy", "")
    # the page's scripts resolve under the same proxy
    script = page.decode().split('src="static/js/', 1)[1].split('"', 1)[0].split("?")[0]
    status, js = await dashboard(f"static/js/{script}")
    assert status == 200 and len(js) > 10_000
    assert "javascript" in responses[f"static/js/{script}"].headers["Content-Type"]
    status, counts = await dashboard("json/counts.json")
    assert status == 200 and json.loads(counts)["workers"] == 1
    assert settings["api_last_activity"] == last  # an open dashboard keeps nothing alive

    await api(f"dask/clusters/{cluster['id']}", method="DELETE")
    status, err = await api(f"dask/clusters/{cluster['id']}/dashboard/individual-task-stream")
    assert status == 404 and err["error"]["code"] == "no_such_cluster"
    status, err = await api(f"dask/clusters/{cluster['id']}/plots")
    assert status == 404


#: The policy jupyterhub-singleuser puts on every answer (jupyterhub 6.1): its server
#: extension, the default with jupyter_server 2 (``singleuser/extension.py``), and the
#: older app mixin (``singleuser/mixins.py``, through ``ServerApp.tornado_settings``).
HUB_POLICIES = {
    "extension": "frame-ancestors 'none'",
    "mixin": "frame-ancestors 'none';report-uri /hub/security/csp-report",
}


def hub_headers(settings: dict, policy: str) -> None:
    """What jupyterhub-singleuser does to the server's tornado settings, line for line."""
    headers = settings.setdefault("headers", {})
    headers["X-JupyterHub-Version"] = "6.1.1"
    headers.setdefault("Content-Security-Policy", policy)


def frame_ancestors(response) -> list[str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return [d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors")]


async def test_dashboard_answers_are_framable_by_the_lab_under_the_hubs_headers(
    api, jp_fetch, jp_serverapp, jp_auth_header, jp_http_port
):
    """Under a hub every answer says ``frame-ancestors 'none'``; a dashboard pane is an
    iframe of the lab page, so each dashboard answer (page, script, redirect, socket
    page, gone cluster) lets this origin frame it and keeps the rest of the policy."""
    cluster = await create(api, {"backend": "local", "workers": 0})
    settings = jp_serverapp.web_app.settings
    dashboard = f"http://127.0.0.1:{jp_http_port}{jp_serverapp.base_url}" + (
        f"cloudscapes/dask/clusters/{cluster['id']}/dashboard/"
    )

    async def get(path: str, **kw):
        return await AsyncHTTPClient().fetch(
            dashboard + path, headers=jp_auth_header, raise_error=False, **kw
        )

    for origin, policy in HUB_POLICIES.items():
        settings.get("headers", {}).pop("Content-Security-Policy", None)
        hub_headers(settings, policy)
        page = await get("individual-task-stream")
        assert page.code == 200 and page.headers["X-JupyterHub-Version"] == "6.1.1"
        script = page.body.decode().split('src="static/js/', 1)[1].split('"', 1)[0]
        answers = {
            "page": page,
            "script": await get(f"static/js/{script}"),
            "redirect": await get("", follow_redirects=False),
            "socket page": await get("individual-task-stream/ws"),
        }
        assert answers["redirect"].code in (301, 302, 303, 307)
        assert answers["socket page"].code == 400  # no Upgrade header: not a socket
        for name, answer in answers.items():
            assert frame_ancestors(answer) == ["frame-ancestors 'self'"], (origin, name)
            policy_sent = answer.headers["Content-Security-Policy"]
            assert origin == "extension" or "report-uri /hub/" in policy_sent, name
        # the API itself stays unframable, as the hub wants
        listing = await jp_fetch("cloudscapes", "dask", "clusters")
        assert frame_ancestors(listing) == ["frame-ancestors 'none'"]

    await api(f"dask/clusters/{cluster['id']}", method="DELETE")
    gone = await get("individual-task-stream")
    assert gone.code == 404 and frame_ancestors(gone) == ["frame-ancestors 'self'"]


def test_jupyters_query_keys_are_not_passed_to_dashboards():
    from cloudscapes.dask.handlers import _upstream_url

    arguments = {
        "token": [b"secret"],
        "no_track_activity": [b"1"],
        "1795309442": [b""],  # JupyterLab's cache-buster
        "v": [b"abc"],
    }
    assert _upstream_url(8787, "static/js/x.js", arguments, "http") == (
        "http://127.0.0.1:8787/static/js/x.js?v=abc"
    )


def test_a_policy_that_already_lets_the_lab_frame_dashboards_is_kept():
    from cloudscapes.dask.handlers import framable_policy

    # a lab embedded in a portal: its dashboards must be framable by both
    portal = "Frame-Ancestors 'self' https://portal.example; report-uri /csp"
    assert framable_policy(portal) == portal
    # an admin's list of ancestors gains the lab's origin, the rest kept
    assert framable_policy("img-src data:;frame-ancestors https://x.example;") == (
        "frame-ancestors 'self' https://x.example; img-src data:"
    )
    assert framable_policy("frame-ancestors 'none'") == "frame-ancestors 'self'"
    assert framable_policy("") == "frame-ancestors 'self'"


async def test_dashboard_websocket_is_proxied(api, jp_serverapp, jp_auth_header, jp_http_port):
    """Bokeh's websocket reaches the scheduler's dashboard through the server."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    cluster = await create(api, {"backend": "local", "workers": 1})
    base = f"127.0.0.1:{jp_http_port}{jp_serverapp.base_url}cloudscapes/dask/clusters/"
    page = await AsyncHTTPClient().fetch(
        f"http://{base}{cluster['id']}/dashboard/individual-task-stream",
        headers=jp_auth_header,
    )
    token = page.body.decode().split('"token":"', 1)[1].split('"', 1)[0]
    request = HTTPRequest(
        f"ws://{base}{cluster['id']}/dashboard/individual-task-stream/ws",
        headers=jp_auth_header,
    )
    socket = await websocket_connect(request, subprotocols=["bokeh", token])
    assert socket.selected_subprotocol == "bokeh"
    first = await asyncio.wait_for(socket.read_message(), 10)
    assert first is not None  # Bokeh's first frame: the ACK header
    assert "ACK" in (first if isinstance(first, str) else first.decode())
    socket.close()

    # without login there is no socket
    with pytest.raises(HTTPClientError) as refused:
        await websocket_connect(f"ws://{base}{cluster['id']}/dashboard/individual-task-stream/ws")
    assert refused.value.code == 403
    await api(f"dask/clusters/{cluster['id']}", method="DELETE")


@pytest.mark.parametrize("dask_config", [{"local_idle_timeout": 8}])
async def test_an_idle_local_cluster_shuts_itself_down_with_its_workers(api):
    before = descendants()
    cluster = await create(api, {"backend": "local", "workers": 1})
    assert cluster["idle_timeout_seconds"] == 8

    async def gone():
        _, listing = await api("dask/clusters")
        return not listing["clusters"] and not (descendants() - before)

    await until(gone, timeout=40, every=0.5)


@pytest.mark.parametrize("dask_config", [{"local_max_clusters": 1}])
async def test_local_cluster_limit(api):
    cluster = await create(api, {"backend": "local", "workers": 0})
    status, err = await api("dask/clusters", method="POST", body={"backend": "local"})
    assert status == 409 and err["error"]["code"] == "too_many_clusters"
    await api(f"dask/clusters/{cluster['id']}", method="DELETE")


async def test_no_local_cluster_process_is_left_when_the_server_stops(api, jp_serverapp):
    """The extension's stop (as the server calls it on SIGTERM or a hub stop) closes
    every local cluster: schedulers closed, worker processes gone."""
    before = descendants()
    first = await create(api, {"backend": "local", "workers": 2})
    second = await create(api, {"backend": "local", "workers": 0})
    assert len(descendants() - before) >= 2
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    dask = app.services["dask"]
    schedulers = [dask.local.entries[c["id"]].cluster.scheduler for c in (first, second)]
    await app.stop_extension()
    assert dask.local.entries == {}
    assert all(s.status.name == "closed" for s in schedulers)

    async def no_process_left():
        return not (descendants() - before)

    await until(no_process_left, timeout=30)


async def test_numbers_too_large_for_python_get_a_400(api):
    body = b'{"backend": "local", "options": {"worker_memory": ' + b"9" * 400 + b"}}"
    status, err = await api("dask/clusters", method="POST", raw=body)
    assert status == 400 and "GiB" in err["error"]["message"]
    body = b'{"backend": "local", "workers": ' + b"9" * 5000 + b"}"
    status, err = await api("dask/clusters", method="POST", raw=body)
    assert status == 400 and err["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("server_env", [{"CPU_LIMIT": "4", "MEM_LIMIT": str(4 * GIB)}])
async def test_local_clusters_share_one_memory_budget(api):
    # 80 % of 4 GiB = 3.2 GiB for the workers of all local clusters together
    first = await create(
        api, {"backend": "local", "workers": 2, "options": {"worker_memory": 1.25}}
    )
    status, err = await api(
        "dask/clusters", method="POST", body={"options": {"worker_memory": 1}, "workers": 1}
    )
    assert status == 409 and err["error"]["code"] == "not_enough_memory"
    assert "2.50 of the 3.20 GiB" in err["error"]["message"]
    second = await create(api, {"options": {"worker_memory": 0.5}, "workers": 1})
    # the first may not grow into what the second uses
    status, err = await api(f"dask/clusters/{first['id']}", method="PATCH", body={"workers": 3})
    assert status == 400 and err["error"]["code"] == "too_many_workers"
    status, _ = await api(f"dask/clusters/{second['id']}", method="DELETE")
    status, _ = await api(f"dask/clusters/{first['id']}", method="DELETE")


@pytest.fixture
def unfrozen(monkeypatch):
    """This process as if no local cluster had started in it yet: nothing frozen."""
    gc.unfreeze()
    monkeypatch.setattr(local_backend, "_frozen", False)
    yield
    gc.unfreeze()


async def test_the_heap_is_frozen_when_the_first_local_cluster_starts_not_before(
    api, jp_serverapp, unfrozen
):
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    dask = app.services["dask"]
    dask._check_local()  # the watch tick, which imports distributed in the background
    await dask._warm
    assert gc.get_freeze_count() == 0  # a server where nobody starts a cluster: untouched
    await create(api, {"backend": "local", "workers": 0})
    assert gc.get_freeze_count() > 0
    status, _ = await api("dask/clusters", method="DELETE")
    assert status == 200


@pytest.mark.parametrize("dask_config", [{"freeze_heap": False}])
async def test_freeze_heap_off_freezes_nothing(api, unfrozen):
    await create(api, {"backend": "local", "workers": 0})
    assert gc.get_freeze_count() == 0
    status, _ = await api("dask/clusters", method="DELETE")
    assert status == 200
