"""Fetch, pull and push as jobs (kinds ``git-fetch``, ``git-pull``, ``git-push``).

- fetch: ``git fetch --progress --prune -- <remote>`` (the branch's remote, else
  ``origin``, else the only remote).
- pull: ``git pull --progress --no-rebase --no-edit`` (a merge, never a rebase a learner
  would have to understand). A conflict is not a failure of the job: its result says
  ``{result: "conflicts", conflicts: [...]}`` and the panel explains them; a pull that
  would overwrite local changes fails with ``local_changes``.
- push: ``git push --progress -- <remote> refs/heads/<b>:refs/heads/<b>``, with
  ``--set-upstream`` when asked or when the branch has no upstream yet. Never
  ``--tags`` (jupyterlab-git pushes every tag each time), never a force of any kind. A
  push the remote refuses because it has new commits fails with ``push_rejected`` and
  the hint to pull (or update the tutorial) first; one the remote itself refuses (a
  protected branch, a hook, no write access) fails with ``push_refused`` and its reason.

Failures are job errors with the codes of :mod:`.errors` (``auth_required`` names the
host; ``remote_unreachable``; ``git_timeout``). Every command gets the credential
helpers of :func:`.credentials.credential_args`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..contract import printable
from ..handlers import CloudscapesError
from .credentials import credential_args
from .remote import job_progress, list_remotes, mask_url, url_host

if TYPE_CHECKING:
    from ..jobs import Job, JobContext
    from .runner import Repo, Result
    from .service import GitService

PUSH_HINT = "Pull first (or Update the tutorial), then push again."


def raise_network_error(
    service: GitService, result: Result, doing: str, url: str | None, lines: list[str]
) -> None:
    """Raise the GitError of a failed network command, with the host named for an
    authentication failure and the push hint for a rejected push."""
    if doing == "push":
        refused = remote_refusal(result, lines)
        if refused is not None:
            raise refused
    try:
        service.git.check(result, doing)
    except CloudscapesError as exc:
        host = url_host(url) if url else None
        if exc.code == "auth_required":
            where = f" by {host}" if host else ""
            exc.message = f"Signing in was needed{where} and no working credentials were found."
            github_host = None
            if service.config.github_client_id:
                from .github import host_of

                github_host = host_of(service.config)
            exc.hint = (
                "Sign in with GitHub in the Git panel, then try again."
                if host is not None and host == github_host
                else "Enter your user name and password (or access token) for this host, "
                "then try again."
            )
        elif exc.code == "push_rejected":
            exc.hint = PUSH_HINT
        raise
    raise CloudscapesError(  # pragma: no cover - check() raises for a failed result
        409, "git_failed", f"git {doing} failed.", "Try again."
    )


#: ``!<TAB>src:dst<TAB>[remote rejected] (reason)`` of ``git push --porcelain``
_REMOTE_REJECTED = re.compile(r"\[remote rejected\]\s*(?:\((?P<reason>[^)\n]*)\))?")


def remote_refusal(result: Result, lines: list[str]) -> CloudscapesError | None:
    """The error of a push the remote itself refused (a protected branch, a hook, no
    write access): git only says "failed to push some refs", the reason is in the
    porcelain line and in the remote's own ``remote:`` lines."""
    match = _REMOTE_REJECTED.search(f"{result.stdout}\n{result.stderr}")
    if match is None:
        return None
    reason = printable(mask_url(match.group("reason") or "refused"), 200)
    said = [
        printable(mask_url(line.removeprefix("remote:").strip()), 300)
        for line in lines
        if line.startswith("remote:") and line.removeprefix("remote:").strip()
    ]
    told = f" The remote said: {' '.join(said[-3:])}" if said else ""
    return CloudscapesError(
        409,
        "push_refused",
        f"The remote refused your push ({reason}).{told}",
        "The branch may be protected, or you may not be allowed to write to this "
        "repository: push to a new branch (or to your fork) and open a pull request.",
    )


async def _value(service: GitService, repo: Repo, key: str) -> str | None:
    result = await service.git.run(["config", "--get", key], repo=repo, read_only=True)
    return result.stdout.strip() if result.ok and result.stdout.strip() else None


async def current_branch(service: GitService, repo: Repo) -> str | None:
    result = await service.git.run(
        ["symbolic-ref", "--quiet", "--short", "HEAD"], repo=repo, read_only=True
    )
    return result.stdout.strip() if result.ok else None


def _detached() -> CloudscapesError:
    return CloudscapesError(
        409,
        "detached_head",
        "You are not on a branch (detached HEAD), so there is nothing to push or pull.",
        "Switch to a branch (or create one here) first.",
    )


