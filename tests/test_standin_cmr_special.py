"""The CMR stand-in's realistic collections (cloudscapes.testing.cmr.special): the shapes
real CMR records have -- several "GET DATA" files of mixed formats, checksum sidecars,
sizes in MiB or in the unit "NA", a credentials endpoint outside the DAAC table, orbit
and track footprints, swaths across the antimeridian and round a pole -- in UMM JSON and
Atom, with real files behind the cloud ones (moto, the data host).

The generated collections' shapes: test_standin_cmr_shapes.py; searching:
test_standin_cmr.py.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from cloudscapes.testing import cmr, datasets
from cloudscapes.testing.client import http
from cloudscapes.testing.fixtures.standins import NasaDemo, entries, hits

MIB = 1048576


def granules(nasa_demo: NasaDemo, concept_id: str, fmt: str = "umm_json") -> list[Any]:
    reply = nasa_demo.search(
        f"granules.{fmt}", {"collection_concept_id": concept_id, "page_size": "50"}
    )
    assert reply.status == 200, reply.body
    return reply.json()["items"] if fmt == "umm_json" else reply.json()["feed"]["entry"]


def collection(nasa_demo: NasaDemo, concept_id: str, fmt: str = "umm_json") -> Any:
    reply = nasa_demo.search(f"collections.{fmt}", {"concept_id": concept_id})
    if fmt == "umm_json":
        return reply.json()["items"][0]
    return entries(reply)[0]


def urls(record: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [u for u in record["RelatedUrls"] if u["Type"] == kind]


def stored(nasa_demo: NasaDemo, url: str) -> bytes:
    """The bytes in moto behind an ``s3://`` URL (read with the admin keys)."""
    bucket, _, key = url.removeprefix("s3://").partition("/")
    return nasa_demo.s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()


def keys_client(nasa_demo: NasaDemo, daac: str) -> Any:
    """An S3 client with the keys the DAAC stand-in ``daac`` hands out."""
    reply = http("GET", nasa_demo.state.daac_url(daac), bearer=nasa_demo.token())
    assert reply.status == 200, reply.body
    creds = reply.json()
    return boto3.client(
        "s3",
        endpoint_url=nasa_demo.s3.endpoint_url,
        region_name="us-west-2",
        aws_access_key_id=creds["accessKeyId"],
        aws_secret_access_key=creds["secretAccessKey"],
        aws_session_token=creds["sessionToken"],
    )


def via_data_host(nasa_demo: NasaDemo, url: str) -> bytes:
    """GET a granule's https link as code does: the data host's 307, then presigned S3."""
    redirect = http("GET", url, bearer=nasa_demo.token())
    assert redirect.status == 307, redirect.body
    body = http("GET", redirect.headers["Location"])
    assert body.status == 200
    return body.body


# -- the catalogue -------------------------------------------------------------------


def test_realistic_collections_come_last_and_keep_the_others_ids() -> None:
    catalogue = cmr.default_catalogue()
    last = [c.concept_id for c in catalogue.collections[-5:]]
    assert last == [
        cmr.MIXED_CONCEPT_ID,
        cmr.CHECKSUM_CONCEPT_ID,
        cmr.SWOT_CONCEPT_ID,
        cmr.ORBIT_CONCEPT_ID,
        cmr.SWATH_CONCEPT_ID,
    ]
    assert catalogue.collections[0].concept_id == cmr.DEMO_CONCEPT_ID
    assert cmr.DEMO_GRANULE_IDS[0] == "G3000000000-NSIDC_CPRD"
    for concept_id, ids, count in (
        (cmr.MIXED_CONCEPT_ID, cmr.MIXED_GRANULE_IDS, 3),
        (cmr.CHECKSUM_CONCEPT_ID, cmr.CHECKSUM_GRANULE_IDS, 2),
        (cmr.SWOT_CONCEPT_ID, cmr.SWOT_GRANULE_IDS, 3),
        (cmr.ORBIT_CONCEPT_ID, cmr.ORBIT_GRANULE_IDS, 4),
        (cmr.SWATH_CONCEPT_ID, cmr.SWATH_GRANULE_IDS, 20),
    ):
        c = catalogue.collection(concept_id)
        assert c is not None and c.granule_count == count == len(ids)
        found = [catalogue.granule_by_id(i) for i in ids]
        assert [g.concept_id for g in found if g] == list(ids)


