#!/usr/bin/env python3
"""Latency of the Earthdata login against the bare calls it makes to Earthdata and DAACs.

One run starts the Earthdata stand-ins (``python -m cloudscapes.testing.earthdata --s3``:
Earthdata Login, DAAC ``/s3credentials``, IMDS and moto S3 on loopback ports) and one
real Jupyter server (``python -m jupyter_server``, which is what ``jupyter server``
runs) with ``cloudscapes`` and the benchmark-only ``looplag`` extension, token auth,
and HOME, netrc, AWS config, XDG and Jupyter dirs in a temporary directory, configured
through a ``jupyter_server_config.py`` to use the stand-ins. Then, interleaved so that
drift weighs on both sides alike:

1. sign-in: ``POST /cloudscapes/earthdata/session`` (remember me; each followed by an
   untimed ``DELETE`` without revoke) against the floor, the two calls the server makes
   to EDL (``POST /api/users/find_or_create_token`` with Basic auth, then
   ``GET /api/users/<uid>`` with the Bearer token) sent by the benchmark itself over
   keep-alive connections, and over a new connection per call as tornado's client does;
2. DAAC credential cache hits, after one ``POST /cloudscapes/earthdata/credentials/nsidc``:
   ``GET /cloudscapes/earthdata/credentials`` and the ``cloudscapes-credentials nsidc``
   process (what AWS profiles run in kernels; cached after its first call) against the
   floor, a bare ``GET`` of the DAAC's ``/s3credentials`` with the token (fresh
   credentials each time), and ``python -c pass``, the floor of any process.

The figures are written as a section of ``benchmarks/RESULTS.md``.

Exit status: 0 once measured; 1 when the benchmark itself failed (a stand-in or the
server did not start, a call failed, a cache hit was not one, ...).

Usage: python benchmarks/earthdata_latency.py [--sign-ins 50] [--runs 30] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import platform
import secrets
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import benchlib
from benchlib import (
    BenchmarkError,
    Client,
    Row,
    Server,
    cpu_count,
    cpu_model,
    finish,
    load_average,
    timed,
    version,
)
from results_md import RESULTS

from cloudscapes.testing import earthdata

SECTION = "Earthdata login"

USERNAME = "demo"
PASSWORD = "s3cret #1"  # the stand-ins' demo user
DAAC = "nsidc"
#: What the server sends EDL and DAACs (CloudscapesEarthdata.user_agent's default).
USER_AGENT = "cloudscapes/0.1 (JupyterLab server extension; python)"

SESSION = "/cloudscapes/earthdata/session"
CREDENTIALS = "/cloudscapes/earthdata/credentials"
CREDENTIAL_PROCESS = [sys.executable, "-m", "cloudscapes.earthdata.credential_process", DAAC]
PYTHON_PASS = [sys.executable, "-c", "pass"]
LOOPLAG = "/bench/looplag"

#: Row names, in the order of the table.
SIGN_IN = f"`POST {SESSION}` (remember me)"
SIGN_OUT = f"`DELETE {SESSION}?revoke=0` (sign out between sign-ins)"
BARE_EDL = "bare EDL: `find_or_create_token` + `GET /api/users/demo`, keep-alive (floor)"
BARE_EDL_NEW = "bare EDL, the same two calls, a new connection per call"
STATUS = f"`GET {CREDENTIALS}` (cached status)"
PROCESS = f"`cloudscapes-credentials {DAAC}` process (cache hit)"
BARE_DAAC = f"bare `GET /{DAAC}/s3credentials` with the token (floor, fresh credentials)"
PASS = "`python -c pass` (floor of any process)"

WARMUP = 2
PROCESS_TIMEOUT = 60.0
MAX_SAMPLES = 1000


# ---- the stand-ins and the server ---------------------------------------------------


@contextmanager
def earthdata_server(tmp: Path, token: str, info: dict[str, Any]) -> Iterator[Server]:
    """The Jupyter server under test, with every user file under ``tmp``."""
    env = benchlib.user_env(tmp)
    # Where cloudscapes-credentials looks without --state: the AWS profiles run it so.
    state_path = Path(env["XDG_DATA_HOME"]) / "cloudscapes" / "earthdata.json"
    config = {
        "CloudscapesEarthdata": {
            **earthdata.server_config(info),
            "state_path": str(state_path),
        }
    }
    with benchlib.cloudscapes_server(tmp, token, env, config) as server:
        yield server


# ---- the floor: the same calls, sent by the benchmark ------------------------------


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


class Bare(benchlib.Session):
    """Plain HTTP client of the stand-ins, with the headers the server sends."""

    def __init__(self, keep_alive: bool) -> None:
        super().__init__(
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            connector=aiohttp.TCPConnector(force_close=not keep_alive),
        )

    async def _json(self, method: str, url: str, authorization: str) -> Any:
        headers = {"Authorization": authorization}
        async with self._session.request(method, url, headers=headers) as response:
            body = await response.read()
            if response.status != 200:
                raise BenchmarkError(f"bare {method} {url}: HTTP {response.status}")
            return json.loads(body)

    async def sign_in(self, edl_url: str) -> str:
        """What the server's sign-in sends EDL: the token, then the profile."""
        basic_auth = basic(USERNAME, PASSWORD)
        answer = await self._json("POST", f"{edl_url}/api/users/find_or_create_token", basic_auth)
        token = str(answer["access_token"])
        await self._json("GET", f"{edl_url}/api/users/{USERNAME}", f"Bearer {token}")
        return token

    async def s3credentials(self, url: str, token: str) -> None:
        answer = await self._json("GET", url, f"Bearer {token}")
        if "accessKeyId" not in answer:
            raise BenchmarkError(f"bare GET {url}: no credentials in the answer")


