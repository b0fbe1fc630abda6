"""The git credential helper for the GitHub host: ``python -m
cloudscapes.git.credential_helper --state-dir DIR get|store|erase``.

Cloudscapes installs it for the configured GitHub web host only (``git config
--global credential.https://github.com.helper '!<python> -m ...'``, after an empty
entry so that no other helper answers for that host), and passes it with ``-c`` to the
git commands it runs itself. git runs it with the action as last argument and the
request on stdin (``protocol=https``, ``host=github.com``, ...; a blank line or EOF
ends it).

``get`` answers ``username=x-access-token`` and ``password=<token>`` from
``<state_dir>/github-token.json`` **only** when the request's protocol and host (port
included) are those of the GitHub URL the token was issued for; for anything else it
prints nothing, and git asks its next helper. A token with less than
:data:`REFRESH_BEFORE` seconds left is refreshed first with the refresh token
(``grant_type=refresh_token``; no client secret for device-flow tokens), and the new
pair is saved (atomically, 0600) before the answer. ``store`` and ``erase`` do nothing:
the token comes from the device flow, and a 403 on one repository (the GitHub App not
installed there) is no reason to sign out.

The token never reaches stderr, a log or an argument; this module imports only the
standard library (and the atomic writer), so git does not wait for the server's
imports. The token file's helpers (:func:`load_token`, :func:`save_token`,
:func:`token_lock`) are the server's too (:mod:`cloudscapes.git.github`).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import math
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from ..userfiles import atomic_write

TOKEN_FILE = "github-token.json"  # noqa: S105 - a file name
LOCK_FILE = "github-token.lock"
#: Refresh a token with less than this left, seconds (10 minutes).
REFRESH_BEFORE = 600
#: Seconds the helper waits for GitHub when refreshing.
REFRESH_TIMEOUT = 20
#: The user name git sends with a GitHub App user token (any works; this is the custom).
USERNAME = "x-access-token"


# ---- the token file ---------------------------------------------------------------------


def token_path(state_dir: Path) -> Path:
    return Path(state_dir) / TOKEN_FILE


def load_token(state_dir: Path) -> dict[str, Any] | None:
    """The saved token (``{access_token, refresh_token, expires_at, refresh_expires_at,
    login, github_url, client_id}``, times as epoch seconds), or None."""
    try:
        data = json.loads(token_path(state_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
        return None
    return data


def save_token(state_dir: Path, data: dict[str, Any]) -> None:
    Path(state_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(token_path(state_dir), json.dumps(data, indent=1) + "\n", mode=0o600)


def remove_token(state_dir: Path) -> bool:
    try:
        token_path(state_dir).unlink()
    except FileNotFoundError:
        return False
    return True


@contextmanager
def token_lock(state_dir: Path) -> Iterator[None]:
    """An exclusive lock on the token file's lock, across processes: the server and a
    helper that refresh at once would otherwise spend the one-use refresh token twice."""
    Path(state_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(Path(state_dir) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


#: Longest lifetime taken from an answer, seconds (a year; GitHub's refresh tokens
#: live six months): a hostile or broken answer's 1e300 would not fit a date.
MAX_LIFETIME = 366 * 86400


def seconds(
    value: Any, default: float | None = None, low: float = 0.0, high: float = MAX_LIFETIME
) -> float | None:
    """``value`` as a number of seconds within ``[low, high]``, or ``default`` when it
    is no finite number (JSON also gives booleans, strings, NaN and infinities)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    number = float(value)
    if not math.isfinite(number):
        return default
    return min(max(number, low), high)


def with_expiry(data: dict[str, Any], answer: dict[str, Any], now: float) -> dict[str, Any]:
    """``data`` updated from GitHub's token answer (``access_token``, ``expires_in``,
    ``refresh_token``, ``refresh_token_expires_in``)."""
    out = dict(data)
    out["access_token"] = answer["access_token"]
    expires_in = seconds(answer.get("expires_in"))
    out["expires_at"] = now + expires_in if expires_in is not None else None
    if isinstance(answer.get("refresh_token"), str):
        out["refresh_token"] = answer["refresh_token"]
        refresh_in = seconds(answer.get("refresh_token_expires_in"))
        out["refresh_expires_at"] = now + refresh_in if refresh_in is not None else None
    return out


