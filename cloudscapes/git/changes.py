"""Changing the index and the work tree: stage, unstage, hunks, discard, commit, the
user's identity, ``.gitignore`` and ``git init``.

File lists reach git on stdin (``--pathspec-from-file=- --pathspec-file-nul``), never
as arguments, where they can neither be read as options nor overflow the argument
list; the runner's literal pathspecs make ``*`` a file name. Each operation that
takes several git steps (read a diff, then apply part of it) holds the repository's
lock across them. Commit messages go on stdin too (``commit -F -``).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..contract import printable
from ..handlers import CloudscapesError, bad_request
from ..paths import has_control
from ..userfiles import newline_of
from . import repos
from .runner import GitError, Repo
from .safety import repo_file
from .status import summary

if TYPE_CHECKING:
    from .service import GitService

__all__ = [
    "commit",
    "discard",
    "get_identity",
    "hunks",
    "ignore",
    "init",
    "set_identity",
    "stage",
    "unstage",
]

#: Pass a list of files on stdin, NUL-separated.
FROM_STDIN = ["--pathspec-from-file=-", "--pathspec-file-nul"]

#: The diff whose hunks ``POST hunks`` counts (``--cached`` added to unstage): the
#: diff route must list a file's hunks from the same command, so positions agree.
HUNK_DIFF = (
    "diff",
    "-U3",
    "--no-ext-diff",
    "--no-textconv",
    "--no-color",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--ignore-submodules=none",
)

#: Key of the lock around writes to the user's global git config.
GLOBAL_CONFIG = "global-config"


def _files(repo: Repo, files: Any) -> list[str]:
    checked = [repo_file(repo, f) for f in files or []]
    # a collapsed folder row is 'data/': repo_file keeps it as 'data'
    return list(dict.fromkeys(checked))


def _nul(files: list[str]) -> str:
    return "".join(f"{f}\0" for f in files)


def _want_files(files: Any, everything: Any) -> None:
    if not everything and not files:
        raise bad_request(
            "Name the files, or send all: true.",
            "Send files: [...] with at least one file, or all: true.",
            code="invalid_request",
        )


async def has_head(service: GitService, repo: Repo) -> bool:
    """Whether HEAD names a commit (False before the first commit)."""
    result = await service.git.run(
        ["rev-parse", "-q", "--verify", "HEAD^{commit}"], repo=repo, read_only=True
    )
    return result.ok


# ---- staging ----------------------------------------------------------------------------


async def stage(
    service: GitService,
    repo: Repo,
    files: Any = None,
    everything: bool = False,
    group: str | None = None,
) -> dict[str, Any]:
    """``git add`` the files (changes, new files and deletions alike), everything, or
    every file of one group of the status (``changed``: the tracked files' changes,
    ``untracked``: the new files), all of it and not only the pages a client has seen."""
    if group == "changed":
        async with service.git.lock(repo):
            # files still in conflict are their own group: staging them marks them
            # resolved, which only the conflict view does
            unmerged = await service.git.ok(
                ["diff", "--name-only", "--diff-filter=U", "-z", "--no-ext-diff"],
                repo=repo,
                lock=False,
                doing="add",
            )
            wanted = ["."] + [f":(exclude,literal){n}" for n in unmerged.stdout.split("\0") if n]
            await service.git.ok(
                ["add", "-u", *FROM_STDIN],
                repo=repo,
                lock=False,
                input=_nul(wanted),
                env={"GIT_LITERAL_PATHSPECS": None},
                doing="add",
            )
        return await summary(service, repo)
    if group == "untracked":
        listed = await service.git.ok(
            ["ls-files", "-o", "--exclude-standard", "-z"], repo=repo, read_only=True, doing="add"
        )
        # a nested repository is listed as 'folder/': it is never staged from here
        files = [n for n in listed.stdout.split("\0") if n and not n.endswith("/")]
        if not files:
            return await summary(service, repo)
    _want_files(files, everything)
    git = service.git
    names = [] if everything else _files(repo, files)
    async with git.lock(repo):
        # a nested repository would be added as a bare gitlink (a broken submodule):
        # "all" leaves them out, naming one is refused
        inner: list[str] = []
        for chunk in [None] if everything else _chunks(names):
            inner += await repos.embedded_repos(git, repo, chunk)
        clash = [n for n in names if n in inner]
        if clash:
            raise GitError(
                409,
                "nested_repository",
                f"'{printable(clash[0])}' is a git repository of its own, so it "
                "cannot be staged here.",
                "Open that folder to commit in its own repository, or add it to .gitignore.",
            )
        # pathspec magic is on for this one command, so that every name is spelled
        # ':(literal)name' and the nested repositories ':(exclude,literal)name'
        wanted = ["."] if everything else [f":(literal){n}" for n in names]
        wanted += [f":(exclude,literal){n}" for n in inner]
        await git.ok(
            ["add", "-A", *FROM_STDIN],
            repo=repo,
            lock=False,
            input=_nul(wanted),
            env={"GIT_LITERAL_PATHSPECS": None},
            doing="add",
        )
    return await summary(service, repo)


async def unstage(
    service: GitService, repo: Repo, files: Any = None, everything: bool = False
) -> dict[str, Any]:
    """Take the files (or everything) out of the index, back to HEAD's version; before
    the first commit there is no HEAD: the files leave the index (``reset``)."""
    _want_files(files, everything)
    git = service.git
    async with git.lock(repo):
        head = await has_head(service, repo)
        if everything:
            # with a pathspec, reset keeps a merge in progress (a bare reset ends it)
            args = ["reset", "-q", "--", "."] if head else ["rm", "-r", "-q", "--cached", "-f", "."]
            await git.ok(args, repo=repo, lock=False, doing="unstage")
        else:
            names = await _with_rename_sources(service, repo, _files(repo, files))
            args = ["restore", "--staged"] if head else ["reset", "-q"]
            await git.ok(
                [*args, *FROM_STDIN], repo=repo, lock=False, input=_nul(names), doing="unstage"
            )
    return await summary(service, repo)


async def _with_rename_sources(service: GitService, repo: Repo, names: list[str]) -> list[str]:
    """``names`` plus the old name of each staged rename among them: unstaging the new
    name alone would leave the old one staged as deleted."""
    result = await service.git.run(
        ["diff", "--cached", "--name-status", "-z", "-M", "--no-ext-diff"],
        repo=repo,
        read_only=True,
    )
    if not result.ok:
        return names
    wanted = set(names)
    extra = []
    fields = result.stdout.split("\0")
    i = 0
    while i < len(fields):
        code = fields[i]
        if code.startswith(("R", "C")) and i + 2 < len(fields):
            old, new = fields[i + 1], fields[i + 2]
            if new in wanted and code.startswith("R"):
                extra.append(old)
            i += 3
        else:
            i += 2
    return list(dict.fromkeys([*names, *extra]))


# ---- hunks ------------------------------------------------------------------------------


def split_patch(patch: str) -> tuple[str, list[str]]:
    """A one-file ``git diff`` as (its header, its hunks), each hunk with its ``@@``
    line and its lines (``\\ No newline at end of file`` included)."""
    # split on "\n" only: str.splitlines also splits on "\r", form feeds and U+2028,
    # which a changed line may hold
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", patch)
    header: list[str] = []
    hunk_list: list[list[str]] = []
    for line in lines:
        if line.startswith("@@"):
            hunk_list.append([line])
        elif hunk_list:
            hunk_list[-1].append(line)
        else:
            header.append(line)
    return "".join(header), ["".join(h) for h in hunk_list]


async def hunks(
    service: GitService, repo: Repo, file: Any, indexes: list[int], unstage: bool = False
) -> dict[str, Any]:
    """Stage (or unstage) some hunks of ``file``: its diff (work tree against the index
    to stage, the index against HEAD to unstage, 3 lines of context), the chosen hunks
    put back together, ``git apply --cached [--reverse] --recount``."""
    name = repo_file(repo, file)
    git = service.git
    diff = list(HUNK_DIFF)
    if unstage:
        diff.append("--cached")
    async with git.lock(repo):
        result = await git.ok(
            [*diff, "--", name], repo=repo, read_only=True, doing="diff", capture_bytes=64_000_000
        )
        if result.stdout_truncated:
            raise GitError(
                409,
                "diff_too_large",
                "This file's changes are too large to stage part by part.",
                "Stage the whole file instead.",
            )
        header, parts = split_patch(result.stdout)
        if not parts:
            raise GitError(
                409,
                "no_hunks",
                f"'{printable(name)}' has no changes to "
                f"{'unstage' if unstage else 'stage'} line by line (none, or binary).",
                "Refresh the diff; stage or unstage the whole file instead.",
            )
        wanted = sorted(set(indexes))
        if not wanted or wanted[-1] >= len(parts) or wanted[0] < 0:
            raise bad_request(
                f"The file has {len(parts)} hunk(s); hunk {wanted[-1] if wanted else '?'} "
                "does not exist.",
                "Refresh the diff: the file may have changed since.",
                code="invalid_hunk",
            )
        patch = header + "".join(parts[i] for i in wanted)
        args = ["apply", "--cached", "--recount", "--whitespace=nowarn"]
        if unstage:
            args.append("--reverse")
        await git.ok([*args, "-"], repo=repo, lock=False, input=patch, doing="apply")
    return await summary(service, repo)


# ---- discarding -------------------------------------------------------------------------


async def discard(service: GitService, repo: Repo, files: Any, confirm: Any) -> dict[str, Any]:
    """Throw away work tree changes of ``files``: tracked files back to the index's
    version (``checkout``), untracked files and folders deleted (``clean``, which never
    deletes ignored files nor nested repositories)."""
    if confirm is not True:
        raise bad_request(
            "Discarding changes needs confirm: true.",
            "Discarded changes cannot be recovered; ask the user first.",
            code="confirmation_required",
        )
    names = _files(repo, files)
    git = service.git
    async with git.lock(repo):
        tracked_files: set[str] = set()
        for chunk in _chunks(names):
            listed = await git.ok(
                ["ls-files", "-z", "--", *chunk],
                repo=repo,
                read_only=True,
                doing="list files",
                capture_bytes=64_000_000,
            )
            tracked_files.update(filter(None, listed.stdout.split("\0")))
        tracked = [n for n in names if n in tracked_files or _has_under(tracked_files, n)]
        if tracked:
            await git.ok(
                ["checkout", "-q", *FROM_STDIN],
                repo=repo,
                lock=False,
                input=_nul(tracked),
                doing="discard changes",
            )
        for chunk in _chunks(names):
            await git.ok(
                ["clean", "-f", "-d", "-q", "--", *chunk],
                repo=repo,
                lock=False,
                doing="remove untracked files",
            )
    return await summary(service, repo)


def _has_under(tracked: set[str], folder: str) -> bool:
    prefix = folder.rstrip("/") + "/"
    return any(t.startswith(prefix) for t in tracked)


def _chunks(names: list[str], budget: int = 100_000) -> list[list[str]]:
    """``names`` in argument lists of at most ``budget`` bytes (far below ARG_MAX)."""
    out: list[list[str]] = [[]]
    size = 0
    for name in names:
        length = len(name.encode()) + 1
        if out[-1] and size + length > budget:
            out.append([])
            size = 0
        out[-1].append(name)
        size += length
    return [c for c in out if c]


# ---- committing -------------------------------------------------------------------------


#: git never makes up an identity (``root@hostname``) for a commit of the panel.
CONFIG_ONLY = ["-c", "user.useConfigOnly=true"]


async def global_identity(service: GitService) -> dict[str, str | None]:
    """user.name and user.email of the user's global config (``~/.gitconfig``)."""
    home = _home()
    result = await service.git.run(
        ["config", "--global", "--null", "--get-regexp", r"^user\.(name|email)$"],
        cwd=home if home.is_dir() else None,
        read_only=True,
        doing="read your identity",
    )
    found: dict[str, str | None] = {"name": None, "email": None}
    for record in result.stdout.split("\0"):
        key, _, value = record.partition("\n")
        key = key.lower()
        if key in ("user.name", "user.email") and value.strip():
            found[key.split(".")[1]] = value.strip()  # the last one wins, as for git
    return found


