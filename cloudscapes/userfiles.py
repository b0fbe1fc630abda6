"""Files Cloudscapes writes for the user: atomically, with the right mode, keeping
everything else the user had in them byte for byte.

- ``atomic_write``: temp file in the same directory + ``os.replace``; the mode is set
  before any content is written, so a secret is never readable by others, and a crash
  leaves the old file whole.
- netrc: one ``machine`` entry replaced in place, or added before the ``default`` entry
  (curl and every libcurl reader stop at ``default``); values quoted when they need it;
  values that would inject entries (newline, NUL) refused; an entry that would not read
  back as written (by this module, and by Python's netrc when it read the file before)
  refused with the file put back. Sign-out finds the entry with this module's reader,
  not Python's netrc, which gives up on some files curl reads.
- AWS config: one ``[profile …]`` section replaced or added in place.

Line endings: files are read and written without newline translation, so a file with
CRLF (``\r\n``) endings keeps every ``\r``. The lines Cloudscapes writes take the ending
most of the file's lines have (:func:`newline_of`: CRLF when at least half of them end
so, else LF, and LF for a new file); in a file with mixed endings every existing line
keeps its own. A sign-in then sign-out gives the file back byte for byte, except that
a last line without a line break keeps the one added after it, and that an entry of
the user's for the same host that came after ``default`` (where curl never read it)
comes back before it.
"""

from __future__ import annotations

import netrc
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: The comment Cloudscapes puts in the AWS config sections it writes.
MARKER = "# Written by Cloudscapes (Earthdata panel); it rewrites this section."


class UnsafeValue(ValueError):
    """A value that cannot be written without changing the file's structure."""


def atomic_write(path: Path, text: str, mode: int = 0o600) -> None:
    # A symlinked dotfile (dotfile managers) stays a symlink: write its target.
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def read_text(path: Path) -> str:
    """The file's text as it is on disk (no newline translation), "" when missing."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""


def newline_of(text: str) -> str:
    """The line ending for lines added to ``text``: CRLF when at least half of its line
    breaks are CRLF, else LF (also for an empty text)."""
    breaks = text.count("\n")
    crlf = text.count("\r\n")
    return "\r\n" if breaks and crlf * 2 >= breaks else "\n"


def _with_newline(line: str, newline: str) -> str:
    """``line`` (ending in LF) ending in ``newline`` instead."""
    return line[:-1] + newline if newline != "\n" and line.endswith("\n") else line


# ---- netrc ------------------------------------------------------------------------------


def netrc_path() -> Path:
    return Path(os.environ.get("NETRC") or Path.home() / ".netrc")


_NEEDS_QUOTES = re.compile(r'[\s"\\#]')


def netrc_quote(value: str) -> str:
    """A netrc token for ``value`` as Python's netrc, curl and requests read it."""
    if any(ch in value for ch in "\n\r\0"):
        raise UnsafeValue("contains a line break or NUL, which would start a new netrc entry")
    if value and not _NEEDS_QUOTES.search(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _netrc_tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) like Python's netrc lexer; comments are yielded as '#'."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        start = i
        if ch == '"':
            i += 1
            word = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                word.append(text[i])
                i += 1
            yield "".join(word), start, min(i + 1, n)
            i += 1
            continue
        while i < n and text[i] not in " \t\r\n":
            if text[i] == "\\":
                i += 1
            i += 1
        yield text[start:i].replace("\\", ""), start, i


def _line_end(text: str, index: int) -> int:
    """Index just past the newline of the line holding ``index`` (or the end of text)."""
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


#: The empty line that ends a macro (``macdef``), with LF or CRLF endings.
_BLANK_LINE = re.compile(r"\n\r?\n")


def _netrc_entries(text: str) -> list[tuple[str, int, int]]:
    """(machine name, start, end) of each entry, from its ``machine`` keyword to its last
    value (and the rest of that line when only blanks or a comment follow), so comments,
    blank lines and other entries after it are not part of it. ``default`` is named
    ``""``, a macro ``"\\0macdef"`` (no host name has a NUL): from ``macdef`` to the
    empty line that ends it, or the end of the text."""
    entries: list[tuple[str, int, int]] = []
    tokens = list(_netrc_tokens(text))
    index = 0
    current: list = []  # [name, start, end]

    def close() -> None:
        if current:
            end = current[2]
            line_end = _line_end(text, end)
            rest = text[end:line_end]
            # take the rest of the line only when nothing but blanks or a comment is left
            # there (another entry on the same line is not ours to take)
            if not rest.strip() or rest.strip().startswith("#"):
                end = line_end
            entries.append((current[0], current[1], end))
            current.clear()

    while index < len(tokens):
        word, start, end = tokens[index]
        if word.startswith("#"):  # a comment runs to the end of its line
            stop = _line_end(text, start)
            while index < len(tokens) and tokens[index][1] < stop:
                index += 1
            continue
        if word in ("machine", "default", "macdef"):
            close()
            if word == "machine" and index + 1 < len(tokens):
                current.extend([tokens[index + 1][0], start, tokens[index + 1][2]])
                index += 2
                continue
            if word == "default":
                current.extend(["", start, end])
            elif word == "macdef":  # a macro runs to the next empty line
                blank = _BLANK_LINE.search(text, end)
                stop = len(text) if blank is None else blank.end()
                entries.append(("\0macdef", start, stop))
                while index + 1 < len(tokens) and tokens[index + 1][1] < stop:
                    index += 1
            index += 1
            continue
        if current and word in ("login", "user", "account", "password") and index + 1 < len(tokens):
            current[2] = tokens[index + 1][2]
            index += 2
            continue
        if current:
            current[2] = end
        index += 1
    close()
    return entries


