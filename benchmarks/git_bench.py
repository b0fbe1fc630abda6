#!/usr/bin/env python3
"""The git panel's server calls against jupyterlab-git's, and status against bare git.

One real Jupyter server (``python -m jupyter_server``) on a free 127.0.0.1 port, token
auth, isolated Jupyter dirs and HOME, with two server extensions side by side:
``cloudscapes`` and ``jupyterlab_git`` (jupyterlab-git 0.55.0, its core package and
nbdime, installed for the benchmark only into ``.bench/jlgit-site`` and put on the
server's ``PYTHONPATH``, never into the venv, where it would add a second git panel to
JupyterLab). Its root holds the seeded repositories of ``git_fixture.py``: ``big``
(20,000 files, 2,000 commits, 50 notebooks, one of ~5 MB) and ``small``.

Measured on ``big``, one request at a time, the sides alternating with the order
reversed every round (A B B A ...) after warm-ups, in three states (clean, 200 modified,
200 modified + 5,000 untracked):

- status: ``GET /cloudscapes/git/status?path=big`` against ``POST /git/big/status``
  and, as the floor, ``git --no-optional-locks status --porcelain=v2 -z --branch
  -unormal`` run by the benchmark itself (asyncio subprocess, whole output read);
- log of 25 and 1,000 commits (clean): ``GET /cloudscapes/git/log?path=big&limit=N``
  against ``POST /git/big/log {history_count: N}`` (floor: ``git log``);
- the big notebook's diff, index to work tree (200 modified): ``GET
  /cloudscapes/git/diff?path=big&file=…`` against what jupyterlab-git's panel sends, in
  its order: ``POST /git/big/content`` for the index and for the work tree, then ``POST
  /git/diffnotebook`` with both (floor: the text ``git diff`` of the file).

Per call it records latency (client side, to the last byte), answer bytes and the
server's CPU and its reaped children's (git's) from ``/proc/<pid>/stat``. Git processes
per call are counted separately, with trace2 (``trace2.eventTarget`` in the isolated
HOME's ``.gitconfig``, one event file per git process) switched on only while counting,
so tracing never weighs on the timed calls.

Head of line: ``small``'s status while ``big`` runs one long git command through the same
extension: a commit whose pre-commit hook sleeps and then refuses (both extensions run
the repository's hooks on commit; the repository is left as it was).

The figures are written as a section of ``benchmarks/RESULTS.md`` (``git_report.py``).
Goals: Cloudscapes' status p50 ≤ 0.5x jupyterlab-git's and ≤ 1.3x bare git, in every
state; no status of ``small`` waits behind ``big``'s work.

Exit status: 0 once measured, whether or not a goal is met; 1 when the benchmark itself
failed (server did not start, a request failed, an answer was not what the state says).

Usage: python benchmarks/git_bench.py [--rounds 50] [--diff-rounds 50] [--hol-rounds 4]
       [--phases status,log,diff,hol] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import benchlib
import git_fixture
from benchlib import HERE, REPO, BenchmarkError, load_average
from git_report import (
    OURS,
    RAW,
    THEIRS,
    Hol,
    Results,
    Sample,
    Series,
    failures,
    section,
)
from results_md import RESULTS

SECTION = "Git panel: status, log and diff"

#: jupyterlab-git's server side and what it imports that the dev environment lacks.
JLGIT_REQUIREMENTS = [
    "jupyterlab-git==0.55.0",
    "jupyterlab-git-core==0.55.0",
    "nbdime==4.0.4",
    "colorama==0.4.6",
]
SITE = REPO / ".bench" / "jlgit-site"

BIG, SMALL = "big", "small"
NOTEBOOK = git_fixture.BIG_NOTEBOOK
CLEAN, MODIFIED, UNTRACKED = "clean", "200 modified", "+ 5,000 untracked"
MODIFIED_FILES, UNTRACKED_FILES = 200, 5_000
#: trace2 rounds per call when counting git processes
COUNT_ROUNDS = 3
#: the pre-commit hook's sleep (the long command of the head-of-line phase)
HOOK_SECONDS = 2.0
CALL_TIMEOUT = 120.0
IDENTITY = "[user]\n\tname = Bench Mark\n\temail = bench@example.org\n"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---- jupyterlab-git, for the benchmark only -----------------------------------------


def ensure_jlgit(site: Path = SITE) -> None:
    """``pip install --target site --no-deps`` the pinned requirements, once."""
    stamp = site / ".requirements"
    wanted = "\n".join(JLGIT_REQUIREMENTS) + "\n"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return
    print(f"  installing {', '.join(JLGIT_REQUIREMENTS)} into {site}", flush=True)
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += ["--target", str(site), "--no-deps", *JLGIT_REQUIREMENTS]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"pip could not install jupyterlab-git:\n{done.stderr[-2000:]}")
    stamp.write_text(wanted, encoding="utf-8")


# ---- measuring ----------------------------------------------------------------------


def server_cpu(pid: int) -> tuple[float, float]:
    """(the server's own CPU, its reaped children's CPU) in ms, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        fields = stat.read().rsplit(b")", 1)[1].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime) * 1000 / CLK_TCK, (cutime + cstime) * 1000 / CLK_TCK


