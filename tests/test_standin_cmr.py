"""The CMR stand-in (cloudscapes.testing.cmr): its catalogue, the search parameters and
their errors, search-after paging, tokens and throttling. The records' UMM and Atom
shapes: test_standin_cmr_shapes.py.

The stand-ins run on their own IOLoop in a background thread, so these tests use
blocking clients (cloudscapes.testing.client) and never pytest-jupyter's loop;
``nasa_demo`` (cloudscapes.testing.fixtures.standins) serves them. The data host,
presigned S3, public buckets and demo data: test_standin_data.py.
"""

from __future__ import annotations

import json
import time

import pytest

from cloudscapes.testing import cmr
from cloudscapes.testing.client import http
from cloudscapes.testing.fixtures.standins import NasaDemo, entries, errors, hits

# -- the catalogue -------------------------------------------------------------------


def test_catalogue_is_deterministic_and_realistic() -> None:
    catalogue = cmr.default_catalogue()
    again = cmr.generate_catalogue()
    assert [c.concept_id for c in again.collections] == [
        c.concept_id for c in catalogue.collections
    ]
    assert 280 <= len(catalogue.collections) <= 320
    providers = {c.provider for c in catalogue.collections}
    assert {"NSIDC_CPRD", "POCLOUD", "LPCLOUD", "GES_DISC", "ORNL_CLOUD", "ASF"} <= providers
    assert {"NSIDC_ECS", "LPDAAC_ECS"} <= providers
    assert {c.cloud for c in catalogue.collections if c.provider.endswith("_ECS")} == {False}
    assert len({(c.provider, c.short_name, c.version) for c in catalogue.collections}) == len(
        catalogue.collections
    )
    assert catalogue.collection(cmr.DEMO_CONCEPT_ID).granule_count == 8
    assert catalogue.collection(cmr.SWATHS_CONCEPT_ID).granule_count == cmr.SWATHS_GRANULES
    assert catalogue.collection("C1-NOPE") is None


def test_granules_round_trip_by_concept_id() -> None:
    catalogue = cmr.default_catalogue()
    swaths = catalogue.collection(cmr.SWATHS_CONCEPT_ID)
    last = catalogue.granule(swaths, cmr.SWATHS_GRANULES - 1)
    assert catalogue.granule_by_id(last.concept_id) == last
    assert catalogue.granule_by_id(last.concept_id.replace("POCLOUD", "LPCLOUD")) is None
    assert last.end == swaths.end  # the collection's extent ends with its last granule


# -- collections: parameters -----------------------------------------------------------


def test_keyword_finds_the_demo_collection_first(nasa_demo: NasaDemo) -> None:
    for keyword in ("sea ice", "SEA ICE", "DEMO_SEAICE", "demo_seai?e", "sea*"):
        found = entries(nasa_demo.search("collections.json", {"keyword": keyword}))
        assert found[0]["id"] == cmr.DEMO_CONCEPT_ID, keyword
    assert hits(nasa_demo.search("collections.json", {"keyword": "sea ice"})) > 5
    # every word must match
    assert hits(nasa_demo.search("collections.json", {"keyword": "sea banana"})) == 0
    # the abstract counts too
    abstract = entries(nasa_demo.search("collections.json", {"keyword": "synthetic"}))
    assert cmr.DEMO_CONCEPT_ID in {e["id"] for e in abstract}


