"""What the base handler gives every route: request bodies checked against schema/
before any verb runs, size and depth limits, query values taken as sent, a refusal
that names a missing XSRF token, and a JSON 404 for every unknown path."""

from __future__ import annotations

import json
import logging
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import cloudscapes
from cloudscapes.contract import Contract, InvalidBody, contract, field_name, schema_dir
from cloudscapes.git.handlers_history import ResolveHandler
from cloudscapes.handlers import https_on_domains
from cloudscapes.testing.datasets import DEMO_PUBLIC_BUCKET, PUBLIC_README_KEY

from .conftest import CONTRACT

# Several routes here list, read or search through the NASA stand-ins and moto S3.
pytestmark = pytest.mark.usefixtures("earthdata")

PUBLIC = f"public:{DEMO_PUBLIC_BUCKET}"
PROBE = "cloudscapes_probe"
WRITES = ("post", "put", "patch")

#: Operations that document a request body, and those that take a body at all.
BODY_OPS = [op for op in CONTRACT.operations if "requestBody" in op.spec]
WRITE_OPS = [op for op in CONTRACT.operations if op.method in WRITES]
#: Routes that take bodies larger than 2 MB, and their limits.
LARGER_LIMITS = {"/cloudscapes/git/resolve": ResolveHandler.max_body_bytes}


def op_id(op):
    return f"{op.method.upper()} {op.path}"


def route(op) -> str:
    """The op's path below /cloudscapes with a value in each template."""
    return re.sub(r"\{[^/]+\}", "nsidc", op.path).removeprefix("/cloudscapes/")


def error_of(response) -> dict:
    """The error of a JSON answer in the contract's error shape."""
    assert response.headers["Content-Type"].startswith("application/json"), response.body[:80]
    body = json.loads(response.body)
    errors = list(Draft202012Validator(ERROR_BODY).iter_errors(body))
    assert not errors, errors
    return body["error"]


ERROR_BODY = CONTRACT.documents["common.yaml"]["components"]["schemas"]["ErrorBody"]


# ---- the contract at runtime ------------------------------------------------------------


def test_the_schemas_are_found_in_a_checkout_and_in_an_installed_package(tmp_path):
    package = Path(cloudscapes.__file__).resolve().parent
    checkout = package.parent / "schema"
    assert schema_dir() == checkout
    # a wheel carries them inside the package (pyproject.toml force-includes schema/)
    pyproject = (package.parent / "pyproject.toml").read_text(encoding="utf-8")
    forced = pyproject.partition("[tool.hatch.build.targets.wheel.force-include]")[2]
    assert forced.lstrip().startswith('"schema" = "cloudscapes/schema"\n')
    installed = tmp_path / "site-packages" / "cloudscapes"
    shutil.copytree(checkout, installed / "schema")
    assert schema_dir(installed) == installed / "schema"
    assert Contract(schema_dir(installed)).find("post", "/cloudscapes/usage/keepalive")
    with pytest.raises(FileNotFoundError):
        schema_dir(tmp_path / "elsewhere" / "cloudscapes")


def test_the_contract_is_loaded_and_compiled_once():
    assert contract() is contract()
    op = contract().find("post", "/cloudscapes/usage/keepalive")
    assert contract().body(op).validator is contract().body(op).validator


# ---- request bodies -----------------------------------------------------------------


@pytest.mark.parametrize("op", BODY_OPS, ids=op_id)
def test_every_request_schema_has_examples_that_it_accepts(op):
    # the examples are the hints of the validator's messages: they must stay right
    schema = CONTRACT.body(op).schema
    assert schema.get("examples"), f"schema/{op.document}: {op_id(op)} has no examples"
    for example in schema["examples"]:
        CONTRACT.check_body(op, example)


@pytest.mark.parametrize("op", BODY_OPS, ids=op_id)
async def test_every_documented_body_is_checked_before_the_handler_runs(api, op):
    # a handler that read its body unchecked would answer this otherwise
    example = CONTRACT.body(op).schema["examples"][0]
    status, body = await api(route(op), method=op.method.upper(), body={**example, PROBE: 1})
    assert status == 400
    assert body["error"]["code"] == "invalid_field"
    assert body["error"]["message"] == f"Unknown field '{PROBE}'."
    assert body["error"]["hint"].startswith("Fields allowed here: ")


