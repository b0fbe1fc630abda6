"""The data browser's routes against the CMR stand-in and moto S3 (real boto3, real
jupyter_server). Inserted code: tests/test_data_code.py."""

from __future__ import annotations

import json

import pytest

from cloudscapes.testing import cmr
from cloudscapes.testing.datasets import (
    DEMO_PUBLIC_BUCKET,
    MANY_PREFIX,
    PUBLIC_GEOTIFF_KEY,
)

from .conftest import MANY_KEYS

# Every test of this module talks to the NASA stand-ins (EDL, DAACs, CMR, moto S3).
pytestmark = pytest.mark.usefixtures("earthdata")

PUBLIC = f"public:{DEMO_PUBLIC_BUCKET}"


async def sign_in(api, remember: bool = True) -> None:
    status, _ = await api(
        "earthdata/session",
        method="POST",
        body={
            "username": "demo",
            "password": "s3cret #1",
            "remember": remember,
        },
    )
    assert status == 200


# ---- CMR ---------------------------------------------------------------------------------


async def test_config_reports_region_and_sign_in(api):
    status, body = await api("data/config")
    assert status == 200
    assert body["earthdata_signed_in"] is False
    assert body["max_page_size"] == 2000
    await sign_in(api)
    assert (await api("data/config"))[1]["earthdata_signed_in"] is True


async def test_keyword_finds_the_demo_collection_first(api):
    status, page = await api("data/collections?keyword=sea%20ice&cloud_hosted=true&page_size=5")
    assert status == 200
    assert page["hits"] >= 1
    first = page["items"][0]
    assert first["concept_id"] == cmr.DEMO_CONCEPT_ID
    assert first["short_name"] == "DEMO_SEAICE"
    assert first["cloud_hosted"] is True
    assert first["daac"] == "nsidc"
    assert first["s3_prefixes"] == [{"bucket": "demo-nsidc-protected", "prefix": "seaice/"}]
    assert first["s3_credentials_endpoint"].endswith("/s3credentials")


async def test_filters_narrow_collections(api):
    _, everything = await api("data/collections?page_size=1")
    _, cloud = await api("data/collections?cloud_hosted=true&page_size=50")
    _, nsidc = await api("data/collections?provider=nsidc&page_size=50")
    _, pocloud = await api("data/collections?provider=POCLOUD&page_size=50")
    assert everything["hits"] > cloud["hits"] > 0
    assert {c["provider"] for c in nsidc["items"]} <= {"NSIDC_CPRD", "NSIDC_ECS"}
    assert {c["provider"] for c in pocloud["items"]} == {"POCLOUD"}
    assert all(c["cloud_hosted"] for c in cloud["items"])
    # the Arctic box finds the demo collection; a box in the southern ocean does not
    _, arctic = await api("data/collections?keyword=DEMO_SEAICE&bbox=-10,70,10,80")
    _, south = await api("data/collections?keyword=DEMO_SEAICE&bbox=-10,-80,10,-70")
    assert [c["concept_id"] for c in arctic["items"]] == [cmr.DEMO_CONCEPT_ID]
    assert south["hits"] == 0 and south["items"] == []
    # temporal overlap
    _, inside = await api(
        "data/collections?keyword=DEMO_SEAICE&temporal_start=2024-09-02&temporal_end=2024-09-03"
    )
    _, before = await api("data/collections?keyword=DEMO_SEAICE&temporal_end=1990-01-01")
    assert inside["hits"] == 1 and before["hits"] == 0


async def test_paging_10000_granules_every_one_once(api):
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = f"data/collections/{cmr.SWATHS_CONCEPT_ID}/granules?page_size=2000"
        if cursor:
            query += f"&cursor={cursor}"
        status, page = await api(query)
        assert status == 200
        assert page["hits"] == 10_000
        seen += [g["concept_id"] for g in page["items"]]
        pages += 1
        cursor = page["cursor"]
        if cursor is None:
            break
    assert pages == 5
    assert len(seen) == len(set(seen)) == 10_000  # no duplicate, no gap
    starts = [g for g in seen]
    assert starts == list(dict.fromkeys(starts))


async def test_a_cursor_only_fits_its_own_search(api):
    url = f"data/collections/{cmr.SWATHS_CONCEPT_ID}/granules?page_size=10"
    _, first = await api(url)
    status, err = await api(url + f"&temporal_start=2020-01-01&cursor={first['cursor']}")
    assert status == 400 and err["error"]["code"] == "invalid_cursor"
    status, err = await api(url + "&cursor=not-a-cursor")
    assert status == 400 and err["error"]["code"] == "invalid_cursor"


