"""The Earthdata login routes against a real jupyter_server and the EDL, DAAC and IMDS
stand-ins (which follow ../shared/reference/nasa-apis.md), with a moto S3 that only
accepts keys it issued."""

from __future__ import annotations

import asyncio
import configparser
import json
import logging
import netrc
import os
import shlex
import stat
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from cloudscapes.testing.earthdata import DEMO_BUCKET

# Every test of this module talks to the NASA stand-ins (EDL, DAACs, CMR, moto S3).
pytestmark = pytest.mark.usefixtures("earthdata")

DEMO = {"username": "demo", "password": "s3cret #1"}
OTHER_NETRC = "machine github.com login me password gh-secret\n# keep me\n"


def netrc_file() -> Path:
    return Path(os.environ["NETRC"])


def ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def sign_in(api, **body):
    return await api("earthdata/session", method="POST", body={**DEMO, **body})


def edl_calls(state, path_part: str = "") -> list:
    return [r for r in state.requests_to("edl") if path_part in r.path]


# ---- session -------------------------------------------------------------------------------


async def test_signed_out_session_lists_environments_and_no_sources(api, earthdata_state):
    status, session = await api("earthdata/session")
    assert status == 200
    assert session["signed_in"] is False
    assert session["environments"] == ["test"]
    assert session["edl_host"] == "127.0.0.1"
    assert session["sources"] == []
    assert session["remember_default"] is True
    assert earthdata_state.requests == []  # looking never calls EDL


async def test_sign_in_with_password_remembered(api, earthdata_state):
    netrc_file().write_text(OTHER_NETRC)
    netrc_file().chmod(0o600)
    status, session = await sign_in(api, remember=True)
    assert status == 200
    assert session["signed_in"] is True
    assert session["method"] == "password"
    assert session["profile"]["uid"] == "demo"
    assert session["profile"]["first_name"] == "Demo"
    assert session["profile"]["affiliation"] == "Cloudscapes demo"
    assert sorted(session["stored_in"]) == ["netrc", "state"]
    expires = ts(session["token_expires"])
    assert timedelta(days=59) < expires - datetime.now(timezone.utc) <= timedelta(days=60)
    assert session["can_renew"] is True
    # the netrc entry: 0600, readable by Python's netrc, the user's other entries intact
    assert stat.S_IMODE(netrc_file().stat().st_mode) == 0o600
    text = netrc_file().read_text()
    assert text.startswith(OTHER_NETRC)
    assert netrc.netrc(str(netrc_file())).authenticators("127.0.0.1") == ("demo", "", "s3cret #1")
    # Basic auth went to EDL once; the profile call used the Bearer token
    assert len(edl_calls(earthdata_state, "find_or_create_token")) == 1
    (profile_call,) = edl_calls(earthdata_state, "/api/users/demo")
    assert profile_call.headers["Authorization"].startswith("Bearer ")


async def test_sign_in_not_remembered_keeps_nothing_on_disk(api, tmp_path):
    status, session = await sign_in(api, remember=False)
    assert status == 200
    assert session["stored_in"] == ["memory"]
    assert session["can_renew"] is False
    assert not netrc_file().exists()
    assert not list((tmp_path / "home").rglob("earthdata.json"))


async def test_wrong_password_is_refused_once_with_the_lockout_warning(api, earthdata_state):
    netrc_file().write_text(OTHER_NETRC)
    status, body = await sign_in(api, password="wrong", remember=True)
    assert status == 401
    assert body["error"]["code"] == "edl_invalid_credentials"
    assert "locks the account" in body["error"]["hint"]
    assert len(edl_calls(earthdata_state, "token")) == 1  # never retried
    assert netrc_file().read_text() == OTHER_NETRC


async def test_locked_account_never_gets_retried(api, earthdata_state):
    for _ in range(6):
        status, _ = await sign_in(api, password="wrong")
        assert status == 401
    status, _ = await sign_in(api)  # the right password, while locked
    assert status == 401
    assert len(edl_calls(earthdata_state, "token")) == 7  # one call per click, no more


