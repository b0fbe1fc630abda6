"""Paging ends on the last page even though CMR sends ``CMR-Search-After`` there too
(as real CMR does): through the real route, against the CMR stand-in."""

from __future__ import annotations

import base64
import json

import pytest

from cloudscapes.data.cmr import next_cursor
from cloudscapes.testing import cmr

pytestmark = pytest.mark.usefixtures("earthdata")

DEMO_GRANULES = 8  # the demo collection's granules


@pytest.fixture(autouse=True)
def realistic_cmr(earthdata_state):
    """The stand-in sends ``CMR-Search-After`` on the last non-empty page, as CMR does."""
    earthdata_state.cmr_search_after_on_last_page = True
    return earthdata_state


async def pages(api, url: str) -> list[dict]:
    """Every page of a search, following cursors (at most 20 pages)."""
    out: list[dict] = []
    cursor = None
    for _ in range(20):
        status, page = await api(url + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200
        out.append(page)
        cursor = page["cursor"]
        if cursor is None:
            return out
    raise AssertionError(f"{url}: still offering more after 20 pages")


@pytest.mark.parametrize(
    "page_size, sizes",
    [(4, [4, 4]), (8, [8]), (3, [3, 3, 2]), (5, [5, 3]), (20, [8])],
)
async def test_granule_paging_ends_on_the_last_page(api, earthdata_state, page_size, sizes):
    url = f"data/collections/{cmr.DEMO_CONCEPT_ID}/granules?page_size={page_size}"
    found = await pages(api, url)
    assert [len(p["items"]) for p in found] == sizes  # no empty page after the last
    assert all(p["hits"] == DEMO_GRANULES for p in found)
    ids = [g["concept_id"] for p in found for g in p["items"]]
    assert len(set(ids)) == DEMO_GRANULES
    # the stand-in did send a search-after on the last page: we did not follow it
    assert len(earthdata_state.requests_to("cmr")) == len(sizes)


@pytest.mark.parametrize("page_size, pages_expected", [(10, 2), (7, 3), (20, 1)])
async def test_paging_the_modis_like_swaths(api, earthdata_state, page_size, pages_expected):
    url = f"data/collections/{cmr.SWATH_CONCEPT_ID}/granules?page_size={page_size}"
    found = await pages(api, url)
    ids = [g["concept_id"] for p in found for g in p["items"]]
    assert ids == list(cmr.SWATH_GRANULE_IDS)
    assert len(found) == len(earthdata_state.requests_to("cmr")) == pages_expected


async def test_keyword_paging_keeps_cmrs_score_search_after_and_ends(api, earthdata_state):
    # relevance sorting: CMR's search-after holds float scores and names in their case
    found = await pages(api, "data/collections?keyword=cloudscapes&page_size=3")
    hits = found[0]["hits"]
    ids = [c["concept_id"] for p in found for c in p["items"]]
    assert hits > 3 and len(ids) == len(set(ids)) == hits
    assert len(found) == len(earthdata_state.requests_to("cmr")) == -(-hits // 3)
    sent = [r.headers.get("CMR-Search-After") for r in earthdata_state.requests_to("cmr")]
    assert sent[0] is None and all(sent[1:])
    assert isinstance(json.loads(sent[1])[0], float)


async def test_collection_paging_ends_when_the_hits_are_seen(api):
    found = await pages(api, "data/collections?keyword=DEMO_SEAICE&page_size=1")
    assert [len(p["items"]) for p in found] == [1]
    assert found[0]["hits"] == 1


async def test_a_cursor_with_a_forged_count_is_refused(api):
    url = f"data/collections/{cmr.DEMO_CONCEPT_ID}/granules?page_size=3"
    _, first = await api(url)
    raw = json.loads(base64.urlsafe_b64decode(first["cursor"] + "=" * (-len(first["cursor"]) % 4)))
    for forged in (-1, "3", None):
        bad = base64.urlsafe_b64encode(json.dumps({**raw, "n": forged}).encode()).decode()
        status, err = await api(url + f"&cursor={bad.rstrip('=')}")
        assert status == 400 and err["error"]["code"] == "invalid_cursor"
        assert err["error"]["hint"]


def test_a_short_page_is_the_last_unless_cmr_timed_out():
    params = [("collection_concept_id", "C1-X"), ("page_size", "10")]
    after = '[1.0,"DEMO",2999000003]'
    # CMR says 100 hits but the page holds 7 of 10: the last one (granules went away)
    assert next_cursor("granules", params, after, 7, 100, 7, 10) is None
    # a timed-out page may be partial: keep going
    assert next_cursor("granules", params, after, 7, 100, 7, 10, timed_out=True) is not None
    # a full page before the hits are reached: more to come
    assert next_cursor("granules", params, after, 10, 100, 10, 10) is not None
    # the items seen reach the hits: done, whatever CMR sent
    assert next_cursor("granules", params, after, 100, 100, 10, 10) is None
    # no search-after, or an empty page: done
    assert next_cursor("granules", params, None, 10, 100, 10, 10) is None
    assert next_cursor("granules", params, after, 10, 100, 0, 10) is None
