"""Remotes, clone, fetch, pull, push and the credentials dialog, with the real git CLI
and bare remotes over file:// (the smart-HTTP and GitHub paths are in
test_git_github.py)."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import psutil
import pytest

from cloudscapes.git import credentials
from cloudscapes.git.remote import (
    Progress,
    has_credentials,
    mask_url,
    parse_progress,
    repo_name_from_url,
    split_redraws,
    url_host,
)

from .gitremotes import (  # noqa: F401
    bare_remote,
    clone_of,
    git_config,
    home_is_git_home,
    learner_home,
    log_text,
    publish,
    run_job,
    wait_job,
)
from .gitrepos import git, git_home, jp_server_config, make_repo  # noqa: F401

PWNED = Path("/tmp/pwned")


# ---- pure parts -------------------------------------------------------------------------


def test_masking_hides_tokens_in_user_names_and_passwords():
    assert mask_url("https://ghp_abc123@github.com/o/r.git") == "https://***@github.com/o/r.git"
    assert mask_url("https://u:p4ss@host/r") == "https://***@host/r"
    assert mask_url("ssh://git:secret@host/r") == "ssh://git:***@host/r"
    assert mask_url("ssh://git@host/r") == "ssh://git@host/r"
    assert mask_url("git@github.com:o/r.git") == "git@github.com:o/r.git"
    assert (
        mask_url("fatal: unable to access 'https://me:tok@h.org/r/': 403")
        == "fatal: unable to access 'https://***@h.org/r/': 403"
    )
    # a password with an '@' of its own: git reads the user info up to the last '@'
    assert mask_url("https://me:p@ss@host/r") == "https://***@host/r"
    assert mask_url("ssh://git:p@ss@host/r") == "ssh://git:***@host/r"
    assert mask_url("see https://x.org/a@b") == "see https://x.org/a@b"
    # a token a remote quotes in its own words
    assert mask_url("remote: token ghu_abcdefgh1234 revoked") == "remote: token ghu_*** revoked"
    assert has_credentials("https://me:p@ss@host/r")
    assert has_credentials("https://tok@github.com/o/r")
    assert has_credentials("https://u:p@github.com/o/r")
    assert not has_credentials("https://github.com/o/r")
    assert not has_credentials("git@github.com:o/r")


def test_names_and_hosts_from_urls():
    assert repo_name_from_url("https://github.com/o/tutorial.git") == "tutorial"
    assert repo_name_from_url("git@github.com:o/tutorial") == "tutorial"
    assert repo_name_from_url("/srv/repos/x.git/") == "x"
    assert url_host("https://github.com:8443/o/r") == "github.com:8443"
    assert url_host("git@gitlab.org:o/r") == "gitlab.org"
    assert url_host("/srv/x.git") is None


def test_progress_redraws_become_one_percentage_and_few_log_lines():
    reports: list[tuple[float, str]] = []
    logged: list[str] = []
    progress = Progress(lambda p, m: reports.append((p, m)), lambda line, s: logged.append(line))
    progress.feed("stderr", "Cloning into 'x'...")
    progress.feed(
        "stderr", "remote: Counting objects: 50% (1/2)\rremote: Counting objects: 100% (2/2), done."
    )
    for pct in (0, 45, 100):
        progress.feed("stderr", f"Receiving objects:  {pct}% ({pct}/100), 1.00 MiB | 2 MiB/s")
    progress.feed("stderr", "Receiving objects: 100% (100/100), 1.00 MiB | 2 MiB/s, done.")
    progress.feed("stderr", "Resolving deltas: 100% (3/3), done.")
    progress.close()
    step = parse_progress("Receiving objects:  45% (9/20)")
    assert step is not None and (step.phase, step.percent, step.done, step.total) == (
        "Receiving objects",
        45,
        9,
        20,
    )
    assert parse_progress("Cloning into 'x'...") is None
    assert split_redraws("a: 1%\rb: 2%\r\nc\n") == ["a: 1%", "b: 2%", "c"]
    percents = [p for p, _ in reports]
    assert percents == sorted(percents) and percents[-1] == 95
    assert ("Receiving objects:  45% (45/100), 1.00 MiB | 2 MiB/s") in [m for _, m in reports]
    # the log has the plain lines and each phase's last state, not every redraw
    assert logged == [
        "Cloning into 'x'...",
        "remote: Counting objects: 100% (2/2), done.",
        "Receiving objects: 100% (100/100), 1.00 MiB | 2 MiB/s, done.",
        "Resolving deltas: 100% (3/3), done.",
    ]


# ---- remotes ----------------------------------------------------------------------------


async def test_remotes_list_add_remove_with_masked_urls(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a.txt": "a\n"})
    git(top, "remote", "add", "old", "https://learner:s3cret@example.org/r.git")
    status, body = await api("git/remotes?path=proj")
    assert status == 200
    assert body == {
        "remotes": [
            {
                "name": "old",
                "url": "https://***@example.org/r.git",
                "push_url": "https://***@example.org/r.git",
            }
        ]
    }
    status, body = await api(
        "git/remotes",
        method="POST",
        body={"path": "proj", "name": "origin", "url": "https://github.com/o/r.git"},
    )
    assert status == 200
    assert [r["name"] for r in body["remotes"]] == ["old", "origin"]
    assert git(top, "remote", "get-url", "origin").strip() == "https://github.com/o/r.git"
    # a second one by the same name
    status, body = await api(
        "git/remotes",
        method="POST",
        body={"path": "proj", "name": "origin", "url": "https://github.com/o/x.git"},
    )
    assert (status, body["error"]["code"]) == (409, "remote_exists")
    # credentials in the URL are never written to .git/config
    status, body = await api(
        "git/remotes",
        method="POST",
        body={"path": "proj", "name": "up", "url": "https://me:ghp_token123@github.com/o/r.git"},
    )
    assert (status, body["error"]["code"]) == (400, "credentials_in_url")
    assert "ghp_token123" not in (top / ".git" / "config").read_text()
    status, body = await api(
        "git/remotes/remove", method="POST", body={"path": "proj", "name": "old"}
    )
    assert status == 200 and [r["name"] for r in body["remotes"]] == ["origin"]
    status, body = await api(
        "git/remotes/remove", method="POST", body={"path": "proj", "name": "old"}
    )
    assert (status, body["error"]["code"]) == (404, "no_such_remote")
    status, body = await api(
        "git/remotes/remove", method="POST", body={"path": "proj", "name": "-x"}
    )
    assert (status, body["error"]["code"]) == (400, "invalid_name")


async def test_ext_remote_is_refused_and_runs_nothing(api, jp_root_dir):
    PWNED.unlink(missing_ok=True)  # noqa: ASYNC240
    top = make_repo(jp_root_dir / "proj", {"a.txt": "a\n"})
    evil = "ext::sh -c touch% /tmp/pwned"
    status, body = await api(
        "git/remotes", method="POST", body={"path": "proj", "name": "evil", "url": evil}
    )
    assert status == 400 and body["error"]["code"] in ("url_not_allowed", "invalid_url")
    status, body = await api("git/clone", method="POST", body={"path": "", "url": evil})
    assert status == 400 and body["error"]["code"] in ("url_not_allowed", "invalid_url")
    status, body = await api("git/clone", method="POST", body={"path": "", "url": "ext::sh"})
    assert (status, body["error"]["code"]) == (400, "url_not_allowed")
    status, body = await api(
        "git/clone", method="POST", body={"path": "", "url": "--upload-pack=touch /tmp/pwned"}
    )
    assert status == 400
    # one a terminal put there: fetching from it runs nothing either
    git(top, "remote", "add", "evil", evil)
    job = await run_job(api, "fetch", {"path": "proj", "remote": "evil"})
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] != "job_failed"
    assert not PWNED.exists()  # noqa: ASYNC240


# ---- clone ------------------------------------------------------------------------------


@pytest.mark.parametrize("git_config", [{}])
async def test_file_urls_only_when_the_admin_allows_them(api, tmp_path, git_config):  # noqa: F811
    bare = bare_remote(tmp_path, "t", {"a": "1"})
    for url in (f"file://{bare}", str(bare)):
        status, body = await api("git/clone", method="POST", body={"path": "", "url": url})
        assert (status, body["error"]["code"]) == (400, "url_not_allowed"), url


async def test_clone_job_reports_progress_and_names_the_new_repo(api, jp_root_dir, tmp_path):
    bare = bare_remote(tmp_path, "tutorial", {"README.md": "# Tutorial\n", "nb.ipynb": "{}\n"})
    (jp_root_dir / "work").mkdir()
    status, answer = await api(
        "git/clone", method="POST", body={"path": "work", "url": f"file://{bare}"}
    )
    assert status == 202
    assert answer["job"]["kind"] == "git-clone"
    job = await wait_job(api, answer["job"])
    assert job["status"] == "succeeded", job
    assert job["result"] == {"path": "work/tutorial"}
    assert job["progress"] == {"done": 100, "total": 100, "unit": "percent"}
    assert "Receiving objects: 100%" in log_text(job)
    assert (jp_root_dir / "work" / "tutorial" / "README.md").read_text() == "# Tutorial\n"
    assert sorted(os.listdir(jp_root_dir / "work")) == ["tutorial"]
    # again: the folder exists now
    status, body = await api(
        "git/clone", method="POST", body={"path": "work", "url": f"file://{bare}"}
    )
    assert (status, body["error"]["code"]) == (409, "already_exists")
    for name in ("../x", "a/b", "..", ".git", ".hidden", "-x", "--upload-pack=touch x", "a\nb"):
        status, body = await api(
            "git/clone", method="POST", body={"path": "work", "url": f"file://{bare}", "name": name}
        )
        assert (status, body["error"]["code"]) == (400, "invalid_name"), name
    # the name git would take from the URL is checked the same way
    status, body = await api(
        "git/clone", method="POST", body={"path": "work", "url": f"file://{tmp_path}/-x.git"}
    )
    assert (status, body["error"]["code"]) == (400, "invalid_name")
    assert sorted(os.listdir(jp_root_dir / "work")) == ["tutorial"]


async def test_cancelled_clone_leaves_no_folder(api, jp_root_dir, tmp_path):
    bare = bare_remote(tmp_path, "big", {"blob.bin": os.urandom(40 * 1024 * 1024)})
    status, answer = await api(
        "git/clone", method="POST", body={"path": "", "url": f"file://{bare}"}
    )
    assert status == 202
    job = answer["job"]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while job["status"] == "pending" or not job["log"]["lines"]:  # git is running
        assert job["status"] in ("pending", "running"), job
        assert loop.time() < deadline
        status, job = await api(f"jobs/{job['id']}")
    status, job = await api(f"jobs/{job['id']}", method="DELETE")
    assert status == 200 and job["status"] == "cancelled"
    assert [n for n in os.listdir(jp_root_dir) if "big" in n] == []


async def test_failed_clone_leaves_no_folder(api, jp_root_dir, tmp_path):
    job = await run_job(
        api, "clone", {"path": "", "url": f"file://{tmp_path}/missing.git", "name": "m"}
    )
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] in ("not_found", "remote_unreachable", "git_failed")
    assert os.listdir(jp_root_dir) == []


# ---- fetch, pull, push ------------------------------------------------------------------


async def test_push_then_rejected_push_then_pull_with_conflict(api, jp_root_dir, tmp_path):
    bare = bare_remote(tmp_path, "shared", {"notes.txt": "one\ntwo\nthree\n"})
    mine = clone_of(bare, jp_root_dir / "mine")
    (mine / "notes.txt").write_text("one\nTWO (mine)\nthree\n")
    git(mine, "commit", "-qam", "mine")
    git(mine, "tag", "v-local")
    job = await run_job(api, "push", {"path": "mine"})
    assert job["status"] == "succeeded", job
    assert job["kind"] == "git-push"
    assert job["result"] == {"remote": "origin", "branch": "main", "up_to_date": False}
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == "mine"
    assert git(bare, "tag").strip() == ""  # no --tags
    # someone else pushes first
    publish(tmp_path, bare, {"notes.txt": "one\nTWO (theirs)\nthree\n"}, "theirs")
    (mine / "notes.txt").write_text("one\nTWO (mine, again)\nthree\n")
    git(mine, "commit", "-qam", "mine again")
    job = await run_job(api, "push", {"path": "mine"})
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] == "push_rejected"
    assert job["error"]["error"]["hint"] == "Pull first (or Update the tutorial), then push again."
    # fetch sees the new commit; pull reports the conflict, not an unexplained failure
    job = await run_job(api, "fetch", {"path": "mine"})
    assert job["status"] == "succeeded" and job["result"] == {"remote": "origin"}
    job = await run_job(api, "pull", {"path": "mine"})
    assert job["status"] == "succeeded", (job["error"], log_text(job))
    assert job["result"] == {"result": "conflicts", "conflicts": ["notes.txt"]}
    assert "<<<<<<<" in (mine / "notes.txt").read_text()


async def test_pull_fast_forward_and_up_to_date(api, jp_root_dir, tmp_path):
    bare = bare_remote(tmp_path, "shared", {"a.txt": "a\n"})
    mine = clone_of(bare, jp_root_dir / "mine")
    job = await run_job(api, "pull", {"path": "mine"})
    assert job["result"] == {"result": "up_to_date", "conflicts": []}
    publish(tmp_path, bare, {"b.txt": "b\n"}, "b")
    job = await run_job(api, "pull", {"path": "mine"})
    assert job["result"] == {"result": "fast_forward", "conflicts": []}
    assert (mine / "b.txt").read_text() == "b\n"


async def test_push_a_new_branch_sets_its_upstream(api, jp_root_dir, tmp_path):
    bare = bare_remote(tmp_path, "shared", {"a.txt": "a\n"})
    mine = clone_of(bare, jp_root_dir / "mine")
    git(mine, "switch", "-q", "-c", "feature")
    (mine / "f.txt").write_text("f\n")
    git(mine, "add", "f.txt")
    git(mine, "commit", "-qm", "f")
    job = await run_job(api, "push", {"path": "mine"})
    assert job["status"] == "succeeded", job
    assert git(mine, "config", "branch.feature.remote").strip() == "origin"
    status, body = await api("git/push", method="POST", body={"path": "mine", "branch": "--force"})
    assert (status, body["error"]["code"]) == (400, "invalid_name")
    status, body = await api("git/push", method="POST", body={"path": "mine", "remote": "nope"})
    assert (status, body["error"]["code"]) == (404, "no_such_remote")
    git(mine, "switch", "-q", "--detach")
    status, body = await api("git/pull", method="POST", body={"path": "mine"})
    assert (status, body["error"]["code"]) == (409, "detached_head")


async def test_no_remote_is_a_409(api, jp_root_dir):
    make_repo(jp_root_dir / "solo", {"a": "1"})
    status, body = await api("git/fetch", method="POST", body={"path": "solo"})
    assert (status, body["error"]["code"]) == (409, "no_remote")


# ---- credentials ------------------------------------------------------------------------


@pytest.fixture
def stop_cache():
    yield
    credentials.stop_daemons()


async def test_credentials_go_to_the_cache_not_a_file(api, learner_home, stop_cache, caplog):  # noqa: F811
    home = learner_home
    caplog.set_level(logging.DEBUG)
    status, body = await api(
        "git/credentials",
        method="POST",
        body={
            "url": "https://gitlab.example.org/me/r.git",
            "username": "me",
            "password": "pa55-word",
        },
    )
    assert status == 200, body
    assert body["host"] == "gitlab.example.org"
    assert body["remembered_until"] is not None
    assert not (home / ".git-credentials").exists()
    assert "pa55-word" not in (home / ".gitconfig").read_text()
    assert "pa55-word" not in caplog.text
    # git's cache answers with it
    socket = next(home.parent.rglob("credential-cache/socket"))
    answer = git(
        home,
        "credential-cache",
        f"--socket={socket}",
        "get",
        input="protocol=https\nhost=gitlab.example.org\n\n",
    )
    assert "password=pa55-word" in answer
    # a line break would inject another entry
    status, body = await api(
        "git/credentials",
        method="POST",
        body={"url": "https://gitlab.example.org/r", "username": "me\nhost=evil", "password": "x"},
    )
    assert (status, body["error"]["code"]) == (400, "invalid_credentials")
    status, body = await api(
        "git/credentials",
        method="POST",
        body={"url": "ssh://gitlab.example.org/r", "username": "me", "password": "x"},
    )
    assert (status, body["error"]["code"]) == (400, "url_not_allowed")


async def test_credentials_in_a_file_only_when_asked(api, learner_home):  # noqa: F811
    home = learner_home
    status, body = await api(
        "git/credentials",
        method="POST",
        body={
            "url": "https://uni.example.edu/r.git",
            "username": "me",
            "password": "kept",
            "remember": "file",
        },
    )
    assert status == 200 and body["remembered_until"] is None
    stored = home / ".git-credentials"
    assert stored.read_text().strip() == "https://me:kept@uni.example.edu"
    assert stored.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "git_config", [{"allowed_schemes": ["https", "ssh", "file"], "network_timeout": 1.5}]
)
async def test_a_hanging_remote_ends_in_the_timeout_with_no_process_left(
    api,
    jp_root_dir,
    tmp_path,
    git_config,  # noqa: F811
):
    bare = bare_remote(tmp_path, "slow", {"a.txt": "a\n"})
    top = clone_of(bare, jp_root_dir / "mine")
    # a remote that never answers (as a terminal user could set one up)
    git(top, "config", "remote.origin.uploadpack", "sleep 31.25; git-upload-pack")
    git(top, "remote", "set-url", "origin", f"file://{bare}")
    job = await run_job(api, "fetch", {"path": "mine"})
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] == "git_timeout"
    assert "git fetch did not finish within 1.5 s" in job["error"]["error"]["message"]
    left = [
        p.info["cmdline"]
        for p in psutil.process_iter(["cmdline"])
        if "31.25" in " ".join(p.info["cmdline"] or [])
    ]
    assert left == []


async def test_job_logs_mask_what_the_remote_quotes(api, jp_root_dir, tmp_path):
    """git prints the remote's ``remote:`` lines into the job's log as they come; a
    token in them, or a URL with a password holding an '@', is masked there."""
    bare = bare_remote(tmp_path, "chatty", {"a.txt": "a\n"})
    hook = bare / "hooks" / "post-receive"
    hook.write_text(
        "#!/bin/sh\necho 'your token ghp_s3cr3tT0ken99 works; mirror at "
        "https://bot:p@ss@mirror.example.org/r.git' >&2\n"
    )
    hook.chmod(0o755)
    mine = clone_of(bare, jp_root_dir / "mine")
    (mine / "a.txt").write_text("mine\n")
    git(mine, "commit", "-qam", "mine")
    job = await run_job(api, "push", {"path": "mine"})
    assert job["status"] == "succeeded", job["error"]
    text = log_text(job)
    assert "ghp_***" in text and "mirror.example.org" in text
    assert "s3cr3tT0ken99" not in text and "p@ss" not in text and "ss@mirror" not in text


async def test_a_push_the_remote_refuses_says_why(api, jp_root_dir, tmp_path):
    """A protected branch (a hook that declines): the job names the remote's reason,
    not git's "failed to push some refs"."""
    bare = bare_remote(tmp_path, "guarded", {"a.txt": "a\n"})
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(
        "#!/bin/sh\necho 'error: GH006: Protected branch update failed for refs/heads/main.' >&2\n"
        "exit 1\n"
    )
    hook.chmod(0o755)
    mine = clone_of(bare, jp_root_dir / "mine")
    (mine / "a.txt").write_text("mine\n")
    git(mine, "commit", "-qam", "mine")
    job = await run_job(api, "push", {"path": "mine"})
    assert job["status"] == "failed"
    error = job["error"]["error"]
    assert error["code"] == "push_refused"
    assert "pre-receive hook declined" in error["message"]
    assert "GH006: Protected branch update failed" in error["message"]
    assert "pull request" in error["hint"]
