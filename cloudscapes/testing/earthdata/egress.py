"""The data host (a DAAC's HTTPS download links, served by the thin-egress-app) and the
presigned-S3 host it redirects to, which answers like S3 with the objects of the state's
moto S3. See ``docs/standins.md``, "Data host" and "Presign host"."""

from __future__ import annotations

import asyncio
import hmac
import re
import secrets
from datetime import datetime, timedelta, timezone
from typing import NoReturn, cast
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape as xml_escape

from tornado import web
from tornado.http1connection import HTTP1Connection
from tornado.httpserver import HTTPServer
from tornado.iostream import StreamClosedError

from ..serving import StandInHandler, listen, make_app
from .daac import EgressHandler
from .state import EarthdataState, Transfer


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


class DataHandler(EgressHandler):
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
        payload = self.token_payload(daac, f"{state.data_url}/login", state=f"/{bucket}/{key}")
        self.refuse_unless_allowed(daac)
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


class PresignHandler(StandInHandler):
    """``GET|HEAD /<bucket>/<key>?X-Amz-...``: S3 answering a presigned URL, with the
    object's bytes read from moto (the admin key)."""

    state: EarthdataState
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
                    cast(HTTP1Connection, self.request.connection).close()
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


def start_data(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """The data host (TEA-like HTTPS downloads) on loopback; sets ``state.data_url``."""
    server, bound = listen(make_app(state, "data", [("/([^/]+)/(.+)", DataHandler)]), port, address)
    state.data_url = f"http://{address}:{bound}"
    return server, bound


def start_presign(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """The presigned-S3 host on loopback; sets ``state.presign_url``."""
    server, bound = listen(
        make_app(state, "presign", [("/([^/]+)/(.+)", PresignHandler)]), port, address
    )
    state.presign_url = f"http://{address}:{bound}"
    return server, bound