def own_children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


#: a call: does its work, returns the answer's bytes
Call = Callable[[], Awaitable[int]]


async def measure(pid: int, call: Call, raw: bool) -> Sample:
    cpu0, children0 = server_cpu(pid)
    own0 = own_children_cpu()
    started = time.perf_counter()
    size = await call()
    ms = (time.perf_counter() - started) * 1000
    cpu1, children1 = server_cpu(pid)
    if raw:  # the benchmark ran git itself
        return Sample(ms, size, 0.0, own_children_cpu() - own0)
    return Sample(ms, size, cpu1 - cpu0, children1 - children0)


async def interleave(pid: int, calls: list[tuple[Series, Call]], rounds: int, warmups: int) -> None:
    """``warmups`` + ``rounds`` rounds of every call, the order reversed every round."""
    names = ", ".join(f"{s.side}" for s, _ in calls)
    print(f"  {calls[0][0].call} ({calls[0][0].state}): {names}", flush=True)
    for r in range(warmups + rounds):
        for series, call in calls if r % 2 == 0 else calls[::-1]:
            sample = await measure(pid, call, series.side == RAW)
            if r >= warmups:
                series.samples.append(sample)


def per_call(name: str, count: int, rounds: int) -> str:
    """``status``, ``show x2``, or ``rev-parse in 1 of 3 calls`` (a cache that expired)."""
    if count % rounds:
        return f"{name} in {count} of {rounds} calls"
    return name if count == rounds else f"{name} x{count // rounds}"


class Trace:
    """Counts git processes with trace2, switched on in HOME's ``.gitconfig``."""

    def __init__(self, home: Path, events: Path) -> None:
        self.gitconfig = home / ".gitconfig"
        self.events = events
        self.gitconfig.write_text(IDENTITY, encoding="utf-8")

    async def count(self, call: Call, rounds: int = COUNT_ROUNDS) -> tuple[float, str]:
        """(git processes per call, their commands, e.g. ``status, show x2``): every
        git process started while ``call`` ran ``rounds`` times, children of git too."""
        shutil.rmtree(self.events, ignore_errors=True)
        self.events.mkdir()
        self.gitconfig.write_text(
            IDENTITY + f"[trace2]\n\teventTarget = {self.events}\n", encoding="utf-8"
        )
        try:
            for _ in range(rounds):
                await call()
        finally:
            self.gitconfig.write_text(IDENTITY, encoding="utf-8")
        names: list[str] = []
        for path in sorted(self.events.iterdir()):
            name = "?"
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                event = json.loads(line)
                if event.get("event") == "cmd_name":
                    name = event.get("name", "?")
                    break
            names.append(name)
        counts: dict[str, int] = {}
        for name in names:
            counts[name] = counts.get(name, 0) + 1
        commands = ", ".join(per_call(name, n, rounds) for name, n in counts.items())
        return len(names) / rounds, commands


# ---- the client and the three sides -------------------------------------------------


class Client(benchlib.Client):
    async def send(
        self, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200,)
    ) -> tuple[int, bytes]:
        timeout = aiohttp.ClientTimeout(total=CALL_TIMEOUT)
        async with self._session.request(method, path, json=body, timeout=timeout) as answer:
            raw = await answer.read()
            if answer.status not in ok:
                text = raw[:300].decode(errors="replace")
                raise BenchmarkError(f"{method} {path}: HTTP {answer.status}: {text}")
            return answer.status, raw


