"""Local stand-ins for NASA Earthdata Login, DAAC ``/s3credentials``, DAAC HTTPS
downloads (the thin-egress-app and the presigned S3 URLs it redirects to) and EC2
instance metadata (IMDSv2), sharing one :class:`EarthdataState`; CMR search
(:mod:`cloudscapes.testing.cmr`) shares it too. :class:`EarthdataStandIns` starts them all.

They follow ``nasa-apis.md`` (NASA's EDL docs, the thin-egress-app, AWS IMDS docs):

Earthdata Login (own port, :attr:`EarthdataState.edl_url`)

- ``POST /api/users/find_or_create_token``, ``POST /api/users/token``,
  ``GET /api/users/tokens``, ``POST /api/users/revoke_token?token=...`` with Basic auth.
  Tokens are answered as ``{"access_token","token_type":"Bearer","expiration_date":
  "MM/DD/YYYY"}`` (the UTC date of ``exp``); ``tokens`` lists the valid ones (maybe ``[]``);
  ``revoke_token`` answers 200 with an empty body.
- Tokens are RS256 JWTs signed with an RSA key generated at start; header
  ``{"typ":"JWT","alg":"RS256","origin":"Earthdata Login","sig":"edljwtpubkey_ops"}``,
  payload ``type:"User", uid, exp, iat, iss`` (this stand-in's own base URL, not
  urs.earthdata.nasa.gov), ``acr:"edl", assurance_level:3``. They last 60 days
  (:attr:`EarthdataState.token_lifetime`).
- A user holds at most 2 valid tokens: ``POST /api/users/token`` with two answers 403
  ``{"error":"max_token_limit","error_description":"Max tokens limit reached"}``;
  ``find_or_create_token`` returns the newest valid token, or creates one.
- Wrong credentials: 401 ``{"error":"invalid_credentials","error_description":"Invalid
  user credentials"}``, ``Content-Type: application/json; charset=utf-8``. Without Basic
  auth: the same 401 plus ``WWW-Authenticate: Basic realm="Please enter your Earthdata
  Login credentials. If you do not have a Earthdata Login, create one at <edl>//users/new"``.
- Lockout: 5 wrong passwords within 10 minutes lock the account for 10 minutes; while
  locked every Basic-auth call for it answers the same 401 ``invalid_credentials``, even
  with the right password. EDL does not document its exact lockout answer, so this
  stand-in chooses the most conservative one: indistinguishable from a wrong password.
  Counters: :attr:`EarthdataState.failed_logins`, ``recent_failures``, ``locked_until``,
  ``locked_rejections``.
- ``GET /api/users/{uid}`` with ``Authorization: Bearer <token>``: a valid, unexpired,
  unrevoked token of that uid gets the profile (``uid, first_name, last_name,
  email_address, registered_date, country, study_area, user_type, affiliation,
  email_verified, user_groups``); anything else 401 ``{"error":"invalid_token",...}``.
- ``GET /.well-known/edl_ops_jwks.json``: the public key as a JWKS (``kid``
  ``edljwtpubkey_ops``), where EDL publishes its key.

DAAC ``/s3credentials`` (one server, ``/<daac>/s3credentials`` for each DAAC added with
:meth:`EarthdataState.add_daac`; :meth:`EarthdataState.daac_url`)

- No Bearer token: 302 to ``<edl>/oauth/authorize?client_id=<daac>&response_type=code&
  redirect_uri=<daac base>/<daac>/login``.
- Bad signature, expired or revoked token: 401 ``{"error":"invalid_token",
  "error_description":...}``. ASSUMED: the reference does not say what the
  thin-egress-app answers to a bad Bearer token; a strict JSON 401 was chosen.
- Browser User-Agents (containing ``Mozilla``) with a valid token: 200 ``text/html``.
- DAACs in ``eula_daacs``: 403 ``{"status_code":403,"error":"invalid_token",
  "error_description":"EULA Acceptance Failure","resolution_url":
  "<edl>/approve_app?client_id=<daac>"}``. DAACs in ``forbidden_daacs``: 403 HTML.
- Otherwise 200 ``{"accessKeyId","secretAccessKey","sessionToken","expiration":
  "YYYY-MM-DD HH:MM:SS+00:00"}`` valid :attr:`EarthdataState.credential_lifetime` s.
  With a :class:`~cloudscapes.testing.s3.MotoS3` in :attr:`EarthdataState.s3` the keys are
  real (they read that DAAC's buckets and expire); otherwise random but well-formed.
  Unknown DAACs: 404.

IMDSv2 (own port, :attr:`EarthdataState.imds_url`)

- ``PUT /latest/api/token`` needs ``X-aws-ec2-metadata-token-ttl-seconds`` (1..21600),
  else 400; answers a text token.
- ``GET /latest/meta-data/placement/region`` needs ``X-aws-ec2-metadata-token`` with a
  valid unexpired token (else 401); answers :attr:`EarthdataState.region` as text.

Data host (own port, :attr:`EarthdataState.data_url`): a DAAC's HTTPS download links,
``GET|HEAD /<bucket>/<key>``, for the buckets the state's DAACs list

- No Bearer token: 302 to ``<edl>/oauth/authorize?client_id=<daac>&response_type=code&
  redirect_uri=<data host>/login&state=/<bucket>/<key>``, as ``/s3credentials``. A bad
  token: 401 ``invalid_token`` JSON; EULA and forbidden DAACs: the same 403s as
  ``/s3credentials``; a bucket no DAAC lists: 404.
- A valid token: 307 to the presign host (another host:port, as S3 is another host) with
  a SigV4-shaped query (``X-Amz-Algorithm``, ``X-Amz-Credential``, ``X-Amz-Date``,
  ``X-Amz-Expires`` = :attr:`EarthdataState.presign_lifetime`, ``X-Amz-SignedHeaders``,
  ``X-Amz-Signature``): an HMAC-SHA256 of the method, path and parameters with
  :attr:`EarthdataState.presign_secret` (ASSUMED stand-in signature; like S3, a URL
  signed for GET does not work for HEAD).

Presign host (own port, :attr:`EarthdataState.presign_url`), answering like S3

- Query signature plus an ``Authorization`` header: 400 ``InvalidArgument`` "Only one
  auth mechanism allowed; ..." (S3's answer, which catches clients that keep the token
  on a cross-host redirect; S3 would also echo the header in ``<ArgumentValue>``, which
  is left out here because it holds a secret). No signature: 403 ``AccessDenied``;
  missing parameters: 400 ``AuthorizationQueryParametersError``; a bad signature: 403
  ``SignatureDoesNotMatch``; expired: 403 ``AccessDenied`` "Request has expired"; no such
  object: 404 ``NoSuchKey``. Error bodies are S3's XML; HEAD errors have no body.
- Otherwise 200 (206 for a single ``Range``) with the object's bytes read from the
  state's :class:`~cloudscapes.testing.s3.MotoS3` with the admin key, ``Content-Length``,
  ``Content-Type``, ``ETag``, ``Last-Modified``.
- Test hooks: ``state.data_fail_after[key or "bucket/key"] = n`` closes the connection
  after ``n`` bytes of the body; ``state.data_rate = bytes_per_second`` streams slowly;
  :attr:`EarthdataState.transfers` records what was sent (complete, aborted by the
  client, cut by the hook).

Every request to any of them is recorded in :attr:`EarthdataState.requests` with all its
headers (services ``edl``, ``daac``, ``imds``, ``cmr``, ``data``, ``presign``).
``state.redirect_token_calls_to = url`` makes the four Basic-auth token endpoints
answer 302 to ``url`` (to test that Basic credentials never follow a redirect).

Beyond the reference (assumed): tokens also carry a random ``jti`` claim so that two
tokens made in the same second differ; revoking a token that is not the caller's answers
400 ``invalid_token``; EDL's ``registered_date`` format is unknown (ISO 8601 here).

Run ``python -m cloudscapes.testing.earthdata --info-file PATH [--s3] [--many N]`` for the
demo (user ``demo``, password ``s3cret #1``; DAACs nsidc, podaac (EULA), lpdaac,
gesdisc, ornl (forbidden), asf, each with its ``demo-<daac>-protected`` bucket; with
``--s3`` a seeded :class:`~cloudscapes.testing.s3.MotoS3`: the demo collection's NetCDF
granules and the public bucket ``demo-public-data`` with ``N`` keys under ``many/``,
see :mod:`cloudscapes.testing.datasets`). The info file holds the URLs
(:func:`server_config` and :func:`data_server_config` turn it into server settings).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import hmac
import json
import os
import re
import secrets
import signal
import string
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape as xml_escape

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPHeaders
from tornado.iostream import StreamClosedError
from tornado.netutil import bind_sockets

from .datasets import DAAC_BUCKETS, DEMO_PUBLIC_BUCKET, DEMO_PUBLIC_LABEL

if TYPE_CHECKING:
    from .s3 import MotoS3

JSON_TYPE = "application/json; charset=utf-8"
JWT_HEADER = {"typ": "JWT", "alg": "RS256", "origin": "Earthdata Login", "sig": "edljwtpubkey_ops"}
SIXTY_DAYS = 60 * 24 * 3600
INVALID_CREDENTIALS = {
    "error": "invalid_credentials",
    "error_description": "Invalid user credentials",
}
MAX_TOKENS = {"error": "max_token_limit", "error_description": "Max tokens limit reached"}
IMDS_MAX_TTL = 21600

DEMO_BUCKET = DAAC_BUCKETS["nsidc"]
DEMO_LPDAAC_BUCKET = DAAC_BUCKETS["lpdaac"]
DEMO_OBJECTS = {
    "hello.txt": b"Hello from the Cloudscapes demo bucket\n",
    "sea_ice_extent.csv": (
        b"date,extent_million_km2\n"
        b"2024-09-01,4.53\n2024-09-08,4.35\n2024-09-15,4.28\n2024-09-22,4.31\n"
    ),
}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


@dataclass
class EdlUser:
    username: str
    password: str
    profile: dict[str, Any]


@dataclass
class EdlToken:
    access_token: str
    uid: str
    iat: int
    exp: int
    revoked: bool = False

    def valid(self, now: float) -> bool:
        return not self.revoked and now < self.exp

    def as_json(self) -> dict[str, str]:
        date = datetime.fromtimestamp(self.exp, timezone.utc).strftime("%m/%d/%Y")
        return {"access_token": self.access_token, "token_type": "Bearer", "expiration_date": date}


@dataclass
class RecordedRequest:
    #: "edl", "daac" or "imds"
    service: str
    method: str
    #: path with query string
    path: str
    #: every header as received (case-insensitive lookups)
    headers: HTTPHeaders
    time: float
    body: bytes = b""


@dataclass
class IssuedCredentials:
    daac: str
    uid: str
    access_key_id: str
    expiration: datetime


@dataclass
class Transfer:
    """A body the presign host sent (or began to)."""

    bucket: str
    key: str
    #: bytes the answer announced (Content-Length)
    size: int
    sent: int = 0
    complete: bool = False
    #: the client went away before the end
    aborted: bool = False
    #: the ``data_fail_after`` hook cut it
    cut: bool = False


@dataclass
class EarthdataState:
    users: dict[str, EdlUser] = field(default_factory=dict)
    #: access token -> record, every token ever issued
    tokens: dict[str, EdlToken] = field(default_factory=dict)
    token_lifetime: float = SIXTY_DAYS
    max_tokens: int = 2
    lockout_threshold: int = 5
    lockout_window: float = 600.0
    lockout_duration: float = 600.0
    #: username -> every wrong-password attempt (clock time), never cleared
    failed_logins: dict[str, list[float]] = field(default_factory=dict)
    #: username -> wrong-password attempts counting towards a lockout (cleared on
    #: success and when a lockout starts)
    recent_failures: dict[str, list[float]] = field(default_factory=dict)
    #: username -> clock time the lockout ends
    locked_until: dict[str, float] = field(default_factory=dict)
    #: username -> Basic-auth calls refused because the account was locked
    locked_rejections: dict[str, int] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    #: when set, the token endpoints answer 302 to this URL
    redirect_token_calls_to: str | None = None
    #: DAAC name -> buckets its credentials may read (None: every bucket)
    daacs: dict[str, list[str] | None] = field(default_factory=dict)
    eula_daacs: set[str] = field(default_factory=set)
    forbidden_daacs: set[str] = field(default_factory=set)
    credential_lifetime: int = 3600
    #: DAAC -> number of credentials issued
    issued_credentials: dict[str, int] = field(default_factory=dict)
    credentials: list[IssuedCredentials] = field(default_factory=list)
    s3: MotoS3 | None = None
    region: str = "us-west-2"
    #: IMDS token -> clock time it expires
    imds_tokens: dict[str, float] = field(default_factory=dict)
    #: time source for tokens, lockouts and IMDS tokens (not for S3 credentials,
    #: whose expiry moto's filter checks against the real time)
    clock: Callable[[], float] = time.time
    #: generated on first use; pass one to share a key between states (faster tests)
    signing_key: rsa.RSAPrivateKey | None = None
    edl_url: str | None = None
    daac_base_url: str | None = None
    imds_url: str | None = None

    # -- CMR search (cloudscapes.testing.cmr) ---------------------------------------
    #: ends in ``/search/``
    cmr_url: str | None = None
    #: a :class:`cloudscapes.testing.cmr.Catalogue`; None: the default one
    cmr_catalogue: Any = None
    #: the next n CMR requests answer 429 with ``Retry-After: cmr_retry_after``
    cmr_throttle: int = 0
    cmr_retry_after: int = 1
    #: statuses (500, 502, 503, 504) that the next CMR requests answer, in order
    cmr_failures: list[int] = field(default_factory=list)
    #: answers carry ``CMR-Timed-Out: true``
    cmr_timed_out: bool = False
    #: ``CMR-Search-After`` on the last non-empty page too (as real CMR)
    cmr_search_after_on_last_page: bool = False
    #: longer GET request URIs get 413
    cmr_max_url_length: int = 8192

    # -- data host (TEA egress) and presigned S3 host -------------------------------
    data_url: str | None = None
    presign_url: str | None = None
    #: ``X-Amz-Expires`` of the presigned URLs the data host hands out
    presign_lifetime: int = 3600
    presign_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    #: object key (or ``bucket/key``) -> the presign host closes the connection after
    #: sending this many bytes of its body
    data_fail_after: dict[str, int] = field(default_factory=dict)
    #: bytes per second the presign host streams bodies at (None: no limit)
    data_rate: float | None = None
    #: every body the presign host started to send
    transfers: list[Transfer] = field(default_factory=list)

    # -- configuration -------------------------------------------------------------

    def add_user(self, username: str, password: str, **profile: Any) -> EdlUser:
        """An EDL account; ``profile`` overrides the defaults of the profile answer."""
        answer: dict[str, Any] = {
            "uid": username,
            "first_name": "",
            "last_name": "",
            "email_address": f"{username}@example.org",
            "registered_date": "2024-01-15T12:00:00.000Z",
            "country": "United States",
            "study_area": "Other",
            "user_type": "Public User",
            "affiliation": "Other",
            "email_verified": True,
            "user_groups": [],
        }
        answer.update(profile)
        user = EdlUser(username, password, answer)
        self.users[username] = user
        return user

    def add_daac(
        self,
        name: str,
        buckets: list[str] | None = None,
        *,
        eula: bool = False,
        forbidden: bool = False,
    ) -> None:
        """Serve ``/<name>/s3credentials``; its keys may read ``buckets`` (None: all)."""
        self.daacs[name] = buckets
        if eula:
            self.eula_daacs.add(name)
        if forbidden:
            self.forbidden_daacs.add(name)

    def daac_url(self, daac: str) -> str:
        if self.daac_base_url is None:
            raise RuntimeError("the DAAC stand-in is not started")
        return f"{self.daac_base_url}/{daac}/s3credentials"

    def bucket_daac(self, bucket: str) -> str | None:
        """The DAAC that names ``bucket`` among its buckets (the data host serves it)."""
        return next((d for d, buckets in self.daacs.items() if bucket in (buckets or ())), None)

    # -- keys and tokens -----------------------------------------------------------

    @property
    def key(self) -> rsa.RSAPrivateKey:
        if self.signing_key is None:
            self.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self.signing_key

    def public_key_pem(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()

        def b64int(value: int) -> str:
            return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

        return {
            "keys": [
                {
                    "kty": "RSA",
                    "kid": JWT_HEADER["sig"],
                    "use": "sig",
                    "alg": "RS256",
                    "n": b64int(numbers.n),
                    "e": b64int(numbers.e),
                }
            ]
        }

    def mint_token(self, uid: str) -> EdlToken:
        """Sign and record a new token for ``uid`` (no limit check; the API checks)."""
        if self.edl_url is None:
            raise RuntimeError("the EDL stand-in is not started (its URL is the issuer)")
        iat = int(self.clock())
        exp = iat + int(self.token_lifetime)
        payload = {
            "type": "User",
            "uid": uid,
            "exp": exp,
            "iat": iat,
            "iss": self.edl_url,
            "acr": "edl",
            "assurance_level": 3,
            "jti": secrets.token_hex(16),
        }
        signing_input = f"{_b64url(_compact(JWT_HEADER))}.{_b64url(_compact(payload))}"
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        token = EdlToken(f"{signing_input}.{_b64url(signature)}", uid, iat, exp)
        self.tokens[token.access_token] = token
        return token

    def valid_tokens(self, uid: str) -> list[EdlToken]:
        now = self.clock()
        found = [t for t in self.tokens.values() if t.uid == uid and t.valid(now)]
        return sorted(found, key=lambda t: (t.iat, t.exp))

    def check_token(self, token: str) -> tuple[dict[str, Any] | None, str]:
        """(payload, "") for a valid token, else (None, why)."""
        try:
            header_b64, payload_b64, signature_b64 = token.split(".")
            header = json.loads(_b64url_decode(header_b64))
            payload = json.loads(_b64url_decode(payload_b64))
            signature = _b64url_decode(signature_b64)
        except (ValueError, binascii.Error):
            return None, "Invalid token"
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            return None, "Invalid token"
        try:
            self.key.public_key().verify(
                signature,
                f"{header_b64}.{payload_b64}".encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except InvalidSignature:
            return None, "Invalid token signature"
        if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
            return None, "Invalid token"
        if self.clock() >= payload["exp"]:
            return None, "Token has expired"
        record = self.tokens.get(token)
        if record is not None and record.revoked:
            return None, "Token has been revoked"
        return payload, ""

    # -- lockout -------------------------------------------------------------------

    def is_locked(self, username: str) -> bool:
        return self.clock() < self.locked_until.get(username, float("-inf"))

    def record_failure(self, username: str) -> None:
        """Count a wrong password; the threshold-th within the window starts a lockout."""
        now = self.clock()
        self.failed_logins.setdefault(username, []).append(now)
        recent = [
            t for t in self.recent_failures.get(username, []) if now - t < self.lockout_window
        ]
        recent.append(now)
        if len(recent) >= self.lockout_threshold:
            self.locked_until[username] = now + self.lockout_duration
            recent = []
        self.recent_failures[username] = recent

    def requests_to(self, service: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.service == service]


# ---------------------------------------------------------------------------------
# handlers


def _copy_headers(headers: HTTPHeaders) -> HTTPHeaders:
    copy = HTTPHeaders()
    for name, value in headers.get_all():
        copy.add(name, value)
    return copy


class _Recorded(web.RequestHandler):
    service = ""

    def initialize(self, state: EarthdataState, service: str = "") -> None:
        self.state = state
        self.service = service or self.service

    def check_xsrf_cookie(self) -> None:  # APIs, not forms
        return None

    def prepare(self) -> None:
        self.state.requests.append(
            RecordedRequest(
                service=self.service,
                method=self.request.method or "",
                path=self.request.uri or "",
                headers=_copy_headers(self.request.headers),
                time=time.time(),
                body=self.request.body or b"",
            )
        )

    def answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> NoReturn:
        self.set_status(status)
        self.set_header("Content-Type", JSON_TYPE)
        for name, value in (headers or {}).items():
            self.set_header(name, value)
        raise web.Finish(json.dumps(body))

    def html(self, status: int, title: str, text: str) -> NoReturn:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        raise web.Finish(
            f"<!doctype html><html><head><title>{escape(title)}</title></head>"
            f"<body><h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>"
        )


class _NotFound(_Recorded):
    def prepare(self) -> None:
        super().prepare()
        raise web.HTTPError(404)


class _EdlHandler(_Recorded):
    service = "edl"


class _BasicAuthHandler(_EdlHandler):
    def prepare(self) -> None:
        super().prepare()
        target = self.state.redirect_token_calls_to
        if target:
            self.redirect(target, status=302)

    def refuse(self, challenge: bool = False) -> NoReturn:
        headers = {}
        if challenge:
            headers["WWW-Authenticate"] = (
                'Basic realm="Please enter your Earthdata Login credentials. If you do not '
                f'have a Earthdata Login, create one at {self.state.edl_url}//users/new"'
            )
        self.answer(401, INVALID_CREDENTIALS, headers)

    def basic_user(self) -> EdlUser:
        scheme, _, encoded = self.request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            self.refuse(challenge=True)
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            self.refuse()
        username, sep, password = decoded.partition(":")
        if not sep:
            self.refuse()
        state = self.state
        if state.is_locked(username):
            state.locked_rejections[username] = state.locked_rejections.get(username, 0) + 1
            self.refuse()
        user = state.users.get(username)
        if user is None or not hmac.compare_digest(password.encode(), user.password.encode()):
            state.record_failure(username)
            self.refuse()
        state.recent_failures.pop(username, None)
        return user


class FindOrCreateTokenHandler(_BasicAuthHandler):
    def post(self) -> None:
        user = self.basic_user()
        valid = self.state.valid_tokens(user.username)
        token = valid[-1] if valid else self.state.mint_token(user.username)
        self.answer(200, token.as_json())


class CreateTokenHandler(_BasicAuthHandler):
    def post(self) -> None:
        user = self.basic_user()
        if len(self.state.valid_tokens(user.username)) >= self.state.max_tokens:
            self.answer(403, MAX_TOKENS)
        self.answer(200, self.state.mint_token(user.username).as_json())


class ListTokensHandler(_BasicAuthHandler):
    def get(self) -> None:
        user = self.basic_user()
        self.answer(200, [t.as_json() for t in self.state.valid_tokens(user.username)])


class RevokeTokenHandler(_BasicAuthHandler):
    def post(self) -> None:
        user = self.basic_user()
        token = self.get_argument("token", "")
        record = self.state.tokens.get(token)
        if record is None or record.uid != user.username:
            self.answer(400, {"error": "invalid_token", "error_description": "Token not found"})
        record.revoked = True
        self.set_status(200)
        self.finish()


class ProfileHandler(_EdlHandler):
    def get(self, uid: str) -> None:
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            self.answer(401, {"error": "invalid_token", "error_description": "Token is missing"})
        payload, why = self.state.check_token(token.strip())
        if payload is None:
            self.answer(401, {"error": "invalid_token", "error_description": why})
        user = self.state.users.get(uid)
        if payload.get("uid") != uid or user is None:
            self.answer(
                401,
                {"error": "invalid_token", "error_description": "Token does not belong to user"},
            )
        self.answer(200, user.profile)


class JwksHandler(_EdlHandler):
    def get(self) -> None:
        self.answer(200, self.state.jwks())


class S3CredentialsHandler(_Recorded):
    service = "daac"

    def get(self, daac: str) -> None:
        state = self.state
        if daac not in state.daacs:
            raise web.HTTPError(404)
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            query = urlencode(
                {
                    "client_id": daac,
                    "response_type": "code",
                    "redirect_uri": f"{state.daac_base_url}/{daac}/login",
                }
            )
            self.redirect(f"{state.edl_url}/oauth/authorize?{query}", status=302)
            return
        payload, why = state.check_token(token.strip())
        if payload is None:
            self.answer(401, {"error": "invalid_token", "error_description": why})
        if "Mozilla" in self.request.headers.get("User-Agent", ""):
            self.html(
                200,
                f"{daac} S3 credentials",
                "Browsers get this page; send a non-browser User-Agent for JSON.",
            )
        if daac in state.eula_daacs:
            self.answer(
                403,
                {
                    "status_code": 403,
                    "error": "invalid_token",
                    "error_description": "EULA Acceptance Failure",
                    "resolution_url": f"{state.edl_url}/approve_app?client_id={daac}",
                },
            )
        if daac in state.forbidden_daacs:
            self.html(403, "Forbidden", f"You do not have permission to access {daac} data.")
        creds = _issue(state, state.credential_lifetime, state.daacs[daac])
        expiration: datetime = creds["expiration"]
        state.issued_credentials[daac] = state.issued_credentials.get(daac, 0) + 1
        state.credentials.append(
            IssuedCredentials(daac, str(payload.get("uid")), creds["accessKeyId"], expiration)
        )
        self.answer(
            200,
            {
                "accessKeyId": creds["accessKeyId"],
                "secretAccessKey": creds["secretAccessKey"],
                "sessionToken": creds["sessionToken"],
                "expiration": expiration.astimezone(timezone.utc).strftime(
                    "%Y-%m-%d %H:%M:%S+00:00"
                ),
            },
        )


def _whole_seconds_after(seconds: float) -> datetime:
    # as cloudscapes.testing.s3.whole_seconds_after, without importing moto
    instant = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    if instant.microsecond:
        instant += timedelta(microseconds=1_000_000 - instant.microsecond)
    return instant


def _issue(state: EarthdataState, seconds: int, buckets: list[str] | None) -> dict[str, Any]:
    if state.s3 is not None:
        # A blocking call to moto's thread: a few milliseconds.
        return state.s3.issue_temporary_credentials(seconds, buckets)
    alphabet = string.ascii_uppercase + "234567"
    return {
        "accessKeyId": "ASIA" + "".join(secrets.choice(alphabet) for _ in range(16)),
        "secretAccessKey": base64.b64encode(secrets.token_bytes(30)).decode(),
        "sessionToken": base64.b64encode(secrets.token_bytes(264)).decode(),
        "expiration": _whole_seconds_after(seconds),
    }


class S3CredentialsReadmeHandler(_Recorded):
    """``/<daac>/s3credentialsREADME``, the page ``S3CredentialsAPIDocumentationURL``
    points at."""

    service = "daac"

    def get(self, daac: str) -> None:
        if daac not in self.state.daacs:
            raise web.HTTPError(404)
        self.html(
            200,
            f"{daac} S3 credentials",
            f"GET {self.state.daac_url(daac)} with an Earthdata Login Bearer token returns "
            "temporary AWS keys (accessKeyId, secretAccessKey, sessionToken, expiration) "
            "that read this DAAC's buckets from us-west-2 for one hour.",
        )


# ---------------------------------------------------------------------------------
# data host (thin-egress-app downloads) and the presigned S3 host it redirects to


def _eula_refusal(state: EarthdataState, daac: str) -> dict[str, Any]:
    return {
        "status_code": 403,
        "error": "invalid_token",
        "error_description": "EULA Acceptance Failure",
        "resolution_url": f"{state.edl_url}/approve_app?client_id={daac}",
    }


def _presign_canonical(method: str, bucket: str, key: str, params: dict[str, str]) -> bytes:
    query = "&".join(
        f"{quote(k, safe='')}={quote(v, safe='')}"
        for k, v in sorted(params.items())
        if k != "X-Amz-Signature"
    )
    return f"{method}\n/{bucket}/{quote(key, safe='/')}\n{query}".encode()


def presign(state: EarthdataState, method: str, bucket: str, key: str, uid: str) -> str:
    """A URL of the presign host that lets ``method`` read ``bucket/key`` for
    :attr:`EarthdataState.presign_lifetime` seconds (an HMAC of the method, path and
    parameters with :attr:`EarthdataState.presign_secret`, in SigV4's query layout)."""
    if state.presign_url is None:
        raise RuntimeError("the presign host is not started")
    now = datetime.now(timezone.utc)
    params = {
        "A-userid": uid,
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": f"ASIACLOUDSCAPESDEMO0/{now:%Y%m%d}/{state.region}/s3/aws4_request",
        "X-Amz-Date": f"{now:%Y%m%dT%H%M%SZ}",
        "X-Amz-Expires": str(state.presign_lifetime),
        "X-Amz-SignedHeaders": "host",
    }
    digest = hmac.new(
        state.presign_secret, _presign_canonical(method, bucket, key, params), "sha256"
    )
    params["X-Amz-Signature"] = digest.hexdigest()
    return f"{state.presign_url}/{bucket}/{quote(key, safe='/')}?{urlencode(params)}"


class DataHandler(_Recorded):
    """``GET|HEAD /<bucket>/<key>`` of the data host (a DAAC's HTTPS download links)."""

    service = "data"

    def get(self, bucket: str, key: str) -> None:
        self.egress(bucket, key)

    def head(self, bucket: str, key: str) -> None:
        self.egress(bucket, key)

    def egress(self, bucket: str, key: str) -> None:
        state = self.state
        daac = state.bucket_daac(bucket)
        if daac is None:
            self.html(404, "Not Found", f"No such file: /{bucket}/{key}")
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            query = urlencode(
                {
                    "client_id": daac,
                    "response_type": "code",
                    "redirect_uri": f"{state.data_url}/login",
                    "state": f"/{bucket}/{key}",
                }
            )
            self.redirect(f"{state.edl_url}/oauth/authorize?{query}", status=302)
            return
        payload, why = state.check_token(token.strip())
        if payload is None:
            self.answer(401, {"error": "invalid_token", "error_description": why})
        if daac in state.eula_daacs:
            self.answer(403, _eula_refusal(state, daac))
        if daac in state.forbidden_daacs:
            self.html(403, "Forbidden", f"You do not have permission to access {daac} data.")
        method = self.request.method or "GET"
        self.redirect(presign(state, method, bucket, key, str(payload.get("uid"))), status=307)


_PRESIGN_PARAMS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
)
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class PresignHandler(_Recorded):
    """``GET|HEAD /<bucket>/<key>?X-Amz-...``: S3 answering a presigned URL, with the
    object's bytes read from moto (the admin key)."""

    service = "presign"

    def set_default_headers(self) -> None:
        self.set_header("Server", "AmazonS3")
        self.set_header("x-amz-request-id", secrets.token_hex(8).upper())

    def s3_error(self, status: int, code: str, message: str, **extra: str) -> NoReturn:
        self.set_status(status)
        self.set_header("Content-Type", "application/xml")
        if self.request.method == "HEAD":  # S3 answers HEAD errors without a body
            raise web.Finish()
        fields = "".join(f"<{k}>{xml_escape(v)}</{k}>" for k, v in extra.items())
        raise web.Finish(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{xml_escape(message)}</Message>{fields}"
            f"<RequestId>{secrets.token_hex(8).upper()}</RequestId></Error>"
        )

    async def get(self, bucket: str, key: str) -> None:
        await self.serve(bucket, key)

    async def head(self, bucket: str, key: str) -> None:
        await self.serve(bucket, key)

    def check_signature(self, bucket: str, key: str) -> None:
        params = {
            k: v[-1].decode("utf-8", "replace") for k, v in self.request.query_arguments.items()
        }
        if "X-Amz-Algorithm" in params and "Authorization" in self.request.headers:
            # S3 also echoes the header in <ArgumentValue>; left out: it holds a secret.
            self.s3_error(
                400,
                "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                "Signature query string parameter or the Authorization header should be "
                "specified",
                ArgumentName="Authorization",
            )
        if "X-Amz-Algorithm" not in params:
            self.s3_error(403, "AccessDenied", "Access Denied")
        if any(name not in params for name in _PRESIGN_PARAMS):
            self.s3_error(
                400,
                "AuthorizationQueryParametersError",
                "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                "X-Amz-Expires parameters.",
            )
        expected = hmac.new(
            self.state.presign_secret,
            _presign_canonical(self.request.method or "GET", bucket, key, params),
            "sha256",
        ).hexdigest()
        if not hmac.compare_digest(expected.encode(), params["X-Amz-Signature"].encode()):
            self.s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you "
                "provided. Check your key and signing method.",
            )
        signed = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(
            tzinfo=timezone.utc
        )
        expires = signed + timedelta(seconds=int(params["X-Amz-Expires"]))
        now = datetime.now(timezone.utc)
        if now > expires:
            self.s3_error(
                403,
                "AccessDenied",
                "Request has expired",
                **{
                    "X-Amz-Expires": params["X-Amz-Expires"],
                    "Expires": f"{expires:%Y-%m-%dT%H:%M:%SZ}",
                    "ServerTime": f"{now:%Y-%m-%dT%H:%M:%SZ}",
                },
            )

    async def serve(self, bucket: str, key: str) -> None:
        self.check_signature(bucket, key)
        state = self.state
        if state.s3 is None:
            self.s3_error(
                404, "NoSuchBucket", "The specified bucket does not exist", BucketName=bucket
            )
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(None, state.s3.read_object, bucket, key)
        if found is None:
            self.s3_error(404, "NoSuchKey", "The specified key does not exist.", Key=key)
        body, content_type, etag, modified = found
        total = len(body)
        start, end = 0, total
        ranged = _RANGE.fullmatch(self.request.headers.get("Range", "").strip())
        if ranged and ranged.group(1) + ranged.group(2):
            first, last = ranged.groups()
            if first:
                start, end = int(first), min(total, int(last) + 1 if last else total)
            else:
                start, end = max(0, total - int(last)), total
            if start >= total or start >= end:
                self.s3_error(
                    416,
                    "InvalidRange",
                    "The requested range is not satisfiable",
                    RangeRequested=self.request.headers["Range"],
                    ActualObjectSize=str(total),
                )
            self.set_status(206)
            self.set_header("Content-Range", f"bytes {start}-{end - 1}/{total}")
        self.set_header("Content-Type", content_type)
        self.set_header("Content-Length", str(end - start))
        self.set_header("ETag", etag)
        self.set_header("Last-Modified", modified)
        self.set_header("Accept-Ranges", "bytes")
        if self.request.method == "HEAD":
            self.finish()
            return
        await self.stream(bucket, key, body[start:end])

    async def stream(self, bucket: str, key: str, data: bytes) -> None:
        state = self.state
        transfer = Transfer(bucket, key, len(data))
        state.transfers.append(transfer)
        cut = state.data_fail_after.get(key, state.data_fail_after.get(f"{bucket}/{key}"))
        rate = state.data_rate
        chunk = 64 * 1024 if not rate else max(1, min(64 * 1024, int(rate / 20)))
        try:
            while transfer.sent < len(data):
                size = chunk if cut is None else min(chunk, cut - transfer.sent)
                if size <= 0:
                    # Close mid-body: the client sees fewer bytes than Content-Length.
                    transfer.cut = True
                    self.request.connection.close()
                    self.finish()
                    return
                piece = data[transfer.sent : transfer.sent + size]
                self.write(piece)
                await self.flush()
                transfer.sent += len(piece)
                if rate:
                    await asyncio.sleep(len(piece) / rate)
        except StreamClosedError:
            transfer.aborted = True
            return
        transfer.complete = True
        self.finish()