def test_short_name_version_provider_concept_id(nasa_demo: NasaDemo) -> None:
    demo = entries(nasa_demo.search("collections.json", {"short_name": "demo_seaice"}))
    assert [e["id"] for e in demo] == [cmr.DEMO_CONCEPT_ID]  # case-insensitive
    assert hits(nasa_demo.search("collections.json", {"short_name": "DEMO_SEA*"})) == 0
    pattern = [("short_name", "DEMO_*"), ("options[short_name][pattern]", "true")]
    assert hits(nasa_demo.search("collections.json", pattern)) == 7  # 2 + the 5 realistic
    assert (
        hits(nasa_demo.search("collections.json", {"short_name": "DEMO_SEAICE", "version": "2"}))
        == 0
    )
    two = [("concept_id", cmr.DEMO_CONCEPT_ID), ("concept_id[]", cmr.SWATHS_CONCEPT_ID)]
    assert {e["id"] for e in entries(nasa_demo.search("collections.json", two))} == {
        cmr.DEMO_CONCEPT_ID,
        cmr.SWATHS_CONCEPT_ID,
    }
    catalogue = cmr.default_catalogue()
    asf = sum(c.provider == "ASF" for c in catalogue.collections)
    assert hits(nasa_demo.search("collections.json", {"provider": "ASF"})) == asf
    both = [("provider[]", "ASF"), ("provider[]", "ORNL_CLOUD")]
    ornl = sum(c.provider == "ORNL_CLOUD" for c in catalogue.collections)
    assert hits(nasa_demo.search("collections.json", both)) == asf + ornl
    assert hits(nasa_demo.search("collections.json", {"provider_id": "ASF"})) == asf
    assert hits(nasa_demo.search("collections.json", {"entry_title": cmr.DEMO_ENTRY_TITLE})) == 1


def test_cloud_hosted_and_has_granules(nasa_demo: NasaDemo) -> None:
    catalogue = cmr.default_catalogue()
    total = hits(nasa_demo.search("collections.json"))
    assert total == len(catalogue.collections)
    cloud = hits(nasa_demo.search("collections.json", {"cloud_hosted": "true"}))
    assert cloud == sum(c.cloud for c in catalogue.collections)
    assert hits(nasa_demo.search("collections.json", {"cloud_hosted": "false"})) == total - cloud
    assert hits(nasa_demo.search("collections.json", {"cloud_hosted": "unset"})) == total
    assert entries(nasa_demo.search("collections.json", {"cloud_hosted": "true"}))[0][
        "cloud_hosted"
    ]
    with_granules = hits(nasa_demo.search("collections.json", {"has_granules": "true"}))
    assert 0 < with_granules < total
    assert errors(nasa_demo.search("collections.json", {"cloud_hosted": "yes"})) == [
        "Parameter cloud_hosted must take value of true, false, or unset, but was [yes]"
    ]


def test_temporal_overlap_and_open_ends(nasa_demo: NasaDemo) -> None:
    def found(value: str) -> set[str]:
        reply = nasa_demo.search(
            "collections.json",
            [
                ("temporal[]", value),
                ("short_name", "DEMO_SEAICE"),
                ("short_name", "DEMO_SST_*"),
                ("options[short_name][pattern]", "true"),
            ],
        )
        return {e["short_name"] for e in entries(reply)}

    # demo: 2024-09-01..08, swaths: 2024-01-01..2024-02-04
    assert found("2024-09-08T23:00:00Z,2024-12-31T00:00:00Z") == {"DEMO_SEAICE"}
    assert found("2024-01-15T00:00:00Z,2024-09-01T00:00:00Z") == {"DEMO_SEAICE", "DEMO_SST_SWATHS"}
    assert found("2024-09-09T00:00:00Z,") == set()
    assert found(",2023-12-31T23:59:59Z") == set()
    assert found("2024-02-01,2024-02-02") == {"DEMO_SST_SWATHS"}  # dates alone: midnight UTC
    assert found("2024-03-01T00:00:00.000Z,2024-08-31T23:59:59.999Z") == set()
    # several ranges: any of them
    reply = nasa_demo.search(
        "collections.json",
        [
            ("temporal[]", "2024-09-05T00:00:00Z,2024-09-06T00:00:00Z"),
            ("temporal[]", "2024-01-05T00:00:00Z,2024-01-06T00:00:00Z"),
            ("short_name", "DEMO_SEAICE"),
            ("short_name", "DEMO_SST_SWATHS"),
        ],
    )
    assert hits(reply) == 2
    assert errors(nasa_demo.search("collections.json", {"temporal": "2024-13-01T00:00:00Z,"})) == [
        "temporal start datetime is invalid: [2024-13-01T00:00:00Z] is not a valid datetime."
    ]
    assert errors(
        nasa_demo.search(
            "collections.json", {"temporal": "2024-02-01T00:00:00Z,2024-01-01T00:00:00Z"}
        )
    ) == ["start_date [2024-02-01T00:00:00Z] must be before end_date [2024-01-01T00:00:00Z]"]