def _entry_spans(text: str, machine: str) -> list[tuple[int, int]]:
    """Spans of every entry for ``machine`` (curl reads the first, Python the last)."""
    return [(start, end) for name, start, end in _netrc_entries(text) if name == machine]


def _before_default(text: str) -> int | None:
    """Where an entry goes to come before the ``default`` entry (curl and every libcurl
    reader stop there, so an entry after it is never read): the start of its line when
    only blanks precede it there, else the ``default`` keyword. None without one."""
    for name, start, _ in _netrc_entries(text):
        if name == "":
            line_start = text.rfind("\n", 0, start) + 1
            return line_start if not text[line_start:start].strip() else start
    return None


def _insertion_point(text: str) -> int:
    """Where a new ``machine`` entry goes: before the ``default`` entry; else before a
    macro that runs to the end of the file (the entry would become part of it); else
    at the end."""
    at = _before_default(text)
    if at is not None:
        return at
    entries = _netrc_entries(text)
    if entries and entries[-1][0] == "\0macdef" and not _BLANK_LINE.search(text, entries[-1][1]):
        return entries[-1][1]
    return len(text)


def netrc_entry(machine: str, login: str, password: str) -> str:
    """One line. Python's netrc reader (used by requests) misreads a comment line that
    follows a quoted value, so a quoted password goes before the (never quoted) login."""
    if not machine or _NEEDS_QUOTES.search(machine) or not login or _NEEDS_QUOTES.search(login):
        raise UnsafeValue("user names and hosts with spaces, quotes or # cannot be stored")
    quoted = netrc_quote(password)
    if quoted.startswith('"'):
        return f"machine {machine} password {quoted} login {login}\n"
    return f"machine {machine} login {login} password {quoted}\n"


def _entry_values(text: str, start: int, end: int) -> dict[str, str]:
    """The values (``login``, ``password``…) of the entry at ``text[start:end]`` as this
    module's tokenizer reads them (which, unlike Python's netrc, reads a file whose
    last macro has no empty line after it). ``user`` is read as ``login``, as curl does."""
    part = text[start:end]
    tokens = list(_netrc_tokens(part))
    values: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        word, at, _ = tokens[index]
        if part[at] == "#":  # a comment (not a quoted "#…") runs to the end of its line
            stop = _line_end(part, at)
            while index < len(tokens) and tokens[index][1] < stop:
                index += 1
            continue
        if word in ("login", "user", "account", "password") and index + 1 < len(tokens):
            values["login" if word == "user" else word] = tokens[index + 1][0]
            index += 2
            continue
        index += 1
    return values


def netrc_read(text: str, machine: str) -> tuple[str, str] | None:
    """(login, password) of the first entry for ``machine`` (the one curl reads) as this
    module reads ``text``, or None."""
    spans = _entry_spans(text, machine)
    if not spans:
        return None
    values = _entry_values(text, *spans[0])
    return values.get("login", ""), values.get("password", "")


class NetrcUnreadable(UnsafeValue):
    """An entry that, written, would not read back as written: the file was put back."""


def _python_reads(path: Path) -> bool:
    """Whether Python's netrc (which requests uses) reads the file at all."""
    try:
        netrc.netrc(str(path))
    except (netrc.NetrcParseError, OSError):
        return False
    return True


def netrc_get(path: Path, machine: str) -> tuple[str, str] | None:
    """(login, password) for ``machine`` as Python's netrc reads the file, or None."""
    try:
        hosts = netrc.netrc(str(path)).hosts
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    if machine not in hosts:  # not the `default` entry: that is not an EDL login
        return None
    login, _, password = hosts[machine]
    return login, password or ""