class _ImdsHandler(_Recorded):
    service = "imds"

    def text(self, status: int, body: str = "", headers: dict[str, str] | None = None) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain")
        for name, value in (headers or {}).items():
            self.set_header(name, value)
        self.finish(body)


class ImdsTokenHandler(_ImdsHandler):
    def put(self) -> None:
        raw = self.request.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "")
        try:
            ttl = int(raw)
        except ValueError:
            ttl = 0
        if not 1 <= ttl <= IMDS_MAX_TTL:
            self.text(400)
            return
        token = _b64url(secrets.token_bytes(42))
        self.state.imds_tokens[token] = self.state.clock() + ttl
        self.text(200, token, {"X-aws-ec2-metadata-token-ttl-seconds": str(ttl)})


class ImdsRegionHandler(_ImdsHandler):
    def get(self) -> None:
        token = self.request.headers.get("X-aws-ec2-metadata-token", "")
        expires = self.state.imds_tokens.get(token)
        if expires is None or self.state.clock() >= expires:
            self.text(401)
            return
        self.text(200, self.state.region)


# ---------------------------------------------------------------------------------
# servers


def _app(state: EarthdataState, service: str, routes: list[tuple[str, type]]) -> web.Application:
    return web.Application(
        [(path, handler, {"state": state}) for path, handler in routes],
        default_handler_class=_NotFound,
        default_handler_args={"state": state, "service": service},
        # No access log: the stand-ins stand for NASA's servers, whose logs (with
        # tokens in query strings) are not ours; tests search our logs for secrets.
        log_function=lambda handler: None,
    )