def test_bounding_box_intersection(nasa_demo: NasaDemo) -> None:
    def ids(box: str, **extra: str) -> set[str]:
        reply = nasa_demo.search(
            "collections.json", {"bounding_box": box, "page_size": "2000", **extra}
        )
        return {e["id"] for e in entries(reply)}

    antarctic = ids("-60,-80,-50,-70")
    assert cmr.DEMO_CONCEPT_ID not in antarctic  # the demo covers 60N..90N
    assert cmr.SWATHS_CONCEPT_ID in antarctic  # global
    assert cmr.DEMO_CONCEPT_ID in ids("-10,70,10,80")
    assert cmr.DEMO_CONCEPT_ID in ids("170,65,-170,70")  # across the antimeridian
    catalogue = cmr.default_catalogue()
    pacific = {c.concept_id for c in catalogue.collections if c.bbox == cmr.REGIONS["pacific"]}
    assert pacific and pacific <= ids("175,-5,179,5")  # a collection across the antimeridian
    assert not pacific & ids("0,-5,10,5")
    for bad, message in (
        ("1,2,3", "[1,2,3] is not a valid URL encoded bounding_box"),
        ("a,b,c,d", "[a,b,c,d] is not a valid URL encoded bounding_box"),
        (
            "0,10,10,0",
            "The bounding rectangle north value [0.0] was less than the south value [10.0]",
        ),
        ("0,-95,10,0", "Point latitude [-95.0] must be within -90 and 90.0"),
    ):
        assert errors(nasa_demo.search("collections.json", {"bounding_box": bad})) == [message]


def test_sorting(nasa_demo: NasaDemo) -> None:
    def names(*keys: str) -> list[str]:
        params = [("provider", "LPCLOUD"), ("page_size", "2000")]
        params += [("sort_key[]", key) for key in keys]
        return [e["short_name"] for e in entries(nasa_demo.search("collections.json", params))]

    ascending = names("short_name")
    assert ascending == sorted(ascending, key=str.lower)
    descending = [name.lower() for name in names("-short_name")]
    assert descending == sorted(descending, reverse=True)
    starts = [
        e["time_start"]
        for e in entries(
            nasa_demo.search(
                "collections.json",
                [("provider", "LPCLOUD"), ("page_size", "2000"), ("sort_key", "-start_date")],
            )
        )
    ]
    assert starts == sorted(starts, reverse=True)
    # no keyword: entry_title by default
    titles = [
        e["title"] for e in entries(nasa_demo.search("collections.json", {"page_size": "50"}))
    ]
    assert titles == sorted(titles, key=str.lower)
    assert errors(nasa_demo.search("collections.json", {"sort_key": "colour"})) == [
        "The sort key [colour] is not a valid field for sorting collections."
    ]
    granules = nasa_demo.search(
        "granules.json", {"short_name": "DEMO_SEAICE", "sort_key": "-start_date"}
    )
    assert [e["title"] for e in entries(granules)][:2] == ["seaice_20240908", "seaice_20240907"]
    assert errors(nasa_demo.search("granules.json", {"short_name": "X", "sort_key": "score"})) == [
        "The sort key [score] is not a valid field for sorting granules."
    ]


def test_post_form_gives_the_same_answer(nasa_demo: NasaDemo) -> None:
    params = [("keyword", "sea ice"), ("page_size", "5"), ("cloud_hosted", "true")]
    got = nasa_demo.search("collections.json", params)
    posted = nasa_demo.search("collections.json", params, post=True)
    assert hits(got) == hits(posted)
    assert [e["id"] for e in entries(got)] == [e["id"] for e in entries(posted)]
    wrong = http(
        "POST",
        nasa_demo.standins.cmr_url + "collections.json",
        {"Content-Type": "application/json"},
        data=b"{}",
    )
    assert errors(wrong, 415) == ["Unsupported content type [application/json]"]


