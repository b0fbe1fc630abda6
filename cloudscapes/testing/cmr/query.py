"""CMR's search parameters, validated as CMR does (its messages, its 400s) into a
:class:`Query`. See ``docs/standins.md``, "CMR search"."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .catalogue import _CONCEPT, NO_END_MS, Collection, Granule

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 2000
MAX_PAGING_DEPTH = 1_000_000
RELS = "http://esipfed.org/ns/fedsearch/1.1/"

ALL_GRANULES_ERROR = (
    "The CMR does not allow querying across granules in all collections. To help optimize "
    "your search, you should limit your query using conditions that identify one or more "
    "collections, such as provider, provider_id, concept_id, collection_concept_id, "
    "short_name, version or entry_title. For any questions please contact "
    "cmr-support@earthdata.nasa.gov."
)
PAGE_SIZE_ERROR = "page_size must be a number between 0 and 2000"
SEARCH_AFTER_ERROR = "search-after header value is invalid, must be in the form of a JSON array."


_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?)?"
)


def _double(value: float) -> str:
    return repr(float(value))


def _glob(pattern: str) -> re.Pattern[str]:
    parts = ("." if ch == "?" else ".*" if ch == "*" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


class CmrError(Exception):
    def __init__(self, status: int, *errors: str, headers: dict[str, str] | None = None):
        super().__init__(status, errors)
        self.status = status
        self.errors = list(errors)
        self.headers = headers or {}


# -- queries ------------------------------------------------------------------------

COLLECTION_PARAMS = frozenset(
    {
        "keyword",
        "short_name",
        "version",
        "entry_title",
        "concept_id",
        "provider",
        "provider_id",
        "cloud_hosted",
        "has_granules",
        "temporal",
        "bounding_box",
        "page_size",
        "page_num",
        "sort_key",
    }
)
GRANULE_PARAMS = frozenset(
    {
        "short_name",
        "version",
        "entry_title",
        "concept_id",
        "collection_concept_id",
        "provider",
        "provider_id",
        "readable_granule_name",
        "granule_ur",
        "temporal",
        "bounding_box",
        "page_size",
        "page_num",
        "sort_key",
    }
)
SINGLE_VALUED = frozenset({"keyword", "page_size", "page_num", "cloud_hosted", "has_granules"})
STRING_PARAMS = frozenset(
    {"short_name", "version", "entry_title", "provider", "readable_granule_name", "granule_ur"}
)
LIMITING = (
    "concept_id",
    "provider",
    "short_name",
    "version",
    "entry_title",
    "collection_concept_id",
)
OPTIONS = frozenset({"pattern", "ignore_case"})
_OPTION = re.compile(r"options\[([a-z_]+)\]\[([a-z_]+)\]")

#: sort values as ``CMR-Search-After`` carries them: names in their own case (compared
#: without case, :func:`.search._order`), providers in lower case, times in ms, scores
#: and sizes as floats
COLLECTION_SORT: dict[str, Callable[[Collection, float], Any]] = {
    "short_name": lambda c, s: c.short_name,
    "entry_title": lambda c, s: c.entry_title,
    "dataset_id": lambda c, s: c.entry_title,
    "version": lambda c, s: c.version,
    "provider": lambda c, s: c.provider.lower(),
    "start_date": lambda c, s: c.start * 1000,
    "end_date": lambda c, s: NO_END_MS if c.end is None else c.end * 1000,
    "revision_date": lambda c, s: c.revision_date * 1000,
    "score": lambda c, s: s,
    "usage_score": lambda c, s: c.usage,
}
GRANULE_SORT: dict[str, Callable[[Granule], Any]] = {
    "granule_ur": lambda g: g.ur,
    "readable_granule_name": lambda g: g.ur,
    "producer_granule_id": lambda g: g.ur,
    "start_date": lambda g: g.start * 1000,
    "end_date": lambda g: g.end * 1000,
    "revision_date": lambda g: g.revision_date * 1000,
    "provider": lambda g: g.collection.provider.lower(),
    "data_size": lambda g: g.size / 1048576,
    "short_name": lambda g: g.collection.short_name,
    "version": lambda g: g.collection.version,
    "entry_title": lambda g: g.collection.entry_title,
    "dataset_id": lambda g: g.collection.entry_title,
}
STRING_SORTS = frozenset(
    {
        "short_name",
        "entry_title",
        "dataset_id",
        "version",
        "provider",
        "granule_ur",
        "readable_granule_name",
        "producer_granule_id",
    }
)


@dataclass
class Match:
    """A string parameter: any of ``values``, exactly or as a pattern."""

    values: list[str]
    pattern: bool = False
    ignore_case: bool = True

    def __call__(self, value: str) -> bool:
        for wanted in self.values:
            if self.pattern:
                flags = re.IGNORECASE if self.ignore_case else 0
                if re.fullmatch(_glob(wanted).pattern, value, flags | re.DOTALL):
                    return True
            elif (value.lower() == wanted.lower()) if self.ignore_case else value == wanted:
                return True
        return False


@dataclass
class Query:
    kind: str  # "collections" or "granules"
    strings: dict[str, Match] = field(default_factory=dict)
    concept_ids: list[str] = field(default_factory=list)
    collection_concept_ids: list[str] = field(default_factory=list)
    keyword: list[str] = field(default_factory=list)
    cloud_hosted: bool | None = None
    has_granules: bool | None = None
    temporal: list[tuple[int | None, int | None]] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    page_size: int = DEFAULT_PAGE_SIZE
    page_num: int | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)
    search_after: list[Any] | None = None


def _normalise(name: str) -> str:
    return name[:-2] if name.endswith("[]") else name


def _parse_time(text: str, which: str) -> int:
    match = _DATETIME.fullmatch(text.strip())
    error = CmrError(
        400, f"temporal {which} datetime is invalid: [{text}] is not a valid datetime."
    )
    if not match:
        raise error
    year, month, day, hour, minute, second, _, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=timezone.utc,
        )
    except ValueError:
        raise error from None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        moment = moment.replace(tzinfo=None)
        offset = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
        return int(moment.replace(tzinfo=timezone.utc).timestamp()) - offset
    return int(moment.timestamp())


def _parse_temporal(value: str) -> tuple[int | None, int | None]:
    parts = value.split(",")
    if len(parts) > 2:
        raise CmrError(
            400,
            f"Periodic temporal ranges are not supported by this stand-in: [{value}]",
        )
    start_text = parts[0].strip()
    end_text = parts[1].strip() if len(parts) > 1 else ""
    start = _parse_time(start_text, "start") if start_text else None
    end = _parse_time(end_text, "end") if end_text else None
    if start is not None and end is not None and start > end:
        raise CmrError(400, f"start_date [{start_text}] must be before end_date [{end_text}]")
    return start, end


def _parse_box(value: str) -> tuple[float, float, float, float]:
    parts = value.split(",")
    try:
        if len(parts) != 4:
            raise ValueError(value)
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise CmrError(400, f"[{value}] is not a valid URL encoded bounding_box") from None
    errors = [
        f"Point longitude [{_double(lon)}] must be within -180.0 and 180.0"
        for lon in (west, east)
        if not -180 <= lon <= 180
    ] + [
        f"Point latitude [{_double(lat)}] must be within -90 and 90.0"
        for lat in (south, north)
        if not -90 <= lat <= 90
    ]
    if not errors and north < south:
        errors.append(
            f"The bounding rectangle north value [{_double(north)}] was less than the "
            f"south value [{_double(south)}]"
        )
    if errors:
        raise CmrError(400, *errors)
    return west, south, east, north


def _parse_bool(name: str, value: str) -> bool | None:
    lowered = value.lower()
    if lowered not in ("true", "false", "unset"):
        raise CmrError(
            400, f"Parameter {name} must take value of true, false, or unset, but was [{value}]"
        )
    return None if lowered == "unset" else lowered == "true"


def _parse_int(value: str) -> int | None:
    try:
        return int(value.strip())
    except ValueError:
        return None


def parse_query(kind: str, arguments: Iterable[tuple[str, str]], search_after: str | None) -> Query:
    """Validate CMR parameters (name, value pairs in order) into a :class:`Query`."""
    allowed = COLLECTION_PARAMS if kind == "collections" else GRANULE_PARAMS
    values: dict[str, list[str]] = {}
    options: dict[tuple[str, str], str] = {}
    errors: list[str] = []
    for raw_name, value in arguments:
        name = _normalise(raw_name)
        option = _OPTION.fullmatch(name)
        if option:
            param, key = option.groups()
            if param not in allowed or param not in STRING_PARAMS:
                errors.append(f"Parameter [{name}] was not recognized.")
            elif key not in OPTIONS:
                errors.append(f"Option [{key}] is not supported for param [{param}]")
            else:
                options[(param, key)] = value
            continue
        if name not in allowed:
            errors.append(f"Parameter [{name}] was not recognized.")
            continue
        values.setdefault(name, []).append(value)
    if errors:
        raise CmrError(400, *dict.fromkeys(errors))
    for name in SINGLE_VALUED & values.keys():
        if len(values[name]) > 1:
            errors.append(f"Parameter [{name}] must have a single value.")
    if errors:
        raise CmrError(400, *errors)

    query = Query(kind)
    if "page_size" in values:
        size = _parse_int(values["page_size"][0])
        if size is None or not 0 <= size <= MAX_PAGE_SIZE:
            raise CmrError(400, PAGE_SIZE_ERROR)
        query.page_size = size
    if "page_num" in values:
        number = _parse_int(values["page_num"][0])
        if number is None or number < 1:
            raise CmrError(400, "page_num must be a number greater than or equal to 1")
        if number * query.page_size > MAX_PAGING_DEPTH:
            raise CmrError(
                400,
                f"The paging depth (page_num * page_size) of [{number * query.page_size}] "
                f"exceeds the limit of {MAX_PAGING_DEPTH}.",
            )
        query.page_num = number
    # empty values constrain nothing (CMR drops them)
    values = {k: [v for v in vs if v.strip()] for k, vs in values.items()}
    values = {k: vs for k, vs in values.items() if vs}
    if "provider_id" in values:
        values.setdefault("provider", []).extend(values.pop("provider_id"))

    for name in STRING_PARAMS & values.keys():
        pattern = options.get((name, "pattern"), "false").lower() == "true"
        ignore_case = options.get((name, "ignore_case"), "true").lower() != "false"
        query.strings[name] = Match(values[name], pattern, ignore_case)
    for concept_id in values.get("concept_id", []):
        if kind == "granules" and concept_id[:1] not in ("C", "G"):
            raise CmrError(
                400,
                f"Invalid concept_id [{concept_id}]. For granule queries concept_id must be "
                "either a granule or collection concept ID.",
            )
        if not _CONCEPT.fullmatch(concept_id) or (kind == "collections" and concept_id[0] != "C"):
            raise CmrError(400, f"Concept-id [{concept_id}] is not valid.")
        query.concept_ids.append(concept_id)
    for concept_id in values.get("collection_concept_id", []):
        if not _CONCEPT.fullmatch(concept_id) or concept_id[0] != "C":
            raise CmrError(400, f"Concept-id [{concept_id}] is not valid.")
        query.collection_concept_ids.append(concept_id)
    if "keyword" in values:
        query.keyword = values["keyword"][0].split()
    if "cloud_hosted" in values:
        query.cloud_hosted = _parse_bool("cloud_hosted", values["cloud_hosted"][0])
    if "has_granules" in values:
        query.has_granules = _parse_bool("has_granules", values["has_granules"][0])
    query.temporal = [_parse_temporal(v) for v in values.get("temporal", [])]
    query.boxes = [_parse_box(v) for v in values.get("bounding_box", [])]

    sorts = COLLECTION_SORT if kind == "collections" else GRANULE_SORT
    for key in values.get("sort_key", []):
        descending = key.startswith("-")
        name = key.lstrip("+-")
        if name not in sorts:
            raise CmrError(400, f"The sort key [{name}] is not a valid field for sorting {kind}.")
        query.sort.append((name, descending))
    if not query.sort:
        if kind == "granules":
            query.sort = [("provider", False), ("start_date", False)]
        elif query.keyword:
            query.sort = [("score", True), ("usage_score", True)]
        else:
            query.sort = [("entry_title", False), ("provider", False)]

    if kind == "granules" and not any(name in values for name in LIMITING):
        raise CmrError(400, ALL_GRANULES_ERROR)
    if search_after is not None:
        try:
            parsed = json.loads(search_after)
        except ValueError:
            parsed = None
        if not isinstance(parsed, list):
            raise CmrError(400, SEARCH_AFTER_ERROR)
        if query.page_num is not None:
            raise CmrError(400, "page_num is not allowed with search-after")
        _check_search_after(query, parsed)
        query.search_after = parsed
    return query


def _search_after_failure(reason: str) -> CmrError:
    return CmrError(
        400,
        'The search failed with error: [{:type "illegal_argument_exception", :reason '
        f'"{reason}"}}]. Please double check your search_after header.',
    )


def _check_search_after(query: Query, values: list[Any]) -> None:
    expected = len(query.sort) + 1
    if len(values) != expected:
        raise _search_after_failure(
            f"search_after has {len(values)} value(s) but sort has {expected}."
        )
    for (name, _), value in zip([*query.sort, ("concept_seq_id", False)], values, strict=True):
        wanted: tuple[type, ...] = (str,) if name in STRING_SORTS else (int, float)
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise _search_after_failure(
                f"Failed to parse search_after value [{json.dumps(value)}] for field [{name}]."
            )