async def has_identity(service: GitService, repo: Repo) -> bool:
    """Whether git knows who commits in ``repo`` (its config, the user's, or the
    GIT_AUTHOR_*/GIT_COMMITTER_* a hub may set), without guessing one."""
    for ident in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        result = await service.git.run(
            [*CONFIG_ONLY, "var", ident], repo=repo, read_only=True, doing="read your identity"
        )
        if not result.ok:
            return False
    return True


def identity_required() -> GitError:
    return GitError(
        409,
        "identity_required",
        "git does not know your name and email yet, which every commit records.",
        "Enter the name and email to put on your commits (saved in your ~/.gitconfig).",
    )


async def commit(
    service: GitService,
    repo: Repo,
    message: Any,
    amend: bool = False,
    allow_empty: bool = False,
) -> dict[str, Any]:
    """Commit what is staged (``commit -F -``, the message on stdin; the repository's
    hooks run when the admin allows). ``amend`` with an empty message keeps the last
    commit's message."""
    if not isinstance(message, str):
        raise bad_request(
            "The message must be text.",
            "Send the commit message as a string.",
            code="invalid_field",
        )
    text = message.replace("\r\n", "\n")
    if not text.strip() and not amend:
        raise bad_request(
            "The commit message is empty.",
            "Say in a few words what this change does, for example 'Add the sea ice plot'.",
            code="empty_message",
        )
    if "\0" in text:
        raise bad_request(
            "The message contains a NUL character.",
            "Remove the NUL character (git cannot store it in a commit message).",
            code="invalid_field",
        )
    if not await has_identity(service, repo):
        raise identity_required()
    args = [*CONFIG_ONLY, "commit", "-q"]
    if amend:
        args.append("--amend")
    if allow_empty:
        args.append("--allow-empty")
    git = service.git
    async with git.lock(repo):
        if text.strip():
            args += ["-F", "-"]
            result = await git.run(
                args, repo=repo, lock=False, hooks=True, input=text, doing="commit"
            )
        else:
            args.append("--no-edit")
            result = await git.run(args, repo=repo, lock=False, hooks=True, doing="commit")
        if not result.ok:
            raise _commit_error(service, result)
        done = await git.ok(
            ["log", "-1", "--format=%H%x00%s", "HEAD"], repo=repo, read_only=True, doing="log"
        )
    oid, _, subject = done.stdout.rstrip("\n").partition("\0")
    return {"oid": oid, "summary": subject}


