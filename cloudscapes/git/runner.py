"""How every git command of the feature runs: :class:`Git`.

One place decides the options git gets, so no route forgets one:

- argv only (:func:`cloudscapes.process.run`), its own process group, a timeout
  (``CloudscapesGit.timeout``, ``network_timeout`` for clone/fetch/pull/push); past
  it the whole group is stopped and the user gets 504 ``git_timeout``;
- a fixed, quiet environment: English messages (``LC_ALL=C``, which
  :mod:`.errors` reads), no prompt ever (no terminal, no askpass, ssh in batch mode),
  no pager, no editor, no inherited ``GIT_DIR``/``GIT_WORK_TREE`` that would point
  every command at another repository, and literal pathspecs (a file named ``*`` or
  ``:(exclude)x`` means that file);
- ``-c`` options that make the output parseable (``core.quotepath=false``, no
  colour), keep a repository's config from running programs on a read
  (``core.fsmonitor=false``, ``log.showSignature=false``: no ``gpg.program``), and
  make the transports safe: ``protocol.allow=never`` and then only the
  schemes the admin allows (``ext`` never: it runs a command);
- hooks only where asked (commit, merge) and only when ``run_hooks`` is on; every
  other command gets ``core.hooksPath=/dev/null``;
- reads (``read_only``) pass ``--no-optional-locks`` (a polled status must not
  take ``index.lock`` from under the user's terminal git) and take no lock; writes
  take the repository's lock (:class:`~cloudscapes.process.KeyedLocks`, keyed by the
  git dir), so two writes to one repository never overlap while other repositories
  go ahead.

A non-zero exit is returned (``result.ok``); :meth:`Git.check` turns it into a
:class:`GitError` with :func:`.errors.classify`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..handlers import CloudscapesError
from ..process import KeyedLocks, LineCallback, ProcessError, Result, run

if TYPE_CHECKING:
    from .config import CloudscapesGit

__all__ = ["Git", "GitError", "Repo", "Result", "base_config", "git_env"]

#: Transports git knows; the allowed ones get ``protocol.<s>.allow=always``.
TRANSPORTS = ("https", "http", "ssh", "git", "file")

#: Variables of the server's environment that would redirect or reconfigure git. (A
#: hub's GIT_AUTHOR_NAME/EMAIL and GIT_COMMITTER_NAME/EMAIL are kept: they are the
#: user's identity, as in their terminal.)
CLEARED_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
    "GIT_TRACE",
    "GIT_TRACE_PACKET",
    "GIT_TRACE_CURL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_DATE",
)


class GitError(CloudscapesError):
    """A git command failed in a way the user can act on (see :mod:`.errors`).
    ``details`` holds extra facts for job errors (``{"host": ...}`` for
    ``auth_required``); the HTTP error body carries code, message and hint only."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        hint: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(status, code, message, hint)
        self.details = details or {}


@dataclass
class Repo:
    """A repository the server found: ``top`` (its work tree, resolved), ``git_dir``
    (absolute) and ``rel``, the top as a client path (relative to the server root,
    ``""`` for the root itself; for a repository above the root, the root's path
    relative to the top is not a client path and ``rel`` is ``""``)."""

    top: Path
    git_dir: Path
    rel: str
    #: the top is above the server root (the root is a folder inside the repository)
    above_root: bool = False

    @property
    def key(self) -> str:
        return str(self.git_dir)


def base_config(
    config: CloudscapesGit, read_only: bool = False, hooks: bool = False, network: bool = False
) -> list[str]:
    """The options before git's subcommand (see the module's docstring)."""
    args = []
    if read_only:
        args.append("--no-optional-locks")
    options = [
        "core.quotepath=false",
        "color.ui=false",
        "core.pager=cat",
        "core.fsmonitor=false",
        # a repository's log.showSignature=true runs its gpg.program on every signed
        # commit a log shows (the stash list, polled, is a log)
        "log.showSignature=false",
        "protocol.allow=never",
    ]
    allowed = {s.lower() for s in config.allowed_schemes} - {"ext"}
    options += [f"protocol.{s}.allow=always" for s in TRANSPORTS if s in allowed]
    options.append("protocol.ext.allow=never")
    if read_only or not hooks or not config.run_hooks:
        options.append("core.hooksPath=/dev/null")
    for option in options:
        args += ["-c", option]
    return args


