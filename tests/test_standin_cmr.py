"""The CMR, data-host and presigned-S3 stand-ins (cloudscapes.testing.cmr, .earthdata),
public buckets and bulk seeding (.s3) and the demo data (.datasets).

The stand-ins run on their own IOLoop in a background thread, so these tests use
blocking clients (urllib, http.client, boto3, s3fs) and never pytest-jupyter's loop.
"""

from __future__ import annotations

import base64
import io
import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPResponse, IncompleteRead
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import rsa

from cloudscapes.testing import cmr, datasets
from cloudscapes.testing.earthdata import (
    EarthdataStandIns,
    EarthdataState,
    data_server_config,
    demo_state,
    presign,
)
from cloudscapes.testing.s3 import MotoS3

from .standin_client import LoopThread, Reply, http

JSON_TYPE = "application/json;charset=utf-8"
PASSWORD = "s3cret #1"
SEAICE = f"{datasets.DEMO_GRANULE_PREFIX}seaice_20240903.nc"
MANY = 5000


# -- plumbing ------------------------------------------------------------------------
# (LoopThread, http and Reply: tests/standin_client.py)


@dataclass
class Env:
    state: EarthdataState
    standins: EarthdataStandIns
    s3: MotoS3

    def search(
        self,
        path: str,
        params: list[tuple[str, str]] | dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        bearer: str | None = None,
        post: bool = False,
    ) -> Reply:
        query = urlencode(params or {})
        url = self.standins.cmr_url + path
        if post:
            form = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
            return http("POST", url, form, bearer, data=query.encode())
        return http("GET", f"{url}?{query}" if query else url, headers, bearer)

    def token(self) -> str:
        basic = base64.b64encode(f"demo:{PASSWORD}".encode()).decode()
        reply = http(
            "POST",
            self.standins.edl_url + "/api/users/find_or_create_token",
            {"Authorization": f"Basic {basic}"},
            data=b"",
        )
        assert reply.status == 200, reply.body
        return reply.json()["access_token"]

    def data(self, key: str, bucket: str = datasets.DEMO_PROTECTED_BUCKET) -> str:
        return f"{self.standins.data_url}/{bucket}/{quote(key)}"


@pytest.fixture(scope="module")
def seeded(moto_s3: MotoS3) -> Iterator[dict[str, float]]:
    """The demo data in the run's moto: as the session fixture seeded it, or seeded here
    (MANY small keys) and removed afterwards."""
    if datasets.DEMO_PUBLIC_BUCKET in moto_s3.public_buckets:
        yield {}
        return
    timings = datasets.seed_demo_data(moto_s3, many=MANY)
    yield timings
    datasets.remove_demo_data(moto_s3)


@pytest.fixture
def env(
    standin_loop: LoopThread, signing_key: rsa.RSAPrivateKey, moto_s3: MotoS3, seeded: Any
) -> Iterator[Env]:
    state = demo_state()
    state.signing_key = signing_key
    state.s3 = moto_s3
    standins = standin_loop.call(EarthdataStandIns, state)
    yield Env(state, standins, moto_s3)
    standin_loop.call(standins.aclose)


def hits(reply: Reply) -> int:
    assert reply.status == 200, reply.body
    return int(reply.header("CMR-Hits"))


def entries(reply: Reply) -> list[dict[str, Any]]:
    assert reply.status == 200, reply.body
    return reply.json()["feed"]["entry"]


def errors(reply: Reply, status: int = 400) -> list[str]:
    assert reply.status == status, reply.body
    assert reply.header("Content-Type") == JSON_TYPE
    return reply.json()["errors"]


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


def test_keyword_finds_the_demo_collection_first(env: Env) -> None:
    for keyword in ("sea ice", "SEA ICE", "DEMO_SEAICE", "demo_seai?e", "sea*"):
        found = entries(env.search("collections.json", {"keyword": keyword}))
        assert found[0]["id"] == cmr.DEMO_CONCEPT_ID, keyword
    assert hits(env.search("collections.json", {"keyword": "sea ice"})) > 5
    # every word must match
    assert hits(env.search("collections.json", {"keyword": "sea banana"})) == 0
    # the abstract counts too
    abstract = entries(env.search("collections.json", {"keyword": "synthetic"}))
    assert cmr.DEMO_CONCEPT_ID in {e["id"] for e in abstract}


