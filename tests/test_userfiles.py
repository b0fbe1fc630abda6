"""~/.netrc and ~/.aws/config edits: atomic, 0600, every other byte kept, no injection."""

from __future__ import annotations

import base64
import configparser
import http.server
import json
import netrc
import os
import shutil
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from cloudscapes import userfiles

OTHERS = (
    "# my machines\n"
    "machine github.com login me password gh-secret # same-line comment\n"
    "# a comment line\n"
    "machine urs.earthdata.nasa.gov\n"
    "    login olduser\n"
    "    password oldpass\n"
    "machine example.org login x password y\n"
    "\n"
    "default login anonymous password guest\n"
)
EDL = "urs.earthdata.nasa.gov"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def netrc_file(tmp_path):
    path = tmp_path / ".netrc"
    path.write_text(OTHERS)
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(
    "password",
    ["plain", "with space", 'qu"ote', "back\\slash", "#hash", "s3cret #1", "all of 'them' \"#\\ "],
)
def test_netrc_round_trips_awkward_passwords_and_keeps_others(netrc_file, password):
    userfiles.netrc_set(netrc_file, EDL, "demo", password)
    parsed = netrc.netrc(str(netrc_file))  # Python's reader, as requests uses it
    assert parsed.authenticators(EDL) == ("demo", "", password)
    assert parsed.authenticators("github.com") == ("me", "", "gh-secret")
    assert parsed.authenticators("example.org") == ("x", "", "y")
    assert parsed.authenticators("default") == ("anonymous", "", "guest")
    assert mode(netrc_file) == 0o600
    text = netrc_file.read_text()
    # everything but the replaced entry is byte for byte what it was
    before, _, after = OTHERS.partition(
        "machine urs.earthdata.nasa.gov\n    login olduser\n    password oldpass\n"
    )
    assert text.startswith(before) and text.endswith(after)


@pytest.mark.parametrize("password", ["new\nmachine evil login x password y", "a\rb", "nul\0"])
def test_netrc_refuses_injection_without_touching_the_file(netrc_file, password):
    stamp = netrc_file.stat().st_mtime_ns
    with pytest.raises(userfiles.UnsafeValue):
        userfiles.netrc_set(netrc_file, EDL, "demo", password)
    assert netrc_file.read_text() == OTHERS
    assert netrc_file.stat().st_mtime_ns == stamp
    assert not list(netrc_file.parent.glob(".netrc.*"))  # no temp file left behind


def test_netrc_refuses_user_names_that_need_quoting(netrc_file):
    with pytest.raises(userfiles.UnsafeValue):
        userfiles.netrc_set(netrc_file, EDL, "two words", "pw")
    assert netrc_file.read_text() == OTHERS


def test_netrc_created_0600_when_missing(tmp_path):
    path = tmp_path / "sub" / "netrc"
    userfiles.netrc_set(path, EDL, "demo", "s3cret #1")
    assert mode(path) == 0o600
    assert netrc.netrc(str(path)).authenticators(EDL) == ("demo", "", "s3cret #1")


def test_netrc_remove_only_the_entry_of_that_login(netrc_file):
    userfiles.netrc_set(netrc_file, EDL, "demo", "s3cret #1")
    assert not userfiles.netrc_remove(netrc_file, EDL, "someone-else")
    assert userfiles.netrc_remove(netrc_file, EDL, "demo")
    parsed = netrc.netrc(str(netrc_file))
    assert EDL not in parsed.hosts
    assert parsed.authenticators("github.com") == ("me", "", "gh-secret")
    assert "machine example.org login x password y\n\ndefault" in netrc_file.read_text()


def test_a_crash_mid_write_leaves_the_old_file(netrc_file, monkeypatch):
    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(userfiles.os, "replace", boom)
    with pytest.raises(OSError):
        userfiles.netrc_set(netrc_file, EDL, "demo", "pw")
    assert netrc_file.read_text() == OTHERS
    assert not list(netrc_file.parent.glob(".netrc.*"))


