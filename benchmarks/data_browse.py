#!/usr/bin/env python3
"""The data browser on long lists: its S3 listing against a bare boto3 page, and (from the
Playwright bench's figures) its DOM size, heap and render time in Chromium.

Listing (the default): one run starts the Earthdata stand-ins with moto S3 and 100,000
keys under the public bucket's ``many/`` (``python -m cloudscapes.testing.earthdata --s3
--many 100000``) and one real Jupyter server (``python -m jupyter_server``) with
``cloudscapes`` and the benchmark-only ``looplag`` extension, token auth, its Jupyter dirs
and HOME in a temporary directory, configured through a ``jupyter_server_config.py`` to
use the stand-ins. Then, interleaved in rounds whose order rotates (A B C D, B C D A, ...)
so that drift weighs on every call alike, the time to the first page of the prefix:

1. ``GET /cloudscapes/data/s3/objects?source=public:demo-public-data&prefix=many/``
   (default delimiter ``/``: one level, folders first) against the floor, a bare boto3
   ``list_objects_v2(Bucket, Prefix, Delimiter="/", MaxKeys=1000)`` with an UNSIGNED
   client against the same moto server;
2. the flat listing (``&delimiter=``) against ``list_objects_v2(Bucket, Prefix,
   MaxKeys=1000)``.

UI (``--ui FILE``): turns the JSON that ``ui-tests/bench/data-browser.bench.ts`` wrote
(run by ``ui-tests/playwright.bench.config.js``) into its own section.

Both write a section of ``benchmarks/RESULTS.md``.

Exit status: 0 once measured; 1 when the benchmark itself failed (a stand-in or the
server did not start, a call failed or answered an unexpected page, no UI figures, ...).

Usage: python benchmarks/data_browse.py [--runs 20] [--many 100000] [--out FILE]
       python benchmarks/data_browse.py --ui [ui-tests/test-results/bench/data-browser.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import secrets
import shlex
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import benchlib
import boto3
from benchlib import (
    REPO,
    BenchmarkError,
    Client,
    Row,
    Server,
    cpu_count,
    cpu_model,
    finish,
    load_average,
    percentile,
    version,
)
from botocore import UNSIGNED
from botocore.config import Config
from results_md import RESULTS, write_section

from cloudscapes.testing import earthdata

SECTION = "Data browser: S3 listing"
UI_SECTION = "Data browser: long lists in the UI"
UI_RESULTS = REPO / "ui-tests" / "test-results" / "bench" / "data-browser.json"

SOURCE = "public:demo-public-data"
PREFIX = "many/"
OBJECTS = "/cloudscapes/data/s3/objects"
LOOPLAG = "/bench/looplag"
PAGE_KEYS = 1000
GOAL_RATIO = 1.3
GOAL_DOM_ROWS = 200

#: Row names, in the order of the table.
SERVER_DELIM = f"`GET {OBJECTS}?prefix={PREFIX}` (delimiter `/`)"
BARE_DELIM = 'bare boto3 `list_objects_v2(Delimiter="/", MaxKeys=1000)`, UNSIGNED (floor)'
SERVER_FLAT = f"`GET {OBJECTS}?prefix={PREFIX}&delimiter=` (flat)"
BARE_FLAT = "bare boto3 `list_objects_v2(MaxKeys=1000)`, UNSIGNED (floor)"
FLOORS = {SERVER_DELIM: BARE_DELIM, SERVER_FLAT: BARE_FLAT}

WARMUP = 2
MAX_SAMPLES = 500


# ---- the server ---------------------------------------------------------------------


@contextmanager
def data_server(tmp: Path, token: str, info: dict[str, Any]) -> Iterator[Server]:
    """The Jupyter server under test, with HOME and XDG dirs under ``tmp``."""
    config = {
        "CloudscapesEarthdata": earthdata.server_config(info),
        "CloudscapesData": earthdata.data_server_config(info),
    }
    with benchlib.cloudscapes_server(tmp, token, benchlib.user_env(tmp), config) as server:
        yield server


# ---- measuring ----------------------------------------------------------------------


@dataclass
class Results:
    rows: dict[str, Row]
    #: what each call's first page held: name -> (folders, objects)
    pages: dict[str, tuple[int, int]] = field(default_factory=dict)
    lag: dict[str, float] = field(default_factory=dict)
    standins_s: float = 0.0


Step = Callable[[], Awaitable[None]]


def rotate(steps: list[Step], i: int) -> list[Step]:
    k = i % len(steps)
    return steps[k:] + steps[:k]


def check_page(name: str, folders: int, objects: int, delimiter: str, many: int) -> None:
    expected_objects = min(PAGE_KEYS, many) - (5 if delimiter else 0)
    if objects + folders > PAGE_KEYS or objects < min(expected_objects, many - 100):
        raise BenchmarkError(f"{name}: first page held {folders} folders, {objects} objects")


async def measure(client: Client, info: dict[str, Any], results: Results, runs: int, many: int):
    rows = results.rows
    s3 = boto3.client(
        "s3",
        endpoint_url=info["s3_endpoint_url"],
        region_name="us-west-2",
        config=Config(signature_version=UNSIGNED),
    )
    bucket = info["public_bucket"]

    def server(name: str, delimiter: str) -> Step:
        query = {"source": SOURCE, "prefix": PREFIX}
        if delimiter != "/":
            query["delimiter"] = delimiter
        path = f"{OBJECTS}?{urlencode(query)}"

        async def call() -> None:
            started = time.perf_counter()
            page = await client.json("GET", path)
            rows[name].samples_ms.append((time.perf_counter() - started) * 1000.0)
            results.pages[name] = (len(page["folders"]), len(page["objects"]))
            check_page(name, *results.pages[name], delimiter, many)

        return call

    def bare(name: str, delimiter: str) -> Step:
        kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": PREFIX, "MaxKeys": PAGE_KEYS}
        if delimiter:
            kwargs["Delimiter"] = delimiter

        async def call() -> None:
            # blocking on purpose: nothing else runs meanwhile, and no thread hop is timed
            started = time.perf_counter()
            page = s3.list_objects_v2(**kwargs)
            rows[name].samples_ms.append((time.perf_counter() - started) * 1000.0)
            results.pages[name] = (len(page.get("CommonPrefixes", [])), len(page["Contents"]))
            check_page(name, *results.pages[name], delimiter, many)

        return call

    steps = [
        server(SERVER_DELIM, "/"),
        bare(BARE_DELIM, "/"),
        server(SERVER_FLAT, ""),
        bare(BARE_FLAT, ""),
    ]
    for _ in range(WARMUP):
        for step in steps:
            await step()
    for row in rows.values():
        row.samples_ms.clear()
    await client.json("GET", f"{LOOPLAG}?reset=1")
    for i in range(runs):
        for step in rotate(steps, i):
            await step()
        if (i + 1) % 5 == 0:
            print(f"  round {i + 1}/{runs}", flush=True)
    results.lag = await client.json("GET", f"{LOOPLAG}?reset=1")


async def run(runs: int, many: int) -> Results:
    results = Results(
        {name: Row(name) for name in (SERVER_DELIM, BARE_DELIM, SERVER_FLAT, BARE_FLAT)}
    )
    token = secrets.token_hex(24)
    with tempfile.TemporaryDirectory(prefix="bench-data-") as name:
        tmp = Path(name)
        started = time.perf_counter()
        with benchlib.earthdata_standins(tmp, "--s3", "--many", str(many)) as info:
            results.standins_s = time.perf_counter() - started
            with data_server(tmp, token, info) as server:
                try:
                    async with Client(server, token, 2) as client:
                        await client.wait_ready(LOOPLAG, "/cloudscapes/data/s3/sources")
                        print(f"  first pages of {PREFIX}: {runs} x 4 interleaved", flush=True)
                        await measure(client, info, results, runs, many)
                except BenchmarkError as exc:
                    tail = server.log_tail()
                    raise BenchmarkError(f"{exc}\n--- server log (end) ---\n{tail}") from None
    return results


# ---- report -------------------------------------------------------------------------


def ratio(results: Results, name: str, q: int = 50) -> float:
    floor = results.rows[FLOORS[name]].p(q)
    return results.rows[name].p(q) / floor if floor else float("nan")


def machine(load: str) -> str:
    return (
        f"- Machine: {cpu_count()} CPUs, {cpu_model()}; {platform.system()} {platform.release()};\n"
        f"  load average {load} at the start (other work on the machine shows in the tails)."
    )


def section(results: Results, runs: int, many: int, load: str) -> str:
    command = shlex.join(["python", "benchmarks/data_browse.py", *sys.argv[1:]])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "| first page of `many/` | n | folders + keys | p50 ms | p95 ms | max ms "
        "| p50 vs floor | p95 vs floor |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, row in results.rows.items():
        folders, objects = results.pages.get(name, (0, 0))
        vs50 = vs95 = "floor"
        if name in FLOORS:
            vs50, vs95 = f"{ratio(results, name):.2f}x", f"{ratio(results, name, 95):.2f}x"
        lines.append(
            f"| {name} | {len(row.samples_ms)} | {folders} + {objects} | {row.p(50):.0f} | "
            f"{row.p(95):.0f} | {max(row.samples_ms):.0f} | {vs50} | {vs95} |"
        )
    worst = max(ratio(results, name) for name in FLOORS)
    met = "MET" if worst <= GOAL_RATIO else "NOT MET"
    lag = results.lag
    return f"""\
