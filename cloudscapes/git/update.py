""" "Update the tutorial": bring the instructors' new commits into a learner's clone,
as one action that never loses a line of the learner's and never leaves a conflict.

nbgitpuller's rules (``../shared/reference/git.md`` §4), done our way:

1. Refuse what cannot be updated safely: a detached HEAD, a branch without upstream,
   a merge or rebase in progress, files left unresolved (a stash pop that stopped:
   committing them would record the conflict markers) (409 with what to do); an
   ``index.lock`` older than 10 minutes is a leftover of a killed git and is removed,
   a younger one is a 409.
2. Fetch the upstream (a network command, progress in the job).
3. Learner files in the way: each file upstream *added* whose path the learner already
   has untracked (or ignored) is renamed ``name (yours).ext``; a learner-deleted file is
   brought back only when upstream changed it (so the update can apply); one upstream
   did not touch stays deleted.
4. The learner's changes to tracked files are committed to the current branch
   ("Your changes before the tutorial update", hooks off, a stand-in identity only
   when git has none), and ``backup/<timestamp>`` marks that commit: the learner's
   state before the merge, reachable whatever happens next.
5. ``git merge -X ours``: where both sides changed the same lines the learner's win;
   everything else of upstream comes in. What ``-X ours`` cannot settle (modify/delete,
   both deleted) is resolved in the learner's favour; a file the learner deleted and
   upstream changed is upstream's. A notebook whose merged JSON does not parse is the
   learner's as it was.
6. For every file that would have conflicted (``git merge-tree`` says which, before
   the merge), upstream's version, when it differs from the result, is written beside
   it as ``name (tutorial update).ext``, untracked: the learner sees what the
   instructors changed there without losing their own.

Should a step after the merge started fail, the merge is aborted (``update_failed``):
the learner is never left in the middle of one. The job's result says what happened
per file and in plain words (``summary``), and that the instructors rewrote the
tutorial's history when they did (the learner's commits stay, merged with it).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..handlers import CloudscapesError
from .credentials import credential_args
from .remote import job_progress
from .sync import current_branch, raise_network_error, unmerged

if TYPE_CHECKING:
    from ..jobs import Job, JobContext
    from .runner import Repo, Result
    from .service import GitService

LEARNER_MESSAGE = "Your changes before the tutorial update"
MERGE_MESSAGE = "Update the tutorial"
#: Seconds after which an index.lock is a leftover (nbgitpuller's 600).
STALE_LOCK = 600
#: The identity of the two commits when git has none for the learner.
FALLBACK_IDENTITY = ("Tutorial update", "tutorial-update@cloudscapes.invalid")
#: Names listed per kind in the summary before "and N more".
SUMMARY_NAMES = 5


# ---- names ------------------------------------------------------------------------------


def beside_name(
    path: str, label: str, taken: set[str] | None = None, top: Path | None = None
) -> str:
    """``data/x (label).csv`` for ``data/x.csv``: a name beside ``path`` that does not
    exist yet (``(label 2)``, ``(label 3)``... when it does)."""
    pure = PurePosixPath(path)
    name = pure.name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:  # "Makefile", ".env"
        stem, ext = name, ""
    n = 1
    while True:
        suffix = label if n == 1 else f"{label} {n}"
        new = f"{stem} ({suffix})" + (f".{ext}" if ext else "")
        candidate = str(pure.parent / new) if str(pure.parent) != "." else new
        if (taken is None or candidate not in taken) and (
            top is None or not os.path.lexists(top / candidate)
        ):
            return candidate
        n += 1


def _names(files: list[str]) -> str:
    shown = [f"'{f}'" for f in files[:SUMMARY_NAMES]]
    more = len(files) - len(shown)
    if more:
        shown.append(f"{more} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def summarize(result: dict[str, Any], rewritten: bool = False) -> str:
    """The result in plain words, naming each file (up to five per kind); ``rewritten``:
    the tutorial's history was replaced (a force-push) since the last fetch."""
    if result.get("up_to_date"):
        return "Your copy already has every change of the tutorial; nothing was changed."
    parts = []
    if rewritten:
        parts.append(
            "The instructors replaced the tutorial's history (a force-push); your own "
            "commits are kept and the new history was merged with them."
        )
    if result["changed"]:
        parts.append(f"Updated from the tutorial: {_names(result['changed'])}.")
    if result["added"]:
        parts.append(f"New from the tutorial: {_names(result['added'])}.")
    if result["kept"]:
        parts.append(
            f"Your edits were kept in {_names(result['kept'])}, together with the "
            "tutorial's changes that did not touch the same lines."
        )
    for item in result["beside"]:
        parts.append(
            f"The tutorial's own version of '{item['file']}' is beside it as '{item['to']}'."
        )
    for item in result["renamed"]:
        parts.append(
            f"Your file '{item['file']}' is now called '{item['to']}', because the "
            "tutorial added a file with that name."
        )
    if result["restored"]:
        parts.append(
            f"Brought back because the tutorial changed them (you had deleted them): "
            f"{_names(result['restored'])}."
        )
    if result["still_deleted"]:
        parts.append(f"Still deleted, as you left them: {_names(result['still_deleted'])}.")
    if result["removed"]:
        parts.append(f"Removed by the tutorial: {_names(result['removed'])}.")
    if not parts:
        parts.append("The tutorial's new commits changed no file.")
    if result.get("backup_branch"):
        parts.append(
            f"Your work as it was before the update is saved on the branch "
            f"'{result['backup_branch']}'."
        )
    return " ".join(parts)


