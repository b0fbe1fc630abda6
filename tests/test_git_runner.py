"""The git runner: options, environment, timeouts and error codes, with the real git."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from cloudscapes.git.config import CloudscapesGit
from cloudscapes.git.errors import classify, mask_secrets
from cloudscapes.git.runner import Git, GitError, Repo
from cloudscapes.process import Result

from .gitrepos import (  # noqa: F401
    alive,
    git,
    git_config,
    git_home,
    hanging_hook,
    jp_server_config,
    make_repo,
)

LOG = logging.getLogger("test")


def runner(root: Path, **traits) -> Git:
    return Git(CloudscapesGit(**traits), root, LOG)


def repo_of(top: Path) -> Repo:
    return Repo(top=top.resolve(), git_dir=(top / ".git").resolve(), rel=top.name)


async def test_git_runs_with_quiet_parseable_options(tmp_path):
    top = make_repo(tmp_path / "r", {"äö.txt": "x\n"}, commits=0)
    git = runner(tmp_path)
    result = await git.run(["status", "--porcelain"], repo=repo_of(top), read_only=True)
    assert result.ok
    # core.quotepath=false: the name as it is, not "\303\244"
    assert result.stdout == "?? äö.txt\n"
    assert "--no-optional-locks" in result.argv
    assert "core.hooksPath=/dev/null" in result.argv
    assert "protocol.allow=never" in result.argv
    assert "protocol.https.allow=always" in result.argv
    assert "protocol.file.allow=always" not in result.argv


async def test_allowed_schemes_never_allow_ext(tmp_path):
    git = runner(tmp_path, allowed_schemes=["https", "file", "ext"])
    result = await git.run(["version"])
    assert "protocol.file.allow=always" in result.argv
    assert "protocol.ext.allow=always" not in result.argv
    assert "protocol.ext.allow=never" in result.argv


async def test_hooks_run_only_when_asked_and_allowed(tmp_path):
    git = runner(tmp_path)
    assert "core.hooksPath=/dev/null" not in (await git.run(["version"], hooks=True)).argv
    assert "core.hooksPath=/dev/null" in (await git.run(["version"])).argv
    off = runner(tmp_path, run_hooks=False)
    assert "core.hooksPath=/dev/null" in (await off.run(["version"], hooks=True)).argv


async def test_inherited_git_dir_does_not_redirect_commands(tmp_path, monkeypatch):
    other = make_repo(tmp_path / "other", {"a": "1"})
    top = make_repo(tmp_path / "mine", {"b": "2"})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    git = runner(tmp_path)
    result = await git.run(["ls-files"], repo=repo_of(top), read_only=True)
    assert result.stdout == "b\n"


async def test_a_hanging_git_is_stopped_with_its_children(tmp_path):
    top = make_repo(tmp_path / "r", {"a": "1"})
    pids = hanging_hook(top)
    (top / "a").write_text("2")
    git(top, "add", "a")  # not through the runner: its short timeout is for the commit
    runner_ = runner(tmp_path, timeout=2.0)
    with pytest.raises(GitError) as info:
        await runner_.run(["commit", "-m", "x"], repo=repo_of(top), hooks=True, doing="commit")
    assert info.value.status == 504 and info.value.code == "git_timeout"
    assert "git commit did not finish within 2 s" in info.value.message
    assert pids.exists()  # the hook ran (and was stopped, with its background child)
    assert alive(pids) == []


async def test_writes_to_one_repository_wait_for_each_other_not_for_others(tmp_path):
    a = repo_of(make_repo(tmp_path / "a", {"x": "1"}))
    b = repo_of(make_repo(tmp_path / "b", {"x": "1"}))
    git = runner(tmp_path)
    async with git.lock(a):
        # another repository's write goes ahead; a read of the locked one too
        await asyncio.wait_for(git.run(["tag", "t1"], repo=b), 5)
        await asyncio.wait_for(git.run(["status"], repo=a, read_only=True), 5)
        blocked = asyncio.ensure_future(git.run(["tag", "t2"], repo=a))
        await asyncio.sleep(0.3)
        assert not blocked.done()
    assert (await asyncio.wait_for(blocked, 5)).ok


def result(stderr: str, stdout: str = "", code: int = 1) -> Result:
    return Result(["git"], code, stdout, stderr, False, False, 0.0)


@pytest.mark.parametrize(
    ("stderr", "stdout", "status", "code"),
    [
        (
            "fatal: not a git repository (or any of the parent directories): .git",
            "",
            404,
            "not_a_repository",
        ),
        ("", "On branch main\nnothing to commit, working tree clean\n", 409, "nothing_to_commit"),
        (
            "*** Please tell me who you are.\n\nRun\n\n  git config --global user.email",
            "",
            409,
            "identity_required",
        ),
        (
            " ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs",
            "",
            409,
            "push_rejected",
        ),
        (
            "fatal: Authentication failed for 'https://github.com/o/r.git/'",
            "",
            409,
            "auth_required",
        ),
        (
            "error: Your local changes to the following files would be overwritten by checkout:",
            "",
            409,
            "local_changes",
        ),
        (
            "CONFLICT (content): Merge conflict in a.txt\nAutomatic merge failed",
            "",
            409,
            "merge_conflict",
        ),
        ("fatal: a branch named 'x' already exists", "", 409, "branch_exists"),
        (
            "fatal: ambiguous argument 'nope': unknown revision or path not in the working tree.",
            "",
            404,
            "not_found",
        ),
        ("fatal: Unable to create '/r/.git/index.lock': File exists.", "", 409, "index_locked"),
        (
            "fatal: unable to access 'https://nowhere.invalid/r.git/': Could not resolve host: "
            "nowhere.invalid",
            "",
            502,
            "remote_unreachable",
        ),
        ("fatal: detected dubious ownership in repository at '/r'", "", 409, "unsafe_repository"),
        ("fatal: something odd", "", 409, "git_failed"),
    ],
)
def test_classify_maps_git_messages_to_codes(stderr, stdout, status, code):
    error = classify(result(stderr, stdout), "do it")
    assert (error.status, error.code) == (status, code)
    assert error.message and error.hint


def test_auth_required_names_the_host():
    error = classify(result("fatal: Authentication failed for 'https://git.example.org/r/'"), "")
    assert error.details == {"host": "git.example.org"}
    assert "git.example.org" in error.message


def test_git_failed_quotes_git_without_secrets():
    error = classify(
        result("fatal: repository 'https://me:ghp_abcdefghijkl@example.org/r' broke\x1b[31m"),
        "push",
    )
    assert error.code == "git_failed"
    assert "ghp_abcdefghijkl" not in error.message and "me:" not in error.message
    assert "\x1b" not in error.message
    assert error.message.startswith("git push failed: fatal: repository 'https://***@")


def test_mask_secrets():
    assert mask_secrets("https://x-access-token:ghu_123456789@github.com/o/r") == (
        "https://***@github.com/o/r"
    )
    assert mask_secrets("token ghp_0123456789abcdef") == "token ghp_***"
    # a password with an @ in it is masked whole, not up to its first @
    assert mask_secrets("unable to access 'https://learner:p@ss@host/x.git/'") == (
        "unable to access 'https://***@host/x.git/'"
    )


async def test_repo_route_answers_found_false_outside_repositories(api, jp_root_dir):
    status, body = await api("git/repo?path=")
    assert status == 200
    assert body["found"] is False and body["path"] is None


async def test_repo_route_finds_the_repository_of_a_sub_folder(api, jp_root_dir):
    make_repo(jp_root_dir / "proj", {"data/a.csv": "1\n"})
    status, body = await api("git/repo?path=proj/data")
    assert status == 200
    assert body["found"] is True and body["path"] == "proj" and body["name"] == "proj"
    assert body["branch"] == "main" and body["above_root"] is False
