"""A local S3 that, like the real one, only accepts keys it issued: moto's server with
IAM authentication switched on.

How authentication is enforced
------------------------------
moto checks SigV4 signatures and IAM policies once its global setting
``INITIAL_NO_AUTH_ACTION_COUNT`` (default: infinity, i.e. never) has been reached.
:class:`MotoS3` starts ``moto.server.ThreadedMotoServer`` in this process on
127.0.0.1 and a free port and then, through moto's own server-mode switch
``POST /moto-api/reset-auth``:

1. sets the count to infinity (no checks) and bootstraps an IAM user ``cloudscapes-admin``
   with an inline ``Allow * on *`` policy and an access key, signing those three IAM
   calls with throw-away keys;
2. sets the count to 0: from then on every S3/IAM/STS request must be signed by a key
   moto issued, with the matching secret (and session token), and be allowed by the
   key owner's policies. Made-up keys get ``InvalidAccessKeyId``, a wrong secret
   ``SignatureDoesNotMatch``, a wrong session token ``InvalidToken``, unsigned
   requests 403, and policy misses ``AccessDenied``.

The admin key (:attr:`MotoS3.admin_credentials`) seeds buckets and calls
``sts:AssumeRole`` on a reader role (GetObject, ListBucket and GetBucketLocation on the
given buckets only; ListBuckets is denied), which is how
:meth:`MotoS3.issue_temporary_credentials` gets real temporary keys, as a DAAC does.
``sts:GetSessionToken`` is not used: moto does not recognise its keys when checking.

Three things moto does not do are added by a small WSGI filter in front of it:

- Keys from :meth:`~MotoS3.issue_temporary_credentials` stop working at their
  ``expiration`` (moto never expires them): 400 ``ExpiredToken``, as S3 answers.
- Query-string (presigned URL) authentication, which crashes moto's checker with a 500,
  is refused with 403 ``AccessDenied`` and a message saying so.
- Public buckets (:meth:`MotoS3.make_public`), as AWS open data buckets are: anonymous
  (unsigned) ``GET``/``HEAD`` of objects, ``ListObjects``/``ListObjectsV2`` and
  ``HeadBucket`` on such a bucket are served. The filter signs them with the admin key
  (SigV4, as boto3 would) before moto sees them, which is the permission a public-read
  bucket policy (``s3:GetObject`` and ``s3:ListBucket`` for ``*``) grants. Any other
  anonymous request (another bucket, a write, a sub-resource such as ``?acl`` or
  ``?location``) gets S3's 403 ``AccessDenied`` "Access Denied" from the filter (moto
  itself answers some unsigned requests with a 500).

:meth:`MotoS3.seed_many` writes many objects straight into moto's in-process backend
(the server runs in this process), about 20 000 keys a second, instead of one HTTP call
per key.

The filter is installed by overriding ``ThreadedMotoServer._server_entry`` (a private
method, written against moto 5.2.5), whose ``stop`` also leaves the listening socket
open; :class:`MotoS3` closes it.

The setting and moto's backends are process-wide: only one :class:`MotoS3` may run per
process, other in-process moto mocks see authentication enforced while it runs, and
:meth:`MotoS3.stop` restores the setting and resets moto's backends.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request, urlopen
from xml.sax.saxutils import escape

import boto3
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.server import ThreadedMotoServer
from werkzeug.serving import make_server

ADMIN_USER = "cloudscapes-admin"
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
_CREDENTIAL = re.compile(r"Credential=([A-Za-z0-9]+)/")
#: Query parameters that mark a request as signed in its query string (SigV4 and V2).
_QUERY_AUTH = ("X-Amz-Credential", "X-Amz-Algorithm", "X-Amz-Signature", "AWSAccessKeyId")
#: Query parameters an anonymous reader of a public bucket may send (object GET/HEAD,
#: ListObjects v1/v2); anything else is a sub-resource (``acl``, ``policy``, ...).
_PUBLIC_QUERY = frozenset(
    {
        "list-type",
        "prefix",
        "delimiter",
        "continuation-token",
        "start-after",
        "max-keys",
        "encoding-type",
        "fetch-owner",
        "marker",
        "versionId",
        "partNumber",
        "response-content-type",
        "response-content-disposition",
        "response-content-encoding",
        "response-content-language",
        "response-cache-control",
        "response-expires",
        "x-id",
    }
)


def _s3_error(
    start_response: Callable[..., Any], status: str, code: str, message: str, head: bool = False
) -> list:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>"
        f"<RequestId>{secrets.token_hex(8).upper()}</RequestId></Error>"
    ).encode()
    if head:  # S3 answers HEAD errors with the status only
        body = b""
    start_response(
        status, [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
    )
    return [body]


def whole_seconds_after(seconds: float) -> datetime:
    """Now + ``seconds``, rounded up to a whole second (UTC): never shorter than asked."""
    instant = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    if instant.microsecond:
        instant += timedelta(microseconds=1_000_000 - instant.microsecond)
    return instant


class _QuietHandler(MotoRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # no access log on stderr
        return None


class _FilteredMotoServer(ThreadedMotoServer):
    """moto's threaded server with the expiry/presign filter in front of its app."""

    def __init__(self, expiries: dict[str, float], public: set[str]) -> None:
        super().__init__(ip_address="127.0.0.1", port=0, verbose=False)
        self.expiries = expiries
        self.public = public
        #: set by MotoS3 once the admin user exists: (access key, secret, region)
        self.signer: tuple[str, str, str] | None = None

    def _public_bucket(self, environ: dict[str, Any], query: dict[str, list[str]]) -> bool:
        """Whether this unsigned request is an anonymous read of a public bucket."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not self.public:
            return False
        if not set(query) <= _PUBLIC_QUERY:
            return False
        host = environ.get("HTTP_HOST", "").split(":")[0]
        path = environ.get("PATH_INFO", "")
        bucket = next((b for b in self.public if host.startswith(f"{b}.")), None)
        if bucket is None:  # path style: /<bucket> or /<bucket>/<key>
            bucket = path.lstrip("/").split("/", 1)[0]
        return bucket in self.public

    def _sign_as_admin(self, environ: dict[str, Any]) -> None:
        """Add a SigV4 Authorization (admin key) to an anonymous request, as moto
        recomputes it: over the raw path and query and the Host header."""
        assert self.signer is not None
        access_key, secret, region = self.signer
        raw = environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
        path = urlsplit(raw).path if "://" in raw else raw.split("?", 1)[0]
        query = environ.get("QUERY_STRING", "")
        host = environ.get("HTTP_HOST", "")
        request = AWSRequest(
            method=environ["REQUEST_METHOD"],
            url=f"http://{host}{path}" + (f"?{query}" if query else ""),
            headers={"host": host},
        )
        S3SigV4Auth(Credentials(access_key, secret), "s3", region).add_auth(request)
        environ["HTTP_AUTHORIZATION"] = request.headers["Authorization"]
        environ["HTTP_X_AMZ_DATE"] = request.headers["X-Amz-Date"]
        environ["HTTP_X_AMZ_CONTENT_SHA256"] = request.headers["X-Amz-Content-SHA256"]

    def _filter(self, app: Callable[..., Any]) -> Callable[..., Any]:
        def filtered(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            if environ.get("PATH_INFO", "").startswith("/moto-api/"):
                return app(environ, start_response)
            auth = environ.get("HTTP_AUTHORIZATION", "")
            query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            signed_in_query = any(name in query for name in _QUERY_AUTH)
            if not auth and not signed_in_query:
                if self._public_bucket(environ, query):
                    self._sign_as_admin(environ)
                    return app(environ, start_response)
                # What S3 answers an anonymous request on a private resource (moto
                # itself answers some of them with a 500).
                return _s3_error(
                    start_response,
                    "403 Forbidden",
                    "AccessDenied",
                    "Access Denied",
                    head=environ.get("REQUEST_METHOD") == "HEAD",
                )
            if not auth and signed_in_query:
                return _s3_error(
                    start_response,
                    "403 Forbidden",
                    "AccessDenied",
                    "Query-string (presigned URL) authentication is not supported by the "
                    "MotoS3 stand-in; sign requests with an Authorization header.",
                )
            match = _CREDENTIAL.search(auth)
            if match and time.time() >= self.expiries.get(match.group(1), float("inf")):
                return _s3_error(
                    start_response,
                    "400 Bad Request",
                    "ExpiredToken",
                    "The provided token has expired.",
                )
            return app(environ, start_response)

        return filtered

    def _server_entry(self) -> None:
        app = self._filter(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=_QuietHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()

    def stop(self) -> None:
        super().stop()
        if self._server is not None:
            self._server.server_close()  # ThreadedMotoServer leaves the socket open


class MotoS3:
    """moto's S3 (plus IAM/STS) on ``127.0.0.1:<free port>`` with authentication enforced.

    Starts on construction; use :meth:`stop` (or ``with MotoS3() as s3:``).
    """

    _lock = threading.Lock()
    _running: MotoS3 | None = None

    def __init__(self, region: str = "us-west-2") -> None:
        with MotoS3._lock:
            if MotoS3._running is not None:
                raise RuntimeError("a MotoS3 is already running in this process")
            MotoS3._running = self
        self.region = region
        #: access key id -> epoch seconds after which the filter refuses it
        self._expiries: dict[str, float] = {}
        self._roles: dict[frozenset[str], str] = {}
        #: buckets anonymous (unsigned) requests may read
        self.public_buckets: set[str] = set()
        self._server = _FilteredMotoServer(self._expiries, self.public_buckets)
        self._previous_count = "inf"
        try:
            self._server.start()
            host, port = self._server.get_host_and_port()
            #: Where boto3 clients should point (``endpoint_url=``).
            self.endpoint_url = f"http://{host}:{port}"
            self._bootstrap()
        except BaseException:
            self._shutdown()
            raise

    # -- setup ---------------------------------------------------------------------

    def _moto_api(self, path: str, body: str = "") -> bytes:
        # text/plain: with a form type moto would not see the body
        headers = {"Content-Type": "text/plain"}
        url = f"{self.endpoint_url}/moto-api/{path}"  # http://127.0.0.1:<port> only
        request = Request(url, data=body.encode(), headers=headers, method="POST")  # noqa: S310
        with urlopen(request, timeout=10) as response:  # noqa: S310
            return response.read()

    def _set_no_auth_count(self, value: str) -> str:
        """moto's server-mode switch; returns the previous value."""
        answer = json.loads(self._moto_api("reset-auth", value))
        return answer["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"]

    def _bootstrap(self) -> None:
        self._previous_count = self._set_no_auth_count("inf")
        iam = self.client("iam", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
        user = iam.create_user(UserName=ADMIN_USER)["User"]
        iam.put_user_policy(
            UserName=ADMIN_USER, PolicyName="everything", PolicyDocument=json.dumps(ALLOW_ALL)
        )
        key = iam.create_access_key(UserName=ADMIN_USER)["AccessKey"]
        self._set_no_auth_count("0")
        self.admin_arn: str = user["Arn"]
        self.account_id: str = self.admin_arn.split(":")[4]
        #: boto3 keyword arguments for the admin user (may do anything).
        self.admin_credentials = {
            "aws_access_key_id": key["AccessKeyId"],
            "aws_secret_access_key": key["SecretAccessKey"],
        }
        self._server.signer = (key["AccessKeyId"], key["SecretAccessKey"], self.region)
        self._s3 = self.client("s3")
        self._iam = self.client("iam")
        # Few-second lifetimes are below STS's documented minimum of 900 s, which botocore
        # checks client-side; moto accepts them.
        self._sts = self.client("sts", config=Config(parameter_validation=False))

    # -- public API ----------------------------------------------------------------

    def client(self, service: str = "s3", **kwargs: Any) -> Any:
        """A boto3 client for this server; the admin's keys unless others are given."""
        if "aws_access_key_id" not in kwargs:
            kwargs.update(self.admin_credentials)
        kwargs.setdefault("region_name", self.region)
        return boto3.client(service, endpoint_url=self.endpoint_url, **kwargs)

    def create_bucket(self, bucket: str) -> None:
        """Create ``bucket`` (in :attr:`region`) unless it exists."""
        existing = {b["Name"] for b in self._s3.list_buckets().get("Buckets", [])}
        if bucket not in existing:
            self._s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": self.region}
            )

    def seed(
        self, bucket: str, key: str, body: bytes | str, content_type: str | None = None
    ) -> None:
        """Put an object (creating the bucket if needed), with the admin keys."""
        self.create_bucket(bucket)
        extra = {"ContentType": content_type} if content_type else {}
        self._s3.put_object(
            Bucket=bucket, Key=key, Body=body.encode() if isinstance(body, str) else body, **extra
        )

    def read_object(self, bucket: str, key: str) -> tuple[bytes, str, str, str] | None:
        """(body, Content-Type, ETag, Last-Modified) of an object read with the admin
        key, or None when the bucket or key does not exist. Blocking (use an executor
        on an event loop)."""
        try:
            answer = self._s3.get_object(Bucket=bucket, Key=key)
        except self._s3.exceptions.NoSuchKey:
            return None
        except self._s3.exceptions.NoSuchBucket:
            return None
        headers = answer["ResponseMetadata"]["HTTPHeaders"]
        return (
            answer["Body"].read(),
            answer.get("ContentType", "binary/octet-stream"),
            answer.get("ETag", ""),
            headers.get("last-modified", ""),
        )

    def make_public(self, bucket: str) -> None:
        """Let anonymous (unsigned) requests read ``bucket`` (created if needed): object
        GET/HEAD, ListObjects(V2) and HeadBucket, like an AWS open data bucket."""
        self.create_bucket(bucket)
        self.public_buckets.add(bucket)

    def seed_many(
        self,
        bucket: str,
        prefix: str,
        n: int,
        *,
        folders: int = 5,
        per_folder: int = 20,
        name: str = "granule",
        content_type: str = "application/json",
    ) -> list[str]:
        """Create ``n`` small JSON objects under ``prefix`` fast, straight in moto's
        in-process backend (no HTTP call per key; about 5 s for 100 000).

        ``folders * per_folder`` of them (at most ``n``) go into sub-"folders"
        ``<prefix>2024-09-01/`` ... (which sort before the flat keys, so the first page
        of a Delimiter listing shows CommonPrefixes); the others are
        ``<prefix><name>_000001.json`` ... (zero-padded: lexicographic order is numeric
        order). Returns the keys in lexicographic order.
        """
        from moto.s3.models import s3_backends

        self.create_bucket(bucket)
        nested = min(n, folders * per_folder)
        flat = n - nested
        width = max(6, len(str(n)))
        keys = [f"{prefix}{name}_{i:0{width}d}.json" for i in range(1, flat + 1)]
        for f in range(nested):
            folder, number = divmod(f, per_folder)
            day = date(2024, 9, 1) + timedelta(days=folder)
            keys.append(f"{prefix}{day.isoformat()}/{name}_{number + 1:0{width}d}.json")
        backend = s3_backends[self.account_id]["aws"]
        for index, key in enumerate(keys):
            body = json.dumps({"key": key, "index": index, "value": (index * 7919) % 1000})
            new = backend.put_object(bucket, key, body.encode(), disable_notification=True)
            new.set_metadata({"Content-Type": content_type})
        return sorted(keys)

    def _reader_role(self, buckets: Iterable[str] | None) -> str:
        names = frozenset(buckets) if buckets is not None else frozenset({"*"})
        if names in self._roles:
            return self._roles[names]
        name = f"cloudscapes-s3-reader-{len(self._roles) + 1}"
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": self.admin_arn},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        arn = self._iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))[
            "Role"
        ]["Arn"]
        resources = sorted(f"arn:aws:s3:::{b}" for b in names)
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                    "Resource": resources,
                },
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject"],
                    "Resource": [f"{r}/*" for r in resources],
                },
            ],
        }
        self._iam.put_role_policy(
            RoleName=name, PolicyName="read", PolicyDocument=json.dumps(policy)
        )
        self._roles[names] = arn
        return arn

    def issue_temporary_credentials(
        self, seconds: int = 3600, buckets: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """Real temporary keys from this server's STS (``AssumeRole`` as the admin).

        They may GetObject/ListBucket/GetBucketLocation on ``buckets`` (all buckets when
        None) and nothing else, and are refused with ``ExpiredToken`` after ``seconds``.
        Returns ``accessKeyId, secretAccessKey, sessionToken, expiration`` (an aware UTC
        datetime, rounded up to whole seconds).
        """
        role = self._reader_role(buckets)
        expiration = whole_seconds_after(seconds)
        creds = self._sts.assume_role(
            RoleArn=role, RoleSessionName=f"daac-{secrets.token_hex(4)}", DurationSeconds=seconds
        )["Credentials"]
        self._expiries[creds["AccessKeyId"]] = expiration.timestamp()
        return {
            "accessKeyId": creds["AccessKeyId"],
            "secretAccessKey": creds["SecretAccessKey"],
            "sessionToken": creds["SessionToken"],
            "expiration": expiration,
        }

    # -- teardown ------------------------------------------------------------------

    def _shutdown(self) -> None:
        try:
            if getattr(self, "endpoint_url", None):
                self._set_no_auth_count(str(self._previous_count))
                self._moto_api("reset")
        finally:
            try:
                if self._server._thread is not None:
                    self._server.stop()
            finally:
                with MotoS3._lock:
                    MotoS3._running = None

    def stop(self) -> None:
        """Stop the server, restore moto's auth setting and reset its backends."""
        if MotoS3._running is self:
            self._shutdown()

    def __enter__(self) -> MotoS3:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
