"""Remotes (list, add, remove), what every network command shares: URLs shown without
their credentials, git's ``--progress`` read into a job's progress.

A remote URL is the one place a learner's secret could end up in ``.git/config``
(``https://user:token@host/...``, as old tutorials taught), so:

- every URL that leaves the server goes through :func:`mask_url` (the user info of an
  http(s) URL becomes ``***``: a token is often the *user name* there; other schemes
  keep the user name, which is ``git`` for ssh, and lose a password);
- a URL with credentials in it is refused when added or cloned (400
  ``credentials_in_url``): the credential helper and the cache are the places for them;
- every line git prints into a job's log is masked the same way, since git names the
  remote in its errors.

Progress: ``git clone/fetch/pull/push --progress`` redraws one line per phase with a
carriage return (``Receiving objects:  45% (9/20)``); :class:`Progress` turns those
redraws into one percentage over the phases of the command (weights below) and keeps
only the lines that are not redraws for the log, so a clone of a big repository does
not push a thousand redraws through the job's ring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..handlers import CloudscapesError, bad_request

if TYPE_CHECKING:
    from .runner import Repo
    from .service import GitService

# ---- masking ----------------------------------------------------------------------------

#: ``scheme://userinfo@`` anywhere in a text (a URL inside an error message). The user
#: info runs to the *last* ``@`` before the path, as git reads it: a password may hold
#: an ``@`` of its own.
_URL_USERINFO = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s]+)@")

#: GitHub's and GitLab's prefixed tokens, wherever they show.
_TOKENS = re.compile(r"\b(gh[pousr]_|github_pat_|glpat-)[A-Za-z0-9_]{6,}")


def _mask_userinfo(match: re.Match[str]) -> str:
    scheme, info = match.group(1), match.group(2)
    if scheme.lower().startswith(("http", "ftp")):
        return f"{scheme}***@"
    user, sep, _ = info.partition(":")
    return f"{scheme}{user}:***@" if sep else f"{scheme}{user}@"


def mask_url(text: str) -> str:
    """``text`` (a URL, or a line that names one) without credentials: http(s) user
    info becomes ``***``, other schemes keep their user name and lose a password; a
    token-looking word (``ghp_...``, ``ghu_...``, ``glpat-...``) anywhere is masked too
    (a remote's ``remote:`` lines may quote one)."""
    return _TOKENS.sub(r"\1***", _URL_USERINFO.sub(_mask_userinfo, text))


def has_credentials(url: str) -> bool:
    """Whether ``url`` carries a password or token: user info in an http(s) URL, a
    password in any other ``scheme://`` URL."""
    match = _URL_USERINFO.search(url)
    if match is None or match.start() != 0:
        return False
    scheme, info = match.group(1).lower(), match.group(2)
    return scheme.startswith(("http", "ftp")) or ":" in info


def refuse_credentials(url: str) -> None:
    if has_credentials(url):
        raise bad_request(
            "The URL has a user name or password in it; Cloudscapes does not keep "
            "credentials in a remote's URL (it would be saved in plain text in .git/config).",
            "Use the URL without them (https://host/owner/repo.git): GitHub sign-in or "
            "the credentials dialog provides them when the server asks.",
            code="credentials_in_url",
        )


def url_host(url: str) -> str | None:
    """The host of ``url`` (``github.com``, ``gitlab.example.org:8443``) for messages,
    or None (a local path)."""
    if "://" in url:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        host = parts.hostname or ""
        if not host:
            return None
        try:
            port = parts.port
        except ValueError:
            port = None
        return f"{host}:{port}" if port else host
    scp = re.match(r"^(?:[^@/:]+@)?([^/:]+):", url)  # git@github.com:owner/repo
    return scp.group(1) if scp else None


def repo_name_from_url(url: str) -> str:
    """The folder ``git clone`` would make: the URL's last path part without ``.git``."""
    tail = url.rstrip("/")
    if tail.endswith("/.git"):
        tail = tail[: -len("/.git")]
    tail = re.split(r"[/:]", tail)[-1] if tail else ""
    if tail.endswith(".git"):
        tail = tail[: -len(".git")]
    return tail


# ---- progress ---------------------------------------------------------------------------

#: ``[remote: ]Phase name:  45% (9/20)[, 1.2 MiB | 3 MiB/s][, done.]``
_PROGRESS = re.compile(
    r"^(?:remote:\s*)?(?P<phase>[A-Z][A-Za-z ]+?):\s+(?P<pct>\d{1,3})%"
    r"\s*(?:\((?P<n>\d+)/(?P<of>\d+)\))?"
)

#: Share of the whole command each phase stands for (start, end), in percent. Phases
#: not listed change the message only.
PHASES: dict[str, tuple[float, float]] = {
    "Enumerating objects": (0, 2),
    "Counting objects": (2, 5),
    "Compressing objects": (5, 10),
    "Delta compression using up to": (5, 10),
    "Receiving objects": (10, 80),
    "Writing objects": (10, 95),
    "Resolving deltas": (80, 95),
    "Updating files": (95, 100),
    "Checking out files": (95, 100),
}


@dataclass
class Step:
    phase: str
    percent: int
    done: int | None
    total: int | None
    finished: bool


def parse_progress(line: str) -> Step | None:
    """One redraw of git's progress (``Receiving objects:  45% (9/20)``), or None for a
    line that is not one."""
    match = _PROGRESS.match(line.strip())
    if match is None:
        return None
    n, of = match.group("n"), match.group("of")
    return Step(
        phase=match.group("phase").strip(),
        percent=min(100, int(match.group("pct"))),
        done=int(n) if n is not None else None,
        total=int(of) if of is not None else None,
        finished=line.rstrip().endswith("done."),
    )


def split_redraws(text: str) -> list[str]:
    """A chunk of git's stderr as the lines it draws: ``\\r`` and ``\\n`` both end one."""
    return [piece for piece in re.split(r"\r\n?|\n", text) if piece.strip()]


@dataclass
class Progress:
    """Reads a network command's stderr (``on_line``) into the job: ``report(percent,
    message)`` for each progress redraw, ``log(line)`` for every other line and for
    each phase's last state. Everything is masked (:func:`mask_url`) first."""

    report: Callable[[float, str], None]
    log: Callable[[str, str], None]
    percent: float = 0.0
    _last_phase: str | None = field(default=None, repr=False)
    _last_line: str = field(default="", repr=False)
    lines: list[str] = field(default_factory=list, repr=False)

    def feed(self, stream: str, text: str) -> None:
        for line in split_redraws(text):
            self._line(stream, mask_url(line))

    def _line(self, stream: str, line: str) -> None:
        step = parse_progress(line)
        if step is None:
            self._flush()
            self.lines.append(line)
            del self.lines[:-50]
            self.log(line, stream)
            return
        if self._last_phase is not None and step.phase != self._last_phase:
            self._flush()
        self._last_phase, self._last_line = step.phase, line
        span = PHASES.get(step.phase)
        if span is not None:
            start, end = span
            value = start + (end - start) * step.percent / 100
            self.percent = max(self.percent, value)  # phases never move it back
        self.report(self.percent, line.removeprefix("remote:").strip())
        if step.finished:
            self._flush()

    def _flush(self) -> None:
        if self._last_line:
            self.log(self._last_line, "stderr")
        self._last_phase, self._last_line = None, ""

    def close(self) -> None:
        self._flush()


def job_progress(ctx: Any) -> Progress:
    """A :class:`Progress` that reports into a job (percent of 100)."""
    return Progress(
        report=lambda percent, message: ctx.progress(percent, 100, message),
        log=lambda line, stream: ctx.log(line, stream),
    )


# ---- remotes ----------------------------------------------------------------------------


async def list_remotes(service: GitService, repo: Repo) -> list[dict[str, Any]]:
    """``[{name, url, push_url}]`` in the order git lists them, URLs masked."""
    result = await service.git.run(
        ["config", "-z", "--get-regexp", r"^remote\..*\.(url|pushurl)$"],
        repo=repo,
        read_only=True,
        doing="config",
    )
    if result.returncode not in (0, 1):  # 1: no remote at all
        service.git.check(result, "list the remotes")
    remotes: dict[str, dict[str, Any]] = {}
    for entry in result.stdout.split("\0"):
        key, _, value = entry.partition("\n")
        if not key.startswith("remote."):
            continue
        name, _, which = key[len("remote.") :].rpartition(".")
        item = remotes.setdefault(name, {"name": name, "url": None, "push_url": None})
        if which == "url" and item["url"] is None:
            item["url"] = mask_url(value)
        elif which == "pushurl" and item["push_url"] is None:
            item["push_url"] = mask_url(value)
    return [
        {"name": r["name"], "url": r["url"] or "", "push_url": r["push_url"] or r["url"] or ""}
        for r in remotes.values()
    ]


async def remote_names(service: GitService, repo: Repo) -> list[str]:
    return [r["name"] for r in await list_remotes(service, repo)]


async def add_remote(service: GitService, repo: Repo, name: str, url: str) -> list[dict[str, Any]]:
    from . import safety

    name = safety.check_remote_name(name)
    url = safety.check_url(url, service.config.allowed_schemes)
    refuse_credentials(url)
    if name in await remote_names(service, repo):
        raise CloudscapesError(
            409,
            "remote_exists",
            f"This repository already has a remote named '{name}'.",
            "Pick another name, or remove the existing remote first.",
        )
    result = await service.git.run(["remote", "add", "--", name, url], repo=repo, doing="remote")
    service.git.check(result, "add the remote")
    return await list_remotes(service, repo)


async def remove_remote(service: GitService, repo: Repo, name: str) -> list[dict[str, Any]]:
    from . import safety

    name = safety.check_remote_name(name)
    if name not in await remote_names(service, repo):
        raise CloudscapesError(
            404,
            "no_such_remote",
            f"This repository has no remote named '{name}'.",
            "Refresh the list of remotes.",
        )
    result = await service.git.run(["remote", "remove", "--", name], repo=repo, doing="remote")
    service.git.check(result, "remove the remote")
    return await list_remotes(service, repo)