class Sides:
    """Each measured call, on each side, for one repository (``path``)."""

    def __init__(self, client: Client, root: Path) -> None:
        self.client = client
        self.root = root

    # Cloudscapes
    async def ours_status(self, repo: str = BIG) -> int:
        _, raw = await self.client.send(
            "GET", f"/cloudscapes/git/status?path={repo}&no_track_activity=1"
        )
        return len(raw)

    async def ours_log(self, limit: int) -> int:
        _, raw = await self.client.send("GET", f"/cloudscapes/git/log?path={BIG}&limit={limit}")
        return len(raw)

    async def ours_diff(self) -> int:
        _, raw = await self.client.send("GET", f"/cloudscapes/git/diff?path={BIG}&file={NOTEBOOK}")
        answer = json.loads(raw)
        if answer.get("kind") != "notebook":
            raise BenchmarkError(f"our diff of {NOTEBOOK} is {answer.get('kind')!r}, not notebook")
        return len(raw)

    async def ours_refresh(self) -> int:
        """What the panel asks on a refresh: the repository, then its status."""
        _, raw = await self.client.send(
            "GET", f"/cloudscapes/git/repo?path={BIG}&no_track_activity=1"
        )
        return len(raw) + await self.ours_status()

    # jupyterlab-git
    async def their(self, method: str, endpoint: str, body: Any = None, repo: str = BIG) -> bytes:
        _, raw = await self.client.send(method, f"/git/{repo}/{endpoint}", body)
        return raw

    async def their_status(self, repo: str = BIG) -> int:
        return len(await self.their("POST", "status", {}, repo))

    async def their_log(self, limit: int) -> int:
        return len(await self.their("POST", "log", {"history_count": limit}))

    async def their_diff(self) -> int:
        """As its panel diffs a changed notebook: index, work tree, then nbdime."""
        index = await self.their(
            "POST", "content", {"filename": NOTEBOOK, "reference": {"special": "INDEX"}}
        )
        work = await self.their(
            "POST", "content", {"filename": NOTEBOOK, "reference": {"special": "WORKING"}}
        )
        body = {
            "previousContent": json.loads(index)["content"],
            "currentContent": json.loads(work)["content"],
        }
        _, diff = await self.client.send("POST", "/git/diffnotebook", body)
        json.loads(diff)
        return len(index) + len(work) + len(diff)

    async def their_refresh(self) -> int:
        """One tick of its panel's poll (``_refreshModel``): branch, tags, status, stash,
        remotes."""
        size = len(await self.their("POST", "branch", {}))
        size += len(await self.their("POST", "tags", {}))
        size += await self.their_status()
        size += len(await self.their("GET", "stash"))
        return size + len(await self.their("GET", "remote/show"))

    # bare git, run by the benchmark
    async def git(self, *args: str, repo: str = BIG) -> bytes:
        process = await asyncio.create_subprocess_exec(
            git_fixture.GIT,
            *args,
            cwd=self.root / repo,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "LC_ALL": "C"},
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            raise BenchmarkError(f"git {args[0]}: {err.decode(errors='replace')[-300:]}")
        return out

    async def raw_status(self, repo: str = BIG) -> int:
        args = ["status", "--porcelain=v2", "-z", "--branch", "-unormal"]
        return len(await self.git("--no-optional-locks", *args, repo=repo))

    async def raw_log(self, limit: int) -> int:
        form = "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%s%x00%D"
        return len(await self.git("log", "-z", "--topo-order", f"-n{limit}", form))

    async def raw_diff(self) -> int:
        return len(await self.git("--no-optional-locks", "diff", "--no-color", "--", NOTEBOOK))


# ---- checks: each side sees the state the fixture made --------------------------------


async def check_status(sides: Sides, changed: int, untracked: int, ours: bool = True) -> None:
    raw = await sides.git(
        "--no-optional-locks", "status", "--porcelain=v2", "-z", "--branch", "-unormal"
    )
    records = [r for r in raw.split(b"\0") if r[:2] in (b"1 ", b"2 ", b"? ")]
    seen = (sum(r[:1] != b"?" for r in records), sum(r[:1] == b"?" for r in records))
    if seen != (changed, untracked):
        raise BenchmarkError(f"git status shows {seen}, the fixture made {(changed, untracked)}")
    theirs = json.loads(await sides.their("POST", "status", {}))
    if len(theirs.get("files", [])) != changed + untracked:
        raise BenchmarkError(f"jupyterlab-git lists {len(theirs.get('files', []))} files")
    if not ours:
        return
    _, raw = await sides.client.send("GET", f"/cloudscapes/git/status?path={BIG}")
    answer = json.loads(raw)
    counts = answer.get("counts") or {}
    # past the cap, untracked files are collapsed by top folder (and counted so)
    collapsed = bool(answer.get("untracked_collapsed"))
    wrong = counts.get("changed") != changed or (
        not collapsed and counts.get("untracked") != untracked
    )
    if counts and wrong:
        raise BenchmarkError(f"Cloudscapes counts {counts}, the fixture made {seen}")