# -- errors ------------------------------------------------------------------------------


def test_unknown_parameters(nasa_demo: NasaDemo) -> None:
    assert errors(nasa_demo.search("collections.json", {"foo": "1"})) == [
        "Parameter [foo] was not recognized."
    ]
    assert errors(nasa_demo.search("collections.json", [("foo[]", "1"), ("bar", "2")])) == [
        "Parameter [foo] was not recognized.",
        "Parameter [bar] was not recognized.",
    ]
    # keyword is for collections, cloud_hosted too; tokens never go in the query
    assert errors(
        nasa_demo.search("granules.json", {"keyword": "x", "short_name": "DEMO_SEAICE"})
    ) == ["Parameter [keyword] was not recognized."]
    assert errors(nasa_demo.search("collections.json", {"token": "abc"})) == [
        "Parameter [token] was not recognized."
    ]
    assert errors(
        nasa_demo.search("collections.json", [("options[short_name][fuzzy]", "true")])
    ) == ["Option [fuzzy] is not supported for param [short_name]"]


@pytest.mark.parametrize("size", ["2001", "-1", "ten", ""])
def test_page_size_limits(nasa_demo: NasaDemo, size: str) -> None:
    assert errors(nasa_demo.search("collections.json", {"page_size": size})) == [
        "page_size must be a number between 0 and 2000"
    ]


def test_page_size_default_and_zero(nasa_demo: NasaDemo) -> None:
    default = nasa_demo.search("collections.json")
    assert len(entries(default)) == 10
    assert default.header("CMR-Search-After")
    zero = nasa_demo.search("collections.json", {"page_size": "0"})
    assert hits(zero) == len(cmr.default_catalogue().collections)
    assert entries(zero) == []
    assert zero.header("CMR-Search-After") is None
    full = nasa_demo.search("collections.umm_json", {"page_size": "2000"})
    assert len(full.json()["items"]) == hits(full)
    # as real CMR: the last non-empty page carries the header too, the next is empty
    after = full.header("CMR-Search-After")
    assert after
    empty = nasa_demo.search(
        "collections.umm_json", {"page_size": "2000"}, {"CMR-Search-After": after}
    )
    assert (hits(empty), empty.json()["items"], empty.header("CMR-Search-After")) == (
        hits(full),
        [],
        None,
    )
    nasa_demo.state.cmr_search_after_on_last_page = False  # the test hook
    full = nasa_demo.search("collections.umm_json", {"page_size": "2000"})
    assert full.header("CMR-Search-After") is None


def test_granule_query_needs_a_collection(nasa_demo: NasaDemo) -> None:
    for params in ({}, {"temporal": "2024-01-01T00:00:00Z,"}, {"short_name": ""}):
        assert errors(nasa_demo.search("granules.json", params)) == [cmr.ALL_GRANULES_ERROR]
    assert errors(nasa_demo.search("granules.json", {"concept_id": "S123-PROV"})) == [
        "Invalid concept_id [S123-PROV]. For granule queries concept_id must be either a "
        "granule or collection concept ID."
    ]
    for params in (
        {"provider": "NSIDC_CPRD"},
        {"short_name": "DEMO_SEAICE"},
        {"collection_concept_id": cmr.DEMO_CONCEPT_ID},
        {"concept_id": cmr.DEMO_CONCEPT_ID},
        {"entry_title": cmr.DEMO_ENTRY_TITLE},
    ):
        assert hits(nasa_demo.search("granules.json", params)) >= 8, params


