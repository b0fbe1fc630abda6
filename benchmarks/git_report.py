"""``git_bench.py``'s results and the ``RESULTS.md`` section they make: the table per
call, state and side, the goals with their verdicts, the head-of-line figures and the
conditions of the run."""

from __future__ import annotations

import platform
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone

from benchlib import cpu_count, cpu_model, percentile, version
from git_fixture import GIT

OURS, THEIRS, RAW = "Cloudscapes", "jupyterlab-git", "bare git"
#: goals: Cloudscapes' status p50 against jupyterlab-git's and against bare git
GOAL_THEIRS = 0.5
GOAL_RAW = 1.3
#: the commands each side's rows run, for the table's notes
ROUTES = {
    ("status", OURS): "`GET /cloudscapes/git/status?path=big`",
    ("status", THEIRS): "`POST /git/big/status`",
    ("status", RAW): "`git --no-optional-locks status --porcelain=v2 -z --branch -unormal`",
    ("log", OURS): "`GET /cloudscapes/git/log?path=big&limit=N`",
    ("log", THEIRS): "`POST /git/big/log {history_count: N}`",
    ("log", RAW): "`git log -z --topo-order -nN --format=…`",
    ("notebook diff", OURS): "`GET /cloudscapes/git/diff?path=big&file=…` (index → work tree)",
    ("notebook diff", THEIRS): (
        "`POST /git/big/content` x2 (INDEX, WORKING) + `POST /git/diffnotebook`, in sequence"
    ),
    ("notebook diff", RAW): "`git diff -- notebooks/imagery.ipynb` (text)",
}


@dataclass
class Sample:
    ms: float
    bytes: int
    #: the server's own CPU over the call (0 for bare git)
    server_cpu_ms: float
    #: git's CPU: the server's reaped children (the benchmark's, for bare git)
    git_cpu_ms: float


@dataclass
class Series:
    call: str
    state: str
    side: str
    samples: list[Sample] = field(default_factory=list)
    processes: float | None = None
    commands: str = ""

    def p(self, q: int) -> float:
        return percentile([s.ms for s in self.samples], q)

    def mean(self, attribute: str) -> float:
        values = [getattr(s, attribute) for s in self.samples]
        return sum(values) / len(values) if values else 0.0


@dataclass
class Hol:
    """``small``'s status on one side: alone, and while ``big``'s commit hook ran."""

    idle: list[float] = field(default_factory=list)
    during: list[float] = field(default_factory=list)
    slow_ms: list[float] = field(default_factory=list)


@dataclass
class Results:
    rounds: int
    warmups: int
    diff_rounds: int
    hol_rounds: int
    series_list: list[Series] = field(default_factory=list)
    hols: dict[str, Hol] = field(default_factory=dict)
    #: git processes and commands of one panel refresh, per side
    refresh: dict[str, tuple[float, str]] = field(default_factory=dict)
    #: jupyterlab-git's pinned requirements, as installed
    pins: list[str] = field(default_factory=list)
    #: the head-of-line phase's pre-commit hook sleep
    hook_seconds: float = 2.0
    fixture_seconds: float = 0.0
    seconds: float = 0.0
    loads: list[str] = field(default_factory=list)

    def series(self, call: str, state: str, side: str) -> Series:
        for series in self.series_list:
            if (series.call, series.state, series.side) == (call, state, side):
                return series
        self.series_list.append(Series(call, state, side))
        return self.series_list[-1]

    def hol(self, side: str) -> Hol:
        return self.hols.setdefault(side, Hol())

    def find(self, call: str, state: str, side: str) -> Series | None:
        for series in self.series_list:
            if (series.call, series.state, series.side) == (call, state, side):
                return series
        return None


# ---- rendering ----------------------------------------------------------------------


def size(n: float) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n:.0f} B"


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def table(results: Results) -> str:
    rows = [
        "| call | state | side | n | p50 ms | p95 ms | answer | git processes "
        "| server CPU ms | git CPU ms |",
        "|---|---|---|--:|--:|--:|--:|---|--:|--:|",
    ]
    for s in results.series_list:
        processes = "-" if s.processes is None else f"{s.processes:.3g} ({s.commands})"
        server_cpu = "-" if s.side == RAW else f"{s.mean('server_cpu_ms'):.1f}"
        rows.append(
            f"| {s.call} | {s.state} | {s.side} | {len(s.samples)} | {s.p(50):.1f} "
            f"| {s.p(95):.1f} | {size(s.mean('bytes'))} | {processes} | {server_cpu} "
            f"| {s.mean('git_cpu_ms'):.1f} |"
        )
    return "\n".join(rows)


def status_goals(results: Results) -> tuple[list[str], bool, bool]:
    """Lines of the two status goals, and whether each is met in every state."""
    lines, met_theirs, met_raw = [], True, True
    states = [s.state for s in results.series_list if s.call == "status" and s.side == OURS]
    for state in states:
        ours = results.find("status", state, OURS)
        theirs = results.find("status", state, THEIRS)
        raw = results.find("status", state, RAW)
        if not (ours and theirs and raw and ours.samples):
            continue
        r_theirs, r_raw = ratio(ours.p(50), theirs.p(50)), ratio(ours.p(50), raw.p(50))
        met_theirs &= r_theirs <= GOAL_THEIRS
        met_raw &= r_raw <= GOAL_RAW
        lines.append(
            f"  - {state}: {r_theirs:.2f}x jupyterlab-git ({ours.p(50):.1f} vs "
            f"{theirs.p(50):.1f} ms), {r_raw:.2f}x bare git ({raw.p(50):.1f} ms); "
            f"p95 {ours.p(95):.1f} / {theirs.p(95):.1f} / {raw.p(95):.1f} ms"
        )
    return lines, met_theirs, met_raw


