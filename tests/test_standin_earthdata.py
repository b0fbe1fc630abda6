"""The Earthdata stand-ins (cloudscapes.testing.earthdata, .s3) follow nasa-apis.md.

The stand-ins run on their own IOLoop in a background thread, so these tests use
blocking clients (urllib, boto3) and never the ``io_loop`` of pytest-jupyter.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cloudscapes.testing.client import http
from cloudscapes.testing.earthdata import (
    DEMO_BUCKET,
    DEMO_OBJECTS,
    EarthdataStandIns,
    EarthdataState,
)
from cloudscapes.testing.s3 import MotoS3
from cloudscapes.testing.serving import LoopThread

PASSWORD = "pa55 word #1"
JSON_TYPE = "application/json; charset=utf-8"
INVALID_CREDENTIALS = {
    "error": "invalid_credentials",
    "error_description": "Invalid user credentials",
}


# -- plumbing ------------------------------------------------------------------------
# (the loop and the signing key: cloudscapes.testing.fixtures.standins)


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@dataclass
class Env:
    state: EarthdataState
    standins: EarthdataStandIns
    clock: Clock

    def edl(self, path: str) -> str:
        return self.standins.edl_url + path

    def token(self, user: str = "alice", password: str = PASSWORD) -> str:
        reply = http("POST", self.edl("/api/users/token"), basic=(user, password))
        assert reply.status == 200, reply.body
        return reply.json()["access_token"]


@pytest.fixture(scope="module")
def moto_s3(moto_s3: MotoS3) -> Iterator[MotoS3]:
    """The run's MotoS3 (one per process, from conftest), with a bucket of another DAAC."""
    moto_s3.seed("demo-other-daac", "secret.txt", b"not yours\n")
    yield moto_s3


@pytest.fixture
def earthdata(standin_loop: LoopThread, signing_key: rsa.RSAPrivateKey) -> Iterator[Env]:
    clock = Clock()
    state = EarthdataState(signing_key=signing_key, clock=clock)
    state.add_user("alice", PASSWORD, first_name="Alice", last_name="Liddell")
    state.add_user("bob", "bobs password")
    state.add_daac("nsidc", [DEMO_BUCKET])
    state.add_daac("podaac", eula=True)
    state.add_daac("ornldaac", forbidden=True)
    standins = standin_loop.call(EarthdataStandIns, state)
    yield Env(state, standins, clock)
    standin_loop.call(standins.aclose)


def jwt_parts(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    header, payload, signature = token.split(".")

    def dec(part: str) -> bytes:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

    return (
        json.loads(dec(header)),
        json.loads(dec(payload)),
        f"{header}.{payload}".encode(),
        dec(signature),
    )


# -- Earthdata Login -----------------------------------------------------------------


def test_token_is_a_signed_rs256_jwt(earthdata: Env) -> None:
    reply = http("POST", earthdata.edl("/api/users/token"), basic=("alice", PASSWORD))
    assert reply.status == 200
    assert reply.headers["Content-Type"] == JSON_TYPE
    body = reply.json()
    assert set(body) == {"access_token", "token_type", "expiration_date"}
    assert body["token_type"] == "Bearer"
    header, payload, signed, signature = jwt_parts(body["access_token"])
    assert header == {
        "typ": "JWT",
        "alg": "RS256",
        "origin": "Earthdata Login",
        "sig": "edljwtpubkey_ops",
    }
    assert payload["type"] == "User"
    assert payload["uid"] == "alice"
    assert payload["iss"] == earthdata.standins.edl_url
    assert payload["acr"] == "edl"
    assert payload["assurance_level"] == 3
    assert payload["exp"] - payload["iat"] == 60 * 24 * 3600
    assert abs(payload["iat"] - earthdata.clock.now) < 2
    public = serialization.load_pem_public_key(earthdata.state.public_key_pem())
    assert isinstance(public, rsa.RSAPublicKey)
    public.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())  # raises if bad
    # expiration_date is the (UTC) date of exp, MM/DD/YYYY
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", body["expiration_date"])
    exp_date = datetime.fromtimestamp(payload["exp"], timezone.utc).strftime("%m/%d/%Y")
    assert body["expiration_date"] == exp_date


