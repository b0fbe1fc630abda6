"""S3 sources and one-page listings.

A *source* says which credentials read which bucket: public buckets unsigned, the
hub's ``$SCRATCH_BUCKET``/``$PERSISTENT_BUCKET`` and any bucket through the default
credential chain, NASA DAAC buckets with the Earthdata feature's temporary keys.
Listing is one ``ListObjectsV2`` page (``MaxKeys`` 1000) per request, never a scan, and
ListBuckets is never called. boto3 is blocking, so every call runs in an executor; clients
are cached per credentials (creating one costs tens of milliseconds).
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..contract import printable
from ..handlers import CloudscapesError, bad_request, isoformat
from .config import CloudscapesData

if TYPE_CHECKING:
    from ..earthdata.service import EarthdataService

PAGE_KEYS = 1000
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
MAX_KEY = 1024


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/prefix`` (or ``bucket/prefix``) -> (bucket, prefix)."""
    text = url.strip()
    if text.startswith("s3://"):
        text = text[5:]
    bucket, _, prefix = text.partition("/")
    return bucket, prefix


def check_bucket(bucket: str) -> str:
    if not isinstance(bucket, str) or not _BUCKET.match(bucket) or ".." in bucket:
        raise bad_request(
            f"'{printable(bucket)}' is not a valid S3 bucket name.",
            "Bucket names are 3-63 characters: lowercase letters, digits, dots and hyphens.",
            code="invalid_bucket",
        )
    return bucket


def check_key(key: str, what: str = "key") -> str:
    if not isinstance(key, str) or len(key.encode()) > MAX_KEY or "\x00" in key:
        raise bad_request(f"That S3 {what} is not valid.", "Keys are at most 1024 bytes.")
    return key


@dataclass
class S3Target:
    source: dict[str, Any]
    bucket: str
    client: Any