def test_short_name_version_provider_concept_id(env: Env) -> None:
    demo = entries(env.search("collections.json", {"short_name": "demo_seaice"}))
    assert [e["id"] for e in demo] == [cmr.DEMO_CONCEPT_ID]  # case-insensitive
    assert hits(env.search("collections.json", {"short_name": "DEMO_SEA*"})) == 0
    pattern = [("short_name", "DEMO_*"), ("options[short_name][pattern]", "true")]
    assert hits(env.search("collections.json", pattern)) == 2
    assert hits(env.search("collections.json", {"short_name": "DEMO_SEAICE", "version": "2"})) == 0
    two = [("concept_id", cmr.DEMO_CONCEPT_ID), ("concept_id[]", cmr.SWATHS_CONCEPT_ID)]
    assert {e["id"] for e in entries(env.search("collections.json", two))} == {
        cmr.DEMO_CONCEPT_ID,
        cmr.SWATHS_CONCEPT_ID,
    }
    catalogue = cmr.default_catalogue()
    asf = sum(c.provider == "ASF" for c in catalogue.collections)
    assert hits(env.search("collections.json", {"provider": "ASF"})) == asf
    both = [("provider[]", "ASF"), ("provider[]", "ORNL_CLOUD")]
    ornl = sum(c.provider == "ORNL_CLOUD" for c in catalogue.collections)
    assert hits(env.search("collections.json", both)) == asf + ornl
    assert hits(env.search("collections.json", {"provider_id": "ASF"})) == asf
    assert hits(env.search("collections.json", {"entry_title": cmr.DEMO_ENTRY_TITLE})) == 1


def test_cloud_hosted_and_has_granules(env: Env) -> None:
    catalogue = cmr.default_catalogue()
    total = hits(env.search("collections.json"))
    assert total == len(catalogue.collections)
    cloud = hits(env.search("collections.json", {"cloud_hosted": "true"}))
    assert cloud == sum(c.cloud for c in catalogue.collections)
    assert hits(env.search("collections.json", {"cloud_hosted": "false"})) == total - cloud
    assert hits(env.search("collections.json", {"cloud_hosted": "unset"})) == total
    assert entries(env.search("collections.json", {"cloud_hosted": "true"}))[0]["cloud_hosted"]
    with_granules = hits(env.search("collections.json", {"has_granules": "true"}))
    assert 0 < with_granules < total
    assert errors(env.search("collections.json", {"cloud_hosted": "yes"})) == [
        "Parameter cloud_hosted must take value of true, false, or unset, but was [yes]"
    ]