def test_jwks_publishes_the_signing_key(earthdata: Env) -> None:
    token = earthdata.token()
    jwk = http("GET", earthdata.edl("/.well-known/edl_ops_jwks.json")).json()["keys"][0]
    assert jwk["kid"] == "edljwtpubkey_ops"

    def num(value: str) -> int:
        return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")

    public = rsa.RSAPublicNumbers(num(jwk["e"]), num(jwk["n"])).public_key()
    _, _, signed, signature = jwt_parts(token)
    public.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())


def test_token_lifetime_is_configurable(earthdata: Env) -> None:
    earthdata.state.token_lifetime = 90
    _, payload, _, _ = jwt_parts(earthdata.token())
    assert payload["exp"] - payload["iat"] == 90


def test_at_most_two_valid_tokens(earthdata: Env) -> None:
    first, second = earthdata.token(), earthdata.token()
    assert first != second
    third = http("POST", earthdata.edl("/api/users/token"), basic=("alice", PASSWORD))
    assert third.status == 403
    assert third.headers["Content-Type"] == JSON_TYPE
    assert third.json() == {
        "error": "max_token_limit",
        "error_description": "Max tokens limit reached",
    }
    listed = http("GET", earthdata.edl("/api/users/tokens"), basic=("alice", PASSWORD)).json()
    assert {t["access_token"] for t in listed} == {first, second}
    assert all(t["token_type"] == "Bearer" for t in listed)
    # find_or_create hands out an existing one rather than failing
    found = http(
        "POST", earthdata.edl("/api/users/find_or_create_token"), basic=("alice", PASSWORD)
    )
    assert found.status == 200
    assert found.json()["access_token"] in {first, second}
    # the limit is per user, and an expired token no longer counts
    assert earthdata.token("bob", "bobs password")
    earthdata.clock.now += 60 * 24 * 3600
    assert earthdata.token() not in {first, second}


def test_find_or_create_creates_then_reuses(earthdata: Env) -> None:
    empty = http("GET", earthdata.edl("/api/users/tokens"), basic=("alice", PASSWORD))
    assert (empty.status, empty.json()) == (200, [])
    url = earthdata.edl("/api/users/find_or_create_token")
    created = http("POST", url, basic=("alice", PASSWORD)).json()
    again = http("POST", url, basic=("alice", PASSWORD)).json()
    assert created == again
    assert len(earthdata.state.valid_tokens("alice")) == 1


def test_wrong_credentials_exact_answer(earthdata: Env) -> None:
    for user, password in (("alice", "nope"), ("nobody", PASSWORD)):
        reply = http("POST", earthdata.edl("/api/users/token"), basic=(user, password))
        assert reply.status == 401
        assert reply.headers["Content-Type"] == JSON_TYPE
        assert reply.json() == INVALID_CREDENTIALS
    assert len(earthdata.state.failed_logins["alice"]) == 1


@pytest.mark.parametrize(
    "path,method",
    [
        ("/api/users/token", "POST"),
        ("/api/users/find_or_create_token", "POST"),
        ("/api/users/tokens", "GET"),
        ("/api/users/revoke_token?token=x", "POST"),
    ],
)
def test_no_authorization_gets_a_basic_challenge(earthdata: Env, path: str, method: str) -> None:
    reply = http(method, earthdata.edl(path))
    assert reply.status == 401
    assert reply.headers["WWW-Authenticate"].startswith(
        'Basic realm="Please enter your Earthdata Login credentials'
    )
    assert reply.json() == INVALID_CREDENTIALS
    assert earthdata.state.failed_logins == {}