@pytest.mark.parametrize("password", ["s p a c e s", 'quo"te', "#hash", "s3cret #1 'x'"])
async def test_awkward_passwords_round_trip_through_netrc(api, earthdata_state, password):
    earthdata_state.add_user("awk", password, first_name="Awk")
    status, session = await sign_in(api, username="awk", password=password, remember=True)
    assert status == 200, session
    assert netrc.netrc(str(netrc_file())).authenticators("127.0.0.1") == ("awk", "", password)


async def test_password_with_newline_is_refused_before_anything_happens(api, earthdata_state):
    netrc_file().write_text(OTHER_NETRC)
    status, body = await sign_in(api, password="x\nmachine evil login a password b", remember=True)
    assert status == 400
    assert body["error"]["code"] == "netrc_unsafe_value"
    assert netrc_file().read_text() == OTHER_NETRC
    assert earthdata_state.requests == []


@pytest.mark.parametrize(
    "body, words",
    [
        ({"username": "demo"}, "Send either 'username' and 'password', 'token', or 'source'"),
        ({"username": "", "password": "x"}, "username"),
        ({"token": ""}, "non-empty"),
        ({"source": "elsewhere"}, "source"),
        ({**DEMO, "remember": "yes"}, "remember"),
        ({**DEMO, "environment": "prod"}, "Unknown Earthdata environment"),
        ({**DEMO, "extra": 1}, "Unknown field"),
        ({**DEMO, "token": "x"}, "'token', or 'source', not more than one"),
    ],
)
async def test_bad_sign_in_bodies(api, earthdata_state, body, words):
    status, answer = await api("earthdata/session", method="POST", body=body)
    assert status == 400
    assert words in answer["error"]["message"]
    assert earthdata_state.requests == []


async def test_sign_in_with_pasted_token(api, earthdata_state):
    token = earthdata_state.mint_token("demo").access_token
    status, session = await api(
        "earthdata/session", method="POST", body={"token": token, "remember": False}
    )
    assert status == 200
    assert session["method"] == "token"
    assert session["profile"]["uid"] == "demo"
    assert session["can_renew"] is False


async def test_expired_revoked_and_malformed_tokens(api, earthdata_state):
    earthdata_state.token_lifetime = -10
    expired = earthdata_state.mint_token("demo").access_token
    status, body = await api("earthdata/session", method="POST", body={"token": expired})
    assert (status, body["error"]["code"]) == (401, "edl_token_expired")
    earthdata_state.token_lifetime = 3600
    revoked = earthdata_state.mint_token("demo")
    revoked.revoked = True
    status, body = await api(
        "earthdata/session", method="POST", body={"token": revoked.access_token}
    )
    assert (status, body["error"]["code"]) == (401, "edl_invalid_token")
    status, body = await api("earthdata/session", method="POST", body={"token": "not-a-jwt"})
    assert (status, body["error"]["code"]) == (400, "edl_invalid_token")


async def test_sources_are_detected_but_validated_only_when_asked(
    api, earthdata_state, monkeypatch
):
    monkeypatch.setenv("EARTHDATA_USERNAME", "demo")
    monkeypatch.setenv("EARTHDATA_PASSWORD", "s3cret #1")
    netrc_file().write_text("machine 127.0.0.1 login demo password mine\n")
    _, session = await api("earthdata/session")
    assert session["sources"] == ["env_password", "netrc"]
    assert earthdata_state.requests == []
    status, session = await api(
        "earthdata/session", method="POST", body={"source": "env_password", "remember": False}
    )
    assert status == 200
    assert session["method"] == "env_password"


async def test_user_netrc_entry_is_used_and_never_removed(api, earthdata_state):
    own = "machine 127.0.0.1 login demo password s3cret #1\n"
    netrc_file().write_text(own.replace("s3cret #1", '"s3cret #1"'))
    status, session = await api("earthdata/session", method="POST", body={"source": "netrc"})
    assert status == 200
    assert session["method"] == "netrc"
    status, _ = await api("earthdata/session", method="DELETE")
    assert status == 200
    assert netrc.netrc(str(netrc_file())).authenticators("127.0.0.1")[0] == "demo"


