"""What the remote, update and GitHub tests share: bare remotes over file://, clones
made as a learner's terminal would, and waiting for a job to end."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from .gitrepos import git, make_repo

FINISHED = ("succeeded", "failed", "cancelled")


@pytest.fixture(autouse=True)
def home_is_git_home(user_home, git_home, jp_environ, monkeypatch):
    """pytest-jupyter's ``jp_environ`` sets HOME too; the git tests' home must win (its
    ~/.gitconfig has the identity, and the global config the tests read is there)."""
    monkeypatch.setenv("HOME", str(git_home))
    return git_home


@pytest.fixture
def learner_home(home_is_git_home: Path) -> Path:
    """The HOME of the server's git (its ~/.gitconfig, ~/.git-credentials)."""
    return home_is_git_home


@pytest.fixture
def git_config() -> dict[str, Any]:
    """file:// remotes are allowed in these tests (the default allows https and ssh)."""
    return {"allowed_schemes": ["https", "ssh", "file"]}


def bare_remote(tmp: Path, name: str, files: dict[str, str | bytes]) -> Path:
    """A bare repository at ``tmp/name.git`` holding ``files`` on ``main``."""
    work = make_repo(tmp / f"{name}-work", files)
    bare = tmp / f"{name}.git"
    git(tmp, "clone", "-q", "--bare", str(work), str(bare))
    return bare


def publish(tmp: Path, bare: Path, files: dict[str, str | bytes | None], message: str) -> None:
    """An instructor's commit on ``main`` of ``bare``: ``None`` deletes a file."""
    work = tmp / f"publish-{bare.stem}"
    if not work.exists():
        git(tmp, "clone", "-q", str(bare), str(work))
    git(work, "pull", "-q", "--no-rebase")
    for name, content in files.items():
        target = work / name
        if content is None:
            git(work, "rm", "-q", "--", name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        git(work, "add", "--", name)
    git(work, "commit", "-q", "-m", message)
    git(work, "push", "-q", "origin", "main")


def clone_of(bare: Path, where: Path) -> Path:
    git(where.parent, "clone", "-q", str(bare), str(where))
    return where


async def wait_job(api, job: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        status, job = await api(f"jobs/{job['id']}?wait=5&since={job['updated']}")
        assert status == 200
        if job["status"] in FINISHED:
            status, job = await api(f"jobs/{job['id']}")  # every log line
            return job
        assert loop.time() < deadline, f"the job did not end: {job}"


async def run_job(api, route: str, body: dict[str, Any]) -> dict[str, Any]:
    status, answer = await api(f"git/{route}", method="POST", body=body)
    assert status == 202, answer
    return await wait_job(api, answer["job"])


def log_text(job: dict[str, Any]) -> str:
    return "\n".join(line["text"] for line in job["log"]["lines"])