def test_lockout_after_five_failures(earthdata: Env) -> None:
    url = earthdata.edl("/api/users/tokens")
    for _ in range(5):
        assert http("GET", url, basic=("alice", "wrong")).status == 401
    assert earthdata.state.is_locked("alice")
    locked = http("GET", url, basic=("alice", PASSWORD))
    assert locked.status == 401
    assert locked.headers["Content-Type"] == JSON_TYPE
    assert locked.json() == INVALID_CREDENTIALS
    assert earthdata.state.locked_rejections["alice"] == 1
    assert len(earthdata.state.failed_logins["alice"]) == 5
    # other users are unaffected; the lock ends after 10 minutes
    assert http("GET", url, basic=("bob", "bobs password")).status == 200
    earthdata.clock.now += 599
    assert http("GET", url, basic=("alice", PASSWORD)).status == 401
    earthdata.clock.now += 2
    assert http("GET", url, basic=("alice", PASSWORD)).status == 200


def test_failures_spread_over_more_than_ten_minutes_do_not_lock(earthdata: Env) -> None:
    url = earthdata.edl("/api/users/tokens")
    for _ in range(4):
        http("GET", url, basic=("alice", "wrong"))
    earthdata.clock.now += 601
    http("GET", url, basic=("alice", "wrong"))
    assert not earthdata.state.is_locked("alice")
    assert http("GET", url, basic=("alice", PASSWORD)).status == 200


def test_success_resets_the_failure_count(earthdata: Env) -> None:
    url = earthdata.edl("/api/users/tokens")
    for _ in range(4):
        http("GET", url, basic=("alice", "wrong"))
    assert http("GET", url, basic=("alice", PASSWORD)).status == 200
    http("GET", url, basic=("alice", "wrong"))
    assert not earthdata.state.is_locked("alice")


def test_revocation(earthdata: Env) -> None:
    token = earthdata.token()
    profile = earthdata.edl("/api/users/alice")
    assert http("GET", profile, bearer=token).status == 200
    revoke = earthdata.edl(f"/api/users/revoke_token?token={token}")
    # only the owner may revoke it
    refused = http("POST", revoke, basic=("bob", "bobs password"))
    assert (refused.status, refused.json()["error"]) == (400, "invalid_token")
    done = http("POST", revoke, basic=("alice", PASSWORD))
    assert (done.status, done.body) == (200, b"")
    assert http("GET", earthdata.edl("/api/users/tokens"), basic=("alice", PASSWORD)).json() == []
    gone = http("GET", profile, bearer=token)
    assert gone.status == 401
    assert gone.json()["error"] == "invalid_token"
    daac = http("GET", earthdata.state.daac_url("nsidc"), bearer=token)
    assert (daac.status, daac.json()["error"]) == (401, "invalid_token")


def test_profile(earthdata: Env) -> None:
    token = earthdata.token()
    reply = http("GET", earthdata.edl("/api/users/alice"), bearer=token)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == JSON_TYPE
    profile = reply.json()
    for name in (
        "uid",
        "first_name",
        "last_name",
        "email_address",
        "registered_date",
        "country",
        "study_area",
        "user_type",
        "affiliation",
        "email_verified",
        "user_groups",
    ):
        assert name in profile
    assert (profile["uid"], profile["first_name"], profile["user_groups"]) == (
        "alice",
        "Alice",
        [],
    )