def test_seeded_files_are_real_and_sized_as_announced(nasa_demo: NasaDemo) -> None:
    import rasterio
    import xarray as xr

    admin = nasa_demo.s3.client()
    objects = cmr.special_objects()
    assert {o.bucket for o in objects} == {
        "demo-podaac-protected",
        "demo-ornldaac-protected",
        datasets.SWOT_BUCKET,
        "demo-nsidc-protected",
    }
    for o in objects:
        head = admin.head_object(Bucket=o.bucket, Key=o.key)
        assert head["ContentLength"] == len(o.body), o.key
        assert head["ContentType"] == o.content_type
    netcdf = [o for o in objects if o.key.endswith((".nc", ".h5"))]
    assert len(netcdf) == 3 + 2 + 3 + 4
    for o in netcdf:
        with xr.open_dataset(io.BytesIO(o.body), engine="h5netcdf") as ds:
            assert ds.attrs["institution"] == "Cloudscapes demo (not NASA data)"
    mascon = next(o for o in objects if o.key.endswith(".nc") and "GRCTellus" in o.key)
    with xr.open_dataset(io.BytesIO(mascon.body), engine="h5netcdf") as ds:
        assert ds["lwe_thickness"].dims == ("time", "lat", "lon")
    tif = next(o for o in objects if o.key.endswith(".tif"))
    with rasterio.open(io.BytesIO(tif.body)) as raster:
        assert (raster.count, raster.crs.to_epsg(), raster.read(1).shape) == (1, 4326, (18, 36))
    png = next(o for o in objects if o.key.endswith(".png"))
    assert png.body.startswith(b"\x89PNG\r\n\x1a\n")


# -- mixed formats (TELLUS-like) -----------------------------------------------------


def test_mixed_format_granules(nasa_demo: NasaDemo) -> None:
    record = collection(nasa_demo, cmr.MIXED_CONCEPT_ID)["umm"]
    assert (record["ShortName"], record["Version"]) == ("DEMO_GRACE_MASCON", "RL06.3")
    assert record["DirectDistributionInformation"]["S3BucketAndObjectPrefixNames"] == [
        "demo-podaac-protected/DEMO_GRACE_MASCON/"
    ]
    items = granules(nasa_demo, cmr.MIXED_CONCEPT_ID)
    assert [i["meta"]["concept-id"] for i in items] == list(cmr.MIXED_GRANULE_IDS)
    nasa_demo.state.eula_daacs.clear()  # the demo user has not accepted PO.DAAC's EULA
    for item in items:
        umm = item["umm"]
        ur = umm["GranuleUR"]
        data = urls(umm, "GET DATA")
        direct = urls(umm, "GET DATA VIA DIRECT ACCESS")
        assert [(u["URL"].rsplit("/", 1)[1], u["MimeType"]) for u in data] == [
            (f"{ur}.nc", "application/x-netcdf"),
            (f"{ur}.tif", "image/tiff"),
            (f"{ur}.txt", "text/plain"),
        ]
        assert [u["URL"] for u in direct] == [
            f"s3://demo-podaac-protected/DEMO_GRACE_MASCON/{ur}{ext}"
            for ext in (".nc", ".tif", ".txt")
        ]
        assert all(u["MimeType"] for u in direct)
        assert all(u["URL"].startswith(nasa_demo.standins.data_url) for u in data)
        (browse,) = urls(umm, "GET RELATED VISUALIZATION")
        assert browse["URL"].endswith(f"/{ur}.png") and browse["MimeType"] == "image/png"
        (opendap,) = urls(umm, "USE SERVICE API")
        assert opendap["Subtype"] == "OPENDAP DATA"
        assert opendap["URL"].startswith(nasa_demo.standins.data_url + "/opendap/")
        (credentials,) = urls(umm, "VIEW RELATED INFORMATION")
        assert credentials["URL"] == nasa_demo.state.daac_url("podaac")
        (dmrpp,) = urls(umm, "EXTENDED METADATA")
        assert dmrpp["URL"].endswith(f"/{ur}.nc.dmrpp")
        files = umm["DataGranule"]["ArchiveAndDistributionInformation"]
        assert [set(f) for f in files] == [{"Name", "Size", "SizeUnit"}] * 3  # no SizeInBytes
        for file, link in zip(files, direct, strict=True):
            body = stored(nasa_demo, link["URL"])
            assert file["SizeUnit"] == "MB"
            assert file["Size"] == round(len(body) / MIB, 4)  # MiB, as PO.DAAC writes them
        # the data host serves every file behind the links
        for link, s3 in zip(data, direct, strict=True):
            assert via_data_host(nasa_demo, link["URL"]) == stored(nasa_demo, s3["URL"])
        assert via_data_host(nasa_demo, browse["URL"]).startswith(b"\x89PNG")
        assert b"Dataset" in via_data_host(nasa_demo, dmrpp["URL"])
    readme = stored(nasa_demo, urls(items[0]["umm"], "GET DATA VIA DIRECT ACCESS")[2]["URL"])
    assert readme.decode().startswith(items[0]["umm"]["GranuleUR"])

    atom = granules(nasa_demo, cmr.MIXED_CONCEPT_ID, "json")[0]
    rels = [link["rel"].rsplit("/", 1)[1] for link in atom["links"]]
    assert rels.count("data#") == 3 and rels.count("s3#") == 3
    assert {"browse#", "service#", "metadata#"} <= set(rels)
    assert atom["browse_flag"] is True and atom["boxes"] == ["-90.0 -180.0 90.0 180.0"]
    types = [link.get("type") for link in atom["links"] if link["rel"].endswith("/data#")]
    assert types == ["application/x-netcdf", "image/tiff", "text/plain"]