async def check_log(sides: Sides, limit: int) -> None:
    _, raw = await sides.client.send("GET", f"/cloudscapes/git/log?path={BIG}&limit={limit}")
    ours = len(json.loads(raw).get("commits", []))
    theirs = len(json.loads(await sides.their("POST", "log", {"history_count": limit}))["commits"])
    if (ours, theirs) != (limit, limit):
        raise BenchmarkError(f"log of {limit}: Cloudscapes sent {ours}, jupyterlab-git {theirs}")


# ---- phases -------------------------------------------------------------------------


async def status_phase(
    results: Results, sides: Sides, trace: Trace, pid: int, state: str, args: argparse.Namespace
) -> None:
    calls: list[tuple[Series, Call]] = [
        (results.series("status", state, OURS), sides.ours_status),
        (results.series("status", state, THEIRS), sides.their_status),
        (results.series("status", state, RAW), sides.raw_status),
    ]
    await interleave(pid, calls, args.rounds, args.warmups)
    for series, call in calls[:2]:
        series.processes, series.commands = await trace.count(call)
    calls[2][0].processes, calls[2][0].commands = 1.0, "status"


async def log_phase(
    results: Results, sides: Sides, trace: Trace, pid: int, args: argparse.Namespace
) -> None:
    for limit in (25, 1000):
        await check_log(sides, limit)
        call = f"log {limit}"
        calls: list[tuple[Series, Call]] = [
            (results.series(call, CLEAN, OURS), functools.partial(sides.ours_log, limit)),
            (results.series(call, CLEAN, THEIRS), functools.partial(sides.their_log, limit)),
            (results.series(call, CLEAN, RAW), functools.partial(sides.raw_log, limit)),
        ]
        await interleave(pid, calls, args.rounds, args.warmups)
        for series, run in calls[:2]:
            series.processes, series.commands = await trace.count(run)
        calls[2][0].processes, calls[2][0].commands = 1.0, "log"


async def diff_phase(
    results: Results, sides: Sides, trace: Trace, pid: int, args: argparse.Namespace
) -> None:
    calls: list[tuple[Series, Call]] = [
        (results.series("notebook diff", MODIFIED, OURS), sides.ours_diff),
        (results.series("notebook diff", MODIFIED, THEIRS), sides.their_diff),
        (results.series("notebook diff", MODIFIED, RAW), sides.raw_diff),
    ]
    await interleave(pid, calls, args.diff_rounds, min(args.warmups, 2))
    for series, call in calls[:2]:
        series.processes, series.commands = await trace.count(call, 1)
    calls[2][0].processes, calls[2][0].commands = 1.0, "diff"


async def refresh_counts(results: Results, sides: Sides, trace: Trace) -> None:
    """Git processes of one whole panel refresh (counted, not timed)."""
    results.refresh[OURS] = await trace.count(sides.ours_refresh)
    results.refresh[THEIRS] = await trace.count(sides.their_refresh)


