"""Helpers shared by the benchmarks: percentiles, a real Jupyter server in isolated
dirs, its token-authenticated HTTP client, and the machine/software facts of a report.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import aiohttp
from results_md import write_section

from cloudscapes.testing import free_port

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

REQUEST_TIMEOUT = 10.0
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0

#: What a benchmark's run returns (its results), for :func:`finish`.
R = TypeVar("R")


class BenchmarkError(Exception):
    """The benchmark could not measure (not: the goal was missed)."""


# ---- statistics ---------------------------------------------------------------------


@dataclass
class Summary:
    count: int
    p50: float
    p90: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: list[float]) -> Summary:
        if not values:
            return cls(0, 0.0, 0.0, 0.0, 0.0)
        if len(values) == 1:
            return cls(1, values[0], values[0], values[0], values[0])
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        return cls(len(values), cuts[49], cuts[89], cuts[98], max(values))


@dataclass
class Row:
    """One row of a results table: a named series of samples, in milliseconds."""

    name: str
    samples_ms: list[float] = field(default_factory=list)

    def p(self, q: int) -> float:
        return percentile(self.samples_ms, q)

    @property
    def max(self) -> float:
        return max(self.samples_ms) if self.samples_ms else 0.0

    @property
    def summary(self) -> Summary:
        return Summary.of(self.samples_ms)


async def timed(row: Row, call: Callable[[], Awaitable[Any]]) -> Any:
    """``await call()``, its duration appended to ``row``: what it returned."""
    started = time.perf_counter()
    result = await call()
    row.samples_ms.append((time.perf_counter() - started) * 1000.0)
    return result


def percentile(values: Sequence[float], q: int) -> float:
    """The ``q``-th percentile (1..99, inclusive method, as :class:`Summary`); 0 if empty."""
    if not values:
        return 0.0
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# ---- processes ----------------------------------------------------------------------


def stop_process(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "".join(text.splitlines(keepends=True)[-lines:])


# ---- the server under test ----------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    #: the server's environment (what its kernels and their subprocesses inherit)
    env: dict[str, str]
    root: Path

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log, lines)


@contextmanager
def jupyter_server(
    tmp: Path,
    token: str,
    options: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    unset_prefixes: Sequence[str] = (),
    config_py: str = "",
) -> Iterator[Server]:
    """A Jupyter server in isolated Jupyter/IPython dirs under ``tmp``, stopped on exit.

    ``options`` are extra ``--Class.trait=value`` arguments (extensions among them);
    ``env`` overrides variables of the server's environment, from which those starting
    with one of ``unset_prefixes`` are left out; ``config_py`` becomes
    ``jupyter_server_config.py`` in its config dir.
    """
    dirs = {name: tmp / name for name in ("config", "data", "runtime", "ipython", "root")}
    for path in dirs.values():
        path.mkdir()
    if config_py:
        (dirs["config"] / "jupyter_server_config.py").write_text(config_py, encoding="utf-8")
    root = str(dirs["root"])
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(tuple(unset_prefixes))}
    server_env = {
        **inherited,
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "IPYTHONDIR": str(dirs["ipython"]),
        "JUPYTER_TOKEN": token,  # not on the command line, where `ps` would show it
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(HERE), str(REPO), os.environ.get("PYTHONPATH", "")) if p
        ),
        **(env or {}),
    }
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.allow_unauthenticated_access=False",
        *options,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")  # containers often run as root
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=server_env, cwd=root, stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
    server = Server(process, f"http://127.0.0.1:{port}", log, server_env, dirs["root"])
    try:
        yield server
    finally:
        stop_process(process)  # on SIGTERM the server shuts its kernels down


def user_env(tmp: Path) -> dict[str, str]:
    """HOME, netrc, AWS config and XDG dirs of a throw-away user under ``tmp/home``."""
    home = tmp / "home"
    home.mkdir()
    return {
        "HOME": str(home),
        "NETRC": str(home / ".netrc"),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
    }


@contextmanager
def cloudscapes_server(
    tmp: Path, token: str, env: Mapping[str, str], config: Mapping[str, Mapping[str, Any]]
) -> Iterator[Server]:
    """A Jupyter server with ``cloudscapes`` and ``looplag``, the user files of ``env``
    (:func:`user_env`) and ``config`` (``{"CloudscapesData": {trait: value}}``) in its
    ``jupyter_server_config.py``; the host's own Earthdata/AWS settings do not leak in."""
    lines = ["c = get_config()  # noqa: F821"]
    for cls, values in config.items():
        lines += [f"c.{cls}.{name} = {value!r}" for name, value in values.items()]
    options = [
        "--ServerApp.jpserver_extensions=cloudscapes=True",
        "--ServerApp.jpserver_extensions=looplag=True",
    ]
    with jupyter_server(
        tmp,
        token,
        options,
        env=env,
        unset_prefixes=("EARTHDATA_", "CLOUDSCAPES_", "AWS_"),
        config_py="\n".join(lines) + "\n",
    ) as server:
        yield server


