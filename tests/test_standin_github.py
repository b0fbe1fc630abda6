"""The GitHub stand-in answers as GitHub does: the device flow through every documented
error, the approval page, the REST routes, and git's smart HTTP through the real ``git
http-backend`` (clone, push with and without a token, an instructor's update seen by
``git fetch``). Real HTTP and the real git CLI throughout."""

from __future__ import annotations

import base64
import gzip
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import nbformat
import pytest

from cloudscapes.testing.client import Reply, http
from cloudscapes.testing.fixtures.git import GitHubStandInClient
from cloudscapes.testing.github import DEFAULT_CLIENT_ID, TUTORIAL_FILES

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
JSON = {"Accept": "application/json"}
GIT = shutil.which("git") or "git"
#: bytes that are not UTF-8 (a PNG signature and then some)
PIXEL = b"\x89PNG\r\n\x1a\n\x00\xff\xfe"


@pytest.fixture
def github(github_standin: GitHubStandInClient) -> GitHubStandInClient:
    """The stand-in with interval 0: tests poll as fast as they like unless they say."""
    github_standin.set(interval=0)
    return github_standin


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    """git run as a learner would, with no configuration of the machine's and no prompt."""
    home = tmp_path / "gituser"
    home.mkdir()
    (home / ".gitconfig").write_text("")
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",
        "SSH_ASKPASS": "",
        "LANG": "C",
        "LC_ALL": "C",
        "GIT_AUTHOR_NAME": "Learner",
        "GIT_AUTHOR_EMAIL": "learner@example.org",
        "GIT_COMMITTER_NAME": "Learner",
        "GIT_COMMITTER_EMAIL": "learner@example.org",
    }