async def hol_phase(results: Results, sides: Sides, root: Path, args: argparse.Namespace) -> None:
    """``small``'s status while a commit of ``big`` runs a slow, refusing pre-commit hook."""
    print("  head of line: small's status during big's commit hook", flush=True)
    big = root / BIG
    hook = big / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        f"#!/bin/sh\nsleep {HOOK_SECONDS:g}\necho 'benchmark hook: refused' >&2\nexit 1\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    with (big / "README.md").open("a", encoding="utf-8") as readme:
        readme.write("A staged change for the benchmark's commit.\n")
    await sides.git("add", "README.md")
    idle = {OURS: results.hol(OURS).idle, THEIRS: results.hol(THEIRS).idle}
    status = {OURS: sides.ours_status, THEIRS: sides.their_status}
    for r in range(args.warmups + args.rounds // 2):  # small's status alone
        for side in (OURS, THEIRS) if r % 2 == 0 else (THEIRS, OURS):
            started = time.perf_counter()
            await status[side](SMALL)
            if r >= args.warmups:
                idle[side].append((time.perf_counter() - started) * 1000)

    async def slow(side: str) -> None:
        body: dict[str, Any]
        if side == OURS:
            body = {"path": BIG, "message": "benchmark"}
            await sides.client.send("POST", "/cloudscapes/git/commit", body, ok=(400, 409))
        else:
            body = {"commit_msg": "benchmark", "amend": False}
            await sides.client.send("POST", f"/git/{BIG}/commit", body, ok=(500,))

    for r in range(args.hol_rounds):
        for side in (OURS, THEIRS) if r % 2 == 0 else (THEIRS, OURS):
            ended: list[float] = []

            async def run(side: str = side, ended: list[float] = ended) -> None:
                await slow(side)
                ended.append(time.perf_counter())

            started = time.perf_counter()
            task = asyncio.create_task(run())
            await asyncio.sleep(0.2)  # the commit's git process has started
            calls = []
            while not task.done():
                sent = time.perf_counter()
                await status[side](SMALL)
                calls.append((sent, time.perf_counter()))
            await task
            hol: Hol = results.hol(side)
            hol.slow_ms.append((ended[0] - started) * 1000)
            hol.during += [(done - sent) * 1000 for sent, done in calls if sent < ended[0]]
    (big / ".git" / "hooks" / "pre-commit").unlink()


# ---- the run ------------------------------------------------------------------------


async def measure_all(args: argparse.Namespace) -> Results:
    ensure_jlgit()
    token = secrets.token_hex(16)
    results = Results(args.rounds, args.warmups, args.diff_rounds, args.hol_rounds)
    results.pins, results.hook_seconds = JLGIT_REQUIREMENTS, HOOK_SECONDS
    results.loads.append(load_average())
    with tempfile.TemporaryDirectory(prefix="cloudscapes-git-bench-") as name:
        tmp = Path(name)
        env = {
            **benchlib.user_env(tmp),
            # an explicit PYTHONPATH comes before the repository: another checkout's
            # cloudscapes can be measured with the same benchmark
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(SITE), str(HERE), os.environ.get("PYTHONPATH"), str(REPO)) if p
            ),
        }
        options = [
            "--ServerApp.jpserver_extensions=cloudscapes=True",
            "--ServerApp.jpserver_extensions=jupyterlab_git=True",
        ]
        with benchlib.jupyter_server(
            tmp,
            token,
            options,
            env=env,
            unset_prefixes=("EARTHDATA_", "CLOUDSCAPES_", "AWS_", "GIT_", "JUPYTERHUB_"),
        ) as server:
            print("  building the repositories", flush=True)
            fixture = git_fixture.build(server.root)
            results.fixture_seconds = fixture.seconds
            trace = Trace(Path(env["HOME"]), tmp / "trace2")
            pid = server.process.pid
            async with Client(server, token, connections=4) as client:
                try:
                    await client.wait_ready(f"/cloudscapes/git/repo?path={BIG}", "/git/settings")
                except BenchmarkError as exc:
                    raise BenchmarkError(f"{exc}\n{server.log_tail()}") from None
                sides = Sides(client, server.root)
                phases = set(args.phases.split(","))
                ours = bool(phases & {"status", "hol"})
                await check_status(sides, 0, 0, ours)
                if "status" in phases:
                    await status_phase(results, sides, trace, pid, CLEAN, args)
                    await refresh_counts(results, sides, trace)
                if "log" in phases:
                    await log_phase(results, sides, trace, pid, args)
                git_fixture.modify(fixture, MODIFIED_FILES)
                await check_status(sides, MODIFIED_FILES, 0, ours)
                if "status" in phases:
                    await status_phase(results, sides, trace, pid, MODIFIED, args)
                if "diff" in phases:
                    await diff_phase(results, sides, trace, pid, args)
                git_fixture.add_untracked(fixture, UNTRACKED_FILES)
                await check_status(sides, MODIFIED_FILES, UNTRACKED_FILES, ours)
                if "status" in phases:
                    await status_phase(results, sides, trace, pid, UNTRACKED, args)
                if "hol" in phases:
                    await hol_phase(results, sides, server.root, args)
            if server.process.poll() is not None:
                raise BenchmarkError(f"the server exited\n{server.log_tail()}")
    results.loads.append(load_average())
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50, help="timed rounds per call (50)")
    parser.add_argument("--warmups", type=int, default=5, help="untimed rounds first (5)")
    parser.add_argument("--diff-rounds", type=int, default=50, help="notebook diff rounds (50)")
    parser.add_argument("--hol-rounds", type=int, default=4, help="slow commits per side (4)")
    parser.add_argument(
        "--phases", default="status,log,diff,hol", help="what to measure (status,log,diff,hol)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to update")
    args = parser.parse_args(argv)
    started = time.monotonic()

    def render(results: Results) -> str:
        results.seconds = time.monotonic() - started
        return section(results)

    return benchlib.finish(SECTION, args.out, measure_all(args), render, failures)


if __name__ == "__main__":
    sys.exit(main())