def test_profile_refuses_bad_tokens(earthdata: Env, signing_key: rsa.RSAPrivateKey) -> None:
    token = earthdata.token()
    _, payload, _, _ = jwt_parts(token)
    head, _, sig = token.split(".")
    forged_payload = base64.urlsafe_b64encode(json.dumps({**payload, "uid": "bob"}).encode())
    forged = f"{head}.{forged_payload.rstrip(b'=').decode()}.{sig}"
    other_key = EarthdataState(edl_url="http://x").mint_token("alice").access_token
    cases = {
        "missing": None,
        "garbage": "not-a-jwt",
        "forged": forged,
        "other key": other_key,
    }
    for name, bad in cases.items():
        reply = http("GET", earthdata.edl("/api/users/alice"), bearer=bad)
        assert reply.status == 401, name
        assert reply.headers["Content-Type"] == JSON_TYPE
        assert reply.json()["error"] == "invalid_token", name
        assert reply.json()["error_description"], name
    # another user's valid token, and an expired one
    assert http("GET", earthdata.edl("/api/users/bob"), bearer=token).status == 401
    earthdata.clock.now += 60 * 24 * 3600
    assert http("GET", earthdata.edl("/api/users/alice"), bearer=token).status == 401


def test_requests_are_recorded_with_all_headers(earthdata: Env) -> None:
    earthdata.token()
    recorded = earthdata.state.requests_to("edl")[-1]
    assert (recorded.method, recorded.path) == ("POST", "/api/users/token")
    assert recorded.headers["authorization"].startswith("Basic ")
    assert recorded.headers["User-Agent"] == "cloudscapes-tests/1.0"
    assert abs(recorded.time - time.time()) < 5
    http("GET", earthdata.standins.imds_url + "/nothing-here")
    assert earthdata.state.requests_to("imds")[-1].path == "/nothing-here"


def test_redirect_hook(earthdata: Env) -> None:
    target = earthdata.standins.imds_url + "/latest/meta-data/placement/region"
    earthdata.state.redirect_token_calls_to = target
    reply = http("POST", earthdata.edl("/api/users/token"), basic=("alice", PASSWORD))
    assert (reply.status, reply.headers["Location"]) == (302, target)
    assert earthdata.state.tokens == {}
    # a client that follows redirects with its headers is caught by the record
    http("GET", earthdata.edl("/api/users/tokens"), basic=("alice", PASSWORD), follow=True)
    leaked = earthdata.state.requests_to("imds")[-1]
    assert leaked.headers.get("Authorization", "").startswith("Basic ")


# -- DAAC /s3credentials -------------------------------------------------------------