def string_fields(value, path=()):
    """The path of every string in ``value`` (an example body), keys as well."""
    if isinstance(value, str):
        yield list(path)
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from string_fields(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from string_fields(child, (*path, index))


def with_value(body, path, value):
    """A deep copy of ``body`` with ``value`` at ``path``."""
    body = json.loads(json.dumps(body))
    node = body
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return body


@pytest.mark.parametrize("op", BODY_OPS, ids=op_id)
async def test_a_lone_surrogate_in_any_string_field_is_a_400(api, op):
    # "\ud800" is valid JSON and jsonschema takes it, but it is no text: encoding it
    # (to send as a password, to write to a file) raised UnicodeEncodeError, a 500
    for example in CONTRACT.body(op).schema["examples"]:
        for path in string_fields(example):
            body = with_value(example, path, "x\ud800")
            status, answer = await api(route(op), method=op.method.upper(), body=body)
            assert (status, answer["error"]["code"]) == (400, "invalid_field"), path
            assert answer["error"]["message"].startswith(f"'{field_name(path)}' is not valid")
        # a surrogate in a field's name is refused the same way, before "unknown field"
        status, answer = await api(
            route(op), method=op.method.upper(), body={**example, "\udc00x": 1}
        )
        assert (status, answer["error"]["code"]) == (400, "invalid_field")
        assert "'\\udc00x' is not valid text" in answer["error"]["message"]


@pytest.mark.parametrize("op", [op for op in WRITE_OPS if "requestBody" not in op.spec], ids=op_id)
async def test_routes_without_a_body_refuse_fields(api, op):
    status, body = await api(route(op), method=op.method.upper(), body={PROBE: 1})
    assert (status, body["error"]["code"]) == (400, "invalid_field")
    assert body["error"]["hint"] == "This route takes no request body."


async def test_keepalive_refuses_fields_its_schema_forbids(api):
    status, body = await api("usage/keepalive", method="POST", body={"minutes": 5, "hours": 1})
    assert (status, body["error"]["code"]) == (400, "invalid_field")
    assert body["error"]["message"] == "Unknown field 'hours'."
    _, usage = await api("usage")
    assert usage["activity"]["keepalive_until"] is None


@pytest.mark.parametrize("op", WRITE_OPS, ids=op_id)
async def test_deeply_nested_json_is_a_400_not_a_traceback(api, op):
    for raw in (b"[" * 1000 + b"]" * 1000, b'{"a":' * 1000 + b"1" + b"}" * 1000):
        status, body = await api(route(op), method=op.method.upper(), raw=raw)
        assert (status, body["error"]["code"]) == (400, "invalid_json"), raw[:10]
        assert "nests" in body["error"]["message"]


def test_the_validator_never_walks_deep_json():
    # 40 levels parse fine, inside a free-form object the schema does not describe
    op = CONTRACT.find("post", "/cloudscapes/dask/clusters")
    deep: object = 1
    for _ in range(40):
        deep = [deep]
    with pytest.raises(InvalidBody) as caught:
        CONTRACT.check_body(op, {"options": {"x": deep}})
    assert caught.value.code == "invalid_json"


def test_field_names_from_the_body_are_shown_escaped_and_short():
    op = CONTRACT.find("post", "/cloudscapes/usage/keepalive")
    for name in ("evil\r\n[E 2026] forged log line", "x" * 5000):
        with pytest.raises(InvalidBody) as caught:
            CONTRACT.check_body(op, {"minutes": 5, name: 1})
        message = caught.value.message
        assert message.startswith("Unknown field '") and len(message) < 100
        assert not re.search(r"[\x00-\x1f]", message)


@pytest.mark.parametrize("op", WRITE_OPS, ids=op_id)
async def test_bodies_over_the_limit_get_a_413_that_says_so(api, op):
    # 2 MB, or past the route's own limit where it takes more (a resolved conflict)
    pad = max(2_000_000, LARGER_LIMITS.get(op.path, 0) + 1)
    raw = b'{"pad": "' + b"x" * pad + b'"}'
    status, body = await api(route(op), method=op.method.upper(), raw=raw)
    assert (status, body["error"]["code"]) == (413, "body_too_large")
    assert f"{len(raw)} bytes" in body["error"]["message"]


# ---- paths no route matches -------------------------------------------------------------

UNKNOWN = [
    "cloudscapes",
    "cloudscapes/",
    "cloudscapes/nope",
    "cloudscapes/jobs/\x00",
    "cloudscapes/earthdata/credentials/",
    "cloudscapes/earthdata/credentials/-nsidc",
    "cloudscapes/dask/clusters/" + "x" * 201,
    "cloudscapes/usage/keepalive/extra",
]


@pytest.mark.parametrize("path", UNKNOWN)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])
async def test_unknown_paths_answer_a_json_404(jp_fetch, path, method):
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    response = await jp_fetch(path, method=method, body=body, raise_error=False)
    assert response.code == 404
    if method == "HEAD":
        assert response.headers["Content-Type"].startswith("application/json")
        return
    assert error_of(response)["code"] == "not_found"


