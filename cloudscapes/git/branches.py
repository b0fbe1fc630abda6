"""Branches and tags: list, create, switch, rename, delete, merge.

The list is one ``git for-each-ref`` process whose format carries, for every local
and remote-tracking branch, its commit, upstream and ahead/behind counts
(``%(upstream:track)``), subject and date, with fields separated by U+001F and
records ended by NUL, the subject last. Only a branch-less HEAD (detached, or a new
repository whose branch has no commit yet) needs a second process to name it.

Every name a client sends is checked by :func:`cloudscapes.git.safety.check_ref_name`
(git's own ``check-ref-format``, no leading dash) before any command runs, and goes
after ``--end-of-options``. A merge runs the repository's hooks (as a commit does, when
``run_hooks`` is on); a conflict is an answer (``result: conflicts`` and the files),
not an error, so the panel can open the conflict view.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..contract import printable
from . import safety
from .errors import classify
from .history import CAPTURE, iso_date
from .runner import GitError

if TYPE_CHECKING:
    from .runner import Repo
    from .service import GitService

US = "\x1f"

BRANCH_FORMAT = (
    US.join(
        (
            "%(refname)",
            "%(objectname)",
            "%(HEAD)",
            "%(upstream)",
            "%(upstream:track,nobracket)",
            "%(symref)",
            "%(committerdate:iso-strict)",
            "%(subject)",
        )
    )
    + "%00"
)

TAG_FORMAT = (
    US.join(
        (
            "%(refname)",
            "%(objectname)",
            "%(*objectname)",
            "%(creatordate:iso-strict)",
            "%(subject)",
        )
    )
    + "%00"
)

_TRACK = re.compile(r"(ahead|behind) (\d+)")


def short_ref(ref: str) -> tuple[str, bool] | None:
    """``(name, remote)`` of a branch's full ref name."""
    if ref.startswith("refs/heads/"):
        return ref[len("refs/heads/") :], False
    if ref.startswith("refs/remotes/"):
        return ref[len("refs/remotes/") :], True
    return None


def parse_branches(text: str) -> tuple[str | None, list[dict[str, Any]]]:
    """``(current branch or None, branches)`` from ``for-each-ref`` with
    :data:`BRANCH_FORMAT`; local branches first, each group in git's (name) order."""
    current = None
    local: list[dict[str, Any]] = []
    remote: list[dict[str, Any]] = []
    for record in text.split("\0"):
        record = record.lstrip("\n")
        if not record:
            continue
        fields = record.split(US, 7)
        if len(fields) < 8:
            continue
        ref, oid, head, upstream, track, symref, date, subject = fields
        named = short_ref(ref)
        if named is None or symref:  # origin/HEAD -> origin/main: not a branch
            continue
        name, is_remote = named
        counts = dict.fromkeys(("ahead", "behind"), 0)
        for which, number in _TRACK.findall(track):
            counts[which] = int(number)
        up = short_ref(upstream)
        branch = {
            "name": name,
            "remote": is_remote,
            "upstream": (up[0] if up else upstream) or None,
            "upstream_gone": track == "gone",
            "ahead": counts["ahead"],
            "behind": counts["behind"],
            "oid": oid,
            "subject": subject,
            "date": iso_date(date),
        }
        if head == "*":
            current = name
        (remote if is_remote else local).append(branch)
    return current, local + remote


async def list_branches(service: GitService, repo: Repo) -> dict[str, Any]:
    """``{current, detached, branches}``."""
    result = await service.git.ok(
        ["for-each-ref", f"--format={BRANCH_FORMAT}", "refs/heads", "refs/remotes"],
        repo=repo,
        read_only=True,
        doing="for-each-ref",
        capture_bytes=CAPTURE,
    )
    current, branches = parse_branches(result.stdout)
    detached = False
    if current is None:
        # detached, or a branch without commits yet (a new repository)
        head = await service.git.run(
            ["symbolic-ref", "--quiet", "--short", "HEAD"],
            repo=repo,
            read_only=True,
            doing="symbolic-ref",
        )
        if head.ok and head.stdout.strip():
            current = head.stdout.strip()
        else:
            detached = True
    return {"current": current, "detached": detached, "branches": branches}


async def ref_exists(service: GitService, repo: Repo, ref: str) -> bool:
    result = await service.git.run(
        ["show-ref", "--verify", "--quiet", "--end-of-options", ref],
        repo=repo,
        read_only=True,
        doing="show-ref",
    )
    return result.ok