async def pick_remote(service: GitService, repo: Repo, asked: str | None) -> tuple[str, str]:
    """``(remote name, its URL)``: the one asked for, else the branch's, ``origin``, or
    the only one; 404 ``no_such_remote`` / 409 ``no_remote``."""
    from . import safety

    remotes = {r["name"]: r["url"] for r in await list_remotes(service, repo)}
    if asked:
        name = safety.check_remote_name(asked)
        if name not in remotes:
            raise CloudscapesError(
                404,
                "no_such_remote",
                f"This repository has no remote named '{name}'.",
                "Refresh the list of remotes.",
            )
        return name, remotes[name]
    branch = await current_branch(service, repo)
    if branch:
        configured = await _value(service, repo, f"branch.{branch}.remote")
        if configured is not None and configured in remotes:
            return configured, remotes[configured]
    if "origin" in remotes:
        return "origin", remotes["origin"]
    if len(remotes) == 1:
        return next(iter(remotes.items()))
    raise CloudscapesError(
        409,
        "no_remote",
        "This repository has no remote to talk to."
        if not remotes
        else "This repository has several remotes and none is the branch's.",
        "Add a remote (for example 'origin' with the repository's URL) first."
        if not remotes
        else "Pick the remote to use.",
    )


async def _run_network(
    service: GitService, repo: Repo, ctx: JobContext, args: list[str], doing: str, url: str | None
) -> Result:
    progress = job_progress(ctx)
    ctx.progress(0, 100, "Connecting")
    result = await service.git.run(
        [*credential_args(service), *args],
        repo=repo,
        network=True,
        hooks=doing == "pull",
        on_line=progress.feed,
        doing=doing,
    )
    progress.close()
    if not result.ok and not (doing == "pull" and await unmerged(service, repo)):
        raise_network_error(service, result, doing, url, progress.lines)
    return result


async def unmerged(service: GitService, repo: Repo) -> list[str]:
    """Files left with conflicts (``git ls-files -u``), each once."""
    result = await service.git.run(
        ["ls-files", "-u", "-z", "--full-name"], repo=repo, read_only=True, lock=False
    )
    files: list[str] = []
    for entry in result.stdout.split("\0"):
        _, tab, name = entry.partition("\t")
        if tab and name not in files:
            files.append(name)
    return files


async def head_oid(service: GitService, repo: Repo) -> str | None:
    result = await service.git.run(
        ["rev-parse", "--verify", "--quiet", "HEAD"], repo=repo, read_only=True, lock=False
    )
    return result.stdout.strip() or None


# ---- the jobs ---------------------------------------------------------------------------


async def start_fetch(service: GitService, repo: Repo, remote: str | None) -> Job:
    name, url = await pick_remote(service, repo, remote)

    async def work(ctx: JobContext) -> dict[str, Any]:
        await _run_network(
            service, repo, ctx, ["fetch", "--progress", "--prune", "--", name], "fetch", url
        )
        return {"remote": name}

    return service.jobs.start("git-fetch", f"Fetch from {name}", work, total=100, unit="percent")


async def start_pull(service: GitService, repo: Repo) -> Job:
    branch = await current_branch(service, repo)
    if branch is None:
        raise _detached()
    name, url = await pick_remote(service, repo, None)
    upstream = await _value(service, repo, f"branch.{branch}.merge")

    async def work(ctx: JobContext) -> dict[str, Any]:
        before = await head_oid(service, repo)
        args = ["pull", "--progress", "--no-rebase", "--no-edit"]
        if upstream is None:  # no upstream yet: the remote's branch of the same name
            args += ["--", name, f"refs/heads/{branch}"]
        await _run_network(service, repo, ctx, args, "pull", url)
        conflicts = await unmerged(service, repo)
        if conflicts:
            ctx.log(f"The pull stopped with conflicts in {len(conflicts)} file(s).")
            return {"result": "conflicts", "conflicts": conflicts}
        after = await head_oid(service, repo)
        if after == before:
            return {"result": "up_to_date", "conflicts": []}
        parents = await service.git.run(
            ["rev-list", "--parents", "-n", "1", "HEAD"], repo=repo, read_only=True, lock=False
        )
        merged = len(parents.stdout.split()) > 2
        return {"result": "merged" if merged else "fast_forward", "conflicts": []}

    return service.jobs.start("git-pull", f"Pull from {name}", work, total=100, unit="percent")


async def start_push(
    service: GitService,
    repo: Repo,
    remote: str | None,
    branch: str | None,
    set_upstream: bool | None,
) -> Job:
    from . import safety

    if branch:
        branch = await _ref_name(service, safety, branch)
    else:
        branch = await current_branch(service, repo)
        if branch is None:
            raise _detached()
    name, url = await pick_remote(service, repo, remote)
    has_upstream = await _value(service, repo, f"branch.{branch}.merge") is not None
    upstream_flag = bool(set_upstream) or not has_upstream

    async def work(ctx: JobContext) -> dict[str, Any]:
        args = ["push", "--progress", "--porcelain"]
        if upstream_flag:
            args.append("--set-upstream")
        spec = f"refs/heads/{branch}:refs/heads/{branch}"
        result = await _run_network(service, repo, ctx, [*args, "--", name, spec], "push", url)
        up_to_date = "[up to date]" in result.stdout
        return {"remote": name, "branch": branch, "up_to_date": up_to_date}

    return service.jobs.start(
        "git-push", f"Push {branch} to {name}", work, total=100, unit="percent"
    )


async def _ref_name(service: GitService, safety: Any, name: str) -> str:
    checked = safety.check_ref_name(service.git, name, what="branch")
    if hasattr(checked, "__await__"):
        checked = await checked
    return str(checked)