async def test_demo_granules_have_links_sizes_and_footprints(api, moto_s3):
    status, page = await api(f"data/collections/{cmr.DEMO_CONCEPT_ID}/granules?page_size=20")
    assert status == 200 and page["hits"] == 8 and page["cursor"] is None
    granule = page["items"][0]
    assert granule["title"].startswith("seaice_20240901")
    assert granule["time_start"].startswith("2024-09-01")
    assert granule["s3_urls"] == ["s3://demo-nsidc-protected/seaice/seaice_20240901.nc"]
    assert granule["https_urls"][0].endswith("/demo-nsidc-protected/seaice/seaice_20240901.nc")
    head = moto_s3.client().head_object(
        Bucket="demo-nsidc-protected", Key="seaice/seaice_20240901.nc"
    )
    assert granule["size_bytes"] == head["ContentLength"]
    footprint = granule["footprint"]
    assert footprint["bbox"] or footprint["polygons"]
    status, detail = await api(f"data/granules/{granule['concept_id']}")
    assert status == 200 and detail == granule


async def test_collection_detail_and_missing(api):
    status, detail = await api(f"data/collections/{cmr.DEMO_CONCEPT_ID}")
    assert (status == 200 and detail["doi"] is None) or isinstance(detail["doi"], str)
    assert detail["title"] == cmr.DEMO_ENTRY_TITLE
    status, err = await api("data/collections/C1-NOPE")
    assert status == 404 and err["error"]["code"] == "no_such_collection"
    status, err = await api("data/granules/not-a-concept")
    assert status == 400 and err["error"]["code"] == "invalid_concept_id"


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("page_size=2001", "page_size"),
        ("page_size=0", "page_size"),
        ("bbox=1,2,3", "four numbers"),
        ("bbox=-200,0,10,10", "outside the globe"),
        ("temporal_start=yesterday", "ISO 8601"),
        ("temporal_start=2024-02-01&temporal_end=2024-01-01", "after"),
        ("sort=colour", "Cannot sort"),
        ("cloud_hosted=maybe", "cloud_hosted"),
        ("frobnicate=1", "Unknown parameter"),
        ("page_size=%C2%B2", "page_size"),
    ],
)
async def test_bad_search_parameters_are_400_with_a_message(api, query, fragment):
    status, err = await api(f"data/collections?{query}")
    assert status == 400
    assert fragment in err["error"]["message"] + err["error"]["hint"]


async def test_the_url_token_jupyter_accepts_is_not_an_unknown_parameter(api, jp_serverapp):
    token = jp_serverapp.identity_provider.token
    status, page = await api(f"data/collections?keyword=DEMO_SEAICE&token={token}")
    assert status == 200 and page["items"][0]["concept_id"] == cmr.DEMO_CONCEPT_ID


async def test_cmr_errors_keep_cmrs_message(api, earthdata_state):
    earthdata_state.cmr_failures.append(503)
    status, err = await api("data/collections?keyword=ice")
    assert status == 502 and err["error"]["code"] == "cmr_unavailable"
    assert "503" in err["error"]["message"]
    # the next search works again
    assert (await api("data/collections?keyword=ice"))[0] == 200


async def test_signed_in_searches_send_the_token_and_a_revoked_one_is_401(api, earthdata_state):
    await sign_in(api)
    await api("data/collections?keyword=ice")
    sent = earthdata_state.requests_to("cmr")[-1]
    assert sent.headers.get("Authorization", "").startswith("Bearer eyJ")
    # the token dies at EDL (revoked elsewhere): CMR refuses it, we say sign in again
    for token in earthdata_state.tokens.values():
        token.revoked = True
    status, err = await api("data/collections?keyword=ice")
    assert status == 401 and err["error"]["code"] == "cmr_token_rejected"
    assert "Sign in" in err["error"]["hint"]
    assert "eyJ" not in json.dumps(err)


@pytest.mark.parametrize("data_config", [{"cmr_retries": 3, "cmr_max_backoff": 2}])
async def test_429_is_retried_after_retry_after(api, earthdata_state, jp_serverapp):
    service = jp_serverapp.web_app.settings["cloudscapes_data_service"] if False else None
    earthdata_state.cmr_throttle = 2
    earthdata_state.cmr_retry_after = 1
    status, page = await api("data/collections?keyword=DEMO_SEAICE")
    assert status == 200 and page["items"][0]["concept_id"] == cmr.DEMO_CONCEPT_ID
    throttled = [r for r in earthdata_state.requests_to("cmr")]
    assert len(throttled) >= 3  # two 429s, then the answer
    del service


@pytest.mark.parametrize("data_config", [{"cmr_retries": 1, "cmr_max_backoff": 2}])
async def test_429_beyond_the_bound_is_passed_on(api, earthdata_state, jp_fetch):
    earthdata_state.cmr_throttle = 5
    earthdata_state.cmr_retry_after = 1
    status, err = await api("data/collections?keyword=x")
    assert status == 429 and err["error"]["code"] == "cmr_throttled"
    assert "Wait" in err["error"]["hint"]
    earthdata_state.cmr_throttle = 1
    earthdata_state.cmr_retry_after = 60  # longer than we wait: answered at once
    response = await jp_fetch(
        "cloudscapes", "data/collections", params={"keyword": "x"}, raise_error=False
    )
    assert response.code == 429 and response.headers["Retry-After"] == "60"