`{command}`, {when}.

{chr(10).join(lines)}

Goal: time to the first page of a {many:,}-key prefix at most {GOAL_RATIO}x a bare boto3
page (p50): {met} (delimiter `/` {ratio(results, SERVER_DELIM):.2f}x, flat
{ratio(results, SERVER_FLAT):.2f}x).

- Both sides pay moto's listing of a {many:,}-key bucket (moto walks every key of the
  bucket for each page); the difference is the server's own cost: HTTP to the server,
  its boto3 call (in a worker thread), turning the page into JSON, and the answer.
- Server event-loop lag (`benchmarks/looplag.py`) over the measured rounds: p99
  {lag.get("p99", 0):.1f} ms, max {lag.get("max", 0):.1f} ms.

{machine(load)}
- Software: Python {platform.python_version()}, jupyter_server {version("jupyter_server")},
  boto3 {version("boto3")} / botocore {version("botocore")} (floor),
  moto {version("moto")} (S3 stand-in),
  aiohttp {version("aiohttp")} (benchmark client).
- Parameters: {runs} rounds after {WARMUP} untimed warm-ups; in each round the four calls
  run one after another, in an order rotated every round. The stand-ins of
  `cloudscapes.testing.earthdata --s3 --many {many}` (moto S3 in their process, started
  and seeded in {results.standins_s:.0f} s) and one Jupyter server on 127.0.0.1 (token
  auth, HOME and Jupyter dirs in a temporary directory) configured through
  `jupyter_server_config.py` with `earthdata.server_config` and
  `earthdata.data_server_config`. Source `{SOURCE}` (an anonymous, public bucket), prefix
  `{PREFIX}`: {many - 100:,} keys directly under it and 100 in 5 dated sub-folders. The
  floor is one boto3 client with `signature_version=UNSIGNED` on the same moto endpoint,
  kept alive across calls, called from the benchmark process.
