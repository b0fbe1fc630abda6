"""Long operations: the JobManager on its own, and the /cloudscapes/jobs routes of a real
server."""

from __future__ import annotations

import asyncio
import json
import logging
import re

import pytest

from cloudscapes.handlers import CloudscapesError
from cloudscapes.jobs import JobManager

from .conftest import CONTRACT


def manager(keep_seconds: float = 3600) -> JobManager:
    return JobManager(logging.getLogger("test-jobs"), keep_seconds=keep_seconds)


async def until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition never became true"
        await asyncio.sleep(0.01)


def check_model(model: dict) -> None:
    """Every model the manager produces is a ``Job`` of the contract."""
    op = CONTRACT.find("get", "/cloudscapes/jobs/x")
    CONTRACT.validate("get", op.path.replace("{id}", "x"), 200, json.dumps(model).encode())


# ---- JobManager -----------------------------------------------------------------------


async def test_a_job_reports_progress_and_its_result():
    jobs = manager()
    step = asyncio.Event()
    finish = asyncio.Event()

    async def work(ctx):
        ctx.progress(0, 300, "Starting")
        step.set()
        await finish.wait()
        ctx.progress(200, message="seaice.nc: 200 of 300 bytes")
        return {"paths": ["downloads/seaice.nc"], "bytes": 300}

    job = jobs.start("download", "Download seaice.nc", work, total=300)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", job.id)
    assert jobs.model(job)["status"] == "pending"
    check_model(jobs.model(job))

    await step.wait()
    model = jobs.model(jobs.get(job.id))
    assert model["status"] == "running"
    assert model["progress"] == {"done": 0, "total": 300, "unit": "bytes"}
    assert model["message"] == "Starting"
    check_model(model)

    finish.set()
    await job.task
    model = jobs.model(jobs.get(job.id))
    assert model["status"] == "succeeded"
    assert model["result"] == {"paths": ["downloads/seaice.nc"], "bytes": 300}
    assert model["error"] is None
    # a succeeded job shows its whole total done, whatever the last report said
    assert model["progress"]["done"] == 300
    assert model["updated"] >= model["created"]
    check_model(model)


async def test_a_cloudscapes_error_becomes_the_jobs_error():
    jobs = manager()

    async def work(ctx):
        ctx.progress(10, 100)
        raise CloudscapesError(
            409, "insufficient_space", "Not enough space: 3 GB needed, 1 GB free.", "Free some."
        )

    job = jobs.start("download", "Download big.nc", work)
    await job.task
    model = jobs.model(job)
    assert model["status"] == "failed"
    assert model["error"] == {
        "error": {
            "code": "insufficient_space",
            "message": "Not enough space: 3 GB needed, 1 GB free.",
            "hint": "Free some.",
        }
    }
    assert model["message"] == "Not enough space: 3 GB needed, 1 GB free."
    assert model["result"] is None
    check_model(model)


async def test_an_unexpected_exception_is_logged_but_not_shown(caplog):
    jobs = manager()

    async def work(ctx):
        raise KeyError("internal-detail-secret-abc123")

    with caplog.at_level(logging.ERROR, logger="test-jobs"):
        job = jobs.start("clone", "Clone repo", work)
        await job.task
    model = jobs.model(job)
    assert model["status"] == "failed"
    assert model["error"]["error"]["code"] == "job_failed"
    assert "Clone repo" in model["error"]["error"]["message"]
    text = json.dumps(model)
    assert "internal-detail-secret-abc123" not in text
    assert "Traceback" not in text and "KeyError" not in text
    # ... but the admin finds it, with its traceback, in the server log
    (record,) = [r for r in caplog.records if r.exc_info]
    assert "internal-detail-secret-abc123" in str(record.exc_info[1])
    check_model(model)


async def test_cancel_runs_the_cleanup_before_answering():
    jobs = manager()
    started = asyncio.Event()
    cleaned = []

    async def work(ctx):
        try:
            started.set()
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            await asyncio.sleep(0.05)  # cleanup that itself awaits
            cleaned.append(True)
            raise

    job = jobs.start("download", "Download slow.nc", work)
    await started.wait()
    answered = await jobs.cancel(job.id)
    assert cleaned == [True]
    assert jobs.model(answered)["status"] == "cancelled"
    assert jobs.model(answered)["message"] == "Cancelled"
    # a cancelled job stays visible until it is cancelled (forgotten) once more
    assert jobs.get(job.id) is job
    await jobs.cancel(job.id)
    with pytest.raises(CloudscapesError) as info:
        jobs.get(job.id)
    assert (info.value.status, info.value.code) == (404, "no_such_job")


