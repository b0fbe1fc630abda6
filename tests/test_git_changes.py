"""Staging, hunks, discarding, committing, identity, .gitignore and init through the
real server and the real git: what the user sees in the repository afterwards."""

from __future__ import annotations

import asyncio

import pytest

from .gitrepos import (  # noqa: F401
    IDENTITY,
    alive,
    git,
    git_config,
    git_home,
    hanging_hook,
    jp_server_config,
    make_repo,
)
from .test_git_status import HOSTILE, files_of, status_of


def post(api, route: str, **body):
    return api(f"git/{route}", method="POST", body=body)


def staged(top) -> list[str]:
    return git(top, "diff", "--cached", "--name-only", "-z").split("\0")[:-1]


async def test_stage_and_unstage_files_and_everything(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a.txt": "1", "b.txt": "1", "gone.txt": "1"})
    (top / "a.txt").write_text("2")
    (top / "b.txt").write_text("2")
    (top / "gone.txt").unlink()
    (top / "new.txt").write_text("n")
    code, body = await post(api, "stage", path="proj", files=["a.txt", "gone.txt"])
    assert code == 200
    assert body == {"counts": {"staged": 2, "changed": 1, "untracked": 1, "conflicted": 0}}
    assert staged(top) == ["a.txt", "gone.txt"]
    code, body = await post(api, "unstage", path="proj", files=["gone.txt"])
    assert code == 200 and staged(top) == ["a.txt"]
    code, body = await post(api, "stage", path="proj", all=True)
    assert body["counts"] == {"staged": 4, "changed": 0, "untracked": 0, "conflicted": 0}
    code, body = await post(api, "unstage", path="proj", all=True)
    assert staged(top) == [] and body["counts"]["staged"] == 0
    assert (top / "a.txt").read_text() == "2"  # unstaging never touches the work tree
    code, body = await post(api, "stage", path="proj")
    assert code == 400


async def test_stage_a_whole_group_past_the_pages_the_panel_has_seen(api, jp_root_dir):
    """'Stage all' of one group takes every file of it, not only the first page, and
    only that group: a conflict, new files or a nested repository stay where they are."""
    files = {f"data/f{i:04}.txt": "1" for i in range(600)}
    top = make_repo(jp_root_dir / "proj", {**files, "keep.txt": "1", "-x $(y).txt": "1"})
    for name in files:
        (top / name).write_text("2")
    (top / "-x $(y).txt").unlink()
    (top / "new one.txt").write_text("n")
    make_repo(top / "inner", {"i.txt": "1"})
    code, page = await api("git/status?path=proj&group=changed&limit=100")
    assert code == 200 and page["next_offset"] == 100
    code, body = await post(api, "stage", path="proj", group="changed")
    assert code == 200
    assert body["counts"] == {"staged": 601, "changed": 0, "untracked": 2, "conflicted": 0}
    assert "-x $(y).txt" in staged(top) and "new one.txt" not in staged(top)
    code, body = await post(api, "stage", path="proj", group="untracked")
    assert code == 200 and body["counts"]["staged"] == 602
    assert "new one.txt" in staged(top) and not any(n.startswith("inner") for n in staged(top))
    code, body = await post(api, "unstage", path="proj", group="changed")
    assert code == 400 and body["error"]["code"] == "invalid_request"


async def test_staging_the_changed_group_leaves_a_conflict_unresolved(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"c.txt": "base\n", "other.txt": "1"})
    git(top, "checkout", "-qb", "theirs")
    (top / "c.txt").write_text("theirs\n")
    git(top, "commit", "-qam", "theirs")
    git(top, "checkout", "-q", "-")
    (top / "c.txt").write_text("mine\n")
    git(top, "commit", "-qam", "mine")
    git(top, "merge", "-q", "theirs", check=False)
    (top / "other.txt").write_text("2")
    code, body = await post(api, "stage", path="proj", group="changed")
    assert code == 200
    assert body["counts"]["conflicted"] == 1 and "other.txt" in staged(top)


async def test_unstage_before_the_first_commit(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1", "b": "2"}, commits=0)
    await post(api, "stage", path="proj", all=True)
    code, body = await post(api, "unstage", path="proj", files=["a"])
    assert code == 200 and staged(top) == ["b"]
    code, body = await post(api, "unstage", path="proj", all=True)
    assert code == 200 and staged(top) == []
    assert body["counts"]["untracked"] == 2


async def test_unstaging_a_rename_unstages_both_names(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"old.txt": "content\n" * 10})
    git(top, "mv", "old.txt", "new.txt")
    code, _ = await post(api, "unstage", path="proj", files=["new.txt"])
    assert code == 200 and staged(top) == []
    assert files_of(await status_of(api), "untracked") == ["new.txt"]


