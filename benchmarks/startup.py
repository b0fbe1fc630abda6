#!/usr/bin/env python3
"""JupyterLab's startup with the Cloudscapes suite against the same JupyterLab without it:
time to ready and the Cloudscapes bytes the page fetches at start, in Chromium.

Sides (``--sides``, default ``suite,absent``), each one real JupyterLab server
(``python -m jupyter_server`` with its Jupyter dirs, HOME and workspace in a temporary
directory, token auth, the ``cloudscapes`` server extension wired to the Earthdata
stand-ins so that the plugins' first requests answer as on a hub):

- ``suite``: every lab extension installed, as users get them;
- ``absent``: the same labextensions path less every ``@cloudscapes/*`` lab extension
  (a folder of links to each other federated extension), so the page cannot fetch any
  of their code: the floor;
- ``disabled``: every ``@cloudscapes/*`` lab extension listed in ``disabledExtensions``
  of ``labconfig/page_config.json`` (what ``jupyter labextension disable`` writes).
  JupyterLab 4 still loads a disabled federated extension's ``remoteEntry`` and its
  ``extension`` module (only its style is skipped), so this side shows what disabling
  saves, not the floor.

The Cloudscapes extensions are discovered, never listed here: every federated extension
named ``@cloudscapes/*`` on the suite's labextensions path, checked against the page
config the suite's ``/lab`` page carries (and none of them may reach the ``absent``
page). A feature added later is measured the day it is installed.

``ui-tests/bench/startup/startup.ts`` (Playwright, Debian's Chromium) then opens fresh
pages, sides alternating, and this script turns its JSON into the "Startup" section of
``benchmarks/RESULTS.md``. Goals: the suite adds under 100 ms to the median time to
ready and fetches under 300 KB of Cloudscapes code and styles before ready.

Exit status: 0 once measured; 1 when the benchmark itself failed.

Usage: python benchmarks/startup.py [--runs 8] [--sides suite,absent,disabled]
       [--network MBIT,RTT_MS] [--out FILE] [--json FILE]
       python benchmarks/startup.py --from-json FILE [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import benchlib
from benchlib import REPO, BenchmarkError, Server, load_average, percentile, version
from results_md import RESULTS, write_section

from cloudscapes.testing import earthdata

SECTION = "Startup"
#: a production build of the extensions (the wheel's) gets a section of its own, so that
#: `make bench` (development build) does not overwrite its figures
PROD_SECTION = "Startup (production build)"
SCOPE = "@cloudscapes/"
SIDES = ("suite", "absent", "disabled")
UI_TESTS = REPO / "ui-tests"
SPEC_CONFIG = "bench/startup/playwright.config.js"
GOAL_READY_MS = 100.0
GOAL_START_BYTES = 300_000
AFTER_MS = 2000  # watch the network this long after ready (what loads "just after")
KIND = {".js": "JS", ".css": "CSS"}


# ---- the servers --------------------------------------------------------------------


def federated_extensions(env: dict[str, str]) -> dict[str, str]:
    """name -> folder of every federated lab extension the server of ``env`` would see
    (``jupyter_path("labextensions")``, JupyterLab's default path), asked of a Python with
    that environment."""
    code = (
        "import json; from jupyter_core.paths import jupyter_path; "
        "from jupyterlab_server.config import get_federated_extensions as g; "
        "print(json.dumps({n: d['ext_path'] for n, d in "
        "g(jupyter_path('labextensions')).items()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def config_py(side: str, info: dict[str, Any], extensions: dict[str, str], tmp: Path) -> str:
    """The side's ``jupyter_server_config.py``."""
    lines = [
        "c = get_config()  # noqa: F821",
        "c.LabApp.expose_app_in_browser = True",  # window.jupyterapp, as Galata has it
        'c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"',
        f"c.LabApp.workspaces_dir = {str(tmp / 'workspaces')!r}",
    ]
    for cls, values in (
        ("CloudscapesEarthdata", earthdata.server_config(info)),
        ("CloudscapesData", {**earthdata.data_server_config(info), "granule_code": "direct"}),
    ):
        lines += [f"c.{cls}.{name} = {value!r}" for name, value in values.items()]
    if side == "absent":
        links = tmp / "labextensions"
        for name, path in extensions.items():
            if not name.startswith(SCOPE):
                (links / name).parent.mkdir(parents=True, exist_ok=True)
                (links / name).symlink_to(path)
        lines += [
            f"c.LabApp.labextensions_path = [{str(links)!r}]",
            "c.LabApp.extra_labextensions_path = []",
        ]
    return "\n".join(lines) + "\n"


@contextmanager
def lab_server(side: str, tmp: Path, token: str, info: dict[str, Any]) -> Iterator[Server]:
    env = benchlib.user_env(tmp)
    probe = {**os.environ, **env, "JUPYTER_DATA_DIR": str(tmp / "data")}
    extensions = federated_extensions(probe)
    with benchlib.jupyter_server(
        tmp,
        token,
        [],
        env=env,
        unset_prefixes=("EARTHDATA_", "CLOUDSCAPES_", "AWS_"),
        config_py=config_py(side, info, extensions, tmp),
    ) as server:
        if side == "disabled":
            labconfig = tmp / "config" / "labconfig"
            labconfig.mkdir()
            ours = {name: True for name in extensions if name.startswith(SCOPE)}
            page_config = {"disabledExtensions": ours}
            (labconfig / "page_config.json").write_text(json.dumps(page_config, indent=2))
        yield server


def get(server: Server, token: str, path: str, **headers: str) -> tuple[int, dict, bytes]:
    """``GET path`` of the server (status 0 when it does not answer)."""
    host = urlsplit(server.url)
    connection = http.client.HTTPConnection(
        host.hostname or "127.0.0.1", host.port, timeout=benchlib.REQUEST_TIMEOUT
    )
    try:
        connection.request("GET", path, headers={"Authorization": f"token {token}", **headers})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except OSError as exc:
        return 0, {}, str(exc).encode()
    finally:
        connection.close()


def page_config(server: Server, token: str) -> dict[str, Any]:
    """The page config of ``/lab``, once the server answers it (the JSON in the page)."""
    deadline = time.monotonic() + benchlib.STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchmarkError(f"a Jupyter server exited\n{server.log_tail()}")
        status, _, body = get(server, token, "/lab")
        if status == 200:
            found = re.search(
                rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                body,
                re.S,
            )
            if not found:
                raise BenchmarkError("/lab carries no jupyter-config-data")
            return json.loads(found.group(1))
        time.sleep(0.3)
    raise BenchmarkError(f"/lab did not answer in {benchlib.STARTUP_TIMEOUT:.0f} s")


def ours(config: dict[str, Any]) -> list[str]:
    return sorted(e["name"] for e in config["federated_extensions"] if e["name"].startswith(SCOPE))


# ---- measuring ----------------------------------------------------------------------


def discovered(servers: dict[str, Server]) -> list[str]:
    """The ``@cloudscapes/*`` lab extensions installed (any side's environment will do:
    they share one Python)."""
    env = next(iter(servers.values())).env
    return sorted(name for name in federated_extensions(env) if name.startswith(SCOPE))


def check_sides(configs: dict[str, dict[str, Any]], servers: dict[str, Server]) -> None:
    """Each side's page is what it claims: the suite's lists every installed Cloudscapes
    extension, the absent one none, the disabled one disables them all."""
    installed = discovered(servers)
    if not installed:
        raise BenchmarkError(f"no {SCOPE}* lab extension is installed: run `make build`")
    if "suite" in configs and ours(configs["suite"]) != installed:
        raise BenchmarkError(f"the suite's page lists {ours(configs['suite'])}, not {installed}")
    if "absent" in configs and ours(configs["absent"]):
        raise BenchmarkError(f"the absent side's page lists {ours(configs['absent'])}")
    if "disabled" in configs:
        disabled = set(configs["disabled"].get("disabledExtensions", []))
        if not set(installed) <= disabled:
            raise BenchmarkError(f"page_config disabled {sorted(disabled)}, not {installed}")


def run_spec(plan: dict[str, Any], tmp: Path) -> dict[str, Any]:
    plan_file = tmp / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    env = {**os.environ, "CI": "1", "CLOUDSCAPES_STARTUP_PLAN": str(plan_file)}
    command = ["npx", "playwright", "test", "--config", SPEC_CONFIG, "--workers", "1"]
    print("$ cd ui-tests && " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=UI_TESTS, env=env, check=False).returncode != 0:
        raise BenchmarkError("the Playwright startup spec failed")
    return json.loads(Path(plan["out"]).read_text(encoding="utf-8"))


def measure(
    sides: list[str], runs: int, tmp: Path, network: dict[str, float] | None
) -> dict[str, Any]:
    token = secrets.token_hex(24)
    with ExitStack() as stack:
        standins = tmp / "standins"
        standins.mkdir()
        info = stack.enter_context(benchlib.earthdata_standins(standins, "--s3"))
        servers: dict[str, Server] = {}
        for side in sides:
            (tmp / side).mkdir()
            servers[side] = stack.enter_context(lab_server(side, tmp / side, token, info))
        configs = {side: page_config(server, token) for side, server in servers.items()}
        check_sides(configs, servers)
        plan = {
            "sides": [
                {"name": side, "url": server.url + "/lab", "token": token}
                for side, server in servers.items()
            ],
            "runs": runs,
            "warmup": 1,
            "after_ms": AFTER_MS,
            "network": network,
            "out": str(tmp / "startup.json"),
        }
        data = run_spec(plan, tmp)
        suite = servers.get("suite") or next(iter(servers.values()))
        data["compression"] = compression(suite, token, data)
    data["extensions"] = ours(configs["suite"]) if "suite" in configs else discovered(servers)
    data["sides"] = sides
    data["features"] = configs[sides[0]].get("cloudscapesFeatures", "")
    return data


def compression(server: Server, token: str, data: dict[str, Any]) -> dict[str, Any]:
    """Does the server compress our code when asked (``Accept-Encoding: gzip``), and what
    gzip (level 6, as tornado's ``compress_response``) would make of the start set."""
    urls = sorted({r["url"] for r in resources(data, "suite", before_ready=True)})
    if not urls:
        return {}
    status, headers, _ = get(server, token, path_of(urls[0]), **{"Accept-Encoding": "gzip"})
    raw = zipped = 0
    for url in urls:
        _, _, body = get(server, token, path_of(url))
        raw += len(body)
        zipped += len(gzip.compress(body, compresslevel=6))
    return {
        "asked": path_of(urls[0]),
        "status": status,
        "content_encoding": headers.get("Content-Encoding", ""),
        "raw": raw,
        "gzip6": zipped,
    }


# ---- the figures --------------------------------------------------------------------


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3].split("?")[0]