#: What git itself says when it refuses a commit; anything else a failed commit
#: printed came from a hook (pre-commit, commit-msg), whose words ("black: command
#: not found", "file already exists") must not be read as git's.
COMMIT_CODES = ("identity_required", "nothing_to_commit", "merge_conflict", "index_locked")

#: git's refusals of ``--amend``: (phrase, code, message, hint).
AMEND_REFUSALS = (
    (
        "nothing to amend",
        "nothing_to_amend",
        "There is no commit to amend yet.",
        "Make a first commit (without 'amend').",
    ),
    (
        "cannot amend",
        "merge_in_progress",
        "A merge is in progress, so the last commit cannot be amended.",
        "Finish the merge with a normal commit, or abort it.",
    ),
)


def _commit_error(service: GitService, result: Any) -> CloudscapesError:
    from .errors import classify, last_line

    said = f"{result.stderr}\n{result.stdout}".lower()
    for phrase, code, message, hint in AMEND_REFUSALS:
        if phrase in said:
            return GitError(409, code, message, hint)
    error = classify(result, "commit")
    if error.code in COMMIT_CODES:
        return error
    # a hook said no: its words are what the user needs
    line = last_line(result) or f"exit status {result.returncode}"
    return GitError(
        409,
        "git_failed",
        f"The commit was refused: {line}",
        "A hook of this repository (pre-commit, commit-msg) refused it. Read its "
        "message, fix what it asks, and commit again."
        if service.config.run_hooks
        else "Read what git said; if it is unclear, ask for help with the message.",
    )