AWS = "[default]\nregion = eu-west-1\n# mine\n\n[profile work]\nrole_arn = arn:aws:iam::1:role/x\n"


def test_aws_profile_written_and_replaced_keeping_other_sections(tmp_path):
    path = tmp_path / "config"
    path.write_text(AWS)
    values = {"credential_process": "/usr/bin/python -m x nsidc", "region": "us-west-2"}
    userfiles.aws_profile_set(path, "earthdata-nsidc", values)
    userfiles.aws_profile_set(path, "earthdata-nsidc", {**values, "region": "us-east-1"})
    text = path.read_text()
    assert text.startswith(AWS)
    assert text.count("[profile earthdata-nsidc]") == 1
    parser = configparser.ConfigParser()
    parser.read_string(text)
    assert parser["profile earthdata-nsidc"]["region"] == "us-east-1"
    assert parser["profile work"]["role_arn"] == "arn:aws:iam::1:role/x"
    assert mode(path) == 0o600
    assert userfiles.aws_profiles(path) == {"work", "earthdata-nsidc"}


def test_aws_profile_refuses_injection(tmp_path):
    path = tmp_path / "config"
    path.write_text(AWS)
    with pytest.raises(userfiles.UnsafeValue):
        userfiles.aws_profile_set(path, "earthdata-x", {"region": "us-west-2\n[profile evil]"})
    assert path.read_text() == AWS


def test_netrc_entry_sharing_a_line_with_another_is_kept(tmp_path):
    path = tmp_path / "netrc"
    path.write_text(f"machine {EDL} login a password b machine github.com login me password gh\n")
    userfiles.netrc_set(path, EDL, "demo", "pw")
    hosts = netrc.netrc(str(path)).hosts
    assert hosts[EDL] == ("demo", "", "pw")
    assert hosts["github.com"] == ("me", "", "gh")


def test_netrc_duplicates_collapse_to_one_that_every_reader_sees(tmp_path):
    path = tmp_path / "netrc"
    before = (
        f"machine {EDL} login first password 1\n"
        "machine x login y password z\n"
        f"machine {EDL} login second password 2\n"
    )
    path.write_text(before)
    replaced = userfiles.netrc_set(path, EDL, "demo", "pw")
    text = path.read_text()
    assert text.count(f"machine {EDL}") == 1  # curl reads the first, Python the last
    assert text.startswith(f"machine {EDL} login demo password pw\n")
    assert netrc.netrc(str(path)).hosts["x"] == ("y", "", "z")
    # signing out puts back what was replaced
    assert userfiles.netrc_remove(path, EDL, "demo", replaced)
    restored = netrc.netrc(str(path)).hosts
    assert restored["x"] == ("y", "", "z")
    assert restored[EDL] == ("second", "", "2")
    assert "login first password 1" in path.read_text()


def test_netrc_user_entry_is_restored_after_sign_out(netrc_file):
    replaced = userfiles.netrc_set(netrc_file, EDL, "demo", "s3cret #1")
    assert "olduser" in replaced
    assert userfiles.netrc_remove(netrc_file, EDL, "demo", replaced)
    assert netrc.netrc(str(netrc_file)).authenticators(EDL) == ("olduser", "", "oldpass")
    assert netrc.netrc(str(netrc_file)).authenticators("github.com") == ("me", "", "gh-secret")


def test_a_symlinked_netrc_stays_a_symlink(tmp_path):
    target = tmp_path / "dotfiles" / "netrc"
    target.parent.mkdir()
    target.write_text(OTHERS)
    link = tmp_path / ".netrc"
    link.symlink_to(target)
    userfiles.netrc_set(link, EDL, "demo", "pw")
    assert link.is_symlink()
    assert netrc.netrc(str(target)).authenticators(EDL) == ("demo", "", "pw")