- Latency: client-side, from sending the request to reading (and decoding) the whole
  answer; the client runs on the same machine."""


# ---- the UI figures (Playwright) ----------------------------------------------------


def ui_section(data: dict[str, Any], source: Path, load: str) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    scroll, granules = data["scroll"], data["granules"]
    samples = scroll["samples"]
    max_rows = max(s["rows"] for s in samples)
    rows_met = "MET" if max_rows < GOAL_DOM_ROWS else "NOT MET"

    def at(loaded: int) -> dict[str, Any] | None:
        return next((s for s in samples if s["loaded"] >= loaded), None)

    marks = [1_000, 10_000, 50_000, 100_000]
    table = [
        "| keys loaded | rows in the DOM | JS heap used MB | time since the first page s |",
        "|--:|--:|--:|--:|",
    ]
    shown: list[int] = []
    for mark in marks:
        s = at(mark) or (samples[-1] if mark == marks[-1] else None)
        if s is not None and s["loaded"] not in shown:
            shown.append(s["loaded"])
            table.append(
                f"| {s['loaded']:,} | {s['rows']} | {s['heap'] / 1e6:.1f} | {s['t'] / 1000:.1f} |"
            )
    last = samples[-1]
    page_ms = [s["page_ms"] for s in samples[1:] if s.get("page_ms")]
    g = granules
    total, request = g["total_ms"], g["request_ms"]
    response = g.get("response_ms") or []
    render = [t - r for t, r in zip(total, response, strict=True)]
    total50, request50 = percentile(total, 50), percentile(request, 50)

    def line(name: str, values: list[float]) -> str:
        return (
            f"| {name} | {len(values)} | {percentile(values, 50):.0f} | "
            f"{percentile(values, 95):.0f} | {max(values):.0f} |"
        )

    gtable = [
        "| 2,000-granule page | n | p50 ms | p95 ms | max ms |",
        "|---|--:|--:|--:|--:|",
        line('click on the collection to "2,000 loaded" and its rows shown', total),
        line("the same request alone, `fetch` in the page (floor)", request),
        line("click to the end of the panel's own request (Resource Timing)", response),
        line("render: rows shown - end of the panel's request, per open", render),
    ]
    rows_note = ", ".join(str(r) for r in sorted(set(g.get("rows_in_dom", []))))
    shown_source = source.resolve()
    if shown_source.is_relative_to(REPO):
        shown_source = shown_source.relative_to(REPO)
    return f"""\
