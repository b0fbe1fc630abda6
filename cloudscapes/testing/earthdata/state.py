"""The state the NASA stand-ins share: Earthdata Login's accounts and tokens (RS256 JWTs
signed with a key of this state), the DAACs and their buckets, the instance metadata's
region, the CMR and data-host test hooks, and every request received.

Tests build one, set its hooks, start the servers on it
(:class:`~cloudscapes.testing.earthdata.EarthdataStandIns`) and read what happened from
it. What each field stands for upstream: ``docs/standins.md``.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ..serving import RecordedRequest

if TYPE_CHECKING:
    from ..s3 import MotoS3

JWT_HEADER = {"typ": "JWT", "alg": "RS256", "origin": "Earthdata Login", "sig": "edljwtpubkey_ops"}
SIXTY_DAYS = 60 * 24 * 3600
INVALID_CREDENTIALS = {
    "error": "invalid_credentials",
    "error_description": "Invalid user credentials",
}
MAX_TOKENS = {"error": "max_token_limit", "error_description": "Max tokens limit reached"}
IMDS_MAX_TTL = 21600


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
    #: DAACs served but left out of the DAAC table given to servers
    #: (:meth:`listed_daacs`), as SWOT's endpoint is outside NASA's table
    unlisted_daacs: set[str] = field(default_factory=set)
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
    #: ``CMR-Search-After`` on the last non-empty page too, as real CMR (False: only
    #: when more pages follow, a test hook)
    cmr_search_after_on_last_page: bool = True
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
        listed: bool = True,
    ) -> None:
        """Serve ``/<name>/s3credentials``; its keys may read ``buckets`` (None: all).
        ``listed=False``: left out of :meth:`listed_daacs` (the servers' DAAC table)."""
        self.daacs[name] = buckets
        if not listed:
            self.unlisted_daacs.add(name)
        if eula:
            self.eula_daacs.add(name)
        if forbidden:
            self.forbidden_daacs.add(name)

    def listed_daacs(self) -> list[str]:
        """The DAACs of the table servers are given (``c.CloudscapesEarthdata.daacs``)."""
        return [name for name in self.daacs if name not in self.unlisted_daacs]

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