# -- checksums (Daymet-like) ---------------------------------------------------------


def test_checksum_granules_and_no_credentials_endpoint(nasa_demo: NasaDemo) -> None:
    record = collection(nasa_demo, cmr.CHECKSUM_CONCEPT_ID)["umm"]
    assert record["DirectDistributionInformation"] == {
        "Region": "us-west-2",
        "S3BucketAndObjectPrefixNames": ["demo-ornldaac-protected/DEMO_DAYMET_DAILY/"],
    }
    items = granules(nasa_demo, cmr.CHECKSUM_CONCEPT_ID)
    assert [i["meta"]["concept-id"] for i in items] == list(cmr.CHECKSUM_GRANULE_IDS)
    for item in items:
        umm = item["umm"]
        data = [u["URL"].rsplit("/", 1)[1] for u in urls(umm, "GET DATA")]
        direct = [u["URL"] for u in urls(umm, "GET DATA VIA DIRECT ACCESS")]
        assert len(data) == len(direct) == 2
        assert data[1] == data[0] + ".sha256" and data[0].endswith(".nc")
        assert not urls(umm, "VIEW RELATED INFORMATION")  # the provider names the DAAC
        nc, checksum = (stored(nasa_demo, url) for url in direct)
        assert checksum.decode() == f"{hashlib.sha256(nc).hexdigest()}  {data[0]}\n"
        files = umm["DataGranule"]["ArchiveAndDistributionInformation"]
        for file, body in zip(files, (nc, checksum), strict=True):
            assert file["SizeInBytes"] == len(body) and file["SizeUnit"] == "MB"
            assert file["Size"] * MIB == pytest.approx(file["SizeInBytes"], rel=1e-12)


# -- SWOT-like: a credentials endpoint outside the DAAC table ------------------------


def test_swot_endpoint_is_outside_the_table_and_its_keys_read_only_its_bucket(
    nasa_demo: NasaDemo,
) -> None:
    state = nasa_demo.state
    record = collection(nasa_demo, cmr.SWOT_CONCEPT_ID)["umm"]
    endpoint = record["DirectDistributionInformation"]["S3CredentialsAPIEndpoint"]
    assert endpoint == state.daac_url("swot")
    assert "swot" in state.daacs and "swot" not in state.listed_daacs()
    items = granules(nasa_demo, cmr.SWOT_CONCEPT_ID)
    assert [i["meta"]["concept-id"] for i in items] == list(cmr.SWOT_GRANULE_IDS)
    crossing = 0
    for item in items:
        umm = item["umm"]
        (direct,) = urls(umm, "GET DATA VIA DIRECT ACCESS")
        assert direct["URL"].startswith(f"s3://{datasets.SWOT_BUCKET}/DEMO_SWOT_L2_LR_SSH/")
        (file,) = umm["DataGranule"]["ArchiveAndDistributionInformation"]
        assert file["SizeInBytes"] == len(stored(nasa_demo, direct["URL"]))
        assert urls(umm, "VIEW RELATED INFORMATION")[0]["URL"] == endpoint
        points = umm["SpatialExtent"]["HorizontalSpatialDomain"]["Geometry"]["GPolygons"][0][
            "Boundary"
        ]["Points"]
        lons = [p["Longitude"] for p in points]
        crossing += any(abs(b - a) > 180 for a, b in itertools.pairwise(lons))
    assert crossing == 1
    key = urls(items[0]["umm"], "GET DATA VIA DIRECT ACCESS")[0]["URL"].split("/", 3)[3]
    swot = keys_client(nasa_demo, "swot")
    assert swot.get_object(Bucket=datasets.SWOT_BUCKET, Key=key)["Body"].read()
    with pytest.raises(ClientError, match="AccessDenied"):
        swot.list_objects_v2(Bucket="demo-podaac-protected")
    state.eula_daacs.discard("podaac")
    podaac = keys_client(nasa_demo, "podaac")
    with pytest.raises(ClientError, match="AccessDenied"):
        podaac.get_object(Bucket=datasets.SWOT_BUCKET, Key=key)
    https = urls(items[0]["umm"], "GET DATA")[0]["URL"]
    assert via_data_host(nasa_demo, https) == stored(
        nasa_demo, f"s3://{datasets.SWOT_BUCKET}/{key}"
    )


