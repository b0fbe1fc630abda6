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
from .footprints import bbox_of, footprint, geometry_of
from .formats import file_name

USER_AGENT = "cloudscapes/0.1 (JupyterLab data browser)"
MAX_PAGE_SIZE = 2000
#: CMR's page size when a search names none
DEFAULT_PAGE_SIZE = 10

#: Bytes per ``ArchiveAndDistributionInformation.SizeUnit``. CMR's units are binary: of
#: 845 real files giving both ``Size`` (MB) and ``SizeInBytes``, 825 had a ratio of
#: exactly 1.048576. Any other unit ("NA", NSIDC's ICESat-2) is unknown.
_UNITS: dict[str, int] = {
    "B": 1,
    "BYTES": 1,
    **{unit: 1024 ** (n + 1) for n, unit in enumerate(("KB", "MB", "GB", "TB", "PB"))},
    **{unit: 1024 ** (n + 1) for n, unit in enumerate(("KIB", "MIB", "GIB", "TIB", "PIB"))},
}


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


def encode_cursor(kind: str, params: list[tuple[str, str]], search_after: str, seen: int) -> str:
    """An opaque cursor: CMR's ``CMR-Search-After``, the search it belongs to and the
    number of items the pages before it held."""
    raw = json.dumps({"q": _fingerprint(kind, params), "sa": search_after, "n": seen}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, params: list[tuple[str, str]], cursor: str) -> tuple[str, int]:
    """The ``CMR-Search-After`` value inside a cursor and the items seen before it, or a
    400 when it is not one of ours or belongs to another search."""
    try:
        if len(cursor) > 4096:
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        search_after, query, seen = data["sa"], data["q"], data.get("n", 0)
        if not isinstance(search_after, str) or not isinstance(query, str):
            raise ValueError
        # it goes back to CMR as a header: printable ASCII only
        if not re.fullmatch(r"[\x20-\x7e]{1,2048}", search_after):
            raise ValueError
        if not isinstance(seen, int) or isinstance(seen, bool) or seen < 0:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError):
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
    return search_after, seen


def next_cursor(
    kind: str,
    params: list[tuple[str, str]],
    search_after: str | None,
    seen: int,
    hits: int,
    page_items: int,
    page_size: int,
    timed_out: bool = False,
) -> str | None:
    """The cursor of the page after this one, or None on the last page.

    Real CMR sends ``CMR-Search-After`` on the last non-empty page too: the last page is
    the one that brings the items seen to ``CMR-Hits``, or that comes back shorter than
    its page size (unless CMR timed out, when a page may be partial)."""
    if not search_after or not page_items or seen >= hits:
        return None
    if page_items < page_size and not timed_out:
        return None
    return encode_cursor(kind, params, search_after, seen)


def _page_size(params: list[tuple[str, str]]) -> int:
    sizes = [value for name, value in params if name == "page_size"]
    return _int(sizes[-1], DEFAULT_PAGE_SIZE) if sizes else DEFAULT_PAGE_SIZE


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
        seen = 0
        if cursor:
            headers["CMR-Search-After"], seen = decode_cursor(kind, params, cursor)
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
        took = response.headers.get("CMR-Took", body.get("took"))
        # CMR sends CMR-Timed-Out (the reference spells it CMR-Time-Out): either
        timed_out = any(
            response.headers.get(name, "false").lower() == "true"
            for name in ("CMR-Timed-Out", "CMR-Time-Out")
        )
        return Page(
            items=items,
            hits=hits,
            cursor=next_cursor(
                kind,
                params,
                response.headers.get("CMR-Search-After"),
                seen + len(items),
                hits,
                len(items),
                _page_size(params),
                timed_out,
            ),
            took_ms=int(took) if took is not None and str(took).isdigit() else None,
            timed_out=timed_out,
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


def inclination_of(collection: dict[str, Any]) -> float | None:
    """``OrbitParameters.InclinationAngle`` of a UMM-C item (degrees), for orbit-only
    granule footprints; None when the collection does not say."""
    spatial = (collection.get("umm") or {}).get("SpatialExtent") or {}
    orbit = spatial.get("OrbitParameters") if isinstance(spatial, dict) else None
    if not isinstance(orbit, dict) or isinstance(orbit.get("InclinationAngle"), bool):
        return None
    try:
        angle = float(orbit["InclinationAngle"])
    except (KeyError, TypeError, ValueError):
        return None
    return angle if math.isfinite(angle) and 0 < angle < 180 else None


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
    endpoint = endpoint.strip() or None if isinstance(endpoint, str) else None
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
        "bbox": bbox_of(geometry_of(umm)),
        "s3_prefixes": prefixes,
        "s3_credentials_endpoint": endpoint,
    }


