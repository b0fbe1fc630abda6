"""Credentials for HTTPS hosts other than GitHub, and the helpers every network git
command of Cloudscapes runs with.

The credentials dialog's answer goes to git's credential *cache*: a daemon that keeps
it in memory for ``credential_cache_seconds`` and then forgets it. Only when the user
asks (``remember: "file"``) does it go to git's ``store`` helper (``~/.git-credentials``,
plain text, 0600, which is what "remember on this server" means).

Every clone, fetch, pull and push Cloudscapes runs gets (:func:`credential_args`)::

    -c credential.helper=                       # forget the user's helpers for this run
    -c credential.<github url>.helper=!python -m cloudscapes.git.credential_helper ...
    -c credential.helper=cache --timeout=N --socket=<state_dir>/credential-cache/socket
    -c credential.<scheme>://<host>.helper=store   # only for hosts the user chose "file" for
                                                   # (not GitHub's while signed in there)

so the GitHub token is asked first (for the GitHub host only), then the cache, and a
password is never written to a file the user did not ask for (git hands a working
password to every listed helper after success, and ``store`` would take it).

The cache daemon is started here, in its own session: a daemon that git spawns would
belong to the command's process group, which :mod:`cloudscapes.process` stops when the
command ends, and the cache would die with it.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..handlers import bad_request
from ..process import safe_env
from .credential_helper import web_origin
from .github import github, state_dir, web_url

if TYPE_CHECKING:
    from .service import GitService

#: The daemons this server started (kept so they are not reaped as garbage).
_DAEMONS: dict[str, subprocess.Popen[bytes]] = {}


def cache_socket(config: Any) -> Path:
    return state_dir(config) / "credential-cache" / "socket"


def cache_helper(config: Any) -> str:
    return (
        f"cache --timeout={int(config.credential_cache_seconds)} "
        f"--socket={_quote(str(cache_socket(config)))}"
    )


def _quote(text: str) -> str:
    # git splits a helper's string with the shell's rules (sq_dequote / run via sh)
    return "'" + text.replace("'", "'\\''") + "'"


def git_credentials_file() -> Path:
    return Path(os.environ.get("HOME") or "~").expanduser() / ".git-credentials"


def stored_origins() -> list[str]:
    """``scheme://host[:port]`` of each entry of ``~/.git-credentials`` (which the user
    chose to keep in a file): only those hosts get the ``store`` helper."""
    try:
        text = git_credentials_file().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    origins: list[str] = []
    for line in text.splitlines():
        try:
            parts = urlsplit(line.strip())
        except ValueError:
            continue
        if parts.scheme in ("https", "http") and parts.hostname:
            host = parts.hostname + (f":{parts.port}" if parts.port else "")
            origin = f"{parts.scheme}://{host}"
            if origin not in origins:
                origins.append(origin)
    return origins


def credential_args(service: GitService) -> list[str]:
    """The ``-c`` options of every network command (see the module's docstring)."""
    config = service.config
    args = ["-c", "credential.helper="]
    signed_in: tuple[str, str] | None = None
    if config.github_client_id:
        gh = github(service)
        args += ["-c", f"credential.{web_url(config)}.helper={gh.helper_command()}"]
        if gh.token() is not None:
            signed_in = web_origin(web_url(config))
    args += ["-c", f"credential.helper={cache_helper(config)}"]
    for origin in stored_origins():
        # git gives a working password to every helper: signed in to GitHub, store
        # would write the token to ~/.git-credentials in plain text
        if signed_in is not None and web_origin(origin) == signed_in:
            continue
        args += ["-c", f"credential.{origin}.helper=store"]
    return args


def _start_daemon(socket: Path) -> None:
    """Start ``git credential-cache--daemon`` on ``socket`` unless one listens there."""
    key = str(socket)
    running = _DAEMONS.get(key)
    if running is not None and running.poll() is None and socket.exists():
        return
    socket.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(socket.parent, 0o700)  # the daemon refuses a folder others can read
    proc = subprocess.Popen(  # noqa: S603 - argv, our own socket path
        ["git", "credential-cache--daemon", key],  # noqa: S607 - git from PATH, as the runner
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=safe_env(),
        start_new_session=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # "ok" once it listens
    proc.stdout.close()
    _DAEMONS[key] = proc


def stop_daemons() -> None:
    """Stop the cache daemons this process started (tests; a server that stops keeps
    them: they end by themselves once their entries expire)."""
    for key, proc in list(_DAEMONS.items()):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
        _DAEMONS.pop(key, None)


def _origin(url: str, allowed: list[str]) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise bad_request(
            "The URL is not valid.", "Use the https:// URL of the repository.", code="invalid_url"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or (scheme == "http" and "http" not in allowed):
        raise bad_request(
            "Credentials can be saved for https:// URLs only.",
            "For ssh remotes, set up an ssh key instead.",
            code="url_not_allowed",
        )
    if not parts.hostname:
        raise bad_request("The URL has no host.", "Use https://host/owner/repo.git.", "invalid_url")
    host = parts.hostname.lower() + (f":{port}" if port else "")
    return scheme, host


def _checked(value: str, what: str) -> str:
    if not value or any(ord(c) < 32 or c == "\x7f" for c in value):
        raise bad_request(
            f"The {what} is empty or has a line break or another control character.",
            f"Type the {what} again, without line breaks.",
            code="invalid_credentials",
        )
    return value


async def save(
    service: GitService, url: str, username: str, password: str, remember: str = "cache"
) -> dict[str, Any]:
    """``git credential approve`` for the URL's host into the cache (or ``store``);
    ``{host, remembered_until}``."""
    scheme, host = _origin(url, list(service.config.allowed_schemes))
    username, password = _checked(username, "user name"), _checked(password, "password")
    if remember == "file":
        helper, until = "store", None
    else:
        socket = cache_socket(service.config)
        await asyncio.get_running_loop().run_in_executor(None, _start_daemon, socket)
        helper = cache_helper(service.config)
        until = time.time() + int(service.config.credential_cache_seconds)
    request = f"protocol={scheme}\nhost={host}\nusername={username}\npassword={password}\n\n"
    result = await service.git.run(
        ["-c", "credential.helper=", "-c", f"credential.helper={helper}", "credential", "approve"],
        input=request,
        lock=False,
        doing="credential",
    )
    service.git.check(result, "save the credentials")
    from .credential_helper import iso

    return {"host": host, "remembered_until": iso(until)}


async def forget_host(service: GitService, url: str) -> None:
    """Erase what the cache holds for ``url``'s host (sign-out: git hands the GitHub
    token to the cache after each success)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return
    if not host or not cache_socket(service.config).exists():
        return
    await service.git.run(
        [
            "-c",
            "credential.helper=",
            "-c",
            f"credential.helper={cache_helper(service.config)}",
            "credential",
            "reject",
        ],
        input=f"protocol={parts.scheme}\nhost={host}\n\n",
        lock=False,
        doing="credential",
    )
