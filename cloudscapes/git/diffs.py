"""The diff of one file between two refs (:func:`diff`) and one file's content at a
ref (:func:`content`), for the diff views of the main area.

What the learner sees depends on the file, so the answer says which ``kind`` it is:

- ``image`` (by extension): both versions, base64, up to :data:`IMAGE_MAX` each; the
  view shows them side by side;
- ``notebook`` (``.ipynb`` that both sides parse as a notebook): cells matched and
  compared by :mod:`.notebooks`; a broken notebook falls back to ``text``;
- ``binary`` (a NUL byte in the first 8000 bytes, as git decides, or git's
  "Binary files differ"): sizes only;
- ``too_large`` (a side above :data:`TEXT_MAX`, :data:`NOTEBOOK_MAX` for notebooks):
  sizes only, nothing read past the size check;
- ``text``: git's own hunks (``git diff --no-ext-diff --no-textconv -U3``), read by
  :func:`~cloudscapes.git.hunks.parse_hunks`. They are the hunks ``git diff`` prints, in
  its order, so the index of a hunk here is the index hunk staging uses. A file git
  does not track yet (untracked) has no git diff; its hunks are computed here.

Reading a file (tens of MB), the cell diff and difflib's hunks run in a worker
thread: seconds of CPU on the event loop would stall every other request of the
server.

The refs: ``HEAD``, ``INDEX``, ``WORKTREE`` or a revision. The default is ``INDEX`` →
``WORKTREE`` (the unstaged changes); a staged file is ``HEAD`` → ``INDEX``.
"""

from __future__ import annotations

import asyncio
import base64
import mimetypes
import posixpath
from typing import TYPE_CHECKING, Any

from ..contract import printable
from . import safety
from .blobs import Blob, check_ref, describe, read
from .hunks import parse_hunks, unified_hunks
from .notebooks import NotANotebook, notebook_diff
from .runner import GitError

if TYPE_CHECKING:
    from .runner import Repo
    from .service import GitService

__all__ = ["IMAGE_MAX", "TEXT_MAX", "content", "diff", "parse_hunks"]

#: Largest text side shown as a diff (bytes).
TEXT_MAX = 2 * 1024 * 1024
#: Largest notebook side read for the cell diff (outputs make notebooks big; only
#: sources are sent).
NOTEBOOK_MAX = 20 * 1024 * 1024
#: Largest image side sent, and largest file the content route sends.
IMAGE_MAX = 10 * 1024 * 1024

#: Image types a browser shows in an ``<img>`` (an SVG there runs no script).
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".bmp": "image/bmp",
    ".ico": "image/x-icon",
    ".avif": "image/avif",
}

#: git's own rule: a NUL in the first 8000 bytes makes a file binary.
BINARY_PROBE = 8000

#: The empty tree's object id (diffs from an unborn HEAD start there).
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

#: Where a missing file is not, in the content route's 404.
WHERE = {"WORKTREE": "on disk", "INDEX": "in the staged files", "HEAD": "in the last commit"}

#: The options of ``changes.HUNK_DIFF`` (H1), whose hunk positions ``POST hunks``
#: counts: the same options here keep the positions the panel sends in agreement.
DIFF_OPTIONS = [
    "-U3",
    "--no-ext-diff",
    "--no-textconv",
    "--no-color",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--ignore-submodules=none",
]


def extension(path: str) -> str:
    return posixpath.splitext(path)[1].lower()


def mime_of(path: str, data: bytes | None = None) -> str:
    """The MIME type the browser gets for ``path``."""
    ext = extension(path)
    if ext in IMAGE_TYPES:
        return IMAGE_TYPES[ext]
    if ext == ".ipynb":
        return "application/x-ipynb+json"
    guessed, _ = mimetypes.guess_type(path, strict=False)
    if guessed:
        return guessed
    return "application/octet-stream" if data is not None and is_binary(data) else "text/plain"


def is_binary(data: bytes) -> bool:
    return b"\0" in data[:BINARY_PROBE]


