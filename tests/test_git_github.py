"""GitHub sign-in by device flow, the credential helper and the credentials dialog,
against the GitHub stand-in (its device flow, API and smart-HTTP git remote through the
real ``git http-backend``)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from cloudscapes.git import credentials, github
from cloudscapes.git.credential_helper import load_token, save_token
from cloudscapes.git.github import Device, GitHub, token_outcome

from .gitremotes import home_is_git_home, learner_home, log_text, run_job  # noqa: F401
from .gitrepos import git, git_home  # noqa: F401

HELPER = [sys.executable, "-m", "cloudscapes.git.credential_helper"]


@pytest.fixture
def jp_server_config(jp_server_config, git_settings, home_is_git_home):  # noqa: F811
    """The server wired to the stand-in when the test names ``github_standin``."""
    return {**jp_server_config, "CloudscapesGit": git_settings}


@pytest.fixture(autouse=True)
def stop_cache():
    yield
    credentials.stop_daemons()


def state_dir_of(settings: dict[str, Any]) -> Path:
    return Path(settings["state_dir"])


async def github_until(api, state: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status, body = await api("git/github")
        assert status == 200
        device = body["device"]
        if device and device["state"] == state:
            return body
        assert time.monotonic() < deadline, f"never {state}: {body}"
        await asyncio.sleep(0.1)


def helper_get(state_dir: Path, request: str, action: str = "get") -> str:
    done = subprocess.run(
        [*HELPER, "--state-dir", str(state_dir), action],
        input=request,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.stderr == ""
    return done.stdout


# ---- pure parts -------------------------------------------------------------------------


def test_every_answer_of_the_token_endpoint_has_a_state():
    cases = {
        "authorization_pending": "pending",
        "slow_down": "slow_down",
        "expired_token": "expired",
        "access_denied": "denied",
        "unsupported_grant_type": "error",
        "incorrect_client_credentials": "error",
        "incorrect_device_code": "error",
        "device_flow_disabled": "error",
        "something_new": "error",
    }
    for code, state in cases.items():
        outcome = token_outcome(200, {"error": code}, 5)
        assert outcome.state == state, code
        assert outcome.message
    assert token_outcome(200, {"error": "slow_down"}, 5).interval == 10
    assert token_outcome(200, {"error": "slow_down", "interval": 15}, 5).interval == 15
    for odd in ("soon", -1, float("nan"), True, 1e9):
        assert 5 < token_outcome(200, {"error": "slow_down", "interval": odd}, 5).interval <= 120
    assert token_outcome(200, {"access_token": "ghu_x"}, 5).state == "signed_in"
    assert token_outcome(500, None, 5).state == "retry"
    assert token_outcome(599, None, 5).state == "retry"
    assert token_outcome(404, {"message": "Not Found"}, 5).state == "error"


def test_the_helper_answers_only_for_the_configured_host(tmp_path):
    state = tmp_path / "state"
    token = "ghu_" + "a" * 36
    save_token(
        state,
        {
            "access_token": token,
            "expires_at": time.time() + 3600,
            "github_url": "https://github.example.org",
            "client_id": "Iv1.x",
        },
    )
    assert (state / "github-token.json").stat().st_mode & 0o777 == 0o600
    answer = f"username=x-access-token\npassword={token}\n"
    asked = "protocol=https\nhost=github.example.org\npath=o/r.git\n\n"
    assert helper_get(state, asked) == answer
    assert helper_get(state, "protocol=https\nhost=github.example.org:443\n\n") == answer
    for other in (
        "protocol=http\nhost=github.example.org\n\n",
        "protocol=https\nhost=github.example.org:8443\n\n",
        "protocol=https\nhost=gitlab.example.org\n\n",
        "protocol=https\nhost=github.example.org.evil.net\n\n",
        "protocol=https\nhost=evil.net\npath=github.example.org\n\n",
        "host=github.example.org\n\n",
    ):
        assert helper_get(state, other) == "", other
    assert helper_get(state, asked, "store") == ""
    assert helper_get(state, asked, "erase") == ""
    assert load_token(state)["access_token"] == token
    # through git itself: it asks the helper and gets the token for that host only
    command = "!" + " ".join(HELPER) + f" --state-dir {state}"
    fill = [
        "git",
        "-c",
        "credential.helper=",
        "-c",
        f"credential.https://github.example.org.helper={command}",
        "credential",
        "fill",
    ]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(fill, input=asked, capture_output=True, text=True, env=env)
    assert f"password={token}" in done.stdout
    done = subprocess.run(
        fill,
        input="protocol=https\nhost=gitlab.example.org\n\n",
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode != 0 and token not in done.stdout + done.stderr
    # an expired token without refresh token is not offered
    save_token(state, {**load_token(state), "expires_at": time.time() - 1})
    assert helper_get(state, asked) == ""


def test_the_helper_refreshes_a_token_about_to_expire(github_standin, tmp_path):
    issued = github_standin.issue_token()
    state = tmp_path / "state"
    save_token(
        state,
        {
            "access_token": issued["access_token"],
            "refresh_token": issued["refresh_token"],
            "expires_at": time.time() + 60,  # less than 10 minutes left
            "refresh_expires_at": time.time() + 86400,
            "github_url": github_standin.url,
            "client_id": github_standin.client_id,
        },
    )
    answer = helper_get(state, f"protocol=http\nhost={github_standin.git_host}\n\n")
    saved = load_token(state)
    assert saved["access_token"] != issued["access_token"]
    assert answer == f"username=x-access-token\npassword={saved['access_token']}\n"
    assert saved["expires_at"] > time.time() + 3600
    revoked = {t["access_token"]: t["revoked"] for t in github_standin.tokens()}
    assert revoked[issued["access_token"]] is True
    assert revoked[saved["access_token"]] is False


# ---- the device flow through the API ----------------------------------------------------


async def test_sign_in_push_and_sign_out_without_a_token_anywhere(
    api,
    github_standin,
    git_settings,
    jp_root_dir,
    learner_home,  # noqa: F811
    caplog,
):
    caplog.set_level(logging.DEBUG)
    answers: list[Any] = []

    async def call(*args, **kwargs):
        status, body = await api(*args, **kwargs)
        answers.append(body)
        return status, body

    url = github_standin.create_repo("learner", "project", {"README.md": "# Project\n"})
    status, body = await call("git/github")
    assert status == 200
    assert body["configured"] is True and body["signed_in"] is False
    assert body["host"] == github_standin.git_host
    status, body = await call("git/github/device", method="POST", body={})
    assert status == 200, body
    device = body["device"]
    assert device["state"] == "pending" and device["verification_uri"].endswith("/login/device")
    github_standin.approve(device["user_code"])
    body = await github_until(call, "signed_in")
    assert body["login"] == "learner"
    assert body["repositories"] == ["learner/project"]
    assert body["expires_at"] is not None
    token_file = state_dir_of(git_settings) / "github-token.json"
    assert token_file.stat().st_mode & 0o777 == 0o600
    helper_entries = git(
        learner_home,
        "config",
        "--global",
        "--get-all",
        f"credential.{github_standin.url}.helper",
    )
    assert helper_entries.splitlines()[0] == ""
    assert "cloudscapes.git.credential_helper" in helper_entries.splitlines()[1]

    status, body = await call("git/github/repos")
    assert status == 200
    assert body["repositories"] == [
        {"full_name": "learner/project", "clone_url": url, "private": False, "description": None}
    ]

    # clone, commit, push: the helper gives git the token
    job = await run_job(call, "clone", {"path": "", "url": url})
    assert job["status"] == "succeeded", job["error"]
    answers.append(job)
    top = jp_root_dir / "project"
    (top / "notes.md").write_text("mine\n")
    git(top, "add", "notes.md")
    git(top, "commit", "-qm", "notes")
    job = await run_job(call, "push", {"path": "project"})
    assert job["status"] == "succeeded", job["error"]
    answers.append(job)
    pushed = git(github_standin.repo_dir("learner/project"), "log", "-1", "--format=%s")
    assert pushed.strip() == "notes"

    tokens = [t["access_token"] for t in github_standin.tokens()]
    tokens += [t["refresh_token"] for t in github_standin.tokens()]
    assert tokens
    texts = [json.dumps(a) for a in answers]
    texts.append((top / ".git" / "config").read_text())
    texts.append((learner_home / ".gitconfig").read_text())
    texts.append(caplog.text)
    for token in tokens:
        for text in texts:
            assert token not in text

    # sign out: the file and the helper entry go; a push then needs a sign-in
    status, body = await call("git/github", method="DELETE")
    assert status == 200 and body["signed_in"] is False and body["device"] is None
    assert not token_file.exists()
    assert f"credential.{github_standin.url}.helper" not in git(
        learner_home, "config", "--global", "--list"
    )
    (top / "more.md").write_text("more\n")
    git(top, "add", "more.md")
    git(top, "commit", "-qm", "more")
    job = await run_job(call, "push", {"path": "project"})
    assert job["status"] == "failed"
    error = job["error"]["error"]
    assert error["code"] == "auth_required"
    assert github_standin.git_host.split(":")[0] in error["message"]
    assert "Sign in with GitHub" in error["hint"]


async def test_denied_expired_and_disabled_sign_ins(api, github_standin):
    status, body = await api("git/github/device", method="POST", body={})
    github_standin.deny(body["device"]["user_code"])
    body = await github_until(api, "denied")
    assert "cancelled" in body["device"]["message"] and body["signed_in"] is False

    status, body = await api("git/github/device", method="POST", body={})
    github_standin.expire(body["device"]["user_code"])
    body = await github_until(api, "expired")
    assert "new code" in body["device"]["message"]

    status, body = await api("git/github/device", method="POST", body={})
    github_standin.reset()  # GitHub forgets the code
    body = await github_until(api, "error")
    assert "recognise" in body["device"]["message"]

    status, body = await api("git/github/device", method="POST", body={})
    github_standin.set(device_flow_disabled=True)
    body = await github_until(api, "error")
    assert "Device Flow" in body["device"]["message"]
    status, body = await api("git/github/device", method="POST", body={})
    assert (status, body["error"]["code"]) == (409, "github_refused")
    assert "Device Flow" in body["error"]["hint"]


async def test_slow_down_adds_five_seconds(api, github_standin):
    github_standin.set(slow_down=1)
    status, body = await api("git/github/device", method="POST", body={})
    assert body["device"]["interval"] == 1
    body = await github_until(api, "slow_down")
    assert body["device"]["interval"] == 6
    status, body = await api("git/github", method="DELETE")  # stops the polling
    assert status == 200
    assert body["device"] is None


async def test_the_poller_explains_the_client_errors(github_standin, closed_url, monkeypatch):
    """The two refusals a correct client never provokes, by sending what provokes them,
    and a GitHub that stops answering."""

    async def poll(client_id: str, url: str = github_standin.url) -> Device:
        config = SimpleNamespace(github_url=url, github_client_id=client_id)
        gh = GitHub(SimpleNamespace(config=config))  # type: ignore[arg-type]
        device = Device("nope", "AAAA-BBBB", "x", time.time() + 60, 0.0)
        await gh._poll(device)
        return device

    device = await poll("Iv1.someone-else")
    assert device.state == "error" and "client id" in device.message
    monkeypatch.setattr(github, "DEVICE_GRANT", "password")
    device = await poll(github_standin.client_id)
    assert device.state == "error" and "unsupported_grant_type" in device.message
    monkeypatch.setattr(github, "POLL_MARGIN", 0.0)
    device = await poll(github_standin.client_id, closed_url)
    assert device.state == "error" and "could not be reached" in device.message


@pytest.mark.parametrize("git_config", [{"github_client_id": ""}])
async def test_not_configured(api, git_config):
    status, body = await api("git/github")
    assert body["configured"] is False
    status, body = await api("git/github/device", method="POST", body={})
    assert (status, body["error"]["code"]) == (409, "github_not_configured")


async def test_github_unreachable(api):
    status, body = await api("git/github/device", method="POST", body={})
    assert (status, body["error"]["code"]) == (502, "github_unreachable")


async def test_the_refresh_happens_before_the_token_ends(api, github_standin, git_settings):
    github_standin.set(token_expires_in=120)
    status, body = await api("git/github/device", method="POST", body={})
    github_standin.approve(body["device"]["user_code"])
    await github_until(api, "signed_in")
    first = load_token(state_dir_of(git_settings))
    status, body = await api("git/github")  # less than 10 minutes left: refreshed
    assert status == 200
    assert body["signed_in"] is True
    second = load_token(state_dir_of(git_settings))
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]


# ---- other hosts: the credentials dialog ------------------------------------------------


async def test_a_password_remote_after_the_credentials_dialog(
    api,
    github_standin,
    jp_root_dir,
    learner_home,  # noqa: F811
):
    github_standin.create_repo("basic", "course", {"a.txt": "a\n"})
    url = github_standin.set_password("course", "hunter2")
    job = await run_job(api, "clone", {"path": "", "url": url})
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] == "auth_required"
    # (the stand-in serves this remote from the GitHub host itself, so the hint there
    # says to sign in with GitHub; the code is what opens the dialog)
    assert not (jp_root_dir / "course").exists()
    status, body = await api(
        "git/credentials",
        method="POST",
        body={"url": url, "username": "learner", "password": "hunter2"},
    )
    assert status == 200 and body["host"] == github_standin.git_host
    job = await run_job(api, "clone", {"path": "", "url": url})
    assert job["status"] == "succeeded", job["error"]
    assert (jp_root_dir / "course" / "a.txt").read_text() == "a\n"
    assert "hunter2" not in (jp_root_dir / "course" / ".git" / "config").read_text()
    assert "hunter2" not in log_text(job)
    # what was only cached never spills into a file after it worked
    assert not (learner_home / ".git-credentials").exists()


async def test_a_password_kept_in_a_file_when_asked(api, github_standin, jp_root_dir, learner_home):  # noqa: F811
    github_standin.create_repo("basic", "course", {"a.txt": "a\n"})
    url = github_standin.set_password("course", "hunter3")
    status, body = await api(
        "git/credentials",
        method="POST",
        body={"url": url, "username": "learner", "password": "hunter3", "remember": "file"},
    )
    assert status == 200 and body["remembered_until"] is None
    job = await run_job(api, "clone", {"path": "", "url": url})
    assert job["status"] == "succeeded", job["error"]
    assert "hunter3" in (learner_home / ".git-credentials").read_text()


async def test_a_private_repository_clones_once_signed_in(
    api, github_standin, git_settings, jp_root_dir
):
    url = github_standin.create_repo("learner", "secret", {"a.txt": "a\n"}, private=True)
    job = await run_job(api, "clone", {"path": "", "url": url})
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] == "auth_required"
    assert "Sign in with GitHub" in job["error"]["error"]["hint"]
    assert os.listdir(jp_root_dir) == []
    issued = github_standin.issue_token()
    save_token(
        state_dir_of(git_settings),
        {
            "access_token": issued["access_token"],
            "refresh_token": issued["refresh_token"],
            "expires_at": time.time() + 3600,
            "refresh_expires_at": time.time() + 86400,
            "github_url": github_standin.url,
            "client_id": github_standin.client_id,
            "login": "learner",
        },
    )
    status, body = await api("git/github")
    assert status == 200 and body["signed_in"] is True and body["login"] == "learner"
    job = await run_job(api, "clone", {"path": "", "url": url})
    assert job["status"] == "succeeded", job["error"]
    assert (jp_root_dir / "secret" / "a.txt").read_text() == "a\n"
    assert issued["access_token"] not in (jp_root_dir / "secret" / ".git" / "config").read_text()
    assert issued["access_token"] not in json.dumps(job) + json.dumps(body)


async def test_sign_out_gives_back_the_users_own_gitconfig(
    api,
    github_standin,
    learner_home,  # noqa: F811
):
    """A CRLF ~/.gitconfig with an [include] and the user's own helper for the GitHub
    host: signed in, ours answers first; signed out, theirs is back and every line is
    as it was."""
    key = f"credential.{github_standin.url}.helper"
    config = learner_home / ".gitconfig"
    before = config.read_bytes().replace(b"\n", b"\r\n") + (
        b"[include]\r\n\tpath = ~/.gitconfig.local\r\n"
        + f'[credential "{github_standin.url}"]\r\n'.encode()
        + b"\thelper = !my-own-helper\r\n\tusername = me\r\n"
        + b"[credential]\r\n\thelper = cache\r\n"
    )
    config.write_bytes(before)
    (learner_home / ".gitconfig.local").write_text("[alias]\n\tst = status\n")
    for _ in range(2):  # signing in twice adds nothing twice
        status, body = await api("git/github/device", method="POST", body={})
        github_standin.approve(body["device"]["user_code"])
        await github_until(api, "signed_in")
    helpers = git(learner_home, "config", "--global", "--get-all", key).splitlines()
    assert helpers[0] == "!my-own-helper"
    assert helpers[1:2] == [""] and len(helpers) == 3
    assert "cloudscapes.git.credential_helper" in helpers[2]
    status, body = await api("git/github", method="DELETE")
    assert status == 200 and body["signed_in"] is False
    assert config.read_bytes() == before
    assert git(learner_home, "config", "--includes", "--global", "alias.st").strip() == "status"


async def test_the_github_token_never_lands_in_git_credentials(
    api,
    github_standin,
    git_settings,
    jp_root_dir,
    learner_home,  # noqa: F811
):
    """A learner who once kept a password for the GitHub host in ~/.git-credentials
    (remember: file, or an old tutorial's advice) and then signs in: git hands the
    working token to every helper after a push, and ``store`` must not be one of them
    for that host."""
    url = github_standin.create_repo("learner", "project", {"README.md": "# Project\n"})
    stored = learner_home / ".git-credentials"
    stored.write_text(f"http://learner:old-password@{github_standin.git_host}\n")
    stored.chmod(0o600)
    issued = github_standin.issue_token()
    save_token(
        state_dir_of(git_settings),
        {
            "access_token": issued["access_token"],
            "refresh_token": issued["refresh_token"],
            "expires_at": time.time() + 3600,
            "refresh_expires_at": time.time() + 86400,
            "github_url": github_standin.url,
            "client_id": github_standin.client_id,
            "login": "learner",
        },
    )
    job = await run_job(api, "clone", {"path": "", "url": url})
    assert job["status"] == "succeeded", job["error"]
    top = jp_root_dir / "project"
    (top / "notes.md").write_text("mine\n")
    git(top, "add", "notes.md")
    git(top, "commit", "-qm", "notes")
    job = await run_job(api, "push", {"path": "project"})
    assert job["status"] == "succeeded", job["error"]
    assert issued["access_token"] not in stored.read_text()
    assert "old-password" in stored.read_text()


async def test_hostile_answers_from_github_are_no_500(api, github_standin, monkeypatch):
    """A GitHub (or something in its place) answering nonsense: odd types, a
    ``javascript:`` link, huge codes, intervals that would make the poller a busy loop,
    lifetimes no date can hold. The sign-in refuses or copes; nothing is a 500."""
    answers: list[Any] = []
    real = github._post_form

    async def post_form(url: str, fields: dict[str, str]) -> tuple[int, Any]:
        if answers:
            return 200, answers.pop(0)
        return await real(url, fields)

    monkeypatch.setattr(github, "_post_form", post_form)
    good = {"device_code": "d" * 40, "user_code": "WDJB-MJHT"}
    for body in (
        ["not", "a", "dict"],
        "text",
        {**good, "verification_uri": "javascript:alert(1)"},
        {**good, "verification_uri": 42},
        {**good, "user_code": "X" * 100_000, "verification_uri": "https://github.com/x"},
        {**good, "user_code": "<b>\n</b>", "verification_uri": "https://github.com/x"},
    ):
        answers[:] = [body]
        status, answer = await api("git/github/device", method="POST", body={})
        assert (status, answer["error"]["code"]) == (502, "github_refused"), body
    uri = f"{github_standin.url}/login/device"
    answers[:] = [
        {**good, "verification_uri": uri, "interval": -5, "expires_in": float("inf")},
        {
            "access_token": "ghu_" + "h" * 36,
            "expires_in": 1e300,
            "refresh_token": "ghr_x",
            "refresh_token_expires_in": True,
        },
    ]
    status, body = await api("git/github/device", method="POST", body={})
    assert status == 200, body
    assert body["device"]["interval"] >= 1
    assert body["device"]["expires_at"] is not None
    # the poller waits at least a second between polls (not -5 s: a busy loop)
    started = time.monotonic()
    body = await github_until(api, "signed_in")
    assert time.monotonic() - started >= 0.9
    assert body["signed_in"] is True and body["expires_at"] is not None
    status, body = await api("git/github")
    assert status == 200


class TestGitHubHangs:
    """A "GitHub" that accepts connections and never answers (the fixtures here apply
    to this class's tests only)."""

    @pytest.fixture
    def silent_github(self):
        import socket

        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(50)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
        listener.close()

    @pytest.fixture
    def git_config(self, silent_github):
        return {"github_url": silent_github, "github_client_id": "Iv1.silent"}

    async def test_polls_do_not_pile_up_refreshes(
        self, api, git_settings, silent_github, monkeypatch
    ):
        """A token about to expire: the panel's polls wait for one refresh at most,
        not for one each behind the token file's lock."""
        from cloudscapes.git import credential_helper

        monkeypatch.setattr(credential_helper, "REFRESH_TIMEOUT", 1.5)
        save_token(
            state_dir_of(git_settings),
            {
                "access_token": "ghu_" + "s" * 36,
                "refresh_token": "ghr_" + "s" * 36,
                "expires_at": time.time() + 120,
                "refresh_expires_at": time.time() + 86400,
                "github_url": silent_github,
                "client_id": "Iv1.silent",
                "login": "learner",
            },
        )
        started = time.monotonic()
        answers = await asyncio.gather(*(api("git/github") for _ in range(4)))
        assert [status for status, _ in answers] == [200] * 4
        assert all(body["signed_in"] for _, body in answers)
        assert time.monotonic() - started < 3.5  # one refresh (1.5 s), not four in a row
        started = time.monotonic()
        status, _ = await api("git/github")  # it failed: no new try for a while
        assert status == 200 and time.monotonic() - started < 1


async def test_a_token_on_its_way_when_the_user_signs_out_is_not_saved(
    api, github_standin, git_settings, jp_serverapp
):
    """The poller saves the token in a worker thread, which a sign-out cannot cancel:
    a sign-out that lands first must not see the token file come back after it."""
    from cloudscapes.git.service import GitService

    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    status, body = await api("git/github/device", method="POST", body={})
    assert status == 200, body
    signing_in = github.github(app.service(GitService))
    device = signing_in.device
    assert device is not None
    status, body = await api("git/github", method="DELETE")
    assert status == 200 and body["signed_in"] is False
    late = {"access_token": "ghu_late", "expires_at": time.time() + 3600, "login": "learner"}
    assert await asyncio.to_thread(signing_in._save, late, device) is False
    assert not (state_dir_of(git_settings) / "github-token.json").exists()
    status, body = await api("git/github")
    assert body["signed_in"] is False
