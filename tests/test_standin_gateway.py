"""The real Dask Gateway of cloudscapes.testing.gateway: ``dask-gateway-server`` with its
local backend on loopback, reached with the ``dask_gateway`` client and raw HTTP.

Real processes throughout (the gateway, its Go proxy, ``dask scheduler`` and
``dask worker``); blocking clients, never pytest-jupyter's loop. One gateway serves the
module; the shutdown test starts its own.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from traitlets.config import Config

from cloudscapes.testing import gateway as gateway_module
from cloudscapes.testing.gateway import (
    GatewayServer,
    configure_server,
    running_gateway,
    start_gateway,
)

# dask-gateway 2026.3's sync ``Gateway.__del__`` closes an already closed client again,
# and distributed 2026.8's LoopRunner raises on that ("Accessing the loop property while
# the loop is not running is not supported"): harmless, ignored here, only this one.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <function Gateway.__del__:pytest.PytestUnraisableExceptionWarning"
)

#: Smallest workers the options form allows (the machine has 2 cores).
SMALL = {"worker_cores": 1, "worker_memory": 0.5}
HALF_GIB = 2**29
REPO = Path(__file__).resolve().parent.parent

#: Starts a cluster with no client configuration but the variables of ``gw.env()``.
OTHER_PROCESS = """\
from dask_gateway import Gateway