def git(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GIT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def helper(username: str, password: str) -> list[str]:
    """``-c`` options making git send these credentials (and nothing else)."""
    user, secret = shlex.quote(f"username={username}"), shlex.quote(f"password={password}")
    script = f"!f(){{ echo {user}; echo {secret}; }}; f"
    return ["-c", "credential.helper=", "-c", f"credential.helper={script}"]


def device_code(github: GitHubStandInClient, accept_json: bool = True, **fields: str) -> Reply:
    body = urlencode({"client_id": github.client_id, **fields}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **(JSON if accept_json else {})}
    return http("POST", f"{github.url}/login/device/code", headers, data=body)


def poll(
    github: GitHubStandInClient, device: str, accept_json: bool = True, **fields: str
) -> dict[str, Any]:
    body = {
        "client_id": github.client_id,
        "device_code": device,
        "grant_type": DEVICE_GRANT,
        **fields,
    }
    headers = {"Content-Type": "application/json", **(JSON if accept_json else {})}
    reply = http(
        "POST", f"{github.url}/login/oauth/access_token", headers, data=json.dumps(body).encode()
    )
    assert reply.status == 200, reply.body  # GitHub's OAuth errors are 200s
    if accept_json:
        assert (reply.header("Content-Type") or "").startswith("application/json")
        return dict(reply.json())
    assert reply.header("Content-Type") == "application/x-www-form-urlencoded"
    return {k: v[0] for k, v in parse_qs(reply.body.decode()).items()}


def start(github: GitHubStandInClient) -> dict[str, Any]:
    reply = device_code(github)
    assert reply.status == 200, reply.body
    return dict(reply.json())


# ---- device flow ------------------------------------------------------------------------


def test_device_code_as_github_documents(github: GitHubStandInClient) -> None:
    answer = start(github)
    assert re.fullmatch(r"[0-9a-f]{40}", answer["device_code"])
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", answer["user_code"])
    assert answer["verification_uri"] == f"{github.url}/login/device"
    assert answer["expires_in"] == 900
    assert answer["interval"] == 0
    # without Accept: application/json, GitHub answers form-encoded
    reply = device_code(github, accept_json=False)
    assert reply.header("Content-Type") == "application/x-www-form-urlencoded"
    form = parse_qs(reply.body.decode())
    assert len(form["device_code"][0]) == 40 and form["expires_in"] == ["900"]
    # a JSON body works too
    reply = http(
        "POST",
        f"{github.url}/login/device/code",
        {**JSON, "Content-Type": "application/json"},
        data=json.dumps({"client_id": github.client_id, "scope": "repo"}).encode(),
    )
    assert reply.status == 200 and "user_code" in reply.json()


def test_device_code_refusals(github: GitHubStandInClient) -> None:
    reply = device_code(github, client_id="Iv1.somebodyelse")
    assert (reply.status, reply.json()) == (404, {"error": "Not Found"})
    reply = http("POST", f"{github.url}/login/device/code", JSON, data=b"")
    assert reply.status == 404
    github.set(device_flow_disabled=True)
    reply = device_code(github)
    assert reply.status == 400 and reply.json()["error"] == "device_flow_disabled"


def test_pending_then_approved_then_dead(github: GitHubStandInClient) -> None:
    answer = start(github)
    assert poll(github, answer["device_code"])["error"] == "authorization_pending"
    approved = github.approve(answer["user_code"], login="octo")
    assert approved["status"] == "approved" and approved["login"] == "octo"
    token = poll(github, answer["device_code"])
    assert token["access_token"].startswith("ghu_")
    assert token["refresh_token"].startswith("ghr_")
    assert token["expires_in"] == 28800
    assert token["refresh_token_expires_in"] == 15811200
    assert (token["scope"], token["token_type"]) == ("", "bearer")
    user = http("GET", f"{github.api_url}/user", bearer=token["access_token"])
    assert user.status == 200 and user.json()["login"] == "octo"
    # the code gave its token: it is dead
    assert poll(github, answer["device_code"])["error"] == "incorrect_device_code"
    issued = github.tokens()
    assert [t["access_token"] for t in issued] == [token["access_token"]]


def test_slow_down_when_polled_faster_than_the_interval(
    github_standin: GitHubStandInClient,
) -> None:
    github_standin.set(interval=5)
    answer = start(github_standin)
    assert answer["interval"] == 5
    assert poll(github_standin, answer["device_code"])["error"] == "authorization_pending"
    slow = poll(github_standin, answer["device_code"])
    assert slow["error"] == "slow_down" and slow["interval"] == 10
    assert slow["error_description"] and slow["error_uri"].startswith("https://docs.github.com")
    # forced, whatever the pace (interval 0)
    github_standin.set(interval=0, slow_down=1)
    other = start(github_standin)
    assert poll(github_standin, other["device_code"]) == {**poll_shape("slow_down"), "interval": 5}
    # the new interval (5 s) holds: polling again at once is too fast
    again = poll(github_standin, other["device_code"])
    assert (again["error"], again["interval"]) == ("slow_down", 10)


class _AnyText:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)


ANY_TEXT: Any = _AnyText()


def poll_shape(error: str) -> dict[str, Any]:
    return {"error": error, "error_description": ANY_TEXT, "error_uri": ANY_TEXT}


def test_every_refusal_of_the_token_endpoint(github: GitHubStandInClient) -> None:
    expired = start(github)
    github.expire(expired["user_code"])
    assert poll(github, expired["device_code"]) == poll_shape("expired_token")

    denied = start(github)
    github.deny(denied["user_code"])
    assert poll(github, denied["device_code"]) == poll_shape("access_denied")

    live = start(github)
    assert poll(github, live["device_code"], grant_type="password") == poll_shape(
        "unsupported_grant_type"
    )
    assert poll(github, live["device_code"], client_id="Iv1.other") == poll_shape(
        "incorrect_client_credentials"
    )
    assert poll(github, "0" * 40) == poll_shape("incorrect_device_code")
    github.set(device_flow_disabled=True)
    assert poll(github, live["device_code"]) == poll_shape("device_flow_disabled")
    # form-encoded without Accept: application/json, as GitHub
    github.set(device_flow_disabled=False)
    form = poll(github, live["device_code"], accept_json=False)
    assert form["error"] == "authorization_pending"