def test_granule_filters(nasa_demo: NasaDemo) -> None:
    demo = {"collection_concept_id": cmr.DEMO_CONCEPT_ID}
    assert hits(nasa_demo.search("granules.json", demo)) == 8
    days = nasa_demo.search(
        "granules.json", {**demo, "temporal": "2024-09-03T12:00:00Z,2024-09-04T00:00:00Z"}
    )
    assert [e["title"] for e in entries(days)] == ["seaice_20240903", "seaice_20240904"]
    assert hits(nasa_demo.search("granules.json", {**demo, "bounding_box": "0,-10,10,10"})) == 0
    named = [
        ("collection_concept_id", cmr.DEMO_CONCEPT_ID),
        ("readable_granule_name", "seaice_2024090[5]"),
    ]
    assert hits(nasa_demo.search("granules.json", named)) == 0  # brackets are literal
    named = [
        ("collection_concept_id", cmr.DEMO_CONCEPT_ID),
        ("readable_granule_name", "SEAICE_2024090?"),
        ("options[readable_granule_name][pattern]", "true"),
    ]
    assert hits(nasa_demo.search("granules.json", named)) == 8
    first = entries(nasa_demo.search("granules.json", demo))[0]
    by_id = nasa_demo.search("granules.json", {"concept_id": first["id"]})
    assert [e["id"] for e in entries(by_id)] == [first["id"]]
    # concept ids are alternatives: a collection and a granule of another one
    swath = entries(nasa_demo.search("granules.json", {"short_name": "DEMO_SST_SWATHS"}))[0]["id"]
    both = [("concept_id[]", cmr.DEMO_CONCEPT_ID), ("concept_id[]", swath)]
    assert hits(nasa_demo.search("granules.json", both)) == 9
    # swath footprints: polygons, found by bounding box
    swaths = {"collection_concept_id": cmr.SWATHS_CONCEPT_ID, "page_size": "2000"}
    north = nasa_demo.search("granules.json", {**swaths, "bounding_box": "-180,55,180,90"})
    assert 0 < hits(north) < cmr.SWATHS_GRANULES
    assert all(e["polygons"] for e in entries(north))
    swath_hour = nasa_demo.search(
        "granules.json", {**swaths, "temporal": "2024-01-01T00:00:00Z,2024-01-01T00:59:59Z"}
    )
    assert hits(swath_hour) == 12


def test_search_after_pages_through_ten_thousand_granules(nasa_demo: NasaDemo) -> None:
    params = {"collection_concept_id": cmr.SWATHS_CONCEPT_ID, "page_size": "2000"}
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        headers = {"CMR-Search-After": after} if after else {}
        reply = nasa_demo.search("granules.umm_json", params, headers)
        assert reply.status == 200
        assert int(reply.header("CMR-Hits")) == cmr.SWATHS_GRANULES
        assert reply.header("CMR-Request-Id")
        assert int(reply.header("CMR-Took")) >= 0
        body = reply.json()
        assert body["hits"] == cmr.SWATHS_GRANULES
        seen += [item["meta"]["concept-id"] for item in body["items"]]
        pages += 1
        after = reply.header("CMR-Search-After")
        if after is None:
            break
        value = json.loads(after)
        assert value[0] == "pocloud" and isinstance(value[1], int) and isinstance(value[2], int)
    assert pages == 6  # five full pages, then the empty one real CMR's last header leads to
    assert len(seen) == len(set(seen)) == cmr.SWATHS_GRANULES


def test_search_after_matches_page_num_and_real_cmr_mode(nasa_demo: NasaDemo) -> None:
    params = {"provider": "ASF", "page_size": "7"}
    first = nasa_demo.search("collections.json", params)
    after = first.header("CMR-Search-After")
    second = nasa_demo.search("collections.json", params, {"CMR-Search-After": after})
    by_number = nasa_demo.search("collections.json", {**params, "page_num": "2"})
    assert [e["id"] for e in entries(second)] == [e["id"] for e in entries(by_number)]
    assert errors(
        nasa_demo.search(
            "collections.json", {**params, "page_num": "2"}, {"CMR-Search-After": after}
        )
    ) == ["page_num is not allowed with search-after"]
    # Real CMR (the default) also sends the header on the last non-empty page, then
    # pages to empty.
    total = hits(first)
    ids: list[str] = []
    after = None
    while True:
        reply = nasa_demo.search(
            "collections.json", params, {"CMR-Search-After": after} if after else {}
        )
        page = entries(reply)
        ids += [e["id"] for e in page]
        after = reply.header("CMR-Search-After")
        if not page:
            assert after is None
            break
        assert after
    assert len(ids) == len(set(ids)) == total


