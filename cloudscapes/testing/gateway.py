"""A real Dask Gateway on loopback, for the tests and ``make demo``.

:func:`start_gateway` runs ``python -m dask_gateway_server -f <config>`` (the real
``dask-gateway-server``, not a stand-in) in its own process group, with:

- the local backend (``UnsafeLocalBackend``: schedulers and workers are processes of
  this user; ``LocalBackend`` would need one system account per gateway user);
- ``dask scheduler`` / ``dask worker`` of this interpreter (distributed 2026.8 has no
  ``dask-scheduler`` / ``dask-worker`` commands);
- ``SimpleAuthenticator`` with a random shared password: any user name, one password.
  Clients send HTTP basic auth as :data:`USERNAME`;
- one loopback port (the gateway's proxy) for everything a client reaches: the REST API
  (``/api/v1/...``), the dashboards (``/clusters/<name>/status``) and the schedulers'
  TLS traffic (``gateway://127.0.0.1:<port>``); the private API of the gateway process
  listens on a second port that only the proxy uses. As on a hub, the dashboards
  answer without any auth (the cluster name in the URL is the only secret;
  dask/dask-gateway#570), while every ``/api/v1`` route needs the password;
- an options form as hubs offer one (worker cores 1 to 2, worker memory 0.5 to 4 GiB;
  1 core and 1 GiB by default) and an idle timeout;
- its database in memory and the clusters' working directories (TLS certificates,
  scheduler and worker logs) under ``workdir/clusters``; its log in ``workdir/gateway.log``.

The gateway's processes (the Go proxy, every scheduler, every worker) each start in a
new session, so a process-group kill of the gateway does not reach them:
:meth:`GatewayServer.stop` stops the clusters through the API, lets the gateway shut
down (it stops what is left), then kills every descendant it saw, so nothing is left.

``python -m cloudscapes.testing.gateway --info-file F`` runs one until SIGINT/SIGTERM and
writes ``{address, proxy_address, username, password, env, log}`` to ``F`` (0600) once
it answers, and removes it on exit.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil

from . import free_port
from .serving import write_info

if TYPE_CHECKING:
    import dask_gateway

#: The gateway user every client of a test gateway signs in as.
USERNAME = "cloudscapes"

#: Seconds to wait for the gateway to shut down (it stops its clusters first) before
#: killing whatever is left.
STOP_TIMEOUT = 30.0

_CONFIG = """\
# dask-gateway-server configuration written by cloudscapes.testing.gateway
from dask_gateway_server.options import Float, Integer, Options

c = get_config()  # noqa: F821

c.DaskGateway.address = {api_address!r}
c.Proxy.address = {proxy_address!r}
c.Proxy.tcp_address = {proxy_address!r}
c.DaskGateway.log_level = "INFO"

c.DaskGateway.backend_class = "dask_gateway_server.backends.local.UnsafeLocalBackend"
c.UnsafeLocalBackend.clusters_directory = {clusters_directory!r}
# The database stays in memory (and so clusters are stopped when the gateway stops).
c.UnsafeLocalBackend.db_url = "sqlite:///:memory:"
c.UnsafeLocalBackend.stop_clusters_on_shutdown = True
# Notice dead schedulers and workers sooner than the 30 s defaults.
c.UnsafeLocalBackend.cluster_status_period = 5
c.UnsafeLocalBackend.worker_status_period = 5
c.UnsafeLocalBackend.sigint_timeout = 5
c.UnsafeLocalBackend.sigterm_timeout = 3

c.DaskGateway.authenticator_class = "dask_gateway_server.auth.SimpleAuthenticator"
c.SimpleAuthenticator.password = {password!r}

c.ClusterConfig.scheduler_cmd = [{dask!r}, "scheduler"]
c.ClusterConfig.worker_cmd = [{dask!r}, "worker"]
c.ClusterConfig.idle_timeout = {idle_timeout!r}
c.ClusterConfig.worker_cores = 1
c.ClusterConfig.worker_memory = "1 G"
c.ClusterConfig.scheduler_memory = "1 G"


def _options_handler(options):
    return {{
        "worker_cores": options.worker_cores,
        "worker_memory": int(options.worker_memory * 2**30),
    }}