def needs_refresh(data: dict[str, Any], now: float, before: float = REFRESH_BEFORE) -> bool:
    expires = data.get("expires_at")
    return isinstance(expires, (int, float)) and expires - now < before


def can_refresh(data: dict[str, Any], now: float) -> bool:
    refresh = data.get("refresh_token")
    until = data.get("refresh_expires_at")
    return isinstance(refresh, str) and bool(refresh) and (until is None or until > now)


def usable(data: dict[str, Any], now: float) -> bool:
    """The access token has not expired (or has no expiry: an OAuth App token)."""
    expires = data.get("expires_at")
    return not isinstance(expires, (int, float)) or expires > now


def iso(epoch: Any) -> str | None:
    """``epoch`` as an ISO date (``...Z``), or None when it is none or no date (a token
    file edited by hand, a hostile answer)."""
    if isinstance(epoch, bool) or not isinstance(epoch, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(epoch, timezone.utc).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None


def refresh_request(data: dict[str, Any]) -> tuple[str, bytes]:
    """The refresh POST: GitHub's token URL and its form body."""
    url = str(data["github_url"]).rstrip("/") + "/login/oauth/access_token"
    body = urllib.parse.urlencode(
        {
            "client_id": data.get("client_id") or "",
            "grant_type": "refresh_token",
            "refresh_token": data["refresh_token"],
        }
    ).encode()
    return url, body


def refresh_sync(state_dir: Path, now: float | None = None) -> dict[str, Any] | None:
    """Refresh the saved token when it needs it (under :func:`token_lock`); the token as
    it is afterwards, or None when there is none usable."""
    with token_lock(state_dir):
        data = load_token(state_dir)
        if data is None:
            return None
        now = time.time() if now is None else now
        if not needs_refresh(data, now) or not can_refresh(data, now):
            return data if usable(data, now) else None
        url, body = refresh_request(data)
        if not url.startswith(("https://", "http://")):
            return data if usable(data, now) else None
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url, data=body, headers={"Accept": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=REFRESH_TIMEOUT) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError, urllib.error.URLError):
            answer = None
        if isinstance(answer, dict) and isinstance(answer.get("access_token"), str):
            data = with_expiry(data, answer, time.time())
            save_token(state_dir, data)
        return data if usable(data, time.time()) else None


# ---- the protocol -----------------------------------------------------------------------


def read_request(stream: IO[str]) -> dict[str, str]:
    """git's ``key=value`` lines up to a blank line or EOF (the last value of a key
    wins; ``key[]`` lists are not needed here)."""
    request: dict[str, str] = {}
    for line in stream:
        line = line.rstrip("\n")
        if not line:
            break
        key, sep, value = line.partition("=")
        if sep:
            request[key] = value
    return request


def web_origin(url: str) -> tuple[str, str] | None:
    """``(protocol, host[:port])`` of a GitHub web URL as git's request names them."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    host = parts.hostname.lower()
    if port is not None and port != default:
        host = f"{host}:{port}"
    return parts.scheme.lower(), host


def matches(request: dict[str, str], github_url: str) -> bool:
    """The request is for the GitHub host itself: same protocol, same host and port."""
    origin = web_origin(github_url)
    if origin is None:
        return False
    protocol = request.get("protocol", "").lower()
    host = request.get("host", "").lower()
    if protocol in ("https", "http"):
        default = ":443" if protocol == "https" else ":80"
        host = host.removesuffix(default)
    return (protocol, host) == origin


def answer_get(state_dir: Path, request: dict[str, str], now: float | None = None) -> str:
    """What ``get`` prints: the credentials, or "" when the request is not for the host
    the token was issued for, or no usable token exists."""
    data = load_token(state_dir)
    if data is None or not matches(request, str(data.get("github_url") or "")):
        return ""
    data = refresh_sync(state_dir, now)
    if data is None:
        return ""
    token = data["access_token"]
    if not token or any(c in token for c in "\r\n\0"):
        return ""
    return f"username={USERNAME}\npassword={token}\n"


def main(argv: list[str] | None = None, stdin: IO[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cloudscapes.git.credential_helper", add_help=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("action")
    args = parser.parse_args(argv)
    request = read_request(stdin or sys.stdin)
    if args.action == "get":
        try:
            sys.stdout.write(answer_get(Path(args.state_dir), request))
        except Exception:  # never a traceback (it could quote the file) to git's stderr
            return 0
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