def not_found(what: str, name: str) -> GitError:
    return GitError(
        404,
        "not_found",
        f"There is no {what} named '{printable(name, 200)}'.",
        "Refresh the branch list and pick one that exists.",
    )


async def create(
    service: GitService, repo: Repo, name: Any, start: Any = None, switch: bool = False
) -> dict[str, Any]:
    """A new branch ``name`` at ``start`` (default HEAD), switched to if asked. 409
    ``branch_exists``, 404 for an unknown start."""
    name = await safety.check_ref_name(service.git, name, "branch")
    args = ["branch", "--end-of-options", name]
    if start not in (None, ""):
        args.append(safety.revision(start, "start point"))
    if await ref_exists(service, repo, f"refs/heads/{name}"):
        raise GitError(
            409,
            "branch_exists",
            f"A branch named '{printable(name, 200)}' already exists.",
            "Choose another name, or switch to that branch.",
        )
    await service.git.ok(args, repo=repo, doing="create the branch")
    if switch:
        await switch_to(service, repo, name)
    return await list_branches(service, repo)


async def switch_to(service: GitService, repo: Repo, branch: Any) -> dict[str, Any]:
    """Switch to a local branch, or to a remote-tracking one (``origin/x``: a local
    ``x`` tracking it is created, as ``git switch x`` does). 409 ``local_changes`` when
    the switch would overwrite changes."""
    branch = await safety.check_ref_name(service.git, branch, "branch")
    if await ref_exists(service, repo, f"refs/heads/{branch}"):
        args = ["switch", "--no-guess", "--end-of-options", branch]
    elif await ref_exists(service, repo, f"refs/remotes/{branch}"):
        local = branch.split("/", 1)[1] if "/" in branch else branch
        if await ref_exists(service, repo, f"refs/heads/{local}"):
            args = ["switch", "--no-guess", "--end-of-options", local]
        else:
            args = ["switch", "--track", "--end-of-options", branch]
    else:
        raise not_found("branch", branch)
    await service.git.ok(args, repo=repo, doing="switch branches")
    return await list_branches(service, repo)


async def rename(service: GitService, repo: Repo, name: Any, new_name: Any) -> dict[str, Any]:
    name = await safety.check_ref_name(service.git, name, "branch")
    new_name = await safety.check_ref_name(service.git, new_name, "branch")
    if not await ref_exists(service, repo, f"refs/heads/{name}"):
        raise not_found("branch", name)
    if await ref_exists(service, repo, f"refs/heads/{new_name}"):
        raise GitError(
            409,
            "branch_exists",
            f"A branch named '{printable(new_name, 200)}' already exists.",
            "Choose another name.",
        )
    await service.git.ok(
        ["branch", "--move", "--end-of-options", name, new_name],
        repo=repo,
        doing="rename the branch",
    )
    return await list_branches(service, repo)


async def delete(service: GitService, repo: Repo, name: Any, force: bool = False) -> dict[str, Any]:
    """Delete a local branch. 409 ``branch_not_merged`` (unless ``force``) when its
    commits are on no other branch, 409 ``current_branch`` for the branch you are on."""
    name = await safety.check_ref_name(service.git, name, "branch")
    if not await ref_exists(service, repo, f"refs/heads/{name}"):
        raise not_found("branch", name)
    result = await service.git.run(
        ["branch", "-D" if force else "-d", "--end-of-options", name],
        repo=repo,
        doing="delete the branch",
    )
    if not result.ok:
        said = result.stderr.lower()
        if "not fully merged" in said:
            raise GitError(
                409,
                "branch_not_merged",
                f"The branch '{printable(name, 200)}' has commits that are on no other "
                "branch; deleting it would lose them.",
                "Merge it first, or delete it anyway (its commits are then lost).",
            )
        if "checked out at" in said or "cannot delete branch" in said:
            raise GitError(
                409,
                "current_branch",
                f"You are on the branch '{printable(name, 200)}', so it cannot be deleted.",
                "Switch to another branch first.",
            )
        service.git.check(result, "delete the branch")
    return await list_branches(service, repo)


async def conflicted_files(service: GitService, repo: Repo) -> list[str]:
    """The files with unresolved conflicts."""
    result = await service.git.ok(
        ["diff", "--name-only", "--diff-filter=U", "-z", "--no-ext-diff"],
        repo=repo,
        read_only=True,
        doing="diff",
    )
    return sorted({name for name in result.stdout.split("\0") if name})