`ui-tests/bench/data-browser.bench.ts` (`cd ui-tests && CI=1 npx playwright test --config
playwright.bench.config.js --workers 1`), figures read from `{shown_source}`
by `python benchmarks/data_browse.py --ui`, {when}; measured {data.get("when", "?")}.

Scrolling the S3 listing of `{PREFIX}` ({data.get("many", 100_000):,} keys: {last["loaded"]:,}
rows loaded in the end, {scroll["pages"]} pages) to its end:

{chr(10).join(table)}

Goal: rows in the DOM bounded (under {GOAL_DOM_ROWS}) whatever the number loaded: {rows_met}
(at most {max_rows} rows over {len(samples)} samples, one after each page). Heap after the
last page: {last["heap"] / 1e6:.1f} MB; a page took {percentile(page_ms, 50):.0f} ms at p50
from the scroll to its rows counted (moto's listing of the bucket is most of it).

{chr(10).join(gtable)}

Render cost of a 2,000-granule page: {percentile(render, 50):.0f} ms at p50 measured
directly (rows shown - the end of the panel's request, per open). The difference of
the p50s, total - bare request = {total50 - request50:.0f} ms ({total50:.0f} - {request50:.0f}),
is only a rough check: the CMR stand-in's time to build 2,000 granules varies from one
request to the next (bare request p95 {percentile(request, 95):.0f} ms) more than the render
costs. Granule rows in the DOM: {rows_note or "?"} (windowed).

- Granules of `DEMO_SST_SWATHS` (10,000 in the CMR stand-in), one untimed warm-up then
  {len(total)} opens, with the data browser's `pageSize` setting at 2000 (the maximum,
  through Galata's `mockSettings`): from an `element.click()` on the collection's row to
  the count reading "2,000 loaded" with granule rows in the DOM (polled every animation
  frame), then "Back". The request alone is the same
  `GET {g.get("url", "…/granules?page_size=2000")}` sent by `fetch` from the page after
  each open; the end of the panel's own request is its Resource Timing `responseEnd`.
  Render = what the panel does once the answer is in: parse, model, windowed list and
  footprints on the map.

{machine(load)}
- Software: Chromium {data.get("browser", "?")} (Debian's, headless, Galata
  {data.get("galata", "?")}), jupyterlab {version("jupyterlab")}, jupyter_server
  {version("jupyter_server")}, moto {version("moto")}.
- Setup: `ui-tests/bench/jupyter_server_bench_config.py`: the UI tests' server setup with
  the stand-ins started with `--many {data.get("many", 100_000)}`; viewport
  {data.get("viewport", "1024x768")}. Heap: `performance.memory.usedJSHeapSize` after a
  forced GC (Chromium with
  `--enable-precise-memory-info --js-flags=--expose-gc`), once each page's rows are counted;
  the whole JupyterLab page's heap, not the panel's alone."""


def write_ui(path: Path, out: Path) -> int:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not data["scroll"]["samples"] or not data["granules"]["total_ms"]:
            raise KeyError("no samples")
    except (OSError, ValueError, KeyError) as exc:
        print(f"benchmark failed: no UI figures in {path}: {exc}", file=sys.stderr)
        return 1
    body = ui_section(data, path, load_average())
    print(f"\n## {UI_SECTION}\n\n{body}\n")
    write_section(UI_SECTION, body, out)
    print(f"wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed rounds (default 20)")
    parser.add_argument("--many", type=int, default=100_000, help="keys under many/")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to update")
    parser.add_argument(
        "--ui",
        type=Path,
        nargs="?",
        const=UI_RESULTS,
        help=f"write the UI section from the Playwright bench's JSON (default {UI_RESULTS})",
    )
    args = parser.parse_args(argv)
    if args.ui is not None:
        return write_ui(args.ui, args.out)
    if not 1 <= args.runs <= MAX_SAMPLES or args.many < 1000:
        parser.error(f"--runs must be from 1 to {MAX_SAMPLES}, --many at least 1000")

    print(f"data browse: {args.runs} rounds, {args.many:,} keys", flush=True)
    load = load_average()

    def failures(results: Results) -> list[str]:
        short = [n for n, row in results.rows.items() if len(row.samples_ms) != args.runs]
        return [f"too few samples for {short}"] if short else []

    return finish(
        SECTION,
        args.out,
        run(args.runs, args.many),
        lambda results: section(results, args.runs, args.many, load),
        failures,
        show_failed=False,
    )


if __name__ == "__main__":
    sys.exit(main())