# ---- measuring ----------------------------------------------------------------------


async def run_process(command: list[str], env: dict[str, str], cwd: Path) -> tuple[bytes, bytes]:
    """Run ``command`` to its end; its output, or a BenchmarkError if it failed."""
    process = await asyncio.create_subprocess_exec(
        *command,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), PROCESS_TIMEOUT)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        raise BenchmarkError(
            f"{shlex.join(command)} did not finish in {PROCESS_TIMEOUT:g} s"
        ) from None
    if process.returncode != 0:
        text = err.decode(errors="replace")[-500:]
        raise BenchmarkError(f"{shlex.join(command)} exited {process.returncode}: {text}")
    return out, err


def access_key(output: bytes) -> str:
    """The AccessKeyId a credential_process printed (checked to be well-formed)."""
    try:
        data = json.loads(output)
        if data["Version"] == 1 and data["SecretAccessKey"] and data["SessionToken"]:
            return str(data["AccessKeyId"])
    except (ValueError, KeyError, TypeError):
        pass
    raise BenchmarkError(f"credential_process printed no credentials: {output[:200]!r}")


def import_times(output: str) -> dict[str, float]:
    """Cumulative ms per module from ``python -X importtime`` (first import only)."""
    found: dict[str, float] = {}
    for line in output.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            found.setdefault(parts[2].strip(), int(parts[1]) / 1000.0)
    return found


@dataclass
class Results:
    rows: dict[str, Row]
    #: first credential_process call: a cache miss that fetches and caches
    miss_ms: float = 0.0
    imports_ms: dict[str, float] = field(default_factory=dict)
    #: server event-loop lag per phase: {"p50","p99","max","count"}
    lag: dict[str, dict[str, float]] = field(default_factory=dict)
    daac_fetches: int = 0


Step = Callable[[], Awaitable[Any]]


def rotate(steps: list[Step], i: int) -> list[Step]:
    """``steps`` starting at the ``i``-th: each call goes first as often as the others."""
    k = i % len(steps)
    return steps[k:] + steps[:k]


