"""What the job tests share (test_jobs*.py): a JobManager of their own, waiting for a
condition, the contract check of a job model, and the jobs of the test server."""

from __future__ import annotations

import asyncio
import json
import logging

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


def app_jobs(serverapp) -> JobManager:
    (app,) = serverapp.extension_manager.extension_apps["cloudscapes"]
    return app.jobs