# -- ICESat-2-like: orbit and track, no geometry -------------------------------------


def test_orbit_granules(nasa_demo: NasaDemo) -> None:
    record = collection(nasa_demo, cmr.ORBIT_CONCEPT_ID)["umm"]
    spatial = record["SpatialExtent"]
    assert spatial["GranuleSpatialRepresentation"] == "ORBIT"
    orbit = spatial["OrbitParameters"]
    assert (orbit["InclinationAngle"], orbit["OrbitPeriod"], orbit["SwathWidth"]) == (
        92,
        94.29,
        36,
    )
    assert spatial["HorizontalSpatialDomain"]["Geometry"]["BoundingRectangles"][0] == {
        "WestBoundingCoordinate": -180,
        "NorthBoundingCoordinate": 90,
        "EastBoundingCoordinate": 180,
        "SouthBoundingCoordinate": -90,
    }
    atom_collection = collection(nasa_demo, cmr.ORBIT_CONCEPT_ID, "json")
    assert atom_collection["orbit_parameters"]["inclination_angle"] == "92.0"

    items = granules(nasa_demo, cmr.ORBIT_CONCEPT_ID)
    assert [i["meta"]["concept-id"] for i in items] == list(cmr.ORBIT_GRANULE_IDS)
    directions = set()
    for item in items:
        umm = item["umm"]
        domain = umm["SpatialExtent"]["HorizontalSpatialDomain"]
        assert set(domain) == {"Orbit", "Track"}  # no Geometry
        o = domain["Orbit"]
        assert set(o) == {
            "AscendingCrossing",
            "StartLatitude",
            "StartDirection",
            "EndLatitude",
            "EndDirection",
        }
        assert all(isinstance(o[k], float) for k in ("AscendingCrossing", "StartLatitude"))
        directions.add(o["StartDirection"] + o["EndDirection"])
        assert domain["Track"]["Cycle"] == 22 and domain["Track"]["Passes"][0]["Tiles"]
        (file,) = umm["DataGranule"]["ArchiveAndDistributionInformation"]
        assert file["SizeUnit"] == "NA" and "SizeInBytes" not in file
        name = file["Name"]
        assert name.startswith("ATL06_") and name.endswith("_006_02.h5")
        (direct,) = urls(umm, "GET DATA VIA DIRECT ACCESS")
        assert direct["URL"] == f"s3://demo-nsidc-protected/DEMO_ATL06/{name}"
        assert stored(nasa_demo, direct["URL"]).startswith(b"\x89HDF")
        (iso,) = urls(umm, "EXTENDED METADATA")
        assert iso["URL"].endswith(name[:-3] + ".iso.xml")
    assert {"AA", "AD", "DD"} <= directions

    for entry in granules(nasa_demo, cmr.ORBIT_CONCEPT_ID, "json"):
        assert "boxes" not in entry and "polygons" not in entry
        assert set(entry["orbit"]) == {
            "ascending_crossing",
            "start_lat",
            "start_direction",
            "end_lat",
            "end_direction",
        }
        assert entry["orbit_calculated_spatial_domains"]
    # found by a box in the latitude band they cover
    band = nasa_demo.search(
        "granules.json",
        {"collection_concept_id": cmr.ORBIT_CONCEPT_ID, "bounding_box": "-10,70,10,80"},
    )
    assert hits(band) == 1  # the one over the northern turn


# -- MODIS-like swaths on premises ---------------------------------------------------


def _unwrapped_turn(points: list[dict[str, float]]) -> float:
    turn = 0.0
    for a, b in itertools.pairwise(points):
        turn += (b["Longitude"] - a["Longitude"] + 180) % 360 - 180
    return turn