def test_refresh_replaces_the_pair(github: GitHubStandInClient) -> None:
    first = github.issue_token()
    body = urlencode(
        {
            "client_id": github.client_id,
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
        }
    ).encode()
    url = f"{github.url}/login/oauth/access_token"
    reply = http("POST", url, JSON, data=body)
    new = reply.json()
    assert new["access_token"].startswith("ghu_") and new["access_token"] != first["access_token"]
    assert new["refresh_token"] != first["refresh_token"] and new["expires_in"] == 28800
    assert http("GET", f"{github.api_url}/user", bearer=first["access_token"]).status == 401
    assert http("GET", f"{github.api_url}/user", bearer=new["access_token"]).status == 200
    again = http("POST", url, JSON, data=body).json()
    assert again == poll_shape("bad_refresh_token")


# ---- the approval page --------------------------------------------------------------------


def form_post(github: GitHubStandInClient, fields: dict[str, str]) -> Reply:
    return http(
        "POST",
        f"{github.url}/login/device",
        {"Content-Type": "application/x-www-form-urlencoded"},
        data=urlencode(fields).encode(),
    )


def test_the_user_authorizes_on_the_page(github: GitHubStandInClient) -> None:
    answer = start(github)
    page = github.get("/login/device").body.decode()
    assert "name='user_code'" in page and ">Continue</button>" in page
    assert "<label for='user_code'>" in page
    typed = answer["user_code"].lower().replace("-", "")  # as a user may type it
    confirm = form_post(github, {"user_code": typed, "action": "continue"}).body.decode()
    assert ">Authorize</button>" in confirm and ">Cancel</button>" in confirm
    assert answer["user_code"] in confirm
    assert poll(github, answer["device_code"])["error"] == "authorization_pending"
    done = form_post(github, {"user_code": answer["user_code"], "action": "authorize"})
    assert "Your device is now connected" in done.body.decode()
    assert poll(github, answer["device_code"])["access_token"].startswith("ghu_")

    cancelled = start(github)
    form_post(github, {"user_code": cancelled["user_code"], "action": "cancel"})
    assert poll(github, cancelled["device_code"])["error"] == "access_denied"
    # a decided code is no longer accepted on the page
    again = form_post(github, {"user_code": cancelled["user_code"]}).body.decode()
    assert "not valid" in again and ">Authorize</button>" not in again


def test_the_page_escapes_what_it_echoes(github: GitHubStandInClient) -> None:
    hostile = "<script>alert(1)</script>'\"><img src=x onerror=alert(2)>"
    page = form_post(github, {"user_code": hostile}).body.decode()
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#x27;&quot;&gt;&lt;img" in page
    notice = github.get("/login/device?notice=" + "%3Cb%3Ehi%3C%2Fb%3E").body.decode()
    assert "<b>hi" not in notice and "&lt;b&gt;hi" in notice
    answer = start(github)
    confirm = form_post(github, {"user_code": answer["user_code"], "login": hostile})
    assert "<script>" not in confirm.body.decode()


# ---- REST ----------------------------------------------------------------------------------


