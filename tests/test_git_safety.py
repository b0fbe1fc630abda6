"""Names, URLs, revisions and paths checked before they reach a git argv."""

from __future__ import annotations

import logging
import os

import pytest

from cloudscapes.git.config import CloudscapesGit
from cloudscapes.git.runner import Git, Repo
from cloudscapes.git.safety import (
    check_ref_name,
    check_remote_name,
    check_url,
    repo_file,
    revision,
    url_scheme,
)
from cloudscapes.handlers import CloudscapesError

from .gitrepos import git, git_config, git_home, jp_server_config, make_repo  # noqa: F401


def code_of(call, *args) -> str | None:
    try:
        call(*args)
    except CloudscapesError as exc:
        assert exc.status == 400
        return exc.code
    return None


@pytest.fixture
def runner(tmp_path) -> Git:
    return Git(CloudscapesGit(), tmp_path, logging.getLogger("test"))


@pytest.mark.parametrize("name", ["main", "feature/plot-1", "ünï", "v1.0"])
async def test_good_branch_names_pass(runner, name):
    assert await check_ref_name(runner, name) == name
    assert await check_ref_name(runner, name, "tag") == name


@pytest.mark.parametrize(
    "name",
    [
        "--upload-pack=touch /tmp/pwned",
        "-b",
        "",
        "a..b",
        "a b",
        "a~1",
        "x.lock",
        "end/",
        "HEAD",
        "@",
        "@{-1}",
        "a\nb",
        "a\x1bb",
        "x" * 300,
        "refs/../x",
        ":x",
        "a*b",
        None,
        7,
    ],
)
async def test_bad_branch_names_are_refused(runner, name):
    with pytest.raises(CloudscapesError) as info:
        await check_ref_name(runner, name)
    assert (info.value.status, info.value.code) == (400, "invalid_name")


async def test_hostile_branch_name_creates_nothing(runner, tmp_path):
    top = make_repo(tmp_path / "r", {"a": "1"})
    before = sorted(os.listdir(tmp_path)), sorted(os.listdir(top))
    for name in ("--upload-pack=touch pwned", "-fpwned", "x --upload-pack=touch pwned"):
        with pytest.raises(CloudscapesError):
            await check_ref_name(runner, name)
    assert (sorted(os.listdir(tmp_path)), sorted(os.listdir(top))) == before
    assert git(top, "branch", "--list").strip() == "* main"


@pytest.mark.parametrize("name", ["origin", "upstream", "my-fork_2"])
def test_good_remote_names(name):
    assert check_remote_name(name) == name


@pytest.mark.parametrize("name", ["-x", "", "a b", "a/b", "..", "x.lock", "a\tb", "ü"])
def test_bad_remote_names(name):
    assert code_of(check_remote_name, name) == "invalid_name"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://github.com/o/r.git", "https"),
        ("HTTPS://github.com/o/r", "https"),
        ("git@github.com:o/r.git", "ssh"),
        ("github.com:o/r", "ssh"),
        ("ssh://git@host:22/r", "ssh"),
        ("git+ssh://host/r", "ssh"),
        ("/srv/repos/r.git", "file"),
        ("../r", "file"),
        ("file:///srv/r", "file"),
        ("http://host/r", "http"),
        ("git://host/r", "git"),
        ("ext::sh -c touch% /tmp/pwned", None),
        ("fd::17", None),
        ("transport::anything", None),
    ],
)
def test_url_schemes(url, scheme):
    assert url_scheme(url) == scheme


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://github.com/o/r.git", None),
        ("git@github.com:o/r.git", None),
        ("http://host/r", "url_not_allowed"),
        ("/srv/r", "url_not_allowed"),
        ("file:///srv/r", "url_not_allowed"),
        ("ext::sh -c 'touch /tmp/pwned'", "invalid_url"),
        ("ext::sh", "url_not_allowed"),
        ("fd::17", "url_not_allowed"),
        ("--upload-pack=touch /tmp/x", "invalid_url"),
        ("-oProxyCommand=x", "invalid_url"),
        ("https://h/r\nx", "invalid_url"),
        ("", "invalid_url"),
    ],
)
def test_check_url_with_the_default_schemes(url, code):
    assert code_of(check_url, url, ["https", "ssh"]) == code


def test_listed_schemes_are_allowed_but_ext_never():
    allowed = ["https", "ssh", "file", "http", "ext"]
    assert check_url("/srv/r", allowed) == "/srv/r"
    assert check_url("http://h/r", allowed) == "http://h/r"
    assert code_of(check_url, "ext::sh", allowed) == "url_not_allowed"


@pytest.fixture
def repo(tmp_path) -> Repo:
    top = make_repo(tmp_path / "r", {"data/a.csv": "1"})
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", top / "out")
    os.symlink("data", top / "inlink")
    return Repo(top=top.resolve(), git_dir=(top / ".git").resolve(), rel="r")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("data/a.csv", "data/a.csv"),
        ("./data//a.csv", "data/a.csv"),
        ("data/", "data"),
        ("new\nline.txt", "new\nline.txt"),
        ("-rf", "-rf"),
        ("$(touch x)", "$(touch x)"),
        ("out", "out"),  # the link itself: git tracks links
        ("inlink/a.csv", "inlink/a.csv"),  # a link that stays inside
        (".gitignore", ".gitignore"),
        (".github/workflows/x.yml", ".github/workflows/x.yml"),
    ],
)
def test_repo_files_that_pass(repo, name, expected):
    assert repo_file(repo, name) == expected


@pytest.mark.parametrize(
    "name",
    [
        ".git/config",
        ".git",
        "sub/.GIT/hooks/pre-commit",
        "../x",
        "a/../b",
        "/etc/passwd",
        "out/secret",  # through a link leading out
        "",
        ".",
        "a\x00b",
        None,
        "x" * 300,
    ],
)
def test_repo_files_that_are_refused(repo, name):
    assert code_of(repo_file, repo, name) == "invalid_path"


@pytest.mark.parametrize("rev", ["main", "HEAD~2", "origin/main", "v1.0^{}", "a" * 40])
def test_revisions_that_pass(rev):
    assert revision(rev) == rev


@pytest.mark.parametrize("rev", ["-p", "--output=/tmp/x", "", "a\nb", "x" * 500, None])
def test_revisions_that_are_refused(rev):
    assert code_of(revision, rev) == "invalid_revision"
