"""The report of ``benchmarks/dask_latency.py``: the figures of a run (:class:`Results`),
the rows and parameters they are named and described by, and the Markdown section
written to ``benchmarks/RESULTS.md``."""

from __future__ import annotations

import platform
import shlex
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from benchlib import Row, cpu_count, cpu_model, percentile, version

WORKER_GIB = 1
CREATE_WORKERS = 2

OURS = "/cloudscapes/dask/clusters"
THEIRS = "/dask/clusters"
#: What each panel polls.
OUR_LIST = f"{OURS}?no_track_activity=1"
THEIR_LIST = THEIRS

#: Goal: Cloudscapes / dask-labextension at p50, for create-to-ready and for list.
GOAL_RATIO = 1.0
#: How long one job request may wait for a change (as packages/core's JobTracker).
WAIT_SECONDS = 10
LIST_WARMUP = 10

# Row names.
OUR_READY = f"`POST {OURS}` → job succeeded (2 workers)"
THEIR_READY = f"`PUT {THEIRS}` → 2 workers"
OUR_ACCEPTED = f"`POST {OURS}` answer (202)"
THEIR_ANSWER = f"`PUT {THEIRS}` answer"
OUR_JOB = "job `created` → `updated` (server clock)"
OUR_DELETE = f"`DELETE {OURS}/{{id}}`"
THEIR_DELETE = f"`DELETE {THEIRS}/{{id}}`"
OUR_LIST_ROW = f"`GET {OUR_LIST}`"
THEIR_LIST_ROW = f"`GET {THEIR_LIST}`"


@dataclass
class Results:
    rows: dict[str, Row]
    #: loop lag max (ms) over each create-to-ready window, per side
    create_lag_ms: dict[str, list[float]] = field(default_factory=dict)
    #: full garbage collections in each create-to-ready window, per side: (count, max ms)
    create_gc: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    #: loop lag over the list phase: {"p50", "p99", "max"}
    list_lag: dict[str, float] = field(default_factory=dict)
    #: bytes of one list answer, per side
    list_bytes: dict[str, int] = field(default_factory=dict)
    #: workers present before the first timed GET of a dask-labextension create returned
    their_workers_at_answer: list[int] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)

    def add(self, name: str, ms: float) -> None:
        self.rows[name].samples_ms.append(ms)

    def add_lag(self, side: str, lag: dict[str, Any]) -> None:
        """The loop lag of one create-to-ready window (``looplag``'s answer)."""
        self.create_lag_ms.setdefault(side, []).append(float(lag["max"]))
        gc_full = (int(lag.get("gc_full", 0)), float(lag.get("gc_full_max", 0.0)))
        self.create_gc.setdefault(side, []).append(gc_full)


def ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs else float("nan")


def table(results: Results) -> str:
    rows = [
        "| measurement | n | p50 ms | p95 ms | max ms |",
        "|---|--:|--:|--:|--:|",
    ]
    for row in results.rows.values():
        rows.append(
            f"| {row.name} | {len(row.samples_ms)} | {row.p(50):.1f} | {row.p(95):.1f} "
            f"| {row.max:.1f} |"
        )
    return "\n".join(rows)


def goal_lines(results: Results, clusters: int) -> str:
    lines = []
    for label, ours, theirs in (
        ("Create to ready", OUR_READY, THEIR_READY),
        (f"List with {clusters} clusters a side", OUR_LIST_ROW, THEIR_LIST_ROW),
    ):
        a, b = results.rows[ours], results.rows[theirs]
        r50, r95 = ratio(a.p(50), b.p(50)), ratio(a.p(95), b.p(95))
        status = "MET" if r50 <= GOAL_RATIO else "NOT MET"
        lines.append(
            f"- {label}, Cloudscapes / dask-labextension: p50 {r50:.2f} "
            f"(goal ≤ {GOAL_RATIO:g}: {status}; {a.p(50):.1f} vs {b.p(50):.1f} ms), "
            f"p95 {r95:.2f} ({a.p(95):.1f} vs {b.p(95):.1f} ms)"
        )
    return "\n".join(lines)


def lag_lines(results: Results) -> str:
    """The loop lag while clusters start, both sides, and whether ours is no worse: over
    the rounds' worst (one stall of the machine can set it) and their median."""
    sides = ("ours", "theirs")
    worst = {side: max(results.create_lag_ms.get(side, [0.0])) for side in sides}
    median = {side: percentile(results.create_lag_ms.get(side, []), 50) for side in sides}
    collections = {}
    for side in sides:
        windows = results.create_gc.get(side, [])
        count = sum(n for n, _ in windows)
        longest = max((ms for _, ms in windows), default=0.0)
        collections[side] = f"{count} (longest {longest:.0f} ms)" if count else "0"

    def verdict(values: dict[str, float]) -> str:
        return "MET" if values["ours"] <= values["theirs"] else "NOT MET"

    return (
        "- Server event-loop lag (`benchmarks/looplag.py`) while a cluster starts (from the\n"
        "  create request to ready; both sides run the scheduler in the server's loop),\n"
        f"  Cloudscapes vs dask-labextension (goal: no worse): median of each round's worst "
        f"{median['ours']:.0f} vs {median['theirs']:.0f} ms ({verdict(median)}); worst over "
        f"the rounds {worst['ours']:.0f} vs {worst['theirs']:.0f} ms ({verdict(worst)}).\n"
        "  Full (generation 2) garbage collections in those windows: Cloudscapes "
        f"{collections['ours']}, dask-labextension {collections['theirs']}."
    )