def _listen(app: web.Application, port: int, address: str) -> tuple[HTTPServer, int]:
    server = HTTPServer(app)
    sockets = bind_sockets(port, address)
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]


def start_edl(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """Earthdata Login on loopback; sets ``state.edl_url``."""
    state.key  # noqa: B018 - generate the key before the first request
    app = _app(
        state,
        "edl",
        [
            ("/api/users/find_or_create_token", FindOrCreateTokenHandler),
            ("/api/users/token", CreateTokenHandler),
            ("/api/users/tokens", ListTokensHandler),
            ("/api/users/revoke_token", RevokeTokenHandler),
            ("/api/users/([^/]+)", ProfileHandler),
            ("/.well-known/edl_ops_jwks.json", JwksHandler),
        ],
    )
    server, bound = _listen(app, port, address)
    state.edl_url = f"http://{address}:{bound}"
    return server, bound


def start_daac(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """The DAACs' ``/<daac>/s3credentials`` on loopback; sets ``state.daac_base_url``."""
    routes = [
        ("/([^/]+)/s3credentials", S3CredentialsHandler),
        ("/([^/]+)/s3credentialsREADME", S3CredentialsReadmeHandler),
    ]
    server, bound = _listen(_app(state, "daac", routes), port, address)
    state.daac_base_url = f"http://{address}:{bound}"
    return server, bound


def start_data(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """The data host (TEA-like HTTPS downloads) on loopback; sets ``state.data_url``."""
    server, bound = _listen(_app(state, "data", [("/([^/]+)/(.+)", DataHandler)]), port, address)
    state.data_url = f"http://{address}:{bound}"
    return server, bound


def start_presign(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """The presigned-S3 host on loopback; sets ``state.presign_url``."""
    server, bound = _listen(
        _app(state, "presign", [("/([^/]+)/(.+)", PresignHandler)]), port, address
    )
    state.presign_url = f"http://{address}:{bound}"
    return server, bound


def start_imds(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """IMDSv2 on loopback; sets ``state.imds_url``."""
    app = _app(
        state,
        "imds",
        [
            ("/latest/api/token", ImdsTokenHandler),
            ("/latest/meta-data/placement/region", ImdsRegionHandler),
        ],
    )
    server, bound = _listen(app, port, address)
    state.imds_url = f"http://{address}:{bound}"
    return server, bound


class EarthdataStandIns:
    """EDL, DAAC, IMDS, CMR, data-host and presign-host stand-ins on loopback ports
    (0: a free one), in the current IOLoop.

    Create it on the thread (and event loop) that is to serve them.
    """

    def __init__(
        self,
        state: EarthdataState,
        *,
        edl_port: int = 0,
        daac_port: int = 0,
        imds_port: int = 0,
        cmr_port: int = 0,
        data_port: int = 0,
        presign_port: int = 0,
    ) -> None:
        from .cmr import start_cmr

        self.state = state
        self.servers: list[HTTPServer] = []
        try:
            for start, port in (
                (start_edl, edl_port),
                (start_daac, daac_port),
                (start_imds, imds_port),
                (start_data, data_port),
                (start_presign, presign_port),
                (start_cmr, cmr_port),
            ):
                self.servers.append(start(state, port)[0])
        except BaseException:
            self.stop()
            raise

    @property
    def cmr_url(self) -> str:
        """CMR search, ending in ``/search/``."""
        assert self.state.cmr_url is not None
        return self.state.cmr_url

    @property
    def data_url(self) -> str:
        assert self.state.data_url is not None
        return self.state.data_url

    @property
    def presign_url(self) -> str:
        assert self.state.presign_url is not None
        return self.state.presign_url

    @property
    def edl_url(self) -> str:
        assert self.state.edl_url is not None
        return self.state.edl_url

    @property
    def imds_url(self) -> str:
        assert self.state.imds_url is not None
        return self.state.imds_url

    @property
    def daac_base_url(self) -> str:
        assert self.state.daac_base_url is not None
        return self.state.daac_base_url

    def daac_url(self, daac: str) -> str:
        return self.state.daac_url(daac)

    def stop(self) -> None:
        """Stop listening (call on the serving loop's thread)."""
        for server in self.servers:
            server.stop()

    async def aclose(self) -> None:
        """Stop listening and close open connections."""
        self.stop()
        for server in self.servers:
            await server.close_all_connections()


def start_all(state: EarthdataState, **ports: int) -> EarthdataStandIns:
    """Start every stand-in (``edl_port``, ``daac_port``, ``imds_port``, ``cmr_port``,
    ``data_port``, ``presign_port``; 0 = free)."""
    return EarthdataStandIns(state, **ports)


# ---------------------------------------------------------------------------------
# demo


def demo_state(s3: MotoS3 | None = None, many: int = 100_000) -> EarthdataState:
    """The demo's user and DAACs; seeds ``s3`` when given (the demo bucket's objects, and
    :func:`cloudscapes.testing.datasets.seed_demo_data` with ``many`` keys under the
    public bucket's ``many/``)."""
    state = EarthdataState(s3=s3)
    state.add_user(
        "demo",
        "s3cret #1",
        first_name="Demo",
        last_name="User",
        email_address="demo@example.org",
        affiliation="Cloudscapes demo",
    )
    # The buckets the CMR stand-in's collections of each provider point at.
    state.add_daac("nsidc", [DAAC_BUCKETS["nsidc"]])
    state.add_daac("podaac", [DAAC_BUCKETS["podaac"]], eula=True)
    state.add_daac("lpdaac", [DAAC_BUCKETS["lpdaac"]])
    state.add_daac("gesdisc", [DAAC_BUCKETS["gesdisc"]])
    state.add_daac("ornl", [DAAC_BUCKETS["ornl"]], forbidden=True)
    state.add_daac("asf", [DAAC_BUCKETS["asf"]])
    if s3 is not None:
        from .datasets import seed_demo_data

        for key, body in DEMO_OBJECTS.items():
            s3.seed(DEMO_BUCKET, key, body)
        seed_demo_data(s3, many=many)
    return state


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - exercised by a test
    parser = argparse.ArgumentParser(description="Local Earthdata Login, DAAC and IMDS stand-ins")
    parser.add_argument("--info-file", required=True, type=Path, help="where to write the URLs")
    parser.add_argument("--s3", action="store_true", help="also run MotoS3 (real S3 keys)")
    parser.add_argument("--edl-port", type=int, default=0)
    parser.add_argument("--daac-port", type=int, default=0)
    parser.add_argument("--imds-port", type=int, default=0)
    parser.add_argument("--cmr-port", type=int, default=0)
    parser.add_argument("--data-port", type=int, default=0)
    parser.add_argument("--presign-port", type=int, default=0)
    parser.add_argument("--credential-lifetime", type=int, default=3600)
    parser.add_argument(
        "--data-rate",
        type=float,
        default=None,
        help="bytes per second the data host streams at (slow downloads for UI tests)",
    )
    parser.add_argument(
        "--many",
        type=int,
        default=100_000,
        help="small keys under the public bucket's many/ (with --s3)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    s3 = None
    if args.s3:
        from .s3 import MotoS3

        s3 = MotoS3()
    written = False
    try:
        state = demo_state(s3, many=args.many)
        state.credential_lifetime = args.credential_lifetime
        state.data_rate = args.data_rate

        async def run() -> None:
            nonlocal written
            standins = EarthdataStandIns(
                state,
                edl_port=args.edl_port,
                daac_port=args.daac_port,
                imds_port=args.imds_port,
                cmr_port=args.cmr_port,
                data_port=args.data_port,
                presign_port=args.presign_port,
            )
            info = {
                "edl_url": standins.edl_url,
                "imds_url": standins.imds_url,
                "daacs": {name: standins.daac_url(name) for name in state.daacs},
                "s3_endpoint_url": s3.endpoint_url if s3 else None,
                "bucket": DEMO_BUCKET if s3 else None,
                "cmr_url": standins.cmr_url,
                "data_url": standins.data_url,
                "public_bucket": DEMO_PUBLIC_BUCKET if s3 else None,
            }
            done = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, done.set)
            partial = args.info_file.with_name(args.info_file.name + ".partial")
            partial.write_text(json.dumps(info, indent=2) + "\n")
            os.replace(partial, args.info_file)
            written = True
            print(
                f"Earthdata stand-ins ready in {time.perf_counter() - started:.1f} s: "
                f"{json.dumps(info)}",
                flush=True,
            )
            await done.wait()
            await standins.aclose()

        asyncio.run(run())
    finally:
        if s3 is not None:
            s3.stop()
        if written:
            args.info_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


def spawn(
    info_file: Path,
    *,
    s3: bool = True,
    timeout: float = 60.0,
    many: int | None = None,
    data_rate: float | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Run the stand-ins in a subprocess (``make demo``, the UI tests); returns the
    process and its info once the info file exists. ``many``: keys under the public
    bucket's ``many/`` (default 100 000)."""
    info_file = Path(info_file)
    info_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "cloudscapes.testing.earthdata", "--info-file", str(info_file)]
    if s3:
        command.append("--s3")
    if many is not None:
        command += ["--many", str(many)]
    if data_rate is not None:
        command += ["--data-rate", str(data_rate)]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + timeout
    while not info_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the Earthdata stand-ins did not start")
        time.sleep(0.1)
    return process, json.loads(info_file.read_text())


def server_config(info: dict[str, Any], environment: str = "demo") -> dict[str, Any]:
    """``c.CloudscapesEarthdata`` for a server wired to the stand-ins in ``info``."""
    return {
        "environments": {environment: info["edl_url"]},
        "default_environment": environment,
        "daacs": info["daacs"],
        "imds_url": info["imds_url"],
        "s3_endpoint_url": info.get("s3_endpoint_url") or "",
    }


def data_server_config(info: dict[str, Any]) -> dict[str, Any]:
    """``c.CloudscapesData`` for a server wired to the stand-ins in ``info``."""
    public = info.get("public_bucket")
    return {
        "cmr_url": info["cmr_url"],
        "s3_endpoint_url": info.get("s3_endpoint_url") or "",
        "public_buckets": [{"bucket": public, "label": DEMO_PUBLIC_LABEL}] if public else [],
        # the data host is not on an Earthdata domain: let it receive the token
        "token_origins": [info["data_url"]] if info.get("data_url") else [],
    }


def configure_lab(
    c: Any, *, prefix: str, many: int | None = None, data_rate: float | None = None
) -> Path:
    """Wire the server config ``c`` (a ``jupyter_server_config.py``'s) to the stand-ins,
    for the UI tests and their benchmarks: the user's netrc, AWS config and caches go to
    a throw-away home (kernels inherit it), the stand-ins run in a subprocess stopped at
    exit, and ``c.CloudscapesEarthdata`` / ``c.CloudscapesData`` point at them (granule
    code ``direct``: earthaccess would call NASA's real hosts). Returns the home."""
    import atexit
    import tempfile

    home = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        NETRC=str(home / ".netrc"),
        AWS_CONFIG_FILE=str(home / ".aws" / "config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    for name in ("EARTHDATA_TOKEN", "EARTHDATA_USERNAME", "EARTHDATA_PASSWORD"):
        os.environ.pop(name, None)
    standins, info = spawn(
        home / "earthdata-standins.json", s3=True, many=many, data_rate=data_rate
    )
    atexit.register(standins.terminate)
    for key, value in server_config(info).items():
        setattr(c.CloudscapesEarthdata, key, value)
    for key, value in data_server_config(info).items():
        setattr(c.CloudscapesData, key, value)
    c.CloudscapesData.granule_code = "direct"
    return home
