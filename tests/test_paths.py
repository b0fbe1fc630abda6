"""Client paths resolved inside the root, against a real folder tree with real symbolic
links (and the root of a real server)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cloudscapes.handlers import CloudscapesError
from cloudscapes.paths import existing_parent, name_problem, resolve_inside, server_root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A Jupyter root with a sibling whose name starts like it, and a folder outside."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("not yours")
    (tmp_path / "root2").mkdir()
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    return root


def refused(root: Path, path, **kw) -> CloudscapesError:
    with pytest.raises(CloudscapesError) as info:
        resolve_inside(root, path, **kw)
    error = info.value
    assert error.status == 400 and error.message and error.hint
    return error


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("data/file.nc", "data/file.nc"),
        ("new/folder/x", "new/folder/x"),  # need not exist
        ("", "."),
        (".", "."),
        ("a//b/./c/", "a/b/c"),
        ("win\\style\\path", "win/style/path"),
    ],
)
def test_plain_paths_resolve_below_the_root(root, path, where):
    assert resolve_inside(root, path) == (root / where).resolve()


@pytest.mark.parametrize("path", ["/etc/passwd", "//server/share", "\\\\server\\share", "/"])
def test_absolute_paths_are_refused(root, path):
    error = refused(root, path)
    assert error.code == "invalid_path"
    assert "absolute" in error.message


@pytest.mark.parametrize("path", ["..", "../root2", "data/../../outside", "C:\\..\\.."])
def test_dot_dot_that_leaves_is_refused(root, path):
    assert "goes outside your Jupyter root" in refused(root, path).message


@pytest.mark.parametrize("path", ["data/../data", "a/..", "C:\\x\\..\\.."])
def test_dot_dot_that_stays_inside_is_refused_too(root, path):
    # decided: no '..' at all; a client has no reason to send one
    error = refused(root, path)
    assert error.code == "invalid_path" and "'..' parts" in error.message


@pytest.mark.parametrize(
    "path", ["a\x00b", "a\nb", "data/\r", "tab\there", "\x1b[31mred", "del\x7f", "c1\x85"]
)
def test_nul_and_control_characters_are_refused(root, path):
    assert "control character" in refused(root, path).message


def test_text_that_is_not_unicode_and_values_that_are_not_text_are_refused(root):
    assert "not valid text" in refused(root, "bad\ud800name").message
    for value in (None, 5, ["data"], b"data"):
        refused(root, value)


def test_a_symlink_out_of_the_root_is_refused(root, tmp_path):
    (root / "elsewhere").symlink_to(tmp_path / "outside")
    (root / "lookalike").symlink_to(tmp_path / "root2")  # /x/root2 is not below /x/root
    (root / "data" / "up").symlink_to("../..")  # relative, two levels up
    (root / "dangling").symlink_to(tmp_path / "outside" / "not-yet")
    (root / "data" / "file").symlink_to(tmp_path / "outside" / "secret.txt")
    for path in (
        "elsewhere",
        "elsewhere/secret.txt",
        "elsewhere/new/deeper",
        "lookalike",
        "data/up/outside",
        "dangling",
        "data/file",
    ):
        error = refused(root, path)
        assert "leads outside your Jupyter root" in error.message, path


def test_a_symlink_that_stays_inside_resolves_to_its_target(root):
    (root / "alias").symlink_to(root / "data")
    (root / "data" / "self").symlink_to(".")
    assert resolve_inside(root, "alias/x.nc") == (root / "data" / "x.nc").resolve()
    assert resolve_inside(root, "data/self/self") == (root / "data").resolve()


def test_a_root_that_is_itself_a_link_works(root, tmp_path):
    (tmp_path / "link-to-root").symlink_to(root)
    assert resolve_inside(tmp_path / "link-to-root", "data") == (root / "data").resolve()
    refused(tmp_path / "link-to-root", "../outside")


def test_names_starting_with_a_dash_come_back_as_absolute_paths(root):
    for path in ("-rf", "--help/x", "data/-n"):
        resolved = resolve_inside(root, path)
        assert resolved.is_absolute() and str(resolved).startswith(str(root.resolve()))
        assert resolved.name == path.rsplit("/", 1)[-1]


def test_unicode_names_are_kept_as_sent(root):
    nfc, nfd = "\u00e9t\u00e9", "e\u0301te\u0301"
    for path in (f"donn\u00e9es/{nfc}.nc", f"{nfd}/x", "\u65e5\u672c\u8a9e/\U0001f30a.tif"):
        assert resolve_inside(root, path) == Path(os.path.realpath(root)) / path


def test_hidden_parts_are_refused_only_when_asked(root):
    assert resolve_inside(root, ".gitignore").name == ".gitignore"
    error = refused(root, "data/.ssh", allow_hidden=False, what="folder", code="invalid_directory")
    assert error.code == "invalid_directory"
    assert error.message.startswith("The folder 'data/.ssh' is hidden")


def test_names_longer_than_the_file_system_takes_are_refused(root):
    assert resolve_inside(root, "\u00e9" * 127).name == "\u00e9" * 127  # 254 bytes
    assert "longer than 255 bytes" in refused(root, "\u00e9" * 128).message


def test_the_error_names_the_feature_and_its_code(root):
    error = refused(root, "/etc", what="repository", code="invalid_repository", hint="Pick one.")
    assert error.to_json() == {
        "error": {
            "code": "invalid_repository",
            "message": "The repository '/etc' is absolute; it must be inside your Jupyter root.",
            "hint": "Pick one.",
        }
    }


def test_name_problem_says_what_is_wrong_with_one_name():
    assert name_problem("seaice.nc") is None
    assert name_problem("-rf") is None
    for bad in ("", ".", "..", "a/b", "a\\b", "a\x00", "a\n", "x" * 256, "\ud800"):
        assert name_problem(bad), bad


def test_existing_parent(root):
    assert existing_parent(root / "data" / "a" / "b") == root / "data"
    assert existing_parent(root / "data") == root / "data"


def test_the_servers_root(jp_serverapp, jp_root_dir):
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    assert server_root(jp_serverapp) == server_root(app) == jp_root_dir.resolve()
