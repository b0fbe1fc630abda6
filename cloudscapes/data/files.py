"""Files of downloads: sizes for people, file names, the target folder, partial files.

Paths: the folder resolves inside the server's ``root_dir`` (``cloudscapes.paths``: no
``..``, no absolute paths, no control characters, no symlink that leads outside) and
neither it nor a file name is hidden (names that start with ``.``, which Jupyter hides
and which include shell start-up files). File names come from the last part of the S3
key or URL path only.

Each file is written to a hidden temporary name in the target folder
(``.<name>.cloudscapes-part-<random>``), fsynced, and renamed to its name only when
complete (:class:`PartFile`); the rename refuses to replace a file that appeared
meanwhile unless ``overwrite`` was asked (it is a hard link, which fails when the name
exists).
"""

from __future__ import annotations

import errno
import os
import secrets
import threading
from contextlib import suppress
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..handlers import CloudscapesError, bad_request
from ..paths import name_problem, resolve_inside

#: Temporary files are named ``.<name>`` + this + a random suffix.
PART_MARK = ".cloudscapes-part-"


# ---- sizes ------------------------------------------------------------------------------


def human(size: float, unit_of: float | None = None) -> str:
    """``8.1 MB``; with ``unit_of``, in the unit that ``unit_of`` would use, no suffix."""
    ref = size if unit_of is None else unit_of
    for factor, suffix in ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if ref >= factor:
            text = f"{size / factor:.1f}"
            return text if unit_of is not None else f"{text} {suffix}"
    return f"{int(size)}" if unit_of is not None else f"{int(size)} bytes"


def progress_text(name: str, done: int, total: int | None) -> str:
    if total:
        unit = human(total).split()[-1]
        return f"{name}: {human(done, total)} of {human(total, total)} {unit}"
    return f"{name}: {human(done)}"


# ---- paths ------------------------------------------------------------------------------


def check_name(name: str, what: str) -> str:
    """A file name from a key or URL: one plain, visible path segment."""
    if name_problem(name):
        raise bad_request(
            f"The {what} does not end in a usable file name ({name!r}).",
            "Download a single object or granule file; folders are not downloaded.",
            code="invalid_file_name",
        )
    if name.startswith("."):
        raise bad_request(
            f"The {what} names a hidden file ({name!r}); Cloudscapes does not write hidden files.",
            "Copy it with code instead (Insert code), and rename it.",
            code="invalid_file_name",
        )
    return name


def name_from_key(key: str) -> str:
    if key.endswith("/"):
        raise bad_request(
            f"{key!r} is a folder, not an object.",
            "Open the folder and download the objects in it.",
            code="invalid_file_name",
        )
    segments = key.split("/")
    if any(s in (".", "..") for s in segments):
        raise bad_request(
            f"The key {key!r} has '.' or '..' parts, which would name another file.",
            "Download objects whose keys are plain paths.",
            code="invalid_file_name",
        )
    return check_name(segments[-1], "S3 key")


def name_from_url(url: str) -> str:
    path = urlsplit(url).path
    return check_name(unquote(path.rsplit("/", 1)[-1]), "download link")


_DIRECTORY_HINT = "Name a folder inside your Jupyter root, for example 'downloads'."


def directory_path(root: Path, relative: str) -> Path:
    """Where ``relative`` is below ``root`` (:func:`~cloudscapes.paths.resolve_inside`,
    hidden folders refused), or a 400 when it is not a folder there. Creates nothing."""
    real = resolve_inside(
        root,
        relative,
        what="folder",
        code="invalid_directory",
        hint=_DIRECTORY_HINT,
        allow_hidden=False,
    )
    if os.path.lexists(real) and not os.path.isdir(real):
        raise bad_request(
            f"{relative!r} is a file, not a folder.", _DIRECTORY_HINT, code="invalid_directory"
        )
    return real


def make_directory(root: Path, directory: Path, relative: str) -> Path:
    """Create ``directory`` (from :func:`directory_path`) and check it again."""
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise CloudscapesError(
            409,
            "directory_not_writable",
            f"Cannot create the folder {relative!r} ({exc.strerror or exc}).",
            "Pick another folder.",
        ) from None
    real = directory_path(root, relative)  # a link created meanwhile is caught here
    if not os.path.isdir(real):
        raise bad_request(
            f"{relative!r} is not a folder.", _DIRECTORY_HINT, code="invalid_directory"
        )
    return real


# ---- temporary files --------------------------------------------------------------------


class PartFile:
    """A file being downloaded, under a hidden temporary name next to its target.

    ``write`` and ``commit`` run in worker threads; ``discard`` may run on the event
    loop: it unlinks the name at once (so no partial file is ever left, whatever happens
    next) and closes the descriptor once no write is in flight.
    """

    def __init__(self, directory: Path, name: str) -> None:
        self.directory = directory
        self.path = directory / f".{name}{PART_MARK}{secrets.token_hex(6)}"
        self._lock = threading.Lock()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_NOFOLLOW", 0)
        self._fd: int | None = os.open(self.path, flags, 0o666)
        self.size = 0
        #: True once it has its final name (then there is nothing to discard).
        self.committed = False

    def write(self, data: bytes) -> None:
        with self._lock:
            if self._fd is None:  # discarded meanwhile: drop the rest
                return
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            self.size += len(data)

    def _close(self) -> None:
        with self._lock:
            if self._fd is not None:
                fd, self._fd = self._fd, None
                os.close(fd)

    def commit(self, target: Path, overwrite: bool) -> None:
        """fsync, then give it its name: replacing an existing file only with
        ``overwrite`` (otherwise a hard link, which fails when the name exists)."""
        with self._lock:
            if self._fd is None:
                raise FileNotFoundError(errno.ENOENT, "discarded", str(self.path))
            os.fsync(self._fd)
        self._close()
        if overwrite:
            os.replace(self.path, target)
        else:
            try:
                os.link(self.path, target, follow_symlinks=False)
            except FileExistsError:
                raise
            except OSError:
                # file systems without hard links: check, then rename (a small race)
                if os.path.lexists(target):
                    raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
                os.replace(self.path, target)
            else:
                with suppress(FileNotFoundError):
                    os.unlink(self.path)
        self.committed = True
        with suppress(OSError):
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def discard(self) -> None:
        """Remove the temporary name now; close the descriptor when no write is running
        (in a thread, so the event loop never waits for a slow disk). The unlink is one
        metadata call done at once on purpose: a cancelled job must not leave the partial
        file behind even when it is cancelled again during its cleanup."""
        with suppress(FileNotFoundError):
            os.unlink(self.path)
        threading.Thread(target=self._close, name="cloudscapes-part-close", daemon=True).start()