def test_daac_without_auth_redirects_to_edl(earthdata: Env) -> None:
    reply = http("GET", earthdata.state.daac_url("nsidc"))
    assert reply.status == 302
    location = urlsplit(reply.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == earthdata.standins.edl_url
    assert location.path == "/oauth/authorize"
    query = parse_qs(location.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["nsidc"]
    assert query["redirect_uri"][0].startswith(earthdata.standins.daac_base_url)
    assert earthdata.state.issued_credentials == {}


def test_daac_refuses_bad_tokens(earthdata: Env) -> None:
    token = earthdata.token()
    bad = http("GET", earthdata.state.daac_url("nsidc"), bearer=token[:-4] + "AAAA")
    assert bad.status == 401
    assert bad.json()["error"] == "invalid_token"
    earthdata.clock.now += 60 * 24 * 3600
    expired = http("GET", earthdata.state.daac_url("nsidc"), bearer=token)
    assert (expired.status, expired.json()["error"]) == (401, "invalid_token")
    assert earthdata.state.issued_credentials == {}


def test_daac_gives_browsers_html(earthdata: Env) -> None:
    ua = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
    reply = http(
        "GET", earthdata.state.daac_url("nsidc"), {"User-Agent": ua}, bearer=earthdata.token()
    )
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    assert reply.body.lstrip().lower().startswith(b"<!doctype html")


def test_daac_eula_refusal(earthdata: Env) -> None:
    reply = http("GET", earthdata.state.daac_url("podaac"), bearer=earthdata.token())
    assert reply.status == 403
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json() == {
        "status_code": 403,
        "error": "invalid_token",
        "error_description": "EULA Acceptance Failure",
        "resolution_url": f"{earthdata.standins.edl_url}/approve_app?client_id=podaac",
    }


def test_eula_accepted_on_the_resolution_page(earthdata: Env) -> None:
    refusal = http("GET", earthdata.state.daac_url("podaac"), bearer=earthdata.token()).json()
    page = refusal["resolution_url"]
    challenge = http("GET", page)
    assert challenge.status == 401 and "Basic realm" in challenge.headers["WWW-Authenticate"]
    shown = http("GET", page, basic=("alice", PASSWORD))
    assert shown.status == 200 and b'<form method="post">' in shown.body
    unknown = http("POST", earthdata.edl("/approve_app?client_id=nope"), basic=("alice", PASSWORD))
    assert unknown.status == 400
    assert http("POST", page, basic=("alice", "wrong")).status == 401
    assert "podaac" in earthdata.state.eula_daacs
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    accepted = http(
        "POST",
        earthdata.edl("/approve_app"),
        form,
        data=b"client_id=podaac",
        basic=("alice", PASSWORD),
    )
    assert accepted.status == 200 and accepted.headers["Content-Type"].startswith("text/html")
    assert http("GET", earthdata.state.daac_url("podaac"), bearer=earthdata.token()).status == 200


def test_daac_forbidden_is_html(earthdata: Env) -> None:
    reply = http("GET", earthdata.state.daac_url("ornldaac"), bearer=earthdata.token())
    assert reply.status == 403
    assert reply.headers["Content-Type"].startswith("text/html")


def test_unknown_daac_is_404(earthdata: Env) -> None:
    assert http("GET", earthdata.state.daac_url("nowhere"), bearer=earthdata.token()).status == 404


def test_daac_random_credentials_without_moto(earthdata: Env) -> None:
    reply = http("GET", earthdata.state.daac_url("nsidc"), bearer=earthdata.token())
    assert reply.status == 200
    assert reply.headers["Content-Type"] == JSON_TYPE
    creds = reply.json()
    assert set(creds) == {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", creds["accessKeyId"])
    assert len(creds["secretAccessKey"]) == 40
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00", creds["expiration"])
    expires = datetime.fromisoformat(creds["expiration"])
    assert abs((expires - datetime.now(timezone.utc)).total_seconds() - 3600) < 5
    assert earthdata.state.issued_credentials == {"nsidc": 1}
    assert earthdata.state.credentials[0].uid == "alice"


def _s3_client(s3: MotoS3, creds: dict[str, str]) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=s3.endpoint_url,
        region_name="us-west-2",
        aws_access_key_id=creds["accessKeyId"],
        aws_secret_access_key=creds["secretAccessKey"],
        aws_session_token=creds["sessionToken"],
    )


def test_daac_credentials_read_moto_and_nothing_else(earthdata: Env, moto_s3: MotoS3) -> None:
    earthdata.state.s3 = moto_s3
    reply = http("GET", earthdata.state.daac_url("nsidc"), bearer=earthdata.token())
    assert reply.status == 200
    creds = reply.json()
    client = _s3_client(moto_s3, creds)
    body = client.get_object(Bucket=DEMO_BUCKET, Key="hello.txt")["Body"].read()
    assert body == b"Hello from the Cloudscapes demo bucket\n"
    listed = client.list_objects_v2(Bucket=DEMO_BUCKET, Delimiter="/")["Contents"]
    assert sorted(o["Key"] for o in listed) == sorted(DEMO_OBJECTS)
    for call in (
        lambda: client.get_object(Bucket="demo-other-daac", Key="secret.txt"),
        lambda: client.list_buckets(),
        lambda: client.put_object(Bucket=DEMO_BUCKET, Key="x", Body=b"x"),
    ):
        with pytest.raises(ClientError) as denied:
            call()
        assert denied.value.response["Error"]["Code"] == "AccessDenied"


@pytest.mark.parametrize(
    "keys,code",
    [
        ({"aws_access_key_id": "AKIAMADEUP0000000000"}, "InvalidAccessKeyId"),
        (
            {"aws_access_key_id": "ASIAMADEUP0000000000", "aws_session_token": "tok"},
            "InvalidAccessKeyId",
        ),
    ],
)
def test_moto_refuses_made_up_keys(moto_s3: MotoS3, keys: dict[str, str], code: str) -> None:
    client = boto3.client(
        "s3",
        endpoint_url=moto_s3.endpoint_url,
        region_name="us-west-2",
        aws_secret_access_key="x" * 40,
        **keys,
    )
    with pytest.raises(ClientError) as refused:
        client.get_object(Bucket=DEMO_BUCKET, Key="hello.txt")
    assert refused.value.response["Error"]["Code"] == code


def test_moto_refuses_wrong_secret_and_token(moto_s3: MotoS3) -> None:
    creds = moto_s3.issue_temporary_credentials(60, [DEMO_BUCKET])
    for change, code in (
        ({"secretAccessKey": "y" * 40}, "SignatureDoesNotMatch"),
        ({"sessionToken": "forged"}, "InvalidToken"),
    ):
        with pytest.raises(ClientError) as refused:
            _s3_client(moto_s3, {**creds, **change}).get_object(Bucket=DEMO_BUCKET, Key="hello.txt")
        assert refused.value.response["Error"]["Code"] == code


def test_daac_credentials_expire(earthdata: Env, moto_s3: MotoS3) -> None:
    earthdata.state.s3 = moto_s3
    earthdata.state.credential_lifetime = 1
    creds = http("GET", earthdata.state.daac_url("nsidc"), bearer=earthdata.token()).json()
    expires = datetime.fromisoformat(creds["expiration"])
    client = _s3_client(moto_s3, creds)
    assert client.get_object(Bucket=DEMO_BUCKET, Key="hello.txt")["Body"].read()
    time.sleep(max(0.0, (expires - datetime.now(timezone.utc)).total_seconds()) + 0.05)
    with pytest.raises(ClientError) as expired:
        client.get_object(Bucket=DEMO_BUCKET, Key="hello.txt")
    assert expired.value.response["Error"]["Code"] == "ExpiredToken"
    # fresh credentials work again
    fresh = http("GET", earthdata.state.daac_url("nsidc"), bearer=earthdata.token()).json()
    assert _s3_client(moto_s3, fresh).head_object(Bucket=DEMO_BUCKET, Key="hello.txt")
    assert earthdata.state.issued_credentials == {"nsidc": 2}


# -- IMDSv2 ----------------------------------------------------------------------------


def test_imds_token_flow(earthdata: Env) -> None:
    base = earthdata.standins.imds_url
    region_url = base + "/latest/meta-data/placement/region"
    for ttl in (None, "0", "21601", "abc"):
        headers = {} if ttl is None else {"X-aws-ec2-metadata-token-ttl-seconds": ttl}
        assert http("PUT", base + "/latest/api/token", headers).status == 400, ttl
    reply = http("PUT", base + "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    assert reply.status == 200
    token = reply.body.decode()
    assert token
    assert http("GET", region_url).status == 401
    assert http("GET", region_url, {"X-aws-ec2-metadata-token": "bogus"}).status == 401
    region = http("GET", region_url, {"X-aws-ec2-metadata-token": token})
    assert (region.status, region.body) == (200, b"us-west-2")
    assert region.headers["Content-Type"].startswith("text/plain")
    earthdata.state.region = "eu-central-1"
    assert http("GET", region_url, {"X-aws-ec2-metadata-token": token}).body == b"eu-central-1"
    earthdata.clock.now += 61
    assert http("GET", region_url, {"X-aws-ec2-metadata-token": token}).status == 401
    maximum = {"X-aws-ec2-metadata-token-ttl-seconds": "21600"}
    assert http("PUT", base + "/latest/api/token", maximum).status == 200
