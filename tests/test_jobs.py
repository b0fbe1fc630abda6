"""Long operations: the JobManager on its own, and the /cloudscapes/jobs routes of a real
server. Job logs (and the commands jobs run) are in test_jobs_logs.py."""

from __future__ import annotations

import asyncio
import json
import logging
import re

import pytest

from cloudscapes.handlers import CloudscapesError

from .jobs_shared import app_jobs, check_model, manager

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