class Session:
    """An aiohttp session that ``async with`` closes: the clients of the server under
    test and of the stand-ins share their timeout and their clean-up."""

    def __init__(self, **options: Any) -> None:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT), **options
        )

    async def __aenter__(self: _S) -> _S:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.close()


_S = TypeVar("_S", bound=Session)


class Client(Session):
    """Token-authenticated keep-alive HTTP client of the server under test."""

    def __init__(self, server: Server, token: str, connections: int) -> None:
        self.server = server
        super().__init__(
            base_url=server.url,
            headers={"Authorization": f"token {token}"},
            connector=aiohttp.TCPConnector(limit=connections),
        )

    async def get_ok(self, path: str) -> bool:
        """GET ``path`` and read the whole answer: was it a 200?"""
        try:
            async with self._session.get(path) as response:
                await response.read()
                return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    async def json(self, method: str, path: str, body: Any = None) -> Any:
        async with self._session.request(method, path, json=body) as response:
            if response.status >= 300:
                text = await response.text()
                raise BenchmarkError(f"{method} {path}: HTTP {response.status}: {text[:200]}")
            return await response.json() if response.status != 204 else None

    async def wait_ready(self, *paths: str) -> None:
        """Until ``/api/status`` and every one of ``paths`` answer 200."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.server.process.poll() is not None:
                raise BenchmarkError(
                    f"the Jupyter server exited ({self.server.process.returncode})"
                )
            for path in ("/api/status", *paths):
                if not await self.get_ok(path):
                    break
            else:
                return
            await asyncio.sleep(0.2)
        raise BenchmarkError(f"the Jupyter server did not answer in {STARTUP_TIMEOUT:.0f} s")


# ---- the stand-ins (cloudscapes.testing.earthdata) ----------------------------------


@contextmanager
def earthdata_standins(tmp: Path, *args: str) -> Iterator[dict[str, Any]]:
    """``python -m cloudscapes.testing.earthdata --info-file ... *args`` (for example
    ``--s3``, ``--many 100000``), stopped on exit: its info file's JSON, once every
    stand-in listens. Its output goes to ``tmp/standins.log``."""
    info_file, log = tmp / "standins.json", tmp / "standins.log"
    command = [sys.executable, "-m", "cloudscapes.testing.earthdata", "--info-file"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, str(info_file), *args],
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not info_file.exists():  # written atomically once every stand-in listens
            if process.poll() is not None:
                raise BenchmarkError(
                    f"the stand-ins exited ({process.returncode})\n{log_tail(log)}"
                )
            if time.monotonic() > deadline:
                raise BenchmarkError(f"the stand-ins did not start in {STARTUP_TIMEOUT:.0f} s")
            time.sleep(0.1)
        yield json.loads(info_file.read_text(encoding="utf-8"))
    finally:
        stop_process(process)


# ---- report -------------------------------------------------------------------------


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the report ("?" where there are none)."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Hardware", "Processor"):
                return value.strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


# ---- the end of a run -----------------------------------------------------------------


def finish(
    heading: str,
    out: Path,
    measure: Coroutine[Any, Any, R],
    section: Callable[[R], str],
    failures: Callable[[R], list[str]],
    *,
    show_failed: bool = True,
) -> int:
    """Run ``measure``; print its section and write it under ``heading`` into ``out``
    unless it failed: the exit status of a benchmark's ``main``.

    A failure (a :class:`BenchmarkError`, or ``failures`` naming a problem) leaves
    ``out`` as it was, so a bad run never replaces a good one. With ``show_failed`` the
    section is printed before the problems (a missed goal: the table says by how much);
    without, a failed run prints none (too few samples: the table would mislead).
    """
    try:
        results = asyncio.run(measure)
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    problems = failures(results)
    if problems and not show_failed:
        print("benchmark failed: " + "; ".join(problems), file=sys.stderr)
        return 1
    body = section(results)
    print(f"\n## {heading}\n\n{body}\n")
    if problems:
        print("benchmark failed: " + "; ".join(problems), file=sys.stderr)
        return 1
    write_section(heading, body, out)
    print(f"wrote {out}")
    return 0