# ---- S3 ----------------------------------------------------------------------------------


async def test_sources_never_list_buckets(api, moto_s3):
    status, body = await api("data/s3/sources")
    assert status == 200
    ids = [s["id"] for s in body["sources"]]
    assert ids[0] == PUBLIC
    assert "earthdata:nsidc" in ids and ids[-1] == "default"


@pytest.mark.parametrize(
    "server_env",
    [{"SCRATCH_BUCKET": "s3://demo-public-data/scratch/alice"}],
)
@pytest.mark.parametrize("data_config", [{"scratch_bucket": "s3://demo-public-data/users/alice"}])
async def test_scratch_bucket_is_a_source(api):
    _, body = await api("data/s3/sources")
    scratch = next(s for s in body["sources"] if s["kind"] == "scratch")
    assert scratch["bucket"] == "demo-public-data" and scratch["prefix"] == "users/alice/"


async def test_unsigned_paging_over_5000_keys(api):
    keys: list[str] = []
    folders: list[str] = []
    cursor = ""
    pages = 0
    while True:
        status, page = await api(
            f"data/s3/objects?source={PUBLIC}&prefix={MANY_PREFIX}&delimiter=&cursor={cursor}"
        )
        assert status == 200
        assert len(page["objects"]) <= 1000
        keys += [o["key"] for o in page["objects"]]
        folders += [f["prefix"] for f in page["folders"]]
        pages += 1
        if page["cursor"] is None:
            break
        cursor = page["cursor"]
    assert len(keys) == len(set(keys)) == MANY_KEYS
    assert pages == MANY_KEYS // 1000
    assert keys == sorted(keys)


async def test_one_level_listing_shows_folders(api):
    status, page = await api(f"data/s3/objects?source={PUBLIC}")
    assert status == 200
    names = [f["name"] for f in page["folders"]]
    assert {"netcdf", "geotiff", "many"} <= set(names)
    assert "README.txt" in [o["name"] for o in page["objects"]]
    status, detail = await api(f"data/s3/object?source={PUBLIC}&key={PUBLIC_GEOTIFF_KEY}")
    assert status == 200 and detail["content_type"] == "image/tiff" and detail["size"] > 0
    assert detail["s3_url"] == f"s3://{DEMO_PUBLIC_BUCKET}/{PUBLIC_GEOTIFF_KEY}"


async def test_unsigned_access_to_a_private_bucket_is_refused(api):
    # the public source is fixed to its bucket; another bucket through it is a 400
    status, err = await api(f"data/s3/objects?source={PUBLIC}&bucket=demo-nsidc-protected")
    assert status == 400
    status, err = await api("data/s3/objects?source=earthdata:nsidc&bucket=demo-nsidc-protected")
    assert status == 409 and err["error"]["code"] == "earthdata_not_signed_in"


async def test_earthdata_source_lists_the_daac_bucket_with_temporary_keys(api, earthdata_state):
    await sign_in(api, remember=False)
    status, page = await api(
        "data/s3/objects?source=earthdata:nsidc&bucket=demo-nsidc-protected&prefix=seaice/"
    )
    assert status == 200
    assert [o["name"] for o in page["objects"]][:2] == [
        "seaice_20240901.nc",
        "seaice_20240902.nc",
    ]
    assert len(earthdata_state.requests_to("daac")) == 1
    # another DAAC's bucket is refused by S3 itself (the keys only read nsidc's)
    status, err = await api("data/s3/objects?source=earthdata:nsidc&bucket=demo-public-data")
    assert status == 403 and err["error"]["code"] == "s3_access_denied"
    assert "us-west-2" in err["error"]["hint"]


async def test_default_chain_with_credentials(api, moto_s3, monkeypatch):
    creds = moto_s3.admin_credentials
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds["aws_secret_access_key"])
    status, page = await api("data/s3/objects?source=default&bucket=demo-nsidc-protected")
    assert status == 200
    assert "seaice/" in [f["prefix"] for f in page["folders"]]
    status, err = await api("data/s3/objects?source=default&bucket=no-such-bucket-here")
    assert status == 404 and err["error"]["code"] == "no_such_bucket"


@pytest.mark.parametrize(
    "query, status",
    [
        ("source=nope", 404),
        ("source=default", 400),
        ("source=default&bucket=Not_A_Bucket", 400),
        (f"source={PUBLIC}&delimiter=x", 400),
        (f"source={PUBLIC}&prefix=" + "a" * 1100, 400),
        ("", 400),
    ],
)
async def test_bad_listing_requests(api, query, status):
    got, err = await api(f"data/s3/objects?{query}")
    assert got == status and err["error"]["message"]


async def test_missing_key_is_404(api):
    status, _ = await api(f"data/s3/object?source={PUBLIC}&key=nope.txt")
    assert status == 404