def test_rest_routes_and_bad_credentials(github: GitHubStandInClient) -> None:
    github.create_repo("openscapes", "tutorial", {"README.md": "hi\n"}, description="Tutorial")
    github.create_repo("learner", "notes", {"a.txt": "a\n"}, private=True)
    github.create_repo("learner", "hidden", {"a.txt": "a\n"}, installed=False)
    token = github.issue_token()["access_token"]
    api = github.api_url
    user = http("GET", f"{api}/user", {"Authorization": f"token {token}"})
    assert user.status == 200 and user.json()["login"] == "learner" and user.json()["id"]
    installs = http("GET", f"{api}/user/installations", bearer=token).json()
    accounts = {i["account"]["login"]: i["id"] for i in installs["installations"]}
    assert installs["total_count"] == 2 and set(accounts) == {"learner", "openscapes"}
    repos = http(
        "GET", f"{api}/user/installations/{accounts['openscapes']}/repositories", bearer=token
    ).json()
    assert [r["full_name"] for r in repos["repositories"]] == ["openscapes/tutorial"]
    assert repos["repositories"][0]["clone_url"] == f"{github.url}/openscapes/tutorial.git"
    mine = http("GET", f"{api}/user/repos", bearer=token).json()
    assert {r["full_name"]: r["private"] for r in mine} == {
        "openscapes/tutorial": False,
        "learner/notes": True,
    }
    paged = http("GET", f"{api}/user/repos?per_page=1", bearer=token)
    assert len(paged.json()) == 1 and 'rel="next"' in (paged.header("Link") or "")
    assert http("GET", f"{api}/user/installations/1/repositories", bearer=token).status == 404

    missing = http("GET", f"{api}/user")
    assert missing.status == 401 and missing.json()["message"] == "Requires authentication"
    for bad in ("ghu_nottoken", token):
        if bad == token:
            github.expire_token(token)
        reply = http("GET", f"{api}/user", bearer=bad)
        assert reply.status == 401
        assert reply.json()["message"] == "Bad credentials"
        assert reply.json()["documentation_url"].startswith("https://docs.github.com")
    revoked = github.issue_token()["access_token"]
    github.revoke(revoked)
    assert http("GET", f"{api}/user/repos", bearer=revoked).status == 401


# ---- git over smart HTTP ---------------------------------------------------------------------


def test_clone_and_push_through_http_backend(
    github: GitHubStandInClient, git_env: dict[str, str], tmp_path: Path
) -> None:
    url = github.create_repo("openscapes", "tutorial", TUTORIAL_FILES)
    work = tmp_path / "tutorial"
    cloned = git(git_env, "clone", url, str(work))
    assert cloned.returncode == 0, cloned.stderr
    for name in ("01-hello.ipynb", "02-sea-ice.ipynb"):
        notebook = nbformat.read(work / name, as_version=4)
        nbformat.validate(notebook)
        assert [c["cell_type"] for c in notebook["cells"]] == ["markdown", "code"]
    assert (work / "data" / "readme.txt").exists()
    (work / "mine.txt").write_text("learner's work\n")
    assert git(git_env, "add", "mine.txt", cwd=work).returncode == 0
    assert git(git_env, "commit", "-m", "My work", cwd=work).returncode == 0

    # no credentials: GitHub's challenge, and git cannot ask anyone
    nothing = git(git_env, "push", cwd=work)
    assert nothing.returncode != 0
    assert "could not read Username" in nothing.stderr
    challenged = [r for r in github.requests() if "git-receive-pack" in r.path]
    assert challenged and challenged[-1].headers.get("Authorization") is None
    # a wrong token: refused, and git says so
    wrong = git(git_env, *helper("x-access-token", "ghu_wrong"), "push", cwd=work)
    assert wrong.returncode != 0 and "Authentication failed" in wrong.stderr
    assert "Invalid username or token" in wrong.stderr

    token = github.issue_token()["access_token"]
    pushed = git(git_env, *helper("x-access-token", token), "push", cwd=work)
    assert pushed.returncode == 0, pushed.stderr
    bare = github.repo_dir("openscapes/tutorial")
    shown = git(git_env, "--git-dir", str(bare), "log", "-1", "--format=%s", "main")
    assert shown.stdout.strip() == "My work"

    # expired, then revoked tokens are refused
    (work / "mine.txt").write_text("more\n")
    git(git_env, "commit", "-qam", "More", cwd=work)
    github.expire_token(token)
    late = git(git_env, *helper("x", token), "push", cwd=work)
    assert late.returncode != 0 and "Authentication failed" in late.stderr
    other = github.issue_token()["access_token"]
    github.revoke(other)
    gone = git(git_env, *helper("x", other), "push", cwd=work)
    assert gone.returncode != 0 and "Authentication failed" in gone.stderr