async def test_cancel_before_the_job_ever_ran():
    jobs = manager()
    ran = []

    async def work(ctx):
        ran.append(True)

    job = jobs.start("download", "Download x", work)
    await jobs.cancel(job.id)  # the task has not had a step yet
    assert ran == []
    assert jobs.model(job)["status"] == "cancelled"


async def test_work_that_swallows_the_cancel_is_still_cancelled():
    jobs = manager()
    started = asyncio.Event()

    async def work(ctx):
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            return {"paths": ["half.nc"]}

    job = jobs.start("download", "Download x", work)
    await started.wait()
    await jobs.cancel(job.id)
    assert jobs.model(job)["status"] == "cancelled"
    assert jobs.model(job)["result"] is None


async def test_finished_jobs_are_forgotten_after_keep_seconds():
    jobs = manager(keep_seconds=0.2)

    async def work(ctx):
        return {}

    job = jobs.start("download", "Download x", work)
    await job.task
    assert [j.id for j in jobs.list()] == [job.id]
    await asyncio.sleep(0.3)
    assert jobs.list() == []
    with pytest.raises(CloudscapesError):
        jobs.get(job.id)


async def test_running_jobs_are_never_forgotten():
    jobs = manager(keep_seconds=0)
    release = asyncio.Event()

    async def work(ctx):
        await release.wait()

    job = jobs.start("build", "Build env", work)
    await asyncio.sleep(0.05)
    assert jobs.get(job.id).status == "running"
    release.set()
    await job.task
    assert jobs.list() == []


async def test_list_is_newest_first():
    jobs = manager()

    async def work(ctx):
        return None

    first = jobs.start("a", "First", work)
    await asyncio.sleep(0.01)
    second = jobs.start("b", "Second", work)
    assert [j.id for j in jobs.list()] == [second.id, first.id]
    await asyncio.gather(first.task, second.task)
    assert jobs.model(first)["result"] is None  # no result is null, not an error


async def test_shutdown_cancels_every_job_and_waits_for_cleanup():
    jobs = manager()
    cleaned = []

    def make(name):
        async def work(ctx):
            try:
                await asyncio.sleep(3600)
            finally:
                await asyncio.sleep(0.02)
                cleaned.append(name)

        return work

    running = [jobs.start("download", f"Download {n}", make(n)) for n in ("a", "b")]

    async def quick(ctx):
        return {"ok": True}

    done = jobs.start("download", "Done already", quick)
    await done.task
    await asyncio.sleep(0.01)
    await jobs.shutdown()
    assert sorted(cleaned) == ["a", "b"]
    assert [jobs.model(j)["status"] for j in running] == ["cancelled", "cancelled"]
    assert jobs.model(done)["status"] == "succeeded"


async def test_progress_after_the_end_changes_nothing():
    jobs = manager()
    saved = []

    async def work(ctx):
        saved.append(ctx)
        return {}

    job = jobs.start("x", "X", work, total=None, unit="steps")
    await job.task
    saved[0].progress(5, 10, "late")
    model = jobs.model(job)
    assert model["progress"] == {"done": 0, "total": None, "unit": "steps"}
    assert model["message"] == "Done"


# ---- the routes ---------------------------------------------------------------------------


def app_jobs(serverapp) -> JobManager:
    (app,) = serverapp.extension_manager.extension_apps["cloudscapes"]
    return app.jobs


