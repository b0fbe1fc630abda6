""" "Update the tutorial" with the real git CLI: an instructor's bare remote over
file://, a learner's clone changed as a learner changes it, and what is left after the
update: no line of the learner's lost, no conflict, a summary that names each file."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from types import SimpleNamespace

from cloudscapes.git.config import CloudscapesGit
from cloudscapes.git.runner import Git, Repo
from cloudscapes.git.update import _Update, beside_name, summarize

from .gitremotes import (  # noqa: F401
    bare_remote,
    clone_of,
    git_config,
    home_is_git_home,
    publish,
    run_job,
)
from .gitrepos import git, git_home, jp_server_config, make_repo  # noqa: F401


def notebook(*sources: str) -> str:
    """A notebook as Jupyter writes it (indent 1, sources as lists of lines)."""
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"cell-{n}",
            "metadata": {},
            "outputs": [],
            "source": source.splitlines(keepends=True),
        }
        for n, source in enumerate(sources)
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"


CELLS = [
    "import xarray as xr\nds = xr.open_dataset('sst.nc')\n",
    "ds.sst.mean()\n",
    "ds.sst.plot()\n",
    "print('the end')\n",
]


def sources(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]


def worktree_texts(top: Path) -> dict[str, str]:
    out = {}
    for path in top.rglob("*"):
        if ".git" in path.relative_to(top).parts or not path.is_file():
            continue
        try:
            out[path.relative_to(top).as_posix()] = path.read_text()
        except UnicodeDecodeError:
            continue
    return out


def test_beside_names_and_summary_words(tmp_path):
    assert beside_name("data/x.csv", "yours") == "data/x (yours).csv"
    assert beside_name("Makefile", "yours") == "Makefile (yours)"
    assert beside_name(".env", "yours") == ".env (yours)"
    (tmp_path / "a (yours).txt").write_text("")
    assert beside_name("a.txt", "yours", top=tmp_path) == "a (yours 2).txt"
    text = summarize(
        {
            "changed": ["a.md"],
            "added": ["b.ipynb"],
            "kept": ["c.ipynb"],
            "renamed": [{"file": "d.py", "to": "d (yours).py"}],
            "restored": ["e.md"],
            "still_deleted": ["f.txt"],
            "removed": ["g.txt"],
            "beside": [{"file": "c.ipynb", "to": "c (tutorial update).ipynb"}],
            "backup_branch": "backup/1",
        }
    )
    for name in (
        "a.md",
        "b.ipynb",
        "c.ipynb",
        "d (yours).py",
        "e.md",
        "f.txt",
        "g.txt",
        "backup/1",
    ):
        assert name in text


async def test_update_keeps_every_learner_line_and_leaves_no_conflict(api, jp_root_dir, tmp_path):
    bare = bare_remote(
        tmp_path,
        "tutorial",
        {
            "lesson.ipynb": notebook(*CELLS),
            "README.md": "# Tutorial\nRun the cells in order.\n",
            "notes.md": "Notes v1\n",
            "old.txt": "old\n",
            "data.bin": b"\x00\x01binary v1",
        },
    )
    top = clone_of(bare, jp_root_dir / "tutorial")
    original = worktree_texts(top)
    # the learner: edits cell 0, a README line, creates extra.py, deletes two files
    mine = list(CELLS)
    mine[0] = "import xarray as xr\nds = xr.open_dataset('my-sst.nc')  # my data\n"
    (top / "lesson.ipynb").write_text(notebook(*mine))
    (top / "README.md").write_text("# Tutorial\nMy own notes on running this.\n")
    (top / "extra.py").write_text("mine = 1\nprint(mine)\n")
    (top / "notes.md").unlink()
    (top / "old.txt").unlink()
    (top / "data.bin").write_bytes(b"\x00\x02binary mine")
    before = worktree_texts(top)
    # the instructors: another cell, the same README line, extra.py, notes.md, a lesson
    theirs = list(CELLS)
    theirs[3] = "print('the end, updated')\n"
    publish(
        tmp_path,
        bare,
        {
            "lesson.ipynb": notebook(*theirs),
            "README.md": "# Tutorial\nRun the cells in order, then lesson 2.\n",
            "extra.py": "theirs = 2\n",
            "notes.md": "Notes v2\n",
            "lesson2.ipynb": notebook("print(2)\n"),
            "data.bin": b"\x00\x03binary v2",
        },
        "Lesson 2",
    )

    job = await run_job(api, "update", {"path": "tutorial"})
    assert job["status"] == "succeeded", job["error"]
    assert job["kind"] == "git-update"
    result = job["result"]

    # the notebook has both edits and is a notebook
    cells = sources(top / "lesson.ipynb")
    assert cells[0] == mine[0] and cells[3] == theirs[3]
    # the learner's extra.py is kept under a new name, the tutorial's is there
    assert (top / "extra (yours).py").read_text() == "mine = 1\nprint(mine)\n"
    assert (top / "extra.py").read_text() == "theirs = 2\n"
    # a deleted file the tutorial changed comes back; one it did not stays deleted
    assert (top / "notes.md").read_text() == "Notes v2\n"
    assert not (top / "old.txt").exists()
    # both changed the same line: the learner's wins, the tutorial's is beside it
    assert (top / "README.md").read_text() == "# Tutorial\nMy own notes on running this.\n"
    assert "then lesson 2" in (top / "README (tutorial update).md").read_text()
    assert (top / "data.bin").read_bytes() == b"\x00\x02binary mine"
    assert (top / "data (tutorial update).bin").read_bytes() == b"\x00\x03binary v2"
    assert (top / "data (tutorial update).bin").stat().st_mode & 0o777 == (
        (top / "data.bin").stat().st_mode & 0o777
    )
    assert (top / "lesson2.ipynb").exists()

    # no line of the learner's is lost (each line they wrote is in a file still)
    after = worktree_texts(top)
    everything = "\n".join(after.values())
    for name, text in before.items():
        theirs_before = set(original.get(name, "").splitlines())
        written = [line for line in text.splitlines() if line not in theirs_before]
        for line in written:
            assert line in everything, (name, line)
        if name in after and name != "extra.py":
            assert set(written) <= set(after[name].splitlines()), name
    # no conflict left: no markers, no unmerged entry, no merge in progress
    assert not any("<<<<<<<" in t or ">>>>>>>" in t for t in after.values())
    assert git(top, "ls-files", "-u") == ""
    assert not (top / ".git" / "MERGE_HEAD").exists()
    untracked = git(top, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert sorted(untracked) == sorted(
        [
            '?? "README (tutorial update).md"',
            '?? "data (tutorial update).bin"',
            '?? "extra (yours).py"',
        ]
    )

    assert set(result["added"]) == {"extra.py", "lesson2.ipynb"}
    assert set(result["kept"]) >= {"lesson.ipynb", "README.md", "data.bin"}
    assert result["renamed"] == [{"file": "extra.py", "to": "extra (yours).py"}]
    assert result["restored"] == ["notes.md"]
    assert result["still_deleted"] == ["old.txt"]
    assert {b["to"] for b in result["beside"]} == {
        "README (tutorial update).md",
        "data (tutorial update).bin",
    }
    for name in ("lesson.ipynb", "extra (yours).py", "notes.md", "old.txt", "lesson2.ipynb"):
        assert name in result["summary"], name
    # the learner's state before the merge is on the backup branch
    backup = result["backup_branch"]
    assert backup and backup.startswith("backup/")
    assert "my-sst.nc" in git(top, "show", f"{backup}:lesson.ipynb")
    assert git(top, "log", "-1", "--format=%s", f"{backup}").strip() == (
        "Your changes before the tutorial update"
    )
    # a second update has nothing to do
    job = await run_job(api, "update", {"path": "tutorial"})
    assert job["result"]["up_to_date"] is True
    assert "nothing was changed" in job["result"]["summary"]


async def test_upstream_deleting_a_file_the_learner_changed_keeps_it(api, jp_root_dir, tmp_path):
    bare = bare_remote(tmp_path, "t", {"a.txt": "a\n", "b.txt": "b\n"})
    top = clone_of(bare, jp_root_dir / "t")
    (top / "a.txt").write_text("a, mine\n")
    publish(tmp_path, bare, {"a.txt": None, "b.txt": None, "c.txt": "c\n"}, "reorganise")
    job = await run_job(api, "update", {"path": "t"})
    assert job["status"] == "succeeded", job["error"]
    assert (top / "a.txt").read_text() == "a, mine\n"
    assert not (top / "b.txt").exists()
    assert job["result"]["kept"] == ["a.txt"]
    assert job["result"]["removed"] == ["b.txt"]
    assert job["result"]["added"] == ["c.txt"]
    assert git(top, "ls-files", "-u") == ""


async def test_update_refuses_what_it_cannot_do_safely(api, jp_root_dir, tmp_path):
    bare = bare_remote(tmp_path, "t", {"a.txt": "a\n"})
    top = clone_of(bare, jp_root_dir / "t")
    lock = top / ".git" / "index.lock"
    lock.write_text("")
    status, body = await api("git/update", method="POST", body={"path": "t"})
    assert (status, body["error"]["code"]) == (409, "index_locked")
    # a lock older than 10 minutes is a leftover: removed, and the update goes on
    old = time.time() - 3600
    os.utime(lock, (old, old))
    publish(tmp_path, bare, {"b.txt": "b\n"}, "b")
    job = await run_job(api, "update", {"path": "t"})
    assert job["status"] == "succeeded", job["error"]
    assert not lock.exists()
    assert job["result"]["added"] == ["b.txt"]
    assert job["result"]["backup_branch"] is not None
    # no upstream, detached HEAD
    git(top, "switch", "-q", "-c", "solo")
    status, body = await api("git/update", method="POST", body={"path": "t"})
    assert (status, body["error"]["code"]) == (409, "no_upstream")
    git(top, "switch", "-q", "--detach")
    status, body = await api("git/update", method="POST", body={"path": "t"})
    assert (status, body["error"]["code"]) == (409, "detached_head")


async def test_a_learner_without_identity_still_gets_the_update(
    api,
    jp_root_dir,
    tmp_path,
    git_home,  # noqa: F811
):
    bare = bare_remote(tmp_path, "t", {"a.txt": "a\n"})
    top = clone_of(bare, jp_root_dir / "t")
    (git_home / ".gitconfig").write_text("")
    (top / "a.txt").write_text("a, mine\n")
    publish(tmp_path, bare, {"b.txt": "b\n"}, "b")
    job = await run_job(api, "update", {"path": "t"})
    assert job["status"] == "succeeded", job["error"]
    assert (top / "a.txt").read_text() == "a, mine\n"
    assert (top / "b.txt").read_text() == "b\n"


async def test_a_merged_notebook_that_does_not_parse_is_the_learners(tmp_path):
    """``-X ours`` merges lines; should the lines of two edits make broken JSON, the
    learner's notebook is taken as it was (and the tutorial's goes beside it)."""
    top = make_repo(tmp_path / "r", {"nb.ipynb": notebook("x = 1\n")})
    head = git(top, "rev-parse", "HEAD").strip()
    (top / "nb.ipynb").write_text('{"cells": [ {,, broken')
    service = SimpleNamespace(
        git=Git(CloudscapesGit(), tmp_path, logging.getLogger("test")), config=None
    )
    repo = Repo(top=top, git_dir=top / ".git", rel="r")
    await _Update(service, repo, "main", "origin", "refs/remotes/origin/main")._valid_notebook(
        "nb.ipynb", head
    )
    assert sources(top / "nb.ipynb") == ["x = 1\n"]
    assert git(top, "status", "--porcelain") == ""


async def test_unresolved_files_without_a_merge_are_refused_not_committed(
    api, jp_root_dir, tmp_path
):
    """A stash pop that stopped leaves conflicted files but no MERGE_HEAD: the update
    must not commit the conflict markers as "your changes"."""
    bare = bare_remote(tmp_path, "t", {"a.txt": "a\n"})
    top = clone_of(bare, jp_root_dir / "t")
    (top / "a.txt").write_text("stashed\n")
    git(top, "stash", "-q")
    (top / "a.txt").write_text("committed\n")
    git(top, "commit", "-qam", "mine")
    git(top, "stash", "pop", check=False)
    assert git(top, "ls-files", "-u") != ""
    publish(tmp_path, bare, {"b.txt": "b\n"}, "b")
    head = git(top, "rev-parse", "HEAD")
    status, body = await api("git/update", method="POST", body={"path": "t"})
    assert (status, body["error"]["code"]) == (409, "merge_conflict")
    assert "resolved" in body["error"]["hint"]
    assert git(top, "rev-parse", "HEAD") == head
    assert not (top / "b.txt").exists()


async def test_a_merge_that_cannot_be_finished_is_undone(api, jp_root_dir, tmp_path, monkeypatch):
    bare = bare_remote(tmp_path, "t", {"a.txt": "one\n"})
    top = clone_of(bare, jp_root_dir / "t")
    (top / "a.txt").write_text("mine\n")
    publish(tmp_path, bare, {"a.txt": "theirs\n"}, "theirs")

    async def broken(self, *args):
        raise OSError("disk full")

    monkeypatch.setattr(_Update, "_keep_theirs_beside", broken)
    job = await run_job(api, "update", {"path": "t"})
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] == "update_failed"
    assert not (top / ".git" / "MERGE_HEAD").exists()
    assert git(top, "ls-files", "-u") == ""
    assert (top / "a.txt").read_text() == "mine\n"


async def test_a_rewritten_tutorial_history_keeps_the_learners_commits(api, jp_root_dir, tmp_path):
    """The instructors force-push a new history over the one the learner cloned and
    committed on: the learner's commits stay, the summary says what happened, and a
    second update has nothing to do."""
    bare = bare_remote(tmp_path, "t", {"a.txt": "a\n", "b.txt": "b\n"})
    top = clone_of(bare, jp_root_dir / "t")
    (top / "a.txt").write_text("a, mine\n")
    git(top, "commit", "-qam", "my commit")
    mine = git(top, "rev-parse", "HEAD").strip()
    (top / "b.txt").write_text("b, mine, not committed\n")
    work = tmp_path / "rewrite"
    git(tmp_path, "clone", "-q", str(bare), str(work))
    git(work, "checkout", "-q", "--orphan", "fresh")
    (work / "a.txt").write_text("a, rewritten\n")
    (work / "c.txt").write_text("c\n")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "a new history")
    git(work, "push", "-q", "--force", "origin", "fresh:main")

    job = await run_job(api, "update", {"path": "t"})
    assert job["status"] == "succeeded", job["error"]
    result = job["result"]
    assert "replaced the tutorial's history" in result["summary"]
    assert mine in git(top, "rev-list", "HEAD").split()
    assert (top / "a.txt").read_text() == "a, mine\n"
    assert (top / "b.txt").read_text() == "b, mine, not committed\n"
    assert (top / "a (tutorial update).txt").read_text() == "a, rewritten\n"
    assert (top / "c.txt").read_text() == "c\n"
    assert git(top, "ls-files", "-u") == "" and not (top / ".git" / "MERGE_HEAD").exists()
    job = await run_job(api, "update", {"path": "t"})
    assert job["result"]["up_to_date"] is True