async def sign_in_phase(client: Client, edl_url: str, results: Results, sign_ins: int) -> None:
    rows = results.rows
    body = {"username": USERNAME, "password": PASSWORD, "remember": True}

    async def cloudscapes(measure: bool) -> None:
        """Sign in, then out: both timed when ``measure``."""
        started = time.perf_counter()
        answer = await client.json("POST", SESSION, body)
        signed_in = time.perf_counter()
        out = await client.json("DELETE", f"{SESSION}?revoke=0")
        signed_out = time.perf_counter()
        if not answer.get("signed_in") or "state" not in answer.get("stored_in", []):
            raise BenchmarkError(f"sign-in answered {answer!r}")
        if out.get("signed_in"):
            raise BenchmarkError("still signed in after DELETE")
        if measure:
            rows[SIGN_IN].samples_ms.append((signed_in - started) * 1000.0)
            rows[SIGN_OUT].samples_ms.append((signed_out - signed_in) * 1000.0)

    async with Bare(keep_alive=True) as keep, Bare(keep_alive=False) as fresh:
        for _ in range(WARMUP):
            await cloudscapes(measure=False)
            await keep.sign_in(edl_url)
            await fresh.sign_in(edl_url)
        await client.json("GET", f"{LOOPLAG}?reset=1")
        steps: list[Step] = [
            lambda: cloudscapes(measure=True),
            lambda: timed(rows[BARE_EDL], lambda: keep.sign_in(edl_url)),
            lambda: timed(rows[BARE_EDL_NEW], lambda: fresh.sign_in(edl_url)),
        ]
        for i in range(sign_ins):
            for step in rotate(steps, i):
                await step()
        results.lag["sign-in"] = await client.json("GET", f"{LOOPLAG}?reset=1")


async def credentials_phase(
    client: Client, server: Server, info: dict[str, Any], results: Results, runs: int
) -> None:
    rows = results.rows
    body = {"username": USERNAME, "password": PASSWORD, "remember": True}
    await client.json("POST", SESSION, body)
    refreshed = await client.json("POST", f"{CREDENTIALS}/{DAAC}")
    if refreshed.get("status") != "valid":
        raise BenchmarkError(f"POST {CREDENTIALS}/{DAAC} answered {refreshed!r}")
    status = await client.json("GET", CREDENTIALS)
    states = {d["daac"]: d["status"] for d in status["daacs"]}
    if states.get(DAAC) != "valid":
        raise BenchmarkError(f"GET {CREDENTIALS} answered {status!r}")

    env, cwd = server.env, server.root
    # The first call fetches from the DAAC and caches; every later one must be a hit.
    started = time.perf_counter()
    out, _ = await run_process(CREDENTIAL_PROCESS, env, cwd)
    results.miss_ms = (time.perf_counter() - started) * 1000.0
    cached_key = access_key(out)
    _, err = await run_process(
        [sys.executable, "-X", "importtime", "-c", "import " + CREDENTIAL_PROCESS[2]], env, cwd
    )
    results.imports_ms = import_times(err.decode(errors="replace"))

    async with Bare(keep_alive=True) as bare:
        token = await bare.sign_in(info["edl_url"])  # the server's token: EDL finds it
        daac_url = info["daacs"][DAAC]

        async def process() -> None:
            out, _ = await run_process(CREDENTIAL_PROCESS, env, cwd)
            if access_key(out) != cached_key:
                raise BenchmarkError("cloudscapes-credentials fetched anew: not a cache hit")

        async def status_ok() -> None:
            if not await client.get_ok(CREDENTIALS):
                raise BenchmarkError(f"GET {CREDENTIALS} failed")

        async def daac() -> None:
            await bare.s3credentials(daac_url, token)
            results.daac_fetches += 1

        for _ in range(WARMUP):
            await status_ok()
            await daac()
            await run_process(PYTHON_PASS, env, cwd)
        await client.json("GET", f"{LOOPLAG}?reset=1")
        steps: list[Step] = [
            lambda: timed(rows[STATUS], status_ok),
            lambda: timed(rows[BARE_DAAC], daac),
            lambda: timed(rows[PROCESS], process),
            lambda: timed(rows[PASS], lambda: run_process(PYTHON_PASS, env, cwd)),
        ]
        for i in range(runs):
            for step in rotate(steps, i):
                await step()
        results.lag["credentials"] = await client.json("GET", f"{LOOPLAG}?reset=1")
    await client.json("DELETE", f"{SESSION}?revoke=0")


