"""'Stop my server' outside a hub shuts a real Jupyter server process down cleanly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psutil

from cloudscapes.testing import free_port

from .conftest import CONTRACT


def call(port: int, token: str, method: str, path: str, body: dict | None = None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def start_server(tmp_path) -> tuple[subprocess.Popen, int, str]:
    """A real ``jupyter server`` process with Cloudscapes, ready to answer."""
    port, token = free_port(), "stop-test-token"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "JUPYTER_"))}
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt")
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--no-browser",
            "--allow-root",
            f"--IdentityProvider.token={token}",
            "--ServerApp.allow_unauthenticated_access=False",
            "--ServerApp.jpserver_extensions=cloudscapes=True",
            f"--ServerApp.root_dir={tmp_path}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            status, _ = call(port, token, "GET", "/cloudscapes/usage")
            if status == 200:
                return server, port, token
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise AssertionError(f"server did not start: {server.stderr.read().decode()}")
        time.sleep(0.2)


def test_stop_shuts_down_server_and_kernels(tmp_path):
    server, port, token = start_server(tmp_path)
    try:
        status, body = call(port, token, "POST", "/api/kernels", {"name": "python3"})
        assert status == 201
        kernel_pids = [p.pid for p in psutil.Process(server.pid).children(recursive=True)]
        assert kernel_pids

        status, body = call(port, token, "POST", "/cloudscapes/usage/stop")
        CONTRACT.validate("post", "/cloudscapes/usage/stop", status, body)
        assert (status, json.loads(body)) == (200, {"status": "shutting_down", "redirect": None})

        assert server.wait(timeout=30) == 0
        time.sleep(0.5)
        alive = [
            pid
            for pid in kernel_pids
            if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        ]
        assert alive == [], "kernels outlived the server"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stderr.close()
