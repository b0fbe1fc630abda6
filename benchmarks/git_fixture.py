#!/usr/bin/env python3
"""The git benchmark's repositories, seeded: the same bytes, commits and ids every run.

``big``: 20,000 text files of about 2 KB in 200 folders, 50 notebooks (49 small, one of
about 5 MB whose outputs are PNG images) and 2,000 commits (a side branch merged back
every 100 commits, a tag every 250) on ``main``. ``small``: 200 files, 50 commits, the
"other repository" of the head-of-line measurement.

History is written by ``git fast-import`` from one stream (a few seconds for the whole
repository; ``git commit`` 2,000 times would take minutes), then the work tree is checked
out and the index refreshed once its timestamps are in the past, so no entry is "racily
clean" (git would re-read those files on every status and the figures would measure
that instead of status).

The states the benchmark measures are made by :func:`modify` (changes tracked files, the
big notebook among them: one cell's source and two of its images) and :func:`add_untracked`
(new files inside tracked folders, so ``-unormal`` lists each of them as ``-uall`` does).
Everything is derived from ``random.Random(seed)``; no clock, no environment.

Usage: python benchmarks/git_fixture.py DIR   (creates DIR/big and DIR/small)
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

SEED = 13
FOLDERS = 200
FILES_PER_FOLDER = 100
COMMITS = 2_000
NOTEBOOKS = 50
BIG_NOTEBOOK = "notebooks/imagery.ipynb"
#: PNG outputs of the big notebook and their raw size (base64 makes ~5.3 MB of JSON).
BIG_IMAGES = 20
BIG_IMAGE_BYTES = 190_000
EPOCH = 1_700_000_000  # commit dates: fixed, one hour apart
AUTHORS = [("Ada Lovelace", "ada@example.org"), ("Grace Hopper", "grace@example.org")]
#: 1x1 PNG header so the outputs look like PNG to a reader; the rest is seeded noise.
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

#: the git on PATH, as the server runs it
GIT = shutil.which("git") or "git"

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "LC_ALL": "C",
    "GIT_TERMINAL_PROMPT": "0",
}


@dataclass
class Fixture:
    root: Path
    big: Path
    small: Path
    #: tracked text files of ``big`` (repo-relative), in a fixed order
    files: list[str]
    seconds: float


def git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        [GIT, "-C", str(repo), *args], input=input, capture_output=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {args[0]} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return done.stdout


# ---- content ------------------------------------------------------------------------


class Words:
    """Seeded lines of text: a file is ~30 of them (about 2 KB)."""

    def __init__(self, rng: random.Random) -> None:
        vocabulary = [rng.randbytes(4).hex() for _ in range(2000)]
        self.lines = [" ".join(rng.choices(vocabulary, k=8)) + "\n" for _ in range(8192)]
        self.rng = rng

    def text(self, lines: int = 30) -> bytes:
        return "".join(self.rng.choices(self.lines, k=lines)).encode()

    def edit(self, data: bytes) -> bytes:
        """``data`` with one line replaced and one appended (a small, real change)."""
        lines = data.decode().splitlines(keepends=True)
        lines[self.rng.randrange(len(lines))] = self.rng.choice(self.lines)
        lines.append(self.rng.choice(self.lines))
        return "".join(lines).encode()


def notebook(cells: list[dict]) -> bytes:
    document = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()


def code_cell(cell_id: str, source: str, outputs: list[dict], count: int) -> dict:
    return {
        "cell_type": "code",
        "execution_count": count,
        "id": cell_id,
        "metadata": {},
        "outputs": outputs,
        "source": source,
    }


def small_notebook(words: Words, index: int) -> bytes:
    cells: list[dict] = [
        {
            "cell_type": "markdown",
            "id": f"md-{index}",
            "metadata": {},
            "source": f"# Notebook {index}\n\n" + words.text(3).decode(),
        }
    ]
    for n in range(6):
        text = words.text(4).decode()
        output = {"name": "stdout", "output_type": "stream", "text": text}
        cells.append(code_cell(f"c{index}-{n}", f"print({n})\n", [output], n + 1))
    return notebook(cells)


def image_output(rng: random.Random) -> dict:
    raw = PNG_MAGIC + rng.randbytes(BIG_IMAGE_BYTES)
    return {
        "data": {"image/png": base64.b64encode(raw).decode(), "text/plain": "<Figure>"},
        "metadata": {},
        "output_type": "display_data",
    }


def big_notebook(images: list[dict], sources: list[str]) -> bytes:
    cells = [code_cell(f"img-{n}", sources[n], [images[n]], n + 1) for n in range(len(images))]
    return notebook(cells)


# ---- the fast-import stream ---------------------------------------------------------


def data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


class Stream:
    """Writes commits to ``git fast-import``'s stdin."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.mark = 0
        self.clock = EPOCH

    def commit(
        self,
        ref: str,
        message: str,
        files: dict[str, bytes],
        parent: int | None,
        merge: int | None = None,
        author: int = 0,
    ) -> int:
        self.mark += 1
        self.clock += 3600
        name, email = AUTHORS[author % len(AUTHORS)]
        who = f"{name} <{email}> {self.clock} +0000"
        head = f"commit {ref}\nmark :{self.mark}\nauthor {who}\ncommitter {who}\n".encode()
        parts = [head, data(message.encode())]
        if parent is not None:
            parts.append(b"from :%d\n" % parent)
        if merge is not None:
            parts.append(b"merge :%d\n" % merge)
        for path, content in files.items():
            parts.append(f"M 100644 inline {path}\n".encode())  # plain ASCII names
            parts.append(data(content))
        parts.append(b"\n")
        self.out.write(b"".join(parts))
        return self.mark

    def tag(self, name: str, mark: int) -> None:
        self.out.write(f"reset refs/tags/{name}\nfrom :{mark}\n\n".encode())


