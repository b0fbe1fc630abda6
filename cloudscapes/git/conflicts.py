"""One conflicted file, explained (:func:`conflict`), and resolved (:func:`resolve`).

During a merge (or a stash apply, a pull) git keeps up to three versions of a
conflicted file in the index: stage 1 the common ancestor (*base*), 2 *ours* (the
branch you are on), 3 *theirs* (what is merged in). ``git ls-files -u`` lists which
exist (a file deleted on one side lacks that stage); each is read as a blob
(:mod:`.blobs`). The work tree's file holds git's merge with conflict markers; their
labels (``<<<<<<< HEAD``, ``>>>>>>> feature``) name the two sides.

The explanation is in plain words, for a learner who has never seen a conflict: what
each side did and what to do next.

Resolving writes the chosen text atomically (:func:`cloudscapes.userfiles.atomic_write`,
the file's mode kept) or takes a side (``git checkout --ours|--theirs -- file``; a side
that deleted the file deletes it, ``git rm``), then stages the file (``git add``): that
is what "mark as resolved" means to git.
"""

from __future__ import annotations

import os
import re
import stat
from typing import TYPE_CHECKING, Any

from ..contract import printable
from ..handlers import bad_request
from ..userfiles import atomic_write
from . import safety
from .blobs import Blob, read
from .diffs import is_binary
from .runner import GitError

if TYPE_CHECKING:
    from .runner import Repo
    from .service import GitService

#: Largest side read into the conflict view (bytes); past it the view offers sides only.
MAX_SIDE = 2 * 1024 * 1024

_OURS = re.compile(r"^<{7} (.*)$", re.M)
_THEIRS = re.compile(r"^>{7} (.*)$", re.M)


def parse_stages(text: str) -> dict[int, tuple[str, str]]:
    """``{stage: (mode, oid)}`` of ``git ls-files -u -z`` output for one file."""
    stages: dict[int, tuple[str, str]] = {}
    for record in text.split("\0"):
        info, _, _name = record.partition("\t")
        parts = info.split()
        if len(parts) == 3 and parts[2] in ("1", "2", "3"):
            stages[int(parts[2])] = (parts[0], parts[1])
    return stages


def labels(merged: str | None, git_dir_has_merge: bool) -> tuple[str, str]:
    """The names of the two sides: from the markers when there are some."""
    ours = theirs = None
    if merged:
        first = _OURS.search(merged)
        last = _THEIRS.search(merged)
        ours = first.group(1).strip() if first else None
        theirs = last.group(1).strip() if last else None
    return (
        printable(ours or "HEAD (your branch)", 200),
        printable(theirs or ("the merged branch" if git_dir_has_merge else "theirs"), 200),
    )


def explain(file: str, present: set[int], binary: bool, ours: str, theirs: str) -> str:
    """What happened to ``file``, in plain words."""
    name = f"'{file}'"
    if {2, 3} <= present:
        what = (
            f"Both sides changed {name} in the same places, so git cannot combine them on its own."
            if 1 in present
            else f"Both sides added a file named {name}, with different content."
        )
        if binary:
            return (
                f"{what} It is not a text file (or too large to show), so pick one "
                f"whole version: yours ({ours}) or theirs ({theirs})."
            )
        return (
            f"{what} The file now holds both versions between markers: the lines after "
            f"'<<<<<<< {ours}' are yours, the lines after '=======' up to "
            f"'>>>>>>> {theirs}' are theirs. Keep one version, or edit the text to "
            "combine them (and remove the markers), then mark the file as resolved."
        )
    if 2 in present and 3 not in present:
        return (
            f"You changed {name}, but {theirs} deleted it. Keep your version (take "
            "yours), or delete it (take theirs), then it is resolved."
        )
    if 3 in present and 2 not in present:
        return (
            f"{theirs} changed {name}, but you deleted it. Keep their version (take "
            "theirs), or keep it deleted (take yours), then it is resolved."
        )
    return f"Both sides deleted or renamed {name} in different ways. Pick the version to keep."


async def stages(service: GitService, repo: Repo, file: str) -> dict[int, tuple[str, str]]:
    result = await service.git.ok(
        ["ls-files", "--unmerged", "-z", "--", file],
        repo=repo,
        read_only=True,
        doing="ls-files",
    )
    return parse_stages(result.stdout)


async def blob_sizes(service: GitService, repo: Repo, oids: list[str]) -> dict[str, int]:
    """``{oid: size}`` of blobs, in one process."""
    result = await service.git.ok(
        ["cat-file", "--batch-check=%(objectname) %(objectsize)"],
        repo=repo,
        read_only=True,
        input="".join(f"{oid}\n" for oid in oids),
        doing="cat-file",
    )
    sizes = {}
    for line in result.stdout.splitlines():
        oid, _, size = line.partition(" ")
        if size.isdigit():
            sizes[oid] = int(size)
    return sizes