def git_env(extra: dict[str, str | None] | None = None) -> dict[str, str | None]:
    """The variables every git command gets on top of the server's safe environment."""
    env: dict[str, str | None] = {name: None for name in CLEARED_ENV}
    env.update(
        {
            "LANG": "C",
            "LC_ALL": "C",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "GIT_EDITOR": "true",
            "GIT_SEQUENCE_EDITOR": "true",
            "GIT_MERGE_AUTOEDIT": "no",
            "GIT_ASKPASS": "",
            "SSH_ASKPASS": "",
            "GIT_LITERAL_PATHSPECS": "1",
            "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND") or "ssh -oBatchMode=yes",
        }
    )
    env.update(extra or {})
    return env


def _is_folder(path: Path) -> bool:
    return os.path.isdir(path)


class Git:
    """Runs git for the feature (see the module's docstring)."""

    def __init__(self, config: CloudscapesGit, root: Path, log: Any) -> None:
        self.config = config
        self.root = root
        self.log = log
        #: one lock per repository (key: its git dir)
        self.locks = KeyedLocks()

    def lock(self, repo: Repo) -> Any:
        """``async with git.lock(repo):`` for a sequence of writes that must not be
        interleaved with another (then run each with ``lock=False``)."""
        return self.locks(repo.key)

    async def run(
        self,
        args: list[str],
        *,
        repo: Repo | None = None,
        cwd: Path | None = None,
        read_only: bool = False,
        hooks: bool = False,
        timeout: float | None = None,
        network: bool = False,
        input: str | bytes | None = None,
        on_line: LineCallback | None = None,
        env: dict[str, str | None] | None = None,
        lock: bool = True,
        doing: str = "",
        capture_bytes: int = 1_000_000,
    ) -> Result:
        """Run ``git <base options> <args>`` in ``cwd`` (default: ``repo.top``, else the
        server root) and return its result, whatever its exit status."""
        argv = ["git", *base_config(self.config, read_only, hooks, network), *args]
        where = cwd if cwd is not None else (repo.top if repo is not None else self.root)
        if timeout is None:
            timeout = self.config.network_timeout if network else self.config.timeout
        if repo is not None and lock and not read_only:
            async with self.locks(repo.key):
                return await self._run(
                    argv, where, timeout, input, on_line, env, doing, args, capture_bytes
                )
        return await self._run(
            argv, where, timeout, input, on_line, env, doing, args, capture_bytes
        )

    async def _run(
        self,
        argv: list[str],
        cwd: Path,
        timeout: float,
        input: str | bytes | None,
        on_line: LineCallback | None,
        env: dict[str, str | None] | None,
        doing: str,
        args: list[str],
        capture_bytes: int,
    ) -> Result:
        try:
            return await run(
                argv,
                cwd=cwd,
                env=git_env(env),
                timeout=timeout,
                input=input,
                on_line=on_line,
                capture_bytes=capture_bytes,
            )
        except ProcessError as exc:
            if exc.code == "command_not_runnable" and not _is_folder(cwd):
                raise GitError(
                    404,
                    "not_found",
                    "The folder was removed while git was about to work in it.",
                    "Refresh the file browser and open an existing folder.",
                ) from None
            if exc.code != "process_timeout":
                raise
            what = doing or (args[0] if args else "")
            raise GitError(
                504,
                "git_timeout",
                f"git {what} did not finish within {timeout:g} s and was stopped.",
                "Try again. If it keeps happening, a hook or a very large repository may "
                "need more time than the server allows (ask your hub admin about "
                "CloudscapesGit.timeout).",
            ) from None

    def check(self, result: Result, doing: str) -> Result:
        """``result`` when git succeeded, else the :class:`GitError` it means."""
        if result.ok:
            return result
        from .errors import classify

        raise classify(result, doing)

    async def ok(self, args: list[str], *, doing: str = "", **kwargs: Any) -> Result:
        """:meth:`run` then :meth:`check`."""
        return self.check(await self.run(args, doing=doing, **kwargs), doing or args[0])