def text_paths() -> list[str]:
    kinds = (".txt", ".py", ".md", ".csv")
    return [
        f"d{folder:03d}/f{n:03d}{kinds[n % len(kinds)]}"
        for folder in range(FOLDERS)
        for n in range(FILES_PER_FOLDER)
    ]


def notebook_paths() -> list[str]:
    return [f"notebooks/nb{n:02d}.ipynb" for n in range(NOTEBOOKS - 1)] + [BIG_NOTEBOOK]


def write_big(stream: Stream, rng: random.Random, words: Words, paths: list[str]) -> None:
    """The whole history of ``big``: commit 1 adds everything, then small changes."""
    contents = {path: words.text() for path in paths}
    notebooks = {p: small_notebook(words, n) for n, p in enumerate(notebook_paths()[:-1])}
    images = [image_output(rng) for _ in range(BIG_IMAGES)]
    sources = [f"plot(band={n})\n" for n in range(BIG_IMAGES)]
    first = {
        ".gitignore": b"*.pyc\n__pycache__/\n",
        "README.md": b"# Benchmark repository\n",
        **contents,
        **notebooks,
        BIG_NOTEBOOK: big_notebook(images, sources),
    }
    main = stream.commit("refs/heads/main", "Initial import", first, None)
    made = 1
    while made < COMMITS:
        if made % 100 == 99 and made + 4 <= COMMITS:
            # a side branch of 3 commits, merged back: the log's graph has lanes
            side = main
            for step in range(3):
                changed = {p: words.edit(contents[p]) for p in rng.sample(paths, 2)}
                contents.update(changed)
                side = stream.commit(
                    "refs/heads/topic", f"Topic {made} step {step}", changed, side, author=1
                )
            main = stream.commit(
                "refs/heads/main", f"Merge topic {made}", {}, main, merge=side, author=0
            )
            made += 4
            continue
        changed = {p: words.edit(contents[p]) for p in rng.sample(paths, rng.randint(1, 4))}
        if made % 400 == 0:
            nb = rng.choice(list(notebooks))
            notebooks[nb] = small_notebook(words, made)
            changed[nb] = notebooks[nb]
        if made == COMMITS // 2:  # one more version of the big notebook in history
            images[3] = image_output(rng)
            changed[BIG_NOTEBOOK] = big_notebook(images, sources)
        contents.update({p: c for p, c in changed.items() if p in contents})
        main = stream.commit(
            "refs/heads/main",
            f"Change {made}: " + ", ".join(sorted(changed)),
            changed,
            main,
            author=made,
        )
        made += 1
        if made % 250 == 0:
            stream.tag(f"v{made // 250}", main)


