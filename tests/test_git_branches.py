"""Branches, tags, merges, conflicts and the stash against a real server and real
repositories: what a learner does from the branch menu, what git refuses and how it
is said (409 with a code the panel acts on), and names built to be read as options
refused before any git runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .gitrepos import git, git_config, git_home, jp_server_config, make_repo  # noqa: F401


@pytest.fixture
def repo(jp_root_dir: Path) -> Path:
    return make_repo(jp_root_dir / "course", {"lesson.md": "# Lesson\n\nStep one.\n"}, 2)


def names(model: dict) -> list[str]:
    return [b["name"] for b in model["branches"]]


async def test_list_create_switch_rename_delete(api, repo: Path) -> None:
    status, model = await api("git/branches?path=course")
    assert status == 200 and model["current"] == "main" and not model["detached"]
    (main,) = model["branches"]
    assert main["oid"] == git(repo, "rev-parse", "HEAD").strip()
    assert main["subject"] == "Commit 2" and main["upstream"] is None and main["ahead"] == 0

    status, model = await api("git/branches", "POST", {"path": "course", "name": "try-it"})
    assert status == 200 and names(model) == ["main", "try-it"] and model["current"] == "main"
    status, body = await api("git/branches", "POST", {"path": "course", "name": "try-it"})
    assert status == 409 and body["error"]["code"] == "branch_exists"

    status, model = await api(
        "git/branches", "POST", {"path": "course", "name": "old", "start": "HEAD~1", "switch": True}
    )
    assert status == 200 and model["current"] == "old"
    assert git(repo, "log", "-1", "--format=%s").strip() == "Commit 1"

    status, model = await api("git/switch", "POST", {"path": "course", "branch": "main"})
    assert status == 200 and model["current"] == "main"
    status, model = await api(
        "git/branches/rename", "POST", {"path": "course", "name": "try-it", "new_name": "tried"}
    )
    assert status == 200 and "tried" in names(model) and "try-it" not in names(model)
    status, body = await api(
        "git/branches/rename", "POST", {"path": "course", "name": "tried", "new_name": "old"}
    )
    assert status == 409 and body["error"]["code"] == "branch_exists"

    status, model = await api("git/branches/delete", "POST", {"path": "course", "name": "tried"})
    assert status == 200 and names(model) == ["main", "old"]
    status, body = await api("git/branches/delete", "POST", {"path": "course", "name": "main"})
    assert status == 409 and body["error"]["code"] == "current_branch"
    status, body = await api("git/branches/delete", "POST", {"path": "course", "name": "gone"})
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = await api("git/switch", "POST", {"path": "course", "branch": "gone"})
    assert status == 404


async def test_unmerged_branch_needs_force(api, repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "work")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Only here")
    git(repo, "switch", "-q", "main")
    status, body = await api("git/branches/delete", "POST", {"path": "course", "name": "work"})
    assert status == 409 and body["error"]["code"] == "branch_not_merged"
    status, model = await api(
        "git/branches/delete", "POST", {"path": "course", "name": "work", "force": True}
    )
    assert status == 200 and names(model) == ["main"]


async def test_switch_with_local_changes_is_refused(api, repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "other")
    (repo / "lesson.md").write_text("# Lesson\n\nOther step.\n")
    git(repo, "commit", "-qam", "Other")
    git(repo, "switch", "-q", "main")
    (repo / "lesson.md").write_text("# Lesson\n\nMy unsaved work.\n")
    status, body = await api("git/switch", "POST", {"path": "course", "branch": "other"})
    assert status == 409 and body["error"]["code"] == "local_changes"
    assert (repo / "lesson.md").read_text() == "# Lesson\n\nMy unsaved work.\n"
    assert git(repo, "branch", "--show-current").strip() == "main"


async def test_remote_branches_tracking_and_detached(api, repo: Path, jp_root_dir: Path) -> None:
    clone = jp_root_dir / "clone"
    git(jp_root_dir, "clone", "-q", str(repo), str(clone))
    git(repo, "switch", "-q", "-c", "extra")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Extra")
    git(clone, "fetch", "-q")
    git(clone, "commit", "-q", "--allow-empty", "-m", "Mine")
    status, model = await api("git/branches?path=clone")
    assert status == 200
    by_name = {b["name"]: b for b in model["branches"]}
    assert by_name["main"]["upstream"] == "origin/main" and by_name["main"]["ahead"] == 1
    assert by_name["origin/extra"]["remote"] is True
    assert "origin/HEAD" not in by_name
    status, model = await api("git/switch", "POST", {"path": "clone", "branch": "origin/extra"})
    assert status == 200 and model["current"] == "extra"
    assert git(clone, "rev-parse", "--abbrev-ref", "extra@{upstream}").strip() == "origin/extra"
    git(clone, "checkout", "-q", "--detach", "HEAD~1")
    status, model = await api("git/branches?path=clone")
    assert model["current"] is None and model["detached"] is True


async def test_hostile_branch_names_run_nothing(api, repo: Path, tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    existed = os.path.exists("/tmp/pwned")  # noqa: ASYNC240 - one stat
    hostile = (
        "--upload-pack=touch /tmp/pwned",
        f"--upload-pack=touch {pwned}",
        "-D",
        "-f",
        "a..b",
        "bad name",
        "x\ny",
        "HEAD",
    )
    for name in hostile:
        for route, body in (
            ("git/branches", {"name": name}),
            ("git/switch", {"branch": name}),
            ("git/merge", {"branch": name}),
            ("git/branches/delete", {"name": name}),
            ("git/branches/rename", {"name": "main", "new_name": name}),
            ("git/tags", {"name": name}),
        ):
            status, answer = await api(route, "POST", {"path": "course", **body})
            assert status == 400, (route, name, answer)
            assert answer["error"]["code"] in ("invalid_name", "invalid_field"), answer
    status, answer = await api(
        "git/branches", "POST", {"path": "course", "name": "ok", "start": f"--output={pwned}"}
    )
    assert status == 400 and answer["error"]["code"] == "invalid_revision"
    assert not pwned.exists()
    assert os.path.exists("/tmp/pwned") == existed  # noqa: ASYNC240 - one stat
    assert git(repo, "branch", "--format=%(refname:short)").split() == ["main"]


async def test_merge_fast_forward_up_to_date_and_merged(api, repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "ahead")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Ahead")
    git(repo, "switch", "-q", "main")
    status, result = await api("git/merge", "POST", {"path": "course", "branch": "ahead"})
    assert status == 200 and result == {"result": "fast_forward", "conflicts": []}
    status, result = await api("git/merge", "POST", {"path": "course", "branch": "ahead"})
    assert result["result"] == "up_to_date"
    git(repo, "switch", "-q", "-c", "side")
    (repo / "side.txt").write_text("side\n")
    git(repo, "add", "side.txt")
    git(repo, "commit", "-qm", "Side")
    git(repo, "switch", "-q", "main")
    (repo / "main.txt").write_text("main\n")
    git(repo, "add", "main.txt")
    git(repo, "commit", "-qm", "Main")
    status, result = await api("git/merge", "POST", {"path": "course", "branch": "side"})
    assert status == 200 and result["result"] == "merged"
    assert git(repo, "log", "-1", "--format=%s").strip() == "Merge branch 'side'"
    assert (repo / "side.txt").exists()
    status, body = await api("git/merge", "POST", {"path": "course", "branch": "nope"})
    assert body["error"]["code"] == "not_found"
    assert status == 404


def conflicting(repo: Path) -> None:
    """``main`` and ``topic`` change the same line of lesson.md; topic deletes notes.md,
    which main changes."""
    (repo / "notes.md").write_text("notes\n")
    git(repo, "add", "notes.md")
    git(repo, "commit", "-qm", "Notes")
    git(repo, "switch", "-q", "-c", "topic")
    (repo / "lesson.md").write_text("# Lesson\n\nStep one, their way.\n")
    git(repo, "rm", "-q", "notes.md")
    git(repo, "commit", "-qam", "Theirs")
    git(repo, "switch", "-q", "main")
    (repo / "lesson.md").write_text("# Lesson\n\nStep one, my way.\n")
    (repo / "notes.md").write_text("notes, changed\n")
    git(repo, "commit", "-qam", "Mine")


async def test_merge_conflict_explained_and_resolved(api, repo: Path) -> None:
    conflicting(repo)
    status, result = await api("git/merge", "POST", {"path": "course", "branch": "topic"})
    assert status == 200 and result == {
        "result": "conflicts",
        "conflicts": ["lesson.md", "notes.md"],
    }

    status, conflict = await api("git/conflict?path=course&file=lesson.md")
    assert status == 200, conflict
    assert conflict["base"] == "# Lesson\n\nStep one.\n"
    assert conflict["ours"] == "# Lesson\n\nStep one, my way.\n"
    assert conflict["theirs"] == "# Lesson\n\nStep one, their way.\n"
    assert "<<<<<<< HEAD" in conflict["merged"] and ">>>>>>> topic" in conflict["merged"]
    assert (conflict["ours_label"], conflict["theirs_label"]) == ("HEAD", "topic")
    assert "Both sides changed 'lesson.md'" in conflict["explanation"]
    assert conflict["binary"] is False

    status, deleted = await api("git/conflict?path=course&file=notes.md")
    assert deleted["theirs"] is None and deleted["ours"] == "notes, changed\n"
    assert "deleted it" in deleted["explanation"]

    status, done = await api(
        "git/resolve",
        "POST",
        {"path": "course", "file": "lesson.md", "content": "# Lesson\n\nStep one, our way.\n"},
    )
    assert status == 200, done
    assert done["remaining"] == ["notes.md"] and done["counts"]["conflicted"] == 1
    assert (repo / "lesson.md").read_text() == "# Lesson\n\nStep one, our way.\n"
    assert oct((repo / "lesson.md").stat().st_mode & 0o777) == oct(0o644)
    status, done = await api(
        "git/resolve", "POST", {"path": "course", "file": "notes.md", "take": "theirs"}
    )
    assert status == 200 and done["remaining"] == [] and done["counts"]["conflicted"] == 0
    assert not (repo / "notes.md").exists()
    status, body = await api("git/conflict?path=course&file=lesson.md")
    assert status == 409 and body["error"]["code"] == "not_conflicted"
    status, body = await api(
        "git/resolve", "POST", {"path": "course", "file": "lesson.md", "take": "ours"}
    )
    assert status == 409 and body["error"]["code"] == "not_conflicted"
    git(repo, "commit", "-q", "--no-edit")
    assert git(repo, "status", "--porcelain") == ""


async def test_resolving_where_a_folder_became_a_file_is_explained(api, repo: Path) -> None:
    (repo / "d").mkdir()
    (repo / "d" / "f.txt").write_text("base\n")
    git(repo, "add", "d")
    git(repo, "commit", "-qm", "d")
    git(repo, "checkout", "-qb", "other")
    (repo / "d" / "f.txt").write_text("theirs\n")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    (repo / "d" / "f.txt").write_text("ours\n")
    git(repo, "commit", "-qam", "ours")
    git(repo, "merge", "-q", "other", check=False)
    # the learner removed the folder in the file browser and made a file of that name
    (repo / "d" / "f.txt").unlink()
    (repo / "d").rmdir()
    (repo / "d").write_text("a file now\n")
    status, body = await api(
        "git/resolve", "POST", {"path": "course", "file": "d/f.txt", "content": "mine\n"}
    )
    assert status == 409 and body["error"]["code"] == "cannot_write", body
    assert "take one side" in body["error"]["hint"]
    assert (repo / "d").read_text() == "a file now\n"


async def test_merge_abort_and_refusals(api, repo: Path) -> None:
    conflicting(repo)
    before = git(repo, "rev-parse", "HEAD")
    await api("git/merge", "POST", {"path": "course", "branch": "topic"})
    status, body = await api(
        "git/resolve",
        "POST",
        {"path": "course", "file": "lesson.md", "content": "x", "take": "ours"},
    )
    assert status == 400
    status, body = await api(
        "git/resolve", "POST", {"path": "course", "file": ".git/config", "content": "[core]"}
    )
    assert status == 400 and body["error"]["code"] == "invalid_path"
    status, result = await api("git/merge/abort", "POST", {"path": "course"})
    assert status == 200 and result["result"] == "aborted"
    assert git(repo, "rev-parse", "HEAD") == before and git(repo, "status", "--porcelain") == ""
    status, body = await api("git/merge/abort", "POST", {"path": "course"})
    assert status == 409 and body["error"]["code"] == "no_merge"


async def test_tags(api, repo: Path) -> None:
    status, model = await api("git/tags", "POST", {"path": "course", "name": "v1", "rev": "HEAD~1"})
    assert status == 200 and [t["name"] for t in model["tags"]] == ["v1"]
    assert model["tags"][0]["oid"] == git(repo, "rev-parse", "HEAD~1").strip()
    status, model = await api(
        "git/tags", "POST", {"path": "course", "name": "v2", "message": "Second\n\nrelease"}
    )
    assert status == 200
    v2 = next(t for t in model["tags"] if t["name"] == "v2")
    assert v2["annotated"] and v2["subject"] == "Second"
    assert v2["oid"] == git(repo, "rev-parse", "HEAD").strip()
    status, body = await api("git/tags", "POST", {"path": "course", "name": "v1"})
    assert status == 409 and body["error"]["code"] == "tag_exists"
    status, model = await api("git/tags?path=course")
    assert status == 200 and {t["name"] for t in model["tags"]} == {"v1", "v2"}
    status, model = await api("git/tags/delete", "POST", {"path": "course", "name": "v1"})
    assert status == 200 and [t["name"] for t in model["tags"]] == ["v2"]
    status, body = await api("git/tags/delete", "POST", {"path": "course", "name": "v1"})
    assert status == 404
    status, body = await api("git/tags", "POST", {"path": "course", "name": "v3", "rev": "nope"})
    assert status == 404


async def test_stash_push_list_apply_pop_drop(api, repo: Path) -> None:
    status, body = await api("git/stash", "POST", {"path": "course"})
    assert status == 409 and body["error"]["code"] == "nothing_to_stash"
    (repo / "lesson.md").write_text("# Lesson\n\nHalf done.\n")
    (repo / "scratch.txt").write_text("new\n")
    status, model = await api(
        "git/stash",
        "POST",
        {"path": "course", "message": "half done", "include_untracked": True},
    )
    assert status == 200, model
    assert model["stashes"][0]["message"] == "half done"
    assert model["stashes"][0]["branch"] == "main" and model["stashes"][0]["index"] == 0
    assert not (repo / "scratch.txt").exists()
    assert git(repo, "status", "--porcelain") == ""
    (repo / "other.txt").write_text("x\n")
    status, model = await api("git/stash", "POST", {"path": "course", "include_untracked": True})
    assert [s["index"] for s in model["stashes"]] == [0, 1]
    assert model["stashes"][0]["message"].startswith("WIP on main")

    status, model = await api("git/stash/apply", "POST", {"path": "course", "index": 1})
    assert status == 200 and len(model["stashes"]) == 2
    assert (repo / "lesson.md").read_text() == "# Lesson\n\nHalf done.\n"
    status, model = await api("git/stash/drop", "POST", {"path": "course", "index": 0})
    assert status == 200 and [s["message"] for s in model["stashes"]] == ["half done"]
    status, body = await api("git/stash/drop", "POST", {"path": "course", "index": 5})
    assert status == 404


async def test_listing_a_signed_stash_runs_no_program_of_the_repository(
    api, repo: Path, tmp_path: Path
) -> None:
    # a repository (from a tarball, a shared folder) whose config verifies signatures
    # with a program of its own, and a stash commit that carries a signature
    (repo / "lesson.md").write_text("changed\n")
    git(repo, "stash")
    head, _, rest = git(repo, "cat-file", "commit", "refs/stash").partition("\n\n")
    signature = " -----BEGIN PGP SIGNATURE-----\n x\n -----END PGP SIGNATURE-----"
    signed = f"{head}\ngpgsig{signature}\n\n{rest}"
    oid = git(repo, "hash-object", "-t", "commit", "-w", "--stdin", input=signed).strip()
    git(repo, "update-ref", "-m", "On main: signed", "refs/stash", oid)
    program = tmp_path / "gpg"
    program.write_text(f"#!/bin/sh\ntouch {tmp_path}/pwned\n")
    program.chmod(0o755)
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "gpg.program", str(program))
    status, model = await api("git/stash?path=course")
    assert status == 200 and model["stashes"][0]["message"] == "signed"
    status, _ = await api("git/log?path=course&rev=refs/stash")
    assert status == 200
    assert not (tmp_path / "pwned").exists()


async def test_stash_apply_conflict(api, repo: Path) -> None:
    (repo / "lesson.md").write_text("# Lesson\n\nStashed version.\n")
    git(repo, "stash", "-q")
    (repo / "lesson.md").write_text("# Lesson\n\nCommitted version.\n")
    git(repo, "commit", "-qam", "Meanwhile")
    status, body = await api("git/stash/apply", "POST", {"path": "course", "index": 0, "pop": True})
    assert status == 409 and body["error"]["code"] == "merge_conflict"
    assert "kept" in body["error"]["message"]
    assert "<<<<<<<" in (repo / "lesson.md").read_text()
    status, model = await api("git/stash?path=course")
    assert status == 200 and len(model["stashes"]) == 1
    status, conflict = await api("git/conflict?path=course&file=lesson.md")
    assert conflict["theirs"] == "# Lesson\n\nStashed version.\n"
    assert conflict["ours"] == "# Lesson\n\nCommitted version.\n"


async def test_binary_conflict_takes_a_side(api, repo: Path) -> None:
    (repo / "logo.png").write_bytes(b"\x89PNG\0base")
    git(repo, "add", "logo.png")
    git(repo, "commit", "-qm", "Logo")
    git(repo, "switch", "-q", "-c", "redesign")
    (repo / "logo.png").write_bytes(b"\x89PNG\0theirs")
    git(repo, "commit", "-qam", "New logo")
    git(repo, "switch", "-q", "main")
    (repo / "logo.png").write_bytes(b"\x89PNG\0ours")
    git(repo, "commit", "-qam", "Other logo")
    status, result = await api("git/merge", "POST", {"path": "course", "branch": "redesign"})
    assert result == {"result": "conflicts", "conflicts": ["logo.png"]}
    status, conflict = await api("git/conflict?path=course&file=logo.png")
    assert status == 200 and conflict["binary"] is True
    assert conflict["ours"] is None and conflict["merged"] is None
    assert "not a text file" in conflict["explanation"]
    status, done = await api(
        "git/resolve", "POST", {"path": "course", "file": "logo.png", "take": "theirs"}
    )
    assert status == 200 and done["remaining"] == []
    assert (repo / "logo.png").read_bytes() == b"\x89PNG\0theirs"


async def test_a_repository_without_commits(api, jp_root_dir: Path) -> None:
    make_repo(jp_root_dir / "empty", {"draft.md": "draft\n"}, commits=0)
    status, model = await api("git/branches?path=empty")
    assert status == 200 and model == {"current": "main", "detached": False, "branches": []}
    status, model = await api("git/tags?path=empty")
    assert status == 200 and model == {"tags": []}
    status, model = await api("git/stash?path=empty")
    assert status == 200 and model == {"stashes": []}
    status, body = await api("git/stash", "POST", {"path": "empty", "include_untracked": True})
    assert status == 409 and body["error"]["code"] == "no_commits"
    assert (jp_root_dir / "empty" / "draft.md").exists()
