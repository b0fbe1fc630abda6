"""Start and stop a real JupyterHub (with configurable-http-proxy, the simple local
spawner, the dummy authenticator and jupyterhub-idle-culler) in a temporary folder, on
free loopback ports, and leave nothing running."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import psutil
import requests

from .. import free_port
from .config import MARKER, HubSettings, cloudscapes_config, hub_config, render

T = TypeVar("T")

#: Where `make hubproxy` installs configurable-http-proxy (tests/hubproxy/package.json).
REPO = Path(__file__).resolve().parents[3]
PROXY_ENV = "CLOUDSCAPES_HUB_PROXY"


def proxy_command() -> str:
    """configurable-http-proxy: ``$CLOUDSCAPES_HUB_PROXY``, the one `make hubproxy`
    installed, else one on PATH. A missing proxy fails the test (it is part of the
    suite's install), it does not skip it."""
    candidates = [
        os.environ.get(PROXY_ENV, ""),
        str(REPO / "tests" / "hubproxy" / "node_modules" / ".bin" / "configurable-http-proxy"),
        shutil.which("configurable-http-proxy") or "",
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError(
        "configurable-http-proxy is not installed: run `make hubproxy` "
        f"(or set ${PROXY_ENV} to its path)"
    )


def until(check: Callable[[], T | None], timeout: float, every: float = 0.25, what: str = "") -> T:
    """Call ``check`` until it returns something other than None/False."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what or check}")
        time.sleep(every)


class RealHub:
    """One running hub. ``with RealHub(settings) as hub:`` starts and stops it."""

    def __init__(
        self,
        settings: HubSettings | None = None,
        root: Path | None = None,
        public_port: int | None = None,
    ) -> None:
        self.settings = settings or HubSettings()
        self._own_root = root is None
        self.root = root or Path(tempfile.mkdtemp(prefix="cloudscapes-hub-"))
        self.marker = secrets.token_hex(8)
        self.tests_token = secrets.token_hex(24)
        self.ports = {name: free_port() for name in ("public", "hub", "proxy_api")}
        if public_port:
            self.ports["public"] = public_port
        #: the hub's public URL, its base URL included (no trailing slash)
        self.url = f"http://127.0.0.1:{self.ports['public']}{self.settings.base_url.rstrip('/')}"
        self.process: subprocess.Popen[bytes] | None = None
        # NASA's services point here: bound, never listening, so connections are refused.
        self._closed = socket.socket()
        self._closed.bind(("127.0.0.1", 0))
        self.closed_url = f"http://127.0.0.1:{self._closed.getsockname()[1]}"
        self.config = hub_config(
            self.settings,
            root=self.root,
            ports=self.ports,
            proxy=proxy_command(),
            proxy_token=secrets.token_hex(24),
            tests_token=self.tests_token,
            marker=self.marker,
        )

    # ---- lifecycle ----------------------------------------------------------------

    @property
    def log_path(self) -> Path:
        return self.root / "jupyterhub.log"

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def start(self, timeout: float = 60.0) -> RealHub:
        for user in self.settings.users:
            (self.root / "home" / user).mkdir(parents=True, exist_ok=True)
        # A config file on $JUPYTER_CONFIG_PATH, as an image's /etc/jupyter has it. (Not
        # in jupyter_server_config.d/: from there the server reads jpserver_extensions only.)
        etc = self.root / "etc-jupyter"
        etc.mkdir(parents=True, exist_ok=True)
        server_config = cloudscapes_config(self.settings, self.closed_url)
        (etc / "jupyter_server_config.json").write_text(json.dumps(server_config, indent=2))
        config_file = self.root / "jupyterhub_config.py"
        config_file.write_text(render(self.config, self.settings))
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
        env[MARKER] = self.marker
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(config_file)],
                cwd=self.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the hub exited at start:\n{self.log_tail()}")
            try:
                return requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        try:
            until(ready, timeout, what="the hub to answer")
            until(
                lambda: self._service_running("jupyterhub_idle_culler"), timeout, what="the culler"
            )
        except BaseException:
            self.stop()
            raise
        return self

    def _service_running(self, name: str) -> bool:
        return any(name in " ".join(_cmdline(p)) for p in self.processes())

    def stop(self) -> None:
        """Stop the hub (it stops its servers, proxy and culler), then end whatever of
        this hub is still running, and remove the folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        leftovers = self.processes()
        for proc in leftovers:
            try:
                proc.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(leftovers, timeout=10)
        for proc in alive:
            try:
                proc.kill()
            except psutil.Error:
                pass
        self._closed.close()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def processes(self) -> list[psutil.Process]:
        """Every process of this hub: the hub, proxy, culler, servers and their kernels
        and Dask workers (all carry this hub's marker in their environment)."""
        found = []
        for proc in psutil.process_iter():
            try:
                if proc.environ().get(MARKER) == self.marker:
                    found.append(proc)
            except psutil.Error:
                continue
        return found

    def __enter__(self) -> RealHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- the hub's REST API, with the tests' admin service token --------------------

    def api(self, method: str, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return requests.request(
            method,
            f"{self.url}/hub/api/{path}",
            headers={"Authorization": f"token {self.tests_token}"},
            json=body,
            timeout=30,
            **kw,
        )

    def user_model(self, user: str) -> dict[str, Any]:
        response = self.api("GET", f"users/{user}")
        response.raise_for_status()
        model: dict[str, Any] = response.json()
        return model

    def server_model(self, user: str) -> dict[str, Any] | None:
        """The hub's record of ``user``'s default server (None: not running)."""
        model: dict[str, Any] | None = (self.user_model(user).get("servers") or {}).get("")
        return model

    def start_server(
        self, user: str, options: dict[str, Any] | None = None, timeout: float = 120.0
    ) -> dict[str, Any]:
        """Spawn ``user``'s server (``options`` become ``user_options``) and wait until
        it is ready. A running server is left as it is."""
        current = self.server_model(user)
        if current and current.get("ready") and not current.get("pending"):
            return current
        if not current:
            response = self.api("POST", f"users/{user}/server", body=options or {})
            if response.status_code not in (201, 202):
                raise RuntimeError(f"spawn of {user}: {response.status_code} {response.text}")

        def ready() -> dict[str, Any] | None:
            model = self.server_model(user)
            if model and model.get("ready") and not model.get("pending"):
                return model
            if not model and self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the hub died:\n{self.log_tail()}")
            return None

        return until(ready, timeout, every=0.5, what=f"{user}'s server")

    def stop_server(self, user: str, timeout: float = 60.0) -> None:
        if self.server_model(user) is None:
            return
        response = self.api("DELETE", f"users/{user}/server")
        if response.status_code not in (202, 204, 400):
            raise RuntimeError(f"stop of {user}: {response.status_code} {response.text}")
        until(lambda: self.server_model(user) is None, timeout, every=0.5, what="the stop")

    def server_processes(self, user: str) -> list[psutil.Process]:
        """The running jupyterhub-singleuser of ``user``."""
        return [
            p
            for p in self.processes()
            if "jupyterhub-singleuser" in " ".join(_cmdline(p))
            and _env(p, "JUPYTERHUB_USER") == user
        ]

    def server_token(self, user: str) -> str:
        """The ``$JUPYTERHUB_API_TOKEN`` the hub gave ``user``'s server."""
        for proc in self.server_processes(user):
            token = _env(proc, "JUPYTERHUB_API_TOKEN")
            if token:
                return token
        raise LookupError(f"{user} has no running server")


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:
        return []


def _env(proc: psutil.Process, name: str) -> str:
    try:
        return proc.environ().get(name, "")
    except psutil.Error:
        return ""