def test_aws_config_comments_and_spacing_survive_rewrites(tmp_path):
    path = tmp_path / "config"
    original = (
        "[default]\nregion = eu-west-1\n\n"
        "[profile earthdata-nsidc] ; written long ago\nregion = x\n\n"
        "# my work account\n[profile work]\nrole_arn = r\n"
    )
    path.write_text(original)
    values = {"credential_process": "py -m x nsidc", "region": "us-west-2"}
    for _ in range(3):
        userfiles.aws_profile_set(path, "earthdata-nsidc", values)
    text = path.read_text()
    assert text.startswith("[default]\nregion = eu-west-1\n\n[profile earthdata-nsidc]\n")
    assert text.endswith("region = us-west-2\n\n# my work account\n[profile work]\nrole_arn = r\n")
    parser = configparser.ConfigParser()
    parser.read_string(text)
    assert parser.sections() == ["default", "profile earthdata-nsidc", "profile work"]


# ---- `default` entries, macros and line endings -------------------------------------------


def curl_login(path, host: str = EDL) -> str | None:
    """The ``login:password`` curl sends to ``http://host/`` with the netrc at ``path``
    (None: no Authorization header), from a real curl against a loopback server."""
    assert shutil.which("curl"), "curl is missing: `make test` installs it (Debian's curl)"
    seen: list[str | None] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        subprocess.run(
            [
                *("curl", "-s", "-o", os.devnull, "--max-time", "10", "--netrc-file", str(path)),
                *("--resolve", f"{host}:{port}:127.0.0.1", f"http://{host}:{port}/"),
            ],
            check=True,
        )
    finally:
        server.shutdown()
        server.server_close()
    (header,) = seen
    return base64.b64decode(header.split()[1]).decode() if header else None


WITH_DEFAULT = (
    "machine github.com login me password gh-secret\n"
    "macdef init\n"
    "cd /pub\n"
    "default login ignored\n"  # inside the macro: not an entry
    "\n"
    "default login anonymous password guest\n"
)


def test_netrc_entry_goes_before_default_where_curl_reads_it(tmp_path):
    path = tmp_path / "netrc"
    path.write_text(WITH_DEFAULT)
    replaced = userfiles.netrc_set(path, EDL, "demo", "pw")
    assert replaced == ""
    assert curl_login(path) == "demo:pw"  # appended after `default`, curl sent anonymous
    text = path.read_text()
    assert text == WITH_DEFAULT.replace(
        "\ndefault login anonymous",
        f"\nmachine {EDL} login demo password pw\ndefault login anonymous",
    )
    parsed = netrc.netrc(str(path))
    assert parsed.macros == {"init": ["cd /pub\n", "default login ignored\n"]}
    assert parsed.authenticators("github.com") == ("me", "", "gh-secret")
    assert parsed.authenticators(EDL) == ("demo", "", "pw")
    # signing out gives the file back as it was
    assert userfiles.netrc_remove(path, EDL, "demo", replaced)
    assert path.read_text() == WITH_DEFAULT


def test_netrc_entry_the_user_had_after_default_moves_before_it(tmp_path):
    path = tmp_path / "netrc"
    path.write_text(f"default login anonymous password guest\nmachine {EDL} login old password o\n")
    userfiles.netrc_set(path, EDL, "demo", "pw")
    assert curl_login(path) == "demo:pw"
    assert path.read_text() == (
        f"machine {EDL} login demo password pw\ndefault login anonymous password guest\n"
    )


@pytest.mark.parametrize(
    "original",
    [
        "machine a login b password c default login anonymous password guest\n",
        "machine a login b password c\n    default login anonymous password guest\n",
    ],
    ids=["same-line", "indented"],
)
def test_netrc_entry_before_a_default_that_shares_a_line_or_is_indented(tmp_path, original):
    path = tmp_path / "netrc"
    path.write_text(original)
    userfiles.netrc_set(path, EDL, "demo", "pw")
    assert curl_login(path) == "demo:pw"
    assert netrc.netrc(str(path)).authenticators("a") == ("b", "", "c")
    assert userfiles.netrc_remove(path, EDL, "demo")
    assert path.read_text() == original