def ext_of(url: str) -> tuple[str, str] | None:
    """(extension name, file) of a URL under ``/lab/extensions/@cloudscapes/<name>/``."""
    found = re.search(r"/lab/extensions/(@cloudscapes/[^/]+)/(?:static/)?([^?]+)", url)
    return (found.group(1), found.group(2)) if found else None


def resources(data: dict[str, Any], side: str, *, before_ready: bool) -> list[dict[str, Any]]:
    """Cloudscapes resources of every timed run of ``side``, each tagged with its run,
    requested before ready (or after it, within the watch)."""
    out = []
    for i, run in enumerate(r for r in data["runs"] if r["side"] == side):
        for res in run["resources"]:
            if ext_of(res["url"]) and (res["start_ms"] < run["ready_ms"]) == before_ready:
                out.append({**res, "run": i})
    return out


def per_run_bytes(data: dict[str, Any], side: str, key: str) -> list[float]:
    runs = [r for r in data["runs"] if r["side"] == side]
    totals = [0.0] * len(runs)
    for res in resources(data, side, before_ready=True):
        totals[res["run"]] += res[key]
    return totals


def kind(file: str) -> str:
    if "_css" in file or file == "style.js" or file.startswith("style_"):
        return "CSS (in JS)"
    return KIND.get(Path(file).suffix, Path(file).suffix.lstrip(".") or "?")