async def test_hostile_names_are_staged_and_committed_verbatim(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"keep": "k"})
    for name in HOSTILE:
        (top / name).write_text("x")
    code, body = await post(api, "stage", path="proj", files=HOSTILE)
    assert code == 200, body
    assert sorted(staged(top)) == sorted(HOSTILE)
    body = await status_of(api)
    assert sorted(files_of(body, "staged")) == sorted(HOSTILE)
    code, body = await post(api, "commit", path="proj", message="$(touch pwned2) <b>x</b>")
    assert code == 200
    assert git(top, "log", "-1", "--format=%B").strip() == "$(touch pwned2) <b>x</b>"
    assert not (top / "pwned").exists() and not (top / "pwned2").exists()


@pytest.mark.parametrize(
    "name", [".git/config", ".GIT/hooks/pre-commit", "../x", "/etc/passwd", "a/../../x", "a\x00b"]
)
async def test_paths_into_git_or_outside_are_refused(api, jp_root_dir, name):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    config = (top / ".git" / "config").read_text()
    for route in ("stage", "discard"):
        code, body = await post(api, route, path="proj", files=[name], confirm=True)
        assert code == 400 and body["error"]["code"] in ("invalid_path", "invalid_field")
    assert (top / ".git" / "config").read_text() == config


async def test_stage_and_unstage_single_hunks(api, jp_root_dir):
    lines = [f"line {i}\n" for i in range(30)]
    top = make_repo(jp_root_dir / "proj", {"f.txt": "".join(lines)})
    changed = list(lines)
    changed[2] = "first change\n"
    changed[25] = "second change\n"
    (top / "f.txt").write_text("".join(changed))
    code, body = await post(api, "hunks", path="proj", file="f.txt", hunks=[1])
    assert code == 200, body
    assert body["counts"]["staged"] == 1 and body["counts"]["changed"] == 1
    index = git(top, "show", ":f.txt")
    assert "second change" in index and "first change" not in index
    code, body = await post(api, "hunks", path="proj", file="f.txt", hunks=[0])
    assert "first change" in git(top, "show", ":f.txt")
    assert body["counts"]["changed"] == 0
    code, body = await post(api, "hunks", path="proj", file="f.txt", hunks=[1], unstage=True)
    assert code == 200
    index = git(top, "show", ":f.txt")
    assert "first change" in index and "second change" not in index
    assert (top / "f.txt").read_text() == "".join(changed)
    code, body = await post(api, "hunks", path="proj", file="f.txt", hunks=[7])
    assert code == 400 and body["error"]["code"] == "invalid_hunk"
    code, body = await post(api, "hunks", path="proj", file="other.txt", hunks=[0])
    assert code == 409 and body["error"]["code"] == "no_hunks"


