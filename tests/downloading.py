"""What the download tests share (test_data_downloads*.py): signing in, waiting for a job,
what is in a folder, and the small chunks every download there is made of."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

DEMO = {"username": "demo", "password": "s3cret #1"}
FINISHED = ("succeeded", "failed", "cancelled")
NO_SPACE = {"free_space_margin": 10**18}


def data_service(serverapp):
    (app,) = serverapp.extension_manager.extension_apps["cloudscapes"]
    return app.services["data"]


@pytest.fixture
def data_config():
    """Many chunks per download (the default is 1 MiB)."""
    return {"download_chunk": 64 * 1024}


async def sign_in(api):
    status, _ = await api("earthdata/session", method="POST", body=DEMO)
    assert status == 200


async def wait_for(api, job_id: str, until=lambda job: job["status"] in FINISHED, timeout=30):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        status, job = await api(f"jobs/{job_id}")
        assert status == 200
        if until(job):
            return job
        assert loop.time() < deadline, f"job never got there: {job}"
        await asyncio.sleep(0.02)


def listing(folder: Path) -> list[str]:
    """Every name in the folder, hidden ones (partial files) included."""
    return sorted(os.listdir(folder)) if folder.exists() else []