def not_conflicted(file: str) -> GitError:
    return GitError(
        409,
        "not_conflicted",
        f"'{printable(file, 200)}' has no conflict (any more).",
        "Refresh the panel: conflicted files are listed in their own group.",
    )


async def conflict(service: GitService, repo: Repo, file: Any) -> dict[str, Any]:
    """``{file, binary, base, ours, theirs, merged, ours_label, theirs_label,
    explanation}``: each version's text (``None`` when that side has no version, or
    the file is binary)."""
    file = safety.repo_file(repo, file)
    found = await stages(service, repo, file)
    if not found:
        raise not_conflicted(file)
    sizes = await blob_sizes(service, repo, [oid for mode, oid in found.values()])
    data: dict[int, bytes | None] = {}
    too_large = False
    for number in (1, 2, 3):
        data[number] = None
        if number not in found:
            continue
        mode, oid = found[number]
        if mode == "160000":  # a submodule: a commit, no text
            data[number] = oid.encode()
        elif sizes.get(oid, 0) > MAX_SIDE:
            too_large = True
        else:
            data[number] = await read(service, repo, Blob(f":{number}", file, True, oid=oid))
    disk = repo.top / file
    merged_bytes: bytes | None = None
    if disk.is_file() and not disk.is_symlink():
        if disk.stat().st_size > MAX_SIDE:
            too_large = True
        else:
            merged_bytes = disk.read_bytes()
    sides = [d for d in (*data.values(), merged_bytes) if d is not None]
    binary = too_large or any(is_binary(d) for d in sides)

    def text(value: bytes | None) -> str | None:
        return None if value is None or binary else value.decode("utf-8", errors="replace")

    merged = text(merged_bytes)
    ours_label, theirs_label = labels(merged, (repo.git_dir / "MERGE_HEAD").exists())
    return {
        "file": file,
        "binary": binary,
        "base": text(data[1]),
        "ours": text(data[2]),
        "theirs": text(data[3]),
        "merged": merged,
        "ours_label": ours_label,
        "theirs_label": theirs_label,
        "explanation": explain(file, set(found), binary, ours_label, theirs_label),
    }


async def resolve(
    service: GitService, repo: Repo, file: Any, content: Any = None, take: Any = None
) -> dict[str, Any]:
    """Resolve ``file`` with ``content`` (the text to keep) or by taking a side
    (``take``: ``ours``/``theirs``), then stage it: ``{counts, remaining}``."""
    from . import status

    file = safety.repo_file(repo, file)
    if (content is None) == (take is None):
        raise bad_request(
            "Send either 'content' (the resolved text) or 'take' (ours or theirs).",
            "Pick a version, or edit the merged text, then mark the file as resolved.",
            code="invalid_request",
        )
    found = await stages(service, repo, file)
    if not found:
        raise not_conflicted(file)
    async with service.git.lock(repo):
        if content is not None:
            disk = repo.top / file
            if disk.is_symlink() or disk.is_dir():
                raise bad_request(
                    f"'{printable(file, 200)}' is not a regular file.",
                    "Take one side instead.",
                    code="invalid_request",
                )
            try:
                mode = stat.S_IMODE(os.stat(disk).st_mode)
            except OSError:  # gone, or a folder on the way is now a file
                mode = 0o755 if found.get(2, ("",))[0] == "100755" else 0o644
            try:
                atomic_write(disk, content, mode=mode)
            except OSError as exc:
                raise GitError(
                    409,
                    "cannot_write",
                    f"'{printable(file, 200)}' could not be written "
                    f"({printable(exc.strerror or exc, 100)}).",
                    "A folder on its way may have been replaced by a file, or the disk is "
                    "full or read-only. Fix that, or take one side instead.",
                ) from None
            await service.git.ok(["add", "--", file], repo=repo, lock=False, doing="add")
        else:
            stage = 2 if take == "ours" else 3
            if stage in found:
                await service.git.ok(
                    ["checkout", f"--{take}", "--", file], repo=repo, lock=False, doing="checkout"
                )
                await service.git.ok(["add", "--", file], repo=repo, lock=False, doing="add")
            else:  # that side deleted the file
                await service.git.ok(
                    ["rm", "--quiet", "--force", "--", file], repo=repo, lock=False, doing="rm"
                )
    parsed = await status.read(service, repo)
    untracked, _ = status.collapse(parsed.group("untracked"), service.config.untracked_cap)
    return {
        "counts": status.counts(parsed, len(untracked)),
        "remaining": sorted(e.file for e in parsed.group("conflicted")),
    }