def test_private_and_missing_repositories_need_a_token(
    github: GitHubStandInClient, git_env: dict[str, str], tmp_path: Path
) -> None:
    url = github.create_repo("learner", "secret", {"a.txt": "a\n"}, private=True)
    refused = git(git_env, "clone", url, str(tmp_path / "no"))
    assert refused.returncode != 0 and "could not read Username" in refused.stderr
    assert not (tmp_path / "no").exists()
    token = github.issue_token()["access_token"]
    allowed = git(git_env, *helper("x-access-token", token), "clone", url, str(tmp_path / "yes"))
    assert allowed.returncode == 0, allowed.stderr
    assert (tmp_path / "yes" / "a.txt").read_text() == "a\n"
    # a repository that does not exist looks private without a token, missing with one
    missing = f"{github.url}/learner/nothing.git"
    assert git(git_env, "ls-remote", missing).returncode != 0
    found = git(git_env, *helper("x", token), "ls-remote", missing)
    assert found.returncode != 0 and "not found" in found.stderr


def test_basic_password_remote(
    github: GitHubStandInClient, git_env: dict[str, str], tmp_path: Path
) -> None:
    github.create_repo("basic", "course", {"notes.md": "# Notes\n"})
    url = github.set_password("course", "hunter2 #1")
    assert url == f"{github.url}/basic/course.git"
    assert git(git_env, "ls-remote", url).returncode != 0
    wrong = git(git_env, *helper("learner", "nope"), "ls-remote", url)
    assert wrong.returncode != 0 and "Authentication failed" in wrong.stderr
    token = github.issue_token()["access_token"]  # a GitHub token is no password here
    assert git(git_env, *helper("learner", token), "ls-remote", url).returncode != 0
    right = git(git_env, *helper("learner", "hunter2 #1"), "clone", url, str(tmp_path / "c"))
    assert right.returncode == 0, right.stderr
    assert (tmp_path / "c" / "notes.md").read_text() == "# Notes\n"


def test_instructor_update_is_seen_by_fetch(
    github: GitHubStandInClient, git_env: dict[str, str], tmp_path: Path
) -> None:
    url = github.create_repo("openscapes", "tutorial", TUTORIAL_FILES)
    work = tmp_path / "tutorial"
    assert git(git_env, "clone", "-q", url, str(work)).returncode == 0
    before = git(git_env, "rev-parse", "HEAD", cwd=work).stdout.strip()
    oid = github.publish_update(
        "openscapes/tutorial",
        {
            "03-new.ipynb": TUTORIAL_FILES["01-hello.ipynb"],
            "README.md": "# Changed\n",
            "data/pixel.png": {"base64": base64.b64encode(PIXEL).decode()},
        },
        delete=["data/readme.txt"],
        message="Week 2 material",
    )
    assert git(git_env, "fetch", "-q", cwd=work).returncode == 0
    log = git(git_env, "log", "--format=%H %P %s", "origin/main", "-1", cwd=work).stdout.split()
    assert log == [oid, before, "Week", "2", "material"]
    changed = git(git_env, "diff", "--name-status", "HEAD", "origin/main", cwd=work).stdout
    assert sorted(changed.splitlines()) == [
        "A\t03-new.ipynb",
        "A\tdata/pixel.png",
        "D\tdata/readme.txt",
        "M\tREADME.md",
    ]
    shown = subprocess.run(
        [GIT, "show", "origin/main:data/pixel.png"], cwd=work, env=git_env, capture_output=True
    )
    assert shown.stdout == PIXEL
    # without files, "an update": a line added to README.md, as the button does
    second = github.publish_update("openscapes/tutorial")
    git(git_env, "fetch", "-q", cwd=work)
    readme = git(git_env, "show", "origin/main:README.md", cwd=work).stdout
    assert readme.startswith("# Changed\n") and "Update from the instructor #1" in readme
    assert git(git_env, "rev-parse", "origin/main", cwd=work).stdout.strip() == second