def chunks(data: dict[str, Any], side: str, before_ready: bool) -> list[dict[str, Any]]:
    """One row per file: its extension, size decoded and transferred, and in how many
    runs it was fetched."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for res in resources(data, side, before_ready=before_ready):
        name, file = ext_of(res["url"])  # type: ignore[misc]
        row = rows.setdefault(
            (name, file), {"ext": name, "file": file, "decoded": 0, "transfer": 0, "runs": set()}
        )
        row["decoded"] = max(row["decoded"], res["decoded"])
        row["transfer"] = max(row["transfer"], res["transfer"])
        row["encoding"] = res.get("encoding", "")
        row["runs"].add(res["run"])
    return sorted(rows.values(), key=lambda r: (r["ext"], -r["decoded"]))


def ready(data: dict[str, Any], side: str, key: str = "ready_ms") -> list[float]:
    return [r[key] for r in data["runs"] if r["side"] == side and key in r]


def paired(data: dict[str, Any], side: str, base: str) -> list[float]:
    """Per round: this side's ready minus the base's, in the same round."""
    by_round: dict[int, dict[str, float]] = {}
    for r in data["runs"]:
        by_round.setdefault(r["round"], {})[r["side"]] = r["ready_ms"]
    return [v[side] - v[base] for v in by_round.values() if side in v and base in v]


def busy(data: dict[str, Any], side: str, key: str) -> str:
    """Median of a CDP busy time, in s (``?`` for figures from before it was measured)."""
    values = [r[key] for r in data["runs"] if r["side"] == side and key in r]
    return f"{percentile(values, 50) / 1000:.2f}" if values else "?"


def kb(n: float) -> str:
    return f"{n / 1000:,.1f}"


def spread(values: list[float]) -> str:
    return (
        f"{percentile(values, 50) / 1000:.2f} | {min(values) / 1000:.2f} to "
        f"{max(values) / 1000:.2f} | {percentile(values, 25) / 1000:.2f} to "
        f"{percentile(values, 75) / 1000:.2f}"
    )


def section(data: dict[str, Any], load: str, build: str) -> str:
    sides: list[str] = data["sides"]
    runs = len(ready(data, sides[0]))
    base = "absent" if "absent" in sides else sides[-1]
    table = [
        "| side | runs | ready: median s | min to max s | p25 to p75 s | restored: median s "
        "| script s | main-thread tasks s "
        "| Cloudscapes bytes before ready: transferred kB | decoded kB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for side in sides:
        transfer = per_run_bytes(data, side, "transfer")
        decoded = per_run_bytes(data, side, "decoded")
        table.append(
            f"| {side} | {runs} | {spread(ready(data, side))} | "
            f"{percentile(ready(data, side, 'restored_ms'), 50) / 1000:.2f} | "
            f"{busy(data, side, 'script_ms')} | {busy(data, side, 'task_ms')} | "
            f"{kb(percentile(transfer, 50))} | {kb(percentile(decoded, 50))} |"
        )
    lines = [table_text(table)]
    goals = []
    if "suite" in sides and base != "suite":
        added = percentile(ready(data, "suite"), 50) - percentile(ready(data, base), 50)
        pairs = paired(data, "suite", base)
        start = percentile(per_run_bytes(data, "suite", "transfer"), 50)
        ok_ready, ok_bytes = added < GOAL_READY_MS, start < GOAL_START_BYTES
        goals += [
            f"- {'✔' if ok_ready else '✘'} the suite adds under {GOAL_READY_MS:.0f} ms to ready: "
            f"**{added:+.0f} ms** (median suite - median {base}; per round, suite - {base}: "
            f"median {percentile(pairs, 50):+.0f} ms, min {min(pairs):+.0f}, "
            f"max {max(pairs):+.0f}).",
            f"- {'✔' if ok_bytes else '✘'} under {GOAL_START_BYTES // 1000} KB of Cloudscapes "
            f"code and styles before ready: **{kb(start)} kB** transferred (median per run).",
        ]
        script = percentile(ready(data, "suite", "script_ms"), 50) - percentile(
            ready(data, base, "script_ms"), 50
        )
        tasks = percentile(ready(data, "suite", "task_ms"), 50) - percentile(
            ready(data, base, "task_ms"), 50
        )
        goals.append(
            f"- The renderer's own work up to ready (CDP `Performance.getMetrics`, less "
            f"sensitive to the machine's load than the wall clock): the suite adds "
            f"{script:+.0f} ms of script (parse, compile, run) and {tasks:+.0f} ms of "
            f"main-thread tasks (medians)."
        )
        if "disabled" in sides:
            off = percentile(ready(data, "disabled"), 50) - percentile(ready(data, base), 50)
            dis = percentile(per_run_bytes(data, "disabled", "transfer"), 50)
            goals.append(
                f"- `disabled` (page_config) is {off:+.0f} ms from `{base}` and still fetches "
                f"{kb(dis)} kB of Cloudscapes code: disabling does not unload the code."
            )
    lines.append("\n".join(goals))
    lines.append(chunk_table(data, "suite" if "suite" in sides else sides[0], runs))
    comp = data.get("compression") or {}
    if comp:
        encoding = comp["content_encoding"] or "none"
        lines.append(
            f"Compression: asked with `Accept-Encoding: gzip`, the server answered "
            f"`{comp['asked']}` with Content-Encoding **{encoding}**. The files fetched "
            f"before ready weigh {kb(comp['raw'])} kB as served and {kb(comp['gzip6'])} kB "
            f"gzipped at level 6 (what tornado's `compress_response` would send)."
        )
    lines.append(setup_text(data, load, build, runs))
    return "\n\n".join(lines)


def table_text(rows: list[str]) -> str:
    return "\n".join(rows)


def chunk_table(data: dict[str, Any], side: str, runs: int) -> str:
    rows = [
        f"Cloudscapes files the `{side}` page fetched, before ready and within "
        f"{AFTER_MS / 1000:.0f} s after it:",
        "",
        "| extension | file | kind | decoded kB | transferred kB | encoding | when | runs |",
        "|---|---|---|--:|--:|---|---|--:|",
    ]
    for when, before in (("before ready", True), ("after ready", False)):
        for c in chunks(data, side, before):
            rows.append(
                f"| {c['ext'].removeprefix(SCOPE)} | `{c['file']}` | {kind(c['file'])} | "
                f"{kb(c['decoded'])} | {kb(c['transfer'])} | {c['encoding'] or '—'} | "
                f"{when} | {len(c['runs'])}/{runs} |"
            )
    by_ext: dict[str, float] = {}
    for c in chunks(data, side, True):
        by_ext[c["ext"]] = by_ext.get(c["ext"], 0) + c["decoded"]
    rows += [
        "",
        "Per extension before ready (decoded kB): "
        + ", ".join(f"{k.removeprefix(SCOPE)} {kb(v)}" for k, v in sorted(by_ext.items()))
        + ".",
    ]
    return "\n".join(rows)


def setup_text(data: dict[str, Any], load: str, build: str, runs: int) -> str:
    return f"""\