def netrc_set(path: Path, machine: str, login: str, password: str) -> str:
    """Write the entry for ``machine`` where its first entry was (before ``default`` when
    that came first) or else before ``default`` (or at the end), removing any others for
    it, so that every netrc reader sees the same one. Every other byte stays as it was.
    Returns the text of the entries it replaced ("" when none), which ``netrc_remove``
    puts back. Raises :class:`NetrcUnreadable`, with the file put back, when what it
    wrote does not read back.
    """
    entry = netrc_entry(machine, login, password)  # raises UnsafeValue before any write
    text = read_text(path)
    existed = os.path.exists(path)
    python_read = not text or _python_reads(path)
    replaced = _netrc_write(path, text, entry, machine)
    # what was written must read back: as this module (and curl) reads the file, and
    # as Python's netrc (requests) does unless it could not read the file before either
    if netrc_read(read_text(path), machine) != (login, password) or (
        python_read and netrc_get(path, machine) != (login, password)
    ):
        if existed:
            atomic_write(path, text, 0o600)
        else:
            Path(os.path.realpath(path)).unlink(missing_ok=True)
        raise NetrcUnreadable(
            f"an entry for {machine} written there would not read back as written"
        )
    return replaced


def _netrc_write(path: Path, text: str, entry: str, machine: str) -> str:
    """The write of :func:`netrc_set`; what it replaced."""
    newline = newline_of(text)
    entry = _with_newline(entry, newline)
    spans = _entry_spans(text, machine)
    if not spans:
        at = _insertion_point(text)
        # at the end, after a last line without a line break: one is added (and stays)
        sep = newline if at == len(text) and text and not text.endswith("\n") else ""
        atomic_write(path, f"{text[:at]}{sep}{entry}{text[at:]}", 0o600)
        return ""
    replaced = "".join(
        part if part.endswith("\n") else part.rstrip() + newline
        for part in (text[start:end] for start, end in spans)
    )
    # where the first was, or before `default` when that came first (curl never read it)
    default_at = _before_default(text)
    target = spans[0][0] if default_at is None else min(spans[0][0], default_at)
    pieces, cursor = [text[:target], entry], target
    for start, end in spans:
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    atomic_write(path, "".join(pieces), 0o600)
    return replaced


def netrc_remove(path: Path, machine: str, login: str, previous: str = "") -> bool:
    """Take out the entry Cloudscapes wrote for ``machine`` if it is still ``login``'s,
    putting back ``previous`` (what it had replaced). True when the file changed."""
    text = read_text(path)
    spans = _entry_spans(text, machine)
    # this module's reader, not Python's netrc: that one gives up on some files (a last
    # macro without an empty line after it) and the password would stay behind
    if not spans or _entry_values(text, *spans[-1]).get("login") != login:
        return False
    start, end = spans[-1]
    atomic_write(path, text[:start] + previous + text[end:], 0o600)
    return True


# ---- AWS config -------------------------------------------------------------------------


def aws_config_path() -> Path:
    return Path(os.environ.get("AWS_CONFIG_FILE") or Path.home() / ".aws" / "config")


_SECTION = re.compile(r"^[ \t]*\[([^\]\r\n]+)\][ \t]*(?:[;#][^\r\n]*)?\r?$", re.MULTILINE)


def _section_end(text: str, next_header: int) -> int:
    """Where a section ends: before the comment and blank lines that lead into the
    next header (they belong to it)."""
    end = next_header
    while end > 0:
        line_start = text.rfind("\n", 0, end - 1) + 1
        line = text[line_start:end].strip()
        if line and not line.startswith(("#", ";")):
            break
        if line_start == end:
            break
        end = line_start
    return end


def aws_profile_set(path: Path, profile: str, values: dict[str, str]) -> None:
    """Write or replace ``[profile <profile>]``; every other byte stays as it was."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", profile):
        raise UnsafeValue(f"{profile!r} is not a plain profile name")
    for key, value in values.items():
        if not re.fullmatch(r"[a-z_]+", key) or any(ch in value for ch in "\n\r\0"):
            raise UnsafeValue(f"{key} would change the file's structure")
    text = read_text(path)
    newline = newline_of(text)
    lines = [f"[profile {profile}]", MARKER, *(f"{key} = {value}" for key, value in values.items())]
    section = "".join(line + newline for line in lines)
    headers = list(_SECTION.finditer(text))
    for index, match in enumerate(headers):
        if match.group(1).strip() == f"profile {profile}":
            if index + 1 < len(headers):
                end = max(match.end(), _section_end(text, headers[index + 1].start()))
            else:
                end = len(text)
            atomic_write(path, text[: match.start()] + section + text[end:], 0o600)
            return
    if not text or re.search(r"\n\r?\n\Z", text):
        sep = ""
    else:
        sep = newline if text.endswith("\n") else newline * 2
    atomic_write(path, f"{text}{sep}{section}", 0o600)


def aws_profiles(path: Path) -> set[str]:
    return {
        m.group(1).strip()[len("profile ") :]
        for m in _SECTION.finditer(read_text(path))
        if m.group(1).strip().startswith("profile ")
    }