def test_the_publish_button(github: GitHubStandInClient) -> None:
    github.create_repo("openscapes", "tutorial", TUTORIAL_FILES)
    page = github.get("/_standin").body.decode()
    assert ">Publish an instructor update</button>" in page
    assert ">Publish an instructor update</button>" in github.get("/login/device").body.decode()
    before = head(github)
    reply = http(
        "POST",
        f"{github.url}/_standin/publish",
        {"Content-Type": "application/x-www-form-urlencoded"},
        data=urlencode({"repo": "openscapes/tutorial", "next": "/_standin"}).encode(),
    )
    location = reply.header("Location") or ""
    assert reply.status == 303 and location.startswith("/_standin?notice=")
    assert head(github) != before
    shown = github.get(location).body.decode()
    assert "Published Instructor update #1 to openscapes/tutorial" in shown


def head(github: GitHubStandInClient) -> str:
    bare = github.repo_dir("openscapes/tutorial")
    return subprocess.run(
        [GIT, "--git-dir", str(bare), "rev-parse", "main"], capture_output=True, text=True
    ).stdout.strip()


def pkt(line: str) -> bytes:
    return f"{len(line) + 4:04x}{line}".encode()


def test_gzip_request_bodies_reach_http_backend(github: GitHubStandInClient) -> None:
    """git compresses big upload-pack requests; http-backend must get them inflated."""
    github.create_repo("openscapes", "tutorial", TUTORIAL_FILES)
    want = head(github)
    request = pkt(f"want {want} no-progress\n") + b"0000" + pkt("done\n")
    reply = http(
        "POST",
        f"{github.url}/openscapes/tutorial.git/git-upload-pack",
        {
            "Content-Type": "application/x-git-upload-pack-request",
            "Content-Encoding": "gzip",
            "Accept": "application/x-git-upload-pack-result",
        },
        data=gzip.compress(request),
    )
    assert reply.status == 200
    assert reply.header("Content-Type") == "application/x-git-upload-pack-result"
    assert reply.body.startswith(b"0008NAK\n") and b"PACK" in reply.body
    dumb = github.get("/openscapes/tutorial.git/HEAD")
    assert dumb.status == 404


# ---- the command line (make demo) --------------------------------------------------------


def test_serve_and_publish_update_commands(tmp_path: Path, git_env: dict[str, str]) -> None:
    from cloudscapes.testing.github import spawn

    process, info = spawn(tmp_path / "info.json", tmp_path / "data")
    try:
        assert info["client_id"] == DEFAULT_CLIENT_ID
        url = info["tutorial_clone_url"]
        assert url == f"{info['url']}/openscapes/tutorial.git"
        work = tmp_path / "tutorial"
        assert git(git_env, "clone", "-q", url, str(work)).returncode == 0
        assert sorted(p.name for p in work.glob("*.ipynb")) == [
            "01-hello.ipynb",
            "02-sea-ice.ipynb",
        ]
        published = subprocess.run(
            [
                sys.executable,
                "-m",
                "cloudscapes.testing.github",
                "publish-update",
                "--url",
                info["url"],
                "--repo",
                "openscapes/tutorial",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert published.returncode == 0, published.stderr
        assert "Published" in published.stdout and "README.md" in published.stdout
        pulled = git(git_env, "pull", "-q", "--ff-only", cwd=work)
        assert pulled.returncode == 0, pulled.stderr
        assert "Update from the instructor #1" in (work / "README.md").read_text()
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert not (tmp_path / "info.json").exists()


def test_git_settings_point_at_the_standin(
    github_standin: GitHubStandInClient, git_settings: dict[str, Any]
) -> None:
    assert git_settings["github_url"] == github_standin.url
    assert git_settings["github_api_url"] == f"{github_standin.url}/api/v3"
    assert git_settings["github_client_id"] == github_standin.client_id
    assert "http" in git_settings["allowed_schemes"]
    assert github_standin.git_host == github_standin.url.removeprefix("http://")


def test_git_settings_without_the_standin_never_reach_github(
    git_settings: dict[str, Any], closed_url: str
) -> None:
    assert git_settings["github_url"] == closed_url
    assert git_settings["github_api_url"] == f"{closed_url}/api/v3"
    assert "github.com" not in json.dumps(git_settings)
