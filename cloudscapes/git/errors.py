"""What a failed git command means, for a learner: :func:`classify`.

git says why it failed in English on stderr (the runner sets ``LC_ALL=C``), in
phrases that have been stable for years. Each known phrase becomes a stable code the
panel can act on (``identity_required`` opens the identity dialog, ``auth_required``
the credentials dialog, ``push_rejected`` offers a pull) with a message and a hint in
plain words. Anything else is ``git_failed`` (409) with git's own last line, made
printable, cut, and with credentials masked: a remote URL may carry a token.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..contract import printable
from ..process import Result
from .runner import GitError

__all__ = ["classify", "last_line", "mask_secrets"]

#: ``scheme://user:password@`` or ``scheme://token@`` in a URL.
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s'\"]+@")
#: GitHub tokens (and similar prefixed tokens) wherever they show.
_TOKENS = re.compile(r"\b(gh[pousr]_|github_pat_|glpat-)[A-Za-z0-9_]{6,}")
#: The URL git names in an authentication or connection failure.
_QUOTED_URL = re.compile(r"'([a-z][a-z0-9+.-]*://[^']+)'|\b([a-z][a-z0-9+.-]*://\S+)", re.I)
_SSH_HOST = re.compile(r"(?:ssh: )?(?:Could not resolve hostname|connect to host) ([^\s:]+)")


def mask_secrets(text: str) -> str:
    """``text`` with credentials in URLs and token-looking words replaced by ``***``."""
    text = _URL_CREDENTIALS.sub(r"\1***@", text)
    return _TOKENS.sub(r"\1***", text)


def last_line(result: Result, limit: int = 300) -> str:
    """git's last meaningful stderr line (else stdout's), printable, masked, cut."""
    for stream in (result.stderr, result.stdout):
        lines = [ln.strip() for ln in stream.splitlines() if ln.strip()]
        # "hint:" lines explain; the "fatal:"/"error:" line says what happened
        serious = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
        for line in reversed(serious or lines):
            return printable(mask_secrets(line), limit)
    return ""


def host_of(text: str) -> str | None:
    """The host of the remote git names in ``text``, if any."""
    match = _QUOTED_URL.search(text)
    if match:
        try:
            host = urlsplit(match.group(1) or match.group(2)).hostname
        except ValueError:
            host = None
        if host:
            return host
    match = _SSH_HOST.search(text)
    return match.group(1) if match else None


Rule = tuple[str, int, str, str, tuple[str, ...]]

#: (code, status, message, hint, phrases): the first rule one of whose phrases is in
#: git's output wins (phrases are matched without case).
RULES: list[Rule] = [
    (
        "index_locked",
        409,
        "Another git command is using this repository (its index.lock file exists).",
        "Wait for it to finish and try again. If no git command is running, a crashed "
        "one left .git/index.lock behind: remove that file.",
        ("index.lock': file exists", ".lock': file exists"),
    ),
    (
        "identity_required",
        409,
        "git does not know your name and email yet, which every commit records.",
        "Enter the name and email to put on your commits.",
        (
            "please tell me who you are",
            "unable to auto-detect email address",
            "empty ident name",
            "no name was given and auto-detection is disabled",
            "no email was given and auto-detection is disabled",
        ),
    ),
    (
        "nothing_to_commit",
        409,
        "There is nothing to commit: no change is staged.",
        "Stage the changes you want to commit first.",
        ("nothing to commit", "no changes added to commit", "nothing added to commit"),
    ),
    (
        "merge_conflict",
        409,
        "Some files have conflicts that need to be resolved.",
        "Open each conflicted file, choose what to keep, and mark it as resolved.",
        (
            "conflict (",
            "automatic merge failed",
            "fix conflicts and then commit",
            "you need to resolve your current index first",
            "because you have unmerged files",
            "you have not concluded your merge",
            "needs merge",
        ),
    ),
    (
        "local_changes",
        409,
        "Your changes to some files would be overwritten.",
        "Commit or stash your changes first, then try again.",
        (
            "your local changes to the following files would be overwritten",
            "untracked working tree files would be overwritten",
            "untracked working tree files would be removed",
            "please commit your changes or stash them",
            "cannot pull with rebase: you have unstaged changes",
        ),
    ),
    (
        "push_rejected",
        409,
        "The remote has commits that you do not have yet, so your push was refused.",
        "Pull first (to bring in the remote's commits), then push again.",
        ("(fetch first)", "(non-fast-forward)", "updates were rejected", "[rejected]"),
    ),
    (
        "auth_required",
        409,
        "The remote asks you to sign in.",
        "Sign in (with GitHub, or with your user name and password or token) and try again.",
        (
            "authentication failed",
            "could not read username",
            "could not read password",
            "terminal prompts disabled",
            "permission denied (publickey",
            "http basic: access denied",
            "the requested url returned error: 401",
            "the requested url returned error: 403",
            "invalid username or password",
            "permission to ",
        ),
    ),
    (
        "detached_head",
        409,
        "You are not on a branch (a 'detached HEAD'): you are looking at one commit.",
        "Switch to a branch, or create one here to keep your work.",
        ("you are not currently on a branch", "head detached", "not on any branch"),
    ),
    (
        "branch_exists",
        409,
        "A branch or tag with that name already exists.",
        "Choose another name.",
        ("already exists",),
    ),
    (
        "unsafe_repository",
        409,
        "git refuses to work in this repository: it belongs to another user of the system.",
        "Ask your hub admin; in a terminal, 'git config --global --add safe.directory "
        "<folder>' trusts it if you know where it comes from.",
        ("detected dubious ownership",),
    ),
    (
        "not_a_repository",
        404,
        "This folder is not in a git repository.",
        "Open a folder inside a repository, or create one here.",
        ("not a git repository",),
    ),
    (
        "remote_unreachable",
        502,
        "The remote repository could not be reached.",
        "Check the URL and your network connection, then try again.",
        (
            "could not resolve host",
            "could not resolve hostname",
            "connection refused",
            "connection timed out",
            "failed to connect",
            "network is unreachable",
            "no route to host",
            "could not read from remote repository",
            "unable to access '",
            "the remote end hung up unexpectedly",
            "ssl certificate problem",
        ),
    ),
    (
        "not_found",
        404,
        "git could not find that revision, branch or file.",
        "Check the name (it may have been renamed or deleted) and try again.",
        (
            "unknown revision",
            "bad revision",
            "not a valid object name",
            "not a valid ref",
            "invalid reference",
            "did not match any file(s) known to git",
            "did not match any files",
            "couldn't find remote ref",
            "no such remote",
            "not found",
            "does not exist",
            "no such branch",
            "ambiguous argument",
            "bad object",
            "unknown commit",
        ),
    ),
]


def classify(result: Result, doing: str) -> GitError:
    """The :class:`GitError` for a failed git command; ``doing`` names it in messages
    ("commit", "switch to the branch")."""
    output = f"{result.stderr}\n{result.stdout}"
    lowered = output.lower()
    for code, status, message, hint, phrases in RULES:
        if any(p in lowered for p in phrases):
            details: dict[str, str] = {}
            if code in ("auth_required", "remote_unreachable"):
                host = host_of(output)
                if host:
                    details["host"] = printable(host, 100)
                    if code == "auth_required":
                        message = f"{printable(host, 100)} asks you to sign in."
            if code in ("not_found", "branch_exists"):
                line = last_line(result)
                if line:
                    message = f"{message} (git said: {line})"
            return GitError(status, code, message, hint, details)
    line = last_line(result) or f"exit status {result.returncode}"
    what = f"git {doing}" if doing else "git"
    return GitError(
        409,
        "git_failed",
        f"{what} failed: {line}",
        "Read what git said; if it is unclear, ask for help with the message.",
    )