def test_swath_granules_cross_the_antimeridian_and_go_round_the_poles(
    nasa_demo: NasaDemo,
) -> None:
    item = collection(nasa_demo, cmr.SWATH_CONCEPT_ID)
    assert "DirectDistributionInformation" not in item["umm"]
    assert "s3-links" not in item["meta"]
    items = granules(nasa_demo, cmr.SWATH_CONCEPT_ID)
    assert [i["meta"]["concept-id"] for i in items] == list(cmr.SWATH_GRANULE_IDS)
    across, north, south = [], 0, 0
    for item in items:
        umm = item["umm"]
        (polygon,) = umm["SpatialExtent"]["HorizontalSpatialDomain"]["Geometry"]["GPolygons"]
        points = polygon["Boundary"]["Points"]
        assert points[0] == points[-1]
        turn = _unwrapped_turn(points)
        if turn == 360:
            north += 1
            assert len(points) == 13 and min(p["Latitude"] for p in points) == 78
        elif turn == -360:
            south += 1
        lons = [p["Longitude"] for p in points]
        if any(abs(b - a) > 180 for a, b in itertools.pairwise(lons)) and not turn:
            across.append(umm["GranuleUR"])
        (data,) = urls(umm, "GET DATA")
        assert data["URL"] == (
            "https://ladsweb.modaps.eosdis.nasa.gov/archive/allData/61/MOD021KM/2024/001/"
            + umm["GranuleUR"]
        )
        (browse,) = urls(umm, "GET RELATED VISUALIZATION")
        assert browse["URL"].endswith(".jpg") and browse["MimeType"] == "image/jpeg"
        assert not urls(umm, "GET DATA VIA DIRECT ACCESS")
        (file,) = umm["DataGranule"]["ArchiveAndDistributionInformation"]
        assert file["Name"] == "Not provided" and file["SizeUnit"] == "MB"
        assert 30 < file["Size"] < 60
    assert (len(across), north, south) == (7, 1, 1)
    # a box across the antimeridian finds those swaths (and the polar ones)
    reply = nasa_demo.search(
        "granules.json",
        {"collection_concept_id": cmr.SWATH_CONCEPT_ID, "bounding_box": "179,-60,-179,60"},
    )
    assert sorted(e["title"] for e in entries(reply)) == sorted(across)
    atom = granules(nasa_demo, cmr.SWATH_CONCEPT_ID, "json")
    assert all(e["polygons"] and "boxes" not in e for e in atom)
    assert {e["coordinate_system"] for e in atom} == {"GEODETIC"}


# -- search-after values as CMR's ----------------------------------------------------


def test_search_after_values_carry_floats_and_case(nasa_demo: NasaDemo) -> None:
    params = {"keyword": "DEMO_GRACE_MASCON", "page_size": "1"}
    reply = nasa_demo.search("collections.json", params)
    assert entries(reply)[0]["id"] == cmr.MIXED_CONCEPT_ID
    after = reply.header("CMR-Search-After")
    assert after is not None and after.startswith("[1.0,")  # a float score, as CMR's
    assert json.loads(after)[-1] == 2_999_000_003

    names = {"short_name": "DEMO_*", "options[short_name][pattern]": "true", "page_size": "2"}
    by_name = {**names, "sort_key": "short_name"}
    first = nasa_demo.search("collections.json", by_name)
    value = json.loads(first.header("CMR-Search-After") or "")
    assert value == ["DEMO_DAYMET_DAILY", 2_999_000_004]  # the name in its own case
    second = nasa_demo.search("collections.json", by_name, {"CMR-Search-After": json.dumps(value)})
    assert [e["short_name"] for e in entries(second)] == ["DEMO_GRACE_MASCON", "DEMO_MOD021KM"]
    # sizes in MiB are floats; a value written with an exponent parses to the same one
    sizes = {
        "collection_concept_id": cmr.CHECKSUM_CONCEPT_ID,
        "sort_key": "data_size",
        "page_size": "1",
    }
    page = nasa_demo.search("granules.json", sizes)
    size, seq = json.loads(page.header("CMR-Search-After") or "")
    assert isinstance(size, float) and not size.is_integer()
    exponent = f"[{size:.17e}, {seq}]"
    assert "e-" in exponent
    rest = nasa_demo.search("granules.json", sizes, {"CMR-Search-After": exponent})
    ids = [e["id"] for e in entries(page) + entries(rest)]
    assert sorted(ids) == sorted(cmr.CHECKSUM_GRANULE_IDS) and len(ids) == 2
