"""Matching a :class:`~.query.Query` against the catalogue, sorting totally (the
concept's sequence number last) and cutting one page, by page number or search-after."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any

from .catalogue import Catalogue, Collection
from .query import COLLECTION_SORT, GRANULE_SORT, Query, _glob, _search_after_failure

# -- matching -----------------------------------------------------------------------


def _intervals(west: float, east: float) -> list[tuple[float, float]]:
    if west <= east:
        return [(west, east)]
    return [(west, 180.0), (-180.0, east)]


def intersects(box: tuple[float, ...], other: tuple[float, ...]) -> bool:
    """Whether two W,S,E,N rectangles intersect (either may cross the antimeridian)."""
    if box[1] > other[3] or other[1] > box[3]:
        return False
    return any(
        a0 <= b1 and b0 <= a1
        for a0, a1 in _intervals(box[0], box[2])
        for b0, b1 in _intervals(other[0], other[2])
    )


def _overlaps(start: int, end: int | None, ranges: list[tuple[int | None, int | None]]) -> bool:
    return any(
        (q_end is None or start <= q_end) and (q_start is None or end is None or end >= q_start)
        for q_start, q_end in ranges
    )


def _words(text: str) -> list[str]:
    lowered = text.lower()
    words = lowered.split()
    return [lowered, *words, *re.findall(r"[a-z0-9]+", lowered)]


def keyword_score(c: Collection, terms: list[str]) -> float:
    """0 when some term does not match; else the mean of each term's best field weight
    (short name 1, entry title 2/3, abstract 1/3): a float in (0, 1] as CMR's relevance
    scores are (``1.0``, ``0.6666666666666666``...)."""
    fields = ((_words(c.short_name), 3.0), (_words(c.entry_title), 2.0), (_words(c.abstract), 1.0))
    score = 0.0
    for term in terms:
        regex = _glob(term.lower())
        best = max(
            (weight for words, weight in fields if any(regex.fullmatch(w) for w in words)),
            default=0.0,
        )
        if not best:
            return 0.0
        score += best
    return score / (3.0 * len(terms))


def _order(value: Any) -> Any:
    """What a sort value sorts by: strings without case first (CMR sorts names so but
    hands them back in their case in ``CMR-Search-After``), then with it."""
    return (value.lower(), value) if isinstance(value, str) else value


def _compare(a: tuple[Any, ...], b: tuple[Any, ...], descending: tuple[bool, ...]) -> int:
    for x, y, desc in zip(map(_order, a), map(_order, b), descending, strict=True):
        if x != y:
            result = -1 if x < y else 1
            return -result if desc else result
    return 0


@dataclass
class Result:
    hits: int
    items: list[Any]
    search_after: list[Any] | None


def _sort_value(position: int) -> Callable[[tuple[tuple[Any, ...], Any]], Any]:
    """The ``position``-th sort value of an entry."""
    return lambda entry: _order(entry[0][position])


def _page(
    query: Query, entries: list[tuple[tuple[Any, ...], Any]], realistic_last_page: bool
) -> Result:
    """Sort (stable multi-pass, total thanks to the trailing sequence number) and cut
    one page of ``(sort values + seq, item)`` entries."""
    descending = (*(desc for _, desc in query.sort), False)
    for position in range(len(descending) - 1, -1, -1):
        entries.sort(key=_sort_value(position), reverse=descending[position])
    hits = len(entries)
    if query.search_after is not None:

        def compare(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
            return _compare(a, b, descending)

        key = cmp_to_key(compare)
        try:
            start = bisect_right(entries, key(tuple(query.search_after)), key=lambda e: key(e[0]))
        except TypeError:
            raise _search_after_failure("search_after values do not fit the sort.") from None
    else:
        start = ((query.page_num or 1) - 1) * query.page_size
    page = entries[start : start + query.page_size]
    more = start + len(page) < hits
    after = list(page[-1][0]) if page and (more or realistic_last_page) else None
    return Result(hits, [item for _, item in page], after)


def search_collections(catalogue: Catalogue, query: Query, realistic: bool = False) -> Result:
    wanted_ids = set(query.concept_ids)
    entries = []
    for c in catalogue.collections:
        if wanted_ids and c.concept_id not in wanted_ids:
            continue
        if not all(match(_collection_string(c, name)) for name, match in query.strings.items()):
            continue
        if query.cloud_hosted is not None and c.cloud != query.cloud_hosted:
            continue
        if query.has_granules is not None and (c.granule_count > 0) != query.has_granules:
            continue
        if query.temporal and not _overlaps(c.start, c.end, query.temporal):
            continue
        if not all(intersects(c.bbox, box) for box in query.boxes):
            continue
        score = keyword_score(c, query.keyword) if query.keyword else 0.0
        if query.keyword and not score:
            continue
        values = tuple(COLLECTION_SORT[name](c, score) for name, _ in query.sort)
        entries.append(((*values, c.seq), c))
    return _page(query, entries, realistic)


def _collection_string(c: Collection, name: str) -> str:
    return {
        "short_name": c.short_name,
        "version": c.version,
        "entry_title": c.entry_title,
        "provider": c.provider,
    }[name]


def search_granules(catalogue: Catalogue, query: Query, realistic: bool = False) -> Result:
    """Granules of the collections the query names; ``concept_id`` values (collection or
    granule ids) are alternatives, other parameters all apply."""
    by_collection = {i for i in query.concept_ids if i.startswith("C")}
    by_granule: dict[str, list[int]] = {}
    for concept_id in query.concept_ids:
        if concept_id.startswith("G") and (g := catalogue.granule_by_id(concept_id)):
            by_granule.setdefault(g.collection.concept_id, []).append(g.index)
    name_matches = [
        query.strings[n] for n in ("readable_granule_name", "granule_ur") if n in query.strings
    ]
    entries = []
    for c in catalogue.collections:
        if query.collection_concept_ids and c.concept_id not in query.collection_concept_ids:
            continue
        if not all(
            match(_collection_string(c, name))
            for name, match in query.strings.items()
            if name in ("short_name", "version", "entry_title", "provider")
        ):
            continue
        if query.concept_ids and c.concept_id not in by_collection:
            indexes: Iterable[int] = sorted(set(by_granule.get(c.concept_id, ())))
        elif query.temporal:
            found: set[int] = set()
            for start, end in query.temporal:
                found.update(catalogue.indexes(c, start, end))
            indexes = sorted(found)
        else:
            indexes = range(c.granule_count)
        for j in indexes:
            g = catalogue.granule(c, j)
            if query.temporal and not _overlaps(g.start, g.end, query.temporal):
                continue
            if not all(intersects(g.bbox, box) for box in query.boxes):
                continue
            if not all(match(g.ur) for match in name_matches):
                continue
            values = tuple(GRANULE_SORT[name](g) for name, _ in query.sort)
            entries.append(((*values, g.seq), g))
    return _page(query, entries, realistic)
