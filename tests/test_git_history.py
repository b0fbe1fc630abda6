"""The History tab against a real server and real repositories: log pages (topological,
with refs; paged without counting; a file's history through a rename), one commit's
message and files, and refusals before any git runs (revisions that look like options,
paths into .git)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cloudscapes.git.history import parse_log, parse_refs

from .gitrepos import git, git_config, git_home, jp_server_config, make_repo  # noqa: F401


def test_refs_read_with_full_names() -> None:
    assert parse_refs(
        "HEAD -> refs/heads/main, tag: refs/tags/v1, refs/remotes/origin/main, "
        "refs/remotes/origin/HEAD, refs/heads/origin/x, refs/stash"
    ) == [
        {"name": "main", "kind": "head"},
        {"name": "v1", "kind": "tag"},
        {"name": "origin/main", "kind": "remote"},
        {"name": "origin/x", "kind": "branch"},
    ]
    assert parse_refs("HEAD, refs/heads/main") == [
        {"name": "HEAD", "kind": "head"},
        {"name": "main", "kind": "branch"},
    ]


def test_a_subject_cannot_shift_fields() -> None:
    record = "\x1f".join(["a" * 40, "", "Ann", "a@x", "2026-01-02T03:04:05+02:00", "", "s\x1fx"])
    (commit,) = parse_log(record + "\0")
    assert commit["subject"] == "s\x1fx" and commit["date"] == "2026-01-02T01:04:05Z"
    assert commit["parents"] == []


@pytest.fixture
def repo(jp_root_dir: Path) -> Path:
    top = make_repo(jp_root_dir / "project", {"notes.md": "# Notes\n", "data/a.csv": "x\n1\n"}, 3)
    git(top, "tag", "v1", "HEAD~1")
    git(top, "switch", "-q", "-c", "feature")
    (top / "notes.md").write_text("# Notes\n\nmore\n")
    git(top, "commit", "-qam", "Feature <b>bold</b> $(touch /tmp/x)")
    git(top, "switch", "-q", "main")
    git(top, "merge", "-q", "--no-ff", "--no-edit", "feature")
    return top


async def test_log_page_with_graph_parents_and_refs(api, repo: Path) -> None:
    status, page = await api("git/log?path=project")
    assert status == 200, page
    commits = page["commits"]
    assert [c["subject"] for c in commits] == [
        "Merge branch 'feature'",
        "Feature <b>bold</b> $(touch /tmp/x)",
        "Commit 3",
        "Commit 2",
        "Commit 1",
    ]
    assert page["next_offset"] is None
    merge, feature = commits[0], commits[1]
    assert len(merge["parents"]) == 2 and feature["oid"] in merge["parents"]
    assert {"name": "main", "kind": "head"} in merge["refs"]
    assert {"name": "feature", "kind": "branch"} in feature["refs"]
    assert {"name": "v1", "kind": "tag"} in commits[3]["refs"]
    assert merge["author"] == "Repo Maker" and merge["email"] == "maker@example.org"
    assert merge["date"].endswith("Z")
    # children above parents (topological)
    position = {c["oid"]: n for n, c in enumerate(commits)}
    assert all(position[p] > position[c["oid"]] for c in commits for p in c["parents"])


async def test_log_pages_and_revisions(api, repo: Path) -> None:
    status, first = await api("git/log?path=project/data&limit=2")
    assert status == 200 and len(first["commits"]) == 2 and first["next_offset"] == 2
    status, second = await api("git/log?path=project&limit=2&offset=2")
    assert [c["subject"] for c in second["commits"]] == ["Commit 3", "Commit 2"]
    assert second["next_offset"] == 4
    status, last = await api("git/log?path=project&limit=2&offset=4")
    assert [c["subject"] for c in last["commits"]] == ["Commit 1"]
    assert last["next_offset"] is None
    status, tagged = await api("git/log?path=project&rev=v1")
    assert [c["subject"] for c in tagged["commits"]] == ["Commit 2", "Commit 1"]
    status, ranged = await api("git/log?path=project&rev=v1..feature")
    assert [c["subject"] for c in ranged["commits"]] == [
        "Feature <b>bold</b> $(touch /tmp/x)",
        "Commit 3",
    ]
    for bad in ("limit=0", "limit=1001", "offset=-1", "limit=x"):
        status, body = await api(f"git/log?path=project&{bad}")
        assert status == 400 and body["error"]["code"] == "invalid_parameter", bad


async def test_file_history_follows_a_rename(api, repo: Path) -> None:
    git(repo, "mv", "notes.md", "README.md")
    git(repo, "commit", "-qm", "Rename the notes")
    status, page = await api("git/log?path=project&file=README.md")
    assert status == 200
    assert [c["subject"] for c in page["commits"]] == [
        "Rename the notes",
        "Feature <b>bold</b> $(touch /tmp/x)",
        "Commit 1",
    ]


async def test_unknown_and_hostile_revisions(api, repo: Path, tmp_path: Path) -> None:
    status, body = await api("git/log?path=project&rev=no-such-branch")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert "no-such-branch" in body["error"]["message"]
    target = tmp_path / "x"
    status, body = await api(f"git/log?path=project&rev=--output={target}")
    assert status == 400 and body["error"]["code"] == "invalid_revision"
    assert not target.exists()
    status, body = await api(f"git/commit/detail?path=project&oid=--output={target}")
    assert status == 400 and not target.exists()
    status, body = await api("git/log?path=project&file=.git/config")
    assert status == 400 and body["error"]["code"] == "invalid_path"
    status, body = await api("git/log?path=project&file=../outside")
    assert status == 400 and body["error"]["code"] == "invalid_path"


async def test_new_repository_has_an_empty_log(api, jp_root_dir: Path) -> None:
    make_repo(jp_root_dir / "fresh", {"a.txt": "a"}, commits=0)
    status, page = await api("git/log?path=fresh")
    assert status == 200 and page == {"commits": [], "next_offset": None}


async def test_not_a_repository(api, jp_root_dir: Path) -> None:
    (jp_root_dir / "plain").mkdir()
    status, body = await api("git/log?path=plain")
    assert status == 404 and body["error"]["code"] == "not_a_repository"


async def test_commit_detail(api, repo: Path) -> None:
    (repo / "data" / "a.csv").write_text("x\n1\n2\n3\n")
    (repo / "data" / "image.bin").write_bytes(b"\0\1\2")
    git(repo, "mv", "notes.md", "NOTES.md")
    git(repo, "rm", "-q", "history.txt")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Tidy up\n\nThe body says why.\nIn two lines.")
    oid = git(repo, "rev-parse", "HEAD").strip()
    status, commit = await api(f"git/commit/detail?path=project&oid={oid[:10]}")
    assert status == 200, commit
    assert commit["oid"] == oid
    assert commit["message"] == "Tidy up\n\nThe body says why.\nIn two lines."
    files = {f["file"]: f for f in commit["files"]}
    assert files["data/a.csv"] == {
        "file": "data/a.csv",
        "orig_file": None,
        "status": "modified",
        "additions": 2,
        "deletions": 0,
    }
    assert files["NOTES.md"]["status"] == "renamed" and files["NOTES.md"]["orig_file"] == "notes.md"
    assert files["data/image.bin"]["additions"] is None  # binary
    assert files["history.txt"]["status"] == "deleted"
    # a merge: its changes against the first parent
    status, merge = await api("git/commit/detail?path=project&oid=HEAD~1")
    assert len(merge["parents"]) == 2
    assert [f["file"] for f in merge["files"]] == ["notes.md"]
    # the first commit: everything added
    status, root = await api("git/commit/detail?path=project&oid=v1~1")
    assert {f["status"] for f in root["files"]} == {"added"}
    status, body = await api("git/commit/detail?path=project&oid=0123456789abcdef")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = await api("git/commit/detail?path=project")
    assert status == 400


def fast_import(top: Path, count: int) -> None:
    """``count`` commits in one ``git fast-import`` (seconds, not minutes)."""
    lines = []
    for n in range(1, count + 1):
        data = f"line {n}\n"
        message = f"Commit number {n}"
        lines += [
            "commit refs/heads/main",
            f"mark :{n}",
            f"committer Maker <maker@example.org> {1_700_000_000 + n} +0000",
            f"data {len(message)}",
            message,
        ]
        if n > 1:
            lines.append(f"from :{n - 1}")
        lines += ["M 644 inline file.txt", f"data {len(data)}", data.rstrip("\n"), ""]
    git(top, "fast-import", "--quiet", input="\n".join(lines) + "\n")
    git(top, "reset", "-q", "--hard", "main")


async def test_log_paging_on_a_long_history(api, jp_root_dir: Path) -> None:
    top = jp_root_dir / "long"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    fast_import(top, 1100)
    timings = {}
    for limit, offset in ((25, 0), (1000, 0), (1000, 1000), (25, 1075)):
        started = time.perf_counter()
        status, page = await api(f"git/log?path=long&limit={limit}&offset={offset}")
        timings[(limit, offset)] = time.perf_counter() - started
        assert status == 200
        expected = min(limit, 1100 - offset)
        assert len(page["commits"]) == expected
        assert page["commits"][0]["subject"] == f"Commit number {1100 - offset}"
        assert page["next_offset"] == (offset + limit if offset + limit < 1100 else None)
    print("log timings (s):", {k: round(v, 3) for k, v in timings.items()})
    assert timings[(25, 0)] < 2 and timings[(1000, 0)] < 5
