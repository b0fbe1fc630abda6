"""Checks on what a client sends before it reaches a git argv.

git reads its argv by position and by leading dash: a branch named
``--upload-pack=touch /tmp/pwned`` is an option, a file named ``-f`` too, a URL
``ext::sh -c ...`` runs a command. So every name is checked here, and every argv puts
options first, then ``--end-of-options`` before revisions and ``--`` before paths
(the runner adds ``GIT_LITERAL_PATHSPECS``, so a path is never a glob or ``:(magic)``).

- :func:`check_ref_name`: a branch or tag name git itself accepts
  (``git check-ref-format``), without a leading dash or control characters.
- :func:`check_remote_name`, :func:`check_url` (scheme allow-list).
- :func:`repo_file`: a repo-relative file that stays inside the work tree (no
  ``..``, no symbolic link leading out on the way) and never names the ``.git``
  folder (writing ``.git/config`` or ``.git/hooks/*`` would let a request run code).
- :func:`revision`: a revision that cannot be read as an option.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from ..contract import _SURROGATE, printable
from ..handlers import bad_request
from ..paths import MAX_NAME_BYTES, has_control, is_inside

if TYPE_CHECKING:
    from .runner import Git, Repo

__all__ = ["check_ref_name", "check_remote_name", "check_url", "repo_file", "revision"]

#: Longest branch, tag or remote name accepted (git's own limit is the file system's).
MAX_NAME = 200
#: Longest revision expression (``main~3``, an object id, ``origin/main``).
MAX_REVISION = 400
#: Longest URL.
MAX_URL = 2048

_REMOTE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_TRANSPORT = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")
_SCP_LIKE = re.compile(r"^(?:[^@/\s]+@)?(\[[^\]]+\]|[^:/\s]+):(?!//)")


def _text(value: Any, what: str, code: str) -> str:
    if not isinstance(value, str) or not value:
        raise bad_request(f"The {what} must be non-empty text.", f"Enter a {what}.", code=code)
    if has_control(value):
        raise bad_request(
            f"The {what} '{printable(value)}' has a control character.",
            "Remove line breaks, tabs and other control characters.",
            code=code,
        )
    if value.startswith("-"):
        raise bad_request(
            f"The {what} '{printable(value)}' starts with '-'.",
            f"A {what} may not start with a dash (git would read it as an option).",
            code=code,
        )
    return value


async def check_ref_name(git: Git, name: Any, what: str = "branch") -> str:
    """``name`` if it is a valid branch (``what="branch"``) or tag (``"tag"``) name,
    else 400 ``invalid_name``. git decides (``check-ref-format``), after the checks git
    does not make about options."""
    name = _text(name, f"{what} name", "invalid_name")
    hint = (
        f"Use letters, digits, '-', '_', '.' and '/' (no spaces, no '..', no '~^:?*[\\', "
        f"not ending with '.lock' or '/'), for example 'my-{what}'."
    )
    if len(name) > MAX_NAME or name in ("HEAD", "@") or "@{" in name:
        raise bad_request(
            f"'{printable(name)}' is not a valid {what} name.", hint, code="invalid_name"
        )
    prefix = "refs/tags/" if what == "tag" else "refs/heads/"
    result = await git.run(["check-ref-format", prefix + name], read_only=True)
    if not result.ok:
        raise bad_request(
            f"'{printable(name)}' is not a valid {what} name.", hint, code="invalid_name"
        )
    return name


def check_remote_name(name: Any) -> str:
    """``name`` if it is a plain remote name (``origin``, ``upstream``), else 400
    ``invalid_name``."""
    name = _text(name, "remote name", "invalid_name")
    if (
        len(name) > MAX_NAME
        or not _REMOTE_NAME.match(name)
        or ".." in name
        or name.endswith((".lock", "."))
    ):
        raise bad_request(
            f"'{printable(name)}' is not a valid remote name.",
            "Use letters, digits, '-', '_' and '.', for example 'origin' or 'upstream'.",
            code="invalid_name",
        )
    return name


def url_scheme(url: str) -> str | None:
    """The transport git would use for ``url``: ``https``, ``ssh`` (also for the
    scp-like ``user@host:path``), ``file`` (local paths), ``git``..., or None for a
    ``<transport>::`` URL (a remote helper; ``ext::`` runs a command)."""
    if _TRANSPORT.match(url):
        return None
    match = _SCHEME.match(url)
    if match:
        scheme = match.group(1).lower()
        return "ssh" if scheme in ("git+ssh", "ssh+git") else scheme
    if _SCP_LIKE.match(url):
        return "ssh"
    return "file"


def check_url(url: Any, allowed: list[str]) -> str:
    """``url`` if git may use it: no leading dash, no control characters, a scheme in
    ``allowed`` (never ``ext`` nor any ``<transport>::``), else 400 ``url_not_allowed``
    (a refused scheme) or ``invalid_url``."""
    url = _text(url, "URL", "invalid_url")
    if len(url) > MAX_URL or any(c.isspace() for c in url.strip()) or url != url.strip():
        raise bad_request(
            "The URL is too long or has spaces.",
            "Paste the repository's URL, for example https://github.com/owner/repo.git.",
            code="invalid_url",
        )
    scheme = url_scheme(url)
    permitted = {s.lower() for s in allowed} - {"ext"}
    if scheme is None or scheme == "ext" or scheme not in permitted:
        kinds = ", ".join(sorted(permitted)) or "none"
        shown = "a remote helper ('<transport>::')" if scheme is None else f"'{scheme}'"
        raise bad_request(
            f"URLs using {shown} are not allowed on this server.",
            f"Use a URL with one of these schemes: {kinds}.",
            code="url_not_allowed",
        )
    return url


def repo_file(repo: Repo, name: Any) -> str:
    """``name`` as a repo-relative POSIX path if it names a file inside ``repo``'s work
    tree: no ``..``, no part named ``.git`` (any case), no folder on the way that is a
    symbolic link leading out. The file itself may be a symbolic link (git tracks the
    link, not its target) and need not exist (a deleted file is staged too). Else 400
    ``invalid_path``."""
    hint = "Use a path inside the repository, relative to its top folder."

    def refuse(why: str) -> Exception:
        return bad_request(f"The file '{printable(name)}' {why}.", hint, code="invalid_path")

    if not isinstance(name, str) or not name:
        raise bad_request("The file must be a non-empty path.", hint, code="invalid_path")
    if "\0" in name or _SURROGATE.search(name):
        raise refuse("is not a valid file name")
    if name.startswith(("/", "\\")):
        raise refuse("is absolute")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts:
        raise refuse("names the repository itself")
    if ".." in parts or any(len(p.encode()) > MAX_NAME_BYTES for p in parts):
        raise refuse("has '..' parts or a name that is too long")
    if any(p.lower() == ".git" for p in parts):
        raise bad_request(
            f"The file '{printable(name)}' is inside the repository's .git folder.",
            "Cloudscapes never reads or changes git's own files through a file path.",
            code="invalid_path",
        )
    # the folders on the way must stay inside the work tree (no link leading out); the
    # last part may be a link (git tracks links as such). Names may hold a newline or
    # a tab: git takes them on stdin, NUL-separated, or after '--'.
    top = os.path.realpath(repo.top)
    folder = os.path.realpath(os.path.join(top, *parts[:-1]))
    if not is_inside(folder, top):
        raise refuse("leads outside the repository (a symbolic link)")
    return "/".join(parts)


def revision(name: Any, what: str = "revision") -> str:
    """``name`` if it can be passed as a revision (after ``--end-of-options``): text,
    no control characters, no leading dash; else 400 ``invalid_revision``."""
    name = _text(name, what, "invalid_revision")
    if len(name) > MAX_REVISION:
        raise bad_request(
            f"The {what} is longer than {MAX_REVISION} characters.",
            "Use a branch name, a tag or a commit id.",
            code="invalid_revision",
        )
    return name
