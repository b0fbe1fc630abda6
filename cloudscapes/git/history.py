"""The History tab: a page of the log (:func:`log`) and one commit (:func:`commit`).

One git process per page: ``git log --topo-order -z --format=<fields> --skip=N
-n limit+1``. The fields are separated by U+001F (a control character no name, e-mail
or ref can hold) and the commits by NUL (``-z``; a commit message cannot hold one
either), with the subject last so that nothing in it can shift a field. Asking for one
commit more than the page tells whether there is a next page without counting the
whole history. ``--topo-order`` keeps children above their parents, which the graph's
lanes need.

Refs come with ``--decorate=full`` so that a local branch named ``origin/x`` is not
taken for the remote branch ``x`` of ``origin``.

Every revision the client sends goes through :func:`cloudscapes.git.safety.revision`
and after ``--end-of-options``; every path after ``--``. Git's names, messages and
e-mails are returned as data; the browser renders them as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..handlers import CloudscapesError, isoformat, parse_time

if TYPE_CHECKING:
    from .runner import Repo
    from .service import GitService

#: Field separator of the formats below (U+001F, "unit separator").
US = "\x1f"

#: Fields of one commit of the log: the subject last (see the module's docstring).
LOG_FIELDS = ("%H", "%P", "%an", "%ae", "%aI", "%D", "%s")
LOG_FORMAT = US.join(LOG_FIELDS)

#: Fields of one commit's detail: the whole message last.
COMMIT_FORMAT = US.join(("%H", "%P", "%an", "%ae", "%aI", "%B"))

#: Output kept of a log page or a commit's file list (the runner's default is 1 MB).
CAPTURE = 32 * 1024 * 1024

DEFAULT_LIMIT = 25
MAX_LIMIT = 1000


def iso_date(text: str) -> str | None:
    """Git's strict ISO date (``2026-12-02T18:00:20+01:00``) as UTC with ``Z``."""
    try:
        return isoformat(parse_time(text.strip()))
    except ValueError:
        return None


def parse_refs(text: str) -> list[dict[str, str]]:
    """``%D`` with ``--decorate=full`` (``HEAD -> refs/heads/main, tag: refs/tags/v1,
    refs/remotes/origin/main``) as ``[{name, kind: head|branch|remote|tag}]``. The
    current branch is one ``head`` entry with its name; a detached HEAD is ``HEAD``.
    Remotes' ``HEAD`` pointers and other refs (stash, notes) are left out."""
    refs: list[dict[str, str]] = []
    for item in (part.strip() for part in text.split(", ")):
        if not item:
            continue
        if item.startswith("HEAD -> "):
            target = item[len("HEAD -> ") :]
            name = target.removeprefix("refs/heads/")
            refs.append({"name": name, "kind": "head"})
        elif item == "HEAD":
            refs.append({"name": "HEAD", "kind": "head"})
        elif item.startswith("tag: "):
            refs.append({"name": item[len("tag: ") :].removeprefix("refs/tags/"), "kind": "tag"})
        elif item.startswith("refs/heads/"):
            refs.append({"name": item[len("refs/heads/") :], "kind": "branch"})
        elif item.startswith("refs/remotes/"):
            name = item[len("refs/remotes/") :]
            if not name.endswith("/HEAD"):
                refs.append({"name": name, "kind": "remote"})
    return refs


def parse_log(text: str) -> list[dict[str, Any]]:
    """The commits of ``git log -z --format=LOG_FORMAT`` output."""
    commits = []
    for record in text.split("\0"):
        record = record.lstrip("\n")
        if not record:
            continue
        fields = record.split(US, len(LOG_FIELDS) - 1)
        if len(fields) < len(LOG_FIELDS):
            continue  # not one of ours (cannot happen with the format above)
        oid, parents, author, email, date, refs, subject = fields
        commits.append(
            {
                "oid": oid,
                "parents": parents.split(),
                "author": author,
                "email": email,
                "date": iso_date(date),
                "subject": subject,
                "refs": parse_refs(refs),
            }
        )
    return commits


def parse_commit(text: str) -> dict[str, Any] | None:
    """One commit of ``git log -1 -z --format=COMMIT_FORMAT`` (``None`` if empty)."""
    record = text.split("\0", 1)[0]
    fields = record.split(US, 5)
    if len(fields) < 6:
        return None
    oid, parents, author, email, date, message = fields
    return {
        "oid": oid,
        "parents": parents.split(),
        "author": author,
        "email": email,
        "date": iso_date(date),
        "message": message.rstrip("\n"),
    }


#: ``git diff --raw`` status letters as the API names them.
STATUS = {
    "A": "added",
    "M": "modified",
    "D": "deleted",
    "R": "renamed",
    "C": "copied",
    "T": "typechange",
    "U": "conflicted",
}