def decode(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", errors="replace")


def size_of(blob: Blob) -> int | None:
    return blob.size if blob.exists else None


def image_model(blob: Blob, data: bytes | None) -> dict[str, str] | None:
    if data is None:
        return None
    return {"mime": mime_of(blob.path), "data": base64.b64encode(data).decode("ascii")}


async def diff(
    service: GitService,
    repo: Repo,
    file: Any,
    from_ref: Any = "INDEX",
    to_ref: Any = "WORKTREE",
    orig_file: Any = None,
) -> dict[str, Any]:
    """``file``'s diff from ``from_ref`` to ``to_ref`` (``orig_file``: its name on the
    ``from`` side, for a renamed file)."""
    file = safety.repo_file(repo, file)
    orig = safety.repo_file(repo, orig_file) if orig_file not in (None, "") else None
    from_ref, to_ref = check_ref(from_ref, "'from' revision"), check_ref(to_ref, "'to' revision")
    old, new = await describe(service, repo, [(from_ref, orig or file), (to_ref, file)])
    if not old.exists and not new.exists:
        raise GitError(
            404,
            "not_found",
            f"'{printable(file, 200)}' is in neither version.",
            "Refresh the panel: the file may have been renamed or deleted.",
        )
    model: dict[str, Any] = {
        "file": file,
        "orig_file": orig,
        "from": from_ref,
        "to": to_ref,
        "kind": "text",
        "hunks": [],
        "notebook": None,
        "image": None,
        "old_size": size_of(old),
        "new_size": size_of(new),
    }
    sizes = [b.size or 0 for b in (old, new) if b.exists]
    ext = extension(file)
    if ext in IMAGE_TYPES:
        if any(size > IMAGE_MAX for size in sizes):
            return {**model, "kind": "too_large"}
        old_data, new_data = await read(service, repo, old), await read(service, repo, new)
        model["kind"] = "image"
        model["image"] = {"old": image_model(old, old_data), "new": image_model(new, new_data)}
        return model
    limit = NOTEBOOK_MAX if ext == ".ipynb" else TEXT_MAX
    if any(size > limit for size in sizes):
        return {**model, "kind": "too_large"}
    if old.oid is not None and old.oid == new.oid:  # the same blob: nothing changed
        return model
    datas: tuple[bytes | None, bytes | None] | None = None
    if ext == ".ipynb":
        datas = (await read(service, repo, old), await read(service, repo, new))
        if any(data is not None and is_binary(data) for data in datas):
            return {**model, "kind": "binary"}
        try:
            # seconds of CPU for a big notebook: off the event loop (the server's
            # every other request waits behind it)
            model["notebook"] = await asyncio.to_thread(_notebook_diff, datas)
            model["kind"] = "notebook"
            return model
        except NotANotebook:
            if any(size > TEXT_MAX for size in sizes):
                return {**model, "kind": "too_large"}
    # text: git's own diff (it says "Binary files ... differ" for a binary file)
    hunks = await git_hunks(service, repo, old, new, orig, datas)
    if hunks == "binary":
        return {**model, "kind": "binary"}
    model["hunks"] = hunks
    return model


def _notebook_diff(datas: tuple[bytes | None, bytes | None]) -> dict[str, Any]:
    return notebook_diff(decode(datas[0]), decode(datas[1]))


def _text_hunks(datas: tuple[bytes | None, bytes | None]) -> list[dict[str, Any]]:
    return unified_hunks(decode(datas[0]) or "", decode(datas[1]) or "")


#: Where a ref stands: git diffs from a revision towards the index and the work tree.
RANK = {"INDEX": 1, "WORKTREE": 2}


async def git_hunks(
    service: GitService,
    repo: Repo,
    old: Blob,
    new: Blob,
    orig: str | None,
    datas: tuple[bytes | None, bytes | None] | None = None,
) -> list[dict[str, Any]] | str:
    """git's hunks from ``old`` to ``new``, or ``"binary"`` when git calls the file
    binary (a NUL byte, or ``.gitattributes``). Where git has no diff to give (the
    work tree's file is untracked, so ``git diff`` leaves it out) the hunks are
    computed here from the two versions' bytes (``datas``, read when not given)."""
    args = ["diff", *DIFF_OPTIONS]  # changes.HUNK_DIFF once both are merged
    a, b = old, new
    if RANK.get(a.ref, 0) > RANK.get(b.ref, 0):  # e.g. WORKTREE -> INDEX
        a, b = b, a
        args.append("-R")
    revs = [EMPTY_TREE if side.unborn else side.ref for side in (a, b) if side.ref not in RANK]
    if b.ref == "INDEX":
        args.append("--cached")
    if orig is not None:
        args.append("--find-renames")
    paths = [orig, new.path] if orig is not None else [new.path]
    result = await service.git.ok(
        [*args, "--end-of-options", *revs, "--", *paths],
        repo=repo,
        read_only=True,
        doing="diff",
        capture_bytes=4 * TEXT_MAX + 65536,
    )
    hunks = await asyncio.to_thread(parse_hunks, result.stdout)
    if hunks:
        return hunks
    if "\nBinary files " in "\n" + result.stdout:
        return "binary"
    # git compares a work tree file only when it is tracked: an untracked one is
    # compared here. (A tracked one git calls unchanged is: its bytes differ only by
    # what git normalizes, line ends or a clean filter.)
    worktree = [side.path for side in (old, new) if side.ref == "WORKTREE"]
    if not worktree or await in_index(service, repo, worktree[0]):
        return []
    if datas is None:
        datas = (await read(service, repo, old), await read(service, repo, new))
    if any(data is not None and is_binary(data) for data in datas):
        return "binary"
    return await asyncio.to_thread(_text_hunks, datas)


async def in_index(service: GitService, repo: Repo, path: str) -> bool:
    result = await service.git.run(
        ["ls-files", "--cached", "-z", "--", path], repo=repo, read_only=True, doing="ls-files"
    )
    return bool(result.ok and result.stdout.strip("\0"))


async def content(service: GitService, repo: Repo, file: Any, ref: Any = "HEAD") -> dict[str, Any]:
    """``file`` at ``ref``: ``text`` when it is UTF-8 text, else ``base64``; neither
    (``too_large``) past :data:`IMAGE_MAX`. 404 ``not_found`` when the file is not
    there."""
    file = safety.repo_file(repo, file)
    ref = check_ref(ref, "'ref' revision")
    (blob,) = await describe(service, repo, [(ref, file)])
    if not blob.exists:
        where = WHERE.get(ref, f"in {printable(ref, 100)}")
        raise GitError(
            404,
            "not_found",
            f"'{printable(file, 200)}' is not {where}.",
            "Pick another version of the file.",
        )
    model: dict[str, Any] = {
        "file": file,
        "ref": ref,
        "text": None,
        "base64": None,
        "mime": mime_of(file),
        "size": blob.size or 0,
        "too_large": (blob.size or 0) > IMAGE_MAX,
    }
    if model["too_large"]:
        return model
    data = await read(service, repo, blob) or b""
    model["mime"] = mime_of(file, data)
    text = None if is_binary(data) else _utf8(data)
    if text is not None:
        model["text"] = text
    else:
        model["base64"] = base64.b64encode(data).decode("ascii")
    return model


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