async def test_discard_restores_tracked_and_removes_untracked(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a.txt": "orig", ".gitignore": "*.log\n"})
    (top / "a.txt").write_text("edited")
    (top / "junk.txt").write_text("j")
    (top / "results").mkdir()
    (top / "results" / "r.csv").write_text("r")
    (top / "results" / "keep.log").write_text("ignored")
    code, body = await post(api, "discard", path="proj", files=["a.txt"], confirm=False)
    assert code == 400 and (top / "a.txt").read_text() == "edited"
    code, body = await post(
        api, "discard", path="proj", files=["a.txt", "junk.txt", "results/"], confirm=True
    )
    assert code == 200, body
    assert (top / "a.txt").read_text() == "orig"
    assert not (top / "junk.txt").exists() and not (top / "results" / "r.csv").exists()
    assert (top / "results" / "keep.log").exists()  # ignored files are never deleted
    assert body["counts"] == {"staged": 0, "changed": 0, "untracked": 0, "conflicted": 0}


async def test_commit_and_its_errors(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    code, body = await post(api, "commit", path="proj", message="Nothing")
    assert code == 409 and body["error"]["code"] == "nothing_to_commit"
    (top / "a").write_text("2")
    await post(api, "stage", path="proj", all=True)
    code, body = await post(api, "commit", path="proj", message="   ")
    assert code == 400 and body["error"]["code"] == "empty_message"
    code, body = await post(api, "commit", path="proj", message="Change a\n\nBecause.")
    assert code == 200
    assert body == {"oid": git(top, "rev-parse", "HEAD").strip(), "summary": "Change a"}
    author = git(top, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip()
    assert author == f"{IDENTITY['name']} <{IDENTITY['email']}>|" * 1 + (
        f"{IDENTITY['name']} <{IDENTITY['email']}>"
    )
    code, body = await post(api, "commit", path="proj", message="", amend=True)
    assert code == 200 and body["summary"] == "Change a"
    assert git(top, "rev-list", "--count", "HEAD").strip() == "2"
    code, body = await post(api, "commit", path="proj", message="Empty", allow_empty=True)
    assert code == 200 and git(top, "rev-list", "--count", "HEAD").strip() == "3"


async def test_first_commit_of_a_new_repository(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"}, commits=0)
    await post(api, "stage", path="proj", files=["a"])
    code, _ = await post(api, "commit", path="proj", message="First")
    assert code == 200 and git(top, "log", "--format=%s").strip() == "First"


async def test_huge_messages_are_refused_without_harm(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    (top / "a").write_text("2")
    git(top, "add", "a")
    code, body = await post(api, "commit", path="proj", message="x" * 1_000_000)
    assert code == 413 and body["error"]["code"] == "body_too_large"
    code, body = await post(api, "commit", path="proj", message="x" * 65_537)
    assert code == 400
    code, body = await post(api, "commit", path="proj", message="y" * 65_536)
    assert code == 200
    assert git(top, "log", "-1", "--format=%B").strip() == "y" * 65_536


async def test_identity_required_until_the_user_gives_one(api, jp_root_dir, jp_home_dir):
    home = jp_home_dir
    (home / ".gitconfig").write_text("")
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    (top / "a").write_text("2")
    git(top, "add", "a")
    code, body = await api("git/identity")
    assert code == 200 and body == {"name": None, "email": None}
    code, body = await post(api, "commit", path="proj", message="x")
    assert code == 409 and body["error"]["code"] == "identity_required"
    for bad in (
        {"name": "A\nB", "email": "a@b.org"},
        {"name": "Ada", "email": "no-at"},
        {"name": "Ada", "email": "-x@y"},
        {"name": "<Ada>", "email": "a@b.org"},
    ):
        code, body = await api("git/identity", method="PUT", body=bad)
        assert code == 400 and body["error"]["code"] == "invalid_identity"
    code, body = await api(
        "git/identity", method="PUT", body={"name": "Ada Lovelace", "email": "ada@example.org"}
    )
    assert code == 200 and body == {"name": "Ada Lovelace", "email": "ada@example.org"}
    assert "Ada Lovelace" in (home / ".gitconfig").read_text()
    assert "user.name" not in git(top, "config", "--local", "--list")
    code, body = await post(api, "commit", path="proj", message="x")
    assert code == 200
    assert git(top, "log", "-1", "--format=%an <%ae>").strip() == "Ada Lovelace <ada@example.org>"


def write_hook(top, name: str, script: str) -> None:
    hook = top / ".git" / "hooks" / name
    hook.write_text(f"#!/bin/sh\n{script}\n")
    hook.chmod(0o755)


async def test_hooks_run_and_their_refusal_is_explained(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    write_hook(top, "pre-commit", "echo 'error: notebooks must be stripped' >&2; exit 1")
    (top / "a").write_text("2")
    git(top, "add", "a")
    code, body = await post(api, "commit", path="proj", message="x")
    assert code == 409 and body["error"]["code"] == "git_failed"
    assert "notebooks must be stripped" in body["error"]["message"]
    assert git(top, "rev-list", "--count", "HEAD").strip() == "1"


async def test_a_hook_saying_not_found_is_a_refused_commit_not_a_missing_file(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    write_hook(top, "pre-commit", "echo 'black: command not found' >&2; exit 1")
    (top / "a").write_text("2")
    git(top, "add", "a")
    code, body = await post(api, "commit", path="proj", message="x")
    assert code == 409 and body["error"]["code"] == "git_failed"
    assert body["error"]["message"] == "The commit was refused: black: command not found"


async def test_amend_without_a_commit_says_so(api, jp_root_dir):
    make_repo(jp_root_dir / "proj", {"a": "1"}, commits=0)
    code, body = await post(api, "commit", path="proj", message="x", amend=True)
    assert code == 409 and body["error"]["code"] == "nothing_to_amend"
    assert "hook" not in body["error"]["hint"]


@pytest.mark.parametrize("git_config", [{"run_hooks": False}])
async def test_hooks_off_when_the_admin_says_so(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    write_hook(top, "pre-commit", "exit 1")
    (top / "a").write_text("2")
    git(top, "add", "a")
    code, _ = await post(api, "commit", path="proj", message="x")
    assert code == 200


@pytest.mark.parametrize("git_config", [{"timeout": 3}])
async def test_a_hanging_hook_is_stopped_and_other_repositories_go_on(api, jp_root_dir):
    slow = make_repo(jp_root_dir / "slow", {"a": "1"})
    make_repo(jp_root_dir / "quick", {"a": "1"})
    pids = hanging_hook(slow)
    (slow / "a").write_text("2")
    git(slow, "add", "a")
    hanging = asyncio.ensure_future(post(api, "commit", path="slow", message="x"))
    # the hook runs: the slow repository is busy (a file another process writes)
    for _ in range(200):
        if pids.exists():
            break
        await asyncio.sleep(0.05)
    body = await status_of(api, "quick")
    assert body["counts"]["staged"] == 0
    code, body = await post(api, "stage", path="quick", all=True)
    assert code == 200
    # both answered while the commit was still hanging: neither waited behind it
    assert not hanging.done()
    code, body = await hanging
    assert code == 504 and body["error"]["code"] == "git_timeout"
    assert "git commit did not finish within 3 s" in body["error"]["message"]
    assert alive(pids) == []
    assert git(slow, "rev-list", "--count", "HEAD").strip() == "1"
    assert not (slow / ".git" / "index.lock").exists()


async def test_ignore_appends_once_keeping_line_endings(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    (top / ".gitignore").write_bytes(b"*.log\r\n__pycache__/")
    (top / ".gitignore").chmod(0o644)
    (top / "data").mkdir()
    (top / "data" / "big.nc").write_text("x")
    code, body = await post(api, "ignore", path="proj", pattern="data/")
    assert code == 200 and body == {"pattern": "data/", "added": True}
    assert (top / ".gitignore").read_bytes() == b"*.log\r\n__pycache__/\r\ndata/\r\n"
    assert oct((top / ".gitignore").stat().st_mode & 0o777) == oct(0o644)
    code, body = await post(api, "ignore", path="proj", pattern="data/")
    assert body["added"] is False
    assert (top / ".gitignore").read_bytes().count(b"data/") == 1
    assert files_of(await status_of(api), "untracked") == [".gitignore"]
    for bad in ("a\nb", "# comment", "   "):
        code, body = await post(api, "ignore", path="proj", pattern=bad)
        assert code == 400, bad


async def test_ignore_keeps_a_gitignore_that_is_not_utf8(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    (top / ".gitignore").write_bytes(b"caf\xe9.txt\n")  # Latin-1, from an old editor
    code, body = await post(api, "ignore", path="proj", pattern="data/")
    assert code == 200 and body["added"] is True
    assert (top / ".gitignore").read_bytes() == b"caf\xe9.txt\ndata/\n"
    code, body = await post(api, "ignore", path="proj", pattern="data/")
    assert code == 200 and body["added"] is False


async def test_ignore_creates_the_file(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    code, _ = await post(api, "ignore", path="proj/", pattern="*.nc")
    assert code == 200 and (top / ".gitignore").read_text() == "*.nc\n"


async def test_init_makes_a_repository_once(api, jp_root_dir):
    (jp_root_dir / "work" / "notes").mkdir(parents=True)
    code, body = await post(api, "init", path="work")
    assert code == 200
    assert body["found"] is True and body["path"] == "work" and body["branch"] == "main"
    assert (jp_root_dir / "work" / ".git").is_dir()
    code, body = await post(api, "init", path="work")
    assert code == 409 and body["error"]["code"] == "already_a_repository"
    code, body = await post(api, "init", path="missing")
    assert code == 404


async def test_routes_refuse_folders_outside_repositories(api, jp_root_dir):
    (jp_root_dir / "plain").mkdir()
    for route, body in (
        ("stage", {"all": True}),
        ("unstage", {"all": True}),
        ("hunks", {"file": "a", "hunks": [0]}),
        ("discard", {"files": ["a"], "confirm": True}),
        ("commit", {"message": "x"}),
        ("ignore", {"pattern": "x"}),
    ):
        code, answer = await post(api, route, path="plain", **body)
        assert code == 404 and answer["error"]["code"] == "not_a_repository", route


async def test_a_hubs_identity_variables_are_used(api, jp_root_dir, jp_home_dir, monkeypatch):
    (jp_home_dir / ".gitconfig").write_text("")
    for kind in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{kind}_NAME", "Hub User")
        monkeypatch.setenv(f"GIT_{kind}_EMAIL", "hub.user@example.org")
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    (top / "a").write_text("2")
    git(top, "add", "a")
    code, _ = await post(api, "commit", path="proj", message="x")
    assert code == 200
    assert git(top, "log", "-1", "--format=%an <%ae>").strip() == "Hub User <hub.user@example.org>"


async def test_nested_repositories_are_never_staged(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    make_repo(top / "inner", {"b": "2"})
    make_repo(top / "projects" / "thesis", {"t": "3"})
    (top / "projects" / "notes.md").write_text("n")
    (top / "new.txt").write_text("n")
    (top / ":(glob)*").write_text("odd name")
    code, body = await post(api, "stage", path="proj", all=True)
    assert code == 200
    assert sorted(staged(top)) == [":(glob)*", "new.txt", "projects/notes.md"]
    for name in ("inner/", "projects/thesis"):
        code, body = await post(api, "stage", path="proj", files=[name])
        assert code == 409 and body["error"]["code"] == "nested_repository"
    assert files_of(await status_of(api), "untracked") == ["inner/", "projects/thesis/"]
    (top / "projects" / "more.md").write_text("m")
    code, body = await post(api, "stage", path="proj", files=["projects/"])
    assert code == 200 and "projects/more.md" in staged(top)
    assert not [f for f in staged(top) if f.startswith("projects/thesis")]


async def test_a_left_over_index_lock_is_explained(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    (top / "a").write_text("2")
    (top / ".git" / "index.lock").write_text("")
    code, body = await post(api, "stage", path="proj", all=True)
    assert code == 409 and body["error"]["code"] == "index_locked"
    assert "index.lock" in body["error"]["hint"]
    body = await status_of(api)  # a read still answers
    assert files_of(body, "changed") == ["a"]


async def test_a_linked_gitignore_is_left_alone(api, jp_root_dir, tmp_path):
    top = make_repo(jp_root_dir / "proj", {"a": "1"})
    target = tmp_path / "elsewhere.txt"
    target.write_text("mine\n")
    (top / ".gitignore").symlink_to(target)
    code, body = await post(api, "ignore", path="proj", pattern="*.nc")
    assert code == 409 and body["error"]["code"] == "gitignore_not_a_file"
    assert target.read_text() == "mine\n"


async def test_writes_refuse_a_repository_above_the_root(api, jp_root_dir, tmp_path):
    git(tmp_path, "init", "-q")
    (jp_root_dir / "a.txt").write_text("x")
    for route, body in (
        ("stage", {"all": True}),
        ("commit", {"message": "x"}),
        ("ignore", {"pattern": "x"}),
        ("discard", {"files": ["a.txt"], "confirm": True}),
    ):
        code, answer = await post(api, route, path="", **body)
        assert code == 400 and answer["error"]["code"] == "repo_above_root", route
    assert (jp_root_dir / "a.txt").exists()
    assert git(tmp_path, "diff", "--cached", "--name-only").strip() == ""  # nothing staged
    assert git(tmp_path, "rev-list", "--all").strip() == ""  # nothing committed


async def test_unstaging_everything_keeps_a_merge_in_progress(api, jp_root_dir):
    top = make_repo(jp_root_dir / "proj", {"a.txt": "base\n", "b.txt": "b\n"})
    git(top, "switch", "-q", "-c", "other")
    (top / "b.txt").write_text("other\n")
    git(top, "commit", "-qam", "other")
    git(top, "switch", "-q", "main")
    (top / "a.txt").write_text("main\n")
    git(top, "commit", "-qam", "main")
    git(top, "merge", "--no-commit", "--no-ff", "-q", "other")
    code, _ = await post(api, "unstage", path="proj", all=True)
    assert code == 200
    assert (top / ".git" / "MERGE_HEAD").exists()
    assert (await status_of(api))["state"] == "merging"


async def test_hunks_of_lines_with_odd_characters(api, jp_root_dir):
    lines = [f"line {i}\r\n" for i in range(30)]
    lines[10] = "form\x0cfeed and\u2028@@ -1 +1 @@ not a header\r\n"
    top = make_repo(jp_root_dir / "proj", {"f.txt": "".join(lines).encode()})
    changed = list(lines)
    changed[1] = "first\r\n"
    changed[11] = "middle \u2028@@ x\r\n"
    changed[28] = "last\r\n"
    (top / "f.txt").write_bytes("".join(changed).encode())
    code, body = await post(api, "hunks", path="proj", file="f.txt", hunks=[2])
    assert code == 200, body
    index = git(top, "show", ":f.txt")  # (text mode: CRLF read as LF)
    assert "last\n" in index and "first" not in index and "middle" not in index
    code, body = await post(api, "hunks", path="proj", file="f.txt", hunks=[0, 1])
    assert code == 200
    assert git(top, "show", ":f.txt") == "".join(changed).replace("\r\n", "\n")
    assert body["counts"]["changed"] == 0