async def merge(service: GitService, repo: Repo, branch: Any) -> dict[str, Any]:
    """Merge ``branch`` (a local or remote-tracking branch) into the current one:
    ``{result: merged|up_to_date|fast_forward|conflicts, conflicts}``."""
    branch = await safety.check_ref_name(service.git, branch, "branch")
    if not (
        await ref_exists(service, repo, f"refs/heads/{branch}")
        or await ref_exists(service, repo, f"refs/remotes/{branch}")
    ):
        raise not_found("branch", branch)
    result = await service.git.run(
        ["merge", "--no-edit", "--no-stat", "--end-of-options", branch],
        repo=repo,
        hooks=True,
        doing="merge",
    )
    said = f"{result.stdout}\n{result.stderr}"
    if result.ok:
        if "Already up to date" in said:
            outcome = "up_to_date"
        elif "Fast-forward" in said:
            outcome = "fast_forward"
        else:
            outcome = "merged"
        return {"result": outcome, "conflicts": []}
    if "CONFLICT (" in said or "Automatic merge failed" in said:
        return {"result": "conflicts", "conflicts": await conflicted_files(service, repo)}
    raise classify(result, "merge")


async def merge_abort(service: GitService, repo: Repo) -> dict[str, Any]:
    """Undo a merge that stopped on conflicts (back to before it)."""
    result = await service.git.run(["merge", "--abort"], repo=repo, doing="abort the merge")
    if not result.ok:
        if "MERGE_HEAD missing" in result.stderr or "no merge to abort" in result.stderr:
            raise GitError(
                409,
                "no_merge",
                "No merge is in progress, so there is nothing to abort.",
                "Refresh the panel.",
            )
        service.git.check(result, "abort the merge")
    return {"result": "aborted", "conflicts": []}


# ---- tags -----------------------------------------------------------------------------


def parse_tags(text: str) -> list[dict[str, Any]]:
    tags = []
    for record in text.split("\0"):
        record = record.lstrip("\n")
        if not record:
            continue
        fields = record.split(US, 4)
        if len(fields) < 5 or not fields[0].startswith("refs/tags/"):
            continue
        ref, oid, peeled, date, subject = fields
        tags.append(
            {
                "name": ref[len("refs/tags/") :],
                "oid": peeled or oid,  # an annotated tag: the commit it names
                "annotated": bool(peeled),
                "subject": subject,
                "date": iso_date(date),
            }
        )
    return tags


async def list_tags(service: GitService, repo: Repo) -> dict[str, Any]:
    """``{tags}``, newest first."""
    result = await service.git.ok(
        ["for-each-ref", "--sort=-creatordate", f"--format={TAG_FORMAT}", "refs/tags"],
        repo=repo,
        read_only=True,
        doing="for-each-ref",
        capture_bytes=CAPTURE,
    )
    return {"tags": parse_tags(result.stdout)}


async def create_tag(
    service: GitService, repo: Repo, name: Any, rev: Any = None, message: Any = None
) -> dict[str, Any]:
    """A tag at ``rev`` (default HEAD); annotated when ``message`` is given."""
    name = await safety.check_ref_name(service.git, name, "tag")
    args = ["tag"]
    if message:
        args += ["--annotate", "--file=-", "--cleanup=verbatim"]
    args += ["--end-of-options", name]
    if rev not in (None, ""):
        args.append(safety.revision(rev))
    if await ref_exists(service, repo, f"refs/tags/{name}"):
        raise GitError(
            409,
            "tag_exists",
            f"A tag named '{printable(name, 200)}' already exists.",
            "Choose another name.",
        )
    result = await service.git.run(
        args, repo=repo, input=message if message else None, doing="create the tag"
    )
    if not result.ok and "as a valid ref" in result.stderr:
        raise not_found("commit, branch or tag", str(rev))
    service.git.check(result, "create the tag")
    return await list_tags(service, repo)


async def delete_tag(service: GitService, repo: Repo, name: Any) -> dict[str, Any]:
    name = await safety.check_ref_name(service.git, name, "tag")
    if not await ref_exists(service, repo, f"refs/tags/{name}"):
        raise not_found("tag", name)
    await service.git.ok(
        ["tag", "--delete", "--end-of-options", name], repo=repo, doing="delete the tag"
    )
    return await list_tags(service, repo)