def test_netrc_entry_never_lands_inside_a_macro_that_runs_to_the_end(tmp_path):
    path = tmp_path / "netrc"
    original = "machine a login b password c\nmacdef init\ncd /pub\n"
    path.write_text(original)
    userfiles.netrc_set(path, EDL, "demo", "pw")
    assert curl_login(path) == "demo:pw"
    assert (
        path.read_text()
        == f"machine a login b password c\nmachine {EDL} login demo password pw\n"
        + ("macdef init\ncd /pub\n")
    )


CRLF_NETRC = (
    b"# mine\r\n"
    b"machine github.com login me password gh-secret\r\n"
    b"macdef init\r\n"
    b"cd /pub\r\n"
    b"machine inside.the.macro login no password no\r\n"
    b"\r\n"
    b"default login anonymous password guest\r\n"
)


@pytest.mark.parametrize(
    "original",
    [
        CRLF_NETRC,
        CRLF_NETRC.replace(
            b"default", b"machine " + EDL.encode() + b" login old password o\r\ndefault"
        ),
    ],
    ids=["new-entry", "replaced-entry"],
)
def test_crlf_netrc_keeps_its_line_endings_through_sign_in_and_out(tmp_path, original):
    path = tmp_path / "netrc"
    path.write_bytes(original)
    replaced = userfiles.netrc_set(path, EDL, "demo", "s3cret #1")
    written = path.read_bytes()
    assert b"\r" in written and written.count(b"\n") == written.count(b"\r\n")  # no bare LF
    assert curl_login(path) == "demo:s3cret #1"
    parsed = netrc.netrc(str(path))
    assert parsed.authenticators(EDL) == ("demo", "", "s3cret #1")
    assert parsed.authenticators("github.com") == ("me", "", "gh-secret")
    assert parsed.macros["init"] == ["cd /pub\n", "machine inside.the.macro login no password no\n"]
    assert "inside.the.macro" not in parsed.hosts  # the macro ended at \r\n\r\n, not later
    assert userfiles.netrc_remove(path, EDL, "demo", replaced)
    assert path.read_bytes() == original  # byte for byte


def test_mixed_line_endings_keep_each_line_and_add_the_most_common(tmp_path):
    path = tmp_path / "netrc"
    lines = [b"machine a login b password c", b"machine d login e password f", b"machine g login h"]
    mostly_crlf = lines[0] + b"\r\n" + lines[1] + b"\n" + lines[2] + b"\r\n"
    path.write_bytes(mostly_crlf)
    userfiles.netrc_set(path, EDL, "demo", "pw")
    assert path.read_bytes() == mostly_crlf + f"machine {EDL} login demo password pw\r\n".encode()
    mostly_lf = lines[0] + b"\r\n" + lines[1] + b"\n" + lines[2] + b"\n"
    path.write_bytes(mostly_lf)
    userfiles.netrc_set(path, EDL, "demo", "pw")
    assert path.read_bytes() == mostly_lf + f"machine {EDL} login demo password pw\n".encode()


CRLF_AWS = (
    b"[default]\r\nregion = eu-west-1\r\n# mine\r\n\r\n"
    b"[profile earthdata-nsidc] ; written long ago\r\nregion = x\r\n\r\n"
    b"[profile work]\r\nrole_arn = arn:aws:iam::1:role/x\r\n"
)


