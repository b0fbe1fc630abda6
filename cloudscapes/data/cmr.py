"""CMR search: one page per call, server-side paging with ``CMR-Search-After``.

Queries go as form-encoded POSTs (CMR answers 413 to very long GET URLs), with the
user's Earthdata token when signed in. A 429 is retried after its ``Retry-After`` (and
a bounded exponential backoff) a configured number of times; longer waits are passed on
to the user. CMR's own error messages are kept; answers become the data browser's
models (schema ``Collection`` and ``Granule``).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..handlers import CloudscapesError, bad_request
from .config import CloudscapesData

USER_AGENT = "cloudscapes/0.1 (JupyterLab data browser)"
MAX_PAGE_SIZE = 2000

#: Units of ``ArchiveAndDistributionInformation.SizeUnit``.
_UNITS = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15, "B": 1}


class ThrottledError(CloudscapesError):
    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(min(retry_after, 24 * 3600)))
        super().__init__(
            429,
            "cmr_throttled",
            "NASA's CMR is answering 'too many requests' to this hub.",
            f"Wait about {seconds} s and search again.",
            headers={"Retry-After": str(seconds)},
        )


@dataclass
class Page:
    items: list[dict[str, Any]]
    hits: int
    cursor: str | None
    took_ms: int | None
    timed_out: bool

    def model(self, convert: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        return {
            "hits": self.hits,
            "cursor": self.cursor,
            "took_ms": self.took_ms,
            "timed_out": self.timed_out,
            "items": [convert(item) for item in self.items],
        }


def _fingerprint(kind: str, params: list[tuple[str, str]]) -> str:
    text = json.dumps([kind, sorted(p for p in params if p[0] != "page_size")])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_cursor(kind: str, params: list[tuple[str, str]], search_after: str) -> str:
    raw = json.dumps({"q": _fingerprint(kind, params), "sa": search_after}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, params: list[tuple[str, str]], cursor: str) -> str:
    """The ``CMR-Search-After`` value inside a cursor, or a 400 when it is not one of
    ours or belongs to another search."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        search_after, query = data["sa"], data["q"]
        if not isinstance(search_after, str) or not isinstance(query, str):
            raise ValueError
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise bad_request(
            "The page cursor is not valid.",
            "Start the search again from the first page.",
            code="invalid_cursor",
        ) from None
    if query != _fingerprint(kind, params):
        raise bad_request(
            "The page cursor belongs to a different search.",
            "Send the same filters as for the first page, or start again.",
            code="invalid_cursor",
        )
    return search_after


