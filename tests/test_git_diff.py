"""The diff views against a real server and real repositories: unstaged, staged and
commit-to-commit text hunks (git's own, in git's order), an untracked file, a notebook
compared cell by cell (not as JSON), images sent both, binary and too-large files by
size only, a file's content at a version, and refusals (a path into .git, a revision
that looks like an option, an unknown revision)."""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import Path

import pytest

from .gitrepos import git, git_config, git_home, jp_server_config, make_repo  # noqa: F401

#: A 1x1 PNG, and a different one.
PNG_A = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PNG_B = PNG_A[:-12] + b"\0\0\0\0" + PNG_A[-8:]


def notebook(*sources: str, outputs: list | None = None) -> str:
    cells = [
        {
            "cell_type": "code",
            "id": f"cell-{n}",
            "metadata": {},
            "source": source.splitlines(keepends=True),
            "outputs": outputs if n == 0 and outputs else [],
            "execution_count": None,
        }
        for n, source in enumerate(sources)
    ]
    data = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(data, indent=1) + "\n"


@pytest.fixture
def repo(jp_root_dir: Path) -> Path:
    text = "".join(f"line {n}\n" for n in range(1, 41))
    return make_repo(
        jp_root_dir / "work",
        {
            "text.txt": text,
            "analysis.ipynb": notebook(
                "import numpy as np\n",
                "x = np.arange(10)\nprint(x)\n",
                "y = x * 2\n",
                outputs=[{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}],
            ),
            "plot.png": PNG_A,
            "data.bin": b"\0\1\2\3",
        },
    )


def texts(hunk: dict) -> list[tuple[str, str]]:
    return [(line["kind"], line["text"]) for line in hunk["lines"]]


async def test_unstaged_then_staged_text_hunks(api, repo: Path) -> None:
    text = (repo / "text.txt").read_text()
    (repo / "text.txt").write_text(text.replace("line 2\n", "line two\n").replace("line 30\n", ""))
    status, diff = await api("git/diff?path=work&file=text.txt")
    assert status == 200, diff
    assert diff["kind"] == "text" and diff["from"] == "INDEX" and diff["to"] == "WORKTREE"
    assert [h["old_start"] for h in diff["hunks"]] == [1, 27]
    assert ("del", "line 2") in texts(diff["hunks"][0])
    assert ("add", "line two") in texts(diff["hunks"][0])
    assert ("del", "line 30") in texts(diff["hunks"][1])
    assert diff["notebook"] is None and diff["image"] is None
    # the staged side is empty until staged
    status, staged = await api("git/diff?path=work&file=text.txt&from=HEAD&to=INDEX")
    assert status == 200 and staged["hunks"] == []
    git(repo, "add", "text.txt")
    status, staged = await api("git/diff?path=work&file=text.txt&from=HEAD&to=INDEX")
    assert [h["header"] for h in staged["hunks"]] == [h["header"] for h in diff["hunks"]]
    status, unstaged = await api("git/diff?path=work&file=text.txt")
    assert unstaged["hunks"] == []
    # reversed: from the work tree back to HEAD
    status, back = await api("git/diff?path=work&file=text.txt&from=WORKTREE&to=HEAD")
    assert ("add", "line 2") in texts(back["hunks"][0])


async def test_between_commits_and_a_rename(api, repo: Path) -> None:
    git(repo, "mv", "text.txt", "renamed.txt")
    renamed = repo / "renamed.txt"
    renamed.write_text(renamed.read_text() + "line 41\n")
    git(repo, "commit", "-qam", "Rename and add a line")
    status, diff = await api(
        "git/diff?path=work&file=renamed.txt&orig_file=text.txt&from=HEAD~1&to=HEAD"
    )
    assert status == 200, diff
    assert diff["orig_file"] == "text.txt"
    assert len(diff["hunks"]) == 1 and texts(diff["hunks"][0])[-1] == ("add", "line 41")
    assert diff["old_size"] < diff["new_size"]


async def test_untracked_and_new_repository(api, repo: Path, jp_root_dir: Path) -> None:
    (repo / "new.py").write_text("print('hi')\n")
    status, diff = await api("git/diff?path=work&file=new.py")
    assert status == 200 and diff["old_size"] is None
    assert texts(diff["hunks"][0]) == [("add", "print('hi')")]
    (repo / "new.dat").write_bytes(b"\0\1")
    status, diff = await api("git/diff?path=work&file=new.dat")
    assert status == 200 and diff["kind"] == "binary" and diff["new_size"] == 2
    fresh = make_repo(jp_root_dir / "fresh", {"a.txt": "a\n"}, commits=0)
    git(fresh, "add", "a.txt")
    status, diff = await api("git/diff?path=fresh&file=a.txt&from=HEAD&to=INDEX")
    assert status == 200, diff
    assert texts(diff["hunks"][0]) == [("add", "a")]


async def test_notebook_diff_is_cell_aware(api, repo: Path) -> None:
    path = repo / "analysis.ipynb"
    data = json.loads(path.read_text())
    data["cells"][1]["source"] = ["x = np.arange(20)\n", "print(x)\n"]
    path.write_text(json.dumps(data, indent=1) + "\n")
    status, diff = await api("git/diff?path=work&file=analysis.ipynb")
    assert status == 200, diff
    assert diff["kind"] == "notebook" and diff["hunks"] == []
    cells = diff["notebook"]["cells"]
    assert [c["status"] for c in cells] == ["unchanged", "modified", "unchanged"]
    (changed,) = [c for c in cells if c["status"] == "modified"]
    assert texts(changed["hunks"][0]) == [
        ("del", "x = np.arange(10)"),
        ("add", "x = np.arange(20)"),
        ("context", "print(x)"),
    ]
    assert not changed["outputs_changed"]
    # no JSON syntax reaches the view
    assert '"source"' not in json.dumps(diff)