# ---- checks before the job --------------------------------------------------------------


def _check_index_lock(repo: Repo, now: float | None = None) -> bool:
    """Remove a stale ``index.lock`` (True when one was removed); 409 for a fresh one."""
    lock = Path(repo.git_dir) / "index.lock"
    try:
        age = (time.time() if now is None else now) - lock.stat().st_mtime
    except FileNotFoundError:
        return False
    if age > STALE_LOCK:
        lock.unlink(missing_ok=True)
        return True
    raise CloudscapesError(
        409,
        "index_locked",
        "Another git command is working in this repository right now (index.lock).",
        "Wait a moment and try again; if no git is running, the lock goes away by "
        "itself after 10 minutes.",
    )


def _in_progress(repo: Repo) -> str | None:
    git_dir = Path(repo.git_dir)
    for name, what in (
        ("MERGE_HEAD", "a merge"),
        ("rebase-merge", "a rebase"),
        ("rebase-apply", "a rebase"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ):
        if (git_dir / name).exists():
            return what
    return None


async def _upstream(service: GitService, repo: Repo) -> tuple[str, str, str]:
    """``(branch, remote, upstream ref)`` or a 409."""
    branch = await current_branch(service, repo)
    if branch is None:
        raise CloudscapesError(
            409,
            "detached_head",
            "You are not on a branch (detached HEAD), so the tutorial cannot be updated here.",
            "Switch back to the tutorial's branch (for example 'main') and try again.",
        )
    result = await service.git.run(
        ["rev-parse", "--symbolic-full-name", "@{upstream}"], repo=repo, read_only=True
    )
    remote = await service.git.run(
        ["config", "--get", f"branch.{branch}.remote"], repo=repo, read_only=True
    )
    ref = result.stdout.strip()
    if not result.ok or not ref.startswith("refs/") or not remote.ok:
        raise CloudscapesError(
            409,
            "no_upstream",
            f"The branch '{branch}' does not follow a branch of the tutorial's repository.",
            "Update the tutorial works in a clone of the tutorial, on the branch it was "
            "cloned with.",
        )
    return branch, remote.stdout.strip(), ref


def _refuse_in_progress(what: str) -> CloudscapesError:
    return CloudscapesError(
        409,
        "operation_in_progress",
        f"This repository is in the middle of {what}, so the tutorial cannot be updated now.",
        "Finish it (resolve the conflicts and commit) or abort it first.",
    )


def _unresolved() -> CloudscapesError:
    # a stash pop or cherry-pick that stopped leaves unmerged files without MERGE_HEAD:
    # committing them ("git add --update") would record the conflict markers
    return CloudscapesError(
        409,
        "merge_conflict",
        "Some files still have conflicts (from a merge, a stash or a pull), so the "
        "tutorial cannot be updated now.",
        "Open each conflicted file, choose what to keep and mark it as resolved, then "
        "update the tutorial.",
    )


async def start_update(service: GitService, repo: Repo) -> Job:
    what = _in_progress(repo)
    if what is not None:
        raise _refuse_in_progress(what)
    if await unmerged(service, repo):
        raise _unresolved()
    _check_index_lock(repo)
    branch, remote, ref = await _upstream(service, repo)
    updater = _Update(service, repo, branch, remote, ref)
    return service.jobs.start(
        "git-update", "Update the tutorial", updater.work, total=100, unit="percent"
    )


# ---- the update -------------------------------------------------------------------------


class _Update:
    def __init__(self, service: GitService, repo: Repo, branch: str, remote: str, ref: str):
        self.service, self.repo = service, repo
        self.branch, self.remote, self.ref = branch, remote, ref
        self.top = Path(repo.top)
        self.identity: list[str] = []

    async def git(self, *args: str, ok: bool = True, **kw: Any) -> Result:
        """One git command under the lock the job holds; ``ok``: a failure is an error."""
        result = await self.service.git.run(list(args), repo=self.repo, lock=False, **kw)
        if ok and not result.ok:
            self.service.git.check(result, args[0])
        return result

    async def lines(self, *args: str) -> list[str]:
        result = await self.git(*args)
        return [x for x in result.stdout.split("\0") if x]

    async def work(self, ctx: JobContext) -> dict[str, Any]:
        async with self.service.git.locks(str(self.repo.git_dir)):
            if _check_index_lock(self.repo):
                ctx.log("Removed a leftover index.lock (older than 10 minutes).")
            what = _in_progress(self.repo)  # started in a terminal since the request
            if what is not None:
                raise _refuse_in_progress(what)
            if await unmerged(self.service, self.repo):
                raise _unresolved()
            known = await self.oid(self.ref)  # the tutorial as the last fetch saw it
            await self.fetch(ctx)
            ctx.progress(60, 100, "Looking at your changes")
            result = await self._to_the_end(self.update(ctx), ctx)
            rewritten = False
            if known is not None and not result["up_to_date"]:
                now = await self.oid(self.ref)
                ancestor = await self.git(
                    "merge-base", "--is-ancestor", known, now or known, ok=False, read_only=True
                )
                rewritten = ancestor.returncode == 1
        result["summary"] = summarize(result, rewritten)
        ctx.log(result["summary"])
        return result

    async def _to_the_end(self, steps: Any, ctx: JobContext) -> dict[str, Any]:
        """Run the local steps to their end even when the job is cancelled meanwhile:
        stopped between the learner's commit and the merge's, the repository would be
        left half-merged. The cancellation counts once they are done."""
        task = asyncio.ensure_future(steps)
        cancelled = False
        while not task.done():
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                cancelled = True
        result: dict[str, Any] = task.result()
        if cancelled:
            ctx.log("The update had started changing files; it was finished, not left half-done.")
            raise asyncio.CancelledError
        return result

    async def fetch(self, ctx: JobContext) -> None:
        if self.remote == ".":
            return
        progress = job_progress(ctx)
        ctx.progress(0, 100, "Fetching the tutorial's changes")
        result = await self.service.git.run(
            [*credential_args(self.service), "fetch", "--progress", "--", self.remote],
            repo=self.repo,
            network=True,
            lock=False,
            on_line=lambda stream, text: progress.feed(stream, text),
            doing="fetch",
        )
        progress.close()
        if not result.ok:
            url = await self.git("config", "--get", f"remote.{self.remote}.url", ok=False)
            raise_network_error(self.service, result, "fetch", url.stdout.strip(), progress.lines)

    async def oid(self, rev: str) -> str | None:
        result = await self.git(
            "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}", ok=False
        )
        return result.stdout.strip() or None

    async def update(self, ctx: JobContext) -> dict[str, Any]:
        out: dict[str, Any] = {
            "up_to_date": False,
            "changed": [],
            "added": [],
            "kept": [],
            "renamed": [],
            "restored": [],
            "still_deleted": [],
            "removed": [],
            "beside": [],
            "backup_branch": None,
        }
        upstream = await self.oid(self.ref)
        if upstream is None:
            raise CloudscapesError(
                409,
                "no_upstream",
                "The tutorial's branch was not found on its remote.",
                "Ask the instructors which branch to follow.",
            )
        head = await self.oid("HEAD")
        if head is not None:
            ancestor = await self.git(
                "merge-base", "--is-ancestor", upstream, head, ok=False, read_only=True
            )
            if ancestor.returncode == 0:
                out["up_to_date"] = True
                return out
        base = None
        if head is not None:
            found = await self.git("merge-base", head, upstream, ok=False, read_only=True)
            base = found.stdout.strip() or None
        # what upstream did since the learner's copy
        theirs = await self._changes(base, upstream)
        added = [f for f, s in theirs.items() if s == "A"]
        modified = [f for f, s in theirs.items() if s == "M" or s == "T"]
        await self._make_room(added, out)
        await self._restore_deleted(head, modified, out)
        await self._identity()
        head = await self._commit_learner(head)
        mine = await self._changes(base, head) if head is not None else {}
        if head is not None:
            out["backup_branch"] = await self._backup(head)
        conflicted = await self._would_conflict(head, upstream)
        ctx.progress(75, 100, "Merging the tutorial's changes")
        await self._merge(head, upstream, base, conflicted, out)
        both = [f for f in theirs if f in mine]
        for f, s in theirs.items():
            if s == "A" and f not in mine:
                out["added"].append(f)
            elif s == "D" and f not in mine:
                out["removed"].append(f)
            elif f in both and f not in out["restored"]:
                if f not in out["kept"]:
                    out["kept"].append(f)
            elif s in ("M", "T") and f not in out["restored"]:
                out["changed"].append(f)
        ctx.progress(100, 100, "Done")
        return out

    async def _changes(self, base: str | None, rev: str) -> dict[str, str]:
        """``{file: A|M|D|T}`` from ``base`` to ``rev`` (everything added without base)."""
        if base is None:
            files = await self.lines("ls-tree", "-r", "-z", "--name-only", "--full-tree", rev)
            return {f: "A" for f in files}
        items = await self.lines(
            "diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", base, rev, "--"
        )
        changes: dict[str, str] = {}
        for status, name in zip(items[::2], items[1::2], strict=False):
            changes[name] = status[:1]
        return changes

    async def _tracked(self, files: list[str]) -> set[str]:
        if not files:
            return set()
        found = await self.lines("ls-files", "-z", "--", *[f for f in files])
        return set(found)

    async def _make_room(self, added: list[str], out: dict[str, Any]) -> None:
        """Rename what the learner has, untracked, where upstream adds a file: the file
        itself, a folder by its name, or a file where upstream needs a folder."""
        tracked = await self._tracked(added)
        for file in added:
            if file in tracked:
                continue
            parts = PurePosixPath(file).parts
            for depth in range(1, len(parts) + 1):
                rel = "/".join(parts[:depth])
                path = self.top / rel
                if not os.path.lexists(path):  # noqa: ASYNC240 - one stat
                    break  # nothing in the way
                last = depth == len(parts)
                if not last and path.is_dir() and not path.is_symlink():
                    continue  # a folder on the way: fine, look further down
                if not last and rel in await self._tracked([rel]):
                    break  # a tracked file upstream replaces: the merge's business
                to = beside_name(rel, "yours", top=self.top)
                os.rename(path, self.top / to)
                out["renamed"].append({"file": rel, "to": to})
                break

    async def _restore_deleted(
        self, head: str | None, modified: list[str], out: dict[str, Any]
    ) -> None:
        if head is None:
            return
        deleted = await self.lines("diff", "--name-only", "-z", "--diff-filter=D", "HEAD", "--")
        restore = [f for f in deleted if f in modified]
        out["still_deleted"] = [f for f in deleted if f not in modified]
        if restore:
            await self.git("checkout", "HEAD", "--", *[f for f in restore])
            out["restored"].extend(restore)

    async def _identity(self) -> None:
        name = await self.git("config", "user.name", ok=False, read_only=True)
        email = await self.git("config", "user.email", ok=False, read_only=True)
        if not name.stdout.strip() or not email.stdout.strip():
            self.identity = [
                "-c",
                f"user.name={FALLBACK_IDENTITY[0]}",
                "-c",
                f"user.email={FALLBACK_IDENTITY[1]}",
            ]

    async def _commit_learner(self, head: str | None) -> str | None:
        await self.git("add", "--update", "--", ".")
        staged = await self.git("diff", "--cached", "--quiet", "--", ok=False)
        if staged.returncode == 0 and head is not None:
            return head
        if staged.returncode not in (0, 1) or (head is None and staged.returncode == 0):
            return head
        await self.git(*self.identity, "commit", "--no-verify", "--quiet", "-m", LEARNER_MESSAGE)
        return await self.oid("HEAD")

    async def _backup(self, head: str) -> str:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        name, n = f"backup/{stamp}", 1
        while await self.oid(f"refs/heads/{name}") is not None:
            n += 1
            name = f"backup/{stamp}-{n}"
        await self.git("branch", "--", name, head)
        return name

    async def _would_conflict(self, head: str | None, upstream: str) -> list[str]:
        if head is None:
            return []
        result = await self.git(
            "merge-tree",
            "--write-tree",
            "--name-only",
            "--no-messages",
            "-z",
            "--allow-unrelated-histories",
            head,
            upstream,
            ok=False,
            read_only=True,
        )
        if result.returncode not in (0, 1):
            return []
        return [f for f in result.stdout.split("\0")[1:] if f]

    async def _merge(
        self,
        head: str | None,
        upstream: str,
        base: str | None,
        conflicted: list[str],
        out: dict[str, Any],
    ) -> None:
        args = [*self.identity, "merge", "--no-edit", "--no-commit", "--no-verify", "-X", "ours"]
        if base is None:
            args.append("--allow-unrelated-histories")
        args += ["-m", MERGE_MESSAGE, "--end-of-options", upstream]
        merged = await self.git(*args, ok=False)
        merging = (Path(self.repo.git_dir) / "MERGE_HEAD").exists()
        if not merged.ok and not merging:
            self.service.git.check(merged, "merge")
        try:
            await self._settle_unmerged(out)
            for file in conflicted:
                await self._keep_theirs_beside(file, head, upstream, out)
            if (Path(self.repo.git_dir) / "MERGE_HEAD").exists():
                await self.git(*self.identity, "commit", "--no-verify", "--no-edit", "--quiet")
        except Exception as exc:
            # never leave the learner in the middle of a merge: back to their commit
            # (their changes are in it, and on the backup branch)
            if (Path(self.repo.git_dir) / "MERGE_HEAD").exists():
                await self.git("merge", "--abort", ok=False)
            why = exc.message if isinstance(exc, CloudscapesError) else "an unexpected error"
            raise CloudscapesError(
                409,
                "update_failed",
                f"The tutorial's changes could not be merged ({why}); your files are as "
                "they were before the update.",
                "Your changes are committed on your branch. Ask an instructor for help "
                "with this update.",
            ) from None

    async def _settle_unmerged(self, out: dict[str, Any]) -> None:
        entries = await self.lines("ls-files", "-u", "-z")
        stages: dict[str, set[str]] = {}
        for entry in entries:
            info, _, name = entry.partition("\t")
            stages.setdefault(name, set()).add(info.split()[-1])
        for name, have in stages.items():
            spec = name
            if "2" in have:
                await self.git("checkout", "--ours", "--", spec)
                await self.git("add", "--", spec)
                if name not in out["kept"]:
                    out["kept"].append(name)
            elif "3" in have:
                await self.git("checkout", "--theirs", "--", spec)
                await self.git("add", "--", spec)
                out["restored"].append(name)
            else:
                await self.git("rm", "--cached", "--quiet", "--", spec)

    async def _keep_theirs_beside(
        self, file: str, head: str | None, upstream: str, out: dict[str, Any]
    ) -> None:
        path = self.top / file
        if not path.is_file() or head is None:
            return
        if file.endswith(".ipynb"):
            await self._valid_notebook(file, head)
        theirs = await self._unpack(upstream, file)
        if theirs is None:
            return
        if theirs.read_bytes() == path.read_bytes():
            theirs.unlink()
            return
        to = beside_name(file, "tutorial update", top=self.top)
        os.chmod(theirs, path.stat().st_mode & 0o777)  # unpack-file makes it 0600
        os.replace(theirs, self.top / to)
        out["beside"].append({"file": file, "to": to})
        if file not in out["kept"]:
            out["kept"].append(file)

    async def _unpack(self, rev: str, file: str) -> Path | None:
        """``rev:file`` as a temporary file in the repository's top (``git
        unpack-file``: the blob's bytes as they are; command output is text)."""
        oid = await self.git("rev-parse", "--verify", "--quiet", f"{rev}:{file}", ok=False)
        if not oid.ok or not oid.stdout.strip():
            return None
        made = await self.git("unpack-file", oid.stdout.strip(), ok=False)
        name = made.stdout.strip()
        if not made.ok or not name or "/" in name:
            return None
        return self.top / name

    async def _valid_notebook(self, file: str, head: str) -> None:
        path = self.top / file
        try:
            json.loads(path.read_bytes())
            return
        except ValueError:
            pass
        ours = await self._unpack(head, file)
        if ours is not None:
            os.chmod(ours, path.stat().st_mode & 0o777)
            os.replace(ours, path)
            await self.git("add", "--", file)