def _int(value: Any, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def _retry_after(value: str | None) -> float:
    if not value:
        return 1.0
    try:
        seconds = float(value)
        if seconds == seconds:  # not NaN
            return min(max(0.0, seconds), 24 * 3600.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class CmrClient:
    def __init__(self, config: CloudscapesData, token: Callable[[], str | None]) -> None:
        self.config = config
        self.token = token
        self.log = config.log
        #: seconds slept for throttling, for tests and the log
        self.backoff_log: list[float] = []

    @property
    def base(self) -> str:
        url = self.config.cmr_url
        return url if url.endswith("/") else url + "/"

    async def search(
        self, kind: str, params: list[tuple[str, str]], cursor: str | None = None
    ) -> Page:
        """One page of ``kind`` (``collections`` or ``granules``) as UMM JSON items."""
        headers = {
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "Client-Id": "cloudscapes",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        if cursor:
            headers["CMR-Search-After"] = decode_cursor(kind, params, cursor)
        token = self.token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = HTTPRequest(
            f"{self.base}{kind}.umm_json",
            method="POST",
            body=urlencode(params),
            headers=headers,
            connect_timeout=min(10.0, self.config.cmr_timeout),
            request_timeout=self.config.cmr_timeout,
            follow_redirects=False,
        )
        response = await self._fetch(request)
        try:
            body = json.loads(response.body)
            items = body["items"]
            if not isinstance(items, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise CloudscapesError(
                502, "cmr_bad_answer", "CMR answered with something that is not a result page.", ""
            ) from None
        hits = _int(response.headers.get("CMR-Hits", body.get("hits")), len(items))
        after = response.headers.get("CMR-Search-After")
        took = response.headers.get("CMR-Took", body.get("took"))
        return Page(
            items=items,
            hits=hits,
            cursor=encode_cursor(kind, params, after) if after and items else None,
            took_ms=int(took) if took is not None and str(took).isdigit() else None,
            # CMR sends CMR-Timed-Out (the reference spells it CMR-Time-Out): either
            timed_out=any(
                response.headers.get(name, "false").lower() == "true"
                for name in ("CMR-Timed-Out", "CMR-Time-Out")
            ),
        )

    async def _fetch(self, request: HTTPRequest) -> Any:
        client = AsyncHTTPClient()
        attempt = 0
        while True:
            try:
                return await client.fetch(request)
            except HTTPClientError as err:
                if err.code == 429:
                    wait = _retry_after(
                        err.response.headers.get("Retry-After") if err.response else None
                    )
                    if attempt >= self.config.cmr_retries or wait > self.config.cmr_max_backoff:
                        raise ThrottledError(wait) from None
                    # honour Retry-After, and back off exponentially, within the bound
                    wait = min(self.config.cmr_max_backoff, max(wait, 0.25 * 2**attempt))
                    attempt += 1
                    self.backoff_log.append(wait)
                    self.log.info("CMR throttled; retry %d in %.1f s", attempt, wait)
                    await asyncio.sleep(wait)
                    continue
                raise self._error(err) from None
            except (OSError, asyncio.TimeoutError) as err:
                self.log.info("CMR unreachable: %s", err.__class__.__name__)
                raise CloudscapesError(
                    502,
                    "cmr_unreachable",
                    f"Could not reach NASA's CMR at {urlsplit(self.base).netloc}.",
                    "Check the hub's network, or try again in a minute.",
                ) from None

    def _error(self, err: HTTPClientError) -> CloudscapesError:
        if err.code == 599:
            return CloudscapesError(
                504,
                "cmr_timeout",
                "NASA's CMR did not answer in time.",
                "Narrow the search (time range, bounding box) or try again.",
            )
        messages: list[str] = []
        if err.response is not None:
            try:
                errors = json.loads(err.response.body).get("errors", [])
                messages = [str(e) for e in errors if isinstance(e, (str, int, float))]
            except (ValueError, AttributeError):
                messages = []
        # CMR quotes tokens in its messages ("Token [...] has expired"): never pass one on
        text = _redact(" ".join(messages)) or f"CMR answered {err.code}."
        if err.code == 401:
            return CloudscapesError(
                401,
                "cmr_token_rejected",
                f"CMR refused your Earthdata token: {text}",
                "Sign in to Earthdata again from the Earthdata panel.",
            )
        if err.code == 404:  # searches never 404: the configured URL is wrong
            return CloudscapesError(
                502,
                "cmr_not_found",
                f"CMR answered 404 for a search: {text}",
                "Hub admins: check c.CloudscapesData.cmr_url (it ends in /search/).",
            )
        if 400 <= err.code < 500:
            return CloudscapesError(
                400,
                "cmr_bad_request",
                f"CMR refused the search: {text}",
                "Change the filters and search again.",
            )
        return CloudscapesError(
            502,
            "cmr_unavailable",
            f"NASA's CMR failed ({err.code}): {text}",
            "CMR may be having trouble; try again in a few minutes.",
        )


_TOKEN_IN_TEXT = re.compile(r"(Token \[)[^\]]*(\])|(Bearer\s+)\S+|eyJ[A-Za-z0-9_-]{8,}\.[\w.-]+")


def _redact(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}…{match.group(2)}"
        if match.group(3):
            return f"{match.group(3)}…"
        return "…"

    return _TOKEN_IN_TEXT.sub(repl, text)


# ---- UMM -> models -----------------------------------------------------------------------


def _bbox_of(geometry: dict[str, Any]) -> list[float] | None:
    """The bounding box of a UMM geometry; None when CMR's record lacks or garbles it."""
    try:
        return _bbox_strict(geometry)
    except (KeyError, TypeError, ValueError):
        return None


def _bbox_strict(geometry: dict[str, Any]) -> list[float] | None:
    rects = geometry.get("BoundingRectangles") or []
    if rects:
        west = min(r["WestBoundingCoordinate"] for r in rects)
        east = max(r["EastBoundingCoordinate"] for r in rects)
        south = min(r["SouthBoundingCoordinate"] for r in rects)
        north = max(r["NorthBoundingCoordinate"] for r in rects)
        return [float(west), float(south), float(east), float(north)]
    polygons = _polygons_of(geometry)
    if polygons:
        lons = [p[0] for ring in polygons for p in ring]
        lats = [p[1] for ring in polygons for p in ring]
        return [min(lons), min(lats), max(lons), max(lats)]
    return None


def _polygons_of(geometry: dict[str, Any]) -> list[list[list[float]]]:
    rings = []
    for polygon in geometry.get("GPolygons") or []:
        try:
            points = polygon.get("Boundary", {}).get("Points", [])
            rings.append([[float(p["Longitude"]), float(p["Latitude"])] for p in points])
        except (AttributeError, KeyError, TypeError, ValueError):
            continue  # a garbled polygon is left off the map, not fatal
    return rings


def _geometry(umm: dict[str, Any]) -> dict[str, Any]:
    spatial = umm.get("SpatialExtent") or {}
    domain = spatial.get("HorizontalSpatialDomain") or {}
    return domain.get("Geometry") or {}


def _s3_prefix(text: str) -> dict[str, str] | None:
    text = text.strip()
    if text.startswith("s3://"):
        text = text[5:]
    bucket, _, prefix = text.partition("/")
    if not bucket:
        return None
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return {"bucket": bucket, "prefix": prefix}


def collection_model(item: dict[str, Any], daac_of: Callable[..., str | None]) -> dict[str, Any]:
    meta, umm = item.get("meta", {}), item.get("umm", {})
    direct = umm.get("DirectDistributionInformation") or {}
    prefixes = [
        p for p in (_s3_prefix(t) for t in direct.get("S3BucketAndObjectPrefixNames") or []) if p
    ]
    start = end = None
    for extent in umm.get("TemporalExtents") or []:
        for rng in extent.get("RangeDateTimes") or []:
            start = start or rng.get("BeginningDateTime")
            end = end or rng.get("EndingDateTime")
        for single in extent.get("SingleDateTimes") or []:
            start = start or single
            end = end or single
    doi = umm.get("DOI") or {}
    provider = meta.get("provider-id", "")
    endpoint = direct.get("S3CredentialsAPIEndpoint")
    return {
        "concept_id": meta.get("concept-id", ""),
        "provider": provider,
        "short_name": umm.get("ShortName", ""),
        "version": str(umm.get("Version", "")),
        "title": umm.get("EntryTitle", umm.get("ShortName", "")),
        "abstract": umm.get("Abstract", ""),
        "doi": doi.get("DOI"),
        "cloud_hosted": bool(direct) or bool(prefixes),
        "daac": daac_of(provider, endpoint),
        "time_start": start,
        "time_end": end,
        "bbox": _bbox_of(_geometry(umm)),
        "s3_prefixes": prefixes,
        "s3_credentials_endpoint": endpoint,
    }


def _size_of(info: dict[str, Any]) -> float | None:
    try:
        if "SizeInBytes" in info:
            size = float(info["SizeInBytes"])
        elif "Size" in info:
            unit = _UNITS.get(str(info.get("SizeUnit", "MB")).upper(), 1e6)
            size = float(info["Size"]) * unit
        else:
            return None
    except (TypeError, ValueError):
        return None
    return size if math.isfinite(size) and size >= 0 else None


def granule_model(item: dict[str, Any], collection_id: str = "") -> dict[str, Any]:
    meta, umm = item.get("meta", {}), item.get("umm", {})
    temporal = umm.get("TemporalExtent") or {}
    rng = temporal.get("RangeDateTime") or {}
    start = rng.get("BeginningDateTime") or temporal.get("SingleDateTime")
    end = rng.get("EndingDateTime") or temporal.get("SingleDateTime")
    archive = (umm.get("DataGranule") or {}).get("ArchiveAndDistributionInformation") or []
    files = [
        {"name": str(a.get("Name", "")), "size_bytes": _size_of(a)}
        for a in archive
        if isinstance(a, dict)
    ]
    sizes = [f["size_bytes"] for f in files if f["size_bytes"] is not None]
    https, s3, browse = [], [], None
    for link in umm.get("RelatedUrls") or []:
        url, kind = str(link.get("URL", "")), link.get("Type", "")
        if kind == "GET DATA" and url.startswith(("https://", "http://")):
            https.append(url)
        elif kind == "GET DATA VIA DIRECT ACCESS" and url.startswith("s3://"):
            s3.append(url)
        elif kind == "GET RELATED VISUALIZATION" and browse is None and url.startswith("http"):
            browse = url
    for url in meta.get("s3-links") or []:
        if url not in s3:
            s3.append(url)
    geometry = _geometry(umm)
    return {
        "concept_id": meta.get("concept-id", ""),
        "title": umm.get("GranuleUR", meta.get("native-id", "")),
        "collection_concept_id": meta.get("collection-concept-id") or collection_id,
        "time_start": start,
        "time_end": end,
        "size_bytes": sum(sizes) if sizes else None,
        "files": files,
        "footprint": {"bbox": _bbox_of(geometry), "polygons": _polygons_of(geometry)},
        "https_urls": https,
        "s3_urls": s3,
        "browse_url": browse,
    }