c.Backend.cluster_options = Options(
    Integer("worker_cores", default=1, min=1, max=2, label="Worker cores"),
    Float("worker_memory", default=1, min=0.5, max=4, label="Worker memory (GiB)"),
    handler=_options_handler,
)
"""


class GatewayError(RuntimeError):
    """The gateway did not start (the message ends with its log)."""


@dataclass
class GatewayServer:
    """A running ``dask-gateway-server`` (see :func:`start_gateway`)."""

    #: ``http://127.0.0.1:PORT``: REST API, dashboards and (as ``gateway://``) schedulers
    address: str
    username: str
    password: str
    workdir: Path
    process: subprocess.Popen[bytes]
    #: the gateway's own (private) API, which only its proxy talks to
    api_address: str = ""
    #: remove ``workdir`` on :meth:`stop` (it was created by :func:`start_gateway`)
    remove_workdir: bool = False
    _seen: dict[int, psutil.Process] = field(default_factory=dict, repr=False)

    # ---- what clients need ----------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self.address.rsplit(":", 1)[1])

    @property
    def proxy_address(self) -> str:
        """The scheduler proxy, as ``Gateway(proxy_address=...)`` takes it."""
        return f"gateway://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / "gateway.log"

    def env(self) -> dict[str, str]:
        """What a kernel needs so that ``dask_gateway.Gateway()`` with no arguments
        reaches this gateway (dask config from ``DASK_GATEWAY__*`` variables)."""
        return {
            "DASK_GATEWAY__ADDRESS": self.address,
            "DASK_GATEWAY__PUBLIC_ADDRESS": self.address,
            "DASK_GATEWAY__PROXY_ADDRESS": self.proxy_address,
            "DASK_GATEWAY__AUTH__TYPE": "basic",
            "DASK_GATEWAY__AUTH__KWARGS__USERNAME": self.username,
            "DASK_GATEWAY__AUTH__KWARGS__PASSWORD": self.password,
        }

    def client(self, asynchronous: bool = False) -> dask_gateway.Gateway:
        """A ``dask_gateway.Gateway`` signed in as :attr:`username` (close it after use)."""
        from dask_gateway import BasicAuth, Gateway

        return Gateway(
            self.address,
            proxy_address=self.proxy_address,
            public_address=self.address,
            auth=BasicAuth(self.username, self.password),
            asynchronous=asynchronous,
        )

    def request(self, method: str, path: str, body: Any = None, auth: bool = True) -> Any:
        """``method path`` on the gateway's REST API through its proxy; the JSON answer
        (None for an empty one). Raises ``urllib.error.HTTPError`` on 4xx/5xx."""
        headers = {"Accept": "application/json"}
        if auth:
            basic = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {basic}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        url = self.address + path  # http://127.0.0.1:PORT/...
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            raw = response.read()
        return json.loads(raw) if raw.strip() else None

    def cluster_names(self, statuses: str = "") -> list[str]:
        """Names of this user's clusters: those not asked to stop, or those in one of
        ``statuses`` (``"PENDING,RUNNING,STOPPING"``)."""
        query = f"?status={statuses}" if statuses else ""
        return sorted(self.request("GET", f"/api/v1/clusters/{query}"))

    def stop_clusters(self, timeout: float = 30.0) -> None:
        """Stop every cluster of :attr:`username` and wait until all have stopped (their
        processes are gone): between tests that share one gateway."""
        for name in self.cluster_names():
            with suppress(urllib.error.HTTPError):
                self.request("DELETE", f"/api/v1/clusters/{name}")
        deadline = time.monotonic() + timeout
        while self.cluster_names("PENDING,RUNNING,STOPPING"):
            if time.monotonic() > deadline:
                raise GatewayError(f"clusters still listed after {timeout:g} s")
            time.sleep(0.1)

    # ---- processes ------------------------------------------------------------------

    def processes(self) -> list[psutil.Process]:
        """The gateway process and every live descendant (proxy, schedulers, workers,
        their nannies' children), also remembered for :meth:`stop`."""
        try:
            root = psutil.Process(self.process.pid)
            found = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            found = []
        for proc in found:
            self._seen.setdefault(proc.pid, proc)
        return [p for p in self._seen.values() if _alive(p)]

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "".join(text.splitlines(keepends=True)[-lines:])

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop every cluster, then the gateway; kill whatever of its process tree is
        left (the proxy, schedulers and workers run in sessions of their own)."""
        self.processes()
        if self.process.poll() is None:
            with suppress(Exception):
                self.stop_clusters(timeout=timeout / 2)
            self.processes()  # workers started in the meantime
            # SIGTERM: the gateway stops the remaining clusters and its proxy, then exits.
            with suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        leftovers = [p for p in self._seen.values() if _alive(p)]
        for proc in leftovers:
            # The gateway, its proxy, schedulers and workers each lead a process group
            # (a session of their own): take the whole group.
            with suppress(OSError):
                if os.getpgid(proc.pid) == proc.pid:
                    os.killpg(proc.pid, signal.SIGKILL)
            with suppress(psutil.Error):
                proc.kill()
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        # Until every one is gone, zombies included (orphans are reaped by init).
        others = [p for p in self._seen.values() if p.pid != self.process.pid]
        psutil.wait_procs(others, timeout=5)
        if self.remove_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> GatewayServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _dask_command() -> str:
    """The ``dask`` CLI next to this interpreter (a venv's bin dir)."""
    for folder in (Path(sys.executable).parent, Path(sys.prefix) / "bin"):
        candidate = folder / "dask"
        if candidate.exists():
            return str(candidate)
    found = shutil.which("dask")
    if found is None:
        raise GatewayError("no `dask` command next to this Python (pip install distributed)")
    return found


def _stop_with_parent() -> None:
    """In the child, before exec (Linux): SIGTERM when the process that started the
    gateway dies, even by SIGKILL (a test runner killing its web server), so that the
    gateway stops its clusters and exits instead of running on."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def start_gateway(
    workdir: Path | None = None, idle_timeout: float = 600, ready_timeout: float = 30
) -> GatewayServer:
    """Start ``dask-gateway-server`` on free loopback ports and wait until
    ``GET /api/health`` answers through its proxy.

    ``workdir`` holds the config (0600: it has the password), the log and the clusters'
    directories; without one a temporary directory is made and removed by ``stop()``.
    ``idle_timeout``: seconds after which an idle cluster stops itself (0: never).
    Raises :class:`GatewayError`, with the end of the gateway's log, if it does not
    answer within ``ready_timeout`` seconds.
    """
    remove = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="cloudscapes-gateway-") if workdir is None else workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    clusters = workdir / "clusters"
    clusters.mkdir(exist_ok=True)
    api_port, proxy_port = free_port(), free_port()
    while proxy_port == api_port:
        proxy_port = free_port()
    # A letter first: dask parses DASK_* values as Python literals ("1_000" is an int).
    password = "cs" + secrets.token_hex(16)
    config = workdir / "dask_gateway_config.py"
    text = _CONFIG.format(
        api_address=f"127.0.0.1:{api_port}",
        proxy_address=f"127.0.0.1:{proxy_port}",
        clusters_directory=str(clusters),
        password=password,
        dask=_dask_command(),
        idle_timeout=float(idle_timeout),
    )
    fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    # The gateway must not pick up a client configuration or a proxy token from the
    # caller's environment (a hub's DASK_GATEWAY__* variables, for one).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASK_GATEWAY", "JUPYTERHUB_"))}
    log = workdir / "gateway.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "dask_gateway_server", "-f", str(config)],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_stop_with_parent,
        )
    gateway = GatewayServer(
        address=f"http://127.0.0.1:{proxy_port}",
        username=USERNAME,
        password=password,
        workdir=workdir,
        process=process,
        api_address=f"http://127.0.0.1:{api_port}",
        remove_workdir=remove,
    )
    try:
        _wait_ready(gateway, ready_timeout)
    except BaseException:
        gateway.stop(timeout=5)  # the error carries the end of the log
        raise
    return gateway


def _wait_ready(gateway: GatewayServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if gateway.process.poll() is not None:
            raise GatewayError(
                f"dask-gateway-server exited ({gateway.process.returncode})\n"
                f"--- {gateway.log} (end) ---\n{gateway.log_tail()}"
            )
        try:
            if gateway.request("GET", "/api/health", auth=False) == {"status": "pass"}:
                return
        except (OSError, ValueError):
            pass  # not listening yet, or the proxy has no route to the API yet
        if time.monotonic() > deadline:
            raise GatewayError(
                f"dask-gateway-server did not answer in {timeout:g} s\n"
                f"--- {gateway.log} (end) ---\n{gateway.log_tail()}"
            )
        time.sleep(0.1)


@contextmanager
def running_gateway(**kwargs: Any) -> Iterator[GatewayServer]:
    """:func:`start_gateway` (same arguments), stopped on exit."""
    gateway = start_gateway(**kwargs)
    try:
        yield gateway
    finally:
        gateway.stop()


def server_config(gateway: GatewayServer) -> dict[str, Any]:
    """The ``CloudscapesDask`` traits that point a Jupyter server at ``gateway``."""
    return {
        "gateway_address": gateway.address,
        "gateway_proxy_address": gateway.proxy_address,
        "gateway_auth": "basic",
        "gateway_auth_kwargs": {"username": gateway.username, "password": gateway.password},
    }


def configure_server(c: MutableMapping[str, Any], gateway: GatewayServer) -> None:
    """Point a Jupyter server's config at ``gateway``: ``c`` is a traitlets ``Config``
    (``jupyter_server_config.py``) or pytest-jupyter's ``jp_server_config`` dict."""
    from traitlets.config import Config

    if isinstance(c, Config):
        section = c.CloudscapesDask  # made on first access
    else:
        section = c.setdefault("CloudscapesDask", {})
    section.update(server_config(gateway))


# ---- python -m cloudscapes.testing.gateway --------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run a local dask-gateway-server (UnsafeLocalBackend) until interrupted."
    )
    parser.add_argument("--info-file", type=Path, help="write address and credentials here")
    parser.add_argument("--workdir", type=Path, help="config, log and cluster directories")
    parser.add_argument("--idle-timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    gateway = start_gateway(args.workdir, idle_timeout=args.idle_timeout)
    try:
        info = {
            "address": gateway.address,
            "proxy_address": gateway.proxy_address,
            "username": gateway.username,
            "password": gateway.password,
            "env": gateway.env(),
            "log": str(gateway.log),
        }
        if args.info_file:
            write_info(args.info_file, info)
        print(f"Dask Gateway at {gateway.address} (user {gateway.username})", flush=True)
        while gateway.process.poll() is None:
            time.sleep(0.5)
        print(f"dask-gateway-server exited ({gateway.process.returncode})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        gateway.stop()
        if args.info_file:
            args.info_file.unlink(missing_ok=True)  # it holds the password


if __name__ == "__main__":
    sys.exit(main())