async def test_signing_in_again_without_remember_removes_the_files(api, tmp_path):
    netrc_file().write_text(OTHER_NETRC)
    await sign_in(api, remember=True)
    state_file = Path(os.environ["XDG_DATA_HOME"]) / "cloudscapes" / "earthdata.json"
    assert state_file.exists() and "s3cret" in netrc_file().read_text()
    status, session = await sign_in(api, remember=False)
    assert status == 200 and session["stored_in"] == ["memory"]
    assert netrc_file().read_text() == OTHER_NETRC
    assert not state_file.exists()


async def test_a_failed_revocation_does_not_undo_the_sign_out(api, earthdata_state):
    await sign_in(api, remember=True)
    earthdata_state.users["demo"].password = "changed elsewhere"
    status, session = await api("earthdata/session?revoke=1", method="DELETE")
    assert status == 200
    assert session["signed_in"] is False
    assert "not revoked" in session["notice"]
    assert not netrc_file().exists()  # Cloudscapes had created it


async def test_a_refresh_racing_a_sign_out_keeps_no_keys(api, jp_serverapp):
    await sign_in(api)
    service = earthdata(jp_serverapp)
    refresh = asyncio.ensure_future(service.refresh_daac("nsidc"))
    await asyncio.sleep(0)  # the fetch is under way in a thread
    await service.sign_out(False)
    with pytest.raises(Exception, match="session changed"):
        await refresh
    assert service.daacs["nsidc"].credentials is None


async def test_sign_out_removes_what_cloudscapes_wrote_and_revokes(api, earthdata_state):
    netrc_file().write_text(OTHER_NETRC)
    _, session = await sign_in(api, remember=True)
    state_files = [Path(os.environ["XDG_DATA_HOME"]) / "cloudscapes" / "earthdata.json"]
    assert all(f.exists() for f in state_files)
    status, session = await api("earthdata/session?revoke=1", method="DELETE")
    assert status == 200
    assert session["signed_in"] is False
    assert netrc_file().read_text() == OTHER_NETRC
    assert not any(f.exists() for f in state_files)
    assert edl_calls(earthdata_state, "revoke_token")
    assert earthdata_state.valid_tokens("demo") == []


async def test_sign_in_and_out_give_back_a_crlf_netrc_with_default_byte_for_byte(
    api, earthdata_state
):
    original = (
        b"machine github.com login me password gh-secret\r\n"
        b"macdef init\r\ncd /pub\r\n\r\n"
        b"default login anonymous password guest\r\n"
    )
    netrc_file().write_bytes(original)
    netrc_file().chmod(0o600)
    status, session = await sign_in(api, remember=True)
    assert status == 200 and "netrc" in session["stored_in"]
    written = netrc_file().read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n")  # every line still ends in CRLF
    # before `default`, where curl and libcurl readers find it
    assert b'\r\n\r\nmachine 127.0.0.1 password "s3cret #1" login demo\r\ndefault' in written
    assert netrc.netrc(str(netrc_file())).authenticators("127.0.0.1") == ("demo", "", "s3cret #1")
    status, _ = await api("earthdata/session?revoke=1", method="DELETE")
    assert status == 200
    assert netrc_file().read_bytes() == original


# ---- token lifecycle ---------------------------------------------------------------------


async def test_renew_at_the_two_token_limit_revokes_only_our_oldest(api, earthdata_state):
    await sign_in(api, remember=True)
    (found,) = earthdata_state.valid_tokens("demo")  # find_or_create's: not ours
    status, _ = await api("earthdata/session/renew", method="POST")
    assert status == 200  # a second token, made by Cloudscapes
    ours = next(t for t in earthdata_state.valid_tokens("demo") if t is not found)
    status, _ = await api("earthdata/session/renew", method="POST")
    assert status == 200  # at the limit: our first renewal's token was revoked
    valid = earthdata_state.valid_tokens("demo")
    assert found in valid and ours not in valid and len(valid) == 2
    assert len(edl_calls(earthdata_state, "revoke_token")) == 1


