"""Paths from the client, resolved inside the server's ``root_dir``.

A feature that takes a path from the browser (a download folder, a repository, a file
to diff, an environment's folder) turns it into a real path with
:func:`resolve_inside`, which answers 400 (``invalid_path``, or the code the feature
names) for:

- anything but text, and text with a control character (NUL, newline, escape, DEL,
  the C1 range) or that is not valid Unicode (a lone surrogate from JSON);
- an absolute path (``/etc``, ``//host``); a backslash counts as a separator, so a
  path typed on Windows reads as it was meant (``C:\\x\\..`` has a ``..``);
- any ``..`` part, even one that would stay inside (``a/../b``): a client has no reason
  to send one, and refusing every one keeps the rule obvious;
- a name longer than the file system takes (255 bytes);
- a path that leads outside ``root_dir`` through a symbolic link (the part that exists
  is resolved; a link inside that stays inside is fine);
- with ``allow_hidden=False``, a hidden part (a name starting with ``.``).

The answer is absolute and resolved, so it is never mistaken for an option by a
command (``-rf`` becomes ``/home/user/-rf``). A path checked here can still be changed
on disk afterwards (a link created meanwhile): code that writes checks again after it
creates folders, and opens files with ``O_NOFOLLOW`` where it can.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

from .contract import _SURROGATE, CONTROL_CHARACTERS, printable
from .handlers import bad_request

#: Longest name of one path part, in bytes (what Linux file systems take).
MAX_NAME_BYTES = 255

DEFAULT_HINT = "Use a path inside your Jupyter root, for example 'data/file.nc'."


def server_root(source: Any) -> Path:
    """The server's ``root_dir``, resolved, from the ServerApp, an extension app or a
    handler (both of which have ``serverapp``)."""
    app = getattr(source, "serverapp", None) or source
    return Path(app.root_dir).expanduser().resolve()


def is_inside(path: str, root: str) -> bool:
    """``path`` is ``root`` or below it (both already resolved); ``/root2`` is not
    below ``/root``."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character (C0, DEL, C1)."""
    return CONTROL_CHARACTERS.search(text) is not None


def _encodable(text: str) -> bool:
    """Whether ``text`` is UTF-8 (no lone surrogate), as the body validator checks."""
    return _SURROGATE.search(text) is None


def name_problem(name: str) -> str | None:
    """Why ``name`` is not one plain path part, in words, or None when it is one."""
    if not name or name in (".", ".."):
        return "is empty, '.' or '..'"
    if "/" in name or "\\" in name:
        return "has a slash"
    if has_control(name):
        return "has a control character"
    if not _encodable(name):
        return "is not valid text"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    return None


def resolve_inside(
    root: Path | str,
    client_path: Any,
    *,
    what: str = "path",
    code: str = "invalid_path",
    hint: str = DEFAULT_HINT,
    allow_hidden: bool = True,
) -> Path:
    """Where ``client_path`` is below ``root``, resolved (see the module's docstring), or
    a 400 whose message names ``what`` (``"folder"``) and whose code is ``code``.
    ``""`` and ``"."`` are the root itself. Creates nothing."""

    def refuse(message: str) -> Exception:
        return bad_request(message, hint, code=code)

    if not isinstance(client_path, str):
        raise refuse(f"The {what} must be a path, as text.")
    if has_control(client_path):
        raise refuse(f"The {what} '{printable(client_path)}' has a control character.")
    if not _encodable(client_path):
        raise refuse(f"The {what} is not valid text (it has a lone surrogate).")
    the = f"The {what} '{printable(client_path)}'"
    text = client_path.replace("\\", "/")
    if text.startswith("/") or os.path.isabs(client_path):
        raise refuse(f"{the} is absolute; it must be inside your Jupyter root.")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        if posixpath.normpath("/".join(parts)).split("/")[0] == "..":
            raise refuse(f"{the} goes outside your Jupyter root ('..').")
        raise refuse(f"{the} has '..' parts; send it without them.")
    if not allow_hidden and any(p.startswith(".") for p in parts):
        raise refuse(f"{the} is hidden; Cloudscapes does not write hidden files or folders.")
    if any(len(p.encode("utf-8")) > MAX_NAME_BYTES for p in parts):
        raise refuse(f"{the} has a name longer than {MAX_NAME_BYTES} bytes.")
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, *parts))
    if not is_inside(real, real_root):
        raise refuse(f"{the} leads outside your Jupyter root (a symbolic link).")
    return Path(real)


def existing_parent(path: Path) -> Path:
    """``path`` or its nearest folder that exists (where free space is measured)."""
    while not path.exists() and path.parent != path:
        path = path.parent
    return path