- Ready: the first animation frame at which JupyterLab's `app.restored` has resolved and
  its shell `#main` is laid out, in `performance.now()` from the navigation's start (the
  splash screen then fades out over 0.5 s on every side alike). Restored: `app.restored`
  alone. Script and main-thread tasks: Chromium's `ScriptDuration` and `TaskDuration`
  (CDP `Performance.getMetrics`) when ready is seen (polled every 50 ms). Bytes: the
  page's Resource Timing entries under `/lab/extensions/@cloudscapes/*/` requested
  before ready (`transferSize`, `decodedBodySize`), median over the runs; the
  Content-Encoding as the server answered.
- Sides: `suite` = JupyterLab with every installed lab extension; `absent` = the same
  server whose labextensions path lacks the Cloudscapes ones (links to each other
  federated extension); `disabled` = the suite with its extensions in
  `labconfig/page_config.json`'s `disabledExtensions`. Cloudscapes extensions,
  discovered (every `{SCOPE}*` federated extension installed): {", ".join(data["extensions"])};
  server features on the page (`cloudscapesFeatures`):
  `{data.get("features") or "not published"}`. Build: {build}.
- Runs: one untimed warm-up page per side, then {runs} rounds of one fresh page per side
  (a new browser context each: empty cache, no cookies), the order alternating
  (A B, B A, B A, A B, …; each side first, last and after each other alike), each page
  kept {AFTER_MS / 1000:.0f} s after ready and until its network is idle (JupyterLab's
  own build check takes seconds of a server's CPU) before the next; `/lab?token=…`,
  viewport {data.get("viewport", "1024x768")}; network: {link(data.get("network"))}. Each side's
  server is a real `python -m jupyter_server` with jupyterlab and the `cloudscapes`
  server extension wired to the Earthdata stand-ins (`python -m
  cloudscapes.testing.earthdata --s3`), its Jupyter dirs, HOME and workspace in a
  temporary directory; all servers run side by side on 127.0.0.1.
- Measured {data.get("when", "?")} by `python benchmarks/startup.py`
  (`ui-tests/bench/startup/startup.ts`); load average at the start {load} — the machine was
  shared, so read the medians and the per-round differences, not single runs.
- Software: Chromium {data.get("browser", "?")} (Debian's, headless), jupyterlab
  {version("jupyterlab")}, jupyter_server {version("jupyter_server")}, tornado
  {version("tornado")}; {benchlib.cpu_count()} CPUs ({benchlib.cpu_model()})."""


def link(network: dict[str, float] | None) -> str:
    if not network:
        return "loopback, not throttled"
    return (
        f"{network['mbit']:g} Mbit/s each way and {network['rtt_ms']:g} ms added latency, "
        "emulated by Chromium (CDP `Network.emulateNetworkConditions`)"
    )


def build_kind() -> str:
    """Development or production build of the installed extensions (dev builds carry
    source maps and are not minified)."""
    out = REPO / "cloudscapes" / "labextensions" / "@cloudscapes"
    maps = list(out.glob("*/static/*.js.map"))
    return (
        "development (`make build`: `jupyter-builder build --development=True`, not minified)"
        if maps
        else "production (`npm run build:prod`, minified, as in the wheel)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=8, help="timed rounds (default 8)")
    parser.add_argument(
        "--sides", default="suite,absent", help=f"comma-separated, of {', '.join(SIDES)}"
    )
    parser.add_argument(
        "--network",
        metavar="MBIT,RTT_MS",
        help="emulate a slower link than loopback in Chromium, e.g. 20,40 (own section)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to update")
    parser.add_argument("--json", type=Path, help="also keep the figures' JSON here")
    parser.add_argument(
        "--from-json", type=Path, help="write the section from a kept JSON, measuring nothing"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        return report(json.loads(args.from_json.read_text(encoding="utf-8")), args.out)
    sides = [s.strip() for s in args.sides.split(",") if s.strip()]
    if not 1 <= args.runs <= 100 or not sides or set(sides) - set(SIDES) or len(set(sides)) < 2:
        parser.error(f"--runs from 1 to 100; --sides: two or three of {', '.join(SIDES)}")
    network = None
    if args.network:
        try:
            mbit, rtt = (float(v) for v in args.network.split(","))
        except ValueError:
            parser.error("--network takes MBIT,RTT_MS, e.g. 20,40")
        network = {"mbit": mbit, "rtt_ms": rtt}
    if shutil.which("npx") is None:
        print("benchmark failed: npx is not on PATH", file=sys.stderr)
        return 1
    print(f"startup: {args.runs} rounds of {', '.join(sides)}", flush=True)
    load, build = load_average(), build_kind()
    with tempfile.TemporaryDirectory(prefix="cloudscapes-startup-") as tmp:
        try:
            data = measure(sides, args.runs, Path(tmp), network)
        except (BenchmarkError, subprocess.CalledProcessError, OSError) as exc:
            print(f"benchmark failed: {exc}", file=sys.stderr)
            return 1
    data.update(load=load, build=build, rounds=args.runs)
    if args.json:
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return report(data, args.out)


def report(data: dict[str, Any], out: Path) -> int:
    """Check the figures and write their section (the heading says which build and link)."""
    sides, network = data["sides"], data.get("network")
    short = [s for s in sides if len(ready(data, s)) != data["rounds"]]
    if short:
        print(f"benchmark failed: too few runs for {short}", file=sys.stderr)
        return 1
    if "absent" in sides and resources(data, "absent", before_ready=True):
        print("benchmark failed: the absent side fetched Cloudscapes code", file=sys.stderr)
        return 1
    heading = PROD_SECTION if data["build"].startswith("production") else SECTION
    if network:
        heading += f" over {network['mbit']:g} Mbit/s, {network['rtt_ms']:g} ms RTT"
    body = section(data, data["load"], data["build"])
    print(f"\n## {heading}\n\n{body}\n")
    write_section(heading, body, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