async def test_unknown_paths_still_require_login(jp_fetch):
    response = await jp_fetch("cloudscapes/nope", headers={"Authorization": ""}, raise_error=False)
    assert response.code == 403
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "cloudscapes/jobs/%00"),
        ("DELETE", "cloudscapes/dask/clusters/" + "a" * 33),
        ("GET", "cloudscapes/data/collections/" + "C" * 30),
        ("POST", "cloudscapes/earthdata/credentials/"),
    ],
)
async def test_the_paths_the_review_found_answer_json(jp_fetch, method, path):
    response = await jp_fetch(
        urllib.parse.unquote(path),
        method=method,
        body=b"{}" if method == "POST" else None,
        raise_error=False,
    )
    assert 400 <= response.code < 500
    assert error_of(response)["message"]


# ---- names that begin with a dash -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "jobs/-x", None),
        ("DELETE", "jobs/-x", None),
        ("GET", "dask/clusters/-x", None),
        ("DELETE", "dask/clusters/-x", None),
        ("PATCH", "dask/clusters/-x", {"workers": 1}),
        ("GET", "data/collections/-C1-X", None),
        ("GET", "data/granules/-G1-X", None),
        ("GET", "data/s3/objects?source=-x", None),
        ("GET", f"data/s3/object?source={PUBLIC}&key=-{PUBLIC_README_KEY}", None),
        ("POST", "earthdata/credentials/-nsidc", {}),
        ("POST", "earthdata/aws-profiles", {"daacs": ["-nsidc"]}),
        ("POST", "data/code", {"objects": [{"source": "-x", "key": "-k"}]}),
        ("POST", "data/downloads", {"object": {"source": "-x", "key": "-k"}}),
        ("POST", "dask/clusters", {"backend": "local", "options": {"-x": 1}}),
    ],
)
async def test_names_beginning_with_a_dash_get_a_json_refusal(jp_fetch, method, path, body):
    path_only, _, query = path.partition("?")
    response = await jp_fetch(
        "cloudscapes",
        path_only,
        method=method,
        body=None if body is None else json.dumps(body),
        params=dict(urllib.parse.parse_qsl(query)),
        raise_error=False,
    )
    assert 400 <= response.code < 500, response.body[:200]
    assert error_of(response)["message"]


async def test_a_dash_prefix_lists_like_any_other(api):
    status, page = await api(f"data/s3/objects?source={PUBLIC}&prefix=-")
    assert status == 200
    assert page["objects"] == [] and page["folders"] == []


# ---- query values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [
        (f"data/s3/object?source={PUBLIC}&key={PUBLIC_README_KEY}\r\n", "key"),
        (f"data/s3/object?source={PUBLIC}&key={PUBLIC_README_KEY}\x00", "key"),
        (f"data/s3/objects?source={PUBLIC}&prefix=\x00", "prefix"),
        (f"data/s3/objects?source={PUBLIC}\t", "source"),
        ("data/collections?keyword=ice\x7f", "keyword"),
    ],
)
async def test_control_characters_in_query_values_are_refused(api, query, name):
    status, body = await api(query)
    assert (status, body["error"]["code"]) == (400, "invalid_parameter")
    assert f"'{name}'" in body["error"]["message"]


async def test_query_values_are_taken_as_sent(api):
    status, _ = await api(f"data/s3/object?source={PUBLIC}&key={PUBLIC_README_KEY}")
    assert status == 200
    for key in (f"{PUBLIC_README_KEY} ", f" {PUBLIC_README_KEY}"):
        status, body = await api(f"data/s3/object?source={PUBLIC}&key={key}")
        assert (status, body["error"]["code"]) == (404, "no_such_key"), key


async def test_jupyters_own_query_keys_keep_working(jp_fetch, jp_serverapp):
    token = jp_serverapp.identity_provider.token
    response = await jp_fetch(
        "cloudscapes/data/s3/objects",
        params={"source": PUBLIC, "token": token, "no_track_activity": "1", "1795302503622": ""},
        headers={"Authorization": ""},
    )
    assert response.code == 200


async def test_control_characters_in_the_path_are_refused(api):
    status, body = await api("dask/clusters/local-\n")
    assert (status, body["error"]["code"]) == (400, "invalid_parameter")


# ---- XSRF ---------------------------------------------------------------------------------


def _cookies(response, jar: dict[str, str]) -> dict[str, str]:
    for header in response.headers.get_list("Set-Cookie"):
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