# ---- identity ---------------------------------------------------------------------------


def _home() -> Path:
    return Path(os.path.expanduser("~"))


async def get_identity(service: GitService) -> dict[str, str | None]:
    return await global_identity(service)


def _check_identity(name: Any, email: Any) -> tuple[str, str]:
    hint = "Enter your name (for example 'Ada Lovelace') and an email address."
    if not isinstance(name, str) or not isinstance(email, str):
        raise bad_request("Name and email must be text.", hint, code="invalid_identity")
    name, email = name.strip(), email.strip()
    if not name or has_control(name) or any(c in name for c in "<>"):
        raise bad_request(
            "The name is empty or has a line break, a control character, '<' or '>'.",
            hint,
            code="invalid_identity",
        )
    if (
        not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", email)
        or has_control(email)
        or email.startswith("-")
    ):
        raise bad_request(
            f"'{printable(email)}' is not an email address.", hint, code="invalid_identity"
        )
    return name, email


async def set_identity(service: GitService, name: Any, email: Any) -> dict[str, str | None]:
    """Write user.name and user.email to the user's global git config."""
    name, email = _check_identity(name, email)
    git = service.git
    home = _home()
    async with git.locks(GLOBAL_CONFIG):
        for key, value in (("user.name", name), ("user.email", email)):
            await git.ok(
                ["config", "--global", "--replace-all", key, value],
                cwd=home if home.is_dir() else None,
                doing="save your identity",
            )
    return await get_identity(service)