async def test_renew_never_revokes_tokens_it_did_not_create(api, earthdata_state):
    await sign_in(api, remember=True)  # find_or_create: not ours
    earthdata_state.mint_token("demo")  # the user's other token, made elsewhere
    status, body = await api("earthdata/session/renew", method="POST")
    assert status == 409
    assert body["error"]["code"] == "edl_token_limit"
    assert edl_calls(earthdata_state, "revoke_token") == []
    assert len(earthdata_state.valid_tokens("demo")) == 2


async def test_renew_needs_a_stored_password(api, earthdata_state):
    status, body = await api("earthdata/session/renew", method="POST")
    assert (status, body["error"]["code"]) == (409, "earthdata_not_signed_in")
    token = earthdata_state.mint_token("demo").access_token
    await api("earthdata/session", method="POST", body={"token": token})
    status, body = await api("earthdata/session/renew", method="POST")
    assert (status, body["error"]["code"]) == (409, "edl_cannot_renew")


# ---- redirects ---------------------------------------------------------------------------


@pytest.fixture
def elsewhere(io_loop):
    """Another host that records what reaches it."""
    seen: list[dict] = []

    class Record(RequestHandler):
        def prepare(self):
            seen.append(dict(self.request.headers))
            self.finish("{}")

    sockets = bind_sockets(0, "127.0.0.2")
    server = HTTPServer(Application([(r"/.*", Record)]))
    server.add_sockets(sockets)
    yield f"http://127.0.0.2:{sockets[0].getsockname()[1]}/steal", seen
    server.stop()


async def test_basic_auth_never_follows_a_redirect(api, earthdata_state, elsewhere):
    url, seen = elsewhere
    earthdata_state.redirect_token_calls_to = url
    status, body = await sign_in(api)
    assert status == 502
    assert body["error"]["code"] == "edl_redirect"
    assert seen == []


# ---- DAAC credentials ----------------------------------------------------------------------


def earthdata(serverapp):
    """The running EarthdataService."""
    (app,) = serverapp.extension_manager.extension_apps["cloudscapes"]
    return app.services["earthdata"]


async def test_daac_credentials_status_without_keys(api, earthdata_state, jp_serverapp):
    status, body = await api("earthdata/credentials/nsidc", method="POST")
    assert (status, body["error"]["code"]) == (409, "earthdata_not_signed_in")
    await sign_in(api)
    status, daac = await api("earthdata/credentials/nsidc", method="POST")
    assert status == 200
    assert daac["status"] == "valid"
    assert ts(daac["expiration"]) > datetime.now(timezone.utc) + timedelta(minutes=50)
    _, listing = await api("earthdata/credentials")
    assert [d["daac"] for d in listing["daacs"]] == ["nsidc", "ornldaac", "podaac"]
    keys = earthdata(jp_serverapp).daacs["nsidc"].credentials
    for answer in (json.dumps(daac), json.dumps(listing)):
        assert keys.access_key_id not in answer
        assert keys.secret_access_key not in answer
        assert keys.session_token not in answer
    daac_call = earthdata_state.requests_to("daac")[-1]
    assert daac_call.headers["Authorization"].startswith("Bearer ")
    assert "Mozilla" not in daac_call.headers["User-Agent"]


async def test_eula_and_permission_refusals(api):
    await sign_in(api)
    status, body = await api("earthdata/credentials/podaac", method="POST")
    assert status == 403
    assert body["error"]["code"] == "daac_eula_required"
    assert "approve_app" in body["error"]["hint"]
    status, body = await api("earthdata/credentials/ornldaac", method="POST")
    assert (status, body["error"]["code"]) == (403, "daac_forbidden")
    _, listing = await api("earthdata/credentials")
    podaac = next(d for d in listing["daacs"] if d["daac"] == "podaac")
    assert podaac["status"] == "error"
    assert podaac["error"]["error"]["code"] == "daac_eula_required"