def test_crlf_aws_config_keeps_its_line_endings(tmp_path):
    path = tmp_path / "config"
    path.write_bytes(CRLF_AWS)
    values = {"credential_process": "py -m x nsidc", "region": "us-west-2"}
    for _ in range(2):
        userfiles.aws_profile_set(path, "earthdata-nsidc", values)
        userfiles.aws_profile_set(path, "earthdata-podaac", values)
    written = path.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n")  # no bare LF
    assert written.startswith(
        b"[default]\r\nregion = eu-west-1\r\n# mine\r\n\r\n[profile earthdata-nsidc]\r\n"
    )
    assert (
        b"\r\n\r\n[profile work]\r\nrole_arn = arn:aws:iam::1:role/x\r\n"
        b"\r\n[profile earthdata-podaac]\r\n" in written
    )
    assert written.count(b"[profile earthdata-nsidc]") == 1
    assert written.count(b"[profile earthdata-podaac]") == 1
    parser = configparser.ConfigParser()
    parser.read_string(written.decode())
    assert parser.sections() == [
        "default",
        "profile earthdata-nsidc",
        "profile work",
        "profile earthdata-podaac",
    ]
    assert parser["profile earthdata-nsidc"]["region"] == "us-west-2"
    assert userfiles.aws_profiles(path) == {"earthdata-nsidc", "work", "earthdata-podaac"}


#: Files Python's netrc gives up on (its last macro has no empty line after it, or the
#: line after it holds a space), which curl and this module read.
UNTERMINATED_MACRO = {
    "lf": b"machine a login x password y\nmacdef init\ncd /pub\n",
    "crlf": b"machine a login x password y\r\nmacdef init\r\ncd /pub\r\n",
    "spaced-blank-line": b"machine a login x password y\nmacdef init\ncd /pub\n \n",
}


def server_netrc(content: bytes | None = None) -> bytes:
    """The netrc of the server under test: written (0600) when ``content`` is given; its bytes."""
    path = Path(os.environ["NETRC"])
    if content is not None:
        path.write_bytes(content)
        path.chmod(0o600)
    return path.read_bytes()


@pytest.mark.parametrize("original", UNTERMINATED_MACRO.values(), ids=UNTERMINATED_MACRO)
@pytest.mark.usefixtures("earthdata")  # the EDL stand-in signs in
async def test_sign_out_takes_the_password_out_of_a_netrc_python_cannot_read(api, original):
    server_netrc(original)
    with pytest.raises(netrc.NetrcParseError):
        netrc.netrc(os.environ["NETRC"])
    body = {"username": "demo", "password": "s3cret #1", "remember": True}
    status, session = await api("earthdata/session", method="POST", body=body)
    assert status == 200, session
    assert "netrc" in session["stored_in"]
    assert b"s3cret #1" in server_netrc()
    # curl reads what was written
    assert curl_login(os.environ["NETRC"], "127.0.0.1") == "demo:s3cret #1"

    status, _ = await api("earthdata/session", method="DELETE")
    assert status == 200
    assert b"s3cret" not in server_netrc()
    assert server_netrc() == original  # byte for byte


#: Files where an entry added for the EDL host would not read back: a value missing at
#: the end (Python's netrc would then take the new entry's words for it, and stop
#: reading the file at all), a comment with an odd quote (this module would read the
#: entry as part of a quoted word, and could not take it out at sign-out).
NO_READ_BACK = {
    "dangling-keyword": b"machine a login x password\n",
    "quote-in-comment": b'machine a login x password y\n# the "old one\n',
}


@pytest.mark.parametrize("original", NO_READ_BACK.values(), ids=NO_READ_BACK)
@pytest.mark.usefixtures("earthdata")  # the EDL stand-in signs in
async def test_remember_me_is_refused_when_the_entry_would_not_read_back(api, original):
    server_netrc(original)
    body = {"username": "demo", "password": "s3cret #1", "remember": True}
    status, err = await api("earthdata/session", method="POST", body=body)
    assert status == 400
    assert err["error"]["code"] == "netrc_unreadable"
    assert "Remember me" in err["error"]["hint"]
    assert "s3cret" not in json.dumps(err)
    assert server_netrc() == original  # put back byte for byte
    status, session = await api("earthdata/session")
    assert session["signed_in"] is False
    # without remember me the same sign-in works, and the file is not touched
    status, session = await api(
        "earthdata/session", method="POST", body={**body, "remember": False}
    )
    assert status == 200 and session["signed_in"] is True
    assert server_netrc() == original
