"""The stash: put changes aside, bring them back, drop them.

The list is one ``git stash list -z`` with a format of U+001F-separated fields (the
reflog selector ``stash@{N}``, the date, the reflog subject last). The subject is what
git wrote when stashing: ``WIP on <branch>: <commit> <subject>`` for an unnamed stash,
``On <branch>: <message>`` for a named one; the branch is read from it.

A stash is addressed by its index, which the server turns into ``stash@{N}`` itself:
no client text reaches git's argv here. Applying a stash that conflicts with the work
tree leaves conflict markers, as the terminal does, and answers 409
``merge_conflict`` (a popped stash is then kept, as git keeps it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..handlers import bad_request
from .errors import classify
from .history import iso_date
from .runner import GitError

if TYPE_CHECKING:
    from .runner import Repo
    from .service import GitService

US = "\x1f"
STASH_FORMAT = US.join(("%gd", "%cI", "%gs"))

_SUBJECT = re.compile(r"^(?:WIP on|On) (.+?): (.*)$", re.S)

#: Longest stash message accepted (git keeps it in one reflog line).
MAX_MESSAGE = 1000


def parse_stashes(text: str) -> list[dict[str, Any]]:
    stashes = []
    for record in text.split("\0"):
        record = record.lstrip("\n")
        if not record:
            continue
        fields = record.split(US, 2)
        if len(fields) < 3:
            continue
        selector, date, subject = fields
        match = re.fullmatch(r"stash@\{(\d+)\}", selector)
        if not match:
            continue
        said = _SUBJECT.match(subject)
        branch = said.group(1) if said else None
        if branch == "(no branch)":
            branch = None
        unnamed = subject.startswith("WIP on ")
        stashes.append(
            {
                "index": int(match.group(1)),
                "message": subject if unnamed or not said else said.group(2),
                "date": iso_date(date),
                "branch": branch,
            }
        )
    return stashes


async def list_stashes(service: GitService, repo: Repo) -> dict[str, Any]:
    result = await service.git.run(
        ["stash", "list", "-z", f"--format={STASH_FORMAT}"],
        repo=repo,
        read_only=True,
        doing="stash list",
    )
    if not result.ok:  # no stash yet in a repository without commits
        if "does not have any commits" in result.stderr:
            return {"stashes": []}
        service.git.check(result, "stash list")
    return {"stashes": parse_stashes(result.stdout)}


def _one_line(message: Any) -> str | None:
    if message in (None, ""):
        return None
    if not isinstance(message, str) or len(message) > MAX_MESSAGE:
        raise bad_request(
            f"The stash message must be text of at most {MAX_MESSAGE} characters.",
            "Shorten the message.",
            code="invalid_message",
        )
    return " ".join(message.split())  # one line: the reflog cannot hold more


async def push(
    service: GitService, repo: Repo, message: Any = None, include_untracked: bool = False
) -> dict[str, Any]:
    """Stash the changes (staged and not, and untracked files if asked). 409
    ``nothing_to_stash`` when there is nothing."""
    args = ["stash", "push"]
    if include_untracked:
        args.append("--include-untracked")
    text = _one_line(message)
    if text:
        args += ["--message", text]
    # git stash cleans the stashed untracked files with an internal pathspec, which
    # GIT_LITERAL_PATHSPECS (set by the runner) makes match nothing: they would be
    # saved and left in place. This command takes no path from the client.
    result = await service.git.run(
        args, repo=repo, env={"GIT_LITERAL_PATHSPECS": "0"}, doing="stash"
    )
    if result.ok and "No local changes to save" in result.stdout + result.stderr:
        raise GitError(
            409,
            "nothing_to_stash",
            "There are no changes to stash.",
            "Stash puts your uncommitted changes aside; there are none right now.",
        )
    if not result.ok and "do not have the initial commit" in result.stderr:
        raise GitError(
            409,
            "no_commits",
            "A stash needs a first commit to put changes aside from.",
            "Commit once, then stash.",
        )
    service.git.check(result, "stash")
    return await list_stashes(service, repo)


async def _selector(service: GitService, repo: Repo, index: Any) -> str:
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise bad_request(
            "The stash index must be a whole number.",
            "Send the index of a stash from the stash list (0 is the newest).",
            code="invalid_index",
        )
    listed = await list_stashes(service, repo)
    if all(s["index"] != index for s in listed["stashes"]):
        raise GitError(
            404,
            "not_found",
            f"There is no stash number {index}.",
            "Refresh the stash list.",
        )
    return f"stash@{{{index}}}"


async def apply(service: GitService, repo: Repo, index: Any, pop: bool = False) -> dict[str, Any]:
    """Bring stash ``index`` back into the work tree (``pop``: and drop it)."""
    selector = await _selector(service, repo, index)
    result = await service.git.run(
        ["stash", "pop" if pop else "apply", "--end-of-options", selector],
        repo=repo,
        doing="apply the stash",
    )
    said = f"{result.stdout}\n{result.stderr}"
    if not result.ok and "CONFLICT (" in said:
        kept = " The stash was kept, so nothing is lost." if pop else ""
        raise GitError(
            409,
            "merge_conflict",
            "The stashed changes conflict with your files: some files now have conflict "
            f"markers.{kept}",
            "Open each conflicted file, choose what to keep, and mark it as resolved.",
        )
    if not result.ok:
        raise classify(result, "apply the stash")
    return await list_stashes(service, repo)


async def drop(service: GitService, repo: Repo, index: Any) -> dict[str, Any]:
    selector = await _selector(service, repo, index)
    await service.git.ok(
        ["stash", "drop", "--end-of-options", selector], repo=repo, doing="drop the stash"
    )
    return await list_stashes(service, repo)