@pytest.mark.parametrize(
    "value,message",
    [
        ("12345", cmr.SEARCH_AFTER_ERROR),
        ('[0 "abc"]', cmr.SEARCH_AFTER_ERROR),
        ('{"a": 1}', cmr.SEARCH_AFTER_ERROR),
        (
            '["pocloud", 1]',
            'The search failed with error: [{:type "illegal_argument_exception", :reason '
            '"search_after has 2 value(s) but sort has 3."}]. Please double check your '
            "search_after header.",
        ),
        (
            "[1, 2, 3]",
            'The search failed with error: [{:type "illegal_argument_exception", :reason '
            '"Failed to parse search_after value [1] for field [provider]."}]. Please double '
            "check your search_after header.",
        ),
    ],
)
def test_malformed_search_after(nasa_demo: NasaDemo, value: str, message: str) -> None:
    reply = nasa_demo.search(
        "granules.json",
        {"collection_concept_id": cmr.SWATHS_CONCEPT_ID},
        {"CMR-Search-After": value},
    )
    assert errors(reply) == [message]


# -- auth, throttling, failures ----------------------------------------------------------


def test_tokens(nasa_demo: NasaDemo) -> None:
    token = nasa_demo.token()
    assert hits(nasa_demo.search("collections.json", {"page_size": "1"})) > 0  # anonymous is fine
    assert hits(nasa_demo.search("collections.json", {"page_size": "1"}, bearer=token)) > 0
    recorded = nasa_demo.state.requests_to("cmr")
    assert recorded[-1].headers["Authorization"] == f"Bearer {token}"
    assert "Authorization" not in recorded[-2].headers

    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in (forged, "not-a-token-at-all-but-long-enough"):
        reply = nasa_demo.search("collections.json", bearer=bad)
        header = f"Bearer {bad}"
        assert errors(reply, 401) == [f"Token {header[:10]}XXX{header[-5:]} does not exist"]
        assert bad not in reply.body.decode()

    later = time.time() + 61 * 24 * 3600
    nasa_demo.state.clock = lambda: later
    reply = nasa_demo.search("collections.json", bearer=token)
    header = f"Bearer {token}"
    assert errors(reply, 401) == [
        f"Token [{header[:10]}XXX{header[-5:]}] has expired. Note the token value has been "
        "partially redacted."
    ]
    assert token not in reply.body.decode()


def test_scrub_token_is_cmrs() -> None:
    assert cmr.scrub_token("a" * 30) == "a" * 10 + "XXX" + "a" * 5
    assert cmr.scrub_token("abcdefghijklmnopq") == "abcdeXXXmnopq"
    assert cmr.scrub_token("abcdefgh") == "abcXXX"
    assert cmr.scrub_token("abc") == "XXX"


def test_throttling_and_failures(nasa_demo: NasaDemo) -> None:
    nasa_demo.state.cmr_throttle = 2
    nasa_demo.state.cmr_retry_after = 3
    for _ in range(2):
        reply = nasa_demo.search("collections.json")
        assert errors(reply, 429) == [cmr.THROTTLE_ERROR]
        assert reply.header("Retry-After") == "3"
    assert hits(nasa_demo.search("collections.json")) > 0
    nasa_demo.state.cmr_failures = [500, 503, 504]
    assert errors(nasa_demo.search("collections.json"), 500) == ["An Internal Error has occurred."]
    unavailable = nasa_demo.search("collections.json")
    assert unavailable.status == 503
    assert unavailable.header("Content-Type").startswith("text/html")
    assert nasa_demo.search("collections.json").status == 504
    assert hits(nasa_demo.search("collections.json")) > 0
    nasa_demo.state.cmr_timed_out = True
    assert nasa_demo.search("collections.json").header("CMR-Timed-Out") == "true"
    long = nasa_demo.search("collections.json", {"keyword": "x" * 9000})
    assert long.status == 413
    assert hits(nasa_demo.search("collections.json", {"keyword": "x" * 9000}, post=True)) == 0