def fast_import(repo: Path, write: Callable[[Stream], None]) -> None:
    repo.mkdir(parents=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    env = {**os.environ, **GIT_ENV}
    process = subprocess.Popen(
        [GIT, "-C", str(repo), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdin is not None
    write(Stream(process.stdin))
    process.stdin.write(b"done\n")
    process.stdin.close()
    stderr = process.stderr.read() if process.stderr else b""
    if process.wait() != 0:
        raise RuntimeError(f"git fast-import failed: {stderr.decode(errors='replace')[-500:]}")
    git(repo, "config", "gc.auto", "0")  # no background gc in the middle of a measurement
    git(repo, "checkout", "--quiet", "--force", "main")


def settle(*repos: Path) -> None:
    """Refresh the index once every file's mtime is in the past (no racy entries)."""
    time.sleep(1.1)
    for repo in repos:
        git(repo, "update-index", "-q", "--really-refresh")


def build(root: Path, seed: int = SEED) -> Fixture:
    started = time.perf_counter()
    rng = random.Random(seed)
    words = Words(rng)
    paths = text_paths()
    big, small = root / "big", root / "small"
    fast_import(big, lambda s: write_big(s, rng, words, paths))

    def write_small(stream: Stream) -> None:
        contents = {f"src/s{n:03d}.txt": words.text() for n in range(200)}
        mark = stream.commit("refs/heads/main", "Start", contents, None)
        for n in range(49):
            changed = {p: words.edit(contents[p]) for p in rng.sample(sorted(contents), 2)}
            contents.update(changed)
            mark = stream.commit("refs/heads/main", f"Edit {n}", changed, mark)

    fast_import(small, write_small)
    settle(big, small)
    return Fixture(root, big, small, paths, time.perf_counter() - started)


# ---- the measured states ------------------------------------------------------------


def modified_paths(fixture: Fixture, count: int) -> list[str]:
    """``count`` tracked files to change: the big notebook and text files spread over
    every folder (the same ones each run)."""
    rng = random.Random(SEED + 1)
    return [BIG_NOTEBOOK, *rng.sample(fixture.files, count - 1)]


def modify(fixture: Fixture, count: int = 200) -> list[str]:
    """Change ``count`` tracked files in the work tree (not staged)."""
    rng = random.Random(SEED + 2)
    words = Words(rng)
    paths = modified_paths(fixture, count)
    for path in paths:
        target = fixture.big / path
        if path == BIG_NOTEBOOK:
            target.write_bytes(edit_big_notebook(target.read_bytes(), rng))
        else:
            target.write_bytes(words.edit(target.read_bytes()))
    settle()
    return paths


def edit_big_notebook(raw: bytes, rng: random.Random) -> bytes:
    """One cell's source edited, two images re-rendered: what re-running a cell does."""
    document = json.loads(raw)
    cells = document["cells"]
    cells[1]["source"] = "plot(band=1, cmap='viridis')\n"
    for n in (1, 7):
        cells[n]["outputs"] = [image_output(rng)]
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()


def untracked_paths(fixture: Fixture, count: int) -> Iterator[str]:
    per_folder = -(-count // FOLDERS)
    made = 0
    for n in range(per_folder):
        for folder in range(FOLDERS):
            if made == count:
                return
            yield f"d{folder:03d}/new{n:03d}.txt"
            made += 1


def add_untracked(fixture: Fixture, count: int = 5_000) -> list[str]:
    """``count`` new files spread over the tracked folders (listed one by one)."""
    words = Words(random.Random(SEED + 3))
    paths = list(untracked_paths(fixture, count))
    for path in paths:
        (fixture.big / path).write_bytes(words.text())
    settle()
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="empty or missing folder to create the repos in")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    fixture = build(args.dir, args.seed)
    head = git(fixture.big, "rev-parse", "HEAD").decode().strip()
    count = git(fixture.big, "rev-list", "--count", "HEAD").decode().strip()
    print(f"{fixture.big}: {count} commits, HEAD {head}, built in {fixture.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