async def run(sign_ins: int, runs: int) -> Results:
    names = [SIGN_IN, SIGN_OUT, BARE_EDL, BARE_EDL_NEW, STATUS, PROCESS, BARE_DAAC, PASS]
    results = Results({name: Row(name) for name in names})
    token = secrets.token_hex(24)
    with tempfile.TemporaryDirectory(prefix="bench-earthdata-") as name:
        tmp = Path(name)
        with (
            benchlib.earthdata_standins(tmp, "--s3", "--many", "0") as info,
            earthdata_server(tmp, token, info) as server,
        ):
            try:
                async with Client(server, token, 4) as client:
                    await client.wait_ready(LOOPLAG, SESSION)
                    model = await client.json("GET", SESSION)
                    if model.get("environment") != "demo" or model.get("signed_in"):
                        raise BenchmarkError(f"unexpected session before sign-in: {model!r}")
                    print(f"  sign-in: {sign_ins} x 3 interleaved", flush=True)
                    await sign_in_phase(client, info["edl_url"], results, sign_ins)
                    print(f"  DAAC credentials: {runs} x 4 interleaved", flush=True)
                    await credentials_phase(client, server, info, results, runs)
            except BenchmarkError as exc:
                tail = server.log_tail()
                raise BenchmarkError(f"{exc}\n--- server log (end) ---\n{tail}") from None
    return results


# ---- report -------------------------------------------------------------------------


def ratio(results: Results, name: str, floor: str) -> float:
    below = results.rows[floor].summary.p50
    return results.rows[name].summary.p50 / below if below else float("nan")


FLOORS = {
    SIGN_IN: (BARE_EDL, "bare EDL"),
    BARE_EDL_NEW: (BARE_EDL, "bare EDL"),
    STATUS: (BARE_DAAC, "bare DAAC"),
    PROCESS: (BARE_DAAC, "bare DAAC"),
}