# ---- .gitignore -------------------------------------------------------------------------


async def ignore(service: GitService, repo: Repo, pattern: Any) -> dict[str, Any]:
    """Append ``pattern`` as a line of the top ``.gitignore`` unless it is there."""
    hint = "Send one .gitignore line, for example 'data/' or '*.nc'."
    if not isinstance(pattern, str) or not pattern.strip():
        raise bad_request("The pattern is empty.", hint, code="invalid_pattern")
    if has_control(pattern):
        raise bad_request(
            "The pattern has a line break or a control character.", hint, code="invalid_pattern"
        )
    if pattern.lstrip().startswith("#"):
        raise bad_request(
            "A line starting with '#' is a comment, not a pattern.",
            "Write '\\#' to ignore a file whose name starts with '#'.",
            code="invalid_pattern",
        )
    pattern = pattern.strip()
    path = repo.top / ".gitignore"
    async with service.git.lock(repo):
        added = _append_line(path, pattern)
    return {"pattern": pattern, "added": added}


def _append_line(path: Path, line: str) -> bool:
    """Append ``line`` to the file ``path`` unless it holds it. Bytes in, bytes out: a
    ``.gitignore`` in another encoding than UTF-8 (Latin-1 names) keeps its bytes."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise GitError(
            409,
            "gitignore_not_a_file",
            "The repository's .gitignore is not a regular file (a link or a folder), so "
            "Cloudscapes does not change it.",
            "Edit it in a terminal or an editor.",
        )
    try:
        data = path.read_bytes() if info is not None else b""
        wanted = line.encode("utf-8")
        if wanted in (existing.rstrip(b"\r") for existing in data.split(b"\n")):
            return False
        newline = newline_of(data.decode("utf-8", errors="replace")).encode() if data else b"\n"
        if data and not data.endswith(b"\n"):
            data += newline
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o644
        _atomic_write_bytes(path, data + wanted + newline, mode)
    except OSError as exc:
        raise GitError(
            409,
            "cannot_write",
            f"The .gitignore could not be written ({printable(exc.strerror or exc, 100)}).",
            "Check that the repository's folder is writable and the disk is not full.",
        ) from None
    return True


def _atomic_write_bytes(path: Path, data: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# ---- init -------------------------------------------------------------------------------


async def init(service: GitService, path: Any) -> dict[str, Any]:
    """``git init`` in the folder ``path`` (branch ``main`` unless the user's
    ``init.defaultBranch`` says otherwise); 409 when the folder already is a
    repository's top."""
    folder = service.folder(path)
    if isinstance(path, str) and any(
        p.lower() == ".git" for p in path.replace("\\", "/").split("/")
    ):
        raise bad_request(
            "A repository cannot be created inside a .git folder.",
            "Choose a folder of your own files.",
            code="invalid_path",
        )
    git = service.git
    existing = await service.find(path)
    if existing is not None and existing.top == folder:
        raise GitError(
            409,
            "already_a_repository",
            "This folder already is a git repository.",
            "Open the git panel to work with it.",
        )
    default = await git.run(["config", "--get", "init.defaultBranch"], cwd=folder, read_only=True)
    args = ["init", "-q"]
    if not default.stdout.strip():
        args += ["-b", "main"]
    await git.ok(args, cwd=folder, doing="init")
    service.forget()
    return await repos.describe(service, path)