async def test_unknown_daac_and_endpoints_not_allowed(api, earthdata):
    await sign_in(api)
    status, body = await api("earthdata/credentials/nope", method="POST")
    assert (status, body["error"]["code"]) == (404, "unknown_daac")
    status, body = await api(
        "earthdata/credentials/nsidc",
        method="POST",
        body={"endpoint": "https://evil.example.com/s3credentials"},
    )
    assert (status, body["error"]["code"]) == (400, "endpoint_not_allowed")
    # the configured DAAC's host on another port (or over http) gets no token either
    configured = urlsplit(earthdata.daac_url("nsidc"))
    other_port = configured._replace(netloc=f"127.0.0.1:{configured.port + 1}").geturl()
    for url in (other_port, "http://data.nsidc.earthdatacloud.nasa.gov/s3credentials"):
        status, body = await api(
            "earthdata/credentials/nsidc", method="POST", body={"endpoint": url}
        )
        assert (status, body["error"]["code"]) == (400, "endpoint_not_allowed")


async def test_an_endpoint_that_is_not_a_url_is_refused_not_a_500(api, earthdata):
    await sign_in(api)
    for url in ("https://[::1", "https://[::1]:x/s3credentials", "https://]"):
        status, body = await api(
            "earthdata/credentials/nsidc", method="POST", body={"endpoint": url}
        )
        assert (status, body["error"]["code"]) == (400, "endpoint_not_allowed"), url


async def test_credentials_refresh_after_expiry(api, earthdata_state, jp_serverapp):
    earthdata_state.credential_lifetime = 2
    await sign_in(api)
    service = earthdata(jp_serverapp)
    service.config.credentials_margin = 0
    first = await service.credentials("nsidc")
    assert await service.credentials("nsidc") is first  # cached while valid
    await asyncio.sleep(3.5)
    second = await service.credentials("nsidc")
    assert second is not first
    assert second.expiration > first.expiration
    assert earthdata_state.issued_credentials["nsidc"] == 2


# ---- kernels and workers: credential_process ---------------------------------------------------


