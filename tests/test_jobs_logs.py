"""Job logs: the ring of lines each job keeps, through the JobManager and the routes,
and the commands jobs run (stopped with their job, their output kept)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from cloudscapes.jobs import JobManager

from .jobs_shared import app_jobs, check_model, manager, until


async def test_a_job_logs_lines_with_numbers_and_streams():
    jobs = manager()

    async def work(ctx):
        ctx.log("Resolving packages")
        ctx.log("Downloaded numpy\nDownloaded xarray\n", "stdout")
        ctx.log("warning: no wheel\r\n\nlast", "stderr")
        with pytest.raises(ValueError):
            ctx.log("nowhere", "stdin")
        return {}

    job = jobs.start("build", "Build env", work)
    await job.task
    log = jobs.model(job)["log"]
    assert [(line["n"], line["stream"], line["text"]) for line in log["lines"]] == [
        (1, "info", "Resolving packages"),
        (2, "stdout", "Downloaded numpy"),
        (3, "stdout", "Downloaded xarray"),
        (4, "stderr", "warning: no wheel"),
        (5, "stderr", ""),
        (6, "stderr", "last"),
    ]
    assert (log["dropped"], log["next"]) == (0, 7)
    check_model(jobs.model(job))


async def test_updated_moves_strictly_forward_even_when_the_clock_stands_still(monkeypatch):
    from datetime import datetime, timezone

    from cloudscapes import jobs as jobs_module

    frozen = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(jobs_module, "_now", lambda: frozen)
    jobs = manager()
    seen = []

    async def work(ctx):
        for i in range(5):
            ctx.log(f"line {i}")
            seen.append(jobs.model(jobs.get(ctx.id))["updated"])
        ctx.progress(1, 2)
        seen.append(jobs.model(jobs.get(ctx.id))["updated"])

    job = jobs.start("x", "X", work)
    await job.task
    assert len(set(seen)) == len(seen) and seen == sorted(seen)
    assert seen[0] > "2026-01-01T12:00:00.000000Z"
    # each line carries the `updated` it set
    assert [line["time"] for line in jobs.model(job)["log"]["lines"]] == seen[:5]
    check_model(jobs.model(job))


async def test_the_log_is_a_bounded_ring_that_counts_what_it_dropped():
    jobs = JobManager(logging.getLogger("test-jobs"), log_lines=5, line_chars=10)

    async def work(ctx):
        for i in range(1, 12):
            ctx.log(f"line {i}")
        ctx.log("x" * 50)
        return {}

    job = jobs.start("x", "X", work)
    await job.task
    log = jobs.model(job)["log"]
    assert [line["n"] for line in log["lines"]] == [8, 9, 10, 11, 12]
    assert log["lines"][-1]["text"] == "x" * 9 + "\u2026"
    assert (log["dropped"], log["next"]) == (7, 13)
    # lines after the end change nothing
    before = jobs.model(job)
    contexts = []

    async def keep(ctx):
        contexts.append(ctx)

    late = jobs.start("y", "Y", keep)
    await late.task
    contexts[0].log("too late")
    assert jobs.model(late)["log"] == {"lines": [], "dropped": 0, "next": 1}
    assert jobs.model(job) == before


async def test_the_log_through_the_routes_with_and_without_since(api, jp_serverapp):
    jobs = app_jobs(jp_serverapp)
    step = asyncio.Event()

    async def work(ctx):
        ctx.log("Cloning into 'proj'...")
        ctx.log("remote: Counting objects: 10", "stderr")
        await step.wait()
        ctx.log("Receiving objects: 100%", "stderr")
        await asyncio.sleep(3600)

    job = jobs.start("clone", "Clone proj", work, unit="steps")
    await asyncio.sleep(0.05)
    status, first = await api(f"jobs/{job.id}")
    assert status == 200
    assert [line["text"] for line in first["log"]["lines"]] == [
        "Cloning into 'proj'...",
        "remote: Counting objects: 10",
    ]
    assert [line["stream"] for line in first["log"]["lines"]] == ["info", "stderr"]

    # nothing new since what the client saw: no lines, same counts
    status, same = await api(f"jobs/{job.id}?since={first['updated']}")
    assert same["log"] == {"lines": [], "dropped": 0, "next": 3}

    # waiting with since answers at the new line, with only that line
    asyncio.get_running_loop().call_later(0.1, step.set)
    status, new = await api(f"jobs/{job.id}?wait=20&since={first['updated']}")
    assert [(line["n"], line["text"]) for line in new["log"]["lines"]] == [
        (3, "Receiving objects: 100%")
    ]
    assert new["updated"] > first["updated"]

    # without since: every line still kept
    status, full = await api(f"jobs/{job.id}")
    assert [line["n"] for line in full["log"]["lines"]] == [1, 2, 3]

    # the list carries the counts only
    status, listed = await api("jobs")
    (entry,) = [j for j in listed["jobs"] if j["id"] == job.id]
    assert entry["log"] == {"lines": [], "dropped": 0, "next": 4}

    for bad in ("yesterday", "2026-13-01T00:00:00Z", "12:00"):
        status, err = await api(f"jobs/{job.id}?since={bad}")
        assert (status, err["error"]["code"]) == (400, "invalid_since")
    await api(f"jobs/{job.id}", method="DELETE")


async def test_the_ring_bound_through_the_routes(api, jp_serverapp, monkeypatch):
    jobs = app_jobs(jp_serverapp)
    monkeypatch.setattr(jobs, "log_lines", 3)

    async def work(ctx):
        ctx.log("\n".join(f"line {i}" for i in range(1, 11)), "stdout")
        return {}

    job = jobs.start("x", "Noisy", work)
    await job.task
    _, model = await api(f"jobs/{job.id}")
    assert [line["text"] for line in model["log"]["lines"]] == ["line 8", "line 9", "line 10"]
    assert (model["log"]["dropped"], model["log"]["next"]) == (7, 11)


async def test_cancelling_a_job_kills_its_command_and_keeps_what_it_printed(api, jp_serverapp):
    """A job runs a real command (which forks a grandchild) with its output in the job's
    log; DELETE stops the whole process group, and the log shows what it printed."""
    import os
    import secrets
    import sys

    import psutil

    from cloudscapes import process

    jobs = app_jobs(jp_serverapp)
    mark = f"3000.{secrets.randbelow(10**9):09d}"
    script = (
        "import os, subprocess, sys, time\n"
        "print('pid', os.getpid(), flush=True)\n"
        "subprocess.Popen(['sleep', sys.argv[1]])\n"
        "print('\\x1b[32mstep 1\\x1b[0m', flush=True)\n"
        "print('a warning', file=sys.stderr, flush=True)\n"
        "time.sleep(300)\n"
    )

    async def work(ctx):
        ctx.log("Running the tool")
        result = await process.run([sys.executable, "-c", script, mark], on_line=ctx.on_line)
        return {"code": result.returncode}

    def alive() -> list[int]:
        found = []
        for proc in psutil.process_iter(["cmdline", "status"]):
            try:
                in_group = pgid is not None and os.getpgid(proc.pid) == pgid
                marked = mark in " ".join(proc.info["cmdline"] or [])
                if proc.info["status"] != psutil.STATUS_ZOMBIE and (in_group or marked):
                    found.append(proc.pid)
            except (ProcessLookupError, psutil.Error):
                continue
        return found

    pgid = None
    job = jobs.start("build", "Build env", work, unit="steps")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while True:
        status, model = await api(f"jobs/{job.id}")
        texts = [line["text"] for line in model["log"]["lines"]]
        if "a warning" in texts and "\x1b[32mstep 1\x1b[0m" in texts:
            break
        assert loop.time() < deadline, texts
        await asyncio.sleep(0.05)
    pgid = int(next(t for t in texts if t.startswith("pid ")).split()[1])
    assert len(alive()) == 2  # the command and its grandchild

    status, cancelled = await api(f"jobs/{job.id}", method="DELETE")
    assert (status, cancelled["status"]) == (200, "cancelled")
    assert alive() == []
    lines = [(line["stream"], line["text"]) for line in cancelled["log"]["lines"]]
    assert lines[0] == ("info", "Running the tool")
    assert ("stdout", "\x1b[32mstep 1\x1b[0m") in lines and ("stderr", "a warning") in lines


async def test_server_stop_stops_commands_of_jobs_and_of_requests(jp_serverapp):
    import secrets

    import psutil

    from cloudscapes import process

    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    mark = f"3000.{secrets.randbelow(10**9):09d}"

    async def work(ctx):
        await process.run(["sleep", mark])

    job = app.jobs.start("build", "Build env", work)
    request = asyncio.ensure_future(process.run(["sleep", mark]))  # as a handler would

    def sleeping() -> int:
        return sum(
            1
            for p in psutil.process_iter(["cmdline", "status"])
            if p.info["cmdline"] == ["sleep", mark] and p.info["status"] != psutil.STATUS_ZOMBIE
        )

    await until(lambda: sleeping() == 2)
    await app.stop_extension()
    assert sleeping() == 0
    assert job.status == "cancelled" and request.cancelled()