def test_temporal_overlap_and_open_ends(env: Env) -> None:
    def found(value: str) -> set[str]:
        reply = env.search(
            "collections.json",
            [
                ("temporal[]", value),
                ("short_name", "DEMO_*"),
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
    reply = env.search(
        "collections.json",
        [
            ("temporal[]", "2024-09-05T00:00:00Z,2024-09-06T00:00:00Z"),
            ("temporal[]", "2024-01-05T00:00:00Z,2024-01-06T00:00:00Z"),
            ("short_name", "DEMO_*"),
            ("options[short_name][pattern]", "true"),
        ],
    )
    assert hits(reply) == 2
    assert errors(env.search("collections.json", {"temporal": "2024-13-01T00:00:00Z,"})) == [
        "temporal start datetime is invalid: [2024-13-01T00:00:00Z] is not a valid datetime."
    ]
    assert errors(
        env.search("collections.json", {"temporal": "2024-02-01T00:00:00Z,2024-01-01T00:00:00Z"})
    ) == ["start_date [2024-02-01T00:00:00Z] must be before end_date [2024-01-01T00:00:00Z]"]


def test_bounding_box_intersection(env: Env) -> None:
    def ids(box: str, **extra: str) -> set[str]:
        reply = env.search("collections.json", {"bounding_box": box, "page_size": "2000", **extra})
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
        assert errors(env.search("collections.json", {"bounding_box": bad})) == [message]


def test_sorting(env: Env) -> None:
    def names(*keys: str) -> list[str]:
        params = [("provider", "LPCLOUD"), ("page_size", "2000")]
        params += [("sort_key[]", key) for key in keys]
        return [e["short_name"] for e in entries(env.search("collections.json", params))]

    ascending = names("short_name")
    assert ascending == sorted(ascending, key=str.lower)
    descending = [name.lower() for name in names("-short_name")]
    assert descending == sorted(descending, reverse=True)
    starts = [
        e["time_start"]
        for e in entries(
            env.search(
                "collections.json",
                [("provider", "LPCLOUD"), ("page_size", "2000"), ("sort_key", "-start_date")],
            )
        )
    ]
    assert starts == sorted(starts, reverse=True)
    # no keyword: entry_title by default
    titles = [e["title"] for e in entries(env.search("collections.json", {"page_size": "50"}))]
    assert titles == sorted(titles, key=str.lower)
    assert errors(env.search("collections.json", {"sort_key": "colour"})) == [
        "The sort key [colour] is not a valid field for sorting collections."
    ]
    granules = env.search("granules.json", {"short_name": "DEMO_SEAICE", "sort_key": "-start_date"})
    assert [e["title"] for e in entries(granules)][:2] == ["seaice_20240908", "seaice_20240907"]
    assert errors(env.search("granules.json", {"short_name": "X", "sort_key": "score"})) == [
        "The sort key [score] is not a valid field for sorting granules."
    ]


def test_post_form_gives_the_same_answer(env: Env) -> None:
    params = [("keyword", "sea ice"), ("page_size", "5"), ("cloud_hosted", "true")]
    got = env.search("collections.json", params)
    posted = env.search("collections.json", params, post=True)
    assert hits(got) == hits(posted)
    assert [e["id"] for e in entries(got)] == [e["id"] for e in entries(posted)]
    wrong = http(
        "POST",
        env.standins.cmr_url + "collections.json",
        {"Content-Type": "application/json"},
        data=b"{}",
    )
    assert errors(wrong, 415) == ["Unsupported content type [application/json]"]


# -- errors ------------------------------------------------------------------------------


def test_unknown_parameters(env: Env) -> None:
    assert errors(env.search("collections.json", {"foo": "1"})) == [
        "Parameter [foo] was not recognized."
    ]
    assert errors(env.search("collections.json", [("foo[]", "1"), ("bar", "2")])) == [
        "Parameter [foo] was not recognized.",
        "Parameter [bar] was not recognized.",
    ]
    # keyword is for collections, cloud_hosted too; tokens never go in the query
    assert errors(env.search("granules.json", {"keyword": "x", "short_name": "DEMO_SEAICE"})) == [
        "Parameter [keyword] was not recognized."
    ]
    assert errors(env.search("collections.json", {"token": "abc"})) == [
        "Parameter [token] was not recognized."
    ]
    assert errors(env.search("collections.json", [("options[short_name][fuzzy]", "true")])) == [
        "Option [fuzzy] is not supported for param [short_name]"
    ]


@pytest.mark.parametrize("size", ["2001", "-1", "ten", ""])
def test_page_size_limits(env: Env, size: str) -> None:
    assert errors(env.search("collections.json", {"page_size": size})) == [
        "page_size must be a number between 0 and 2000"
    ]


def test_page_size_default_and_zero(env: Env) -> None:
    default = env.search("collections.json")
    assert len(entries(default)) == 10
    assert default.header("CMR-Search-After")
    zero = env.search("collections.json", {"page_size": "0"})
    assert hits(zero) == len(cmr.default_catalogue().collections)
    assert entries(zero) == []
    assert zero.header("CMR-Search-After") is None
    full = env.search("collections.umm_json", {"page_size": "2000"})
    assert len(full.json()["items"]) == hits(full)
    assert full.header("CMR-Search-After") is None


def test_granule_query_needs_a_collection(env: Env) -> None:
    for params in ({}, {"temporal": "2024-01-01T00:00:00Z,"}, {"short_name": ""}):
        assert errors(env.search("granules.json", params)) == [cmr.ALL_GRANULES_ERROR]
    assert errors(env.search("granules.json", {"concept_id": "S123-PROV"})) == [
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
        assert hits(env.search("granules.json", params)) >= 8, params


def test_granule_filters(env: Env) -> None:
    demo = {"collection_concept_id": cmr.DEMO_CONCEPT_ID}
    assert hits(env.search("granules.json", demo)) == 8
    days = env.search(
        "granules.json", {**demo, "temporal": "2024-09-03T12:00:00Z,2024-09-04T00:00:00Z"}
    )
    assert [e["title"] for e in entries(days)] == ["seaice_20240903", "seaice_20240904"]
    assert hits(env.search("granules.json", {**demo, "bounding_box": "0,-10,10,10"})) == 0
    named = [
        ("collection_concept_id", cmr.DEMO_CONCEPT_ID),
        ("readable_granule_name", "seaice_2024090[5]"),
    ]
    assert hits(env.search("granules.json", named)) == 0  # brackets are literal
    named = [
        ("collection_concept_id", cmr.DEMO_CONCEPT_ID),
        ("readable_granule_name", "SEAICE_2024090?"),
        ("options[readable_granule_name][pattern]", "true"),
    ]
    assert hits(env.search("granules.json", named)) == 8
    first = entries(env.search("granules.json", demo))[0]
    by_id = env.search("granules.json", {"concept_id": first["id"]})
    assert [e["id"] for e in entries(by_id)] == [first["id"]]
    # concept ids are alternatives: a collection and a granule of another one
    swath = entries(env.search("granules.json", {"short_name": "DEMO_SST_SWATHS"}))[0]["id"]
    both = [("concept_id[]", cmr.DEMO_CONCEPT_ID), ("concept_id[]", swath)]
    assert hits(env.search("granules.json", both)) == 9
    # swath footprints: polygons, found by bounding box
    swaths = {"collection_concept_id": cmr.SWATHS_CONCEPT_ID, "page_size": "2000"}
    north = env.search("granules.json", {**swaths, "bounding_box": "-180,55,180,90"})
    assert 0 < hits(north) < cmr.SWATHS_GRANULES
    assert all(e["polygons"] for e in entries(north))
    swath_hour = env.search(
        "granules.json", {**swaths, "temporal": "2024-01-01T00:00:00Z,2024-01-01T00:59:59Z"}
    )
    assert hits(swath_hour) == 12


def test_search_after_pages_through_ten_thousand_granules(env: Env) -> None:
    params = {"collection_concept_id": cmr.SWATHS_CONCEPT_ID, "page_size": "2000"}
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        headers = {"CMR-Search-After": after} if after else {}
        reply = env.search("granules.umm_json", params, headers)
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
    assert pages == 5
    assert len(seen) == len(set(seen)) == cmr.SWATHS_GRANULES


def test_search_after_matches_page_num_and_real_cmr_mode(env: Env) -> None:
    params = {"provider": "ASF", "page_size": "7"}
    first = env.search("collections.json", params)
    after = first.header("CMR-Search-After")
    second = env.search("collections.json", params, {"CMR-Search-After": after})
    by_number = env.search("collections.json", {**params, "page_num": "2"})
    assert [e["id"] for e in entries(second)] == [e["id"] for e in entries(by_number)]
    assert errors(
        env.search("collections.json", {**params, "page_num": "2"}, {"CMR-Search-After": after})
    ) == ["page_num is not allowed with search-after"]
    # Real CMR also sends the header on the last non-empty page, then pages to empty.
    env.state.cmr_search_after_on_last_page = True
    total = hits(first)
    ids: list[str] = []
    after = None
    while True:
        reply = env.search("collections.json", params, {"CMR-Search-After": after} if after else {})
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
def test_malformed_search_after(env: Env, value: str, message: str) -> None:
    reply = env.search(
        "granules.json",
        {"collection_concept_id": cmr.SWATHS_CONCEPT_ID},
        {"CMR-Search-After": value},
    )
    assert errors(reply) == [message]


# -- auth, throttling, failures ----------------------------------------------------------


def test_tokens(env: Env) -> None:
    token = env.token()
    assert hits(env.search("collections.json", {"page_size": "1"})) > 0  # anonymous is fine
    assert hits(env.search("collections.json", {"page_size": "1"}, bearer=token)) > 0
    recorded = env.state.requests_to("cmr")
    assert recorded[-1].headers["Authorization"] == f"Bearer {token}"
    assert "Authorization" not in recorded[-2].headers

    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in (forged, "not-a-token-at-all-but-long-enough"):
        reply = env.search("collections.json", bearer=bad)
        header = f"Bearer {bad}"
        assert errors(reply, 401) == [f"Token {header[:10]}XXX{header[-5:]} does not exist"]
        assert bad not in reply.body.decode()

    later = time.time() + 61 * 24 * 3600
    env.state.clock = lambda: later
    reply = env.search("collections.json", bearer=token)
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


def test_throttling_and_failures(env: Env) -> None:
    env.state.cmr_throttle = 2
    env.state.cmr_retry_after = 3
    for _ in range(2):
        reply = env.search("collections.json")
        assert errors(reply, 429) == [cmr.THROTTLE_ERROR]
        assert reply.header("Retry-After") == "3"
    assert hits(env.search("collections.json")) > 0
    env.state.cmr_failures = [500, 503, 504]
    assert errors(env.search("collections.json"), 500) == ["An Internal Error has occurred."]
    unavailable = env.search("collections.json")
    assert unavailable.status == 503
    assert unavailable.header("Content-Type").startswith("text/html")
    assert env.search("collections.json").status == 504
    assert hits(env.search("collections.json")) > 0
    env.state.cmr_timed_out = True
    assert env.search("collections.json").header("CMR-Timed-Out") == "true"
    long = env.search("collections.json", {"keyword": "x" * 9000})
    assert long.status == 413
    assert hits(env.search("collections.json", {"keyword": "x" * 9000}, post=True)) == 0


# -- shapes ------------------------------------------------------------------------------


def test_demo_collection_umm_and_atom(env: Env) -> None:
    umm = env.search("collections.umm_json", {"concept_id": cmr.DEMO_CONCEPT_ID})
    assert umm.header("Content-Type").startswith("application/vnd.nasa.cmr.umm_results+json")
    body = umm.json()
    assert body["hits"] == 1 and isinstance(body["took"], int)
    item = body["items"][0]
    meta, record = item["meta"], item["umm"]
    assert meta["concept-id"] == cmr.DEMO_CONCEPT_ID
    assert meta["provider-id"] == "NSIDC_CPRD"
    assert meta["revision-id"] >= 1 and meta["revision-date"].endswith("Z")
    assert meta["s3-links"] == ["s3://demo-nsidc-protected/seaice"]
    assert (record["ShortName"], record["Version"]) == ("DEMO_SEAICE", "1")
    assert record["EntryTitle"] == "Cloudscapes demo: daily sea ice concentration (stand-in)"
    assert record["Abstract"] and record["DOI"]["DOI"].startswith("10.5067/")
    assert record["ProcessingLevel"] == {"Id": "3"}
    assert record["Platforms"][0]["Instruments"]
    extent = record["TemporalExtents"][0]["RangeDateTimes"][0]
    assert extent == {
        "BeginningDateTime": "2024-09-01T00:00:00.000Z",
        "EndingDateTime": "2024-09-08T23:59:59.000Z",
    }
    rectangle = record["SpatialExtent"]["HorizontalSpatialDomain"]["Geometry"][
        "BoundingRectangles"
    ][0]
    assert rectangle == {
        "WestBoundingCoordinate": -180,
        "NorthBoundingCoordinate": 90,
        "EastBoundingCoordinate": 180,
        "SouthBoundingCoordinate": 60,
    }
    direct = record["DirectDistributionInformation"]
    assert direct == {
        "Region": "us-west-2",
        "S3BucketAndObjectPrefixNames": ["demo-nsidc-protected/seaice/"],
        "S3CredentialsAPIEndpoint": env.state.daac_url("nsidc"),
        "S3CredentialsAPIDocumentationURL": env.state.daac_url("nsidc") + "README",
    }
    assert http("GET", direct["S3CredentialsAPIDocumentationURL"]).status == 200

    atom = entries(env.search("collections.json", {"concept_id": cmr.DEMO_CONCEPT_ID}))[0]
    assert atom["id"] == cmr.DEMO_CONCEPT_ID
    assert atom["title"] == atom["dataset_id"] == record["EntryTitle"]
    assert (atom["short_name"], atom["version_id"], atom["data_center"]) == (
        "DEMO_SEAICE",
        "1",
        "NSIDC_CPRD",
    )
    assert atom["summary"] == record["Abstract"]
    assert (atom["time_start"], atom["time_end"]) == (
        "2024-09-01T00:00:00.000Z",
        "2024-09-08T23:59:59.000Z",
    )
    assert atom["boxes"] == ["60 -180 90 180"]
    assert atom["cloud_hosted"] is True and atom["online_access_flag"] is True
    assert atom["links"][0]["rel"].startswith("http://esipfed.org/ns/fedsearch/1.1/")


def test_non_cloud_collection_has_no_direct_distribution(env: Env) -> None:
    reply = env.search("collections.umm_json", {"provider": "NSIDC_ECS", "page_size": "1"})
    item = reply.json()["items"][0]
    assert "DirectDistributionInformation" not in item["umm"]
    assert "s3-links" not in item["meta"]
    atom = entries(env.search("collections.json", {"provider": "NSIDC_ECS", "page_size": "1"}))
    assert atom[0]["cloud_hosted"] is False


def test_demo_granules_umm_and_atom_match_moto(env: Env) -> None:
    params = {"collection_concept_id": cmr.DEMO_CONCEPT_ID, "page_size": "8"}
    items = env.search("granules.umm_json", params).json()["items"]
    assert len(items) == 8
    admin = env.s3.client()
    for day, item in zip(datasets.DEMO_DAYS, items, strict=True):
        meta, record = item["meta"], item["umm"]
        name = datasets.granule_name(day)
        assert meta["collection-concept-id"] == cmr.DEMO_CONCEPT_ID
        assert meta["concept-id"] == cmr.DEMO_GRANULE_IDS[datasets.DEMO_DAYS.index(day)]
        assert record["GranuleUR"] == name[:-3]
        assert record["CollectionReference"] == {"ShortName": "DEMO_SEAICE", "Version": "1"}
        assert record["TemporalExtent"]["RangeDateTime"] == {
            "BeginningDateTime": f"{day.isoformat()}T00:00:00.000Z",
            "EndingDateTime": f"{day.isoformat()}T23:59:59.000Z",
        }
        assert record["SpatialExtent"]["HorizontalSpatialDomain"]["Geometry"][
            "BoundingRectangles"
        ] == [
            {
                "WestBoundingCoordinate": -180,
                "NorthBoundingCoordinate": 90,
                "EastBoundingCoordinate": 180,
                "SouthBoundingCoordinate": 60,
            }
        ]
        files = record["DataGranule"]["ArchiveAndDistributionInformation"]
        key = f"seaice/{name}"
        size = admin.head_object(Bucket="demo-nsidc-protected", Key=key)["ContentLength"]
        assert [(f["Name"], f["SizeInBytes"]) for f in files] == [(name, size)]
        urls = {u["Type"]: u["URL"] for u in record["RelatedUrls"]}
        assert urls["GET DATA"] == f"{env.standins.data_url}/demo-nsidc-protected/{key}"
        assert urls["GET DATA VIA DIRECT ACCESS"] == f"s3://demo-nsidc-protected/{key}"
        assert urls["VIEW RELATED INFORMATION"] == env.state.daac_url("nsidc")
        assert urls["EXTENDED METADATA"].endswith(".dmrpp")

    atom = entries(env.search("granules.json", params))
    first = atom[0]
    assert first["id"] == items[0]["meta"]["concept-id"]
    assert first["title"] == "seaice_20240901"
    assert first["collection_concept_id"] == cmr.DEMO_CONCEPT_ID
    assert (first["time_start"], first["time_end"]) == (
        "2024-09-01T00:00:00.000Z",
        "2024-09-01T23:59:59.000Z",
    )
    size = items[0]["umm"]["DataGranule"]["ArchiveAndDistributionInformation"][0]["SizeInBytes"]
    assert float(first["granule_size"]) == pytest.approx(size / 1048576)
    assert first["boxes"] == ["60 -180 90 180"]
    rels = {link["rel"].rsplit("/", 1)[1]: link["href"] for link in first["links"]}
    assert rels["data#"].startswith(env.standins.data_url)
    assert rels["s3#"] == "s3://demo-nsidc-protected/seaice/seaice_20240901.nc"
    assert any(
        link["href"] == env.state.daac_url("nsidc") and link["rel"].endswith("metadata#")
        for link in first["links"]
    )


def test_swath_granules_have_polygons(env: Env) -> None:
    params = {"collection_concept_id": cmr.SWATHS_CONCEPT_ID, "page_size": "1"}
    umm = env.search("granules.umm_json", params).json()["items"][0]["umm"]
    points = umm["SpatialExtent"]["HorizontalSpatialDomain"]["Geometry"]["GPolygons"][0][
        "Boundary"
    ]["Points"]
    assert points[0] == points[-1] and len(points) == 5
    atom = entries(env.search("granules.json", params))[0]
    ring = atom["polygons"][0][0].split()
    assert len(ring) == 10  # lat lon pairs
    assert float(ring[0]) == points[0]["Latitude"] and float(ring[1]) == points[0]["Longitude"]


# -- data host and presigned S3 ----------------------------------------------------------


def test_download_through_the_data_host(env: Env) -> None:
    token = env.token()
    redirect = http("GET", env.data(SEAICE), bearer=token)
    assert redirect.status == 307
    location = redirect.header("Location")
    target, data_host = urlsplit(location), urlsplit(env.standins.data_url)
    assert target.netloc != data_host.netloc  # another host:port, as S3 is
    query = parse_qs(target.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert {"X-Amz-Expires", "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Date"} <= set(query)
    assert token not in location
    got = http("GET", location)  # without Authorization, as a careful client does
    assert got.status == 200
    expected = env.s3.client().get_object(Bucket="demo-nsidc-protected", Key=SEAICE)
    assert got.body == expected["Body"].read()
    assert got.header("Content-Length") == str(len(got.body))
    assert got.header("Content-Type") == "application/x-netcdf"
    assert env.state.transfers[-1].complete
    # the data host saw the token, the presign host never did
    assert env.state.requests_to("data")[-1].headers["Authorization"] == f"Bearer {token}"
    assert "Authorization" not in env.state.requests_to("presign")[-1].headers
    # HEAD gets its own (HEAD-signed) URL
    head = http("HEAD", env.data(SEAICE), bearer=token)
    assert head.status == 307
    answer = http("HEAD", head.header("Location"))
    assert answer.status == 200 and answer.header("Content-Length") == str(len(got.body))
    # a URL signed for GET does not work for HEAD (S3 signs the method)
    assert http("HEAD", location).status == 403
    # ranges
    part = http("GET", location, {"Range": "bytes=0-99"})
    assert part.status == 206 and part.body == got.body[:100]
    assert part.header("Content-Range") == f"bytes 0-99/{len(got.body)}"


def test_presign_refuses_a_second_auth_mechanism(env: Env) -> None:
    token = env.token()
    location = http("GET", env.data(SEAICE), bearer=token).header("Location")
    refused = http("GET", location, bearer=token)
    assert refused.status == 400
    assert refused.header("Content-Type") == "application/xml"
    text = refused.body.decode()
    assert "<Code>InvalidArgument</Code>" in text
    assert (
        "<Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
        "Signature query string parameter or the Authorization header should be specified"
        "</Message>"
    ) in text
    assert "<ArgumentName>Authorization</ArgumentName>" in text
    assert token not in text
    # urllib keeps Authorization on redirects to another port: exactly this failure
    followed = http("GET", env.data(SEAICE), bearer=token, follow=True)
    assert followed.status == 400 and b"InvalidArgument" in followed.body


def test_presign_signature_and_expiry(env: Env) -> None:
    token = env.token()
    location = http("GET", env.data(SEAICE), bearer=token).header("Location")
    tampered = location.replace("seaice_20240903", "seaice_20240904")
    reply = http("GET", tampered)
    assert reply.status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in reply.body
    unsigned = http("GET", location.split("?")[0])
    assert unsigned.status == 403 and b"<Code>AccessDenied</Code>" in unsigned.body
    partial = location.replace("X-Amz-Date=", "X-Amz-Nope=")
    assert b"AuthorizationQueryParametersError" in http("GET", partial).body
    missing = presign(env.state, "GET", "demo-nsidc-protected", "seaice/nothing.nc", "demo")
    gone = http("GET", missing)
    assert gone.status == 404 and b"<Code>NoSuchKey</Code>" in gone.body
    env.state.presign_lifetime = 0
    stale = presign(env.state, "GET", "demo-nsidc-protected", SEAICE, "demo")
    time.sleep(1.1)
    expired = http("GET", stale)
    assert expired.status == 403
    assert b"<Message>Request has expired</Message>" in expired.body


def test_data_host_refusals(env: Env) -> None:
    unauthenticated = http("GET", env.data(SEAICE))
    assert unauthenticated.status == 302
    target = urlsplit(unauthenticated.header("Location"))
    assert f"{target.scheme}://{target.netloc}" == env.standins.edl_url
    assert target.path == "/oauth/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["nsidc"]
    assert query["redirect_uri"] == [f"{env.standins.data_url}/login"]
    bad = http("GET", env.data(SEAICE), bearer="x.y.z")
    assert bad.status == 401 and bad.json()["error"] == "invalid_token"
    token = env.token()
    eula = http("GET", env.data("x.nc", "demo-podaac-protected"), bearer=token)
    assert eula.status == 403 and eula.json()["error_description"] == "EULA Acceptance Failure"
    forbidden = http("GET", env.data("x.nc", "demo-ornl-protected"), bearer=token)
    assert forbidden.status == 403 and forbidden.header("Content-Type").startswith("text/html")
    assert http("GET", env.data("x.nc", "no-such-bucket"), bearer=token).status == 404


def _raw_get(url: str) -> tuple[HTTPResponse, HTTPConnection]:
    parts = urlsplit(url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", f"{parts.path}?{parts.query}")
    return connection.getresponse(), connection


def test_presign_can_fail_midway(env: Env) -> None:
    location = http("GET", env.data(SEAICE), bearer=env.token()).header("Location")
    env.state.data_fail_after[SEAICE] = 10_000
    response, connection = _raw_get(location)
    try:
        assert response.status == 200
        total = int(response.headers["Content-Length"])
        assert total > 10_000
        with pytest.raises(IncompleteRead) as cut:
            response.read()
        assert len(cut.value.partial) == 10_000
    finally:
        connection.close()
    transfer = env.state.transfers[-1]
    assert transfer.cut and not transfer.complete and transfer.sent == 10_000
    # the hook also takes "bucket/key"; other objects are unaffected
    env.state.data_fail_after.clear()
    env.state.data_fail_after[f"demo-nsidc-protected/{SEAICE}"] = 100
    response, connection = _raw_get(location)
    with pytest.raises(IncompleteRead):
        response.read()
    connection.close()


def test_slow_streaming_and_cancel(env: Env) -> None:
    location = http("GET", env.data(SEAICE), bearer=env.token()).header("Location")
    env.state.data_rate = 20_000  # bytes per second: ~2.4 s for the file
    response, connection = _raw_get(location)
    started = time.monotonic()
    first = response.read(5_000)
    assert len(first) == 5_000
    assert time.monotonic() - started < 2
    transfer = env.state.transfers[-1]
    assert not transfer.complete
    connection.sock.shutdown(socket.SHUT_RDWR)  # the user cancels mid-download
    connection.close()
    deadline = time.monotonic() + 5
    while not transfer.aborted and time.monotonic() < deadline:
        time.sleep(0.05)
    assert transfer.aborted and not transfer.complete
    assert transfer.sent < transfer.size


# -- S3: public buckets, bulk seeding, real files -------------------------------------


def _anonymous(s3: MotoS3) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=s3.endpoint_url,
        region_name="us-west-2",
        config=Config(signature_version=UNSIGNED),
    )


def test_public_bucket_reads_anonymously(moto_s3: MotoS3, seeded: Any) -> None:
    anonymous = _anonymous(moto_s3)
    top = anonymous.list_objects_v2(Bucket=datasets.DEMO_PUBLIC_BUCKET, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["geotiff/", "many/", "netcdf/"]
    assert [o["Key"] for o in top["Contents"]] == ["README.txt"]
    readme = anonymous.get_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key="README.txt")
    assert readme["Body"].read().decode().startswith("Cloudscapes demo public bucket")
    head = anonymous.head_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key=datasets.PUBLIC_NETCDF_KEY)
    assert head["ContentType"] == "application/x-netcdf"
    anonymous.head_bucket(Bucket=datasets.DEMO_PUBLIC_BUCKET)
    assert anonymous.list_objects(Bucket=datasets.DEMO_PUBLIC_BUCKET, MaxKeys=1)["Contents"]


def test_private_buckets_refuse_anonymous_requests(moto_s3: MotoS3, seeded: Any) -> None:
    anonymous = _anonymous(moto_s3)
    for call in (
        lambda: anonymous.get_object(Bucket="demo-nsidc-protected", Key=SEAICE),
        lambda: anonymous.list_objects_v2(Bucket="demo-nsidc-protected"),
        lambda: anonymous.head_object(Bucket="demo-nsidc-protected", Key=SEAICE),
        lambda: anonymous.list_buckets(),
        lambda: anonymous.put_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key="x", Body=b"x"),
        lambda: anonymous.get_bucket_acl(Bucket=datasets.DEMO_PUBLIC_BUCKET),
    ):
        with pytest.raises(ClientError) as refused:
            call()
        error = refused.value.response
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert error["Error"]["Code"] in ("AccessDenied", "403")


def test_seed_many_is_fast_and_lists_like_s3(moto_s3: MotoS3, seeded: dict[str, float]) -> None:
    print(f"seed timings: {seeded}")
    started = time.perf_counter()
    keys = moto_s3.seed_many("cloudscapes-seed-test", "bulk/", 10_000)
    elapsed = time.perf_counter() - started
    print(f"seed_many: 10000 keys in {elapsed:.2f} s")
    assert elapsed < 15
    assert len(keys) == 10_000 and keys == sorted(keys)
    client = moto_s3.client()
    page = client.list_objects_v2(Bucket="cloudscapes-seed-test", Prefix="bulk/", Delimiter="/")
    assert [p["Prefix"] for p in page["CommonPrefixes"]][:2] == [
        "bulk/2024-09-01/",
        "bulk/2024-09-02/",
    ]
    assert page["IsTruncated"]
    assert page["Contents"][0]["Key"] == "bulk/granule_000001.json"
    body = client.get_object(Bucket="cloudscapes-seed-test", Key="bulk/granule_000001.json")
    assert json.loads(body["Body"].read())["key"] == "bulk/granule_000001.json"
    assert body["ContentType"] == "application/json"
    anonymous = _anonymous(moto_s3)
    count = sum(
        page["KeyCount"]
        for page in anonymous.get_paginator("list_objects_v2").paginate(
            Bucket=datasets.DEMO_PUBLIC_BUCKET, Prefix=datasets.MANY_PREFIX
        )
    )
    assert count == MANY if seeded else count >= 1000


def test_netcdf_opens_with_xarray_through_s3fs_and_daac_keys(env: Env) -> None:
    s3fs = pytest.importorskip("s3fs")
    xr = pytest.importorskip("xarray")
    keys = http("GET", env.state.daac_url("nsidc"), bearer=env.token()).json()
    fs = s3fs.S3FileSystem(
        key=keys["accessKeyId"],
        secret=keys["secretAccessKey"],
        token=keys["sessionToken"],
        client_kwargs={"endpoint_url": env.s3.endpoint_url, "region_name": "us-west-2"},
    )
    listed = fs.ls("demo-nsidc-protected/seaice/")
    assert len(listed) == 8
    with fs.open(f"demo-nsidc-protected/{SEAICE}", "rb") as f:
        dataset = xr.open_dataset(f, engine="h5netcdf").load()
    concentration = dataset["sea_ice_concentration"]
    assert concentration.dims == ("time", "y", "x")
    assert concentration.attrs["units"] == "percent"
    assert str(dataset["time"].values[0]).startswith("2024-09-03")
    assert 0 <= float(concentration.min()) and float(concentration.max()) <= 100
    assert dataset["lat"].attrs["standard_name"] == "latitude"
    # anonymous s3fs reads the public copy
    public = s3fs.S3FileSystem(
        anon=True, client_kwargs={"endpoint_url": env.s3.endpoint_url, "region_name": "us-west-2"}
    )
    assert public.cat(f"{datasets.DEMO_PUBLIC_BUCKET}/{datasets.PUBLIC_README_KEY}")


def test_geotiff_opens_with_rasterio(moto_s3: MotoS3, seeded: Any) -> None:
    rasterio = pytest.importorskip("rasterio")
    from rasterio.io import MemoryFile

    body = (
        _anonymous(moto_s3)
        .get_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key=datasets.PUBLIC_GEOTIFF_KEY)["Body"]
        .read()
    )
    with MemoryFile(body) as memory, memory.open() as raster:
        assert raster.crs == rasterio.crs.CRS.from_epsg(4326)
        assert raster.count == 1
        assert raster.bounds == (-180.0, -90.0, 180.0, 90.0)
        band = raster.read(1)
        assert band.shape == (raster.height, raster.width) and band.std() > 0
    netcdf = (
        _anonymous(moto_s3)
        .get_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key=datasets.PUBLIC_NETCDF_KEY)["Body"]
        .read()
    )
    assert datasets.open_netcdf_bytes(netcdf)["sea_ice_concentration"].shape == (1, 48, 64)
    assert io.BytesIO(netcdf).read(4) == b"\x89HDF"


def test_data_server_config() -> None:
    info = {
        "cmr_url": "http://127.0.0.1:1/search/",
        "s3_endpoint_url": "http://127.0.0.1:2",
        "public_bucket": "demo-public-data",
        "data_url": "http://127.0.0.1:3",
    }
    assert data_server_config(info) == {
        "cmr_url": "http://127.0.0.1:1/search/",
        "s3_endpoint_url": "http://127.0.0.1:2",
        "public_buckets": [{"bucket": "demo-public-data", "label": "Demo public data"}],
        "token_origins": ["http://127.0.0.1:3"],
    }