gateway = Gateway()
options = gateway.cluster_options()
options.worker_memory = 0.5
cluster = gateway.new_cluster(options, shutdown_on_close=False)
print(cluster.name, flush=True)
cluster.close()  # the client only: the cluster keeps running
gateway.close()
"""


@pytest.fixture(scope="module")
def gw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayServer]:
    with running_gateway(workdir=tmp_path_factory.mktemp("gateway"), idle_timeout=300) as gw:
        yield gw
    gc.collect()  # the clients' __del__ run here, under this module's warning filter


def get(url: str, auth: tuple[str, str] | None = None) -> tuple[int, bytes]:
    headers = {}
    if auth is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for(predicate: Any, timeout: float = 20.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


# -- the server ---------------------------------------------------------------------


def test_health_answers_and_the_api_needs_the_password(gw: GatewayServer) -> None:
    assert get(gw.address + "/api/health") == (200, b'{"status": "pass"}')
    assert get(gw.address + "/api/v1/clusters/")[0] == 401
    assert get(gw.address + "/api/v1/clusters/", (gw.username, "wrong"))[0] == 401
    status, body = get(gw.address + "/api/v1/clusters/", (gw.username, gw.password))
    assert status == 200 and isinstance(json.loads(body), dict)
    # the config holds the password: readable by its owner only
    assert (gw.workdir / "dask_gateway_config.py").stat().st_mode & 0o077 == 0


def test_options_form_has_worker_cores_and_memory(gw: GatewayServer) -> None:
    fields = {f["field"]: f for f in gw.request("GET", "/api/v1/options")["cluster_options"]}
    assert fields == {
        "worker_cores": {
            "field": "worker_cores",
            "label": "Worker cores",
            "default": 1,
            "spec": {"type": "int", "min": 1, "max": 2},
        },
        "worker_memory": {
            "field": "worker_memory",
            "label": "Worker memory (GiB)",
            "default": 1,
            "spec": {"type": "float", "min": 0.5, "max": 4.0},
        },
    }
    with gw.client() as client:
        options = client.cluster_options()
        assert dict(options) == {"worker_cores": 1, "worker_memory": 1.0}
        with pytest.raises(ValueError):
            options.worker_cores = 3  # above the form's maximum


def test_env_and_server_config() -> None:
    gw = GatewayServer("http://127.0.0.1:4321", "cloudscapes", "pw", Path("/x"), None)  # type: ignore[arg-type]
    assert gw.env() == {
        "DASK_GATEWAY__ADDRESS": "http://127.0.0.1:4321",
        "DASK_GATEWAY__PUBLIC_ADDRESS": "http://127.0.0.1:4321",
        "DASK_GATEWAY__PROXY_ADDRESS": "gateway://127.0.0.1:4321",
        "DASK_GATEWAY__AUTH__TYPE": "basic",
        "DASK_GATEWAY__AUTH__KWARGS__USERNAME": "cloudscapes",
        "DASK_GATEWAY__AUTH__KWARGS__PASSWORD": "pw",
    }
    expected = {
        "gateway_address": "http://127.0.0.1:4321",
        "gateway_proxy_address": "gateway://127.0.0.1:4321",
        "gateway_auth": "basic",
        "gateway_auth_kwargs": {"username": "cloudscapes", "password": "pw"},
    }
    c = Config()
    c.CloudscapesDask.local_max_clusters = 2
    configure_server(c, gw)
    assert c.CloudscapesDask == {"local_max_clusters": 2, **expected}
    as_dict: dict[str, Any] = {"ServerApp": {}}
    configure_server(as_dict, gw)
    assert as_dict["CloudscapesDask"] == expected


# -- clusters -----------------------------------------------------------------------


def test_cluster_scales_and_serves_its_dashboard(gw: GatewayServer) -> None:
    with gw.client() as client:
        options = client.cluster_options()
        options.update(SMALL)
        started = time.monotonic()
        cluster = client.new_cluster(options, shutdown_on_close=True)
        assert time.monotonic() - started < 15
        try:
            assert cluster.name in gw.cluster_names()
            assert cluster.dashboard_link == f"{gw.address}/clusters/{cluster.name}/status"
            cluster.scale(1)
            with cluster.get_client(set_as_default=False) as dask_client:
                dask_client.wait_for_workers(1, timeout=30)
                workers = dask_client.scheduler_info()["workers"]
                assert [(w["nthreads"], w["memory_limit"]) for w in workers.values()] == [
                    (1, HALF_GIB)
                ]
                assert dask_client.submit(sum, [1, 2, 3]).result(timeout=30) == 6

            # Dashboards go through the same port, and the gateway asks for no auth.
            base = f"{gw.address}/clusters/{cluster.name}"
            status, body = get(base + "/individual-plots.json")
            assert status == 200
            plots = json.loads(body)
            assert plots["Individual Task Stream"] == "/individual-task-stream"
            status, body = get(base + "/json/identity.json")
            assert status == 200
            identity = json.loads(body)
            assert identity["type"] == "Scheduler"
            assert [(w["nthreads"], w["memory_limit"]) for w in identity["workers"].values()] == [
                (1, HALF_GIB)
            ]
            assert get(base + "/status")[0] == 200
            # an unknown cluster's dashboard is not found
            assert get(f"{gw.address}/clusters/nosuchcluster/status")[0] == 404
        finally:
            cluster.close()  # shutdown_on_close: stops it
        wait_for(lambda: cluster.name not in gw.cluster_names(), what="the cluster to stop")


def test_cluster_of_another_process_is_listed_and_stopped(gw: GatewayServer) -> None:
    # Only what a spawner would give a kernel: no arguments, the DASK_GATEWAY__* variables.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASK_GATEWAY", "DASK_"))}
    env.update(gw.env())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    name = done.stdout.strip().splitlines()[-1]
    with gw.client() as client:
        listed = {report.name: report for report in client.list_clusters()}
        assert name in listed
        assert listed[name].status.name == "RUNNING"
        assert listed[name].options == {"worker_cores": 1, "worker_memory": 0.5}
        # connect from here, as a notebook would
        cluster = client.connect(name)
        try:
            with cluster.get_client(set_as_default=False) as dask_client:
                assert dask_client.scheduler_info()["workers"] == {}
        finally:
            cluster.close()  # connect(): shutdown_on_close=False
        assert name in [r.name for r in client.list_clusters()]
        client.stop_cluster(name)
        wait_for(
            lambda: name not in [r.name for r in client.list_clusters()],
            what="the cluster to leave the list",
        )


def test_stop_clusters_waits_until_their_processes_are_gone(gw: GatewayServer) -> None:
    names = [
        gw.request("POST", "/api/v1/clusters/", {"cluster_options": {"worker_memory": 0.5}})["name"]
        for _ in range(2)
    ]
    # a bad option is refused before anything starts
    with pytest.raises(urllib.error.HTTPError) as refused:
        gw.request("POST", "/api/v1/clusters/", {"cluster_options": {"worker_cores": 9}})
    assert refused.value.code == 422
    assert sorted(names) == gw.cluster_names("PENDING,RUNNING")
    wait_for(lambda: gw.cluster_names("RUNNING") == sorted(names), what="both to run")
    schedulers = [p for p in gw.processes() if "scheduler" in p.cmdline()[1:3]]
    assert len(schedulers) == 2
    gw.stop_clusters()
    assert gw.cluster_names("PENDING,RUNNING,STOPPING") == []
    assert set(names) <= set(gw.cluster_names("STOPPED"))
    assert not any(p.is_running() for p in schedulers)


# -- shutdown -----------------------------------------------------------------------


def test_stop_leaves_no_process(tmp_path: Path) -> None:
    gw = start_gateway(workdir=tmp_path / "gw")
    try:

        async def start_cluster() -> str:
            async with gw.client(asynchronous=True) as client:
                options = await client.cluster_options()
                options.update(SMALL)
                cluster = await client.new_cluster(options, shutdown_on_close=False)
                await cluster.scale(1)
                for _ in range(300):
                    if cluster.scheduler_info.get("workers"):
                        break
                    await asyncio.sleep(0.1)
                assert len(cluster.scheduler_info["workers"]) == 1
                await cluster.close()
                return str(cluster.name)

        name = asyncio.run(start_cluster())
        assert gw.cluster_names() == [name]
        before = gw.processes()
    except BaseException:
        gw.stop()
        raise
    commands = [" ".join(p.cmdline()) for p in before]
    # the gateway, its proxy, a scheduler and a worker at least (each in its own session)
    assert any("dask-gateway-proxy" in c for c in commands)
    assert any(c.endswith(" scheduler") or " scheduler " in c for c in commands)
    assert any(" worker " in c or c.endswith(" worker") for c in commands)
    assert len({os.getsid(p.pid) for p in before}) >= 3

    started = time.monotonic()
    gw.stop()
    stopped_in = time.monotonic() - started
    left = [p for p in before if psutil.pid_exists(p.pid) and p.is_running()]
    assert left == [], [(p.pid, p.status()) for p in left]
    assert gw.process.returncode is not None
    assert stopped_in < gateway_module.STOP_TIMEOUT
    # its log tells the clusters were stopped, not killed
    log = (tmp_path / "gw" / "gateway.log").read_text()
    assert f"Cluster {name} stopped" in log
    assert "Stopped successfully" in log