class S3Sources:
    def __init__(self, config: CloudscapesData, earthdata: EarthdataService | None) -> None:
        self.config = config
        self.earthdata = earthdata
        self.log = config.log
        self._clients: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()

    # ---- sources ---------------------------------------------------------------------

    def sources(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for entry in self.config.public_buckets:
            bucket = str(entry.get("bucket", ""))
            if not _BUCKET.match(bucket):
                self.log.warning("CloudscapesData.public_buckets: bad bucket %r skipped", bucket)
                continue
            out.append(
                self._source(
                    f"public:{bucket}",
                    str(entry.get("label") or bucket),
                    "public",
                    bucket,
                    str(entry.get("prefix", "")),
                    "unsigned",
                    None,
                    str(entry.get("description") or "Public bucket, read without credentials."),
                    region=entry.get("region"),
                )
            )
        for kind, url, label, text in (
            (
                "scratch",
                self.config.scratch_bucket,
                "Scratch bucket",
                "Your $SCRATCH_BUCKET: files here are deleted after 7 days.",
            ),
            (
                "persistent",
                self.config.persistent_bucket,
                "Persistent bucket",
                "Your $PERSISTENT_BUCKET: kept until you delete them.",
            ),
        ):
            if url:
                bucket, prefix = parse_s3_url(url)
                if _BUCKET.match(bucket):
                    if prefix and not prefix.endswith("/"):
                        prefix += "/"
                    out.append(
                        self._source(kind, label, kind, bucket, prefix, "default", None, text)
                    )
        if self.earthdata is not None:
            for daac in self.earthdata.daacs:
                out.append(
                    self._source(
                        f"earthdata:{daac}",
                        f"NASA {daac.upper()} (Earthdata)",
                        "earthdata",
                        None,
                        "",
                        "earthdata",
                        daac,
                        f"{daac.upper()} buckets with your Earthdata temporary S3 credentials "
                        "(readable in us-west-2 only).",
                    )
                )
        if self.config.default_chain:
            out.append(
                self._source(
                    "default",
                    "Other bucket",
                    "default",
                    None,
                    "",
                    "default",
                    None,
                    "Any bucket, with this server's AWS credentials (environment, ~/.aws, "
                    "instance role).",
                )
            )
        return out

    @staticmethod
    def _source(
        id: str,
        label: str,
        kind: str,
        bucket: str | None,
        prefix: str,
        access: str,
        daac: str | None,
        description: str,
        region: Any = None,
    ) -> dict[str, Any]:
        source = {
            "id": id,
            "label": label,
            "kind": kind,
            "bucket": bucket,
            "prefix": prefix,
            "access": access,
            "daac": daac,
            "description": description,
        }
        if region:
            source["_region"] = str(region)
        return source

    def source(self, source_id: str) -> dict[str, Any]:
        for source in self.sources():
            if source["id"] == source_id:
                return source
        raise CloudscapesError(
            404,
            "unknown_source",
            f"There is no S3 source '{printable(source_id)}' on this server.",
            "Pick a bucket from the list of sources.",
        )

    @staticmethod
    def public(source: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in source.items() if not k.startswith("_")}

    # ---- clients ---------------------------------------------------------------------

    def endpoint_url(self, source: dict[str, Any]) -> str | None:
        if self.config.s3_endpoint_url:
            return self.config.s3_endpoint_url
        if source["access"] == "earthdata" and self.earthdata is not None:
            return self.earthdata.config.s3_endpoint_url or None
        return None

    async def target(self, source_id: str, bucket: str | None) -> S3Target:
        source = self.source(source_id)
        if source["bucket"] is not None:
            if bucket and bucket != source["bucket"]:
                raise bad_request(
                    f"The source {source['label']!r} is the bucket {source['bucket']!r}.",
                    "Leave out 'bucket', or pick another source.",
                )
            bucket = source["bucket"]
        elif not bucket:
            raise bad_request(
                f"Name a bucket to browse with {source['label']!r}.",
                "For NASA data, use 'Show in S3' on a collection to get its bucket.",
                code="bucket_required",
            )
        check_bucket(bucket)
        client = await self.client(source)
        return S3Target(source=source, bucket=bucket, client=client)

    async def client(self, source: dict[str, Any]) -> Any:
        access = source["access"]
        region = source.get("_region") or self.config.s3_region
        endpoint = self.endpoint_url(source)
        if access == "earthdata":
            if self.earthdata is None:
                raise CloudscapesError(
                    404, "earthdata_disabled", "The Earthdata feature is off on this server.", ""
                )
            creds = await self.earthdata.credentials(source["daac"])
            key: tuple[Any, ...] = ("earthdata", source["daac"], creds.access_key_id, endpoint)
            kwargs = {
                "aws_access_key_id": creds.access_key_id,
                "aws_secret_access_key": creds.secret_access_key,
                "aws_session_token": creds.session_token,
            }
            region = self.earthdata.config.archive_region or region
        else:
            key, kwargs = (access, region, endpoint), {}
        with self._lock:
            cached = self._clients.get(key)
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        client = await loop.run_in_executor(
            None, lambda: self._make_client(access, region, endpoint, kwargs)
        )
        with self._lock:
            if access == "earthdata":  # old keys of this DAAC are never used again
                for old in [k for k in self._clients if k[:2] == key[:2]]:
                    del self._clients[old]
            self._clients[key] = client
        return client

    def _make_client(
        self, access: str, region: str, endpoint: str | None, kwargs: dict[str, Any]
    ) -> Any:
        import boto3
        from botocore import UNSIGNED
        from botocore.config import Config

        config = Config(
            connect_timeout=min(10.0, self.config.s3_timeout),
            read_timeout=self.config.s3_timeout,
            retries={"max_attempts": 3, "mode": "standard"},
            max_pool_connections=16,
            signature_version=UNSIGNED if access == "unsigned" else None,
        )
        session = boto3.session.Session()
        return session.client(
            "s3", region_name=region, endpoint_url=endpoint, config=config, **kwargs
        )

    def forget(self, source: dict[str, Any]) -> None:
        with self._lock:
            for key in [k for k in self._clients if k[:2] == ("earthdata", source.get("daac"))]:
                del self._clients[key]

    # ---- calls -----------------------------------------------------------------------

    async def call(self, target: S3Target, method: str, **kwargs: Any) -> Any:
        """``client.<method>(**kwargs)`` in an executor; S3 errors become 4xx/5xx answers.
        Expired DAAC keys are refreshed once."""
        loop = asyncio.get_running_loop()
        for attempt in (0, 1):
            try:
                return await loop.run_in_executor(
                    None, lambda: getattr(target.client, method)(**kwargs)
                )
            except Exception as exc:
                code = _error_code(exc)
                if (
                    attempt == 0
                    and target.source["access"] == "earthdata"
                    and code
                    in (
                        "ExpiredToken",
                        "InvalidAccessKeyId",
                        "InvalidToken",
                    )
                ):
                    self.forget(target.source)
                    if self.earthdata is not None:
                        await self.earthdata.refresh_daac(target.source["daac"])
                    target.client = await self.client(target.source)
                    continue
                raise self.error(exc, target) from None
        raise AssertionError("unreachable")

    def error(self, exc: BaseException, target: S3Target | None = None) -> CloudscapesError:
        if isinstance(exc, CloudscapesError):
            return exc
        code = _error_code(exc)
        where = f"s3://{target.bucket}" if target else "S3"
        label = target.source["label"] if target else ""
        if code in ("NoSuchBucket",):
            return CloudscapesError(
                404, "no_such_bucket", f"{where} does not exist.", "Check the bucket name."
            )
        if code in ("NoSuchKey", "404", "NotFound"):
            return CloudscapesError(
                404, "no_such_key", f"That object is not in {where}.", "It may have been deleted."
            )
        if code in (
            "AccessDenied",
            "403",
            "AllAccessDisabled",
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "InvalidToken",
            "ExpiredToken",
        ):
            if target and target.source["access"] == "earthdata":
                hint = (
                    "Earthdata credentials read only their DAAC's buckets, and only from "
                    "us-west-2; out of region, use the HTTPS links."
                )
            elif target and target.source["access"] == "unsigned":
                hint = "This bucket is not public; pick a source with credentials."
            else:
                hint = "This server's AWS credentials do not allow it; ask your hub admin."
            return CloudscapesError(
                403, "s3_access_denied", f"S3 refused access to {where} ({label}).", hint
            )
        if code in ("NoCredentialsError", "PartialCredentialsError"):
            return CloudscapesError(
                403,
                "s3_no_credentials",
                "This server has no AWS credentials for that source.",
                "Use a public bucket, or ask your hub admin to set up credentials.",
            )
        if code in ("ReadTimeoutError", "ConnectTimeoutError"):
            return CloudscapesError(504, "s3_timeout", f"{where} did not answer in time.", "")
        if code in ("EndpointConnectionError", "ConnectionClosedError"):
            return CloudscapesError(502, "s3_unreachable", "Could not reach S3.", "")
        if code in ("InvalidArgument", "InvalidRequest", "InvalidBucketName"):
            return CloudscapesError(400, "s3_invalid_request", f"S3 refused: {code}.", "")
        self.log.warning("S3 error on %s: %s", where, code)
        return CloudscapesError(502, "s3_error", f"S3 answered an error ({code}).", "Try again.")

    # ---- models ----------------------------------------------------------------------

    async def list_page(
        self, target: S3Target, prefix: str, delimiter: str, cursor: str | None
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"Bucket": target.bucket, "Prefix": prefix, "MaxKeys": PAGE_KEYS}
        if delimiter:
            kwargs["Delimiter"] = delimiter
        if cursor:
            kwargs["ContinuationToken"] = cursor
        answer = await self.call(target, "list_objects_v2", **kwargs)
        folders = [
            {"prefix": p["Prefix"], "name": p["Prefix"][len(prefix) :].rstrip("/")}
            for p in answer.get("CommonPrefixes", [])
        ]
        objects = [
            {
                "key": o["Key"],
                "name": o["Key"][len(prefix) :],
                "size": int(o.get("Size", 0)),
                "last_modified": isoformat(o["LastModified"]),
            }
            for o in answer.get("Contents", [])
            if o["Key"] != prefix  # the "folder" placeholder object
        ]
        return {
            "source": target.source["id"],
            "bucket": target.bucket,
            "prefix": prefix,
            "delimiter": delimiter,
            "folders": folders,
            "objects": objects,
            "cursor": answer.get("NextContinuationToken") if answer.get("IsTruncated") else None,
        }

    async def head(self, target: S3Target, key: str) -> dict[str, Any]:
        answer = await self.call(target, "head_object", Bucket=target.bucket, Key=key)
        return {
            "source": target.source["id"],
            "bucket": target.bucket,
            "key": key,
            "size": int(answer.get("ContentLength", 0)),
            "last_modified": isoformat(answer["LastModified"]),
            "content_type": answer.get("ContentType"),
            "etag": answer.get("ETag"),
            "s3_url": f"s3://{target.bucket}/{key}",
            "metadata": {str(k): str(v) for k, v in (answer.get("Metadata") or {}).items()},
        }


def _error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    return exc.__class__.__name__