async def test_broken_notebook_falls_back_to_text(api, repo: Path) -> None:
    (repo / "analysis.ipynb").write_text('{"cells": [ broken\n')
    status, diff = await api("git/diff?path=work&file=analysis.ipynb")
    assert status == 200 and diff["kind"] == "text" and diff["notebook"] is None
    assert ("add", '{"cells": [ broken') in texts(diff["hunks"][-1])


async def test_image_diff_sends_both_images(api, repo: Path) -> None:
    (repo / "plot.png").write_bytes(PNG_B)
    status, diff = await api("git/diff?path=work&file=plot.png")
    assert status == 200 and diff["kind"] == "image"
    assert diff["image"]["old"] == {"mime": "image/png", "data": base64.b64encode(PNG_A).decode()}
    assert base64.b64decode(diff["image"]["new"]["data"]) == PNG_B
    (repo / "plot.png").unlink()
    status, diff = await api("git/diff?path=work&file=plot.png&from=HEAD")
    assert diff["image"]["new"] is None and diff["new_size"] is None


async def test_binary_and_too_large(api, repo: Path) -> None:
    (repo / "data.bin").write_bytes(b"\0\1\2\3\4")
    status, diff = await api("git/diff?path=work&file=data.bin")
    assert status == 200 and diff["kind"] == "binary" and diff["hunks"] == []
    assert (diff["old_size"], diff["new_size"]) == (4, 5)
    (repo / "big.csv").write_text("x,y\n" * 600_000)  # 2.4 MB
    git(repo, "add", "big.csv")
    status, diff = await api("git/diff?path=work&file=big.csv&from=HEAD&to=INDEX")
    assert status == 200 and diff["kind"] == "too_large" and diff["new_size"] == 2_400_000


async def test_content_at_a_version(api, repo: Path) -> None:
    (repo / "text.txt").write_text("changed\n")
    status, body = await api("git/content?path=work&file=text.txt")
    assert status == 200 and body["text"].startswith("line 1\n") and body["ref"] == "HEAD"
    status, body = await api("git/content?path=work&file=text.txt&ref=WORKTREE")
    assert body["text"] == "changed\n" and body["size"] == 8 and body["base64"] is None
    status, body = await api("git/content?path=work&file=plot.png&ref=INDEX")
    assert body["mime"] == "image/png" and base64.b64decode(body["base64"]) == PNG_A
    assert body["text"] is None and body["too_large"] is False
    status, body = await api("git/content?path=work&file=nope.txt")
    assert status == 404 and body["error"]["code"] == "not_found"


async def test_refusals(api, repo: Path, tmp_path: Path) -> None:
    for query, code in (
        ("file=.git/config", "invalid_path"),
        ("file=sub/.GIT/hooks/pre-commit", "invalid_path"),
        ("file=../../etc/passwd", "invalid_path"),
        (f"file=text.txt&from=--output={tmp_path / 'x'}", "invalid_revision"),
        ("file=text.txt&to=HEAD:other.txt", "invalid_revision"),
    ):
        status, body = await api(f"git/diff?path=work&{query}")
        assert status == 400 and body["error"]["code"] == code, (query, body)
    assert not (tmp_path / "x").exists()
    status, body = await api("git/content?path=work&file=.git/config&ref=WORKTREE")
    assert status == 400 and body["error"]["code"] == "invalid_path"
    status, body = await api("git/diff?path=work&file=text.txt&from=nope")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = await api("git/diff?path=work")
    assert status == 400
    status, body = await api("git/diff?path=work&file=never-was.txt")
    assert status == 404 and body["error"]["code"] == "not_found"


async def test_file_names_that_look_like_options(api, repo: Path) -> None:
    """Names reach git after ``--``: a file called ``--output=x`` is a file."""
    for name in ("--output=stolen.txt", "-R", ":(glob)*", "$(touch pwned)"):
        (repo / name).write_text("before\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Odd names")
    for name in ("--output=stolen.txt", "-R", ":(glob)*", "$(touch pwned)"):
        (repo / name).write_text("before\nafter\n")
        query = urllib.parse.urlencode({"path": "work", "file": name})
        status, diff = await api(f"git/diff?{query}")
        assert status == 200 and diff["file"] == name, diff
        assert texts(diff["hunks"][0]) == [("context", "before"), ("add", "after")]
    assert not (repo / "stolen.txt").exists() and not (repo / "pwned").exists()


async def test_hunk_positions_are_the_ones_hunk_staging_uses(api, repo: Path) -> None:
    """Staging hunk 1 of the diff route's list stages exactly that change (the two
    routes run git diff with the same options)."""
    pytest.importorskip("cloudscapes.git.changes")  # H1's staging, once merged
    text = (repo / "text.txt").read_text()
    (repo / "text.txt").write_text(text.replace("line 2\n", "line two\n").replace("line 39\n", ""))
    status, diff = await api("git/diff?path=work&file=text.txt")
    assert len(diff["hunks"]) == 2 and ("del", "line 39") in texts(diff["hunks"][1])
    status, body = await api(
        "git/hunks", "POST", {"path": "work", "file": "text.txt", "hunks": [1]}
    )
    assert status == 200, body
    status, staged = await api("git/diff?path=work&file=text.txt&from=HEAD&to=INDEX")
    assert [texts(h) for h in staged["hunks"]] == [texts(diff["hunks"][1])]
    status, left = await api("git/diff?path=work&file=text.txt")
    assert [texts(h) for h in left["hunks"]] == [texts(diff["hunks"][0])]