def table(results: Results) -> str:
    rows = [
        "| call | n | p50 ms | p90 ms | p99 ms | max ms | p50 vs floor |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for name, row in results.rows.items():
        s = row.summary
        vs = "floor" if name in (BARE_EDL, BARE_DAAC, PASS) else "-"
        if name in FLOORS:
            floor, label = FLOORS[name]
            vs = f"{ratio(results, name, floor):.2f}x {label}"
        if name == PROCESS:
            vs += f", {ratio(results, PROCESS, PASS):.1f}x `python -c pass`"
        rows.append(
            f"| {name} | {s.count} | {s.p50:.1f} | {s.p90:.1f} | {s.p99:.1f} | {s.max:.1f} | {vs} |"
        )
    return "\n".join(rows)


def lag_text(results: Results) -> str:
    parts = []
    for phase, lag in results.lag.items():
        parts.append(f"{phase} phase p99 {lag['p99']:.1f} ms, max {lag['max']:.1f} ms")
    return "; ".join(parts)


def imports_text(results: Results) -> str:
    module = CREDENTIAL_PROCESS[2]
    total = results.imports_ms.get(module)
    if total is None:
        return "its import time could not be read."
    text = f"importing `{module}` takes {total:.0f} ms (`-X importtime`, one run)"
    server = results.imports_ms.get("jupyter_server.serverapp")
    if server is None:
        return text + "; it does not import `jupyter_server.serverapp`."
    return (
        f"{text}, {server:.0f} ms ({server / total:.0%}) of it `jupyter_server.serverapp`, "
        "which the package `cloudscapes.earthdata` pulls in through `cloudscapes.app`."
    )


def section(results: Results, sign_ins: int, runs: int, load: str) -> str:
    command = shlex.join(["python", "benchmarks/earthdata_latency.py", *sys.argv[1:]])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    p50 = {name: row.summary.p50 for name, row in results.rows.items()}
    sign_in = ratio(results, SIGN_IN, BARE_EDL)
    status, process = ratio(results, STATUS, BARE_DAAC), ratio(results, PROCESS, BARE_DAAC)
    return f"""\
`{command}`, {when}.

{table(results)}

- Sign-in p50, Cloudscapes / bare EDL (keep-alive): {sign_in:.2f}x
  ({p50[SIGN_IN]:.1f} ms vs {p50[BARE_EDL]:.1f} ms).
- DAAC credentials p50, cached status `GET {CREDENTIALS}` / bare DAAC fetch: {status:.2f}x;
  `cloudscapes-credentials` cache hit / bare DAAC fetch: {process:.1f}x.
- A process's time is its start-up, not its cache lookup (one small file read): the
  interpreter alone (`python -c pass`) takes {p50[PASS]:.0f} ms at p50, the credential
  process {p50[PROCESS]:.0f} ms. Of that start-up, {imports_text(results)}
  The first call, a cache miss that fetches from the DAAC and writes the cache, took
  {results.miss_ms:.0f} ms.
- Server event-loop lag (`benchmarks/looplag.py`) over each phase: {lag_text(results)}.

- Machine: {cpu_count()} CPUs, {cpu_model()}; {platform.system()} {platform.release()};
  load average {load} at the start (other work on the machine shows in the tails).
- Software: Python {platform.python_version()}, jupyter_server {version("jupyter_server")},
  tornado {version("tornado")} (the server's EDL client), jupyterlab {version("jupyterlab")},
  aiohttp {version("aiohttp")} (benchmark client), moto {version("moto")} (S3 stand-in).
- Parameters: {sign_ins} sign-ins and {runs} credential rounds after {WARMUP} untimed
  warm-ups each; within each round the calls run one after another, in an order rotated
  every round. One Jupyter server on 127.0.0.1 (token auth, HOME, netrc, AWS config, XDG
  and Jupyter dirs in a temporary directory) and the stand-ins of
  `cloudscapes.testing.earthdata --s3`, demo user, DAAC `{DAAC}`, configured through
  `jupyter_server_config.py`. Sign-in: `{{"username", "password", "remember": true}}`
  (writes the netrc entry and the 0600 state file), then `DELETE ?revoke=0`, so EDL keeps
  answering the same token and the two-token limit is never reached. The bare floors are
  sent from the benchmark process with the server's headers: keep-alive, and a new
  connection per call as tornado's `simple_httpclient` (the server's client) opens.
  Credentials: after one `POST {CREDENTIALS}/{DAAC}` and one untimed
  first run of the process (cache miss); each timed run must print the cached
  AccessKeyId; processes get the server's environment; the bare DAAC `GET` issues new
  moto credentials each time.
- Latency: client-side, from sending a request (or spawning the process) to reading its
  whole answer (or its exit); the client runs on the same machine."""


def failures(results: Results, sign_ins: int, runs: int) -> list[str]:
    expected = {SIGN_IN: sign_ins, BARE_EDL: sign_ins, PROCESS: runs, BARE_DAAC: runs}
    return [
        f"{name}: {len(results.rows[name].samples_ms)} samples instead of {count}"
        for name, count in expected.items()
        if len(results.rows[name].samples_ms) != count
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sign-ins", type=int, default=50, help="timed sign-ins (default 50)")
    parser.add_argument("--runs", type=int, default=30, help="credential rounds (default 30)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to update")
    args = parser.parse_args(argv)
    if not (1 <= args.sign_ins <= MAX_SAMPLES and 1 <= args.runs <= MAX_SAMPLES):
        parser.error(f"--sign-ins and --runs must be from 1 to {MAX_SAMPLES}")

    print(f"earthdata latency: {args.sign_ins} sign-ins, {args.runs} runs", flush=True)
    load = load_average()
    return finish(
        SECTION,
        args.out,
        run(args.sign_ins, args.runs),
        lambda results: section(results, args.sign_ins, args.runs, load),
        lambda results: failures(results, args.sign_ins, args.runs),
        show_failed=False,
    )


if __name__ == "__main__":
    sys.exit(main())