async def run_command(*command: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return process.returncode, out.decode(), err.decode()


async def run_process(*args: str) -> tuple[int, str, str]:
    return await run_command(
        sys.executable, "-m", "cloudscapes.earthdata.credential_process", *args
    )


async def test_aws_profile_credential_process_reads_from_s3(api, earthdata_state, moto_s3):
    await check_profiles_read_s3(api, earthdata_state, moto_s3)


class TestAdminChosenStatePath:
    @pytest.fixture
    def earthdata_config(self, tmp_path):
        return {"state_path": str(tmp_path / "admin-chosen" / "earthdata-state.json")}

    async def test_profiles_find_the_state_file(self, api, earthdata_state, moto_s3, tmp_path):
        await check_profiles_read_s3(api, earthdata_state, moto_s3)
        assert (tmp_path / "admin-chosen" / "earthdata-state.json").exists()


async def check_profiles_read_s3(api, earthdata_state, moto_s3):
    status, body = await api("earthdata/aws-profiles", method="POST", body={"daacs": ["nsidc"]})
    assert (status, body["error"]["code"]) == (409, "earthdata_not_signed_in")
    await sign_in(api, remember=False)
    status, body = await api("earthdata/aws-profiles", method="POST", body={"daacs": ["nsidc"]})
    assert (status, body["error"]["code"]) == (409, "earthdata_not_remembered")

    await sign_in(api, remember=True)
    status, body = await api("earthdata/aws-profiles", method="POST", body={"daacs": ["nsidc"]})
    assert status == 200
    assert body == {"path": os.environ["AWS_CONFIG_FILE"], "profiles": ["earthdata-nsidc"]}
    _, listing = await api("earthdata/credentials")
    assert listing["daacs"][0]["profile"] == "earthdata-nsidc"

    # the command AWS SDKs will run: its output is what botocore expects
    parser = configparser.ConfigParser()
    parser.read(os.environ["AWS_CONFIG_FILE"])
    command = shlex.split(parser["profile earthdata-nsidc"]["credential_process"])
    code, out, err = await run_command(*command)
    assert code == 0, err
    output = json.loads(out)
    assert output["Version"] == 1 and set(output) >= {"AccessKeyId", "SessionToken", "Expiration"}

    def read_object() -> bytes:
        session = boto3.Session(profile_name="earthdata-nsidc")
        s3 = session.client("s3")
        return s3.get_object(Bucket=DEMO_BUCKET, Key="hello.txt")["Body"].read()

    loop = asyncio.get_running_loop()
    assert b"Hello" in await loop.run_in_executor(None, read_object)
    # the cache: a second process call does not ask the DAAC again, nor does one after
    # the panel refreshed the credentials (the server shares them with the processes)
    before = earthdata_state.issued_credentials["nsidc"]
    code, _, _ = await run_command(*command)
    assert code == 0 and earthdata_state.issued_credentials["nsidc"] == before
    await api("earthdata/credentials/nsidc", method="POST")
    before = earthdata_state.issued_credentials["nsidc"]
    code, _, _ = await run_command(*command)
    assert code == 0 and earthdata_state.issued_credentials["nsidc"] == before

    def made_up_keys() -> None:
        boto3.client(
            "s3",
            endpoint_url=moto_s3.endpoint_url,
            region_name="us-west-2",
            aws_access_key_id="AKIAMADEUP",
            aws_secret_access_key="nope",
        ).get_object(Bucket=DEMO_BUCKET, Key="hello.txt")

    with pytest.raises(ClientError):
        await loop.run_in_executor(None, made_up_keys)


async def test_credential_process_without_a_remembered_session(api):
    code, out, err = await run_process("nsidc")
    assert code == 1
    assert out == ""
    assert "Remember me" in err


@pytest.mark.parametrize(
    "body", [{}, {"daacs": []}, {"daacs": "nsidc"}, {"daacs": [1]}, {"daacs": ["x"], "y": 1}]
)
async def test_aws_profiles_bad_bodies(api, body):
    status, _ = await api("earthdata/aws-profiles", method="POST", body=body)
    assert status == 400


# ---- secrets -----------------------------------------------------------------------------------


async def test_no_secret_reaches_a_response_or_a_log(api, earthdata_state, caplog, jp_serverapp):
    caplog.set_level(logging.DEBUG)
    answers = []

    async def call(*args, **kwargs):
        status, body = await api(*args, **kwargs)
        answers.append(json.dumps(body))
        return status, body

    await call("earthdata/session", method="POST", body={**DEMO, "remember": True})
    await call("earthdata/session")
    await call("earthdata/credentials/nsidc", method="POST")
    keys = earthdata(jp_serverapp).daacs["nsidc"].credentials
    await call("earthdata/credentials/podaac", method="POST")
    await call("earthdata/credentials")
    await call("earthdata/aws-profiles", method="POST", body={"daacs": ["nsidc"]})
    await call("earthdata/session/renew", method="POST")
    await call("earthdata/session", method="POST", body={**DEMO, "password": "wrong #2"})
    await call("earthdata/session?revoke=1", method="DELETE")
    secrets = ["s3cret #1", "wrong #2", *(t for t in earthdata_state.tokens)]
    secrets += [keys.secret_access_key, keys.session_token]
    assert len(secrets) >= 5
    # Records of the NASA stand-ins' own machinery (botocore/moto inside the DAAC stand-in)
    # are not Cloudscapes' logs; everything else, the server's and ours, is searched.
    theirs = ("botocore", "boto3", "moto", "urllib3", "werkzeug", "s3transfer")
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith(theirs)]
    haystack = "\n".join(answers + ours)
    for secret in secrets:
        assert secret not in haystack


async def test_polling_the_panel_routes_is_not_activity(api, jp_fetch):
    async def last_activity() -> str:
        return json.loads((await jp_fetch("api", "status")).body)["last_activity"]

    before = await last_activity()
    for route in ("earthdata/session", "earthdata/credentials", "earthdata/region"):
        status, _ = await api(route)
        assert status == 200
    assert await last_activity() == before
    await api("earthdata/session", method="POST", body={**DEMO, "remember": False})
    assert await last_activity() > before  # signing in is activity