async def test_a_cookie_login_without_its_xsrf_token_is_told_so(jp_fetch, jp_serverapp):
    # sign in as a browser does: the login page, then the token as the password
    anonymous = {"Authorization": ""}
    page = await jp_fetch("login", headers=anonymous)
    jar = _cookies(page, {})
    xsrf = jar["_xsrf"]
    form = urllib.parse.urlencode({"password": jp_serverapp.identity_provider.token, "_xsrf": xsrf})
    login = await jp_fetch(
        "login",
        method="POST",
        body=form,
        headers={**anonymous, "Cookie": _cookie_header(jar)},
        follow_redirects=False,
        raise_error=False,
    )
    assert login.code == 302
    _cookies(login, jar)
    assert any(name.startswith("username-") for name in jar)
    browser = {**anonymous, "Cookie": _cookie_header(jar)}
    keepalive = json.dumps({"minutes": 5})

    response = await jp_fetch(
        "cloudscapes/usage/keepalive",
        method="POST",
        body=keepalive,
        headers=browser,
        raise_error=False,
    )
    assert response.code == 403
    error = error_of(response)
    assert error["code"] == "xsrf_missing"
    assert error["message"] == "The request lacks its XSRF token."
    CONTRACT.validate("post", "/cloudscapes/usage/keepalive", 403, response.body)

    response = await jp_fetch(
        "cloudscapes/usage/keepalive",
        method="POST",
        body=keepalive,
        headers={**browser, "X-XSRFToken": "2|00000000|" + "0" * 32 + "|1"},
        raise_error=False,
    )
    assert (response.code, error_of(response)["code"]) == (403, "xsrf_mismatch")

    response = await jp_fetch(
        "cloudscapes/usage/keepalive",
        method="POST",
        body=keepalive,
        headers={**browser, "X-XSRFToken": xsrf},
    )
    assert response.code == 200


def test_a_url_that_cannot_be_read_is_on_no_domain():
    # urlsplit raises ValueError on an unclosed IPv6 bracket: a "no", never a 500
    for url in ("https://[::1", "https://[nasa.gov/x", "https://x.nasa.gov:99999999999/"):
        assert https_on_domains(url, [".nasa.gov"]) is False
    assert https_on_domains("https://data.nasa.gov/x", [".nasa.gov"]) is True


# ---- values a client sent, echoed in messages --------------------------------------------

#: A value that would forge a log line if echoed raw, and fill it if echoed whole.
HOSTILE = "G1\r\n[E 2026-12-02 ServerApp] forged line" + "A" * 5000
HUGE = 10**100  # a whole number JSON carries, 101 digits


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("dask/clusters", {"backend": "local", "options": {"worker_threads": HUGE}}),
        ("dask/clusters", {"backend": "local", "options": {"worker_threads": HOSTILE}}),
        ("dask/clusters", {"backend": "local", "options": {"worker_memory": [HOSTILE]}}),
        ("dask/clusters", {"backend": "local", "options": {HOSTILE: 1}}),
        ("dask/clusters", {"backend": "local", "adapt": {"minimum": 0, "maximum": HUGE}}),
        ("dask/clusters", {"backend": "local", "workers": HUGE}),
        ("usage/keepalive", {"minutes": HUGE}),
        ("data/code", {"granules": [HOSTILE]}),
        ("data/code", {"objects": [{"source": HOSTILE, "key": "k"}]}),
        ("data/code", {"objects": [{"source": "default", "bucket": HOSTILE, "key": "k"}]}),
    ],
    ids=lambda value: value if isinstance(value, str) else json.dumps(value)[:60],
)
async def test_a_value_from_the_body_is_echoed_cut_and_escaped(api, caplog, path, body):
    caplog.set_level(logging.INFO)
    status, answer = await api(path, method="POST", body=body)
    assert 400 <= status < 500, answer
    message = answer["error"]["message"]
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("cloudscapes ")]
    assert logged and message in logged[-1]  # the log line holds the message as it is
    for text in (message, logged[-1]):
        assert len(text) < 250, text
        assert "\r" not in text and "\n" not in text  # no forged log line
        assert "A" * 100 not in text and str(HUGE) not in text
    if "G1\\r\\n" in json.dumps(body):
        assert "G1\\r\\n[E 2026" in message  # escaped, still recognisable


def test_an_unknown_field_message_names_five_fields_at_most():
    op = CONTRACT.find("post", "/cloudscapes/usage/keepalive")
    with pytest.raises(InvalidBody) as caught:
        CONTRACT.check_body(op, {"minutes": 5, **{f"extra{n:02d}": 1 for n in range(40)}})
    assert caught.value.message == (
        "Unknown fields 'extra00', 'extra01', 'extra02', 'extra03', 'extra04', and 35 more."
    )