def waited(hol: Hol, threshold_ms: float) -> int:
    return sum(ms > threshold_ms for ms in hol.during)


def hol_lines(results: Results, hook_seconds: float) -> tuple[list[str], bool | None]:
    threshold = hook_seconds / 2 * 1000
    lines = [
        "| side | `small` status alone p50 / p95 ms | during `big`'s commit: n | p50 ms "
        f"| max ms | waited (> {threshold:g} ms) | `big`'s commit ms (p50) |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    verdict: bool | None = None
    for side in (OURS, THEIRS):
        hol = results.hols.get(side)
        if not hol or not hol.slow_ms:
            lines.append(f"| {side} | - | not measured | | | | |")
            continue
        ran = percentile(hol.slow_ms, 50) >= hook_seconds * 1000 * 0.95
        lines.append(
            f"| {side} | {percentile(hol.idle, 50):.1f} / {percentile(hol.idle, 95):.1f} "
            f"| {len(hol.during)} | {percentile(hol.during, 50):.1f} "
            f"| {max(hol.during, default=0):.1f} | {waited(hol, threshold)} "
            f"| {percentile(hol.slow_ms, 50):.0f}{'' if ran else ' (the hook did not run)'} |"
        )
        if side == OURS:
            verdict = ran and bool(hol.during) and waited(hol, threshold) == 0
    return lines, verdict


def word(met: bool | None) -> str:
    return {True: "MET", False: "NOT MET", None: "not measured"}[met]


def git_version() -> str:
    try:
        out = subprocess.run([GIT, "--version"], capture_output=True, text=True, check=False)
        return out.stdout.strip().removeprefix("git version ") or "?"
    except OSError:
        return "?"


def section(results: Results) -> str:
    hook_seconds = results.hook_seconds
    command = shlex.join(["python", "benchmarks/git_bench.py", *sys.argv[1:]])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    goal_status, met_theirs, met_raw = status_goals(results)
    hol_table, met_hol = hol_lines(results, hook_seconds)
    refresh = "; ".join(
        f"{side} {n:g} ({commands})" for side, (n, commands) in results.refresh.items()
    )
    pins = ", ".join(results.pins)
    return f"""\
`{command}`, {when}; the whole run took {results.seconds:.0f} s.

{table(results)}

Goals:
- Status p50, Cloudscapes ≤ {GOAL_THEIRS:g}x jupyterlab-git in every state: {word(met_theirs)};
  ≤ {GOAL_RAW:g}x bare git in every state: {word(met_raw)}.
{chr(10).join(goal_status)}
- No status waits behind another repository's work: {word(met_hol)} (below).

Head of line: `small`'s status (200 files) while `big` commits through the same extension,
its pre-commit hook sleeping {hook_seconds:g} s and then refusing (both extensions run the
repository's hooks on commit; nothing is committed). A status "waited" when it took more
than half the hook's sleep.

{chr(10).join(hol_table)}

- Git processes of one panel refresh (counted with trace2, not timed): {refresh}.
  Cloudscapes' panel asks `repo` and `status`; jupyterlab-git's poll tick
  (`_refreshModel`, every 3 s) asks branch, tags, status, stash and remote/show.
- Log order: Cloudscapes asks `--topo-order` (the graph's lanes need parents after
  their children), which git can only give after walking the whole history when the
  repository has no commit-graph file (the fixture has none, like a fresh clone); the
  bare-git floor asks the same. jupyterlab-git asks the default order, which git streams.
- Rows: {"; ".join(f"{call} {side}: {route}" for (call, side), route in ROUTES.items())}.
- Answer: bytes of the answer (jupyterlab-git's notebook diff: its three answers, two
  with the whole ~5 MB notebook). Server CPU: the Jupyter server's own user+system time
  over the call, mean; git CPU: its reaped children's (`/proc/<pid>/stat` cutime+cstime,
  10 ms ticks, so a mean over many calls), for bare git the benchmark's own children.
- Fixture (`benchmarks/git_fixture.py`, seeded, built by `git fast-import` in
  {results.fixture_seconds:.1f} s): `big` = 20,000 text files of ~2 KB in 200 folders,
  49 small notebooks and `notebooks/imagery.ipynb` (~5 MB, 20 PNG outputs), 2,000 commits
  (a merged side branch every 100, a tag every 250); `small` = 200 files, 50 commits.
  States in order: clean; 200 tracked files changed (the big notebook among them: one
  cell's source and two images); then 5,000 untracked files inside the tracked folders
  (so `-unormal` lists each, as jupyterlab-git's `-u` does). Index refreshed after each
  change once the files' times are in the past (no racily clean entries).
- Order: per call, {results.warmups} untimed rounds, then {results.rounds} rounds
  (notebook diff: {min(results.warmups, 2)} untimed, {results.diff_rounds} timed),
  the three sides in one round, the order reversed every round (A B C C B A ...); one
  client, one request at a time, keep-alive; latency from sending the request to reading
  (and, for the diffs, parsing) the whole answer; the client runs on the same machine.
- Machine: {cpu_count()} CPUs, {cpu_model()}; {platform.system()} {platform.release()};
  load average {" → ".join(results.loads)} (start → end).
- Software: Python {platform.python_version()}, git {git_version()}, jupyter_server
  {version("jupyter_server")}, {pins} (in `.bench/jlgit-site`, not in the venv),
  aiohttp {version("aiohttp")} (client). One Jupyter server on 127.0.0.1 (token auth,
  isolated Jupyter dirs and HOME) with `cloudscapes` and `jupyterlab_git`; both defaults."""


def failures(results: Results) -> list[str]:
    problems = []
    for series in results.series_list:
        if not series.samples:
            problems.append(f"no samples for {series.call} ({series.state}, {series.side})")
    return problems