def parse_raw_numstat(text: str) -> list[dict[str, Any]]:
    """The files of ``git diff-tree -r -z -M --raw --numstat``: raw entries first
    (``:mode mode oid oid S\\0path\\0`` or ``…R100\\0old\\0new\\0``), then numstat
    entries (``added\\tdeleted\\tpath\\0``, or ``added\\tdeleted\\t\\0old\\0new\\0``
    for a rename; ``-`` counts for a binary file)."""
    parts = text.split("\0")
    files: list[dict[str, Any]] = []
    by_path: dict[str, dict[str, Any]] = {}
    i = 0
    while i < len(parts):
        part = parts[i].lstrip("\n")
        if part.startswith(":"):
            letter = part.split()[-1][:1] if part.split() else "M"
            if letter in ("R", "C"):
                if i + 2 >= len(parts):
                    break
                orig, file = parts[i + 1], parts[i + 2]
                i += 3
            else:
                if i + 1 >= len(parts):
                    break
                orig, file = None, parts[i + 1]
                i += 2
            entry: dict[str, Any] = {
                "file": file,
                "orig_file": orig,
                "status": STATUS.get(letter, "modified"),
                "additions": None,
                "deletions": None,
            }
            files.append(entry)
            by_path[file] = entry
            continue
        if "\t" in part:
            added, deleted, path = [*part.split("\t", 2), "", ""][:3]
            if path == "":  # a rename: the two names follow
                if i + 2 >= len(parts):
                    break
                path = parts[i + 2]
                i += 3
            else:
                i += 1
            counted = by_path.get(path)
            if counted is not None:
                counted["additions"] = int(added) if added.isdigit() else None
                counted["deletions"] = int(deleted) if deleted.isdigit() else None
            continue
        i += 1
    return files


def next_offset(offset: int, limit: int, got: int) -> int | None:
    """The offset of the next page, when the page (asked one bigger) overflowed."""
    return offset + limit if got > limit else None


# ---- git ----------------------------------------------------------------------------


def not_found_revision(rev: str) -> CloudscapesError:
    from ..contract import printable

    return CloudscapesError(
        404,
        "not_found",
        f"There is no commit, branch or tag named '{printable(rev, 200)}' in this repository.",
        "Pick a commit from the History tab or a branch from the branch menu.",
    )


async def has_commits(service: GitService, repo: Repo) -> bool:
    result = await service.git.run(
        ["rev-parse", "--verify", "--quiet", "HEAD"], repo=repo, read_only=True, doing="rev-parse"
    )
    return result.ok


async def log(
    service: GitService,
    repo: Repo,
    *,
    rev: str | None = None,
    file: str | None = None,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """One page of the history of ``rev`` (default HEAD), or of ``file`` (followed
    through renames), newest first in topological order."""
    from . import safety

    args = [
        "log",
        "--topo-order",
        "-z",
        "--decorate=full",
        "--no-show-signature",
        f"--format={LOG_FORMAT}",
        f"--skip={offset}",
        f"-n{limit + 1}",
    ]
    if file is not None:
        file = safety.repo_file(repo, file)
        args.append("--follow")
    args.append("--end-of-options")
    args.append(safety.revision(rev) if rev else "HEAD")
    args.append("--")
    if file is not None:
        args.append(file)
    result = await service.git.run(
        args, repo=repo, read_only=True, doing="log", capture_bytes=CAPTURE
    )
    if not result.ok:
        if not rev and not await has_commits(service, repo):
            return {"commits": [], "next_offset": None}  # a new repository
        if rev and ("bad revision" in result.stderr or "unknown revision" in result.stderr):
            raise not_found_revision(rev)
        service.git.check(result, "log")
    if result.stdout_truncated:
        # very long subjects: the last record may be cut; the page ends before it
        commits = parse_log(result.stdout.rsplit("\0", 1)[0])[:limit]
        return {"commits": commits, "next_offset": offset + len(commits) if commits else None}
    commits = parse_log(result.stdout)
    return {"commits": commits[:limit], "next_offset": next_offset(offset, limit, len(commits))}


async def commit(service: GitService, repo: Repo, oid: str) -> dict[str, Any]:
    """One commit: its message and its files with their line counts (a merge's files
    are its changes against its first parent, as ``git show --first-parent``)."""
    from . import safety

    rev = safety.revision(oid)
    result = await service.git.run(
        [
            "log",
            "-1",
            "-z",
            "--no-show-signature",
            f"--format={COMMIT_FORMAT}",
            "--end-of-options",
            f"{rev}^{{commit}}",
            "--",
        ],
        repo=repo,
        read_only=True,
        doing="log",
    )
    detail = parse_commit(result.stdout) if result.ok else None
    if detail is None:
        raise not_found_revision(oid)
    parents = detail["parents"]
    args = ["diff-tree", "-r", "-z", "-M", "--raw", "--numstat", "--no-commit-id", "--root"]
    args += ["--end-of-options", *([parents[0]] if len(parents) > 1 else []), detail["oid"]]
    files = await service.git.run(
        [*args, "--"], repo=repo, read_only=True, doing="diff-tree", capture_bytes=CAPTURE
    )
    service.git.check(files, "diff-tree")
    detail["files"] = parse_raw_numstat(files.stdout)
    return detail


__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "commit",
    "log",
    "parse_commit",
    "parse_log",
    "parse_raw_numstat",
    "parse_refs",
]