def size_of(info: Any) -> float | None:
    """Bytes of an ``ArchiveAndDistributionInformation`` entry; None when unknown.

    ``SizeInBytes`` wins; else ``Size`` times ``SizeUnit``, where CMR's KB, MB… are binary;
    a unit CMR leaves open ("NA", missing) is unknown, never guessed."""
    if not isinstance(info, dict):
        return None
    exact = _bytes(info.get("SizeInBytes"))
    if exact is not None:
        return exact
    if "Size" not in info:
        return None
    unit = _UNITS.get(str(info.get("SizeUnit") or "").strip().upper())
    size = _bytes(info["Size"])
    if unit is None or size is None:
        return None
    total = size * unit
    return float(round(total)) if math.isfinite(total) else None


def _bytes(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        size = float(value)
    except (TypeError, ValueError):
        return None
    return size if math.isfinite(size) and size >= 0 else None


def _provided(name: Any) -> bool:
    return isinstance(name, str) and name.strip().lower() not in ("", "not provided")


def _files(archive: list[Any], data_links: list[str], fallback: str) -> list[dict[str, Any]]:
    """``files`` of a granule: a file CMR did not name takes its name from its data link
    (the one at its position, or the only one), else from the first data link."""
    entries = [a for a in archive if isinstance(a, dict)]
    files = []
    for i, entry in enumerate(entries):
        name = entry.get("Name")
        if not _provided(name):
            url = data_links[i] if i < len(data_links) else next(iter(data_links), "")
            name = file_name(url, default=fallback)
        files.append({"name": str(name), "size_bytes": size_of(entry)})
    return files


def granule_model(
    item: dict[str, Any], collection_id: str = "", inclination: float | None = None
) -> dict[str, Any]:
    """Schema ``Granule`` of a UMM-G item; ``inclination`` (the collection's
    ``OrbitParameters``) places orbit-only footprints."""
    meta, umm = item.get("meta", {}), item.get("umm", {})
    temporal = umm.get("TemporalExtent") or {}
    rng = temporal.get("RangeDateTime") or {}
    start = rng.get("BeginningDateTime") or temporal.get("SingleDateTime")
    end = rng.get("EndingDateTime") or temporal.get("SingleDateTime")
    title = umm.get("GranuleUR", meta.get("native-id", ""))
    https: list[str] = []
    s3: list[str] = []
    media_types: dict[str, str] = {}
    browse = None
    for link in umm.get("RelatedUrls") or []:
        if not isinstance(link, dict):
            continue
        url, kind = str(link.get("URL", "")), link.get("Type", "")
        if kind == "GET DATA" and url.startswith(("https://", "http://")):
            https.append(url)
        elif kind == "GET DATA VIA DIRECT ACCESS" and url.startswith("s3://"):
            s3.append(url)
        elif kind == "GET RELATED VISUALIZATION" and browse is None and url.startswith("http"):
            browse = url
            continue
        else:
            continue
        mime = link.get("MimeType")
        if isinstance(mime, str) and mime.strip():
            media_types[url] = mime.strip()
    for url in meta.get("s3-links") or []:
        if url not in s3:
            s3.append(url)
    archive = (umm.get("DataGranule") or {}).get("ArchiveAndDistributionInformation") or []
    files = _files(archive if isinstance(archive, list) else [], https or s3, str(title))
    sizes = [f["size_bytes"] for f in files]
    known = bool(sizes) and all(size is not None for size in sizes)
    return {
        "concept_id": meta.get("concept-id", ""),
        "title": title,
        "collection_concept_id": meta.get("collection-concept-id") or collection_id,
        "time_start": start,
        "time_end": end,
        "size_bytes": sum(sizes) if known else None,
        "files": files,
        "footprint": footprint(umm, inclination),
        "media_types": media_types,
        "https_urls": https,
        "s3_urls": s3,
        "browse_url": browse,
    }