def load_line(loads: tuple[str, str]) -> str:
    """The load averages at the start and the end, and whether the machine was loaded."""
    text = f"load average {loads[0]} at the start, {loads[1]} at the end"
    try:
        busiest = max(float(load.split()[0]) for load in loads)
    except (ValueError, IndexError):
        return text
    if busiest > cpu_count() / 2:
        text += (
            " — the machine was loaded by other jobs during this run, so the figures of both "
            "sides are higher and noisier than on an idle machine; the comparison holds "
            "because the sides alternate"
        )
    return text


def section(
    results: Results, rounds: int, clusters: int, requests: int, loads: tuple[str, str]
) -> str:
    command = shlex.join(["python", "benchmarks/dask_latency.py", *sys.argv[1:]])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    at_answer = sorted(set(results.their_workers_at_answer))
    list_lag = results.list_lag
    return f"""\
`{command}`, {when}.

{table(results)}

{goal_lines(results, clusters)}
- What "ready" is: Cloudscapes answers the `POST` at once (202 and a job) and the client
  follows the job as the panel does, `GET /cloudscapes/jobs/{{id}}?wait={WAIT_SECONDS:g}&since=…`,
  which the server answers as soon as the job changes; the job's own duration on the
  server's clock is the row
  "{OUR_JOB}". dask-labextension's `PUT` holds the request until its `LocalCluster`
  object is up; workers present in the `PUT` answer: {at_answer} (2 means no polling
  was needed).
{lag_lines(results)}
- Loop lag over the list phase: p50 {list_lag.get("p50", 0):.1f} ms,
  p99 {list_lag.get("p99", 0):.1f} ms, max {list_lag.get("max", 0):.1f} ms.
- One list answer: Cloudscapes {results.list_bytes.get("ours", 0)} bytes (every field of
  the contract: status, requested workers, sizes, cost, connect code, ...),
  dask-labextension {results.list_bytes.get("theirs", 0)} bytes.

- Machine: {cpu_count()} CPUs, {cpu_model()}; {platform.system()} {platform.release()};
  {load_line(loads)}.
- Software: Python {platform.python_version()}, jupyter_server {version("jupyter_server")},
  distributed {version("distributed")}, dask-labextension 7.0.0 (in `.bench/site`, not in
  the venv), aiohttp {version("aiohttp")} (benchmark client).
- Parameters: one Jupyter server on 127.0.0.1 (token auth, isolated Jupyter dirs and
  HOME) with `cloudscapes`, `dask_labextension` and `looplag`; no Dask Gateway (so
  Cloudscapes lists its local backend only). Both sides make `distributed.LocalCluster`
  clusters in the server process with worker processes (nannies) of 1 thread and
  {WORKER_GIB} GiB: Cloudscapes' `POST` sends `{{"backend": "local", "workers": N,
  "options": {{"worker_threads": 1, "worker_memory": {WORKER_GIB}}}}}` (its workers start
  with the scheduler); dask-labextension's factory gets
  `n_workers={CREATE_WORKERS}, threads_per_worker=1, processes=True,
  memory_limit="{WORKER_GIB}GiB", host="127.0.0.1", dashboard_address="127.0.0.1:0"`
  through `DASK_LABEXTENSION__FACTORY__KWARGS__*` (its workers start with the cluster).
  Create: {rounds} rounds after one untimed warm-up per side, order swapped every round;
  each cluster is deleted (timed) and the next create waits until no worker process is
  left. List: {clusters} clusters per side (10 schedulers in one server on 2 CPUs would
  be heavy with more workers, so 1 worker each: Cloudscapes created with `workers: 1`,
  dask-labextension's scaled to 1 by `PATCH`), {LIST_WARMUP} untimed requests each, then
  {requests} each alternating request by request, the first of each pair swapped every
  time; one client, one request at a time, keep-alive.
- Latency: client-side, from sending the request to reading the whole answer (for
  create: to reading the answer that shows the cluster ready); the client runs on the
  same machine."""


def failures(results: Results, rounds: int, requests: int) -> list[str]:
    problems = [f"a process outlived the server: {p}" for p in results.leftovers]
    for name, count in (
        (OUR_READY, rounds),
        (THEIR_READY, rounds),
        (OUR_LIST_ROW, requests),
        (THEIR_LIST_ROW, requests),
    ):
        got = len(results.rows[name].samples_ms)
        if got != count:
            problems.append(f"{name}: {got} samples instead of {count}")
    return problems