async def test_jobs_routes_list_get_and_cancel(api, jp_serverapp):
    jobs = app_jobs(jp_serverapp)
    status, body = await api("jobs")
    assert (status, body) == (200, {"jobs": []})

    started = asyncio.Event()
    cleaned = []

    async def work(ctx):
        ctx.progress(5, 10, "Step 5 of 10")
        started.set()
        try:
            await asyncio.sleep(3600)
        finally:
            cleaned.append(True)

    job = jobs.start("build", "Build environment", work, unit="steps")
    await started.wait()

    status, body = await api("jobs")
    assert status == 200
    assert [j["id"] for j in body["jobs"]] == [job.id]

    status, model = await api(f"jobs/{job.id}")
    assert status == 200
    assert model["status"] == "running"
    assert model["progress"] == {"done": 5, "total": 10, "unit": "steps"}
    assert model["message"] == "Step 5 of 10"

    status, model = await api(f"jobs/{job.id}", method="DELETE")
    assert status == 200
    assert model["status"] == "cancelled"
    assert cleaned == [True]

    # once finished, DELETE forgets it
    status, model = await api(f"jobs/{job.id}", method="DELETE")
    assert (status, model["status"]) == (200, "cancelled")
    status, body = await api(f"jobs/{job.id}")
    assert (status, body["error"]["code"]) == (404, "no_such_job")


async def test_unknown_jobs_are_404(api):
    for method in ("GET", "DELETE"):
        status, body = await api("jobs/no-such-job", method=method)
        assert status == 404
        assert body["error"]["code"] == "no_such_job"
        assert body["error"]["message"]


async def test_a_failed_job_answers_its_error_through_the_route(api, jp_serverapp):
    jobs = app_jobs(jp_serverapp)

    async def work(ctx):
        raise CloudscapesError(409, "file_exists", "downloads/x.nc exists.", "Set overwrite.")

    job = jobs.start("download", "Download x.nc", work)
    await job.task
    status, model = await api(f"jobs/{job.id}")
    assert status == 200
    assert model["status"] == "failed"
    assert model["error"]["error"]["code"] == "file_exists"


async def test_polling_jobs_is_not_activity(api, jp_fetch, jp_serverapp):
    async def last_activity():
        response = await jp_fetch("api", "status")
        return json.loads(response.body)["last_activity"]

    await api("jobs")  # the first request of the server may set it
    before = await last_activity()
    await asyncio.sleep(0.05)
    await api("jobs")
    await api("jobs/nothing")
    assert await last_activity() == before


async def test_server_stop_cancels_running_jobs(jp_serverapp):
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    cleaned = []

    async def work(ctx):
        try:
            await asyncio.sleep(3600)
        finally:
            cleaned.append(True)

    job = app.jobs.start("download", "Download x", work)
    await asyncio.sleep(0.01)
    await app.stop_extension()
    assert cleaned == [True]
    assert job.status == "cancelled"


async def test_waiting_for_a_change_answers_at_the_change_not_after_polling(api, jp_serverapp):
    jobs = app_jobs(jp_serverapp)
    step = asyncio.Event()

    async def work(ctx):
        ctx.progress(1, 3, "Step 1 of 3")
        await step.wait()
        ctx.progress(2, 3, "Step 2 of 3")
        await asyncio.sleep(3600)

    job = jobs.start("build", "Build environment", work, unit="steps")
    await asyncio.sleep(0.05)
    status, seen = await api(f"jobs/{job.id}")
    assert seen["message"] == "Step 1 of 3"

    # Nothing changes: the answer comes after `wait`, with the same state.
    loop = asyncio.get_running_loop()
    began = loop.time()
    status, same = await api(f"jobs/{job.id}?wait=0.3&since={seen['updated']}")
    assert status == 200 and same == seen
    assert loop.time() - began >= 0.3

    # A change while waiting answers at once with it.
    loop.call_later(0.2, step.set)
    began = loop.time()
    status, changed = await api(f"jobs/{job.id}?wait=20&since={seen['updated']}")
    assert changed["message"] == "Step 2 of 3"
    assert loop.time() - began < 5

    # A client that missed a change (its `since` is old) is answered at once.
    began = loop.time()
    status, now = await api(f"jobs/{job.id}?wait=20&since={seen['updated']}")
    assert now["message"] == "Step 2 of 3" and loop.time() - began < 1

    for bad in ("-1", "31", "soon"):
        status, err = await api(f"jobs/{job.id}?wait={bad}")
        assert status == 400 and err["error"]["code"] == "invalid_wait"
    await api(f"jobs/{job.id}", method="DELETE")


# ---- logs -------------------------------------------------------------------------------


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
